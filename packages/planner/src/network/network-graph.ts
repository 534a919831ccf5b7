import type { LonLat } from '@tiandi/geo';
import type { NetworkEdge, RoadNetwork } from './build-network';

/** Forward arcs in CSR form; a two-way edge gives a reverse arc too, with its own time. */
export function arcsOf(edges: NetworkEdge[], nodeCount: number): Pick<RoadNetwork, 'outStart' | 'outTo' | 'outTimeS' | 'outLenM' | 'outEdge'> {
  const deg = new Int32Array(nodeCount + 1);
  for (const e of edges) {
    deg[e.from]++;
    if (!e.oneway) deg[e.to]++;
  }
  const outStart = new Int32Array(nodeCount + 1);
  for (let i = 0; i < nodeCount; i++) outStart[i + 1] = outStart[i] + deg[i];
  const m = outStart[nodeCount];
  const outTo = new Int32Array(m),
    outEdge = new Int32Array(m);
  const outTimeS = new Float64Array(m),
    outLenM = new Float64Array(m);
  const fill = outStart.slice(0, nodeCount);
  const addArc = (a: number, b: number, e: number, t: number): void => {
    const k = fill[a]++;
    outTo[k] = b;
    outEdge[k] = e;
    outTimeS[k] = t;
    outLenM[k] = edges[e].lengthM;
  };
  edges.forEach((e, i) => {
    addArc(e.from, e.to, i, e.timeS);
    if (!e.oneway) addArc(e.to, e.from, i, e.timeBackS);
  });
  return { outStart, outTo, outTimeS, outLenM, outEdge };
}

/** Weakly connected component of each node (union-find; the smallest node id names it). */
export function weakComponents(edges: NetworkEdge[], nodeCount: number): Int32Array {
  const comp = Int32Array.from({ length: nodeCount }, (_, i) => i);
  const cfind = (x: number): number => {
    while (comp[x] !== x) x = comp[x] = comp[comp[x]];
    return x;
  };
  for (const e of edges) {
    const a = cfind(e.from),
      b = cfind(e.to);
    if (a !== b) comp[Math.max(a, b)] = Math.min(a, b);
  }
  const componentOf = new Int32Array(nodeCount);
  for (let i = 0; i < nodeCount; i++) componentOf[i] = cfind(i);
  return componentOf;
}

/** The strongly connected components, the largest (`mainScc`), and each edge's `scc` set (−1 for a one-way way out). */
export function strongComponents(edges: NetworkEdge[], nodeCount: number, outStart: Int32Array, outTo: Int32Array): { sccOf: Int32Array; mainScc: number } {
  const sccOf = stronglyConnected(nodeCount, outStart, outTo);
  const sccSize = new Map<number, number>();
  for (let i = 0; i < nodeCount; i++) sccSize.set(sccOf[i], (sccSize.get(sccOf[i]) ?? 0) + 1);
  let mainScc = -1,
    best = 0;
  for (const [c, s] of sccSize)
    if (s > best || (s === best && c < mainScc)) {
      best = s;
      mainScc = c;
    }
  for (const e of edges) e.scc = sccOf[e.from] === sccOf[e.to] && (sccSize.get(sccOf[e.from]) ?? 0) > 1 ? sccOf[e.from] : -1;
  return { sccOf, mainScc };
}

/** Snapping segments: the straight pieces of access edges that are part of a strongly connected component, in the local plane. */
export function snapSegments(edges: NetworkEdge[], origin: LonLat, kx: number, ky: number): Pick<RoadNetwork, 'segXY' | 'segEdge' | 'segT'> {
  const seg: number[] = [],
    segE: number[] = [],
    segTT: number[] = [];
  const toX = (p: LonLat): number => (p[0] - origin[0]) * kx,
    toY = (p: LonLat): number => (p[1] - origin[1]) * ky;
  edges.forEach((e, i) => {
    if (!e.access || e.scc < 0) return;
    for (let k = 0; k + 1 < e.coords.length; k++) {
      seg.push(toX(e.coords[k]), toY(e.coords[k]), toX(e.coords[k + 1]), toY(e.coords[k + 1]));
      segE.push(i);
      segTT.push(e.coordT[k], e.coordT[k + 1]);
    }
  });
  return { segXY: Float64Array.from(seg), segEdge: Int32Array.from(segE), segT: Float64Array.from(segTT) };
}

/** Tarjan's strongly connected components, iterative; returns a component id per node. */
export function stronglyConnected(n: number, outStart: Int32Array, outTo: Int32Array): Int32Array {
  const index = new Int32Array(n).fill(-1),
    low = new Int32Array(n),
    onStack = new Uint8Array(n),
    comp = new Int32Array(n).fill(-1);
  const stack: number[] = [],
    callV: number[] = [],
    callA: number[] = [];
  let next = 0;
  for (let s = 0; s < n; s++) {
    if (index[s] >= 0) continue;
    callV.push(s);
    callA.push(outStart[s]);
    index[s] = low[s] = next++;
    stack.push(s);
    onStack[s] = 1;
    while (callV.length) {
      const v = callV[callV.length - 1];
      const a = callA[callA.length - 1];
      if (a < outStart[v + 1]) {
        callA[callA.length - 1] = a + 1;
        const w = outTo[a];
        if (index[w] < 0) {
          index[w] = low[w] = next++;
          stack.push(w);
          onStack[w] = 1;
          callV.push(w);
          callA.push(outStart[w]);
        } else if (onStack[w]) low[v] = Math.min(low[v], index[w]);
        continue;
      }
      callV.pop();
      callA.pop();
      if (callV.length) {
        const u = callV[callV.length - 1];
        low[u] = Math.min(low[u], low[v]);
      }
      if (low[v] === index[v]) {
        for (;;) {
          const w = stack.pop()!;
          onStack[w] = 0;
          comp[w] = v;
          if (w === v) break;
        }
      }
    }
  }
  return comp;
}
