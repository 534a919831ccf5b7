import type { LonLat } from '@tiandi/geo';
import { PlannerError } from '../errors';
import { DEFAULT_SPEEDS_KMH, FALLBACK_SPEED_KMH, FOOT_CLASSES, isAccessPointClass, isUsableWay, layerOf, onewayOf } from './highway-speeds';
import { waysFromGeoJson, type OsmWay } from './osm-ways';
import { slopeSpeedFactor, type ElevationAt } from './terrain';

/** Options of {@link buildNetwork}. */
export interface BuildNetworkOptions {
  /** Speeds (km/h) per `highway` class, merged over {@link DEFAULT_SPEEDS_KMH}. */
  speedsKmh?: Record<string, number>;
  /** Ground heights (a DEM): foot classes follow Tobler's hiking function, tracks slow down on slopes (not below half speed). */
  elevation?: ElevationAt;
}

/** A road between two junctions. `oneway` 1 means from → to only. */
export interface NetworkEdge {
  from: number;
  to: number;
  lengthM: number;
  /** Time from → to, and to → from (they differ on slopes with a DEM). */
  timeS: number;
  timeBackS: number;
  oneway: 0 | 1;
  highway: string;
  /** Index of the input way (GeoJSON feature or OSM way). */
  feature: number;
  /** Strongly connected component of both ends, -1 when the ends are in different ones (a one-way way out). */
  scc: number;
  /** Whether a place may join the network here: not a tunnel, bridge or motorway, on foot allowed. */
  access: 0 | 1;
  /** Geometry from `from` to `to` ([lon, lat], shape vertices included). */
  coords: LonLat[];
  /** Fraction of the edge's length at each vertex of `coords` (0 … 1). */
  coordT: number[];
  /** With terrain: time from `from` to each vertex, and from each vertex back to `from` (slopes are not uniform along a way). */
  cumTimeS?: number[];
  cumBackS?: number[];
}

/**
 * Times between an edge's `from` end and the point at fraction `t`: [from → point, point → from].
 * Uniform along the edge without terrain; with terrain interpolated between the vertices' times.
 */
export function edgeTimesAt(e: NetworkEdge, t: number): [number, number] {
  if (!e.cumTimeS || !e.cumBackS) return [t * e.timeS, t * e.timeBackS];
  const T = e.coordT;
  let k = 1;
  while (k < T.length - 1 && T[k] < t) k++;
  const span = T[k] - T[k - 1];
  const f = span > 0 ? Math.max(0, Math.min(1, (t - T[k - 1]) / span)) : 0;
  return [e.cumTimeS[k - 1] + f * (e.cumTimeS[k] - e.cumTimeS[k - 1]), e.cumBackS[k - 1] + f * (e.cumBackS[k] - e.cumBackS[k - 1])];
}

/** A routable network built by {@link buildNetwork}. Plain data: safe to pass to a worker. */
export interface RoadNetwork {
  /** Origin of the local metric plane used for snapping ([lon, lat]). */
  origin: LonLat;
  /** Metres per degree of longitude and latitude at the origin. */
  kx: number;
  ky: number;
  nodeCount: number;
  /** [lon, lat] per node, flattened. */
  nodeLonLat: Float64Array;
  edges: NetworkEdge[];
  /** Forward arcs in CSR form: arcs of node i are outStart[i] .. outStart[i+1]-1. */
  outStart: Int32Array;
  outTo: Int32Array;
  outTimeS: Float64Array;
  outLenM: Float64Array;
  outEdge: Int32Array;
  /** Weakly connected component of each node. */
  componentOf: Int32Array;
  /** Strongly connected component of each node; `mainScc` is the largest. */
  sccOf: Int32Array;
  mainScc: number;
  /** Straight pieces of the access edges in the local plane (ax, ay, bx, by each), for snapping. */
  segXY: Float64Array;
  /** Edge of each piece, and its fraction range along that edge (t0, t1 per piece). */
  segEdge: Int32Array;
  segT: Float64Array;
  /** Input features skipped (not LineString/MultiLineString or too short). */
  skipped: number;
  /** Ways left out as unusable (under construction, proposed, abandoned, raceway, private or no access). */
  excluded: number;
  /** Whether a DEM set the foot and track times. */
  terrain: boolean;
}

type RoadsInput = { type?: string; features?: unknown[] } | { ways: OsmWay[] };

/**
 * Builds the travel network from OpenStreetMap ways ({@link waysFromOsm}) or road GeoJSON LineStrings.
 * Ways meet only where they share a vertex: the same OSM node id when known, else the exact same
 * coordinate (inner vertices of bridges and tunnels also need the same layer). Lines that merely cross
 * or come close are not joined. Unusable ways (construction, proposed, abandoned, raceway, private) are
 * left out; `oneway` and roundabouts are honoured; speeds per `highway` class.
 * @example const net = buildNetwork(roads); // roads: FeatureCollection of LineStrings, or { ways }
 */
