import type { LonLat } from '@tiandi/geo';
import { describe, expect, it } from 'vitest';
import { createRng } from '../random';
import { buildNetwork, metresPerDegree } from './build-network';
import { Dijkstra } from './dijkstra';
import { gridRoads } from './grid-roads';
import { legPath } from './leg-path';
import { locate } from './locate';
import { networkTimeMatrix } from './time-matrix';

const O: LonLat = [102.3, 27.9];
const { kx, ky } = metresPerDegree(O[1]);
const at = (x: number, y: number): LonLat => [O[0] + x / kx, O[1] + y / ky];
const line = (coords: LonLat[], props: Record<string, unknown> = {}) => ({
  type: 'Feature',
  properties: { highway: 'unclassified', ...props },
  geometry: { type: 'LineString', coordinates: coords },
});
/** A place right on an edge, bypassing {@link locate} (which joins only strongly connected parts). */
const onEdge = (net: ReturnType<typeof buildNetwork>, edge: number, t: number) => {
  const e = net.edges[edge];
  const p: LonLat = [
    e.coords[0][0] + t * (e.coords[e.coords.length - 1][0] - e.coords[0][0]),
    e.coords[0][1] + t * (e.coords[e.coords.length - 1][1] - e.coords[0][1]),
  ];
  return { lonLat: p, edge, t, accessLonLat: p, walkM: 0, component: e.scc };
};
const fc = (features: unknown[]) => ({ type: 'FeatureCollection', features }) as Parameters<typeof buildNetwork>[0];

