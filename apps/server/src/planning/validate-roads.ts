import { ServerError } from '../errors';

/** Most road vertices accepted in one network (a county's OSM roads have a few hundred thousand). */
export const MAX_ROAD_VERTICES = 5_000_000;

/**
 * Checks a road network for the planner: a GeoJSON FeatureCollection of LineString/MultiLineString
 * features whose coordinates are [lon, lat] positions (numbers in range, at least two per line).
 * One pass over the numbers, no copies; the first fault is a 400 naming its path
 * (e.g. `features.3.geometry.coordinates`).
 */
export function validateRoads(body: unknown, maxVertices = MAX_ROAD_VERTICES): { features: number; vertices: number } {
  const fail = (field: string, what: string): never => {
    throw new ServerError('TIANDI_E_VALIDATION', `${field}: ${what}`, { field });
  };
  if (!isObject(body) || body.type !== 'FeatureCollection') fail('type', '必须是 GeoJSON FeatureCollection must be a GeoJSON FeatureCollection');
  const features = (body as { features?: unknown }).features;
  if (!Array.isArray(features) || features.length === 0) fail('features', '至少需要一条道路 needs at least one road feature');
  let vertices = 0;
  (features as unknown[]).forEach((f, i) => {
    const at = `features.${i}`;
    if (!isObject(f) || f.type !== 'Feature') fail(`${at}.type`, "必须是 Feature must be 'Feature'");
    const g = (f as { geometry?: unknown }).geometry;
    if (!isObject(g)) fail(`${at}.geometry`, '缺少几何 missing geometry');
    const { type, coordinates } = g as { type?: unknown; coordinates?: unknown };
    if (type === 'LineString') vertices += checkLine(coordinates, `${at}.geometry.coordinates`, fail);
    else if (type === 'MultiLineString') {
      if (!Array.isArray(coordinates) || coordinates.length === 0) fail(`${at}.geometry.coordinates`, '必须是线的数组 must be an array of lines');
      (coordinates as unknown[]).forEach((line, j) => (vertices += checkLine(line, `${at}.geometry.coordinates.${j}`, fail)));
    } else
      fail(
        `${at}.geometry.type`,
        `道路必须是 LineString 或 MultiLineString roads must be LineString or MultiLineString, not ${JSON.stringify(type)?.slice(0, 40)}`,
      );
    const props = (f as { properties?: unknown }).properties;
    if (props !== undefined && props !== null && !isObject(props)) fail(`${at}.properties`, '必须是对象 must be an object or null');
    if (vertices > maxVertices) fail('features', `道路顶点过多 more than ${maxVertices} road vertices: clip the network to the survey area`);
  });
  return { features: (features as unknown[]).length, vertices };
}

function checkLine(line: unknown, field: string, fail: (field: string, what: string) => never): number {
  if (!Array.isArray(line) || line.length < 2) return fail(field, '线至少需要两个点 a line needs at least two [lon, lat] positions');
  for (let k = 0; k < line.length; k++) {
    const p = line[k] as unknown;
    if (!Array.isArray(p) || p.length < 2 || p.length > 3) fail(`${field}.${k}`, '坐标必须是 [lon, lat] a position must be [lon, lat]');
    const [lon, lat] = p as unknown[];
    if (typeof lon !== 'number' || typeof lat !== 'number' || !(lon >= -180 && lon <= 180) || !(lat >= -90 && lat <= 90)) {
      fail(`${field}.${k}`, `坐标超出范围 not a WGS 84 [lon, lat] position: ${JSON.stringify(p).slice(0, 60)}`);
    }
  }
  return line.length;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
