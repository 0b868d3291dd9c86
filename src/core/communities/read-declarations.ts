import type { Item, Standard } from '../standards/types.ts';
import { didYouMean } from '../standards/validate.ts';
import { type DeclarationError, type DeclarationRow, parseDeclarationRows } from './declaration-rows.ts';
import type { Community, CommunityType } from './read-communities.ts';

export type { DeclarationError, DeclarationRow } from './declaration-rows.ts';

/**
 * Declarations in bulk: which programme and online items (the standards' non-place items) each
 * community provides, as rows of community, item, provided, source and date (declaration-rows.ts
 * reads them from JSON or CSV), matched here against the communities assessed and the standards
 * that assess them.
 *
 * An item is named by its id or by its Chinese name exactly as the standard prints it (full-width
 * and half-width forms and spaces aside). Item ids are only unique within one standard — `party-2`
 * is 工青妇服务 in the rural basic circle and 在职党员进农村 in the rural quality one — so a declaration
 * is kept per standard: a row applies to every standard of the community's type (urban or rural)
 * that has the item, which for a name shared by both circles' tables (工青妇服务, 人民调解服务 …) is
 * both. An id meaning different items in those standards is an error asking for the name instead.
 *
 * Each row that cannot be applied is reported on its own, with a did-you-mean where one is close:
 * an unknown community, an unknown item, an item of the other type's standards, a place item (those
 * are measured by travel, not declared). When rows say different things of one community's item,
 * the later `date` wins, and without dates to tell, the later row; the other is reported as
 * superseded. Rows that agree are merged silently.
 */
export interface Declaration {
  provided: boolean;
  source?: string;
  date?: string;
  /** The row it comes from (as in `DeclarationRow.row`). */
  row: number;
}

export interface DeclarationsRead {
  /** community id → standard id → item id → what was declared. */
  byCommunity: Map<string, Map<string, Map<string, Declaration>>>;
  /** Rows not applied (or superseded), ordered by row. */
  errors: DeclarationError[];
}

export interface ResolveDeclarationsOptions {
  /** The communities assessed: a row is matched to one by id; its type picks the standards. */
  communities: readonly Pick<Community, 'id' | 'type'>[];
  /** The standards assessed: items are looked up in these. */
  standards: readonly Standard[];
  /** Names the input in messages (default `declarations`). */
  what?: string;
}

/** Reads declarations (JSON rows, CSV text or bytes) and matches them; see `parseDeclarationRows` for the forms. */
export function readDeclarations(input: unknown, opts: ResolveDeclarationsOptions): DeclarationsRead {
  const parsed = parseDeclarationRows(input, opts.what);
  const resolved = resolveDeclarations(parsed.rows, opts);
  return { byCommunity: resolved.byCommunity, errors: [...parsed.errors, ...resolved.errors].sort((a, b) => a.row - b.row) };
}

/**
 * Suggestions for an unknown community cost a pass over every id: after this many rows, an
 * unknown community is reported without one (a file keyed to another city's ids would otherwise
 * cost rows × communities edit distances).
 */
const MAX_COMMUNITY_SUGGESTIONS = 100;

/** Matches rows already read to the communities and standards. */
export function resolveDeclarations(rows: readonly DeclarationRow[], opts: ResolveDeclarationsOptions): DeclarationsRead {
  const communities = new Map(opts.communities.map((c) => [c.id, c.type]));
  const catalogue = new ItemCatalogue(opts.standards);
  const byCommunity: DeclarationsRead['byCommunity'] = new Map();
  const errors: DeclarationError[] = [];
  const refs = new Map(rows.map((r) => [r.row, r.ref]));
  let suggested = 0;
  for (const row of rows) {
    const fail = (message: string) => errors.push({ row: row.row, community: row.community, item: row.item, message: `${row.ref}: ${message}` });
    const type = communities.get(row.community);
    if (type === undefined) {
      const hint = suggested++ < MAX_COMMUNITY_SUGGESTIONS ? didYouMean(row.community, [...communities.keys()]) : '';
      fail(`community ${JSON.stringify(row.community)} is not among the communities assessed${hint}`);
      continue;
    }
    const matched = catalogue.match(row.item, type);
    if (typeof matched === 'string') {
      fail(matched);
      continue;
    }
    let perStandard = byCommunity.get(row.community);
    if (!perStandard) byCommunity.set(row.community, (perStandard = new Map()));
    for (const { standard, item } of matched) {
      let items = perStandard.get(standard.id);
      if (!items) perStandard.set(standard.id, (items = new Map()));
      const declaration: Declaration = { provided: row.provided, ...(row.source ? { source: row.source } : {}), ...(row.date ? { date: row.date } : {}), row: row.row };
      const earlier = items.get(item.id);
      if (!earlier) {
        items.set(item.id, declaration);
        continue;
      }
      const laterWins = (declaration.date ?? '') >= (earlier.date ?? '');
      const [kept, dropped] = laterWins ? [declaration, earlier] : [earlier, declaration];
      items.set(item.id, kept);
      if (kept.provided !== dropped.provided) {
        const why = kept.date !== undefined && kept.date !== dropped.date ? `dated later (${kept.date})` : 'later in the input, no date telling them apart';
        errors.push({
          row: dropped.row,
          community: row.community,
          item: row.item,
          message: `${refs.get(dropped.row)}: superseded for ${standard.id} ${item.id} (${item.zh}) by ${refs.get(kept.row)}, which says ${kept.provided ? 'provided' : 'not provided'}, ${why}`,
        });
      }
    }
  }
  return { byCommunity, errors: errors.sort((a, b) => a.row - b.row) };
}

