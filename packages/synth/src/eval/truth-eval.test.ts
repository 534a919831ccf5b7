import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTruthFile } from './truth-eval';

const dir = mkdtempSync(join(tmpdir(), 'tiandi-truth-'));
const square = (x: number, y: number, s: number) => [
  [
    [x, y],
    [x + s, y],
    [x + s, y + s],
    [x, y + s],
    [x, y],
  ],
];
function write(name: string, json: unknown): string {
  const p = join(dir, name);
  writeFileSync(p, JSON.stringify(json));
  return p;
}
const fc = (crs: string | undefined, features: unknown[]) => ({
  type: 'FeatureCollection',
  ...(crs ? { crs: { type: 'name', properties: { name: crs } } } : {}),
  features,
});

describe('readTruthFile', () => {
  it('reprojects a truth in UTM and in Web Mercator to lon/lat and measures ground area', () => {
    const utm = readTruthFile(
      write(
        'utm.geojson',
        fc('urn:ogc:def:crs:EPSG::32648', [
          {
            type: 'Feature',
            properties: { id: 'a', stage: 'flowering', colour: 'red' },
            geometry: { type: 'Polygon', coordinates: square(447_900, 2_489_100, 10) },
          },
        ]),
      ),
    );
    expect(utm).toHaveLength(1);
    expect(utm[0]).toMatchObject({ id: 'a', stage: 'flowering', properties: { colour: 'red' } });
    const [lon, lat] = utm[0].rings[0][0];
    // gdaltransform -s_srs EPSG:32648 -t_srs EPSG:4326: 104.493439173545 22.5075902777818
    expect(lon).toBeCloseTo(104.493439, 6);
    expect(lat).toBeCloseTo(22.50759, 6);
    // 10 m × 10 m in UTM is 100 m² on the ground within the zone's scale error (< 0.1 %).
    expect(utm[0].areaM2).toBeGreaterThan(99.9);
    expect(utm[0].areaM2).toBeLessThan(100.1);
    // 10 × 10 Web Mercator units at 21.4° N span cos²(lat) as much ground.
    const merc = readTruthFile(
      write(
        'merc.geojson',
        fc('EPSG:3857', [{ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: square(11_188_400, 2_438_700, 10) } }]),
      ),
    );
    expect(merc[0].areaM2 / 100).toBeCloseTo(Math.cos((21.4 * Math.PI) / 180) ** 2, 2);
    expect(merc[0]).toMatchObject({ id: 'feature 1', stage: 'unknown' });
  });

  it('keeps WGS 84 as given, splits MultiPolygons, and ignores features of other classes and non-polygons', () => {
    const plots = readTruthFile(
      write(
        'mixed.geojson',
        fc('urn:ogc:def:crs:OGC:1.3:CRS84', [
          {
            type: 'Feature',
            id: 7,
            properties: { class: 'poppy' },
            geometry: { type: 'MultiPolygon', coordinates: [square(102.5, 25.3, 0.0001), square(102.6, 25.3, 0.0001)] },
          },
          { type: 'Feature', properties: { class: 'maize' }, geometry: { type: 'Polygon', coordinates: square(102.7, 25.3, 0.0001) } },
          { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [102.5, 25.3] } },
        ]),
      ),
    );
    expect(plots.map((p) => p.id)).toEqual(['7#1', '7#2']);
    expect(plots[0].rings[0][0]).toEqual([102.5, 25.3]);
    // 0.0001° square at 25.3° N: about 11.1 m × 10.1 m.
    expect(plots[0].areaM2).toBeGreaterThan(110);
    expect(plots[0].areaM2).toBeLessThan(115);
  });

  it('refuses a CRS it does not know and coordinates out of range, naming the file', () => {
    const bad = write('badcrs.geojson', fc('EPSG:999999', [{ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: square(0, 0, 1) } }]));
    expect(() => readTruthFile(bad)).toThrow(/badcrs\.geojson: its "crs" member/);
    const far = write(
      'far.geojson',
      fc(undefined, [{ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: square(447_900, 2_489_100, 10) } }]),
    );
    expect(() => readTruthFile(far)).toThrow(
      expect.objectContaining({
        code: 'TIANDI_E_BAD_TRUTH',
        message: expect.stringContaining('far.geojson: feature 1: coordinate [447900,2489100] is not lon/lat degrees'),
      }),
    );
  });
});
