/** Earth radius of the spherical Web Mercator projection (EPSG:3857), metres. */
export const MERCATOR_R = 6378137;
/** Ground size of one pixel of a 256-px tile at zoom 0 on the equator, metres. */
export const Z0_RES_M = (2 * Math.PI * MERCATOR_R) / 256;

/** Web Mercator [x, y] metres → [lon, lat] degrees. */
export function mercatorToLonLat(x: number, y: number): [number, number] {
  return [(x / MERCATOR_R) * (180 / Math.PI), (2 * Math.atan(Math.exp(y / MERCATOR_R)) - Math.PI / 2) * (180 / Math.PI)];
}

/** [lon, lat] degrees → Web Mercator [x, y] metres. */
export function lonLatToMercator(lon: number, lat: number): [number, number] {
  const clamped = Math.max(-85.05112878, Math.min(85.05112878, lat));
  return [(lon * Math.PI * MERCATOR_R) / 180, MERCATOR_R * Math.log(Math.tan(Math.PI / 4 + (clamped * Math.PI) / 360))];
}

/** Web Mercator bounds [minX, minY, maxX, maxY] (metres) of XYZ tile z/x/y (y down from the north). */
export function tileBoundsMercator(z: number, x: number, y: number): [number, number, number, number] {
  const size = (2 * Math.PI * MERCATOR_R) / 2 ** z;
  const minX = -Math.PI * MERCATOR_R + x * size;
  const maxY = Math.PI * MERCATOR_R - y * size;
  return [minX, maxY - size, minX + size, maxY];
}

/** True when z/x/y names a tile that exists (0 ≤ x, y < 2^z, 0 ≤ z ≤ 30). */
export function isValidTile(z: number, x: number, y: number): boolean {
  if (![z, x, y].every(Number.isInteger) || z < 0 || z > 30) return false;
  const n = 2 ** z;
  return x >= 0 && y >= 0 && x < n && y < n;
}

/** The zoom at which a 256-px tile pixel is `resM` metres on the ground at latitude `lat` (fractional). */
export function zoomForResolution(resM: number, lat: number): number {
  return Math.log2((Z0_RES_M * Math.cos((lat * Math.PI) / 180)) / resM);
}

/** Whether two [w, s, e, n] boxes overlap. */
export function boxesOverlap(a: readonly number[], b: readonly number[]): boolean {
  return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
}

/** [w, s, e, n] in degrees of tile z/x/y. */
export function tileBoundsLonLat(z: number, x: number, y: number): [number, number, number, number] {
  const [minX, minY, maxX, maxY] = tileBoundsMercator(z, x, y);
  const [w, s] = mercatorToLonLat(minX, minY);
  const [e, n] = mercatorToLonLat(maxX, maxY);
  return [w, s, e, n];
}

/** XYZ tile [x, y] holding [lon, lat] at zoom z (y down from the north). */
export function tileAt(lon: number, lat: number, z: number): [number, number] {
  const k = 2 ** z;
  const r = (lat * Math.PI) / 180;
  return [Math.floor(((lon + 180) / 360) * k), Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * k)];
}

/** Every tile z/x/y of zooms z0..z1 over a [w, s, e, n] box in degrees, as `[z, x, y]`. */
export function tilesOver([w, s, e, n]: readonly number[], z0: number, z1: number): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (let z = z0; z <= z1; z++) {
    const [x0, y0] = tileAt(w, n, z);
    const [x1, y1] = tileAt(e, s, z);
    for (let x = x0; x <= x1; x++) for (let y = y0; y <= y1; y++) out.push([z, x, y]);
  }
  return out;
}
