import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { jobQueueOf } from './services';
import { makeGeoTiff } from '../testing/make-geotiff';
import { signedInServer } from '../testing/signed-in';
import { RED_PLOTS, REDNESS_MODEL_DIR } from '../testing/test-model';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

const TUS = { 'tus-resumable': '1.0.0' };
const meta = (m: Record<string, string>) =>
  Object.entries(m)
    .map(([k, v]) => `${k} ${Buffer.from(v).toString('base64')}`)
    .join(',');

describe('upload → scan → workspace', () => {
  it('scans an uploaded orthophoto with the tiles package, imports its targets once, and serves its heatmap tiles', async () => {
    const s = await signedInServer({ modelDir: REDNESS_MODEL_DIR });
    cleanups.push(s.cleanup);
    await s.app.ready();
    const tif = makeGeoTiff({ width: 1000, height: 800, epsg: 32648, origin: [500_000, 3_090_000], pixelSize: 0.1, redPlots: RED_PLOTS });
    const sha = createHash('sha256').update(tif).digest('hex');
    const created = await s.app.inject({
      method: 'POST',
      url: '/api/uploads',
      headers: { ...TUS, ...s.as.operator, 'upload-length': String(tif.length), 'upload-metadata': meta({ filename: 'red.tif', sha256: sha }) },
    });
    const location = `/api/uploads/${created.headers.location!.split('/').pop()}`;
    const done = await s.app.inject({
      method: 'PATCH',
      url: location,
      headers: { ...TUS, ...s.as.operator, 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
      payload: tif,
    });
    expect(done.statusCode).toBe(200);
    const q = jobQueueOf(s.app.tiandi);
    const progress: number[] = [];
    q.on('job', (j) => progress.push(j.progress.fraction));
    await q.whenIdle();
    const job = q.get(done.json().jobId)!;
    expect(job.error).toBeNull();
    expect(job.status).toBe('done');
    expect(job.progress.fraction).toBe(1);
    expect(job.result!.candidates).toBe(RED_PLOTS.length);
    expect(progress.at(-1)).toBe(1);
    expect(fs.existsSync(path.join(job.result!.scanDir, 'heatmap.tif'))).toBe(true);

    const targets = (await s.app.inject({ url: '/api/targets', headers: s.as.operator })).json();
    expect(targets.features).toHaveLength(RED_PLOTS.length);
    for (const f of targets.features) expect(f.properties.area_m2).toBeGreaterThan(5);
    // The import is audited under the account that uploaded the file.
    const { readAuditLog, Workspace } = await import('@tiandi/store');
    const ws = Workspace.open(path.join(s.dir, 'w.gpkg'));
    const actors = new Set(readAuditLog(ws).map((e) => e.actor));
    ws.close();
    expect([...actors]).toEqual(['operator']);
    const rasters = (await s.app.inject({ url: '/api/rasters', headers: s.as.operator })).json().rasters;
    expect(rasters.map((r: { kind: string }) => r.kind).sort()).toEqual(['heatmap', 'ortho']);

    // Retrying the finished scan imports nothing twice.
    expect((await s.app.inject({ method: 'POST', url: `/api/jobs/${job.id}/retry`, headers: s.as.operator, payload: {} })).statusCode).toBe(409);
    expect((await s.app.inject({ url: '/api/targets', headers: s.as.operator })).json().features).toHaveLength(RED_PLOTS.length);
  });
});
