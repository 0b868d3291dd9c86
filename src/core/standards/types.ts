import type { Mode } from '../network/profiles.ts';

/**
 * A life-service-circle standard as data: one table of indicator items (an annex of Guangzhou's 2020
 * opinion, or a user's own list in the same shape), what travel it assumes, and the city's targets.
 * Stored as JSON in `data/standards/`, validated when loaded (src/core/standards/validate.ts).
 */
export interface Standard {
  /** Stable id, e.g. `guangzhou-2020-urban-basic`. */
  id: string;
  name: { zh: string; en: string };
  /** Which communities it assesses. */
  communityType: 'urban' | 'rural';
  /** 便民 basic or 优质 quality circle. */
  level: 'basic' | 'quality';
  /** Default travel: urban 15 minutes' walk; rural 30 minutes (by e-bike by default). */
  mode: Mode;
  minutes: number;
  /**
   * What of the travel is an assumption of ours rather than the source's, in words (zh/en): the
   * Guangzhou opinion sets villages a 30-minute circle but names no mode or speed. Every answer
   * assessing a community by the standard carries it.
   */
  travelAssumption?: { zh: string; en: string };
  source?: { document: string; annex?: number; issued?: string; file?: string };
  /** Share of the city's communities of this type that should meet the standard, and the dated steps. */
  target?: Target;
  /** The service groups, in table order, with the number of items the document gives for each. */
  groups: ServiceGroup[];
  items: Item[];
}

export interface Target {
  /** Final share, 0–1 (e.g. 0.9 of urban communities for the basic circle). */
  share: number;
  /** Dated milestones: cumulative share due by the date, and what that step adds. */
  milestones: { date: string; share: number; increment: number }[];
  /** The sentence of the document the target comes from. */
  quote?: string;
}

export interface ServiceGroup {
  /** `party`, `public`, `volunteer`, `community`, `convenience`, `culture_sports`. */
  id: string;
  zh: string;
  en: string;
  /** Item count stated in the document, e.g. 公共服务（15项）: checked against the items. */
  count: number;
}

export type ItemKind = 'place' | 'programme' | 'online';

export interface Item {
  /** Unique within the standard, e.g. `public-11`. */
  id: string;
  group: string;
  /** Number within its group as printed (1-based). */
  number: number;
  /** The Chinese name exactly as in the document. */
  zh: string;
  en: string;
  /** 牵头建设单位 / 指导单位 as printed (merged table cells resolved). */
  lead: string[];
  guiding: string[];
  /**
   * `place`: assessed by travel time to a facility of one of `categories`.
   * `programme` / `online`: assessed from what the community declares (`services` ids).
   */
  kind: ItemKind;
  categories?: string[];
  /** Why this kind / these categories, where it is a judgement. */
  note?: string;
}
