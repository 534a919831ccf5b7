import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { appendFileSync, copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeGeoTiff } from '../write/write-geotiff';
import { dropEarlySha256, fileSha256, imageDigests, startFileSha256 } from './image-digests';

const W = 300,
  H = 200;
const rows =
  (shift = 0) =>
  (y0: number, n: number) => {
    const a = new Uint8Array(W * n * 3);
    for (let y = 0; y < n; y++)
      for (let x = 0; x < W; x++) for (let b = 0; b < 3; b++) a[(y * W + x) * 3 + b] = ((x * 7 + (y0 + y) * 3 + shift) * (b + 1)) & 255;
    return a;
  };
const base = { width: W, height: H, bands: 3 as const, epsg: 32647, geoTransform: [500000, 0.05, 0, 2800000, 0, -0.05] as const, tileSize: 128 };

describe('imageDigests', () => {
  it('knows the same imagery renamed (file sha256) or rewritten losslessly with other tags (pixel digest), and tells other pixels apart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tiandi-digest-'));
    const a = join(dir, 'block-1.tif');
    await writeGeoTiff(a, { ...base, readRows: rows(), acquired: '2026-04-02T03:04:05Z' });
    copyFileSync(a, join(dir, 'renamed.tif'));
    // Same pixels, written again: another compression level, no overviews, another acquisition tag.
    await writeGeoTiff(join(dir, 'rewritten.tif'), { ...base, readRows: rows(), deflateLevel: 1, overviews: false, acquired: '2026-04-03T00:00:00Z' });
    await writeGeoTiff(join(dir, 'other.tif'), { ...base, readRows: rows(1) });
    await writeGeoTiff(join(dir, 'moved.tif'), { ...base, geoTransform: [500100, 0.05, 0, 2800000, 0, -0.05], readRows: rows() });

    const [da, dr, dw, dother, dmoved] = await Promise.all(
      ['block-1.tif', 'renamed.tif', 'rewritten.tif', 'other.tif', 'moved.tif'].map((f) => imageDigests(join(dir, f))),
    );
    expect(da.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(dr).toEqual(da);
    expect(dw.sha256).not.toBe(da.sha256);
    expect(dw.pixelSha256).toBe(da.pixelSha256);
    expect(dother.pixelSha256).not.toBe(da.pixelSha256);
    // Georeference is part of the imagery: the same pixels placed elsewhere are other evidence.
    expect(dmoved.pixelSha256).not.toBe(da.pixelSha256);
  });
});

describe('fileSha256', () => {
  it('gives the same digest on a thread of its own (large files) as here, and the same errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tiandi-digest-'));
    const a = join(dir, 'a.tif');
    await writeGeoTiff(a, { ...base, readRows: rows() });
    const here = await fileSha256(a);
    expect(here).toBe(createHash('sha256').update(readFileSync(a)).digest('hex'));
    // Every file "large": hashed on the thread.
    expect(await fileSha256(a, undefined, 0)).toBe(here);
    for (const threadBytes of [0, Infinity]) {
      await expect(fileSha256(join(dir, 'missing.tif'), undefined, threadBytes)).rejects.toMatchObject({ code: 'ENOENT' });
      // A folder has a size but cannot be read: the error comes from the reading, there or here.
      await expect(fileSha256(dir, undefined, threadBytes)).rejects.toMatchObject({ code: 'EISDIR' });
    }
    const aborted = AbortSignal.abort();
    await expect(fileSha256(a, aborted, 0)).rejects.toThrow(/abort/i);
  });
});

describe('startFileSha256', () => {
  it('begins the hash imageDigests then takes, once: a later digest, or one after a drop, hashes the file as it is then', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tiandi-digest-'));
    const a = join(dir, 'a.tif');
    await writeGeoTiff(a, { ...base, readRows: rows() });
    const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');
    const before = sha(a);
    // Every file "large" (threadBytes 0): begun on its thread, then the file changes on disk before it is taken.
    expect(await startFileSha256(a, undefined, 0)).toBe(before);
    appendFileSync(a, Buffer.from('appended'));
    const after = sha(a);
    expect(after).not.toBe(before);
    // The begun hash is the one taken: it read the file before the change.
    expect((await imageDigests(a)).sha256).toBe(before);
    // Taken once: the next digest hashes the file as it is now.
    expect((await imageDigests(a)).sha256).toBe(after);
    // Begun and dropped: not taken by a later digest.
    await startFileSha256(a, undefined, 0);
    dropEarlySha256(a);
    appendFileSync(a, Buffer.from('again'));
    expect((await imageDigests(a)).sha256).toBe(sha(a));
    // A file under the size is not begun ahead: its digest is of the file as it is when asked.
    expect(startFileSha256(a, undefined, Infinity)).toBeUndefined();
    appendFileSync(a, Buffer.from('more'));
    expect((await imageDigests(a)).sha256).toBe(sha(a));
  });
});
