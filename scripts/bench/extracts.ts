/** The real OpenStreetMap extracts in ../shared/data that the benchmarks run on. */
export const EXTRACTS = [
  ['chengdu', 'chengdu/chengdu.osm.pbf'],
  ['guangzhou-yuexiu', 'guangzhou-yuexiu/Yuexiu_osm_roads_wgs84.geojson'],
  ['taipei-zhongshan', 'taipei-zhongshan/taipei-zhongshan.osm'],
  ['monaco', 'monaco/monaco.osm.pbf'],
  ['liechtenstein', 'liechtenstein/liechtenstein.osm.pbf'],
  ['north-bayreuth', 'north-bayreuth-rural/north-bayreuth.osm.gz'],
] as const;
