import { InputError } from '../errors.ts';
import { CATEGORY_IDS, isCategory } from '../facilities/categories.ts';
import { isMode, MODES } from '../network/profiles.ts';
import type { Standard } from './types.ts';

/**
 * Checks that `input` is a well-formed life-service-circle standard (the Guangzhou annexes in
 * `data/standards/`, or a user's own list) and returns it typed. Collects every problem it finds and
 * throws one InputError('INVALID_PARAMETER') listing the first ten, each with its path:
 * `standard.items[3].categories[0]: "clinc" is not a facility category (did you mean "clinic"?)`.
 */
export function validateStandard(input: unknown, where = 'standard'): Standard {
  const problems: string[] = [];
  checkStandard(input, where, problems);
  if (problems.length > 0) throw new InputError('INVALID_PARAMETER', summarize(problems, where), { where });
  return input as Standard;
}

/** Longest a standard's travel time may be: beyond three hours a "life-service circle" means nothing. */
const MAX_STANDARD_MINUTES = 180;

/** ` (did you mean "x"?)` when one candidate is close to `value`, else an empty string. */
export function didYouMean(value: string, candidates: readonly string[]): string {
  let best = '';
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(value.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const allowed = Math.max(1, Math.min(3, Math.floor(value.length / 3)));
  return bestDistance <= allowed ? ` (did you mean ${JSON.stringify(best)}?)` : '';
}

const MAX_LISTED = 10;
const COMMUNITY_TYPES = ['urban', 'rural'];
const LEVELS = ['basic', 'quality'];
const KINDS = ['place', 'programme', 'online'];
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const STANDARD_FIELDS = ['id', 'name', 'communityType', 'level', 'mode', 'minutes', 'travelAssumption', 'source', 'target', 'groups', 'items'];
const NAME_FIELDS = ['zh', 'en'];
const SOURCE_FIELDS = ['document', 'annex', 'issued', 'file'];
const TARGET_FIELDS = ['share', 'milestones', 'quote'];
const MILESTONE_FIELDS = ['date', 'share', 'increment'];
const GROUP_FIELDS = ['id', 'zh', 'en', 'count'];
const ITEM_FIELDS = ['id', 'group', 'number', 'zh', 'en', 'lead', 'guiding', 'kind', 'categories', 'note'];
/** Shares are stored as decimals (0.3 + 0.3 ≠ 0.6 exactly): compare them with this slack. */
const SHARE_EPSILON = 1e-9;

type Problems = string[];
type Fields = Record<string, unknown>;

function checkStandard(input: unknown, path: string, problems: Problems): void {
  const s = object(input, path, STANDARD_FIELDS, problems);
  if (!s) return;
  identifier(s.id, `${path}.id`, problems);
  const name = object(s.name, `${path}.name`, NAME_FIELDS, problems);
  if (name) for (const key of NAME_FIELDS) text(name[key], `${path}.name.${key}`, problems);
  oneOf(s.communityType, `${path}.communityType`, COMMUNITY_TYPES, problems);
  oneOf(s.level, `${path}.level`, LEVELS, problems);
  if (!isMode(s.mode)) oneOf(s.mode, `${path}.mode`, MODES, problems);
  number(s.minutes, `${path}.minutes`, problems, { above: 0, atMost: MAX_STANDARD_MINUTES });
  if (s.travelAssumption !== undefined) {
    const said = object(s.travelAssumption, `${path}.travelAssumption`, NAME_FIELDS, problems);
    if (said) for (const key of NAME_FIELDS) text(said[key], `${path}.travelAssumption.${key}`, problems);
  }
  if (s.source !== undefined) checkSource(s.source, `${path}.source`, problems);
  if (s.target !== undefined) checkTarget(s.target, `${path}.target`, problems);
  const groups = checkGroups(s.groups, `${path}.groups`, problems);
  const itemGroups = checkItems(s.items, `${path}.items`, groups, problems);
  if (groups && itemGroups) checkGroupCounts(s.groups as unknown[], `${path}.groups`, itemGroups, problems);
}

function checkSource(value: unknown, path: string, problems: Problems): void {
  const source = object(value, path, SOURCE_FIELDS, problems);
  if (!source) return;
  text(source.document, `${path}.document`, problems);
  if (source.annex !== undefined) integer(source.annex, `${path}.annex`, problems);
  if (source.issued !== undefined) isoDate(source.issued, `${path}.issued`, problems);
  if (source.file !== undefined) text(source.file, `${path}.file`, problems);
}

function checkTarget(value: unknown, path: string, problems: Problems): void {
  const target = object(value, path, TARGET_FIELDS, problems);
  if (!target) return;
  const share = shareValue(target.share, `${path}.share`, problems);
  if (target.quote !== undefined) text(target.quote, `${path}.quote`, problems);
  if (!array(target.milestones, `${path}.milestones`, problems)) return;
  let previous: { date: string; share: number } | undefined;
  target.milestones.forEach((m: unknown, i: number) => {
    const at = `${path}.milestones[${i}]`;
    const milestone = object(m, at, MILESTONE_FIELDS, problems);
    if (!milestone) {
      previous = undefined;
      return;
    }
    const date = isoDate(milestone.date, `${at}.date`, problems);
    const cumulative = shareValue(milestone.share, `${at}.share`, problems);
    const increment = shareValue(milestone.increment, `${at}.increment`, problems);
    if (date !== undefined && previous && date <= previous.date) {
      problems.push(`${at}.date: got ${JSON.stringify(date)}, expected a date after ${previous.date} (milestones in ascending order)`);
    }
    if (cumulative !== undefined) {
      const before = previous?.share ?? 0;
      if (previous && cumulative < before - SHARE_EPSILON) {
        problems.push(`${at}.share: got ${cumulative}, expected at least ${before} (shares are cumulative)`);
      } else if (increment !== undefined && Math.abs(cumulative - before - increment) > SHARE_EPSILON) {
        problems.push(`${at}.increment: got ${increment}, expected ${round(cumulative - before)} (its share minus the previous milestone's)`);
      }
      if (share !== undefined && cumulative > share + SHARE_EPSILON) {
        problems.push(`${at}.share: got ${cumulative}, expected at most the final share ${share}`);
      }
    }
    previous = date !== undefined && cumulative !== undefined ? { date, share: cumulative } : undefined;
  });
}

/** The declared group ids, or undefined when `groups` is not a usable array. */
function checkGroups(value: unknown, path: string, problems: Problems): Set<string> | undefined {
  if (!array(value, path, problems)) return undefined;
  if (value.length === 0) problems.push(`${path}: got an empty array, expected at least one service group`);
  const seen = new Map<string, number>();
  value.forEach((g: unknown, i: number) => {
    const at = `${path}[${i}]`;
    const group = object(g, at, GROUP_FIELDS, problems);
    if (!group) return;
    if (identifier(group.id, `${at}.id`, problems)) {
      const first = seen.get(group.id as string);
      if (first !== undefined) problems.push(`${at}.id: ${JSON.stringify(group.id)} is already used by groups[${first}]`);
      else seen.set(group.id as string, i);
    }
    text(group.zh, `${at}.zh`, problems);
    text(group.en, `${at}.en`, problems);
    integer(group.count, `${at}.count`, problems);
  });
  return new Set(seen.keys());
}

/** The group of every item that names one (well-formed or not), or undefined when `items` is not an array. */
function checkItems(value: unknown, path: string, groups: Set<string> | undefined, problems: Problems): string[] | undefined {
  if (!array(value, path, problems)) return undefined;
  if (value.length === 0) problems.push(`${path}: got an empty array, expected at least one item`);
  const ids = new Map<string, number>();
  const numbers = new Map<string, number>();
  const itemGroups: string[] = [];
  value.forEach((v: unknown, i: number) => {
    const at = `${path}[${i}]`;
    const item = object(v, at, ITEM_FIELDS, problems);
    if (!item) return;
    if (identifier(item.id, `${at}.id`, problems)) {
      const first = ids.get(item.id as string);
      if (first !== undefined) problems.push(`${at}.id: ${JSON.stringify(item.id)} is already used by items[${first}]`);
      else ids.set(item.id as string, i);
    }
    if (text(item.group, `${at}.group`, problems)) {
      const group = item.group as string;
      itemGroups.push(group);
      if (groups && !groups.has(group)) {
        const declared = [...groups];
        problems.push(
          `${at}.group: ${JSON.stringify(group)} is not a declared group${didYouMean(group, declared)}` +
            (declared.length > 0 ? `; the groups are ${declared.join(', ')}` : ''),
        );
      }
    }
    if (integer(item.number, `${at}.number`, problems) && typeof item.group === 'string') {
      const key = `${item.group}\u0000${item.number}`;
      const first = numbers.get(key);
      if (first !== undefined) problems.push(`${at}.number: ${item.number} is already used in group ${JSON.stringify(item.group)} by items[${first}]`);
      else numbers.set(key, i);
    }
    text(item.zh, `${at}.zh`, problems);
    text(item.en, `${at}.en`, problems);
    departments(item.lead, `${at}.lead`, problems);
    departments(item.guiding, `${at}.guiding`, problems);
    if (oneOf(item.kind, `${at}.kind`, KINDS, problems)) checkCategories(item, at, problems);
    if (item.note !== undefined) text(item.note, `${at}.note`, problems);
  });
  return itemGroups;
}

function checkCategories(item: Fields, path: string, problems: Problems): void {
  const at = `${path}.categories`;
  const categories = item.categories;
  if (item.kind !== 'place') {
    if (categories !== undefined && !(Array.isArray(categories) && categories.length === 0)) {
      problems.push(`${at}: a ${item.kind} item takes no facility categories (got ${describe(categories)}); only places are reached by travel`);
    }
    return;
  }
  if (categories === undefined) return void problems.push(`${at}: missing, expected at least one facility category for a place item`);
  if (!array(categories, at, problems)) return;
  if (categories.length === 0) return void problems.push(`${at}: got an empty array, expected at least one facility category for a place item`);
  const seen = new Set<string>();
  categories.forEach((c: unknown, i: number) => {
    if (typeof c !== 'string') return void problems.push(`${at}[${i}]: got ${describe(c)}, expected a facility category id`);
    if (!isCategory(c)) return void problems.push(`${at}[${i}]: ${JSON.stringify(c)} is not a facility category${didYouMean(c, CATEGORY_IDS)}`);
    if (seen.has(c)) problems.push(`${at}[${i}]: ${JSON.stringify(c)} is listed twice`);
    seen.add(c);
  });
}

/** Compares each group's stated count with the items naming it (groups already checked one by one). */
function checkGroupCounts(groups: unknown[], path: string, itemGroups: string[], problems: Problems): void {
  const listed = new Map<string, number>();
  for (const group of itemGroups) listed.set(group, (listed.get(group) ?? 0) + 1);
  groups.forEach((g, i) => {
    const group = g as Fields;
    if (typeof group !== 'object' || group === null || typeof group.id !== 'string' || !Number.isInteger(group.count)) return;
    const n = listed.get(group.id as string) ?? 0;
    if (n !== group.count) {
      problems.push(`${path}[${i}]: says ${group.count} items, the standard lists ${n} in group ${JSON.stringify(group.id)}`);
    }
  });
}

// --- Field checks: each pushes a problem and returns false (or undefined) when the value is wrong. ---

function object(value: unknown, path: string, fields: readonly string[], problems: Problems): Fields | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push(`${path}: got ${describe(value)}, expected an object`);
    return undefined;
  }
  for (const key of Object.keys(value)) {
    if (!fields.includes(key)) problems.push(`${path}: unknown field ${JSON.stringify(key)}${didYouMean(key, fields)}`);
  }
  return value as Fields;
}

