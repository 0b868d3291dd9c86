import { Type } from '@sinclair/typebox';
import { CATEGORY_IDS } from '../../../core/facilities/categories.ts';
import { EXCLUSIONS } from '../../../core/facilities/exclusions.ts';
import { checkedByCore } from '../../../runtime/requests/schema.ts';
import { FacilityFeatureCollection } from '../../../runtime/requests/geojson-schemas.ts';
import { refTo } from './ref.ts';

/** POST /v1/categorize: facilities in, each one's categories and their reasons out. */
export const CategorizeBody = checkedByCore(
  refTo(FacilityFeatureCollection, {
    description: 'the facilities, as for coverage: `category`, OSM tags or Amap `typecode`/`type`, and `name`; geometry is not read',
  }),
);

const CategoryId = Type.Unsafe<string>({ type: 'string', enum: [...CATEGORY_IDS] });

export const CategorizeAnswer = Type.Object(
  {
    features: Type.Array(
      Type.Object({
        index: Type.Number({ description: 'its position in the request' }),
        id: Type.String({ description: '`properties.id`, else the feature\'s `id`, else its index' }),
        name: Type.Optional(Type.String()),
        categories: Type.Array(CategoryId, { description: 'what it counts for; [] when nothing maps (`reason`) or on `error`' }),
        via: Type.Optional(Type.Unsafe<'category' | 'osm' | 'amap'>({ type: 'string', enum: ['category', 'osm', 'amap'], description: 'the source that decided' })),
        matched: Type.Array(
          Type.Object({
            source: Type.Unsafe<'category' | 'osm' | 'amap'>({ type: 'string', enum: ['category', 'osm', 'amap'] }),
            rule: Type.String({ description: 'the table row: `amenity=clinic|doctors`, `090300 诊所`' }),
            categories: Type.Array(CategoryId, { description: 'what the row gives by itself' }),
            names: Type.Optional(Type.Array(Type.Object({ word: Type.String(), category: CategoryId }), { description: 'name hints the row took: the word found, the category it adds' })),
            note: Type.Optional(Type.String({ description: 'why a row maps to nothing on purpose' })),
          }),
          { description: 'every rule that applied, of every source present' },
        ),
        excluded: Type.Array(
          Type.Object({
            rule: Type.Unsafe<string>({ type: 'string', enum: EXCLUSIONS.map((e) => e.id) }),
            why: Type.String(),
            categories: Type.Array(CategoryId, { description: 'what it took away' }),
            because: Type.String({ description: 'what in the feature made it apply: `name contains 宠物`, `access=private`' }),
          }),
          { description: 'exclusions that applied (docs/categories.md)' },
        ),
        reason: Type.Optional(Type.String({ description: 'why it counts for nothing: the text coverage\'s `unmappedFacilities.byReason` counts by' })),
        warnings: Type.Array(Type.String(), { description: 'data worth fixing that did not stop it: an Amap code of the wrong length, an empty name' }),
        error: Type.Optional(Type.String({ description: 'a feature coverage would leave out: not a Feature, a repeated id, an unknown `category` (with a did-you-mean)' })),
      }),
      { description: 'one per feature, in the request\'s order' },
    ),
    counts: Type.Object({ features: Type.Number(), mapped: Type.Number(), unmapped: Type.Number(), errors: Type.Number() }),
  },
  { description: 'Each facility\'s categories, with the rules that gave them and the exclusions that took some away.' },
);
