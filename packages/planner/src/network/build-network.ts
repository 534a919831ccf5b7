import type { LonLat } from '@tiandi/geo';
import { PlannerError } from '../errors';
import { DEFAULT_SPEEDS_KMH, FALLBACK_SPEED_KMH, FOOT_CLASSES, onewayOf } from './highway-speeds';
import { contractChains, type RawEdge } from './contract-chains';
import { SegmentGrid } from './segment-grid';

/** Options of {@link buildNetwork}. */
export interface BuildNetworkOptions {
  /** Line ends and crossings closer than this are joined (metres). Default 5. */
  snapToleranceM?: number;
  /** Speeds (km/h) per `highway` class, merged over {@link DEFAULT_SPEEDS_KMH}. */
  speedsKmh?: Record<string, number>;
}

/** A road between two junctions (chains of shape vertices merged). `oneway` 1 means from → to only. */
export interface NetworkEdge {
  from: number;
  to: number;
  lengthM: number;
  timeS: number;
  oneway: 0 | 1;
  highway: string;
  /** Index of the input feature. */
  feature: number;
  /** Geometry from `from` to `to` ([lon, lat], shape vertices included). */
  coords: LonLat[];
  /** Fraction of the edge's length at each vertex of `coords` (0 … 1). */
  coordT: number[];
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
  /** Straight pieces of the edges in the local plane (ax, ay, bx, by each), for snapping. */
  segXY: Float64Array;
  /** Edge of each piece, and its fraction range along that edge (t0, t1 per piece). */
  segEdge: Int32Array;
  segT: Float64Array;
  /** Number of input features skipped (not LineString/MultiLineString or too short). */
  skipped: number;
}

interface RoadFeature {
  type?: string;
  geometry?: { type?: string; coordinates?: unknown } | null;
  properties?: Record<string, unknown> | null;
}

/**
 * Builds the travel network from road and track GeoJSON LineStrings (OSM `highway` classes mapped to
 * speeds, one-way where tagged), noded where lines cross or where a line ends within the snapping
 * tolerance of another line or node. Crossings where exactly one line is a bridge or tunnel are not joined.
 * @example const net = buildNetwork(roads); // roads: FeatureCollection of LineStrings
 */
