/// <reference lib="dom" />
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import gcoordModule from 'gcoord';
import { launchChromiumProfile } from '../../scripts/lib/chromium.ts';
import { type ServerProcess, freePort, startServer } from '../api/server-process.ts';
import { freshDataDir } from '../helpers/store.ts';
import { dropFiles, waitForPage, waitUntilReady } from './page-driver.ts';

/*
 * The map page as a planner works in it (issue 16), in Chromium at 1440×900 and 390×844, against
 * the server on the bundled sample: messages that stay, honest colours, one item across the city,
 * bearings (labels, hover, search), a rejected key, phone and keyboard, print and PNG, Chinese
 * throughout, and the coordinate system of dropped files. Each test opens its own page, its
 * storage emptied (one browser profile for all, for its caches). Screenshots go to test/out-actual/web/.
 */
// CommonJS under ES types: as src/core/geo/crs.ts imports it.
const gcoord = gcoordModule as unknown as typeof gcoordModule.default;
const SHOTS = fileURLToPath(new URL('../out-actual/web/', import.meta.url));
const TWO_COMMUNITIES = [
  { id: 'shima-road', name: '狮马路小区', lonLat: [104.0819102, 30.6733102] },
  { id: 'shudong-west', name: '蜀东小区西区', lonLat: [104.0882, 30.6634] },
];
const OSM_ID = /\b(node|way|relation)\/\d+/;

let server: ServerProcess;
let browser: BrowserContext;
const pageErrors: string[] = [];
const root = mkdtempSync(join(tmpdir(), 'lifecircle-planner-'));

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  // The store is not what the page is about: a data directory ready to open, migrated.
  freshDataDir(join(root, 'store'), 'migrated');
  server = await startServer(await freePort(), { DATA_DIR: join(root, 'store'), LOG_LEVEL: 'warn' });
  browser = await launchChromiumProfile({ width: 1440, height: 900 });
  await waitUntilReady(server.base);
});

afterAll(async () => {
  await browser?.close();
  await server?.kill();
  rmSync(root, { recursive: true, force: true });
});

/**
 * A page of the one browser profile (scripts/lib/chromium.ts: its cache makes each page after the
 * first half the CPU), its storage emptied first: each test starts as a first visit would.
 */
async function openPage(viewport = { width: 1440, height: 900 }, init?: () => void): Promise<Page> {
  const page = await browser.newPage();
  await page.setViewportSize(viewport);
  page.on('pageerror', (err) => pageErrors.push(err.message));
  await page.goto(`${server.base}/health`);
  await page.evaluate(() => {
    localStorage.clear();
    sessionStorage.clear();
  });
  if (init) await page.addInitScript(init);
  await page.goto(`${server.base}/`);
  await waitForPage(page);
  return page;
}

function points(features: { id: string; name?: string; lonLat: number[]; props?: object }[], extra: object = {}) {
  return { type: 'FeatureCollection', ...extra, features: features.map((f) => ({ type: 'Feature', properties: { id: f.id, name: f.name, ...f.props }, geometry: { type: 'Point', coordinates: f.lonLat } })) };
}

const messageTexts = (page: Page) => page.getByTestId('messages').locator('li').allInnerTexts();
/** The community source as drawn: id → share (null: not assessed). */
const shares = (page: Page) => page.evaluate(() => Object.fromEntries((window as any).lifecircle.view.map.getSource('communities')._data.geojson.features.map((f: any) => [f.properties.id, f.properties.share])));

