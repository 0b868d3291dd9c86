/**
 * Screenshots of the map page's main views, for the README: the server as `npm start` runs it (on
 * the bundled sample), driven in headless Chromium (scripts/lib/chromium.ts), written to
 * docs/screenshots/. Re-run it when the page changes, and look at the diff before committing:
 *
 *   npx tsx scripts/web-screenshots.ts
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePort, startServer } from '../test/api/server-process.ts';
import { clickCommunity, waitForPage, waitUntilReady } from '../test/web/page-driver.ts';
import { launchChromium } from './lib/chromium.ts';

const OUT = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));
mkdirSync(OUT, { recursive: true });

const server = await startServer(await freePort(), { DATA_DIR: 'memory://', LOG_LEVEL: 'warn' });
const browser = await launchChromium();
try {
  await waitUntilReady(server.base);
  const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(`${server.base}/`);
  await waitForPage(page);
  await page.screenshot({ path: `${OUT}overview.png` });
  // 财富又一城: its 15-minute walk, the facilities it reaches, what it lacks, the way to the nearest restaurant it has.
  await clickCommunity(page, 'way/195510641');
  await page.getByTestId('community-name').waitFor();
  await waitForPage(page);
  await page.screenshot({ path: `${OUT}community.png` });
  await page.getByTestId('lang-en').click();
  await waitForPage(page);
  await page.screenshot({ path: `${OUT}community-en.png` });
  if (errors.length) throw new Error(`the page threw: ${errors.join('; ')}`);
  console.log(`${OUT}: overview.png, community.png, community-en.png`);
} finally {
  await browser.close();
  await server.kill();
}
