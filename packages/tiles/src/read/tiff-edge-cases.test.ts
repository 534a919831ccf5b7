import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { craftTiff } from '../testing/craft-tiff';
import { gdal, gdalAvailable } from '../testing/gdal-available';
import { lzwEncode } from '../testing/lzw-encode';
import { openGeoTiffSource } from './open-geotiff-source';

const hasGdal = gdalAvailable();
const dir = mkdtempSync(join(tmpdir(), 'tiandi-tiff-edge-'));
const file = (name: string, bytes: Buffer) => {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
};
const refusal = (p: string) =>
  openGeoTiffSource(p).then(
    async (s) => (await s.close(), null),
    (e: unknown) => e,
  );
/** What GDAL says when it decodes every pixel (gdal_translate to a throw-away file): its errors, or ''. */
const gdalReadErrors = (p: string) => {
  const r = spawnSync('gdal_translate', ['-q', p, `${p}.out.tif`], { encoding: 'utf8' });
  return r.stderr
    .split('\n')
    .filter((l) => l.startsWith('ERROR'))
    .join('\n');
};
/** A 64×64 RGB gradient, so a wrongly undone predictor changes the pixels. */
const gradient = () => Uint8Array.from({ length: 64 * 64 * 3 }, (_, i) => (i * 7 + (i >> 8)) & 255);

