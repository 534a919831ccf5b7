import { dbOf } from '@tiandi/store/testing';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importScanDir, importZones, readAuditLog, setSeason } from '@tiandi/store';
import { jobQueueOf } from '../jobs/services';
import { makeGeoTiff } from '../testing/make-geotiff';
import { signedInServer } from '../testing/signed-in';
import { REDNESS_MODEL_DIR, RED_PLOTS } from '../testing/test-model';
import { workspaceOf } from '../workspace/workspace-service';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});
const TUS = { 'tus-resumable': '1.0.0' };
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const meta = (m: Record<string, string>) =>
  Object.entries(m)
    .map(([k, v]) => `${k} ${Buffer.from(v).toString('base64')}`)
    .join(',');

describe('an upload of imagery the workspace already holds', () => {
  it('is recognised by content under another name, says which image it is, and is not scanned or recorded again', async () => {
    const s = await signedInServer({ runJobs: false, modelDir: REDNESS_MODEL_DIR });
    cleanups.push(s.cleanup);
    // Block 1 scanned and recorded once, as `tiandi scan --workspace` or the demo does.
    const tif = makeGeoTiff({ width: 1000, height: 800, epsg: 32648, origin: [500_000, 3_090_000], pixelSize: 0.1, redPlots: RED_PLOTS });
    const file = path.join(s.dir, 'block-1.tif');
    fs.writeFileSync(file, tif);
    const { scanImages } = await import('@tiandi/tiles/node');
    const summary = await scanImages({ images: [file], modelDir: REDNESS_MODEL_DIR, outDir: path.join(s.dir, 'scan'), workers: 0 });
    expect(summary.failed).toEqual([]);
    const ws = workspaceOf(s.app.tiandi);
    const [foot] = JSON.parse(fs.readFileSync(path.join(summary.out_dir!, 'footprint.geojson'), 'utf8')).features;
    // The digests the scan wrote are the ones a fresh look at the file gives (what uploads and the CLI compare).
    const { imageDigests } = await import('@tiandi/tiles/node');
    expect({ sha256: foot.properties.sha256, pixelSha256: foot.properties.pixel_sha256 }).toEqual(await imageDigests(file));
    importZones(
      ws,
      { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { zone_id: 'V01', name: '上寨村' }, geometry: foot.geometry }] },
      { level: 'village' },
      'test',
    );
    setSeason(ws, { id: '2026', year: 2026, policy: { min_coverage_share: 0.5, review_threshold: 1 } }, 'test');
    await importScanDir(ws, summary.out_dir!, 'operator');

    const created = await s.app.inject({
      method: 'POST',
      url: '/api/uploads',
      headers: { ...TUS, ...s.as.operator, 'upload-length': String(tif.length), 'upload-metadata': meta({ filename: 'block-1 再次.tif', sha256: sha(tif) }) },
    });
    const location = `/api/uploads/${created.headers.location!.split('/').pop()}`;
    const done = await s.app.inject({
      method: 'PATCH',
      url: location,
      headers: { ...TUS, ...s.as.operator, 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
      payload: tif,
    });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ jobId: null, existing: true, sameImage: { imageId: 'block-1.tif', by: 'sha256' } });
    expect(jobQueueOf(s.app.tiandi).list()).toEqual([]);

    expect(dbOf(ws).prepare('SELECT image_id FROM images').all()).toEqual([{ image_id: 'block-1.tif' }]);
    expect(readAuditLog(ws).filter((e) => e.action === 'scan.import')).toHaveLength(1);
  });
});
