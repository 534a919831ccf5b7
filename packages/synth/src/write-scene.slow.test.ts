import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeScene } from './write-scene';

const gdal = spawnSync('gdalinfo', ['--version']).status === 0;
if (!gdal) console.warn('NOTICE: gdalinfo (gdal-bin) not found — the GDAL read-back of the written scene is skipped (.ci/run installs it).');

describe('writeScene', () => {
  it.skipIf(!gdal)('writes a COG that GDAL reads with the scene georeference, and truth beside it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'synth-'));
    try {
      const w = await writeScene({ seed: 5, gsdM: 0.06, crs: 'EPSG:4522', widthPx: 1100, heightPx: 900, centreLonLat: [102.3, 27.9] }, dir);
      const info = JSON.parse(spawnSync('gdalinfo', ['-json', w.tifPath], { encoding: 'utf8' }).stdout);
      expect(info.size).toEqual([1100, 900]);
      info.geoTransform.forEach((v: number, i: number) => expect(v).toBeCloseTo(w.scene.georef.geoTransform[i], 9));
      expect(info.coordinateSystem.wkt).toContain('Gauss-Kruger zone 34');
      expect(info.bands).toHaveLength(3);
      expect(info.bands[0].overviews.length).toBeGreaterThan(0);
      // GDAL's WGS 84 corner equals the truth footprint's corner.
      const ul = info.wgs84Extent.coordinates[0][0];
      const truth = JSON.parse(readFileSync(w.truthPath, 'utf8'));
      const fp = truth.scene.footprint as number[][];
      const near = fp.some(([lon, lat]) => Math.abs(lon - ul[0]) < 1e-6 && Math.abs(lat - ul[1]) < 1e-6);
      expect(near).toBe(true);
      // The pixel under a plot centre, read by GDAL, is not road grey: the image matches the truth.
      const cmp = spawnSync('gdal_translate', ['-q', '-of', 'AAIGrid', '-b', '2', '-srcwin', '0', '0', '4', '4', w.tifPath, join(dir, 'g.asc')]);
      expect(cmp.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
