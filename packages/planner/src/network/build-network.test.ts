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
const line = (coords: LonLat[], props: Record<string, unknown> = {}) => ({ type: 'Feature', properties: { highway: 'unclassified', ...props }, geometry: { type: 'LineString', coordinates: coords } });
const fc = (features: unknown[]) => ({ type: 'FeatureCollection', features }) as Parameters<typeof buildNetwork>[0];

describe('buildNetwork', () => {
  it('nodes crossing lines and joins a line end within the snapping tolerance', () => {
    const net = buildNetwork(fc([
      line([at(0, 0), at(1000, 0)]),
      line([at(500, -500), at(500, 500)]), // crosses the first at (500, 0)
      line([at(800, 3), at(800, 400)]), // ends 3 m from the first line: joined at 5 m tolerance
    ]), { snapToleranceM: 5 });
    // Nodes: 0,0 / 1000,0 / 500,±500 / crossing / 800,0 (T) / 800,400 = 7
    expect(net.nodeCount).toBe(7);
    expect(new Set(net.componentOf).size).toBe(1);
    // 1000 m line in 3 pieces + 2 pieces + 1 = 6 edges; unclassified at 25 km/h
    expect(net.edges.length).toBe(6);
    const total = net.edges.reduce((s, e) => s + e.lengthM, 0);
    expect(total).toBeCloseTo(1000 + 1000 + 400, -1);
    expect(net.edges[0].timeS).toBeCloseTo(net.edges[0].lengthM / (25 / 3.6), 6);
  });

  it('merges shape vertices into single edges but keeps junctions and class changes', () => {
    const wiggle = Array.from({ length: 11 }, (_, i) => at(100 * i, i % 2 ? 30 : 0));
    const net = buildNetwork(fc([
      line(wiggle), // 10 pieces, one road
      line([at(1000, 0), at(1000, 300), at(1000, 600)], { highway: 'track' }), // class changes at (1000,0)
      line([at(1000, 600), at(1200, 700), at(1400, 600)], { highway: 'track', oneway: 'yes' }), // one-way after two-way: kept
    ]));
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
    const b = locate(net, at(1400, 610), [at(1400, 610)], 100)!;
    const path = legPath(net, a, b);
    const m = networkTimeMatrix(net, [a, b], { maxDirectWalkM: 0 });
    let len = 0;
    for (let k = 1; k < path.length; k++) len += Math.hypot((path[k][0] - path[k - 1][0]) * kx, (path[k][1] - path[k - 1][1]) * ky);
    expect(len).toBeCloseTo(m.distM[1], 0);
    expect(Number.isFinite(m.timeS[2])).toBe(false); // back against the one-way is impossible
  });

  it('leaves a line end beyond the tolerance unjoined (a disconnected part)', () => {
    const net = buildNetwork(fc([line([at(0, 0), at(1000, 0)]), line([at(800, 20), at(800, 400)])]), { snapToleranceM: 5 });
    expect(new Set(net.componentOf).size).toBe(2);
  });

  it('does not join a bridge crossing a road', () => {
    const net = buildNetwork(fc([line([at(0, 0), at(1000, 0)]), line([at(500, -500), at(500, 500)], { bridge: 'yes' })]));
    expect(new Set(net.componentOf).size).toBe(2);
  });

  it('respects one-way streets (yes and -1) but not on footpaths', () => {
    const net = buildNetwork(fc([
      line([at(0, 0), at(1000, 0)], { oneway: 'yes' }),
      line([at(0, 100), at(1000, 100)], { oneway: '-1' }),
      line([at(0, 200), at(1000, 200)], { highway: 'path', oneway: 'yes' }),
    ]));
    const dj = new Dijkstra(net);
    const east = (y: number) => [locate(net, at(100, y), [at(100, y)], 50)!, locate(net, at(900, y), [at(900, y)], 50)!] as const;
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
    expect(() => buildNetwork(fc([{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [0, 0] } }]))).toThrow(expect.objectContaining({ code: 'TIANDI_E_ROADS' }));
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
    for (let k = 0; k < N; k++) for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) if (D[i * N + k] + D[k * N + j] < D[i * N + j]) D[i * N + j] = D[i * N + k] + D[k * N + j];
    const walk = 4 / 3.6;
    for (let i = 0; i < locs.length; i++) for (let j = 0; j < locs.length; j++) {
      if (i === j) continue;
      const a = locs[i], b = locs[j];
      const ea = net.edges[a.edge], eb = net.edges[b.edge];
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
