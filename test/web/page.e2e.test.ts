/// <reference lib="dom" />
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../scripts/lib/chromium.ts';
import { type ServerProcess, freePort, startServer } from '../api/server-process.ts';
import { freshDataDir } from '../helpers/store.ts';
import { clickCommunity, waitForPage, waitUntilReady } from './page-driver.ts';

/*
 * The map page in a real browser: Debian's Chromium, headless, against the server as `npm start`
 * runs it (the bundled sample: network, facilities, communities). Without Chromium this fails with
 * how to install it; it never skips. Screenshots go to test/out-actual/web/ (not committed).
 */
const SHOTS = fileURLToPath(new URL('../out-actual/web/', import.meta.url));
/** 财富又一城, a residential compound of the sample (data/sample/communities.geojson). */
const COMMUNITY = 'way/195510641';

let server: ServerProcess;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const root = mkdtempSync(join(tmpdir(), 'lifecircle-page-'));

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  // The store is not what the page is about: a data directory ready to open, no initdb to wait for.
  freshDataDir(join(root, 'store'), 'migrated');
  server = await startServer(await freePort(), { DATA_DIR: join(root, 'store'), LOG_LEVEL: 'warn' });
  // Chromium starts while the server loads the sample.
  browser = await launchChromium();
  await waitUntilReady(server.base);
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', (err) => pageErrors.push(err.message));
});

afterAll(async () => {
  await browser?.close();
  await server?.kill();
  rmSync(root, { recursive: true, force: true });
});

