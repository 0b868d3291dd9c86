/// <reference lib="dom" />
import type { Page } from 'playwright-core';

/**
 * What the end-to-end test and the screenshot script do on the page, written once: wait until it is
 * idle, wait for the server, and click a community where it is drawn on the map (a real click on the canvas).
 */

/** Until no request is running and the map has drawn every tile of the view. */
export async function waitForPage(page: Page, timeout = 60_000): Promise<void> {
  await page.waitForFunction(
    () => {
      const lc = (window as any).lifecircle;
      return document.body.dataset.state === 'ready' && lc?.state.report && lc.view.map.loaded() && lc.view.map.areTilesLoaded();
    },
    null,
    { timeout, polling: 100 },
  );
}

/** Centres the map on a community (by id) and clicks it where its residents set out from. */
export async function clickCommunity(page: Page, id: string): Promise<void> {
  const point = await page.evaluate(async (communityId) => {
    const lc = (window as any).lifecircle;
    const entry = lc.state.communities.get(communityId);
    if (!entry) throw new Error(`no community ${communityId} on the page`);
    const [lon, lat] = lc.communityOrigins(entry.feature)[0];
    lc.view.map.jumpTo({ center: [lon, lat], zoom: 15 });
    await new Promise((resolve) => lc.view.map.once('idle', resolve));
    const p = lc.view.map.project([lon, lat]);
    const box = lc.view.map.getCanvas().getBoundingClientRect();
    return { x: box.left + p.x, y: box.top + p.y };
  }, id);
  await page.mouse.click(point.x, point.y);
}

/** Until the server answers /ready (its default network is loaded). */
export async function waitUntilReady(base: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${base}/ready`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${base} did not become ready within 30 s`);
}

/** Drops files on the page (on `target`: the map, or a data slot), as a planner drags them from the desktop. */
export async function dropFiles(page: Page, files: { name: string; json: unknown }[], target = '#map'): Promise<void> {
  const transfer = await page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const f of list) dt.items.add(new File([f.text], f.name, { type: 'application/geo+json' }));
    return dt;
  }, files.map((f) => ({ name: f.name, text: typeof f.json === 'string' ? f.json : JSON.stringify(f.json) })));
  await page.dispatchEvent(target, 'drop', { dataTransfer: transfer });
}
