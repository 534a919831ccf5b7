import { describe, expect, it } from 'vitest';
import { targetsFromGeoJson } from './targets-from-geojson';

const fc = (features: unknown[]) => ({ type: 'FeatureCollection', features });
const square = (lon: number, lat: number, d: number) => ({
  type: 'Polygon',
  coordinates: [
    [
      [lon, lat],
      [lon + d, lat],
      [lon + d, lat + d],
      [lon, lat + d],
      [lon, lat],
    ],
  ],
});

describe('targetsFromGeoJson', () => {
  it('derives priority from score and area and service from area, for candidates', () => {
    const [t] = targetsFromGeoJson(
      fc([{ type: 'Feature', properties: { id: 'c1', score_max: 0.8, score_mean: 0.6, area_m2: 200 }, geometry: square(102.3, 27.9, 0.001) }]),
    );
    expect(t.id).toBe('c1');
    expect(t.priority).toBeCloseTo(0.8 * (1 + Math.log10(3)), 3);
    expect(t.serviceS).toBe(600 + 0.2 * 200); // 10 min + 0.2 s per m²
    expect(t.lonLat[0]).toBeCloseTo(102.3005, 9);
    expect(t.lonLat[1]).toBeCloseTo(27.9005, 9);
    expect(t.outline).toHaveLength(5);
  });

  it('takes priority, service_s and time_window overrides, and computes the area of polygons without area_m2', () => {
    const [a, b] = targetsFromGeoJson(
      fc([
        {
          type: 'Feature',
          id: 'f1',
          properties: { priority: 5, service_s: 120, time_window: '09:00-11:30' },
          geometry: { type: 'Point', coordinates: [102.3, 27.9] },
        },
        { type: 'Feature', properties: { score_mean: 0.5 }, geometry: square(102.3, 27.9, 0.0001) },
      ]),
    );
    expect(a).toMatchObject({ id: 'f1', priority: 5, serviceS: 120, earliestS: 9 * 3600, latestS: 11.5 * 3600 });
    expect(b.id).toBe('t2');
    expect(b.areaM2).toBeGreaterThan(105); // ≈ 9.85 m × 11.1 m
    expect(b.areaM2).toBeLessThan(112);
  });

  it('rejects malformed input with stable codes', () => {
    expect(() => targetsFromGeoJson({ type: 'Feature' })).toThrow(expect.objectContaining({ code: 'TIANDI_E_PLAN_INPUT' }));
    expect(() => targetsFromGeoJson(fc([]))).toThrow(expect.objectContaining({ code: 'TIANDI_E_NO_TARGETS' }));
    expect(() =>
      targetsFromGeoJson(
        fc([
          {
            type: 'Feature',
            properties: {},
            geometry: {
              type: 'LineString',
              coordinates: [
                [0, 0],
                [1, 1],
              ],
            },
          },
        ]),
      ),
    ).toThrow(expect.objectContaining({ code: 'TIANDI_E_PLAN_INPUT', field: 'geometry' }));
    expect(() =>
      targetsFromGeoJson(
        fc([
          { type: 'Feature', properties: { id: 'x' }, geometry: { type: 'Point', coordinates: [0, 0] } },
          { type: 'Feature', properties: { id: 'x' }, geometry: { type: 'Point', coordinates: [0, 0] } },
        ]),
      ),
    ).toThrow(/duplicate/);
    expect(() => targetsFromGeoJson(fc([{ type: 'Feature', properties: { time_window: '9-11' }, geometry: { type: 'Point', coordinates: [0, 0] } }]))).toThrow(
      expect.objectContaining({ field: 'time_window' }),
    );
  });
});