describe('the map page', () => {
  it('opens on the sample: roads, communities coloured by coverage, facilities, the city summary, the OSM credit', async () => {
    const res = await page.goto(`${server.base}/`);
    expect(res!.headers()['content-type']).toMatch(/^text\/html/);
    await waitForPage(page);
    const drawn = await page.evaluate(() => {
      const map = (window as any).lifecircle.view.map;
      const count = (layer: string) => map.queryRenderedFeatures({ layers: [layer] }).length;
      return { roads: count('roads'), communities: count('community-fill') + count('community-point'), facilities: count('facility-point') };
    });
    expect(drawn.roads).toBeGreaterThan(100);
    expect(drawn.communities).toBeGreaterThan(50);
    expect(drawn.facilities).toBeGreaterThan(50);
    await expect.poll(() => page.getByTestId('city-share').innerText()).toMatch(/\d+(\.\d)?% .*\/ 213\)/);
    expect(await page.locator('.maplibregl-ctrl-attrib').innerText()).toContain('OpenStreetMap');
    await page.screenshot({ path: `${SHOTS}overview.png` });
    expect(pageErrors).toEqual([]);
  });

  it('shows a clicked community: isochrone rings, reachable facilities, items met and missing, a route', async () => {
    await clickCommunity(page, COMMUNITY);
    await expect.poll(() => page.getByTestId('community-name').innerText(), { timeout: 20_000 }).toBe('财富又一城');
    await waitForPage(page);
    // The rings: 5, 10 and 15 minutes, drawn on the map and listed in the panel.
    expect(await page.getByTestId('isochrone-legend').locator('li').allInnerTexts()).toEqual([expect.stringMatching(/^5 /), expect.stringMatching(/^10 /), expect.stringMatching(/^15 /)]);
    const rings = await page.evaluate(() => (window as any).lifecircle.view.map.queryRenderedFeatures({ layers: ['isochrone-fill'] }).map((f: any) => f.properties.minutes));
    expect(new Set(rings)).toEqual(new Set([5, 10, 15]));
    // Reachable facilities, on the map and in the list, with their minutes.
    expect(await page.getByTestId('reachable-list').innerText()).toMatch(/\d+ 个设施/);
    const reachable = await page.evaluate(() => (window as any).lifecircle.view.map.querySourceFeatures('reachable').length);
    expect(reachable).toBeGreaterThan(0);
    // Items met and missing (this compound lacks most of the basic standard's items).
    const missing = await page.getByTestId('missing-items').locator('li').allInnerTexts();
    expect(missing.length).toBeGreaterThan(0);
    // Out of reach, or (listed apart) no such facility in the data at all.
    const gaps = await page.getByTestId('data-gap-items').locator('li').allInnerTexts();
    expect([...missing, ...gaps].some((text) => text.startsWith('社区党群服务中心'))).toBe(true);
    // Where the verdicts are measured from, and the share of residents that makes an item met.
    expect(await page.getByTestId('measured-from').innerText()).toMatch(/自住宅测量：\s*\d+ 处住宅.*80%/);
    expect(await page.getByTestId('met-items').locator('li').count()).toBeGreaterThan(0);
    // The route to the nearest facility of the item chosen first (a missing one).
    await expect.poll(() => page.getByTestId('route-info').getAttribute('class'), { timeout: 20_000 }).toMatch(/route-(ok|none)/);
    await page.screenshot({ path: `${SHOTS}community.png` });
    expect(pageErrors).toEqual([]);
  });

  it('routes to the nearest facility of another item, and switches to English', async () => {
    const select = page.getByTestId('route-item');
    const values = await select.locator('option').evaluateAll((options) => options.map((o) => [(o as HTMLOptionElement).value, o.textContent]));
    const met = values.find(([, text]) => text!.startsWith('✓'))!;
    const before = await page.getByTestId('route-info').innerText();
    await select.selectOption(met[0]!);
    await expect.poll(() => page.getByTestId('route-info').innerText(), { timeout: 20_000 }).not.toBe(before);
    await waitForPage(page);
    expect(await page.getByTestId('route-info').innerText()).toMatch(/\d+(\.\d)? 分钟, \d+ m$/);
    const route = await page.evaluate(() => (window as any).lifecircle.view.map.querySourceFeatures('route').filter((f: any) => f.properties.kind === 'route').length);
    expect(route).toBeGreaterThan(0);
    await page.getByTestId('lang-en').click();
    const listed = async () => [...(await page.getByTestId('missing-items').locator('li').allInnerTexts()), ...(await page.getByTestId('data-gap-items').locator('li').allInnerTexts())];
    await expect.poll(async () => (await listed()).some((text) => text.startsWith('Party & community service centre')), { timeout: 20_000 }).toBe(true);
    await waitForPage(page);
    expect(pageErrors).toEqual([]);
  });

  it('refuses a bad dropped file with a message, and keeps the map', async () => {
    const dropped = await page.evaluateHandle(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['{"type": "FeatureCollection", "features": ['], 'communities.geojson', { type: 'application/geo+json' }));
      return dt;
    });
    await page.dispatchEvent('#map', 'drop', { dataTransfer: dropped });
    await expect.poll(() => page.getByTestId('message').innerText()).toMatch(/^communities\.geojson: not valid JSON/);
    expect(await page.getByTestId('city-share').innerText()).toMatch(/\/ 213\)/);
    expect(pageErrors).toEqual([]);
  });

  it('analyses dropped communities', async () => {
    const dropped = await page.evaluateHandle(() => {
      const dt = new DataTransfer();
      const fc = {
        type: 'FeatureCollection',
        features: [
          { type: 'Feature', properties: { id: 'shima-road', name: '狮马路小区', type: 'urban' }, geometry: { type: 'Point', coordinates: [104.0819102, 30.6733102] } },
          { type: 'Feature', properties: { id: 'shudong-west', name: '蜀东小区西区', type: 'urban' }, geometry: { type: 'Point', coordinates: [104.0882, 30.6634] } },
        ],
      };
      dt.items.add(new File([JSON.stringify(fc)], 'my-communities.geojson', { type: 'application/geo+json' }));
      return dt;
    });
    await page.dispatchEvent('#map', 'drop', { dataTransfer: dropped });
    await expect.poll(() => page.getByTestId('city-share').innerText(), { timeout: 20_000 }).toMatch(/\/ 2\)/);
    await waitForPage(page);
    expect(pageErrors).toEqual([]);
  });
});

