/**
 * An independent shortest-path reference for the planner's travel times on OpenStreetMap data, kept
 * apart from src/network on purpose: a node per OSM node id (every vertex, nothing contracted, no
 * coordinate ever compared), an arc per pair of consecutive vertices with haversine lengths, its own
 * strongly connected components (Kosaraju), brute-force snapping and a plain Dijkstra per leg. Only the
 * tag policy (which ways count, speeds, one-ways, where a person may join) is shared with the planner,
 * because that is the model being checked against, not the arithmetic.
 */
import type { LonLat } from '@tiandi/geo';
import { DEFAULT_SPEEDS_KMH, FALLBACK_SPEED_KMH, FOOT_CLASSES, isAccessPointClass, isUsableWay, onewayOf } from '../src/network/highway-speeds';
import type { OsmWay } from '../src/network/osm-ways';
import type { ElevationAt } from '../src/network/terrain';

const R = 6371008.8;
export function haversine(a: LonLat, b: LonLat): number {
  const r = Math.PI / 180;
  const h = Math.sin(((b[1] - a[1]) * r) / 2) ** 2 + Math.cos(a[1] * r) * Math.cos(b[1] * r) * Math.sin(((b[0] - a[0]) * r) / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
}
/** Tobler's hiking function, written out again here (km/h). */
const tobler = (s: number): number => 6 * Math.exp(-3.5 * Math.abs(s + 0.05));

/** A straight walk's time with the same rule as the planner's model: flat speed × Tobler ratio per ~30-m piece. */
export function walkSeconds(a: LonLat, b: LonLat, walkKmh: number, elev?: ElevationAt): number {
  const d = haversine(a, b);
  if (!elev || d === 0) return d / (walkKmh / 3.6);
  return d / (walkKmh / 3.6) / slopeRatio(a, b, d, elev, 0);
}

interface Arc {
  to: number;
  t: number;
}
interface Seg {
  u: number;
  v: number;
  access: boolean /** A road a vehicle drives (not a foot class or cycleway). */;
  road: boolean;
}

/** Where a place joins the reference graph: segment u–v at fraction f, and the straight walk. */
export interface RefSnap {
  seg: number;
  f: number;
  point: LonLat;
  walkM: number;
}

export class ReferenceGraph {
  readonly pos: LonLat[] = [];
  readonly out: Arc[][] = [];
  /** Undirected segments (consecutive vertices), with the time each way (Infinity where one-way forbids). */
  readonly segs: (Seg & { tf: number; tb: number })[] = [];
  sccOf: Int32Array = new Int32Array(0);
  mainScc = -1;
  private idOf = new Map<string, number>();

  constructor(ways: OsmWay[], elev?: ElevationAt) {
    for (const w of ways) {
      if (!w.nodes || !isUsableWay(w.tags)) continue;
      const hw = String(w.tags.highway);
      const v = (DEFAULT_SPEEDS_KMH[hw] ?? FALLBACK_SPEED_KMH) / 3.6;
      const ow = onewayOf(w.tags);
      const slopeFloor = FOOT_CLASSES.has(hw) ? 0 : hw === 'track' ? 0.5 : null;
      const access = isAccessPointClass(w.tags);
      for (let k = 0; k + 1 < w.coords.length; k++) {
        const u = this.node(w.nodes[k], w.coords[k]),
          x = this.node(w.nodes[k + 1], w.coords[k + 1]);
        if (u === x) continue;
        const d = haversine(w.coords[k], w.coords[k + 1]);
        let tf = d / v,
          tb = d / v;
        if (elev && slopeFloor !== null) {
          tf = d / v / slopeRatio(w.coords[k], w.coords[k + 1], d, elev, slopeFloor);
          tb = d / v / slopeRatio(w.coords[k + 1], w.coords[k], d, elev, slopeFloor);
        }
        if (ow === -1) tf = Infinity;
        if (ow === 1) tb = Infinity;
        if (Number.isFinite(tf)) this.out[u].push({ to: x, t: tf });
        if (Number.isFinite(tb)) this.out[x].push({ to: u, t: tb });
        this.segs.push({ u, v: x, access, road: !FOOT_CLASSES.has(hw) && hw !== 'cycleway', tf, tb });
      }
    }
    this.kosaraju();
  }

  private node(id: number | string, p: LonLat): number {
    const k = String(id);
    let i = this.idOf.get(k);
    if (i === undefined) {
      i = this.pos.length;
      this.idOf.set(k, i);
      this.pos.push(p);
      this.out.push([]);
    }
    return i;
  }

  private kosaraju(): void {
    const n = this.pos.length;
    const order: number[] = [];
    const seen = new Uint8Array(n);
    for (let s = 0; s < n; s++) {
      if (seen[s]) continue;
      const stack: [number, number][] = [[s, 0]];
      seen[s] = 1;
      while (stack.length) {
        const top = stack[stack.length - 1];
        const arcs = this.out[top[0]];
        if (top[1] < arcs.length) {
          const w = arcs[top[1]++].to;
          if (!seen[w]) {
            seen[w] = 1;
            stack.push([w, 0]);
          }
        } else {
          order.push(top[0]);
          stack.pop();
        }
      }
    }
    const rev: number[][] = Array.from({ length: n }, () => []);
    this.out.forEach((arcs, u) => arcs.forEach((a) => rev[a.to].push(u)));
    const comp = new Int32Array(n).fill(-1);
    const size: number[] = [];
    for (let i = order.length - 1; i >= 0; i--) {
      const s = order[i];
      if (comp[s] >= 0) continue;
      const c = size.length;
      size.push(0);
      const stack = [s];
      comp[s] = c;
      while (stack.length) {
        const u = stack.pop()!;
        size[c]++;
        for (const w of rev[u])
          if (comp[w] < 0) {
            comp[w] = c;
            stack.push(w);
          }
      }
    }
    this.sccOf = comp;
    this.mainScc = size.indexOf(Math.max(...size));
  }

  /** Nearest point of an access segment inside the largest strongly connected part (brute force). */
  snap(p: LonLat, maxWalkM: number, roadsOnly = false): RefSnap | null {
    const kx = (Math.PI / 180) * R * Math.cos((p[1] * Math.PI) / 180),
      ky = (Math.PI / 180) * R;
    let best: RefSnap | null = null;
    this.segs.forEach((s, i) => {
      if (!s.access || (roadsOnly && !s.road) || this.sccOf[s.u] !== this.mainScc || this.sccOf[s.v] !== this.mainScc) return;
      const a = this.pos[s.u],
        b = this.pos[s.v];
      const ax = (a[0] - p[0]) * kx,
        ay = (a[1] - p[1]) * ky,
        bx = (b[0] - p[0]) * kx,
        by = (b[1] - p[1]) * ky;
      if (Math.min(Math.abs(ax), Math.abs(bx)) > maxWalkM + 5000 || Math.min(Math.abs(ay), Math.abs(by)) > maxWalkM + 5000) return;
      const dx = bx - ax,
        dy = by - ay,
        L2 = dx * dx + dy * dy;
      const f = L2 > 0 ? Math.max(0, Math.min(1, -(ax * dx + ay * dy) / L2)) : 0;
      const point: LonLat = [a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1])];
      const walkM = haversine(p, point);
      if (walkM <= maxWalkM && (!best || walkM < best.walkM)) best = { seg: i, f, point, walkM };
    });
    return best;
  }

  /** Fastest network time between two snapped places (not counting their walks): plain Dijkstra with a binary heap. */
  networkSeconds(a: RefSnap, b: RefSnap): number {
    const sa = this.segs[a.seg],
      sb = this.segs[b.seg];
    let best = Infinity;
    if (a.seg === b.seg) best = b.f >= a.f ? (b.f - a.f) * sa.tf : (a.f - b.f) * sa.tb;
    const dist = new Map<number, number>();
    const heap: [number, number][] = [];
    const push = (d: number, u: number): void => {
      if (!(d < (dist.get(u) ?? Infinity))) return;
      dist.set(u, d);
      heap.push([d, u]);
      let i = heap.length - 1;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (heap[p][0] <= heap[i][0]) break;
        [heap[p], heap[i]] = [heap[i], heap[p]];
        i = p;
      }
    };
    const pop = (): [number, number] => {
      const top = heap[0],
        last = heap.pop()!;
      if (heap.length) {
        heap[0] = last;
        let i = 0;
        for (;;) {
          const l = 2 * i + 1,
            r = l + 1;
          let m = i;
          if (l < heap.length && heap[l][0] < heap[m][0]) m = l;
          if (r < heap.length && heap[r][0] < heap[m][0]) m = r;
          if (m === i) break;
          [heap[m], heap[i]] = [heap[i], heap[m]];
          i = m;
        }
      }
      return top;
    };
    push((1 - a.f) * sa.tf, sa.v);
    push(a.f * sa.tb, sa.u);
    const done = new Set<number>();
    while (heap.length) {
      const [d, u] = pop();
      if (done.has(u) || d > (dist.get(u) ?? Infinity)) continue;
      done.add(u);
      if (d >= best) break;
      if (u === sb.u) best = Math.min(best, d + b.f * sb.tf);
      if (u === sb.v) best = Math.min(best, d + (1 - b.f) * sb.tb);
      for (const arc of this.out[u]) push(d + arc.t, arc.to);
    }
    return best;
  }
}

