/**
 * The Guangzhou 2020 opinion (穗社建〔2020〕4号) as flattened text, in `../shared/seeds` next to the
 * repository, and a small parser for its four annex tables, so that the tests can check the JSON in
 * `data/standards/` against the document itself rather than against a second transcription.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const SEED_FILE = fileURLToPath(new URL('../../../shared/seeds/000_1f3590b46bfd46cc.txt', import.meta.url));

export function seedText(): string {
  if (!existsSync(SEED_FILE)) {
    throw new Error(`source text missing: ${SEED_FILE} not found. The Guangzhou 2020 opinion is expected in ../shared/seeds relative to the repository root.`);
  }
  return readFileSync(SEED_FILE, 'utf8');
}

export const GROUP_NAMES = ['党群服务', '公共服务', '志愿服务', '社区服务', '便民服务', '文体服务'];

export interface SeedGroup {
  zh: string;
  /** The "(N项)" count printed under the group name. */
  stated: number;
  /** The group's non-empty lines after its count, up to the next group (items and departments). */
  lines: string[];
}

export interface SeedAnnex {
  annex: number;
  /** The table's title, the first line after 附件N. */
  title: string;
  groups: SeedGroup[];
}

/** Splits the text at the lines `附件1` … `附件4` and each annex at its service-group headings. */
export function parseAnnexes(text: string): SeedAnnex[] {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const annexes: SeedAnnex[] = [];
  let annex: SeedAnnex | undefined;
  let group: SeedGroup | undefined;
  for (let i = 0; i < lines.length; i++) {
    const heading = /^附件(\d)$/.exec(lines[i]);
    if (heading) {
      annex = { annex: Number(heading[1]), title: lines[i + 1], groups: [] };
      annexes.push(annex);
      group = undefined;
      i++;
      continue;
    }
    const count = i + 1 < lines.length ? /^\((\d+)项\)$/.exec(lines[i + 1]) : null;
    if (annex && GROUP_NAMES.includes(lines[i]) && count) {
      group = { zh: lines[i], stated: Number(count[1]), lines: [] };
      annex.groups.push(group);
      i++;
      continue;
    }
    group?.lines.push(lines[i]);
  }
  return annexes;
}
