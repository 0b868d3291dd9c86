/**
 * Screenshots of the map page's main views, for the README and docs/map-page.md: the server as
 * `npm start` runs it (on the bundled sample), driven in headless Chromium (scripts/lib/chromium.ts),
 * written to docs/screenshots/. Re-run it when the page changes, and look at the diff before committing:
 *
 *   npx tsx scripts/web-screenshots.ts
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePort, startServer } from '../test/api/server-process.ts';
import { clickCommunity, dropFiles, waitForPage, waitUntilReady } from '../test/web/page-driver.ts';
import { launchChromium } from './lib/chromium.ts';

const OUT = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));
mkdirSync(OUT, { recursive: true });

const server = await startServer(await freePort(), { DATA_DIR: 'memory://', LOG_LEVEL: 'warn' });
const browser = await launchChromium();
const written: string[] = [];
const errors: string[] = [];
try {
  await waitUntilReady(server.base);
  const open = async (viewport: { width: number; height: number }) => {
    const page = await browser.newPage({ viewport });
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(`${server.base}/`);
    await waitForPage(page);
    return page;
  };
  const shot = async (page: Awaited<ReturnType<typeof open>>, name: string) => {
    await waitForPage(page);
    // Until the map has painted its last change (loaded() does not wait for the repaint).
    await page.evaluate(() => new Promise((resolve) => {
      const map = (window as any).lifecircle.view.map;
      map.once('idle', resolve);
      map.triggerRepaint();
    }));
    await page.screenshot({ path: `${OUT}${name}` });
    written.push(name);
  };

  // The city, then 财富又一城 up close: its 15-minute walk, what it reaches, what it lacks, the route to what coverage counted.
  const page = await open({ width: 1440, height: 900 });
  await shot(page, 'overview.png');
  await clickCommunity(page, 'way/195510641');
  await page.getByTestId('community-name').waitFor();
  await shot(page, 'community.png');
  await page.getByTestId('lang-en').click();
  await shot(page, 'community-en.png');
  await page.getByTestId('lang-zh').click();
  await page.getByTestId('close-panel').click();
  // One item across the city: convenience stores.
  await page.getByTestId('share-basis').selectOption('item:convenience-1');
  await page.evaluate(() => (window as any).lifecircle.view.map.jumpTo({ center: [104.075, 30.67], zoom: 13 }));
  await shot(page, 'one-item.png');

  // A planner's file with mistakes: the messages stay, per file and feature.
  const messages = await open({ width: 1440, height: 900 });
  const point = (id: string, name: string, lonLat: number[], props: object) => ({ type: 'Feature', properties: { id, name, ...props }, geometry: { type: 'Point', coordinates: lonLat } });
  await dropFiles(messages, [
    { name: 'subdistricts.geojson', json: { type: 'FeatureCollection', features: [point('sd-1', '某街道', [104.0819, 30.6733], { type: 'boundary' }), point('sd-2', '狮马路小区', [104.0819, 30.6733], { type: 'urban' }), point('sd-3', '蜀东小区西区', [104.0882, 30.6634], { population: 1200 })] } },
    { name: 'markets.geojson', json: { type: 'FeatureCollection', features: [point('m-1', '菜市场甲', [104.082, 30.673], { category: '菜市场' }), point('m-2', '7-Eleven', [104.0825, 30.6735], { shop: 'convenience' })] } },
  ]);
  await messages.getByTestId('messages').getByText('properties.type 为 "boundary"').waitFor();
  await shot(messages, 'messages.png');

  // A phone: the map on top, the sidebar as a bottom sheet, a community opened from the search box.
  const phone = await open({ width: 390, height: 844 });
  await phone.getByTestId('search').fill('财富又一城');
  await phone.getByTestId('search').press('Enter');
  await phone.getByTestId('community-name').waitFor();
  await shot(phone, 'phone.png');

  if (errors.length) throw new Error(`the page threw: ${errors.join('; ')}`);
  console.log(`${OUT}: ${written.join(', ')}`);
} finally {
  await browser.close();
  await server.kill();
}
