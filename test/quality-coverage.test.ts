import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { gapsToKml, getCrs, pointInPolygonal, toWgs84 } from '@tiandi/geo';
import { scanImages } from '@tiandi/tiles/node';
import { importScanDir, importZones, setSeason, Workspace, zoneCoverage } from '@tiandi/store';
import { QUALITY_IMAGE_PX as N, writeQualityTestImage } from '../packages/tiles/src/testing/quality-test-image';

const SEG = fileURLToPath(new URL('../packages/tiles/fixtures/models/redness-seg', import.meta.url));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiandi-quality-coverage-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('poor imagery is a coverage gap and goes into the re-fly KML', () => {
  it('a zone under an image with a blurred and an over-exposed quarter is about half covered, the gaps where they are', async () => {
    const file = path.join(dir, 'blocks.tif');
    const { ox, oy } = await writeQualityTestImage(file);
    const lonLat = (px: number, py: number) => toWgs84(getCrs(4522)).forward([ox + px * 0.1, oy - py * 0.1]);
    const zone = { type: 'Polygon' as const, coordinates: [[lonLat(8, 8), lonLat(N - 8, 8), lonLat(N - 8, N - 8), lonLat(8, N - 8), lonLat(8, 8)]] };
    const out = path.join(dir, 'scan');
    await scanImages({ images: [file], modelDir: SEG, outDir: out, workers: 0 });
    const ws = Workspace.create(path.join(dir, 'w.gpkg'));
    try {
      importZones(
        ws,
        { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { zone_id: 'v1', name: '测试村' }, geometry: zone }] },
        { level: 'village' },
        'test',
      );
      setSeason(ws, { id: 's2026', flowering_window: { start: '2026-03-01', end: '2026-05-31' }, policy: { max_gsd_m: 0.2 } }, 'test');
      await importScanDir(ws, out, 'test');
      const { coverage } = zoneCoverage(ws, 'v1', 's2026');
      expect(coverage.share).toBeGreaterThan(0.35);
      expect(coverage.share).toBeLessThan(0.65);
      const gaps = coverage.gaps!;
      expect(pointInPolygonal(lonLat(N / 4, N / 4), gaps)).toBe(true); // blurred quarter
      expect(pointInPolygonal(lonLat((3 * N) / 4, (3 * N) / 4), gaps)).toBe(true); // over-exposed quarter
      expect(pointInPolygonal(lonLat((3 * N) / 4, N / 4), gaps)).toBe(false); // sharp quarters
      expect(pointInPolygonal(lonLat(N / 4, (3 * N) / 4), gaps)).toBe(false);
      const { kml, count } = gapsToKml(gaps, { name: 'v1 re-fly' });
      expect(count).toBeGreaterThanOrEqual(2);
      expect(kml).toContain('<Placemark>');
    } finally {
      ws.close();
    }
  });
});
