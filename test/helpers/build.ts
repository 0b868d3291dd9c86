import type { FeatureCollection, LineString } from 'geojson';
import { GraphBuilder } from '../../src/core/network/build-graph.ts';
import type { Graph } from '../../src/core/network/graph.ts';
import type { Tags } from '../../src/core/network/raw-line.ts';

/** Builds a graph straight from LineString features (the GeoJSON reader is tested on its own). */
export function graphOf(fc: FeatureCollection<LineString>, minComponentNodes = 0): Graph {
  const builder = new GraphBuilder({ source: 'test', minComponentNodes });
  fc.features.forEach((f, i) => {
    const tags: Tags = {};
    let lengthM: number | undefined;
    for (const [k, v] of Object.entries(f.properties ?? {})) {
      if (k === 'length_m') lengthM = Number(v);
      else if (v !== null && v !== undefined) tags[k] = String(v);
    }
    builder.addLine({ coords: f.geometry.coordinates.flat(), tags, lengthM, ref: `feature ${i}` });
  });
  return builder.finish();
}
