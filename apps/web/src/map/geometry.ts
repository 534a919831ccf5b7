/** [lon, lat] */
export type LonLat = [number, number];

/** Every [lon, lat] position of a GeoJSON geometry. */
export function positionsOf(g: { type: string; coordinates?: unknown }): LonLat[] {
  const out: LonLat[] = [];
  const walk = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') out.push([c[0] as number, c[1] as number]);
    else if (Array.isArray(c)) c.forEach(walk);
  };
  walk(g.coordinates);
  return out;
}

/** [w, s, e, n] of a set of positions, or null when empty. */
export function boundsOf(points: LonLat[]): [number, number, number, number] | null {
  if (points.length === 0) return null;
  let w = Infinity;
  let s = Infinity;
  let e = -Infinity;
  let n = -Infinity;
  for (const [x, y] of points) {
    w = Math.min(w, x);
    e = Math.max(e, x);
    s = Math.min(s, y);
    n = Math.max(n, y);
  }
  return [w, s, e, n];
}

/** A representative point of a polygonal geometry: the vertex mean of its longest outer ring. */
export function labelPoint(g: { type: string; coordinates: unknown }): LonLat {
  const rings: LonLat[][] =
    g.type === 'Polygon' ? [(g.coordinates as LonLat[][])[0]] : g.type === 'MultiPolygon' ? (g.coordinates as LonLat[][][]).map((p) => p[0]) : [positionsOf(g)];
  const ring = rings.sort((a, b) => b.length - a.length)[0];
  const n = ring.length > 1 && ring[0][0] === ring[ring.length - 1][0] && ring[0][1] === ring[ring.length - 1][1] ? ring.length - 1 : ring.length;
  let x = 0;
  let y = 0;
  for (let i = 0; i < n; i++) {
    x += ring[i][0];
    y += ring[i][1];
  }
  return [x / n, y / n];
}