export function buildNetwork(roads: RoadsInput, options: BuildNetworkOptions = {}): RoadNetwork {
  let ways: OsmWay[];
  let skipped = 0;
  if (roads && 'ways' in roads && Array.isArray(roads.ways)) ways = roads.ways;
  else ({ ways, skipped } = waysFromGeoJson(roads as never));
  const usable = ways.map((w) => isUsableWay(w.tags));
  const excluded = usable.filter((u) => !u).length;
  if (!usable.some(Boolean)) throw new PlannerError('TIANDI_E_ROADS', '路网中没有可用的线 no usable road, track or path in the road network');
  const speeds = { ...DEFAULT_SPEEDS_KMH, ...(options.speedsKmh ?? {}) };

  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  ways.forEach((w, i) => { if (usable[i]) for (const [x, y] of w.coords) { minX = Math.min(minX, x); maxX = Math.max(maxX, x); minY = Math.min(minY, y); maxY = Math.max(maxY, y); } });
  const origin: LonLat = [(minX + maxX) / 2, (minY + maxY) / 2];
  const { kx, ky } = metresPerDegree(origin[1]);

  // Vertex keys: where two ways (or one way twice) use the same key, they meet.
  const keys: string[][] = ways.map((w, i) => (usable[i] ? w.coords.map((_, k) => vertexKey(w, k)) : []));
  const uses = new Map<string, number>();
  for (const ks of keys) for (const k of ks) uses.set(k, (uses.get(k) ?? 0) + 1);
  const nodeId = new Map<string, number>();
  const nodeXY: number[] = [];
  const nodeOf = (k: string, p: LonLat): number => {
    let id = nodeId.get(k);
    if (id === undefined) { id = nodeXY.length / 2; nodeId.set(k, id); nodeXY.push(p[0], p[1]); }
    return id;
  };

  // Edges: each way split at its junctions and ends.
  const edges: NetworkEdge[] = [];
  ways.forEach((w, wi) => {
    if (!usable[wi]) return;
    const hw = String(w.tags.highway ?? 'road');
    const kmh = speeds[hw] ?? FALLBACK_SPEED_KMH;
    const ow = onewayOf(w.tags);
    const ks = keys[wi];
    const wk = metresPerDegree(w.coords[0][1]);
    const terrainFloor = FOOT_CLASSES.has(hw) ? 0 : hw === 'track' ? 0.5 : null;
    let start = 0;
    for (let k = 1; k < w.coords.length; k++) {
      if (k < w.coords.length - 1 && (uses.get(ks[k]) ?? 0) < 2) continue;
      let coords = w.coords.slice(start, k + 1);
      let a = nodeOf(ks[start], w.coords[start]), b = nodeOf(ks[k], w.coords[k]);
      start = k;
      if (ow === -1) { coords = coords.reverse(); [a, b] = [b, a]; }
      const cum = [0];
      for (let j = 1; j < coords.length; j++) cum.push(cum[j - 1] + Math.hypot((coords[j][0] - coords[j - 1][0]) * wk.kx, (coords[j][1] - coords[j - 1][1]) * wk.ky));
      const lengthM = cum[cum.length - 1];
      if (lengthM <= 0 && a === b) continue;
      let timeS = lengthM / (kmh / 3.6), timeBackS = timeS;
      let slope: { cumTimeS: number[]; cumBackS: number[] } | null = null;
      if (options.elevation && terrainFloor !== null) {
        slope = { cumTimeS: [0], cumBackS: [0] };
        for (let j = 1; j < coords.length; j++) {
          const d = cum[j] - cum[j - 1];
          const t = d / (kmh / 3.6);
          slope.cumTimeS.push(slope.cumTimeS[j - 1] + t / slopeSpeedFactor(coords[j - 1], coords[j], d, options.elevation, terrainFloor));
          slope.cumBackS.push(slope.cumBackS[j - 1] + t / slopeSpeedFactor(coords[j], coords[j - 1], d, options.elevation, terrainFloor));
        }
        timeS = slope.cumTimeS[coords.length - 1];
        timeBackS = slope.cumBackS[coords.length - 1];
      }
      edges.push({
        from: a, to: b, lengthM, timeS, timeBackS, oneway: ow ? 1 : 0, highway: hw, feature: wi, scc: -1,
        access: isAccessPointClass(w.tags) ? 1 : 0, coords, coordT: cum.map((c) => (lengthM > 0 ? c / lengthM : 0)), ...(slope ?? {}),
      });
    }
  });
  const nodeCount = nodeXY.length / 2;

  // CSR arcs (each two-way edge gives a reverse arc with its own time).
  const deg = new Int32Array(nodeCount + 1);
  for (const e of edges) { deg[e.from]++; if (!e.oneway) deg[e.to]++; }
  const outStart = new Int32Array(nodeCount + 1);
  for (let i = 0; i < nodeCount; i++) outStart[i + 1] = outStart[i] + deg[i];
  const m = outStart[nodeCount];
  const outTo = new Int32Array(m), outEdge = new Int32Array(m);
  const outTimeS = new Float64Array(m), outLenM = new Float64Array(m);
  const fill = outStart.slice(0, nodeCount);
  const addArc = (a: number, b: number, e: number, t: number): void => {
    const k = fill[a]++;
    outTo[k] = b; outEdge[k] = e; outTimeS[k] = t; outLenM[k] = edges[e].lengthM;
  };
  edges.forEach((e, i) => { addArc(e.from, e.to, i, e.timeS); if (!e.oneway) addArc(e.to, e.from, i, e.timeBackS); });

  // Weak components.
  const comp = Int32Array.from({ length: nodeCount }, (_, i) => i);
  const cfind = (x: number): number => { while (comp[x] !== x) x = comp[x] = comp[comp[x]]; return x; };
  for (const e of edges) { const a = cfind(e.from), b = cfind(e.to); if (a !== b) comp[Math.max(a, b)] = Math.min(a, b); }
  const componentOf = new Int32Array(nodeCount);
  for (let i = 0; i < nodeCount; i++) componentOf[i] = cfind(i);

  const sccOf = stronglyConnected(nodeCount, outStart, outTo);
  const sccSize = new Map<number, number>();
  for (let i = 0; i < nodeCount; i++) sccSize.set(sccOf[i], (sccSize.get(sccOf[i]) ?? 0) + 1);
  let mainScc = -1, best = 0;
  for (const [c, s] of sccSize) if (s > best || (s === best && c < mainScc)) { best = s; mainScc = c; }
  for (const e of edges) e.scc = sccOf[e.from] === sccOf[e.to] && (sccSize.get(sccOf[e.from]) ?? 0) > 1 ? sccOf[e.from] : -1;

  const nodeLonLat = Float64Array.from(nodeXY);
  // Snapping segments: the straight pieces of access edges that are part of a strongly connected component.
  const seg: number[] = [], segE: number[] = [], segTT: number[] = [];
  const toX = (p: LonLat): number => (p[0] - origin[0]) * kx, toY = (p: LonLat): number => (p[1] - origin[1]) * ky;
  edges.forEach((e, i) => {
    if (!e.access || e.scc < 0) return;
    for (let k = 0; k + 1 < e.coords.length; k++) {
      seg.push(toX(e.coords[k]), toY(e.coords[k]), toX(e.coords[k + 1]), toY(e.coords[k + 1]));
      segE.push(i);
      segTT.push(e.coordT[k], e.coordT[k + 1]);
    }
  });
  return {
    origin, kx, ky, nodeCount, nodeLonLat, edges, outStart, outTo, outTimeS, outLenM, outEdge, componentOf, sccOf, mainScc,
    segXY: Float64Array.from(seg), segEdge: Int32Array.from(segE), segT: Float64Array.from(segTT), skipped, excluded, terrain: !!options.elevation,
  };
}

