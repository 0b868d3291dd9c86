import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/**
 * Headless Chromium for the page's end-to-end test and screenshots: Debian's `chromium` package
 * (`apt-get install chromium`; .ci/run installs it), driven by playwright-core, which downloads no
 * browser of its own. `CHROMIUM_PATH` points elsewhere. A missing browser is an error that says how
 * to install it — never a skipped test.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`no Chromium at ${CHROMIUM_PATH}: install it (apt-get update && apt-get install -y chromium), or set CHROMIUM_PATH`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    // No GPU here: WebGL (which MapLibre needs) runs on SwiftShader, Chromium's CPU renderer. No
    // sandbox: CI runs as root, which Chromium's sandbox refuses.
    args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist', '--lang=zh-CN'],
  });
}