function slopeRatio(a: LonLat, b: LonLat, d: number, elev: ElevationAt, floor: number): number {
  const k = Math.max(1, Math.ceil(d / 30));
  let t = 0;
  let h0 = elev(a[0], a[1]);
  for (let i = 1; i <= k; i++) {
    const f = i / k;
    const h1 = elev(a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1]));
    const r = Number.isFinite(h0) && Number.isFinite(h1) ? Math.max(floor, tobler((h1 - h0) / (d / k)) / tobler(0)) : 1;
    t += d / k / r;
    h0 = h1;
  }
  return d / t;
}

/** A leg with the model's rule: a straight walk when the places are within `maxDirectM` and that is faster, else walk + network + walk. */
export function referenceLegSeconds(
  g: ReferenceGraph,
  a: { p: LonLat; s: RefSnap },
  b: { p: LonLat; s: RefSnap },
  walkKmh: number,
  maxDirectM: number,
  elev?: ElevationAt,
): number {
  let t = walkSeconds(a.p, a.s.point, walkKmh, elev) + g.networkSeconds(a.s, b.s) + walkSeconds(b.s.point, b.p, walkKmh, elev);
  if (haversine(a.p, b.p) <= maxDirectM) t = Math.min(t, walkSeconds(a.p, b.p, walkKmh, elev));
  return t;
}