/** Key of a way's k-th vertex: its OSM node id, else its exact coordinate (plus the layer for inner vertices of bridges and tunnels). */
function vertexKey(w: OsmWay, k: number): string {
  if (w.nodes) return `n${w.nodes[k]}`;
  const [x, y] = w.coords[k];
  const layer = layerOf(w.tags);
  return k > 0 && k < w.coords.length - 1 && layer !== 0 ? `${x},${y}|${layer}` : `${x},${y}`;
}

/** Tarjan's strongly connected components, iterative; returns a component id per node. */
export function stronglyConnected(n: number, outStart: Int32Array, outTo: Int32Array): Int32Array {
  const index = new Int32Array(n).fill(-1), low = new Int32Array(n), onStack = new Uint8Array(n), comp = new Int32Array(n).fill(-1);
  const stack: number[] = [], callV: number[] = [], callA: number[] = [];
  let next = 0;
  for (let s = 0; s < n; s++) {
    if (index[s] >= 0) continue;
    callV.push(s); callA.push(outStart[s]);
    index[s] = low[s] = next++; stack.push(s); onStack[s] = 1;
    while (callV.length) {
      const v = callV[callV.length - 1];
      const a = callA[callA.length - 1];
      if (a < outStart[v + 1]) {
        callA[callA.length - 1] = a + 1;
        const w = outTo[a];
        if (index[w] < 0) { index[w] = low[w] = next++; stack.push(w); onStack[w] = 1; callV.push(w); callA.push(outStart[w]); }
        else if (onStack[w]) low[v] = Math.min(low[v], index[w]);
        continue;
      }
      callV.pop(); callA.pop();
      if (callV.length) { const u = callV[callV.length - 1]; low[u] = Math.min(low[u], low[v]); }
      if (low[v] === index[v]) {
        for (;;) { const w = stack.pop()!; onStack[w] = 0; comp[w] = v; if (w === v) break; }
      }
    }
  }
  return comp;
}

/** Metres per degree of longitude and latitude at a latitude (WGS 84 radii of curvature). */
export function metresPerDegree(latDeg: number): { kx: number; ky: number } {
  const a = 6378137;
  const e2 = 0.00669437999014;
  const phi = (latDeg * Math.PI) / 180;
  const w = Math.sqrt(1 - e2 * Math.sin(phi) ** 2);
  const N = a / w;
  const M = (a * (1 - e2)) / (w * w * w);
  return { kx: (N * Math.cos(phi) * Math.PI) / 180, ky: (M * Math.PI) / 180 };
}