/**
 * What a community declares, per standard: its `services` (item ids it runs, applied to every
 * standard as before) merged with its declarations. A declaration wins over `services` both ways:
 * `provided: true` declares an item `services` lacks, and `provided: false` takes back one that
 * `services` lists — the declaration is the dated, sourced statement about that very item, where
 * `services` is an undated list that says nothing of what is not provided.
 */
export interface DeclaredServices {
  /** The ids of the standard's items declared for this community (for `services.has(item.id)`). */
  forStandard(standardId: string): ReadonlySet<string>;
  /** The declaration behind an item's status, for its source and date; undefined when none (or only `services`). */
  declaration(standardId: string, itemId: string): Declaration | undefined;
}

export function declaredServices(community: Pick<Community, 'id' | 'services'>, declarations: DeclarationsRead['byCommunity'] | undefined): DeclaredServices {
  const services: ReadonlySet<string> = new Set(community.services);
  const own = declarations?.get(community.id);
  if (!own) return { forStandard: () => services, declaration: () => undefined };
  const merged = new Map<string, ReadonlySet<string>>();
  return {
    forStandard(standardId) {
      const items = own.get(standardId);
      if (!items) return services;
      let set = merged.get(standardId);
      if (!set) {
        const ids = new Set(services);
        for (const [itemId, d] of items) {
          if (d.provided) ids.add(itemId);
          else ids.delete(itemId);
        }
        merged.set(standardId, (set = ids));
      }
      return set;
    },
    declaration: (standardId, itemId) => own.get(standardId)?.get(itemId),
  };
}

interface Match {
  standard: Standard;
  item: Item;
}

/** The standards' items by id and by Chinese name, and by community type: what a row's `item` may name. */
class ItemCatalogue {
  private readonly all: Match[] = [];
  private readonly byId = new Map<string, Match[]>();
  private readonly byName = new Map<string, Match[]>();
  /** Answers by type and name: a city's rows name the same few dozen items over and over. */
  private readonly answers = new Map<string, Match[] | string>();

  constructor(standards: readonly Standard[]) {
    for (const standard of standards) {
      for (const item of standard.items) {
        const match = { standard, item };
        this.all.push(match);
        push(this.byId, item.id.toLowerCase(), match);
        push(this.byName, nameKey(item.zh), match);
      }
    }
  }

  /** The items a row names for a community of `type`, or why it names none. */
  match(name: string, type: CommunityType): Match[] | string {
    const key = `${type}\u0000${name}`;
    let answer = this.answers.get(key);
    if (answer === undefined) this.answers.set(key, (answer = this.find(name, type)));
    return answer;
  }

  private find(name: string, type: CommunityType): Match[] | string {
    const byName = this.byName.get(nameKey(name)) ?? [];
    const named = byName.length > 0 ? byName : (this.byId.get(name.toLowerCase()) ?? []);
    const shown = JSON.stringify(name);
    if (named.length === 0) {
      const candidates = this.all.filter((m) => m.standard.communityType === type && m.item.kind !== 'place');
      const hint = didYouMean(name, [...new Set(candidates.flatMap((m) => [m.item.zh, m.item.id]))]);
      return `item ${shown} is not an item of the standards assessed${hint}`;
    }
    const ofType = named.filter((m) => m.standard.communityType === type);
    if (ofType.length === 0) {
      const others = [...new Set(named.map((m) => m.standard.id))];
      return `item ${shown} is an item of ${others.join(', ')}, which assess${others.length > 1 ? '' : 'es'} ${type === 'urban' ? 'rural' : 'urban'} communities; the community is ${type}`;
    }
    const declarable = ofType.filter((m) => m.item.kind !== 'place');
    if (declarable.length === 0) {
      return `item ${shown} (${ofType[0].item.zh}) is a place item, assessed by travel time to facilities; declarations are for programme and online items`;
    }
    if (byName.length === 0 && new Set(declarable.map((m) => m.item.zh)).size > 1) {
      const listed = declarable.map((m) => `${m.item.zh} in ${m.standard.id}`).join(', ');
      return `item ${shown} names different items in the ${type} standards (${listed}); name the item by its Chinese name`;
    }
    return declarable;
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Chinese names compared as printed, but for full-width/half-width forms and spaces. */
function nameKey(name: string): string {
  return name.normalize('NFKC').replace(/\s+/g, '');
}
