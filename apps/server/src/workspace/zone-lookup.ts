import { bboxOf, pointInPolygonal, polygonsOf, type Polygonal } from '@tiandi/geo';

type LonLat = [number, number];

/** A representative point of a polygonal geometry: the vertex mean of its largest outer ring. */
export function labelPoint(g: Polygonal): LonLat {
  const rings = polygonsOf(g).map((p) => p[0]);
  const ring = rings.sort((a, b) => b.length - a.length)[0];
  const n = ring.length > 1 ? ring.length - 1 : ring.length;
  let x = 0;
  let y = 0;
  for (let i = 0; i < n; i++) {
    x += ring[i][0];
    y += ring[i][1];
  }
  return [x / n, y / n];
}

/**
 * A lookup from a point to the most specific zone containing it (village before township before
 * county), with bounding boxes checked first.
 */
export function zoneLookup(
  zones: { zoneId: string; name: string | null; namePinyin?: string | null; level: string; geometry: Polygonal }[],
): (p: LonLat) => { zoneId: string; name: string | null; namePinyin: string | null; level: string } | null {
  const rank: Record<string, number> = { village: 0, township: 1, county: 2 };
  const sorted = [...zones].sort((a, b) => (rank[a.level] ?? 9) - (rank[b.level] ?? 9)).map((z) => ({ z, bb: bboxOf(z.geometry) }));
  return (p) => {
    for (const { z, bb } of sorted) {
      if (p[0] < bb[0] || p[0] > bb[2] || p[1] < bb[1] || p[1] > bb[3]) continue;
      if (pointInPolygonal(p, z.geometry)) return { zoneId: z.zoneId, name: z.name, namePinyin: z.namePinyin ?? null, level: z.level };
    }
    return null;
  };
}
