import { describe, expect, it, beforeAll } from 'vitest';
import { readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { makeFixtures, baseRows, baseInvalid, BASE, LAYOUTS, CRS_FIXTURES, type Fixtures } from '../../scripts/make-fixtures';
import { openGeoTiffSource } from './open-geotiff-source';
import { localDistanceM } from './georef';
import { TilesError } from '../errors';
import { gdal, gdalAvailable } from '../testing/gdal-available';

let fx: Fixtures;
const hasGdal = gdalAvailable();
const base = baseRows(0, BASE.height);

beforeAll(async () => {
  fx = await makeFixtures();
}, 120_000);

/** Reads the whole image at full resolution and compares with the base: returns mean abs error and validity mismatches. */
async function compare(name: string, opts: { checkValid: boolean }) {
  const s = await openGeoTiffSource(fx.files[name]);
  const w = await s.readWindow([0, 0, s.width, s.height]);
  await s.close();
  let err = 0;
  let n = 0;
  let validMismatch = 0;
  for (let i = 0; i < BASE.width * BASE.height; i++) {
    const x = i % BASE.width;
    const y = Math.floor(i / BASE.width);
    const expectValid = !baseInvalid(x, y);
    if (opts.checkValid && w.valid[i] !== (expectValid ? 1 : 0)) validMismatch++;
    if (!expectValid) continue;
    for (let b = 0; b < 3; b++) err += Math.abs(w.rgb[i * 3 + b] - base[i * 4 + b]);
    n += 3;
  }
  return { meanErr: err / n, validMismatch, source: s };
}

/**
 * Wrong validity flags in windows read in turn, alternating between windows with invalid pixels (x < 40, x + y > 900)
 * and windows valid everywhere: validity left from the last window's region, or never filled, shows.
 */
async function validityWrongInTurn(name: string): Promise<number[]> {
  const s = await openGeoTiffSource(fx.files[name]);
  const boxes: [number, number, number, number][] = [
    [0, 0, 300, 200],
    [100, 0, 400, 200],
    [300, 200, 600, 400],
    [100, 50, 400, 250],
    [20, 100, 320, 300],
    [150, 0, 450, 200],
  ];
  const wrong: number[] = [];
  for (const [x0, y0, x1, y1] of boxes) {
    const w = await s.readWindow([x0, y0, x1, y1]);
    let n = 0;
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (w.valid[(y - y0) * (x1 - x0) + x - x0] !== (baseInvalid(x, y) ? 0 : 1)) n++;
    wrong.push(n);
  }
  await s.close();
  return wrong;
}

describe('openGeoTiffSource: our own writer', () => {
  it('reads the base RGBA (alpha as mask) losslessly, with its georeferencing and date', async () => {
    const r = await compare('base', { checkValid: true });
    expect(r.meanErr).toBe(0);
    expect(r.validMismatch).toBe(0);
    expect(r.source.crs.id).toBe('EPSG:4522');
    expect(r.source.maskKind).toBe('alpha');
    expect(r.source.acquired).toBe('2026-04-12T02:30:00');
    expect(r.source.gsdM.x).toBeCloseTo(0.05, 3);
    expect(r.source.levels.length).toBe(4);
  });

  it("keeps each window's validity right in windows read in turn (their regions' buffers reused)", async () => {
    expect(await validityWrongInTurn('base')).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('reads a window at half resolution from the internal overview', async () => {
    const s = await openGeoTiffSource(fx.files.base);
    const w = await s.readWindow([100, 100, 300, 200], 100, 50);
    expect([w.width, w.height]).toEqual([100, 50]);
    // Pixel (0,0) of the half-resolution window averages base pixels (100..101, 100..101).
    const want = [0, 1, 2].map(
      (b) => (base[(100 * 600 + 100) * 4 + b] + base[(100 * 600 + 101) * 4 + b] + base[(101 * 600 + 100) * 4 + b] + base[(101 * 600 + 101) * 4 + b]) / 4,
    );
    for (let b = 0; b < 3; b++) expect(Math.abs(w.rgb[b] - want[b])).toBeLessThanOrEqual(1);
    await s.close();
  });
});

describe('openGeoTiffSource: bad input', () => {
  const cases: [string, string][] = [
    ['not-tiff', 'TIANDI_E_NOT_TIFF'],
    ['empty', 'TIANDI_E_NOT_TIFF'],
    ['truncated', 'TIANDI_E_CORRUPT_TIFF'],
    ['huge', 'TIANDI_E_TOO_LARGE'],
    ['zero-width', 'TIANDI_E_EMPTY_IMAGE'],
    ['no-georef', 'TIANDI_E_NO_GEOREF'],
  ];
  it.each(cases)('%s → %s', async (name, code) => {
    const err = await openGeoTiffSource(fx.files[name]).catch((e) => e);
    expect(err).toBeInstanceOf(TilesError);
    expect(err.code).toBe(code);
    expect(err.message.length).toBeGreaterThan(20);
  });
  it('a missing file is refused', async () => {
    await expect(openGeoTiffSource('/nonexistent/x.tif')).rejects.toMatchObject({ code: 'TIANDI_E_NOT_TIFF' });
  });
});

describe.skipIf(!hasGdal)('openGeoTiffSource: GDAL-written layouts', () => {
  const lossless = [
    'tiled-none',
    'striped-none',
    'tiled-lzw',
    'striped-lzw',
    'deflate-p2',
    'striped-deflate-rgb',
    'deflate-p3-float',
    'packbits',
    'zstd',
    'webp-lossless-alpha',
    'minisblack-rgb',
    'minisblack-rgba',
    'uint16-8bit-values',
    'uint16-12bit',
    'float-0-1',
    'cog-deflate',
    'bigtiff',
    'uint16',
    'uint16-big-endian',
    'float-big-endian',
    'planar',
    'striped-planar',
    'striped-planar-lzw16',
    'nodata',
  ];
  const withMask = new Set([
    'tiled-lzw',
    'striped-lzw',
    'deflate-p2',
    'packbits',
    'zstd',
    'webp-lossless-alpha',
    'minisblack-rgba',
    'uint16-8bit-values',
    'uint16-12bit',
    'cog-deflate',
    'bigtiff',
    'uint16',
    'uint16-big-endian',
    'planar',
    'striped-planar',
    'striped-planar-lzw16',
    'nodata',
    'jpeg-ycbcr-mask',
    'cog-jpeg',
  ]);
  it('reads colour bands tagged grey as R, G, B and says so once; a grey image stays grey, untold', async () => {
    const notes: Record<string, string | undefined> = {};
    for (const name of ['minisblack-rgb', 'minisblack-rgba', 'gray-jpeg', 'deflate-p2']) {
      const s = await openGeoTiffSource(fx.files[name]);
      notes[name] = s.bandNote;
      await s.close();
    }
    expect(notes['minisblack-rgb']).toMatch(/3 bands tagged grey.*bands 1, 2, 3 read as red, green, blue.*gdal_translate -b/);
    expect(notes['minisblack-rgba']).toMatch(/^4 个波段.*4 bands tagged grey/);
    expect(notes['gray-jpeg']).toBeUndefined();
    expect(notes['deflate-p2']).toBeUndefined();
  });
  it("survives geotiff.js misreading a big-endian float file's strip table: readSamples rejects, Node does not abort", async () => {
    // geotiff.js asks this file for 4 GB at byte 1.4 G; fs.read of a length past 32 bits aborted the process.
    const s = await openGeoTiffSource(fx.files['float-big-endian'], { values: true });
    const got = await s.readSamples(0, [0, 0, 4, 4]).then(
      (v) => ({ values: Array.from(v).slice(0, 3) }),
      (e: Error) => ({ error: e.message }),
    );
    await s.close();
    if ('error' in got) expect(got.error).toMatch(/cannot lie in the file/);
    else expect(got.values).toEqual(Array.from(base.subarray(0, 3)));
  });
  it('reads 16-bit and float samples in the range they were stored in, and says so; the usual ranges untold', async () => {
    const notes: Record<string, string | undefined> = {};
    for (const name of ['uint16-8bit-values', 'uint16-12bit', 'uint16', 'float-0-1', 'float-big-endian']) {
      const s = await openGeoTiffSource(fx.files[name]);
      notes[name] = s.bandNote;
      await s.close();
    }
    expect(notes['uint16-8bit-values']).toMatch(/never exceed 255 \(8-bit values in a 16-bit file\): read as they are/);
    expect(notes['uint16-12bit']).toMatch(/16-bit samples stored in 0–4095 \(12-bit\): read as 0–4095 → 0–255/);
    expect(notes.uint16).toBeUndefined();
    expect(notes['float-0-1']).toMatch(/float samples stored in 0–1: read as 0–1 → 0–255/);
    expect(notes['float-big-endian']).toBeUndefined();
  });
  it.each(lossless)('%s decodes exactly', async (name) => {
    const r = await compare(name, { checkValid: withMask.has(name) });
    expect(r.meanErr).toBe(0);
    expect(r.validMismatch).toBe(0);
  });
  it.each(['planar', 'striped-planar', 'striped-lzw', 'deflate-p2', 'tiled-lzw', 'nodata'])(
    "%s: windows read in turn through a cache too small for them give the pixels of a cache that holds them (evicted blocks' buffers reused)",
    async (name) => {
      const boxes: [number, number, number, number][] = [
        [0, 0, 300, 200],
        [100, 150, 400, 350],
        [250, 0, 600, 400],
        [0, 100, 320, 300],
      ];
      const [small, large] = await Promise.all([openGeoTiffSource(fx.files[name], { cacheBytes: 64 << 10 }), openGeoTiffSource(fx.files[name])]);
      try {
        for (const box of boxes) {
          // Two windows read at once through the small cache: blocks evicted while the other is still being filled.
          const [a, b] = await Promise.all([small.readWindow(box), small.readWindow([box[0] + 17, box[1] + 9, box[2], box[3]])]);
          const [ra, rb] = await Promise.all([large.readWindow(box), large.readWindow([box[0] + 17, box[1] + 9, box[2], box[3]])]);
          expect(Buffer.compare(Buffer.from(a.rgb), Buffer.from(ra.rgb))).toBe(0);
          expect(Buffer.compare(Buffer.from(b.rgb), Buffer.from(rb.rgb))).toBe(0);
          expect(Buffer.compare(Buffer.from(a.valid), Buffer.from(ra.valid))).toBe(0);
        }
        expect(small.blocksDecoded()).toBeGreaterThan(large.blocksDecoded());
      } finally {
        await Promise.all([small.close(), large.close()]);
      }
    },
  );
  it('strips in separate planes are decoded in bands: the rows below a window, in its band, come from the cache', async () => {
    const s = await openGeoTiffSource(fx.files['striped-planar']);
    try {
      await s.readWindow([0, 0, 600, 6]);
      // Ten 3-row strips a band (32 rows at most), each decoded from its four planes.
      expect(s.blocksDecoded()).toBe(10);
      await s.readWindow([0, 20, 600, 26]);
      expect(s.blocksDecoded()).toBe(10);
      await s.readWindow([0, 30, 600, 33]);
      expect(s.blocksDecoded()).toBe(20);
    } finally {
      await s.close();
    }
  });
  it.each(['striped-planar', 'deflate-p2', 'uint16', 'nodata'])(
    '%s: a window whose pixels are all valid is read as all-valid (the fast paths), one beside invalid pixels is not',
    async (name) => {
      const s = await openGeoTiffSource(fx.files[name]);
      try {
        const inside = await s.readWindow([100, 0, 400, 200], 150, 100);
        expect(inside.allValid).toBe(true);
        expect(inside.valid.every((v) => v === 1)).toBe(true);
        const edge = await s.readWindow([0, 0, 300, 200], 150, 100);
        expect(edge.allValid).toBe(false);
        expect(edge.valid[0]).toBe(0);
        expect(edge.valid[100]).toBe(1);
      } finally {
        await s.close();
      }
    },
  );
  it('strips missing from separate planes (SPARSE_OK) read as GDAL reads them: empty, invalid', async () => {
    const file = fx.files['striped-planar-sparse'];
    const raw = `${file}.raw`;
    gdal('gdal_translate', ['-q', '-of', 'ENVI', '-co', 'INTERLEAVE=BIP', file, raw]);
    const ref = readFileSync(raw);
    const s = await openGeoTiffSource(file);
    const w = await s.readWindow([0, 0, s.width, s.height]);
    await s.close();
    expect([w.width, w.height]).toEqual([600, 440]);
    let rgbWrong = 0;
    let validWrong = 0;
    for (let i = 0; i < 600 * 440; i++) {
      const valid = ref[i * 4 + 3] > 0 ? 1 : 0;
      if (w.valid[i] !== valid) validWrong++;
      if (valid) for (let b = 0; b < 3; b++) if (w.rgb[i * 3 + b] !== ref[i * 4 + b]) rgbWrong++;
    }
    expect(validWrong).toBe(0);
    expect(rgbWrong).toBe(0);
    // The missing strips' rows are invalid, the rows below them valid where the base is.
    expect(w.valid[10 * 600 + 300]).toBe(0);
    expect(w.valid[45 * 600 + 300]).toBe(1);
  });
  it.each(['jpeg-ycbcr-mask', 'striped-lzw', 'nodata', 'planar', 'striped-planar', 'uint16'])(
    '%s: validity right in windows read in turn (their regions reuse buffers)',
    async (name) => {
      expect(await validityWrongInTurn(name)).toEqual([0, 0, 0, 0, 0, 0]);
    },
  );
  it.each(['jpeg-ycbcr-mask', 'jpeg-rgb', 'striped-jpeg', 'cog-jpeg', 'webp'])('%s decodes like GDAL, validity exact', async (name) => {
    const r = await compare(name, { checkValid: withMask.has(name) });
    expect(r.meanErr).toBeLessThan(8);
    expect(r.validMismatch).toBe(0);
    const raw = `${fx.files[name]}.raw`;
    gdal('gdal_translate', ['-q', '-b', '1', '-b', '2', '-b', '3', '-of', 'ENVI', '-co', 'INTERLEAVE=BIP', fx.files[name], raw]);
    const ref = readFileSync(raw);
    const s = await openGeoTiffSource(fx.files[name]);
    const w = await s.readWindow([0, 0, s.width, s.height]);
    await s.close();
    let err = 0;
    for (let i = 0; i < ref.length; i++) err += Math.abs(ref[i] - w.rgb[i]);
    expect(err / ref.length).toBeLessThan(1);
  });
  it.each([
    ['rgba-jpeg', 4],
    ['gray-jpeg', 1],
  ] as const)('%s (JPEG with %i components) decodes like GDAL', async (name, bands) => {
    const raw = `${fx.files[name]}.raw`;
    gdal('gdal_translate', ['-q', '-b', '1', '-of', 'ENVI', fx.files[name], raw]);
    const ref = readFileSync(raw);
    const s = await openGeoTiffSource(fx.files[name]);
    expect(s.bands).toBe(bands);
    const w = await s.readWindow([0, 0, s.width, s.height]);
    await s.close();
    let err = 0;
    for (let i = 0; i < ref.length; i++) err += Math.abs(ref[i] - w.rgb[i * 3]);
    expect(err / ref.length).toBeLessThan(1);
  });
  it('identifies masks: alpha, internal mask IFD, nodata', async () => {
    const kinds: Record<string, string> = { 'tiled-lzw': 'alpha', 'jpeg-ycbcr-mask': 'mask', 'cog-jpeg': 'mask', nodata: 'nodata', 'tiled-none': 'none' };
    for (const [name, kind] of Object.entries(kinds)) {
      const s = await openGeoTiffSource(fx.files[name]);
      expect(s.maskKind, name).toBe(kind);
      await s.close();
    }
  });
  it('COG overviews are listed and used', async () => {
    const s = await openGeoTiffSource(fx.files['cog-jpeg']);
    expect(s.levels.map((l) => l.width)).toEqual([600, 300, 150]);
    await s.readWindow([0, 0, 600, 400], 300, 200);
    expect(s.blocksDecoded()).toBe(4); // two 256-px tiles of the 300×200 overview + their two mask tiles
    await s.close();
  });
  it('striped files decode each strip once across many windows', async () => {
    const s = await openGeoTiffSource(fx.files['striped-lzw']);
    for (let y = 0; y < 400; y += 50) for (let x = 0; x < 600; x += 100) await s.readWindow([x, y, x + 100, y + 50]);
    expect(s.layout.blockHeight).toBe(16);
    expect(s.blocksDecoded()).toBe(Math.ceil(400 / 16));
    await s.close();
  });
  it.each([
    ['lzma', 'TIANDI_E_UNSUPPORTED_COMPRESSION', /LZMA.*gdal_translate/],
    ['int16', 'TIANDI_E_UNSUPPORTED_SAMPLES', /signed/],
    // Every EPSG CRS is known now (issue 18): China's coordinates relabelled as British National Grid are off the Earth.
    ['unknown-epsg', 'TIANDI_E_NO_GEOREF', /27700.*--crs/],
  ])('%s is refused with %s', async (name, code, msg) => {
    const err = await openGeoTiffSource(fx.files[name]).catch((e) => e);
    expect(err.code).toBe(code);
    expect(err.message).toMatch(msg);
  });
  it('--crs overrides an unknown CRS', async () => {
    const s = await openGeoTiffSource(fx.files['user-crs'], { crs: '+proj=tmerc +lat_0=0 +lon_0=101 +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +no_defs' });
    expect(s.crs.units).toBe('metre');
    await s.close();
  });

  const points: [number, number][] = [
    [0, 0],
    [600, 0],
    [0, 400],
    [600, 400],
    [123.5, 321.25],
  ];
  const georef = ['base', 'rotated', 'pixel-is-point', 'cog-jpeg', 'uint16-big-endian', 'float-big-endian', 'user-crs', ...CRS_FIXTURES.map((c) => `crs-${c}`)];
  it.each(georef)('%s: pixel → WGS 84 agrees with gdaltransform within 0.1 m', async (name) => {
    const s = await openGeoTiffSource(fx.files[name]);
    const out = gdal('gdaltransform', ['-output_xy', '-t_srs', 'EPSG:4326', fx.files[name]], points.map((p) => p.join(' ')).join('\n') + '\n');
    const ref = out
      .trim()
      .split('\n')
      .map((l) => l.trim().split(/\s+/).map(Number) as [number, number]);
    points.forEach((p, i) => {
      const got = s.pixelToWgs84(p[0], p[1]);
      expect(localDistanceM(got, ref[i])).toBeLessThan(0.1);
    });
    await s.close();
  });
  it('knows every layout the fixture script makes', () => {
    expect(Object.keys(LAYOUTS).length).toBeGreaterThan(20);
  });
});

describe('openGeoTiffSource: each file opened once', () => {
  // Linux lists a process's open descriptors in /proc/self/fd; elsewhere there is nothing to count.
  const fdDir = '/proc/self/fd';
  const openDescriptorsOn = (file: string) => {
    const real = realpathSync(file);
    return readdirSync(fdDir).filter((fd) => {
      try {
        return readlinkSync(`${fdDir}/${fd}`) === real;
      } catch {
        return false;
      }
    }).length;
  };
  it.skipIf(process.platform !== 'linux')('holds one descriptor on the file for tags, blocks and readSamples, and none after close', async () => {
    const s = await openGeoTiffSource(fx.files.base);
    expect(openDescriptorsOn(fx.files.base)).toBe(1);
    await s.readWindow([0, 0, 64, 64]);
    await s.readSamples(0, [0, 0, 8, 8]);
    expect(openDescriptorsOn(fx.files.base)).toBe(1);
    await s.close();
    expect(openDescriptorsOn(fx.files.base)).toBe(0);
  });
});
