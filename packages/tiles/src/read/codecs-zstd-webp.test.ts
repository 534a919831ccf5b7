import { describe, expect, it, beforeAll } from 'vitest';
import { copyFileSync, mkdtempSync, openSync, readSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromFile } from 'geotiff';
import { makeFixtures, type Fixtures } from '../../scripts/make-fixtures';
import { DECODERS, blockBytes, type BlockLayout } from './codecs';
import { openGeoTiffSource } from './open-geotiff-source';
import { gdalAvailable } from '../testing/gdal-available';

const ZSTD = 50000;
const zstd = DECODERS.get(ZSTD)!;
/** A 256-px-wide block of 8-bit samples: the fixture's RGBA tiles (alpha as a fourth sample). */
const layout = (blockHeight: number, samples = 4): BlockLayout => ({ blockWidth: 256, blockHeight, samples, bitsPerSample: 8, predictor: 2 });

describe('ZSTD blocks (zstddec)', () => {
  it('refuses bytes that are not a ZSTD frame, and an empty block, instead of returning nothing', async () => {
    await expect(zstd(Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]), layout(256))).rejects.toThrow(/ZSTD block is corrupt/);
    await expect(zstd(new Uint8Array(0), layout(256))).rejects.toThrow(/ZSTD block is corrupt/);
  });
});

describe.skipIf(!gdalAvailable())('ZSTD blocks written by GDAL', () => {
  let fx: Fixtures;
  /** The zstd fixture's first tile, compressed, and where it lies in the file. */
  let first: { bytes: Uint8Array; offset: number };
  beforeAll(async () => {
    fx = await makeFixtures();
    const image = await (await fromFile(fx.files.zstd)).getImage();
    const offsets = (await image.fileDirectory.loadValue('TileOffsets')) as ArrayLike<number>;
    const counts = (await image.fileDirectory.loadValue('TileByteCounts')) as ArrayLike<number>;
    const bytes = new Uint8Array(Number(counts[0]));
    const fd = openSync(fx.files.zstd, 'r');
    readSync(fd, bytes, 0, bytes.length, Number(offsets[0]));
    closeSync(fd);
    first = { bytes, offset: Number(offsets[0]) };
  }, 120_000);

  it('decodes a whole tile, and refuses one that decodes to more than its block (a lying header) or is cut short', async () => {
    const out = await zstd(first.bytes, layout(256));
    expect(out.length).toBe(blockBytes(layout(256)));
    expect(new Set(out).size).toBeGreaterThan(10);
    await expect(zstd(first.bytes, layout(128))).rejects.toThrow(/ZSTD block is corrupt/);
    await expect(zstd(first.bytes.subarray(0, first.bytes.length >> 1), layout(256))).rejects.toThrow(/ZSTD block is corrupt/);
  });

  it('a file whose tile is garbage is refused as corrupt, naming the file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tiandi-zstd-')), 'garbled.tif');
    copyFileSync(fx.files.zstd, file);
    const fd = openSync(file, 'r+');
    writeSync(fd, new Uint8Array(first.bytes.length).fill(0x5a), 0, first.bytes.length, first.offset);
    closeSync(fd);
    const s = await openGeoTiffSource(file);
    const err = await s.readWindow([0, 0, 64, 64]).catch((e) => e);
    await s.close();
    expect(err).toMatchObject({ code: 'TIANDI_E_CORRUPT_TIFF' });
    expect(String(err.message)).toMatch(/corrupt/);
    expect(String(err.path ?? err.message)).toContain('garbled.tif');
  });
});

describe.skipIf(!gdalAvailable())('WebP blocks written by GDAL', () => {
  it('a file whose first tile is garbage is refused as corrupt, naming the file; the others read', async () => {
    const fx = await makeFixtures();
    const image = await (await fromFile(fx.files.webp)).getImage();
    const offsets = (await image.fileDirectory.loadValue('TileOffsets')) as ArrayLike<number>;
    const counts = (await image.fileDirectory.loadValue('TileByteCounts')) as ArrayLike<number>;
    const file = join(mkdtempSync(join(tmpdir(), 'tiandi-webp-')), 'garbled.tif');
    copyFileSync(fx.files.webp, file);
    const fd = openSync(file, 'r+');
    writeSync(fd, new Uint8Array(Number(counts[0])).fill(0x5a), 0, Number(counts[0]), Number(offsets[0]));
    closeSync(fd);
    const s = await openGeoTiffSource(file);
    const err = await s.readWindow([0, 0, 64, 64]).catch((e) => e);
    const far = await s.readWindow([s.width - 64, s.height - 64, s.width, s.height]);
    await s.close();
    expect(err).toMatchObject({ code: 'TIANDI_E_CORRUPT_TIFF' });
    expect(String(err.message)).toMatch(/corrupt/);
    expect(far.valid.every((v) => v === 1)).toBe(true);
  });
});
