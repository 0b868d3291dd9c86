import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';

/**
 * Headless Chromium for the page's end-to-end test and screenshots: Debian's `chromium` package
 * (`apt-get install chromium`; .ci/run installs it), driven by playwright-core, which downloads no
 * browser of its own. `CHROMIUM_PATH` points elsewhere. A missing browser is an error that says how
 * to install it — never a skipped test.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

// No GPU here: WebGL (which MapLibre needs) runs on SwiftShader, Chromium's CPU renderer. No
// sandbox: CI runs as root, which Chromium's sandbox refuses.
const ARGS = ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist', '--lang=zh-CN'];

function chromiumPath(): string {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`no Chromium at ${CHROMIUM_PATH}: install it (apt-get update && apt-get install -y chromium), or set CHROMIUM_PATH`);
  }
  return CHROMIUM_PATH;
}

/** A browser whose every `newPage` is a fresh profile of its own (nothing cached, nothing stored). */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: ARGS });
}

/**
 * One profile for many pages, in a temporary directory removed on `close`: the pages share its
 * HTTP cache, compiled scripts and compiled WebGL shaders, so a page after the first opens for half
 * the CPU (~3 s instead of ~6 s of SwiftShader and MapLibre on 2 cores) — and share its storage,
 * which a test that needs its own clears (`localStorage.clear()`).
 */
export async function launchChromiumProfile(viewport: { width: number; height: number }): Promise<BrowserContext> {
  const dir = mkdtempSync(join(tmpdir(), 'lifecircle-chromium-'));
  const context = await chromium.launchPersistentContext(dir, { executablePath: chromiumPath(), headless: true, args: ARGS, viewport, acceptDownloads: true });
  context.on('close', () => rmSync(dir, { recursive: true, force: true }));
  return context;
}
