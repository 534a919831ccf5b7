import type { LonLat } from '@tiandi/geo';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { buildNetwork, metresPerDegree } from './build-network';
import { elevationFromHgt } from './dem-hgt';
import { Dijkstra } from './dijkstra';
import { networkTimeMatrix } from './time-matrix';
import { locate } from './locate';
import { toblerKmh, walkTimeS } from './terrain';

/** An SRTM 3″ tile rising 1 m per post eastwards (about 1 m per 82 m at 27.5° N), void in one corner. */
function tile(): Uint8Array {
  const n = 1201;
  const b = new Uint8Array(2 * n * n);
  const v = new DataView(b.buffer);
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) v.setInt16(2 * (r * n + c), r < 2 && c < 2 ? -32768 : 1000 + c, false);
  return b;
}

describe('elevationFromHgt', () => {
  it('reads an SRTM tile, plain or zipped, bilinear between posts, NaN outside and at voids', () => {
    for (const [bytes, name] of [
      [tile(), 'N27E102.hgt'],
      [zipSync({ 'N27E102.hgt': tile() }), 'dem.zip'],
    ] as const) {
      const h = elevationFromHgt(bytes, name);
      expect(h(102 + 600.5 / 1200, 27.5)).toBeCloseTo(1600.5, 6);
      expect(h(101.9, 27.5)).toBeNaN();
      expect(h(102 + 0.5 / 1200, 28 - 0.5 / 1200)).toBeNaN(); // next to the void
    }
  });

  it('names the file when it is not a tile', () => {
    expect(() => elevationFromHgt(new Uint8Array(100), 'N27E102.hgt')).toThrow(
      expect.objectContaining({ code: 'TIANDI_E_DEM', message: expect.stringContaining('N27E102.hgt') }),
    );
    expect(() => elevationFromHgt(tile(), 'dem.hgt')).toThrow(expect.objectContaining({ code: 'TIANDI_E_DEM' }));
  });
});

describe('terrain', () => {
  it("follows Tobler's hiking function: fastest slightly downhill, slower uphill than downhill", () => {
    expect(toblerKmh(0)).toBeCloseTo(5.0367, 4);
    expect(toblerKmh(-0.05)).toBeCloseTo(6, 6);
    expect(toblerKmh(0.2)).toBeLessThan(toblerKmh(-0.2));
    const slope = (lon: number) => (lon - 102.3) * 1e5 * 0.1; // 10 % rise eastwards, about 1 m per 0.00001°
    const a: LonLat = [102.3, 27.9],
      b: LonLat = [102.301, 27.9];
    const up = walkTimeS(a, b, 100, 4, (lon) => slope(lon)),
      down = walkTimeS(b, a, 100, 4, (lon) => slope(lon));
    expect(up).toBeGreaterThan(down);
    expect(walkTimeS(a, b, 100, 4)).toBeCloseTo(90, 6); // no DEM: as before
  });

  it('makes foot paths and off-network walks slower uphill than down, and leaves roads alone', () => {
    const O: LonLat = [102 + 100 / 1200, 27.5];
    const { kx, ky } = metresPerDegree(O[1]);
    const at = (x: number, y: number): LonLat => [O[0] + x / kx, O[1] + y / ky];
    const elev = elevationFromHgt(tile(), 'N27E102.hgt');
    const fc = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { highway: 'path' }, geometry: { type: 'LineString', coordinates: [at(0, 0), at(500, 0), at(1000, 0)] } },
        { type: 'Feature', properties: { highway: 'residential' }, geometry: { type: 'LineString', coordinates: [at(0, 100), at(1000, 100)] } },
      ],
    };
    const flat = buildNetwork(fc),
      hilly = buildNetwork(fc, { elevation: elev });
    const path = hilly.edges.filter((e) => e.highway === 'path');
    for (const e of path) expect(e.timeS).toBeGreaterThan(e.timeBackS); // drawn eastwards: uphill
    const road = hilly.edges.find((e) => e.highway === 'residential')!;
    expect(road.timeS).toBe(flat.edges.find((e) => e.highway === 'residential')!.timeS);
    // Along the path, both ways, through the matrix and a fresh search: the same times.
    const w = locate(hilly, at(100, -20), [at(100, -20)], 50)!,
      e = locate(hilly, at(900, -20), [at(900, -20)], 50)!;
    const m = networkTimeMatrix(hilly, [w, e], { maxDirectWalkM: 0, elevation: elev });
    expect(m.timeS[1]).toBeGreaterThan(m.timeS[2]);
    const dj = new Dijkstra(hilly);
    dj.run(w);
    const east = dj.to(e)[0];
    expect(m.timeS[1] - east).toBeGreaterThan(0); // plus the two short walks
    expect(m.timeS[1] - east).toBeLessThan(40);
  });
});