export function buildNetwork(roads: { type?: string; features?: RoadFeature[] }, options: BuildNetworkOptions = {}): RoadNetwork {
  if (!roads || roads.type !== 'FeatureCollection' || !Array.isArray(roads.features))
    throw new PlannerError('TIANDI_E_ROADS', '路网应为 GeoJSON FeatureCollection road network must be a GeoJSON FeatureCollection of LineStrings');
  const tol = options.snapToleranceM ?? 5;
  const speeds = { ...DEFAULT_SPEEDS_KMH, ...(options.speedsKmh ?? {}) };

  // Lines in lon/lat with their feature index.
  const lines: { coords: LonLat[]; feature: number }[] = [];
  let skipped = 0;
  roads.features.forEach((f, i) => {
    const g = f?.geometry;
    const parts = g?.type === 'LineString' ? [g.coordinates] : g?.type === 'MultiLineString' ? (g.coordinates as unknown[]) : null;
    if (!parts) return void skipped++;
    for (const part of parts) {
      if (!Array.isArray(part) || part.length < 2 || !part.every(isLonLat)) { skipped++; continue; }
      lines.push({ coords: part as LonLat[], feature: i });
    }
  });
  if (lines.length === 0) throw new PlannerError('TIANDI_E_ROADS', '路网中没有可用的线 no usable LineString in the road network');

  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const l of lines) for (const [x, y] of l.coords) { minX = Math.min(minX, x); maxX = Math.max(maxX, x); minY = Math.min(minY, y); maxY = Math.max(maxY, y); }
  const origin: LonLat = [(minX + maxX) / 2, (minY + maxY) / 2];
  const { kx, ky } = metresPerDegree(origin[1]);
  const toXY = (p: LonLat): [number, number] => [(p[0] - origin[0]) * kx, (p[1] - origin[1]) * ky];

  // Segments.
  const segLine: number[] = [];
  const segIdx: number[] = [];
  const inXY: number[] = [];
  const lineXY = lines.map((l) => l.coords.map(toXY));
  lineXY.forEach((xy, li) => {
    for (let k = 0; k + 1 < xy.length; k++) {
      segLine.push(li);
      segIdx.push(k);
      inXY.push(xy[k][0], xy[k][1], xy[k + 1][0], xy[k + 1][1]);
    }
  });
  const S = segLine.length;
  const sxy = Float64Array.from(inXY);
  const grid = new SegmentGrid(Math.max(50, 4 * tol), sxy);
  const splits: { t: number; x: number; y: number }[][] = Array.from({ length: S }, () => []);
  const layerOf = (li: number): string => {
    const p = roads.features![lines[li].feature]?.properties ?? {};
    return p.bridge && p.bridge !== 'no' ? 'bridge' : p.tunnel && p.tunnel !== 'no' ? 'tunnel' : '';
  };

  // Proper crossings: candidate pairs share a grid cell.
  const near = new Set<number>();
  for (const [a, b] of grid.pairs()) {
    if (segLine[a] === segLine[b] && Math.abs(segIdx[a] - segIdx[b]) <= 1) continue;
    if (layerOf(segLine[a]) !== layerOf(segLine[b])) continue;
    const hit = intersect(sxy, a, b);
    if (!hit) continue;
    splits[a].push({ t: hit[0], x: hit[2], y: hit[3] });
    splits[b].push({ t: hit[1], x: hit[2], y: hit[3] });
  }
  // Line ends close to another line: split that line at the projection.
  lineXY.forEach((xy, li) => {
    for (const [px, py] of [xy[0], xy[xy.length - 1]]) {
      near.clear();
      grid.near(px, py, tol, near);
      for (const s of near) {
        if (segLine[s] === li && (segIdx[s] === 0 || segIdx[s] === xy.length - 2)) continue;
        const ax = sxy[4 * s], ay = sxy[4 * s + 1], bx = sxy[4 * s + 2], by = sxy[4 * s + 3];
        const dx = bx - ax, dy = by - ay;
        const L2 = dx * dx + dy * dy;
        const t = L2 > 0 ? Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / L2)) : 0;
        const qx = ax + t * dx, qy = ay + t * dy;
        if (Math.hypot(qx - px, qy - py) <= tol) splits[s].push({ t, x: qx, y: qy });
      }
    }
  });

  // Points along each line (vertices + splits), then merge points within tolerance.
  const px: number[] = [];
  const py: number[] = [];
  const linePts: number[][] = lineXY.map(() => []);
  let s = 0;
  lineXY.forEach((xy, li) => {
    const seq = linePts[li];
    for (let k = 0; k < xy.length; k++) {
      seq.push(px.length);
      px.push(xy[k][0]);
      py.push(xy[k][1]);
      if (k + 1 < xy.length) {
        for (const sp of splits[s].sort((u, v) => u.t - v.t)) {
          seq.push(px.length);
          px.push(sp.x);
          py.push(sp.y);
        }
        s++;
      }
    }
  });
  const P = px.length;
  const parent = Int32Array.from({ length: P }, (_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]];
    return x;
  };
  {
    const cell = Math.max(tol, 1e-6);
    const buckets = new Map<string, number[]>();
    for (let i = 0; i < P; i++) {
      const cx = Math.floor(px[i] / cell), cy = Math.floor(py[i] / cell);
      for (let dx = -1; dx <= 1; dx++) for (let dy = -1; dy <= 1; dy++) {
        const list = buckets.get(`${cx + dx},${cy + dy}`);
        if (!list) continue;
        for (const j of list) if (Math.hypot(px[i] - px[j], py[i] - py[j]) <= tol) {
          const ri = find(i), rj = find(j);
          if (ri !== rj) parent[Math.max(ri, rj)] = Math.min(ri, rj);
        }
      }
      const k = `${cx},${cy}`;
      const list = buckets.get(k);
      if (list) list.push(i); else buckets.set(k, [i]);
    }
  }
  const nodeOf = new Int32Array(P).fill(-1);
  const nodeXY: number[] = [];
  for (let i = 0; i < P; i++) {
    const r = find(i);
    if (nodeOf[r] < 0) { nodeOf[r] = nodeXY.length / 2; nodeXY.push(px[r], py[r]); }
    nodeOf[i] = nodeOf[r];
  }

  // Pieces between consecutive nodes, then chains through shape vertices merged into edges.
  const pieces: RawEdge[] = [];
  const seen = new Set<string>();
  lines.forEach((l, li) => {
    const props = roads.features![l.feature]?.properties ?? {};
    const hw = String(props.highway ?? 'road');
    const kmh = speeds[hw] ?? FALLBACK_SPEED_KMH;
    const ow = onewayOf(props);
    const seq = linePts[li];
    for (let k = 0; k + 1 < seq.length; k++) {
      let a = nodeOf[seq[k]], b = nodeOf[seq[k + 1]];
      if (a === b) continue;
      if (ow === -1) [a, b] = [b, a];
      const key = ow ? `${a}>${b}|${hw}` : `${Math.min(a, b)}-${Math.max(a, b)}|${hw}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const lengthM = Math.hypot(nodeXY[2 * a] - nodeXY[2 * b], nodeXY[2 * a + 1] - nodeXY[2 * b + 1]);
      pieces.push({ from: a, to: b, lengthM, timeS: lengthM / (kmh / 3.6), oneway: ow ? 1 : 0, highway: hw, feature: l.feature, via: [a, b] });
    }
  });
  void FOOT_CLASSES;
  const contracted = contractChains(nodeXY.length / 2, pieces);
  const allXY = nodeXY;
  const nodeCount = contracted.keep.length;
  const edges: NetworkEdge[] = contracted.edges.map((e) => {
    const coords: LonLat[] = e.via.map((v) => [origin[0] + allXY[2 * v] / kx, origin[1] + allXY[2 * v + 1] / ky]);
    const cum = [0];
    for (let k = 1; k < e.via.length; k++) cum.push(cum[k - 1] + Math.hypot(allXY[2 * e.via[k]] - allXY[2 * e.via[k - 1]], allXY[2 * e.via[k] + 1] - allXY[2 * e.via[k - 1] + 1]));
    const total = cum[cum.length - 1] || 1;
    return { from: e.from, to: e.to, lengthM: e.lengthM, timeS: e.timeS, oneway: e.oneway, highway: e.highway, feature: e.feature, coords, coordT: cum.map((c) => c / total) };
  });

  // CSR arcs.
  const deg = new Int32Array(nodeCount + 1);
  for (const e of edges) { deg[e.from]++; if (!e.oneway) deg[e.to]++; }
  const outStart = new Int32Array(nodeCount + 1);
  for (let i = 0; i < nodeCount; i++) outStart[i + 1] = outStart[i] + deg[i];
  const m = outStart[nodeCount];
  const outTo = new Int32Array(m), outEdge = new Int32Array(m);
  const outTimeS = new Float64Array(m), outLenM = new Float64Array(m);
  const fill = outStart.slice(0, nodeCount);
  const addArc = (a: number, b: number, e: number): void => {
    const k = fill[a]++;
    outTo[k] = b; outEdge[k] = e; outTimeS[k] = edges[e].timeS; outLenM[k] = edges[e].lengthM;
  };
  edges.forEach((e, i) => { addArc(e.from, e.to, i); if (!e.oneway) addArc(e.to, e.from, i); });

  // Weak components.
  const comp = Int32Array.from({ length: nodeCount }, (_, i) => i);
  const cfind = (x: number): number => { while (comp[x] !== x) x = comp[x] = comp[comp[x]]; return x; };
  for (const e of edges) { const a = cfind(e.from), b = cfind(e.to); if (a !== b) comp[Math.max(a, b)] = Math.min(a, b); }
  const componentOf = new Int32Array(nodeCount);
  for (let i = 0; i < nodeCount; i++) componentOf[i] = cfind(i);

  const nodeLonLat = new Float64Array(2 * nodeCount);
  contracted.keep.forEach((v, i) => {
    nodeLonLat[2 * i] = origin[0] + allXY[2 * v] / kx;
    nodeLonLat[2 * i + 1] = origin[1] + allXY[2 * v + 1] / ky;
  });
  // Snapping segments: every straight piece of every edge, with its fraction range along the edge.
  const segCount = contracted.edges.reduce((a, e) => a + e.via.length - 1, 0);
  const segXY = new Float64Array(4 * segCount);
  const segEdge = new Int32Array(segCount);
  const segT = new Float64Array(2 * segCount);
  let q = 0;
  contracted.edges.forEach((e, i) => {
    for (let k = 0; k + 1 < e.via.length; k++, q++) {
      const a = e.via[k], b = e.via[k + 1];
      segXY.set([allXY[2 * a], allXY[2 * a + 1], allXY[2 * b], allXY[2 * b + 1]], 4 * q);
      segEdge[q] = i;
      segT[2 * q] = edges[i].coordT[k];
      segT[2 * q + 1] = edges[i].coordT[k + 1];
    }
  });
  return { origin, kx, ky, nodeCount, nodeLonLat, edges, outStart, outTo, outTimeS, outLenM, outEdge, componentOf, segXY, segEdge, segT, skipped };
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

function isLonLat(p: unknown): p is LonLat {
  return Array.isArray(p) && p.length >= 2 && Number.isFinite(p[0]) && Number.isFinite(p[1]) && Math.abs(p[0] as number) <= 180 && Math.abs(p[1] as number) <= 90;
}

function intersect(c: Float64Array, a: number, b: number): [number, number, number, number] | null {
  const px = c[4 * a], py = c[4 * a + 1], rx = c[4 * a + 2] - px, ry = c[4 * a + 3] - py;
  const qx = c[4 * b], qy = c[4 * b + 1], sx = c[4 * b + 2] - qx, sy = c[4 * b + 3] - qy;
  const den = rx * sy - ry * sx;
  if (Math.abs(den) < 1e-12) return null;
  const t = ((qx - px) * sy - (qy - py) * sx) / den;
  const u = ((qx - px) * ry - (qy - py) * rx) / den;
  if (t < 0 || t > 1 || u < 0 || u > 1) return null;
  return [t, u, px + t * rx, py + t * ry];
}
