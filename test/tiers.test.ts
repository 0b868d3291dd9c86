import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The tiers' rules (.dependency-cruiser.cjs; `npm run check:tiers` runs them on src/ in `npm test`)
 * tried on a small tree that breaks each of them once, and on one that keeps them: a rule that
 * catches nothing would pass on src/ too.
 */
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const config = createRequire(import.meta.url)(join(ROOT, '.dependency-cruiser.cjs'));
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function violations(files: Record<string, string>): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'lifecircle-tiers-'));
  dirs.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', allowImportingTsExtensions: true, noEmit: true } }));
  const { output } = await cruise(['src'], { ...config.options, ruleSet: { forbidden: config.forbidden }, validate: true, baseDir: dir });
  return (output as ICruiseResult).summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort();
}

describe('the tiers (core, runtime, edge)', () => {
  it('each rule catches the import it forbids', async () => {
    const found = await violations({
      'src/core/geo/a.ts': "import '../../runtime/store/b.ts';\nimport '../../edge/api/c.ts';\nimport { readFileSync } from 'node:fs';\nimport { Worker } from 'node:worker_threads';\nimport { availableParallelism } from 'os';\nexport const a = [readFileSync, Worker, availableParallelism];\n",
      'src/runtime/store/b.ts': "import '../../edge/cli/d.ts';\nexport const b = 1;\n",
      'src/edge/api/c.ts': "import '../web/page.js';\nexport const c = 1;\n",
      'src/edge/cli/d.ts': "import './gone.ts';\nexport const d = 1;\n",
      'src/edge/web/page.js': "import '../api/c.ts';\nexport const page = 1;\n",
    });
    expect(found).toEqual([
      'core-has-no-effects: src/core/geo/a.ts → fs',
      'core-has-no-effects: src/core/geo/a.ts → os',
      'core-has-no-effects: src/core/geo/a.ts → worker_threads',
      'core-stays-core: src/core/geo/a.ts → src/edge/api/c.ts',
      'core-stays-core: src/core/geo/a.ts → src/runtime/store/b.ts',
      'no-unresolved: src/edge/cli/d.ts → ./gone.ts',
      'nothing-imports-web: src/edge/api/c.ts → src/edge/web/page.js',
      'runtime-below-edge: src/runtime/store/b.ts → src/edge/cli/d.ts',
      'web-is-the-browser: src/edge/web/page.js → src/edge/api/c.ts',
    ]);
  });

  it('imports that go down the tiers pass', async () => {
    expect(
      await violations({
        'src/core/geo/a.ts': "import { gunzipSync } from 'node:zlib';\nexport const a = gunzipSync;\n",
        'src/runtime/files/b.ts': "import { readFileSync } from 'node:fs';\nimport { a } from '../../core/geo/a.ts';\nexport const b = [a, readFileSync];\n",
        'src/edge/cli/c.ts': "import { b } from '../../runtime/files/b.ts';\nimport { a } from '../../core/geo/a.ts';\nexport const c = [a, b];\n",
        'src/edge/web/page.js': "import maplibre from '/vendor/maplibre-gl/maplibre-gl.mjs';\nimport './other.js';\nexport const page = maplibre;\n",
        'src/edge/web/other.js': 'export const other = 1;\n',
        'src/server.ts': "import { c } from './edge/cli/c.ts';\nexport const s = c;\n",
      }),
    ).toEqual([]);
  });
});
