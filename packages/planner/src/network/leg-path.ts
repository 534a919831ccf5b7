import type { LonLat } from '@tiandi/geo';
import { edgeTimesAt, type NetworkEdge, type RoadNetwork } from './build-network';
import { Dijkstra } from './dijkstra';
import type { NetworkLocation } from './locate';

/** The part of an edge's geometry between fractions `t0` and `t1` (either order), ends interpolated. */
export function edgeSlice(e: NetworkEdge, t0: number, t1: number): LonLat[] {
  const at = (t: number): LonLat => {
    const T = e.coordT;
    let k = 1;
    while (k < T.length - 1 && T[k] < t) k++;
    const span = T[k] - T[k - 1];
    const f = span > 0 ? (t - T[k - 1]) / span : 0;
    const a = e.coords[k - 1],
      b = e.coords[k];
    return [a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1])];
  };
  const lo = Math.min(t0, t1),
    hi = Math.max(t0, t1);
  const pts: LonLat[] = [at(lo)];
  for (let k = 0; k < e.coords.length; k++) if (e.coordT[k] > lo && e.coordT[k] < hi) pts.push(e.coords[k]);
  pts.push(at(hi));
  return t0 <= t1 ? pts : pts.reverse();
}

/**
 * The geometry of the fastest way from `a` to `b`: the place, its access point, the roads driven
 * or walked (with their shape vertices), the next access point and place. Returns a straight
 * segment if the network has no path.
 */
export function legPath(net: RoadNetwork, a: NetworkLocation, b: NetworkLocation, dj: Dijkstra = new Dijkstra(net)): LonLat[] {
  const ea = net.edges[a.edge];
  const eb = net.edges[b.edge];
  dj.run(a, eb.oneway ? [eb.from] : [eb.from, eb.to]);
  const [t, , via] = dj.to(b);
  if (!Number.isFinite(t)) return [a.lonLat, b.lonLat];
  if (via === null) return dedupe([a.lonLat, ...edgeSlice(ea, a.t, b.t), b.lonLat]);
  const entry = via === 'from' ? eb.from : eb.to;
  const steps: [number, number, number][] = []; // [edge, from node, to node]
  let u = entry;
  for (let guard = 0; guard <= net.nodeCount; guard++) {
    const arc = dj.predArc[u];
    if (arc < 0) break;
    const e = net.edges[net.outEdge[arc]];
    const x = e.from === u ? e.to : e.from;
    steps.push([net.outEdge[arc], x, u]);
    u = x;
  }
  steps.reverse();
  const forwardExit = u === ea.to && Math.abs(dj.timeS[u] - (ea.timeS - edgeTimesAt(ea, a.t)[0])) < 1e-6;
  const pts: LonLat[] = [a.lonLat, ...edgeSlice(ea, a.t, forwardExit ? 1 : 0)];
  for (const [ei, x, y] of steps) {
    const e = net.edges[ei];
    pts.push(...(e.from === x && e.to === y ? e.coords : e.coords.slice().reverse()));
  }
  pts.push(...edgeSlice(eb, via === 'from' ? 0 : 1, b.t), b.lonLat);
  return dedupe(pts);
}

function dedupe(pts: LonLat[]): LonLat[] {
  return pts.filter((p, i) => i === 0 || p[0] !== pts[i - 1][0] || p[1] !== pts[i - 1][1]);
}
