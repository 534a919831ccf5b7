import { edgeTimesAt, type RoadNetwork } from './build-network';
import type { NetworkLocation } from './locate';

/**
 * One-to-all fastest paths on a {@link RoadNetwork} from a point on an edge, with reusable buffers.
 * Binary heap with lazy deletion over the CSR arcs; deterministic for the same input.
 */
export class Dijkstra {
  readonly timeS: Float64Array;
  readonly distM: Float64Array;
  /** Arc used to reach each node (-1 for none / the start). */
  readonly predArc: Int32Array;
  private heapK: Float64Array;
  private heapV: Int32Array;
  private size = 0;
  private start: NetworkLocation | null = null;
  private readonly done: Uint8Array;

  constructor(readonly net: RoadNetwork) {
    const n = net.nodeCount;
    this.timeS = new Float64Array(n);
    this.distM = new Float64Array(n);
    this.predArc = new Int32Array(n);
    this.done = new Uint8Array(n);
    this.heapK = new Float64Array(Math.max(16, net.outTo.length + 4));
    this.heapV = new Int32Array(this.heapK.length);
  }

  /**
   * Runs from `loc`; stops early once every node in `stopAt` is settled (if given). `stopAt` may be a
   * list of nodes or a 0/1 marker per node (reused across runs, cheaper for many targets).
   */
  run(loc: NetworkLocation, stopAt?: readonly number[] | Uint8Array): void {
    const net = this.net;
    this.begin(loc);
    const stop = stopMarker(net.nodeCount, stopAt);
    const marker = stop?.marker;
    let left = stop?.left ?? 0;
    const { outStart, outTo, outTimeS, outLenM } = net;
    const T = this.timeS,
      Dm = this.distM,
      pred = this.predArc,
      done = this.done;
    while (this.size > 0) {
      // Inline pop (binary heap on typed arrays).
      let K = this.heapK,
        V = this.heapV;
      const u = V[0];
      const n = --this.size;
      {
        const k = K[n],
          v = V[n];
        let i = 0;
        for (;;) {
          let c = 2 * i + 1;
          if (c >= n) break;
          if (c + 1 < n && K[c + 1] < K[c]) c++;
          if (K[c] >= k) break;
          K[i] = K[c];
          V[i] = V[c];
          i = c;
        }
        K[i] = k;
        V[i] = v;
      }
      if (done[u]) continue;
      done[u] = 1;
      if (marker && marker[u] && --left === 0) break;
      const tu = T[u];
      const du = Dm[u];
      for (let a = outStart[u], end = outStart[u + 1]; a < end; a++) {
        const v = outTo[a];
        const tv = tu + outTimeS[a];
        if (tv >= T[v]) continue;
        T[v] = tv;
        Dm[v] = du + outLenM[a];
        pred[v] = a;
        // Inline push.
        if (this.size === K.length) {
          this.grow();
          K = this.heapK;
          V = this.heapV;
        }
        let i = this.size++;
        while (i > 0) {
          const p = (i - 1) >> 1;
          if (K[p] <= tv) break;
          K[i] = K[p];
          V[i] = V[p];
          i = p;
        }
        K[i] = tv;
        V[i] = v;
      }
    }
  }

  /** Clears the last run and seeds the heap with both ends of the start's edge (only the far end on a one-way). */
  private begin(loc: NetworkLocation): void {
    this.start = loc;
    this.timeS.fill(Infinity);
    this.distM.fill(Infinity);
    this.predArc.fill(-1);
    this.done.fill(0);
    this.size = 0;
    const e = this.net.edges[loc.edge];
    const [fwd, back] = edgeTimesAt(e, loc.t);
    this.relax(e.to, e.timeS - fwd, (1 - loc.t) * e.lengthM, -1);
    if (!e.oneway) this.relax(e.from, back, loc.t * e.lengthM, -1);
  }

  /** Network time and distance from the last run's start to a location (not counting walks), Infinity if unreachable. */
  to(loc: NetworkLocation): [number, number, 'from' | 'to' | null] {
    const e = this.net.edges[loc.edge];
    let bt = Infinity,
      bd = Infinity;
    let via: 'from' | 'to' | null = null;
    const [fwd, back] = edgeTimesAt(e, loc.t);
    const tf = this.timeS[e.from] + fwd;
    if (tf < bt) {
      bt = tf;
      bd = this.distM[e.from] + loc.t * e.lengthM;
      via = 'from';
    }
    const a = this.start;
    if (a && a.edge === loc.edge && (!e.oneway || loc.t >= a.t)) {
      const f = Math.abs(loc.t - a.t);
      const [fa, ba] = edgeTimesAt(e, a.t);
      const ft = loc.t >= a.t ? fwd - fa : ba - back;
      if (ft < bt) {
        bt = ft;
        bd = f * e.lengthM;
        via = null;
      }
    }
    if (!e.oneway) {
      const tt = this.timeS[e.to] + (e.timeBackS - back);
      if (tt < bt) {
        bt = tt;
        bd = this.distM[e.to] + (1 - loc.t) * e.lengthM;
        via = 'to';
      }
    }
    return [bt, bd, via];
  }

  private relax(v: number, t: number, d: number, arc: number): void {
    if (t >= this.timeS[v]) return;
    this.timeS[v] = t;
    this.distM[v] = d;
    this.predArc[v] = arc;
    this.push(t, v);
  }

  private grow(): void {
    const nk = new Float64Array(this.heapK.length * 2);
    nk.set(this.heapK);
    this.heapK = nk;
    const nv = new Int32Array(this.heapV.length * 2);
    nv.set(this.heapV);
    this.heapV = nv;
  }

  private push(k: number, v: number): void {
    if (this.size === this.heapK.length) this.grow();
    const K = this.heapK,
      V = this.heapV;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (K[p] <= k) break;
      K[i] = K[p];
      V[i] = V[p];
      i = p;
    }
    K[i] = k;
    V[i] = v;
  }
}

/** The nodes to settle before stopping, as a 0/1 marker per node (`stopAt` itself when it is one), and how many are marked. */
function stopMarker(nodeCount: number, stopAt: readonly number[] | Uint8Array | undefined): { marker: Uint8Array; left: number } | null {
  let left = 0;
  if (stopAt instanceof Uint8Array) {
    for (let i = 0; i < stopAt.length; i++) left += stopAt[i];
    return { marker: stopAt, left };
  }
  if (!stopAt) return null;
  const marker = new Uint8Array(nodeCount);
  for (const v of stopAt)
    if (!marker[v]) {
      marker[v] = 1;
      left++;
    }
  return { marker, left };
}
