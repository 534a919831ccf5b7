/** Minimal RFC 7946 GeoJSON types used across Tiandi. Positions are always [lon, lat] in WGS 84. */
export type LonLat = [number, number];
export interface Point {
  type: 'Point';
  coordinates: LonLat;
}
export interface LineString {
  type: 'LineString';
  coordinates: LonLat[];
}
export interface Polygon {
  type: 'Polygon';
  coordinates: LonLat[][];
}
export interface MultiPolygon {
  type: 'MultiPolygon';
  coordinates: LonLat[][][];
}
export interface MultiPoint {
  type: 'MultiPoint';
  coordinates: LonLat[];
}
export interface MultiLineString {
  type: 'MultiLineString';
  coordinates: LonLat[][];
}
export type Geometry = Point | LineString | Polygon | MultiPolygon | MultiPoint | MultiLineString;
/** A polygonal geometry: what zones, footprints, candidates and targets are. */
export type Polygonal = Polygon | MultiPolygon;
export interface Feature<G extends Geometry = Geometry, P = Record<string, unknown>> {
  type: 'Feature';
  id?: string | number;
  geometry: G;
  properties: P;
}
export interface FeatureCollection<G extends Geometry = Geometry, P = Record<string, unknown>> {
  type: 'FeatureCollection';
  features: Feature<G, P>[];
}

/** The polygons of a polygonal geometry as a list of ring lists. */
export function polygonsOf(g: Polygonal): LonLat[][][] {
  return g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
}

/** A MultiPolygon (or Polygon when there is exactly one part) from a list of polygons. */
export function polygonalFrom(polys: LonLat[][][]): Polygonal {
  return polys.length === 1 ? { type: 'Polygon', coordinates: polys[0] } : { type: 'MultiPolygon', coordinates: polys };
}

/** [minLon, minLat, maxLon, maxLat] of any geometry. */
export function bboxOf(g: Geometry): [number, number, number, number] {
  let a = Infinity,
    b = Infinity,
    c = -Infinity,
    d = -Infinity;
  const visit = (x: unknown): void => {
    if (typeof (x as number[])[0] === 'number') {
      const [lon, lat] = x as LonLat;
      if (lon < a) a = lon;
      if (lat < b) b = lat;
      if (lon > c) c = lon;
      if (lat > d) d = lat;
    } else for (const y of x as unknown[]) visit(y);
  };
  visit(g.coordinates);
  return [a, b, c, d];
}