function array(value: unknown, path: string, problems: Problems): value is unknown[] {
  if (Array.isArray(value)) return true;
  problems.push(`${path}: got ${describe(value)}, expected an array`);
  return false;
}

function text(value: unknown, path: string, problems: Problems): boolean {
  if (typeof value === 'string' && value.trim() !== '') return true;
  problems.push(`${path}: got ${describe(value)}, expected a non-empty string`);
  return false;
}

function identifier(value: unknown, path: string, problems: Problems): boolean {
  if (typeof value === 'string' && ID_PATTERN.test(value)) return true;
  problems.push(`${path}: got ${describe(value)}, expected an id of letters, digits, "-", "_" or "."`);
  return false;
}

function oneOf(value: unknown, path: string, allowed: readonly string[], problems: Problems): boolean {
  if (typeof value === 'string' && allowed.includes(value)) return true;
  const hint = typeof value === 'string' ? didYouMean(value, allowed) : '';
  problems.push(`${path}: got ${describe(value)}, expected one of ${allowed.join(', ')}${hint}`);
  return false;
}

function number(value: unknown, path: string, problems: Problems, range: { above: number; atMost: number }): boolean {
  if (typeof value === 'number' && value > range.above && value <= range.atMost) return true;
  problems.push(`${path}: got ${describe(value)}, expected a number greater than ${range.above} and at most ${range.atMost}`);
  return false;
}