describe('TIFF edge cases are refused or read as GDAL reads them', () => {
  const pred4 = () => file('pred4.tif', craftTiff({ compression: 8, predictor: 4, blocks: [deflateSync(gradient())] }));
  const pred3 = () => file('pred3-8bit.tif', craftTiff({ compression: 8, predictor: 3, blocks: [deflateSync(gradient())] }));

  it('refuses Predictor 4 and the floating-point predictor on 8-bit samples with a typed error', async () => {
    expect(await refusal(pred4())).toMatchObject({ code: 'TIANDI_E_UNSUPPORTED_COMPRESSION', message: expect.stringContaining('Predictor 4') });
    expect(await refusal(pred3())).toMatchObject({
      code: 'TIANDI_E_UNSUPPORTED_COMPRESSION',
      message: expect.stringContaining('floating-point predictor on 8-bit'),
    });
  });

  it.skipIf(!hasGdal)('… as GDAL refuses to decode them', () => {
    expect(gdalReadErrors(pred4())).toMatch(/Predictor" value 4 not supported/);
    expect(gdalReadErrors(pred3())).toMatch(/Floating point "Predictor" not supported/);
  });

  it('ignores a Predictor tag on uncompressed data, as libtiff does (pixels read as stored)', async () => {
    const data = gradient();
    const p = file('pred2-none.tif', craftTiff({ predictor: 2, blocks: [data] }));
    const s = await openGeoTiffSource(p);
    const w = await s.readWindow([0, 0, 64, 64]);
    await s.close();
    expect(Buffer.compare(Buffer.from(w.rgb), Buffer.from(data))).toBe(0);
    if (hasGdal)
      expect(gdal('gdallocationinfo', ['-valonly', p, '5', '7']).trim().split(/\s+/).map(Number)).toEqual([
        ...data.subarray((7 * 64 + 5) * 3, (7 * 64 + 5) * 3 + 3),
      ]);
  });

  it('refuses a short LZW strip when its pixels are read, instead of counting zeros as imagery', async () => {
    const full = lzwEncode(gradient());
    const p = file('short-lzw.tif', craftTiff({ compression: 5, blocks: [full.subarray(0, full.length >> 1)] }));
    const s = await openGeoTiffSource(p);
    await expect(s.readWindow([0, 0, 64, 64])).rejects.toMatchObject({
      code: 'TIANDI_E_CORRUPT_TIFF',
      message: expect.stringMatching(/decoded to \d+ bytes, expected 12288/),
    });
    await s.close();
    if (hasGdal) expect(gdalReadErrors(p)).toMatch(/LZWDecode.*\n(.|\n)*TIFFReadEncodedStrip\(\) failed/);
  });

  it('refuses a tile whose data is shorter than the tile before undoing its predictor (fuzz finding: RangeError in the WebAssembly kernel)', async () => {
    const p = file(
      'wide-tile.tif',
      craftTiff({ width: 16, height: 16, tile: [2064, 16], compression: 8, predictor: 2, blocks: [deflateSync(gradient().subarray(0, 16 * 16 * 3))] }),
    );
    const s = await openGeoTiffSource(p);
    await expect(s.readWindow([0, 0, 16, 16])).rejects.toMatchObject({
      code: 'TIANDI_E_CORRUPT_TIFF',
      message: expect.stringContaining('decoded to 768 bytes, expected 99072'),
    });
    await s.close();
    if (hasGdal) expect(gdalReadErrors(p)).toMatch(/TIFFReadEncodedTile\(\) failed/);
  });

  it('refuses an uncompressed strip shorter than its rows at open', async () => {
    const p = file('short-raw.tif', craftTiff({ blocks: [gradient().subarray(0, 1000)] }));
    expect(await refusal(p)).toMatchObject({
      code: 'TIANDI_E_CORRUPT_TIFF',
      message: expect.stringContaining('holds 1000 bytes, its 64 uncompressed rows need 12288'),
    });
    if (hasGdal) expect(gdalReadErrors(p)).toMatch(/TIFFReadEncodedStrip\(\) failed/);
  });

  it('refuses TileLength=65535 with a typed message that says how to retile', async () => {
    const p = file('tile65535.tif', craftTiff({ tile: [256, 65535], blocks: [new Uint8Array(1000)] }));
    expect(await refusal(p)).toMatchObject({
      code: 'TIANDI_E_CORRUPT_TIFF',
      message: expect.stringMatching(/nonstandard tile size 256×65535.*gdal_translate -co TILED=YES/),
    });
  });

  it.skipIf(!hasGdal)('puts a negative-ScaleY image where GDAL puts it (north-up), not mirrored', async () => {
    const p = file('neg-scale-y.tif', craftTiff({ pixelScale: [0.05, -0.05, 0] }));
    const s = await openGeoTiffSource(p);
    const info = JSON.parse(gdal('gdalinfo', ['-json', p]));
    const corners: Record<string, [number, number]> = { upperLeft: [0, 0], lowerLeft: [0, 64], lowerRight: [64, 64], upperRight: [64, 0] };
    for (const [name, [col, row]] of Object.entries(corners)) {
      const [x, y] = info.cornerCoordinates[name];
      expect([x, y], name).toEqual([
        expect.closeTo(s.geoTransform[0] + col * s.geoTransform[1], 6),
        expect.closeTo(s.geoTransform[3] + row * s.geoTransform[5], 6),
      ]);
    }
    expect(s.pixelToWgs84(0, 0)[1]).toBeGreaterThan(s.pixelToWgs84(0, 64)[1]);
    await s.close();
  });
});

describe('block length checks count bits, not bytes', () => {
  it('opens an uncompressed 1-bit mask (packed rows) beside its image', async () => {
    const image = craftTiff({ width: 16, height: 16, blocks: [gradient().subarray(0, 16 * 16 * 3)] });
    // A second IFD: a 16×16 1-bit transparency mask (NewSubfileType 4, Photometric 4), 2 bytes a row, all valid.
    const ifd0 = image.readUInt32LE(4);
    const n0 = image.readUInt16LE(ifd0);
    const maskAt = image.length;
    const maskData = Buffer.alloc(32, 0xff);
    const { encodeIfd, TYPE } = await import('../write/tiff-ifd');
    const maskIfd = encodeIfd(
      [
        { tag: 254, type: TYPE.LONG, values: [4] },
        { tag: 256, type: TYPE.LONG, values: [16] },
        { tag: 257, type: TYPE.LONG, values: [16] },
        { tag: 258, type: TYPE.SHORT, values: [1] },
        { tag: 259, type: TYPE.SHORT, values: [1] },
        { tag: 262, type: TYPE.SHORT, values: [4] },
        { tag: 273, type: TYPE.LONG, values: [maskAt] },
        { tag: 277, type: TYPE.SHORT, values: [1] },
        { tag: 278, type: TYPE.LONG, values: [16] },
        { tag: 279, type: TYPE.LONG, values: [32] },
      ],
      maskAt + 32,
      0,
      false,
    );
    const out = Buffer.concat([image, maskData, maskIfd]);
    out.writeUInt32LE(maskAt + 32, ifd0 + 2 + n0 * 12);
    const s = await openGeoTiffSource(file('mask-1bit.tif', out));
    expect(s.maskKind).toBe('mask');
    const w = await s.readWindow([0, 0, 16, 16]);
    expect(w.valid.every((v) => v === 1)).toBe(true);
    await s.close();
  });
});