describe('buildNetwork', () => {
  it('nodes only where lines share a vertex: crossings and near misses stay apart', () => {
    const net = buildNetwork(
      fc([
        line([at(0, 0), at(500, 0), at(1000, 0)]),
        line([at(500, -500), at(500, 0), at(500, 500)]), // shares (500, 0) with the first: a junction
        line([at(800, 3), at(800, 400)]), // ends 3 m from the first line: not joined
        line([at(200, -300), at(200, 300)]), // crosses the first without a shared vertex: not joined
      ]),
    );
    // Nodes: 0,0 / 500,0 / 1000,0 / 500,±500 / 800,3 / 800,400 / 200,±300 = 9
    expect(net.nodeCount).toBe(9);
    expect(new Set(net.componentOf).size).toBe(3);
    expect(net.edges.length).toBe(6);
    expect(net.edges.reduce((s, e) => s + e.lengthM, 0)).toBeCloseTo(1000 + 1000 + 397 + 600, -1);
    expect(net.edges[0].timeS).toBeCloseTo(net.edges[0].lengthM / (25 / 3.6), 6);
  });

  it('joins ways that share an OSM node id, and not ways that only share a coordinate', () => {
    const way = (nodes: number[], coords: LonLat[], tags: Record<string, unknown> = {}) => ({ nodes, coords, tags: { highway: 'residential', ...tags } });
    const net = buildNetwork({
      ways: [
        way([1, 2, 3], [at(0, 0), at(500, 0), at(1000, 0)]),
        way([4, 2, 5], [at(500, -500), at(500, 0), at(500, 500)]), // node 2 shared: a junction
        way([6, 7, 8], [at(300, -500), at(300, 0), at(300, 500)], { bridge: 'yes', layer: '1' }),
        way([9, 10], [at(300, 0), at(300, 700)]), // starts at the bridge's coordinate but another node: apart
      ],
    });
    expect(new Set(net.componentOf).size).toBe(3);
    expect(net.edges.length).toBe(6); // two ways split at node 2, the bridge and the last way whole
  });

  it('keeps the inner vertex of a bridge off the road below but joins its ends to the ground', () => {
    const net = buildNetwork(
      fc([
        line([at(0, 0), at(500, 0), at(1000, 0)]),
        line([at(500, -200), at(500, 0), at(500, 200)], { bridge: 'yes' }), // passes over (500, 0)
        line([at(500, 200), at(500, 600)]), // the bridge's end meets the ground road
        line([at(0, 0), at(0, -300)], { tunnel: 'yes' }), // a tunnel's end meets the road
      ]),
    );
    const c = net.componentOf;
    const node = (p: LonLat) => {
      for (let i = 0; i < net.nodeCount; i++) if (Math.hypot(net.nodeLonLat[2 * i] - p[0], net.nodeLonLat[2 * i + 1] - p[1]) < 1e-9) return i;
      return -1;
    };
    expect(c[node(at(500, 600))]).toBe(c[node(at(500, -200))]); // over the bridge
    expect(c[node(at(0, -300))]).toBe(c[node(at(1000, 0))]); // through the tunnel
    expect(c[node(at(500, 600))]).not.toBe(c[node(at(1000, 0))]); // no step down from the bridge
  });

  it('leaves out ways under construction, proposed, abandoned, raceways and private roads', () => {
    const net = buildNetwork(
      fc([
        line([at(0, 0), at(1000, 0)]),
        line([at(0, 100), at(1000, 100)], { highway: 'construction' }),
        line([at(0, 200), at(1000, 200)], { highway: 'proposed' }),
        line([at(0, 300), at(1000, 300)], { highway: 'raceway' }),
        line([at(0, 400), at(1000, 400)], { access: 'private' }),
        line([at(0, 500), at(1000, 500)], { access: 'private', foot: 'yes' }), // people on foot let in: kept
      ]),
    );
    expect(net.excluded).toBe(4);
    expect(net.edges.length).toBe(2);
    // A line with no tags at all is a road of unknown class, driven at the fallback speed.
    const bare = buildNetwork(fc([{ type: 'Feature', properties: null, geometry: { type: 'LineString', coordinates: [at(0, 0), at(1000, 0)] } }]));
    expect(bare.edges[0].timeS).toBeCloseTo(1000 / (20 / 3.6), 0);
  });

  it('makes roundabouts one-way, and puts access points outside tunnels, bridges and motorways', () => {
    const ring = [at(0, 0), at(100, 0), at(100, 100), at(0, 100), at(0, 0)];
    const net = buildNetwork(
      fc([
        line(ring, { junction: 'roundabout' }),
        line([at(100, 0), at(600, 0)], { tunnel: 'yes' }),
        line([at(600, 0), at(900, 0)]),
        line([at(0, 100), at(0, 600)], { highway: 'motorway', oneway: 'no' }),
        line([at(0, 600), at(-400, 600)]),
      ]),
    );
    expect(net.edges.filter((e) => e.highway === 'unclassified' && e.oneway).length).toBe(3); // the ring, split where the tunnel and motorway join it
    const inTunnel = locate(net, at(350, 5), [at(350, 5)], 1000)!;
    expect(net.edges[inTunnel.edge].access).toBe(1);
    expect(inTunnel.accessLonLat[0]).not.toBeCloseTo(at(350, 0)[0], 6);
    const byMotorway = locate(net, at(10, 350), [at(10, 350)], 1000)!;
    expect(net.edges[byMotorway.edge].highway).not.toBe('motorway');
  });

  it('sends a place beside a one-way stub on foot to the connected network', () => {
    const net = buildNetwork(
      fc([
        line([at(0, 0), at(1000, 0)]),
        line([at(500, 0), at(500, 300)], { oneway: 'yes' }), // leads out, no way back
      ]),
    );
    const l = locate(net, at(520, 290), [at(520, 290)], 1000)!;
    expect(net.edges[l.edge].highway).toBe('unclassified');
    expect(l.accessLonLat[1]).toBeCloseTo(at(0, 0)[1], 6);
    expect(l.walkM).toBeCloseTo(Math.hypot(0, 290), 0);
  });

  it('merges shape vertices into single edges but keeps junctions and class changes', () => {
    const wiggle = Array.from({ length: 11 }, (_, i) => at(100 * i, i % 2 ? 30 : 0));
    const net = buildNetwork(
      fc([
        line(wiggle), // 10 pieces, one road
        line([at(1000, 0), at(1000, 300), at(1000, 600)], { highway: 'track' }), // class changes at (1000,0)
        line([at(1000, 600), at(1200, 700), at(1400, 600)], { highway: 'track', oneway: 'yes' }), // one-way after two-way: kept
      ]),
    );
    expect(net.nodeCount).toBe(4); // (0,0), (1000,0), (1000,600), (1400,600)
    expect(net.edges.length).toBe(3);
    const road = net.edges.find((e) => e.highway === 'unclassified')!;
    expect(road.coords.length).toBe(11);
    expect(road.lengthM).toBeCloseTo(10 * Math.hypot(100, 30), 0);
    expect(road.coordT[0]).toBe(0);
    expect(road.coordT[10]).toBeCloseTo(1, 12);
    // A place near a shape vertex snaps onto that piece, and the leg follows the wiggles.
    const a = locate(net, at(150, 40), [at(150, 40)], 100)!;
    expect(a.edge).toBe(net.edges.indexOf(road));
    expect(a.walkM).toBeLessThan(30);
    const b = onEdge(
      net,
      net.edges.findIndex((e) => e.oneway),
      1,
    );
    const path = legPath(net, a, b);
    const m = networkTimeMatrix(net, [a, b], { maxDirectWalkM: 0 });
    let len = 0;
    for (let k = 1; k < path.length; k++) len += Math.hypot((path[k][0] - path[k - 1][0]) * kx, (path[k][1] - path[k - 1][1]) * ky);
    expect(len).toBeCloseTo(m.distM[1], 0);
    expect(Number.isFinite(m.timeS[2])).toBe(false); // back against the one-way is impossible
  });

  it('leaves a line end near another line unjoined (a disconnected part)', () => {
    const net = buildNetwork(fc([line([at(0, 0), at(1000, 0)]), line([at(800, 20), at(800, 400)])]));
    expect(new Set(net.componentOf).size).toBe(2);
  });

  it('does not join a bridge crossing a road', () => {
    const net = buildNetwork(fc([line([at(0, 0), at(1000, 0)]), line([at(500, -500), at(500, 500)], { bridge: 'yes' })]));
    expect(new Set(net.componentOf).size).toBe(2);
  });

  it('respects one-way streets (yes and -1) but not on footpaths', () => {
    const net = buildNetwork(
      fc([
        line([at(0, 0), at(1000, 0)], { oneway: 'yes' }),
        line([at(0, 100), at(1000, 100)], { oneway: '-1' }),
        line([at(0, 200), at(1000, 200)], { highway: 'path', oneway: 'yes' }),
      ]),
    );
    const dj = new Dijkstra(net);
    const east = (y: number) => {
      const k = net.edges.findIndex((e) => Math.abs(e.coords[0][1] - at(0, y)[1]) < 1e-9);
      const e = net.edges[k];
      const west = e.coords[0][0] < e.coords[1][0] ? 0.1 : 0.9;
      return [onEdge(net, k, west), onEdge(net, k, 1 - west)] as const;
    };
    const [a0, b0] = east(0);
    dj.run(a0);
    expect(dj.to(b0)[0]).toBeCloseTo(800 / (25 / 3.6), 1);
    dj.run(b0);
    expect(dj.to(a0)[0]).toBe(Infinity);
    const [a1, b1] = east(100);
    dj.run(a1);
    expect(dj.to(b1)[0]).toBe(Infinity);
    dj.run(b1);
    expect(dj.to(a1)[0]).toBeCloseTo(800 / (25 / 3.6), 1);
    const [a2, b2] = east(200);
    dj.run(b2);
    expect(dj.to(a2)[0]).toBeCloseTo(800 / (4 / 3.6), 1);
  });

  it('rejects input that is not a FeatureCollection of lines with a stable code', () => {
    expect(() => buildNetwork({ type: 'Feature' } as never)).toThrow(expect.objectContaining({ code: 'TIANDI_E_ROADS' }));
    expect(() => buildNetwork(fc([{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [0, 0] } }]))).toThrow(
      expect.objectContaining({ code: 'TIANDI_E_ROADS' }),
    );
  });
});

