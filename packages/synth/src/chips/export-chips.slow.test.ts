import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { writeScene } from '../write-scene';
import { exportChips } from './export-chips';

describe('exportChips', () => {
  it('cuts class folders, coverage masks and a manifest from a GeoTIFF + truth, in any CRS', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chips-'));
    try {
      const w = await writeScene({ seed: 77, gsdM: 0.05, crs: 'EPSG:32648', widthPx: 1200, plotsPerHa: 40 }, dir, { compression: 'deflate' });
      const truth = JSON.parse(readFileSync(w.truthPath, 'utf8'));
      const plots = truth.features.filter((f: { properties: { class: string } }) => f.properties.class === 'poppy');
      expect(plots.length).toBeGreaterThan(2);
      const out = join(dir, 'chips');
      const recs = await exportChips(w.tifPath, truth, out, { gsdM: 0.15, sizePx: 64, perPositive: 2, seed: 3 });
      const pos = recs.filter((r) => r.class === 'poppy');
      expect(pos.length).toBeGreaterThanOrEqual(plots.length);
      for (const r of pos) {
        expect(existsSync(join(out, r.file))).toBe(true);
        const m = await sharp(join(out, r.mask!)).raw().toBuffer({ resolveWithObject: true });
        expect(m.info.width).toBe(64);
        expect(m.data.reduce((t, v) => t + v, 0)).toBeGreaterThan(0);
        expect(r.poppy_fraction).toBeGreaterThan(0);
      }
      // Total mask area of a chip centred on a plot is close to that plot's area (0.15 m cells).
      const manifest = JSON.parse(readFileSync(join(out, 'manifest.geojson'), 'utf8'));
      expect(manifest.features).toHaveLength(recs.length);
      expect(manifest.features[0].geometry.type).toBe('Polygon');
      const bg = recs.filter((r) => r.class === 'background');
      for (const r of bg) expect(r.mask).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
