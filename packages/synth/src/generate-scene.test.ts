import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { generateScene } from './generate-scene';
import { SynthError } from './errors';
import { metresPerDegreeLon } from './scene-georef';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('generateScene', () => {
  it('is deterministic: same seed, same pixels and truth; another seed differs', () => {
    const a = generateScene({ seed: 42, gsdM: 0.05, widthPx: 512 });
    const b = generateScene({ seed: 42, gsdM: 0.05, widthPx: 512 });
    const c = generateScene({ seed: 43, gsdM: 0.05, widthPx: 512 });
    expect(sha(a.renderRows(100, 32))).toBe(sha(b.renderRows(100, 32)));
    expect(JSON.stringify(a.truth)).toBe(JSON.stringify(b.truth));
    expect(sha(a.renderRows(100, 32))).not.toBe(sha(c.renderRows(100, 32)));
  });

  it('renders a band the same whether alone or as part of a larger band', () => {
    const s = generateScene({ seed: 7, gsdM: 0.04, widthPx: 256 });
    const big = s.renderRows(0, 64);
    const small = s.renderRows(32, 16);
    expect(sha(small)).toBe(sha(big.subarray(32 * 256 * 3, 48 * 256 * 3)));
  });

  it('georeferences in EPSG:4522 with the zone prefix and round-trips scene ↔ lon/lat', () => {
    const s = generateScene({ seed: 3, gsdM: 0.05, crs: 'EPSG:4522', widthPx: 2000, centreLonLat: [102.3, 27.9] });
    const [ox, px, , , , py] = s.georef.geoTransform;
    expect(px).toBe(0.05);
    expect(py).toBe(-0.05);
    expect(Math.floor(ox / 1e6)).toBe(34);
    const [lon, lat] = s.georef.sceneToLonLat(50, 50);
    expect(lon).toBeCloseTo(102.3, 3);
    expect(lat).toBeCloseTo(27.9, 3);
    const back = s.georef.lonLatToScene(lon, lat);
    expect(back[0]).toBeCloseTo(50, 4);
    expect(back[1]).toBeCloseTo(50, 4);
  });

  it('supports geographic and UTM CRSs with square ground pixels', () => {
    const g = generateScene({ seed: 3, gsdM: 0.05, crs: 4326, widthPx: 200, centreLonLat: [102.3, 27.9] });
    const gt = g.georef.geoTransform;
    expect(gt[1] * metresPerDegreeLon(27.9)).toBeCloseTo(0.05, 9);
    const u = generateScene({ seed: 3, gsdM: 0.08, crs: 'EPSG:32648', widthPx: 200 });
    expect(u.georef.geoTransform[1]).toBe(0.08);
    // Web Mercator: CRS units are stretched by about 1/cos(lat), so the ground pixel stays 5 cm.
    const m = generateScene({ seed: 3, gsdM: 0.05, crs: 'EPSG:3857', widthPx: 200, centreLonLat: [102.3, 27.9] });
    expect(m.georef.geoTransform[1]).toBeCloseTo(0.05 / Math.cos((27.9 * Math.PI) / 180), 3);
    const [lon] = u.georef.sceneToLonLat(0, 0);
    expect(lon).toBeGreaterThan(102);
    expect(lon).toBeLessThan(108);
  });

  it('records poppy plots with WGS 84 polygons, areas, plant counts and stages', () => {
    const s = generateScene({ seed: 11, gsdM: 0.05, widthPx: 4096 });
    const plots = s.truth.features.filter((f) => f.properties.class === 'poppy');
    expect(plots.length).toBeGreaterThan(3);
    for (const f of plots) {
      const p = f.properties as { area_m2: number; plant_count: number; stage: string };
      expect(p.area_m2).toBeGreaterThan(1.5);
      expect(p.plant_count).toBeGreaterThan(p.area_m2 * 10);
      expect(['flowering', 'capsule']).toContain(p.stage);
      const ring = f.geometry.coordinates[0];
      expect(ring[0]).toEqual(ring[ring.length - 1]);
      for (const [lon, lat] of ring) {
        expect(lon).toBeGreaterThan(101);
        expect(lat).toBeGreaterThan(27);
      }
    }
    expect(s.truth.scene.area_km2).toBeCloseTo((4096 * 0.05) ** 2 / 1e6, 9);
  });

  it('paints poppy colours inside a plot: glaucous foliage with flowers', () => {
    const s = generateScene({ seed: 11, gsdM: 0.05, widthPx: 4096 });
    const plot = s.layout.plots.find((p) => p.stage === 'flowering' && p.areaM2 > 8)!;
    const cx = plot.ring.slice(0, -1).reduce((t, p) => t + p[0], 0) / (plot.ring.length - 1);
    const cy = plot.ring.slice(0, -1).reduce((t, p) => t + p[1], 0) / (plot.ring.length - 1);
    const row = Math.floor(cy / 0.05);
    const px = s.renderRows(row, 1);
    const col = Math.floor(cx / 0.05);
    let blueGreen = 0;
    for (let i = col - 10; i < col + 10; i++) {
      const [r, g, b] = [px[i * 3], px[i * 3 + 1], px[i * 3 + 2]];
      if (g > r && b > r * 0.95) blueGreen++;
    }
    expect(blueGreen).toBeGreaterThan(3);
  });

  it('rejects unknown keys and out-of-range GSD with a typed error', () => {
    expect(() => generateScene({ seed: 1, gsd: 0.05 } as never)).toThrow(SynthError);
    try {
      generateScene({ seed: 1, gsdM: 0.5 });
    } catch (e) {
      expect((e as SynthError).code).toBe('TIANDI_E_BAD_SCENE_OPTIONS');
      expect((e as SynthError).field).toBe('gsdM');
    }
  });
});
