/**
 * @tiandi/planner — ground-inspection route planning. Browser-safe: no Node-only imports on this
 * entry (file I/O lives in the CLI). Main entry points:
 * - {@link buildNetwork}: road GeoJSON → routable network
 * - {@link targetsFromGeoJson}: candidates / targets GeoJSON → planning targets
 * - {@link planRoutes}: targets + teams (+ network) → {@link Plan}
 * - {@link planToGeoJson}, {@link planToGpx}, {@link planToKml}, {@link planToCsv}: exports
 * - {@link solveTsp}, {@link solveVrp}: the optimisers on a plain matrix
 */
export * from './errors';
export * from './random';
export * from './tsp/solve-tsp';
export * from './vrp/vrp-problem';
export * from './vrp/solve-vrp';
export * from './vrp/route-schedule';
export * from './network/highway-speeds';
export * from './network/build-network';
export * from './network/grid-roads';
export * from './network/locate';
export * from './network/dijkstra';
export * from './network/time-matrix';
export * from './network/leg-path';
export * from './network/osm-ways';
export * from './network/terrain';
export * from './network/dem-hgt';
export * from './plan/plan-types';
export * from './plan/targets-from-geojson';
export * from './plan/plan-routes';
export * from './plan/stop-info';
export * from './export/amap-uri';
export * from './export/format-clock';
export * from './export/plan-to-geojson';
export * from './export/plan-to-gpx';
export * from './export/plan-to-kml';
export * from './export/plan-to-csv';
export * from './export/plan-to-navigation-html';
export * from './plan/teams-from-json';
export * from './plan/plan-teams';
export * from './plan/plan-record';
export * from './plan/plan-inputs';
export * from './plan/service-time';
