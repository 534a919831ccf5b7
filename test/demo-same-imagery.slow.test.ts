import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ensureDemoImagery } from '@tiandi/synth/node';
import { jobQueueOf } from '@tiandi/server';
import { signedInServer } from '../apps/server/src/testing/signed-in';
import { REDNESS_MODEL_DIR } from '../apps/server/src/testing/test-model';
import { tiandi } from './helpers/run-tiandi';

// Issue 17: demo block 1 uploaded again was rescanned and 阿都村's certificate said "Images used: 2". Now the same
// imagery is recognised by content, whatever its name, by `tiandi scan --workspace` and by uploads, and counted once.
const root = fileURLToPath(new URL('..', import.meta.url));
const TUS = { 'tus-resumable': '1.0.0' };
const meta = (m: Record<string, string>) =>
  Object.entries(m)
    .map(([k, v]) => `${k} ${Buffer.from(v).toString('base64')}`)
    .join(',');

describe('demo block 1, twice', () => {
  it('is scanned and counted once, under any name, from the command line and from an upload', async () => {
    const block = (await ensureDemoImagery()).find((b) => b.file === 'block-1.tif')!;
    const dir = mkdtempSync(join(tmpdir(), 'tiandi-twice-'));
    const ws = ['--workspace', join(dir, 'demo.gpkg')];
    expect((await tiandi(dir, 'init', ...ws)).code).toBe(0);
    expect((await tiandi(dir, 'zones', 'import', join(root, 'seeds/zones.geojson'), ...ws)).code).toBe(0);
    expect((await tiandi(dir, 'season', 'set', join(root, 'seeds/season.json'), ...ws)).code).toBe(0);
    const first = await tiandi(dir, 'scan', block.path, '--model', REDNESS_MODEL_DIR, '--out', 'scan-1', '--workers', '0', ...ws);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/recorded in .*: 1 影像 images/);

    // The same file under a camera-style name: recognised by content, not scanned.
    copyFileSync(block.path, join(dir, 'DJI_20260415_0001.tif'));
    const again = await tiandi(dir, 'scan', 'DJI_20260415_0001.tif', '--model', REDNESS_MODEL_DIR, '--out', 'scan-2', '--workers', '0', ...ws);
    expect(again.code).toBe(0);
    expect(again.err).toMatch(/same imagery as workspace image 'block-1\.tif' \(by file sha256\)/);

    // Uploaded again through the server: the answer names the image, and no scan job is queued.
    const s = await signedInServer({ workspacePath: join(dir, 'demo.gpkg'), runJobs: false, modelDir: REDNESS_MODEL_DIR });
    try {
      const bytes = readFileSync(block.path);
      const created = await s.app.inject({
        method: 'POST',
        url: '/api/uploads',
        headers: {
          ...TUS,
          ...s.as.operator,
          'upload-length': String(bytes.length),
          'upload-metadata': meta({ filename: 'block-1.tif', sha256: createHash('sha256').update(bytes).digest('hex') }),
        },
      });
      const done = await s.app.inject({
        method: 'PATCH',
        url: `/api/uploads/${created.headers.location!.split('/').pop()}`,
        headers: { ...TUS, ...s.as.operator, 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
        payload: bytes,
      });
      expect(done.json()).toMatchObject({ jobId: null, existing: true, sameImage: { imageId: 'block-1.tif', by: 'sha256' } });
      expect(jobQueueOf(s.app.tiandi).list()).toEqual([]);
    } finally {
      await s.cleanup();
    }

    const cov = JSON.parse((await tiandi(dir, 'coverage', '--zone', block.village, '--json', ...ws)).out);
    expect(cov.used_images).toEqual(['block-1.tif']);
  }, 300_000);
});
