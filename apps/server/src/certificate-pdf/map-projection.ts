import type { Geometry, Position } from 'geojson';

/** A box on the page in points: left, top, width, height. */
export interface PageBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Fits lon/lat geometry into a page box with a local equirectangular projection (x scaled by
 * cos of the mean latitude, so shapes keep their proportions at village scale) and returns
 * the function mapping [lon, lat] to page points (y down).
 */
export function fitProjection(geometries: Geometry[], box: PageBox, marginPt = 8): (p: Position) => [number, number] {
  let minLon = Infinity,
    minLat = Infinity,
    maxLon = -Infinity,
    maxLat = -Infinity;
  for (const g of geometries) {
    forEachPosition(g, ([lon, lat]) => {
      minLon = Math.min(minLon, lon);
      maxLon = Math.max(maxLon, lon);
      minLat = Math.min(minLat, lat);
      maxLat = Math.max(maxLat, lat);
    });
  }
  if (!Number.isFinite(minLon)) return () => [box.x + box.width / 2, box.y + box.height / 2];
  const k = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const spanX = Math.max((maxLon - minLon) * k, 1e-9);
  const spanY = Math.max(maxLat - minLat, 1e-9);
  const scale = Math.min((box.width - 2 * marginPt) / spanX, (box.height - 2 * marginPt) / spanY);
  const offX = box.x + (box.width - spanX * scale) / 2;
  const offY = box.y + (box.height - spanY * scale) / 2;
  return ([lon, lat]) => [offX + (lon - minLon) * k * scale, offY + (maxLat - lat) * scale];
}

/** Calls `fn` on every position of a geometry. */
export function forEachPosition(g: Geometry, fn: (p: Position) => void): void {
  switch (g.type) {
    case 'Point':
      fn(g.coordinates);
      break;
    case 'MultiPoint':
    case 'LineString':
      g.coordinates.forEach(fn);
      break;
    case 'MultiLineString':
    case 'Polygon':
      g.coordinates.forEach((r) => r.forEach(fn));
      break;
    case 'MultiPolygon':
      g.coordinates.forEach((p) => p.forEach((r) => r.forEach(fn)));
      break;
    case 'GeometryCollection':
      g.geometries.forEach((x) => forEachPosition(x, fn));
      break;
  }
}

/** The rings of a polygonal geometry (empty for other types). */
export function polygonRings(g: Geometry): Position[][] {
  if (g.type === 'Polygon') return g.coordinates;
  if (g.type === 'MultiPolygon') return g.coordinates.flat();
  if (g.type === 'GeometryCollection') return g.geometries.flatMap(polygonRings);
  return [];
}