/*
 * Siting (issue 15) on the same page and server, after the tests above left two dropped communities
 * in English: the sites ranked with the method's guarantee, the communities a site serves outlined
 * on the map, a site tried by hand with a click, then the panel at phone width and in print.
 */
describe('the siting panel', () => {
  const source = (name: string) => page.evaluate((id) => (window as any).lifecircle.view.map.getSource(id)._data.geojson.features.map((f: any) => f.properties), name);

  it('ranks sites for an item with their gains and the communities each serves, and says how good the choice is', async () => {
    const panel = page.getByTestId('siting');
    await panel.scrollIntoViewIfNeeded();
    const items = await page.getByTestId('siting-item').locator('option').allInnerTexts();
    expect(items).toContain('Party & community service centre');
    await page.getByTestId('siting-item').selectOption({ label: 'Party & community service centre' });
    await page.getByTestId('siting-value').fill('1');
    await page.getByTestId('siting-value').dispatchEvent('change');
    await page.getByTestId('siting-run').click();
    await expect.poll(() => page.getByTestId('siting-sites').locator('li').count(), { timeout: 30_000 }).toBe(1);
    await waitForPage(page);
    expect(await page.getByTestId('siting-method').innerText()).toMatch(/^(exact \(mixed-integer program\) · proven optimal|greedy · no choice of as many sites can pass \d+(\.\d)?%)$/);
    expect(await page.getByTestId('siting-shares').innerText()).toMatch(/% → \d+(\.\d)?%/);
    const site = page.getByTestId('siting-sites').locator('li').first();
    expect(await site.innerText()).toMatch(/^\+\d+ residents, \+[12] communities → \d+(\.\d)?%\n(狮马路小区|蜀东小区西区)/);
    // On the map: the site with its rank, and the communities it serves outlined.
    expect(await source('siting-sites')).toEqual([expect.objectContaining({ rank: '1' })]);
    const served = (await source('siting-served')).map((p: { id: string }) => p.id);
    expect(served.length).toBeGreaterThan(0);
    expect(served.every((id: string) => ['shima-road', 'shudong-west'].includes(id))).toBe(true);
    await site.locator('button').click();
    expect(await source('siting-sites')).toEqual([expect.objectContaining({ rank: '1', chosen: true })]);
    expect(pageErrors).toEqual([]);
  });

  it('tries a site clicked on the map: the communities that gain the item', async () => {
    await page.getByTestId('siting-try').click();
    expect(await page.getByTestId('siting-try').getAttribute('aria-pressed')).toBe('true');
    const point = await page.evaluate(() => {
      const map = (window as any).lifecircle.view.map;
      map.jumpTo({ center: [104.0819102, 30.6733102], zoom: 15 });
      const p = map.project([104.0819102, 30.6733102]);
      const box = map.getCanvas().getBoundingClientRect();
      return { x: box.left + p.x, y: box.top + p.y };
    });
    await page.mouse.click(point.x, point.y);
    await expect.poll(() => page.getByTestId('siting-changes').locator('li').allInnerTexts(), { timeout: 30_000 }).toContainEqual(expect.stringMatching(/^狮马路小区: .*\+Party & community service centre/));
    await waitForPage(page);
    // The click tried a site; it did not open the community.
    expect(await page.getByTestId('siting-try').getAttribute('aria-pressed')).toBe('false');
    expect(await source('siting-sites')).toContainEqual(expect.objectContaining({ rank: '+' }));
    expect(pageErrors).toEqual([]);
  });

  it('fits a phone and prints the sites without the controls', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    const fits = await page.evaluate(() => {
      const panel = document.getElementById('siting')!;
      return panel.getBoundingClientRect().width <= window.innerWidth && panel.scrollWidth <= panel.clientWidth + 1;
    });
    expect(fits).toBe(true);
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.emulateMedia({ media: 'print' });
    try {
      expect(await page.getByTestId('siting-result').isVisible()).toBe(true);
      expect(await page.getByTestId('siting-run').isVisible()).toBe(false);
    } finally {
      await page.emulateMedia({ media: 'screen' });
    }
    expect(pageErrors).toEqual([]);
  });
});
