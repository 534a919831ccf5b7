import type { LonLat } from '@tiandi/geo';
import { PlannerError } from '../errors';
import { DEFAULT_SPEEDS_KMH, isUsableWay } from './highway-speeds';
import { metresPerDegree } from './metres-per-degree';
import { arcsOf, snapSegments, strongComponents, weakComponents } from './network-graph';
import { waysFromGeoJson, type OsmWay } from './osm-ways';
import { junctions, splitWays } from './split-ways';
import type { ElevationAt } from './terrain';

export { metresPerDegree } from './metres-per-degree';
export { stronglyConnected } from './network-graph';

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
  const origin = centreOf(ways, usable);
  const { kx, ky } = metresPerDegree(origin[1]);
  const j = junctions(ways, usable);
  const edges = splitWays(ways, usable, j, speeds, options.elevation);
  const nodeCount = j.nodeXY.length / 2;
  const arcs = arcsOf(edges, nodeCount);
  const componentOf = weakComponents(edges, nodeCount);
  const { sccOf, mainScc } = strongComponents(edges, nodeCount, arcs.outStart, arcs.outTo);
  const nodeLonLat = Float64Array.from(j.nodeXY);
  return {
    origin,
    kx,
    ky,
    nodeCount,
    nodeLonLat,
    edges,
    ...arcs,
    componentOf,
    sccOf,
    mainScc,
    ...snapSegments(edges, origin, kx, ky),
    skipped,
    excluded,
    terrain: !!options.elevation,
  };
}

/** The centre of the usable ways' bounding box: the origin of the local plane used for snapping. */
function centreOf(ways: OsmWay[], usable: boolean[]): LonLat {
  let minX = Infinity,
    minY = Infinity,
    maxX = -Infinity,
    maxY = -Infinity;
  ways.forEach((w, i) => {
    if (usable[i])
      for (const [x, y] of w.coords) {
        minX = Math.min(minX, x);
        maxX = Math.max(maxX, x);
        minY = Math.min(minY, y);
        maxY = Math.max(maxY, y);
      }
  });
  return [(minX + maxX) / 2, (minY + maxY) / 2];
}
