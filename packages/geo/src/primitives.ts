/**
 * @tiandi/geo/primitives — the dependency-free geometry primitives, for bundles that must stay light
 * (the phone's field view): point in polygon, the two intersection rules, the box polygon and the
 * great-circle distance. The same functions as the package root, without proj4, clipping or zod.
 */
export * from './point-in-polygon';
export * from './box-polygon';
export * from './polygons-intersect';
export * from './outlines-touch';
export { haversineM } from './geodesic-distance';
export type { LonLat, Polygon, MultiPolygon, Polygonal } from './geojson';
export { mulberry32 } from './mulberry32';