describe('messages that stay', () => {
  it('lists the server\'s errors and warnings per file and feature, in Chinese, after the analysis is done', async () => {
    const page = await openPage();
    await dropFiles(page, [
      { name: 'yuexiu-subdistricts.geojson', json: points([
        { id: 'sd-1', name: '某街道', lonLat: [104.0819102, 30.6733102], props: { type: 'boundary' } },
        { id: 'sd-2', name: '狮马路小区', lonLat: [104.0819102, 30.6733102], props: { type: 'urban' } },
        { id: 'sd-3', name: '蜀东小区西区', lonLat: [104.0882, 30.6634], props: { population: 1200 } },
      ]) },
      { name: 'markets.geojson', json: points([
        { id: 'm-1', name: '菜市场甲', lonLat: [104.082, 30.673], props: { category: '菜市场' } },
        { id: 'm-2', name: '7-Eleven', lonLat: [104.0825, 30.6735], props: { shop: 'convenience' } },
      ]) },
    ]);
    await waitForPage(page);
    await expect.poll(() => page.getByTestId('city-share').innerText(), { timeout: 30_000 }).toMatch(/\/ 2\)/);
    // Still there once everything is drawn: nothing wipes them.
    const texts = await messageTexts(page);
    expect(texts).toContainEqual(expect.stringMatching(/要素 0（id "sd-1"）：properties\.type 为 "boundary"，应为 "urban"/));
    expect(texts).toContainEqual(expect.stringMatching(/缺少 properties\.type：按城市社区/));
    expect(texts).toContainEqual(expect.stringMatching(/category 为 "菜市场".*是否应为 "fresh_market"/));
    expect(await page.getByTestId('messages').getAttribute('open')).not.toBeNull();
    expect(await page.getByTestId('messages-summary').innerText()).toMatch(/[1-9]\d* 个错误/);
    // The list closes and opens again.
    await page.getByTestId('messages-summary').click();
    expect(await page.getByTestId('messages').getAttribute('open')).toBeNull();
    await page.getByTestId('messages-summary').click();
    expect(await page.getByTestId('messages').getAttribute('open')).not.toBeNull();
    // The community that could not be read: grey and hatched, with its reason, never a red 0 %.
    expect((await shares(page))['sd-1']).toBeNull();
    // The view moved to the new data.
    const center = await page.evaluate(() => (window as any).lifecircle.view.map.getCenter().toArray());
    expect(Math.abs(center[0] - 104.085)).toBeLessThan(0.01);
    expect(Math.abs(center[1] - 30.668)).toBeLessThan(0.01);
    // The OSM-tagged 7-Eleven is a convenience store to the page as to the server: coloured by its group, not "other".
    const colour = await page.evaluate(() => (window as any).lifecircle.view.map.getSource('facilities')._data.geojson.features.find((f: any) => f.properties.id === 'm-2').properties);
    expect(colour.categories).toContain('convenience_store');
    expect(colour.colour).not.toBe('#bdbdbd');
    await page.screenshot({ path: `${SHOTS}messages.png` });
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('refuses files with the reason: points as a network, lines as facilities, out of range, projected, and offers to swap lat/lon', async () => {
    const page = await openPage();
    // Points dropped on the network slot.
    await dropFiles(page, [{ name: 'stops.geojson', json: points(TWO_COMMUNITIES) }], '[data-slot="network"]');
    await expect.poll(() => messageTexts(page)).toContainEqual(expect.stringMatching(/^✗ stops\.geojson：路网需要线要素/));
    // Lines dropped on the facilities slot.
    const roads = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { highway: 'residential' }, geometry: { type: 'LineString', coordinates: [[104.08, 30.67], [104.09, 30.67]] } }] };
    await dropFiles(page, [{ name: 'roads.geojson', json: roads }], '[data-slot="facilities"]');
    await expect.poll(() => messageTexts(page)).toContainEqual(expect.stringMatching(/roads\.geojson：1 个线要素不能作为设施/));
    // Projected coordinates without a coordinate system.
    await dropFiles(page, [{ name: 'gk.geojson', json: points([{ id: 'a', lonLat: [38_500_000, 3_395_000], props: { type: 'urban' } }]) }]);
    await expect.poll(() => messageTexts(page)).toContainEqual(expect.stringMatching(/gk\.geojson：坐标是投影坐标（米）/));
    // Out of range.
    await dropFiles(page, [{ name: 'bad.geojson', json: points([{ id: 'a', lonLat: [104.08, 30.67], props: { type: 'urban' } }, { id: 'b', lonLat: [204.08, 30.67], props: { type: 'urban' } }]) }]);
    await expect.poll(() => messageTexts(page)).toContainEqual(expect.stringMatching(/bad\.geojson：1 个坐标超出经纬度范围/));
    // Nothing refused replaced the sample.
    expect(await page.getByTestId('city-share').innerText()).toMatch(/\/ 213\)/);
    // Swapped: refused, and the swapped file offered.
    const swapped = points(TWO_COMMUNITIES.map((c) => ({ ...c, lonLat: [c.lonLat[1], c.lonLat[0]], props: { type: 'urban' } })));
    await dropFiles(page, [{ name: 'poi-latlon.geojson', json: swapped }]);
    await expect.poll(() => messageTexts(page)).toContainEqual(expect.stringMatching(/poi-latlon\.geojson：坐标像是纬度、经度顺序颠倒/));
    expect(await page.getByTestId('message').innerText()).toMatch(/poi-latlon\.geojson/);
    await page.getByTestId('swap-coordinates').click();
    await expect.poll(() => page.getByTestId('city-share').innerText(), { timeout: 30_000 }).toMatch(/\/ 2\)/);
    await waitForPage(page);
    // Its name says "poi", its properties say communities: the role comes from what is in it.
    expect(await page.locator('[data-slot="communities"]').innerText()).toContain('poi-latlon.geojson');
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});