describe('networkTimeMatrix', () => {
  it('matches a brute-force Bellman–Ford over the noded graph on a grid with one-ways', () => {
    const net = buildNetwork(gridRoads({ origin: O, nx: 6, ny: 5, spacingM: 300, onewayEvery: 2 }));
    const rng = createRng(3);
    const places: LonLat[] = Array.from({ length: 12 }, () => at(rng.next() * 1500, rng.next() * 1200));
    const locs = places.map((p) => locate(net, p, [p], 500)!);
    const m = networkTimeMatrix(net, locs, { maxDirectWalkM: 0 });
    // Brute force: all-pairs over nodes (Floyd–Warshall), then best over the two edge ends.
    const N = net.nodeCount;
    const D = new Float64Array(N * N).fill(Infinity);
    for (let i = 0; i < N; i++) D[i * N + i] = 0;
    for (const e of net.edges) {
      D[e.from * N + e.to] = Math.min(D[e.from * N + e.to], e.timeS);
      if (!e.oneway) D[e.to * N + e.from] = Math.min(D[e.to * N + e.from], e.timeS);
    }
    for (let k = 0; k < N; k++)
      for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) if (D[i * N + k] + D[k * N + j] < D[i * N + j]) D[i * N + j] = D[i * N + k] + D[k * N + j];
    const walk = 4 / 3.6;
    for (let i = 0; i < locs.length; i++)
      for (let j = 0; j < locs.length; j++) {
        if (i === j) continue;
        const a = locs[i],
          b = locs[j];
        const ea = net.edges[a.edge],
          eb = net.edges[b.edge];
        const exits: [number, number][] = [[ea.to, (1 - a.t) * ea.timeS]];
        if (!ea.oneway) exits.push([ea.from, a.t * ea.timeS]);
        const entries: [number, number][] = [[eb.from, b.t * eb.timeS]];
        if (!eb.oneway) entries.push([eb.to, (1 - b.t) * eb.timeS]);
        let best = Infinity;
        for (const [u, cu] of exits) for (const [v, cv] of entries) best = Math.min(best, cu + D[u * N + v] + cv);
        if (a.edge === b.edge && (!ea.oneway || b.t >= a.t)) best = Math.min(best, Math.abs(b.t - a.t) * ea.timeS);
        expect(m.timeS[i * locs.length + j]).toBeCloseTo(best + (a.walkM + b.walkM) / walk, 6);
      }
  });

  it('draws a leg along the network whose length matches the matrix distance', () => {
    const net = buildNetwork(gridRoads({ origin: O, nx: 5, ny: 5, spacingM: 200 }));
    const a = locate(net, at(10, 10), [at(10, 10)], 100)!;
    const b = locate(net, at(790, 610), [at(790, 610)], 100)!;
    const m = networkTimeMatrix(net, [a, b], { maxDirectWalkM: 0 });
    const path = legPath(net, a, b);
    let len = 0;
    for (let k = 1; k < path.length; k++) len += Math.hypot((path[k][0] - path[k - 1][0]) * kx, (path[k][1] - path[k - 1][1]) * ky);
    expect(len).toBeCloseTo(m.distM[1], 0);
    expect(path[0]).toEqual(at(10, 10));
  });
});
