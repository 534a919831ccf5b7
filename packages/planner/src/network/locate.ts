import type { LonLat } from '@tiandi/geo';
import type { RoadNetwork } from './build-network';
import { SegmentGrid } from './segment-grid';

/** Where a place joins the network: a point on an edge, and the walk to it. */
export interface NetworkLocation {
  /** The place itself (target point or plot centroid, depot). */
  lonLat: LonLat;
  /** Edge index and fraction along it (from `edge.from` to `edge.to`). */
  edge: number;
  t: number;
  /** The access point on the network. */
  accessLonLat: LonLat;
  /** Straight-line walk between the place (or its nearest plot vertex) and the access point. */
  walkM: number;
  /** Strongly connected part of the network the access point is in. */
  component: number;
}

const grids = new WeakMap<RoadNetwork, SegmentGrid>();

/** The snapping grid of a network (built once, cached). */
export function edgeGrid(net: RoadNetwork): SegmentGrid {
  let g = grids.get(net);
  if (!g) grids.set(net, (g = new SegmentGrid(100, net.segXY)));
  return g;
}

/**
 * Access point of a place: the nearest point of the network to any of `probes` (the point itself,
 * or a plot's outline vertices), within `maxWalkM`, on a way a person may join on foot (not a tunnel,
 * bridge or motorway) inside a strongly connected part of the network, so that the team can both get
 * there and get back: a place beside a one-way stub walks on to the connected network. With `allowScc`
 * only those parts count; without it the largest part wins when in range, else any. `null` if nothing is in range.
 */
export function locate(net: RoadNetwork, place: LonLat, probes: LonLat[], maxWalkM: number, allowScc?: ReadonlySet<number>): NetworkLocation | null {
  const grid = edgeGrid(net);
  let best: [number, number, number] | null = null;
  const tryWith = (accept?: (s: number) => boolean): void => {
    for (const p of probes.length ? probes : [place]) {
      const x = (p[0] - net.origin[0]) * net.kx;
      const y = (p[1] - net.origin[1]) * net.ky;
      const hit = grid.nearest(x, y, maxWalkM, accept);
      if (hit && (!best || hit[2] < best[2])) best = hit;
    }
  };
  if (allowScc) tryWith((s) => allowScc.has(net.edges[net.segEdge[s]].scc));
  else {
    tryWith((s) => net.edges[net.segEdge[s]].scc === net.mainScc);
    if (!best) tryWith();
  }
  if (!best) return null;
  const [seg, tSeg, walkM] = best as [number, number, number];
  const edge = net.segEdge[seg];
  const t = net.segT[2 * seg] + tSeg * (net.segT[2 * seg + 1] - net.segT[2 * seg]);
  const e = net.edges[edge];
  const c = net.segXY;
  const x = c[4 * seg] + tSeg * (c[4 * seg + 2] - c[4 * seg]);
  const y = c[4 * seg + 1] + tSeg * (c[4 * seg + 3] - c[4 * seg + 1]);
  return { lonLat: place, edge, t, accessLonLat: [net.origin[0] + x / net.kx, net.origin[1] + y / net.ky], walkM, component: e.scc };
}
