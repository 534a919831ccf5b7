import { describe, expect, it } from 'vitest';
import { computeCoverage, type Footprint } from './coverage';
import { geodesicAreaM2 } from './geodesic-area';
import type { Polygon } from './geojson';
import { boxPolygon } from './box-polygon';

const rules = { floweringStart: '2026-03-01', floweringEnd: '2026-05-31', maxGsdM: 0.1 };
const zone = boxPolygon(100, 25, 100.02, 25.02);
const fp = (imageId: string, g: Polygon, over: Partial<Footprint> = {}): Footprint => ({
  imageId,
  geometry: g,
  gsdM: 0.05,
  acquired: '2026-04-10T03:00:00Z',
  ...over,
});

describe('computeCoverage', () => {
  it('covers exactly the overlapped half, counting overlaps once (0.01 %)', () => {
    const r = computeCoverage(zone, [fp('a', boxPolygon(99.99, 24.99, 100.01, 25.03)), fp('b', boxPolygon(100.005, 25.0, 100.01, 25.02))], rules);
    const half = geodesicAreaM2(boxPolygon(100, 25, 100.01, 25.02));
    expect(Math.abs(r.coveredAreaM2 - half) / half).toBeLessThan(1e-4);
    expect(Math.abs(r.gapAreaM2 - geodesicAreaM2(boxPolygon(100.01, 25, 100.02, 25.02))) / r.gapAreaM2).toBeLessThan(1e-4);
    expect(r.share).toBeCloseTo(half / r.zoneAreaM2, 6);
    expect(r.usedImageIds).toEqual(['a', 'b']);
  });

  it('leaves a hole where no footprint reaches and reports it as a gap', () => {
    const ring = [
      boxPolygon(99.99, 24.99, 100.03, 25.005),
      boxPolygon(99.99, 25.015, 100.03, 25.03),
      boxPolygon(99.99, 24.99, 100.005, 25.03),
      boxPolygon(100.015, 24.99, 100.03, 25.03),
    ];
    const r = computeCoverage(
      zone,
      ring.map((g, i) => fp('f' + i, g)),
      rules,
    );
    const hole = geodesicAreaM2(boxPolygon(100.005, 25.005, 100.015, 25.015));
    expect(Math.abs(r.gapAreaM2 - hole) / hole).toBeLessThan(1e-4);
    expect(Math.abs(r.share - (1 - hole / r.zoneAreaM2))).toBeLessThan(1e-4);
  });

  it('ignores imagery outside the flowering window or coarser than the maximum GSD', () => {
    const all = boxPolygon(99, 24, 101, 26);
    const r = computeCoverage(
      zone,
      [
        fp('late', all, { acquired: '2026-06-01' }),
        fp('early', all, { acquired: '2026-02-28T23:59:00Z' }),
        fp('coarse', all, { gsdM: 0.2 }),
        fp('nodate', all, { acquired: '' }),
        fp('far', boxPolygon(110, 30, 110.01, 30.01)),
      ],
      rules,
    );
    expect(r.share).toBe(0);
    expect(r.gaps).not.toBeNull();
    expect(Object.fromEntries(r.rejected.map((x) => [x.imageId, x.reason]))).toEqual({
      late: 'outside_flowering_window',
      early: 'outside_flowering_window',
      coarse: 'too_coarse',
      nodate: 'no_acquisition_date',
      far: 'outside_zone',
    });
  });

  it('counts the window edges as inside and gives share 1 with no gaps when fully covered', () => {
    const r = computeCoverage(
      zone,
      [
        fp('s', boxPolygon(99.9, 24.9, 100.01, 25.1), { acquired: '2026-03-01' }),
        fp('e', boxPolygon(100.01, 24.9, 100.1, 25.1), { acquired: '2026-05-31T23:00:00Z', gsdM: 0.1 }),
      ],
      rules,
    );
    expect(r.share).toBeCloseTo(1, 9);
    expect(r.gaps).toBeNull();
  });
});
