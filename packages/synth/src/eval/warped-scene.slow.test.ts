import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanImages } from '@tiandi/tiles/node';
import { writeScene } from '../write-scene';
import { outlinesTouch } from '@tiandi/geo';
import type { Rings } from '../metrics/plot-metrics';
import { polygonRings } from './calibration-plots';

const modelDir = join(import.meta.dirname, '../../../../models/poppy-synth');
const hasGdalwarp = spawnSync('gdalwarp', ['--version']).status === 0;
if (!hasGdalwarp) process.stderr.write('\n[synth] NOTICE: gdalwarp (gdal-bin) not found — the reprojected-scene case is SKIPPED.\n\n');

type Feature = { geometry: { type: string; coordinates: unknown }; properties: Record<string, unknown> };

describe('the default model on an orthophoto reprojected by gdalwarp', () => {
  // Operators reproject with gdalwarp, nearest-neighbour by default. Into a CRS whose central meridian lies
  // 32° west of the scene (EPSG:4513, CGCS2000 GK zone 25) the pixel grid turns by ~14° and every pixel is
  // resampled: the renderer's exact pixel texture is gone. The verifier once rejected every plot in it.
  it.skipIf(!hasGdalwarp)(
    'still finds the large plots of a scene warped 14° with nearest-neighbour resampling',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'tiandi-warp-'));
      try {
        const w = await writeScene({ seed: 9005, gsdM: 0.05, crs: 'EPSG:32648', widthPx: 3000 }, dir, { compression: 'deflate' });
        const warped = join(dir, 'warped-4513.tif');
        const r = spawnSync('gdalwarp', ['-q', '-t_srs', 'EPSG:4513', '-dstalpha', '-co', 'TILED=YES', '-co', 'COMPRESS=LZW', w.tifPath, warped], {
          encoding: 'utf8',
        });
        expect(r.status, r.stderr).toBe(0);
        const summary = await scanImages({ images: [warped], modelDir, outDir: join(dir, 'out') });
        expect(summary.failed).toEqual([]);
        // The footprint is the same ground: a 150 m square (22 500 m²), whatever the grid.
        expect(summary.area_km2 * 1e6).toBeGreaterThan(22_300);
        expect(summary.area_km2 * 1e6).toBeLessThan(22_700);
        const truth = JSON.parse(readFileSync(w.truthPath, 'utf8')).features as Feature[];
        const big = truth.filter((f) => f.properties.class === 'poppy' && Number(f.properties.area_m2) >= 10);
        expect(big.length).toBeGreaterThanOrEqual(2);
        const cands = JSON.parse(readFileSync(join(dir, 'out', 'candidates.geojson'), 'utf8')).features as Feature[];
        for (const p of big)
          expect(
            // A joined candidate (a MultiPolygon) finds the plot when any of its parts touches it.
            cands.some((c) => polygonRings(c.geometry).some((part) => outlinesTouch(part, p.geometry.coordinates as Rings))),
            `plot ${p.properties.id} (${p.properties.area_m2} m²)`,
          ).toBe(true);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    300_000,
  );
});