function integer(value: unknown, path: string, problems: Problems): boolean {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1) return true;
  problems.push(`${path}: got ${describe(value)}, expected a whole number of at least 1`);
  return false;
}

function shareValue(value: unknown, path: string, problems: Problems): number | undefined {
  if (typeof value === 'number' && value >= 0 && value <= 1) return value;
  problems.push(`${path}: got ${describe(value)}, expected a share from 0 to 1 (0.3 for 30%)`);
  return undefined;
}

/** A real calendar date written YYYY-MM-DD (so that dates compare as strings). */
function isoDate(value: unknown, path: string, problems: Problems): string | undefined {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const parsed = new Date(`${value}T00:00:00Z`);
    if (!Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value) return value;
  }
  problems.push(`${path}: got ${describe(value)}, expected a date written YYYY-MM-DD`);
  return undefined;
}

function departments(value: unknown, path: string, problems: Problems): void {
  if (!array(value, path, problems)) return;
  value.forEach((d: unknown, i: number) => text(d, `${path}[${i}]`, problems));
}

// --- Messages ---

function summarize(problems: Problems, where: string): string {
  if (problems.length === 1) return problems[0];
  const listed = problems.slice(0, MAX_LISTED).join('; ');
  const more = problems.length > MAX_LISTED ? `; and ${problems.length - MAX_LISTED} more` : '';
  return `${where}: ${problems.length} problems: ${listed}${more}`;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty array' : `an array ${clip(JSON.stringify(value))}`;
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return value === '' ? 'an empty string' : clip(JSON.stringify(value));
  return String(value);
}

function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function round(x: number): number {
  return Math.round(x * 1e9) / 1e9;
}

/** Optimal string alignment distance: edits and swaps of neighbours ("dialy" → "daily") cost 1. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}
