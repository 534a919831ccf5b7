import * as clip from 'polyclip-ts';
import { polygonsOf, type LonLat, type Polygonal } from './geojson';
import { geodesicAreaM2 } from './geodesic-area';

type Geom = clip.Geom;

/** Coordinates snapped to 1e-10° (~0.01 mm) so nearly-equal vertices from different files coincide exactly. */
function snap(g: Polygonal): Geom {
  const s = (v: number) => Math.round(v * 1e10) / 1e10;
  return polygonsOf(g).map((poly) => poly.map((ring) => ring.map(([x, y]) => [s(x), s(y)] as [number, number]))) as Geom;
}

function toPolygonal(mp: [number, number][][][]): Polygonal | null {
  const polys = mp.filter((p) => p.length > 0 && p[0].length >= 4) as LonLat[][][];
  if (polys.length === 0) return null;
  return { type: 'MultiPolygon', coordinates: polys };
}

/** Union of polygonal geometries (robust: polyclip-ts), or null when empty. */
export function unionAll(geoms: Polygonal[]): Polygonal | null {
  if (geoms.length === 0) return null;
  const [first, ...rest] = geoms.map(snap);
  return toPolygonal(clip.union(first, ...rest) as [number, number][][][]);
}

/** Intersection of two polygonal geometries, or null when they do not overlap. */
export function intersect(a: Polygonal, b: Polygonal): Polygonal | null {
  return toPolygonal(clip.intersection(snap(a), snap(b)) as [number, number][][][]);
}

/** `a` minus `b`, or null when nothing is left. */
export function subtract(a: Polygonal, b: Polygonal): Polygonal | null {
  return toPolygonal(clip.difference(snap(a), snap(b)) as [number, number][][][]);
}

/** Geodesic area in m² of the overlap of `a` and `b` (0 when disjoint). */
export function overlapAreaM2(a: Polygonal, b: Polygonal): number {
  const i = intersect(a, b);
  return i ? geodesicAreaM2(i) : 0;
}
