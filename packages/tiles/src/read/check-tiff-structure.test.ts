import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TilesError } from '../errors';
import { craftTiff, patchEntry } from '../testing/craft-tiff';
import { openGeoTiffSource } from './open-geotiff-source';

const dir = mkdtempSync(join(tmpdir(), 'tiandi-tiff-header-'));
const file = (name: string, bytes: Buffer) => {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
};
const refusal = (p: string) =>
  openGeoTiffSource(p).then(
    async (s) => (await s.close(), null),
    (e: unknown) => e as TilesError,
  );

describe('TIFF header limits: no count or offset reaches beyond the file', () => {
  it('refuses a 560 KB file whose GeoKeyDirectory claims 0x3fffffff values, without allocating it', async () => {
    const p = file('geokey.tif', patchEntry(craftTiff({ blocks: [new Uint8Array(560_000)] }), 34735, { count: 0x3fffffff }));
    const before = process.memoryUsage().arrayBuffers;
    const err = await refusal(p);
    const grewMB = (process.memoryUsage().arrayBuffers - before) / 2 ** 20;
    expect(err).toBeInstanceOf(TilesError);
    expect(err).toMatchObject({ code: 'TIANDI_E_CORRUPT_TIFF', path: p, message: expect.stringContaining('GeoKeyDirectory claims 1073741823 values') });
    expect(grewMB).toBeLessThan(64); // was 2.2 GB
  });

  it.each([
    ['StripOffsets count', (t: Buffer) => patchEntry(t, 273, { count: 0x10000000 }), /StripOffsets claims 268435456 values/],
    [
      'StripByteCounts offset',
      (t: Buffer) => patchEntry(t, 279, { count: 2, valueOrOffset: 0xfffffff0 }),
      /StripByteCounts claims 2 values .* at byte 4294967280/,
    ],
    ['unknown field type', (t: Buffer) => patchEntry(t, 33550, { type: 99 }), /ModelPixelScale has unknown field type 99/],
    ['IFD outside the file', (t: Buffer) => (t.writeUInt32LE(t.length + 100, 4), t), /IFD 0 is at byte \d+, outside the file/],
    ['IFD entry count past the end', (t: Buffer) => (t.writeUInt16LE(4000, t.readUInt32LE(4)), t), /IFD 0 \(4000 entries at byte \d+\) runs past the end/],
    [
      'IFD chain loop',
      (t: Buffer) => {
        const ifd = t.readUInt32LE(4);
        t.writeUInt32LE(ifd, ifd + 2 + t.readUInt16LE(ifd) * 12);
        return t;
      },
      /IFD 1 points back to an earlier directory/,
    ],
  ])('refuses %s with TIANDI_E_CORRUPT_TIFF naming it', async (name, lie, message) => {
    const err = await refusal(file(`${name.replace(/\W+/g, '-')}.tif`, lie(Buffer.from(craftTiff()))));
    expect(err).toMatchObject({ code: 'TIANDI_E_CORRUPT_TIFF', message: expect.stringMatching(message) });
  });

  it('still opens the honest file the lies were made from', async () => {
    const s = await openGeoTiffSource(file('honest.tif', craftTiff()));
    expect([s.width, s.height, s.crs.id]).toEqual([64, 64, 'EPSG:32647']);
    await s.close();
  });
});
