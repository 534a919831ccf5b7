import type { LonLat } from '@tiandi/geo';
import type { NetworkEdge } from './build-network';
import { FALLBACK_SPEED_KMH, FOOT_CLASSES, isAccessPointClass, layerOf, onewayOf } from './highway-speeds';
import type { OsmWay } from './osm-ways';
import { slopeSpeedFactor, type ElevationAt } from './terrain';
import { metresPerDegree } from './metres-per-degree';

/** The junctions of the usable ways: node ids by vertex key, and each node's [lon, lat] (flattened). */
export interface Junctions {
  /** Per way, the key of each vertex (empty for unusable ways). */
  keys: string[][];
  /** How many way vertices use each key: 2 or more is a junction. */
  uses: Map<string, number>;
  /** The node of a key, created at `p` on first use. */
  nodeOf(k: string, p: LonLat): number;
  nodeXY: number[];
}

/** Vertex keys of the usable ways: where two ways (or one way twice) use the same key, they meet. */
export function junctions(ways: OsmWay[], usable: boolean[]): Junctions {
  const keys: string[][] = ways.map((w, i) => (usable[i] ? w.coords.map((_, k) => vertexKey(w, k)) : []));
  const uses = new Map<string, number>();
  for (const ks of keys) for (const k of ks) uses.set(k, (uses.get(k) ?? 0) + 1);
  const nodeId = new Map<string, number>();
  const nodeXY: number[] = [];
  const nodeOf = (k: string, p: LonLat): number => {
    let id = nodeId.get(k);
    if (id === undefined) {
      id = nodeXY.length / 2;
      nodeId.set(k, id);
      nodeXY.push(p[0], p[1]);
    }
    return id;
  };
  return { keys, uses, nodeOf, nodeXY };
}

/** Key of a way's k-th vertex: its OSM node id, else its exact coordinate (plus the layer for inner vertices of bridges and tunnels). */
function vertexKey(w: OsmWay, k: number): string {
  if (w.nodes) return `n${w.nodes[k]}`;
  const [x, y] = w.coords[k];
  const layer = layerOf(w.tags);
  return k > 0 && k < w.coords.length - 1 && layer !== 0 ? `${x},${y}|${layer}` : `${x},${y}`;
}

/** Each usable way cut at its junctions and ends into edges, timed at its class's speed (and the slope, with a DEM). */
export function splitWays(ways: OsmWay[], usable: boolean[], j: Junctions, speeds: Record<string, number>, elevation: ElevationAt | undefined): NetworkEdge[] {
  const edges: NetworkEdge[] = [];
  ways.forEach((w, wi) => {
    if (!usable[wi]) return;
    const ks = j.keys[wi];
    let start = 0;
    for (let k = 1; k < w.coords.length; k++) {
      if (k < w.coords.length - 1 && (j.uses.get(ks[k]) ?? 0) < 2) continue;
      const e = wayPiece(w, wi, start, k, j, speeds, elevation);
      start = k;
      if (e) edges.push(e);
    }
  });
  return edges;
}

/** The edge along way `w` from vertex `start` to `k` (reversed for `oneway=-1`); null for a zero-length loop. */
function wayPiece(
  w: OsmWay,
  wi: number,
  start: number,
  k: number,
  j: Junctions,
  speeds: Record<string, number>,
  elevation: ElevationAt | undefined,
): NetworkEdge | null {
  const hw = String(w.tags.highway ?? 'road');
  const kmh = speeds[hw] ?? FALLBACK_SPEED_KMH;
  const ow = onewayOf(w.tags);
  const wk = metresPerDegree(w.coords[0][1]);
  const terrainFloor = FOOT_CLASSES.has(hw) ? 0 : hw === 'track' ? 0.5 : null;
  let coords = w.coords.slice(start, k + 1);
  let a = j.nodeOf(j.keys[wi][start], w.coords[start]),
    b = j.nodeOf(j.keys[wi][k], w.coords[k]);
  if (ow === -1) {
    coords = coords.reverse();
    [a, b] = [b, a];
  }
  const cum = [0];
  for (let q = 1; q < coords.length; q++)
    cum.push(cum[q - 1] + Math.hypot((coords[q][0] - coords[q - 1][0]) * wk.kx, (coords[q][1] - coords[q - 1][1]) * wk.ky));
  const lengthM = cum[cum.length - 1];
  if (lengthM <= 0 && a === b) return null;
  let timeS = lengthM / (kmh / 3.6),
    timeBackS = timeS;
  const slope = elevation && terrainFloor !== null ? slopeTimes(coords, cum, kmh, elevation, terrainFloor) : null;
  if (slope) {
    timeS = slope.cumTimeS[coords.length - 1];
    timeBackS = slope.cumBackS[coords.length - 1];
  }
  return {
    from: a,
    to: b,
    lengthM,
    timeS,
    timeBackS,
    oneway: ow ? 1 : 0,
    highway: hw,
    feature: wi,
    scc: -1,
    access: isAccessPointClass(w.tags) ? 1 : 0,
    coords,
    coordT: cum.map((c) => (lengthM > 0 ? c / lengthM : 0)),
    ...(slope ?? {}),
  };
}

/** Cumulative times along the piece both ways, each stretch slowed by its slope (not below `floor` of the speed). */
function slopeTimes(coords: LonLat[], cum: number[], kmh: number, elevation: ElevationAt, floor: number): { cumTimeS: number[]; cumBackS: number[] } {
  const slope = { cumTimeS: [0], cumBackS: [0] };
  for (let q = 1; q < coords.length; q++) {
    const d = cum[q] - cum[q - 1];
    const t = d / (kmh / 3.6);
    slope.cumTimeS.push(slope.cumTimeS[q - 1] + t / slopeSpeedFactor(coords[q - 1], coords[q], d, elevation, floor));
    slope.cumBackS.push(slope.cumBackS[q - 1] + t / slopeSpeedFactor(coords[q], coords[q - 1], d, elevation, floor));
  }
  return slope;
}
