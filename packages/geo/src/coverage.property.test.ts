import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { computeCoverage, type Footprint } from './coverage';
import { geodesicAreaM2 } from './geodesic-area';
import type { LonLat, Polygon } from './geojson';
import { rect } from './fixtures.test-util';

const rules = { floweringStart: '2026-03-01', floweringEnd: '2026-05-31', maxGsdM: 0.1 };
const fp = (imageId: string, geometry: Polygon): Footprint => ({ imageId, geometry, gsdM: 0.05, acquired: '2026-04-01' });

/** A square of side `sideDeg` centred at (cx, cy), rotated by `deg`. */
function rotated(cx: number, cy: number, sideDeg: number, deg: number): Polygon {
  const a = (deg * Math.PI) / 180;
  const h = sideDeg / 2;
  const ring: LonLat[] = [
    [-h, -h],
    [h, -h],
    [h, h],
    [-h, h],
  ].map(([x, y]) => [cx + x * Math.cos(a) - y * Math.sin(a), cy + x * Math.sin(a) + y * Math.cos(a)]);
  ring.push(ring[0]);
  return { type: 'Polygon', coordinates: [ring] };
}

describe('coverage robustness', () => {
  it('a 12 × 12 grid of edge-sharing footprints covers its zone exactly, with no sliver gaps', () => {
    const d = 0.001;
    const fps: Footprint[] = [];
    for (let i = 0; i < 12; i++) for (let j = 0; j < 12; j++) fps.push(fp(`g${i}-${j}`, rect(100 + i * d, 25 + j * d, 100 + (i + 1) * d, 25 + (j + 1) * d)));
    const zone = rect(100, 25, 100 + 12 * d, 25 + 12 * d);
    const r = computeCoverage(zone, fps, rules);
    expect(Math.abs(r.share - 1)).toBeLessThan(1e-9);
    expect(r.gaps).toBeNull();
  });

  it('rotated, overlapping footprints: covered + gaps = zone, and covering strips give the analytic share', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            x: fc.double({ min: 0, max: 1, noNaN: true }),
            y: fc.double({ min: 0, max: 1, noNaN: true }),
            s: fc.double({ min: 0.1, max: 0.6, noNaN: true }),
            deg: fc.double({ min: 0, max: 90, noNaN: true }),
          }),
          { minLength: 1, maxLength: 12 },
        ),
        (specs) => {
          const zone = rect(100, 25, 100.01, 25.01);
          const fps = specs.map((s, i) => fp('f' + i, rotated(100 + s.x * 0.01, 25 + s.y * 0.01, s.s * 0.01, s.deg)));
          const r = computeCoverage(zone, fps, rules);
          expect(Math.abs(r.coveredAreaM2 + r.gapAreaM2 - r.zoneAreaM2) / r.zoneAreaM2).toBeLessThan(1e-7);
          expect(r.share).toBeGreaterThanOrEqual(0);
          expect(r.share).toBeLessThanOrEqual(1);
          // Adding a footprint never lowers coverage.
          const more = computeCoverage(zone, [...fps, fp('extra', rotated(100.005, 25.005, 0.003, 30))], rules);
          expect(more.coveredAreaM2).toBeGreaterThanOrEqual(r.coveredAreaM2 * (1 - 1e-9));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('overlapping horizontal strips give exactly the analytic share (0.01 %)', () => {
    // Strips 0..k of height h with overlap; union is the band [25, 25 + top].
    const zone = rect(100, 25, 100.01, 25.01);
    for (const top of [0.0031, 0.0057, 0.0093]) {
      const fps: Footprint[] = [];
      for (let y = 0; y < top - 1e-12; y += 0.0007) fps.push(fp('s' + y, rect(99.99, 25 + y, 100.02, 25 + Math.min(top, y + 0.001))));
      const r = computeCoverage(zone, fps, rules);
      const expected = geodesicAreaM2(rect(100, 25, 100.01, 25 + top));
      expect(Math.abs(r.coveredAreaM2 - expected) / expected).toBeLessThan(1e-4);
    }
  });
});
