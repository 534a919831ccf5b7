import type { LonLat } from '@tiandi/geo';
import type { RoadNetwork } from './build-network';
import { Dijkstra } from './dijkstra';
import type { NetworkLocation } from './locate';

/**
 * The geometry of the fastest way from `a` to `b`: the place, its access point, the network nodes
 * passed, the next access point and place. Returns a straight segment if the network has no path.
 */
export function legPath(net: RoadNetwork, a: NetworkLocation, b: NetworkLocation, dj: Dijkstra = new Dijkstra(net)): LonLat[] {
  const eb = net.edges[b.edge];
  const ea = net.edges[a.edge];
  if (a.edge === b.edge && (!ea.oneway || b.t >= a.t)) return dedupe([a.lonLat, a.accessLonLat, b.accessLonLat, b.lonLat]);
  dj.run(a, eb.oneway ? [eb.from] : [eb.from, eb.to]);
  const [t, , via] = dj.to(b);
  if (!Number.isFinite(t) || !via) return [a.lonLat, b.lonLat];
  const nodes: number[] = [];
  let u = via === 'from' ? eb.from : eb.to;
  for (let guard = 0; guard <= net.nodeCount; guard++) {
    nodes.push(u);
    const arc = dj.predArc[u];
    if (arc < 0) break;
    const e = net.edges[net.outEdge[arc]];
    u = e.from === u ? e.to : e.from;
  }
  nodes.reverse();
  const pts: LonLat[] = [a.lonLat, a.accessLonLat];
  for (const v of nodes) pts.push([net.nodeLonLat[2 * v], net.nodeLonLat[2 * v + 1]]);
  pts.push(b.accessLonLat, b.lonLat);
  return dedupe(pts);
}

function dedupe(pts: LonLat[]): LonLat[] {
  return pts.filter((p, i) => i === 0 || p[0] !== pts[i - 1][0] || p[1] !== pts[i - 1][1]);
}