describe('honest colours', () => {
  it('colours by place items with data by default, keeps programmes and data gaps apart, and draws the unassessed grey with their reason', async () => {
    const page = await openPage();
    expect(await page.getByTestId('legend-basis').innerText()).toBe('着色：达成比例，基于 有数据的设施类指标');
    expect(await page.getByTestId('share-basis').inputValue()).toBe('data');
    // The worst items are place items with data; programmes to declare are listed apart.
    const report = await page.evaluate(() => (window as any).lifecircle.state.report.summary.standards[0]);
    const worst = await page.getByTestId('worst-items').locator('.item-name').allInnerTexts();
    const placesWithData = report.items.filter((i: any) => i.kind === 'place' && !i.dataGap).map((i: any) => i.zh);
    expect(worst.length).toBeGreaterThan(0);
    for (const name of worst) expect(placesWithData).toContain(name);
    const programmes = report.items.filter((i: any) => i.kind !== 'place').length;
    expect(await page.getByTestId('to-declare').locator('li').count()).toBe(programmes);
    // Shares as the page computes them, against the report: met / place items with data.
    const drawn = await shares(page);
    const expected = await page.evaluate(() => {
      const out: Record<string, number | null> = {};
      for (const c of (window as any).lifecircle.state.report.communities) {
        const places = c.standards[0].items.filter((i: any) => i.kind === 'place' && i.status !== 'no_facility');
        out[c.id] = places.length ? places.filter((i: any) => i.status === 'met').length / places.length : null;
      }
      return out;
    });
    let compared = 0;
    for (const [id, share] of Object.entries(expected)) {
      expect(drawn[id], id).toBe(share);
      compared++;
    }
    expect(compared).toBe(213);

    // A network covering a corner of the city: the others cannot be assessed — grey, hatched, with why.
    const full = await (await fetch(`${server.base}/v1/defaults/network`, { headers: { accept: 'application/geo+json' } })).json();
    // As a planner's file has them: OSM `highway` tags.
    const corner = full.features
      .filter((f: any) => f.geometry.coordinates.every(([lon, lat]: number[]) => lon > 104.075 && lon < 104.1 && lat > 30.665 && lat < 30.69))
      .map((f: any) => ({ ...f, properties: { highway: f.properties.class === 'untagged' ? 'residential' : f.properties.class, name: f.properties.name } }));
    expect(corner.length).toBeGreaterThan(20);
    await dropFiles(page, [{ name: 'corner-roads.geojson', json: { type: 'FeatureCollection', features: corner } }]);
    await expect.poll(() => page.locator('[data-slot="network"]').innerText(), { timeout: 30_000 }).toContain('corner-roads.geojson');
    await waitForPage(page);
    const after = await shares(page);
    const unassessed = Object.values(after).filter((s) => s === null).length;
    expect(unassessed).toBeGreaterThan(100);
    expect(Object.values(after).filter((s) => typeof s === 'number').length).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('not-assessed').locator('summary').innerText()).toMatch(/^\d+ 个社区未评估$/);
    expect(await page.getByTestId('legend-not-assessed').innerText()).toMatch(/未评估/);
    const hatched = await page.evaluate(() => (window as any).lifecircle.view.map.queryRenderedFeatures({ layers: ['community-hatch'] }).length);
    expect(hatched).toBeGreaterThan(0);
    // The view moved to the new network.
    const bounds = await page.evaluate(() => (window as any).lifecircle.view.map.getBounds().toArray());
    expect(bounds[0][0]).toBeGreaterThan(104.06);
    expect(bounds[1][0]).toBeLessThan(104.115);
    // Searching an unassessed community opens it with the reason.
    const id = Object.entries(after).find(([, s]) => s === null)![0];
    const name = await page.evaluate((cid) => (window as any).lifecircle.state.communities.get(cid).feature.properties.name ?? null, id);
    await page.getByTestId('search').fill(name ?? id);
    await page.getByTestId('search').press('Enter');
    await expect.poll(() => page.getByTestId('not-assessed-reason').innerText(), { timeout: 20_000 }).toMatch(/米内接入可供步行的道路/);
    await page.screenshot({ path: `${SHOTS}not-assessed.png` });
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('shows one item across the city: each community by its residents\' share within reach, the item\'s facilities on top', async () => {
    const page = await openPage();
    await page.getByTestId('share-basis').selectOption('item:convenience-1');
    await waitForPage(page);
    expect(await page.getByTestId('legend-basis').innerText()).toBe('着色：可达该设施的居民比例 便利店');
    const drawn = await shares(page);
    const expected = await page.evaluate(() => Object.fromEntries((window as any).lifecircle.state.report.communities.map((c: any) => {
      const item = c.standards[0].items.find((i: any) => i.itemId === 'convenience-1');
      return [c.id, item && item.status !== 'no_facility' ? item.residentsShare : null];
    })));
    const ids = Object.keys(expected);
    expect(ids.length).toBe(213);
    for (const id of ids) expect(drawn[id], id).toBe(expected[id]);
    expect(new Set(Object.values(drawn)).size).toBeGreaterThan(3);
    const focus = await page.evaluate(() => (window as any).lifecircle.view.map.getSource('focus')._data.geojson.features.map((f: any) => f.properties.categories));
    expect(focus.length).toBeGreaterThan(0);
    for (const categories of focus) expect(categories.some((c: string) => c === 'convenience_store' || c === 'supermarket')).toBe(true);
    await page.screenshot({ path: `${SHOTS}one-item.png` });
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});

describe('bearings', () => {
  it('labels communities and streets, names what the pointer is over, and finds a community by name', async () => {
    const page = await openPage();
    await page.getByTestId('search').fill('财富');
    await expect.poll(() => page.getByTestId('search-results').locator('li').allInnerTexts()).toContainEqual(expect.stringMatching(/^财富又一城/));
    await page.getByTestId('search').press('Enter');
    await expect.poll(() => page.getByTestId('community-name').innerText(), { timeout: 20_000 }).toBe('财富又一城');
    await waitForPage(page);
    // Labels are placed once their glyphs are drawn (by the browser's fonts, no glyph server).
    const labels = (layer: string) => page.evaluate((id) => (window as any).lifecircle.view.map.queryRenderedFeatures({ layers: [id] }).map((f: any) => f.properties.name), layer);
    await expect.poll(() => labels('community-labels'), { timeout: 20_000 }).toContain('财富又一城');
    await expect.poll(async () => (await labels('road-labels')).length, { timeout: 20_000 }).toBeGreaterThan(0);
    // Hover: the name under the pointer.
    const point = await page.evaluate(() => {
      const lc = (window as any).lifecircle;
      const [lon, lat] = lc.communityOrigins(lc.state.communities.get('way/195510641').feature)[0];
      const p = lc.view.map.project([lon, lat]);
      const box = lc.view.map.getCanvas().getBoundingClientRect();
      return { x: box.left + p.x, y: box.top + p.y };
    });
    await page.mouse.move(point.x, point.y);
    await expect.poll(() => page.getByTestId('hover-name').innerText()).toMatch(/^财富又一城 · \d+%$/);
    // The route to an item met goes to the very facility coverage counted for it.
    const select = page.getByTestId('route-item');
    const met = (await select.locator('option').evaluateAll((options) => options.map((o) => [(o as HTMLOptionElement).value, o.textContent]))).find(([, text]) => text!.startsWith('✓'))!;
    await select.selectOption(met[0]!);
    await expect.poll(() => page.getByTestId('route-info').innerText(), { timeout: 20_000 }).toMatch(/（覆盖计算所用设施）: \d+(\.\d)? 分钟, \d+ m$/);
    const [routed, counted] = await page.evaluate((itemId) => {
      const lc = (window as any).lifecircle;
      const item = lc.state.communities.get('way/195510641').report.standards[0].items.find((i: any) => i.itemId === itemId);
      return [lc.view.map.getSource('route')._data.geojson.route.targetId, item.nearest.facilityId];
    }, met[0]);
    expect(routed).toBe(counted);
    // No raw OSM ids anywhere a planner reads.
    expect(await page.getByTestId('reachable-list').innerText()).not.toMatch(OSM_ID);
    expect(await page.getByTestId('route-info').innerText()).not.toMatch(OSM_ID);
    expect(await page.getByTestId('community-list').innerText()).not.toMatch(OSM_ID);
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});

describe('keys', () => {
  it('a rejected key is said to be rejected, public analyses go on, and one click clears it', async () => {
    const page = await openPage(undefined, () => localStorage.setItem('lifecircle.apiKey', 'not-a-key'));
    expect(await page.getByTestId('city-share').innerText()).toMatch(/\/ 213\)/);
    await page.locator('details:has(#stored) > summary').click();
    await expect.poll(() => page.getByTestId('key-status').innerText()).toMatch(/API 密钥被拒绝/);
    await page.getByTestId('clear-key').click();
    expect(await page.evaluate(() => localStorage.getItem('lifecircle.apiKey'))).toBeNull();
    expect(await page.getByTestId('key-status').count()).toBe(0);
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});

describe('phone and keyboard', () => {
  it('at 390×844: the map keeps half the height, the sidebar is a bottom sheet, the panel fits; Tab, the list and Escape work', async () => {
    const page = await openPage({ width: 390, height: 844 });
    const map = await page.locator('#map').boundingBox();
    const sidebar = await page.locator('#sidebar').boundingBox();
    expect(map!.height).toBeGreaterThanOrEqual(422);
    expect(map!.width).toBe(390);
    expect(sidebar!.y).toBeGreaterThanOrEqual(map!.y + map!.height - 1);
    expect(sidebar!.width).toBe(390);
    // Tab reaches the file chooser, with a visible focus ring.
    let reached = false;
    for (let i = 0; i < 30 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.id === 'file-input');
    }
    expect(reached).toBe(true);
    const ring = await page.evaluate(() => getComputedStyle(document.querySelector('.file-button')!).outlineStyle);
    expect(ring).toBe('solid');
    // A community from the list, by keyboard.
    await page.locator('#community-list-box > summary').focus();
    await page.keyboard.press('Enter');
    const first = page.getByTestId('community-list').locator('button').first();
    await first.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('community-panel').isVisible(), { timeout: 20_000 }).toBe(true);
    await waitForPage(page);
    const panel = await page.getByTestId('community-panel').boundingBox();
    expect(panel!.x).toBeGreaterThanOrEqual(0);
    expect(panel!.x + panel!.width).toBeLessThanOrEqual(390);
    expect(panel!.y + panel!.height).toBeLessThanOrEqual(844 + 1);
    await page.screenshot({ path: `${SHOTS}phone.png` });
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('community-panel').isVisible()).toBe(false);
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});

describe('for reports', () => {
  it('prints on A4 landscape with map, legend, summary and the community, and exports a named PNG and CSV', async () => {
    const page = await openPage();
    const download = async (testid: string) => {
      const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
      return { name: file.suggestedFilename(), bytes: readFileSync((await file.path())!) };
    };
    const png = await download('download-png');
    expect(png.name).toMatch(/^default_guangzhou-2020-urban-basic_walk_15min_\d{4}-\d\d-\d\d\.png$/);
    expect(png.bytes.subarray(1, 4).toString()).toBe('PNG');
    const canvasWidth = await page.evaluate(() => (window as any).lifecircle.view.map.getCanvas().width);
    expect(png.bytes.readUInt32BE(16)).toBeGreaterThan(canvasWidth);
    const csv = await download('download-csv');
    expect(csv.name).toMatch(/^default_guangzhou-2020-urban-basic_walk_15min_\d{4}-\d\d-\d\d\.csv$/);
    await page.getByTestId('mode').selectOption('car');
    await waitForPage(page);
    expect((await download('download-geojson')).name).toMatch(/_car_15min_/);

    await page.getByTestId('search').fill('财富又一城');
    await page.getByTestId('search').press('Enter');
    await expect.poll(() => page.getByTestId('route-info').getAttribute('class'), { timeout: 20_000 }).toMatch(/route-(ok|none)/);
    await waitForPage(page);
    await page.emulateMedia({ media: 'print' });
    const visible = async (selector: string) => page.locator(selector).first().isVisible();
    expect(await visible('#map')).toBe(true);
    expect(await visible('#legend')).toBe(true);
    expect(await visible('#summary')).toBe(true);
    expect(await visible('[data-testid="community-name"]')).toBe(true);
    expect(await visible('[data-testid="met-items"]')).toBe(true);
    expect(await visible('#controls')).toBe(false);
    expect(await visible('#downloads')).toBe(false);
    const pdf = await page.pdf({ preferCSSPageSize: true });
    expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
    // A4 landscape: 841.9 × 595.3 points (Skia writes 594.96).
    const box = /\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/.exec(pdf.toString('latin1'))!;
    expect(Number(box[1])).toBeCloseTo(841.9, 0);
    expect(Number(box[2])).toBeCloseTo(595.3, -1);
    await page.emulateMedia({ media: 'screen' });
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});

describe('Chinese throughout', () => {
  it('modes, kinds and the route name the mode used, in Chinese; English when asked', async () => {
    const page = await openPage();
    expect(await page.getByTestId('mode').locator('option').allInnerTexts()).toEqual(['标准自带', '步行', '自行车', '电动自行车', '驾车']);
    await page.getByTestId('mode').selectOption('car');
    await waitForPage(page);
    await page.getByTestId('search').fill('财富又一城');
    await page.getByTestId('search').press('Enter');
    await expect.poll(() => page.getByTestId('route-info').getAttribute('class'), { timeout: 20_000 }).toBe('route-ok');
    await waitForPage(page);
    expect(await page.getByTestId('route-heading').innerText()).toBe('最近设施的驾车路线');
    expect(await page.getByTestId('route-info').innerText()).toMatch(/^驾车 → /);
    const undeclared = await page.getByTestId('undeclared-items').innerText();
    expect(undeclared).toMatch(/（需申报）|\(需申报\)/);
    expect(undeclared).not.toMatch(/programme/);
    // No Latin words in the sidebar's own labels (names, ids, units and numbers aside).
    const sidebar = await page.locator('#controls').innerText();
    expect(sidebar).not.toMatch(/\b(walk|bike|car|programme|place)\b/);
    await page.getByTestId('lang-en').click();
    await waitForPage(page);
    await expect.poll(() => page.getByTestId('route-heading').innerText()).toBe('Route (car) to the nearest facility for');
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});

describe('coordinate systems', () => {
  it('analyses a GCJ-02 file as GCJ-02 (the server converts it) and draws it where it is', async () => {
    const page = await openPage();
    await page.getByTestId('crs').selectOption('gcj02');
    const amap = points(TWO_COMMUNITIES.map((c) => ({ ...c, lonLat: gcoord.transform(c.lonLat as [number, number], gcoord.WGS84, gcoord.GCJ02), props: { type: 'urban' } })));
    await dropFiles(page, [{ name: 'amap-communities.geojson', json: amap }]);
    await expect.poll(() => page.getByTestId('city-share').innerText(), { timeout: 30_000 }).toMatch(/\/ 2\)/);
    await waitForPage(page);
    const sent = await page.evaluate(() => (window as any).lifecircle.state.data.communities.send.crs);
    expect(sent).toEqual({ type: 'name', properties: { name: 'gcj02' } });
    const drawn = await page.evaluate(() => (window as any).lifecircle.view.map.getSource('communities')._data.geojson.features.map((f: any) => f.geometry.coordinates));
    // Drawn back in WGS84 within a metre or so of where they are (GCJ-02 is ~500 m off in Chengdu).
    for (let i = 0; i < 2; i++) {
      expect(Math.abs(drawn[i][0] - TWO_COMMUNITIES[i]!.lonLat[0]!)).toBeLessThan(2e-5);
      expect(Math.abs(drawn[i][1] - TWO_COMMUNITIES[i]!.lonLat[1]!)).toBeLessThan(2e-5);
    }
    // The assessment agrees with the same communities sent in WGS84.
    const wgs = await (await fetch(`${server.base}/v1/coverage`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ communities: points(TWO_COMMUNITIES.map((c) => ({ ...c, props: { type: 'urban' } }))), standards: ['guangzhou-2020-urban-basic'] }) })).json();
    const page2 = await page.evaluate(() => (window as any).lifecircle.state.report.communities.map((c: any) => c.standards[0].met));
    expect(page2).toEqual(wgs.communities.map((c: any) => c.standards[0].met));
    expect(await page.getByTestId('crs').locator('option').allInnerTexts()).toEqual(expect.arrayContaining(['GCJ-02（高德、腾讯）', 'BD-09（百度）']));
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
