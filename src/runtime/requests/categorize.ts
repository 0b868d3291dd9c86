import { type CategoryExplanation, explainCategories } from '../../core/facilities/categorize.ts';
import { collectionFeatures, isProblem, readEnvelope } from '../../core/facilities/feature-input.ts';
import { crsOfMember } from '../../core/geo/crs.ts';
import { parseCrsParam } from './params.ts';

/** One feature's categories and how they were decided, in the request's order. */
export interface FeatureCategories extends CategoryExplanation {
  index: number;
  id: string;
  name?: string;
}

export interface CategorizeResponse {
  features: FeatureCategories[];
  counts: { features: number; mapped: number; unmapped: number; errors: number };
}

/**
 * POST /v1/categorize: the categories of each facility of a FeatureCollection, with the rule that
 * gave each and the exclusions that took some away, or why it counts for nothing — the explanation
 * coverage's `unmappedFacilities` counts by. Geometry is not read: this is about what a facility is,
 * not where. Bad features (not a Feature, a repeated id, an unknown `category`) are reported on the
 * feature, as coverage would leave them out; only a body that is not a FeatureCollection, or a `crs`
 * (member or `?crs=`) that names no system coverage reads, is an error.
 */
export function categorizeFeatures(input: unknown, opts: { crs?: unknown } = {}): CategorizeResponse {
  const features = collectionFeatures(input, 'body');
  // Geometry is not read here, but a crs that coverage would refuse is refused here too.
  parseCrsParam(opts.crs);
  crsOfMember((input as { crs?: unknown }).crs, 'body');
  const seen = new Map<string, number>();
  const counts = { features: features.length, mapped: 0, unmapped: 0, errors: 0 };
  const answers = features.map((raw, index): FeatureCategories => {
    const envelope = readEnvelope(raw, index, seen);
    if (isProblem(envelope)) {
      counts.errors++;
      return { index, id: envelope.id, categories: [], matched: [], excluded: [], warnings: [], error: envelope.message };
    }
    const explained = explainCategories(envelope.properties);
    if (explained.error !== undefined) counts.errors++;
    else if (explained.categories.length > 0) counts.mapped++;
    else counts.unmapped++;
    const name = envelope.properties.name;
    return { index, id: envelope.id, ...(typeof name === 'string' && name.trim() !== '' ? { name } : {}), ...explained };
  });
  return { features: answers, counts };
}
