/**
 * Generates the GeoTIFF fixtures of the tiles tests into packages/tiles/.cache/fixtures (gitignored):
 * one base image written by our writer, every layout and CRS derived from it by GDAL's gdal_translate
 * (the reference writer), and hand-crafted bad files. Run directly (`npx tsx packages/tiles/scripts/make-fixtures.ts`)
 * or from the tests' setup; files are reused while FIXTURE_VERSION is unchanged.
 * Where GDAL is absent only the base image and the crafted files are made (`gdal: false`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync, rmSync, renameSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { getCrs, toWgs84 } from '@tiandi/geo';
import { writeGeoTiff } from '../src/write/index';
import { encodeHeader, encodeIfd, TYPE } from '../src/write/tiff-ifd';

const FIXTURE_VERSION = '15';
export const BASE = { width: 600, height: 400, gsdM: 0.05, epsg: 4522, centre: [102.5, 25.3] as [number, number] };

/** The plots painted red in the base image, in pixel boxes [x0, y0, x1, y1) and discs [cx, cy, r]. */
export const PLOTS = {
  rect: [300, 80, 380, 140] as const,
  disc: [160, 280, 30] as const,
  speck: [500, 300, 506, 306] as const,
};

/** Whether a base pixel is outside the valid data (alpha 0): the left 40 columns and a bottom-right triangle. */
export function baseInvalid(x: number, y: number): boolean {
  return x < 40 || x + y > 900;
}

/** The base image's RGBA samples for rows [y0, y0 + rows). */
export function baseRows(y0: number, rows: number): Uint8Array {
  const { width } = BASE;
  const a = new Uint8Array(width * rows * 4);
  for (let yy = 0; yy < rows; yy++) {
    const y = y0 + yy;
    for (let x = 0; x < width; x++) {
      const o = (yy * width + x) * 4;
      if (baseInvalid(x, y)) continue;
      let r = 60 + ((x * 7 + y * 3) % 50);
      let g = 90 + ((x * 3 + y * 5) % 60);
      let b = 40 + ((x + y) % 40);
      const [rx0, ry0, rx1, ry1] = PLOTS.rect;
      const [cx, cy, cr] = PLOTS.disc;
      const [sx0, sy0, sx1, sy1] = PLOTS.speck;
      const red = (x >= rx0 && x < rx1 && y >= ry0 && y < ry1) || (x - cx) ** 2 + (y - cy) ** 2 < cr * cr || (x >= sx0 && x < sx1 && y >= sy0 && y < sy1);
      if (red) {
        r = 215 + ((x + y) % 20);
        g = 35 + ((x * 3) % 15);
        b = 45 + ((y * 3) % 15);
      }
      a[o] = r;
      a[o + 1] = g;
      a[o + 2] = b;
      a[o + 3] = 255;
    }
  }
  return a;
}

/** Where a CRS fixture is placed: its upper-left corner in that CRS and its pixel size. */
function placement(epsg: number | string): { ullr: [number, number, number, number] } {
  const crs = getCrs(epsg);
  const centre: [number, number] = epsg === 32748 ? [106.8, -6.2] : BASE.centre;
  const [cx, cy] = toWgs84(crs).inverse(centre);
  const px = crs.units === 'degree' ? 5e-7 : BASE.gsdM;
  const w = BASE.width * px;
  const h = BASE.height * px;
  return { ullr: [cx - w / 2, cy + h / 2, cx + w / 2, cy - h / 2] };
}

/** A CRS with no EPSG code (GDAL writes it as user-defined GeoKeys). */
export const USER_PROJ4 = '+proj=tmerc +lat_0=0 +lon_0=101 +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +no_defs';

/** Layouts derived from base.tif: name → gdal_translate arguments. */
/** The four bands widened to 16 bits (0-255 → 0-65535), shared by the 16-bit layouts. */
const RGBA_AS_UINT16 = ['-b', '1', '-b', '2', '-b', '3', '-b', '4', '-ot', 'UInt16', '-scale', '0', '255', '0', '65535'];

export const LAYOUTS: Record<string, string[]> = {
  'tiled-none': ['-b', '1', '-b', '2', '-b', '3', '-co', 'TILED=YES', '-co', 'BLOCKXSIZE=128', '-co', 'BLOCKYSIZE=128'],
  'striped-none': ['-b', '1', '-b', '2', '-b', '3', '-co', 'BLOCKYSIZE=7'],
  'tiled-lzw': ['-co', 'TILED=YES', '-co', 'COMPRESS=LZW', '-co', 'PREDICTOR=2', '-co', 'BLOCKXSIZE=256', '-co', 'BLOCKYSIZE=256'],
  'striped-lzw': ['-co', 'COMPRESS=LZW', '-co', 'PREDICTOR=2', '-co', 'BLOCKYSIZE=16'],
  'deflate-p2': ['-co', 'TILED=YES', '-co', 'COMPRESS=DEFLATE', '-co', 'PREDICTOR=2'],
  // 8-bit RGB strips of several rows: each decoded straight into its rows of the band (fillBand).
  'striped-deflate-rgb': ['-b', '1', '-b', '2', '-b', '3', '-co', 'COMPRESS=DEFLATE', '-co', 'PREDICTOR=2', '-co', 'BLOCKYSIZE=5'],
  'deflate-p3-float': ['-b', '1', '-b', '2', '-b', '3', '-ot', 'Float32', '-co', 'TILED=YES', '-co', 'COMPRESS=DEFLATE', '-co', 'PREDICTOR=3'],
  'jpeg-ycbcr-mask': [
    '-b',
    '1',
    '-b',
    '2',
    '-b',
    '3',
    '-mask',
    '4',
    '-co',
    'TILED=YES',
    '-co',
    'COMPRESS=JPEG',
    '-co',
    'PHOTOMETRIC=YCBCR',
    '-co',
    'JPEG_QUALITY=95',
    '--config',
    'GDAL_TIFF_INTERNAL_MASK',
    'YES',
  ],
  'jpeg-rgb': ['-b', '1', '-b', '2', '-b', '3', '-co', 'TILED=YES', '-co', 'COMPRESS=JPEG', '-co', 'PHOTOMETRIC=RGB', '-co', 'JPEG_QUALITY=95'],
  'rgba-jpeg': ['-co', 'TILED=YES', '-co', 'COMPRESS=JPEG', '-co', 'PHOTOMETRIC=RGB', '-co', 'JPEG_QUALITY=95'],
  'gray-jpeg': ['-b', '2', '-co', 'TILED=YES', '-co', 'COMPRESS=JPEG', '-co', 'JPEG_QUALITY=95'],
  'striped-jpeg': ['-b', '1', '-b', '2', '-b', '3', '-co', 'COMPRESS=JPEG', '-co', 'PHOTOMETRIC=YCBCR', '-co', 'JPEG_QUALITY=95'],
  packbits: ['-co', 'TILED=YES', '-co', 'COMPRESS=PACKBITS'],
  zstd: ['-co', 'TILED=YES', '-co', 'COMPRESS=ZSTD', '-co', 'PREDICTOR=2'],
  lzma: ['-co', 'TILED=YES', '-co', 'COMPRESS=LZMA'],
  // WebP (COMPRESS=WEBP): lossy RGB as most writers use it, and lossless RGBA (its alpha as the mask).
  webp: ['-b', '1', '-b', '2', '-b', '3', '-co', 'TILED=YES', '-co', 'COMPRESS=WEBP', '-co', 'WEBP_LEVEL=95'],
  'webp-lossless-alpha': ['-co', 'TILED=YES', '-co', 'COMPRESS=WEBP', '-co', 'WEBP_LOSSLESS=YES'],
  // Colour bands tagged grey, as rasterio and `gdal_merge.py -separate` write them: read as R, G, B (and alpha).
  'minisblack-rgb': ['-b', '1', '-b', '2', '-b', '3', '-co', 'TILED=YES', '-co', 'COMPRESS=DEFLATE', '-co', 'PHOTOMETRIC=MINISBLACK'],
  'minisblack-rgba': ['-co', 'TILED=YES', '-co', 'COMPRESS=DEFLATE', '-co', 'PHOTOMETRIC=MINISBLACK'],
  // 16-bit files holding 8-bit values and 12-bit data: read in the range they were stored in (sample-range.ts).
  'uint16-8bit-values': ['-b', '1', '-b', '2', '-b', '3', '-b', '4', '-ot', 'UInt16', '-co', 'TILED=YES', '-co', 'COMPRESS=DEFLATE', '-co', 'ALPHA=YES'],
  'uint16-12bit': [
    ...['-b', '1', '-b', '2', '-b', '3', '-b', '4', '-ot', 'UInt16', '-scale', '0', '255', '0', '4095'],
    ...['-co', 'TILED=YES', '-co', 'COMPRESS=LZW', '-co', 'PREDICTOR=2', '-co', 'ALPHA=YES'],
  ],
  // Float colour in 0–1 (reflectance-like), read as 0–1 → 0–255.
  'float-0-1': [
    ...['-b', '1', '-b', '2', '-b', '3', '-ot', 'Float32', '-scale', '0', '255', '0', '1'],
    ...['-co', 'TILED=YES', '-co', 'COMPRESS=DEFLATE', '-co', 'PREDICTOR=3'],
  ],
  'cog-jpeg': ['-of', 'COG', '-co', 'COMPRESS=JPEG', '-co', 'BLOCKSIZE=256', '-co', 'QUALITY=95', '-co', 'OVERVIEW_RESAMPLING=AVERAGE'],
  'cog-deflate': ['-of', 'COG', '-co', 'COMPRESS=DEFLATE', '-co', 'BLOCKSIZE=128', '-co', 'OVERVIEW_RESAMPLING=AVERAGE'],
  bigtiff: ['-co', 'BIGTIFF=YES', '-co', 'TILED=YES', '-co', 'COMPRESS=DEFLATE'],
  uint16: [...RGBA_AS_UINT16, '-co', 'TILED=YES', '-co', 'COMPRESS=DEFLATE', '-co', 'PREDICTOR=2', '-co', 'ALPHA=YES'],
  'uint16-big-endian': [...RGBA_AS_UINT16, '-co', 'TILED=YES', '-co', 'COMPRESS=LZW', '-co', 'PREDICTOR=2', '-co', 'ALPHA=YES', '-co', 'ENDIANNESS=BIG'],
  'float-big-endian': ['-b', '1', '-b', '2', '-b', '3', '-ot', 'Float32', '-co', 'COMPRESS=DEFLATE', '-co', 'PREDICTOR=3', '-co', 'ENDIANNESS=BIG'],
  planar: ['-co', 'TILED=YES', '-co', 'COMPRESS=DEFLATE', '-co', 'INTERLEAVE=BAND'],
  // Strips in separate planes, read in bands of whole strips (3 rows: ten a band, the last strip and band short).
  'striped-planar': ['-co', 'COMPRESS=DEFLATE', '-co', 'PREDICTOR=2', '-co', 'INTERLEAVE=BAND', '-co', 'BLOCKYSIZE=3'],
  'striped-planar-lzw16': [...RGBA_AS_UINT16, '-co', 'COMPRESS=LZW', '-co', 'PREDICTOR=2', '-co', 'INTERLEAVE=BAND', '-co', 'ALPHA=YES'],
  // 40 empty rows on top, written as missing strips (13 of 3 rows a plane): bands with and without them.
  'striped-planar-sparse': [
    '-srcwin',
    '0',
    '-40',
    '600',
    '440',
    '-co',
    'SPARSE_OK=TRUE',
    '-co',
    'INTERLEAVE=BAND',
    '-co',
    'COMPRESS=DEFLATE',
    '-co',
    'BLOCKYSIZE=3',
  ],
  nodata: ['-b', '1', '-b', '2', '-b', '3', '-a_nodata', '0', '-co', 'TILED=YES', '-co', 'COMPRESS=DEFLATE'],
  gray: ['-b', '2', '-a_nodata', '0', '-co', 'COMPRESS=LZW'],
  'pixel-is-point': ['-b', '1', '-b', '2', '-b', '3', '-mo', 'AREA_OR_POINT=Point', '-co', 'TILED=YES'],
  int16: ['-b', '1', '-ot', 'Int16', '-co', 'TILED=YES'],
  'unknown-epsg': ['-b', '1', '-b', '2', '-b', '3', '-a_srs', 'EPSG:27700', '-co', 'TILED=YES'],
  'user-crs': ['-b', '1', '-b', '2', '-b', '3', '-a_srs', USER_PROJ4, '-a_ullr', ...placement(USER_PROJ4).ullr.map(String), '-co', 'TILED=YES'],
};

/** CRS fixtures: the base RGBA re-labelled in each CRS at the same place (EPSG:32748 in the southern hemisphere). */
export const CRS_FIXTURES = [4326, 4490, 3857, 32648, 32748, 4522, 4543, 4496, 4507, 4534, 4491] as const;

/** What {@link makeFixtures} produced. */
export interface Fixtures {
  dir: string;
  gdal: boolean;
  /** name → absolute path (layouts, `crs-<epsg>`, `rotated`, `base`, crafted bad files). */
  files: Record<string, string>;
}

function gdalOk(): boolean {
  return spawnSync('gdal_translate', ['--version'], { encoding: 'utf8' }).status === 0;
}

function run(args: string[]): void {
  const r = spawnSync('gdal_translate', ['-q', ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`gdal_translate ${args.join(' ')}: ${r.stderr}`);
}

/** Writes a tiny TIFF whose only IFD claims `width × height` pixels (for header-limit tests). */
function craftedHeader(width: number, height: number): Buffer {
  const entries = [
    { tag: 256, type: TYPE.LONG, values: [width] },
    { tag: 257, type: TYPE.LONG, values: [height] },
    { tag: 258, type: TYPE.SHORT, values: [8, 8, 8] },
    { tag: 259, type: TYPE.SHORT, values: [1] },
    { tag: 262, type: TYPE.SHORT, values: [2] },
    { tag: 277, type: TYPE.SHORT, values: [3] },
    { tag: 278, type: TYPE.LONG, values: [1] },
    { tag: 273, type: TYPE.LONG, values: [8] },
    { tag: 279, type: TYPE.LONG, values: [3] },
    { tag: 33550, type: TYPE.DOUBLE, values: [0.05, 0.05, 0] },
    { tag: 33922, type: TYPE.DOUBLE, values: [0, 0, 0, 34500000, 2800000, 0] },
    { tag: 34735, type: TYPE.SHORT, values: [1, 1, 0, 1, 3072, 0, 1, 4522] },
  ] as const;
  return Buffer.concat([encodeHeader(8, false), encodeIfd(entries as never, 8, 0, false)]);
}

/** Generates (or reuses) every fixture. */
export async function makeFixtures(dir = resolve(dirname(fileURLToPath(import.meta.url)), '../.cache/fixtures')): Promise<Fixtures> {
  const gdal = gdalOk();
  const stamp = join(dir, `.version-${FIXTURE_VERSION}-${gdal ? 'gdal' : 'nogdal'}`);
  const files: Record<string, string> = {};
  const f = (name: string) => (files[name] = join(dir, `${name}.tif`));
  const names = ['base', 'rotated', 'not-tiff', 'empty', 'truncated', 'corrupt-tile', 'huge', 'zero-width', 'no-georef'];
  if (gdal) names.push(...Object.keys(LAYOUTS), ...CRS_FIXTURES.map((c) => `crs-${c}`));
  names.forEach(f);
  if (existsSync(stamp)) return { dir, gdal, files };

  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const t = (name: string) => join(tmp, `${name}.tif`);
  const { ullr } = placement(BASE.epsg);
  const gsd = BASE.gsdM;
  await writeGeoTiff(t('base'), {
    width: BASE.width,
    height: BASE.height,
    bands: 4,
    epsg: BASE.epsg,
    tileSize: 128,
    geoTransform: [ullr[0], gsd, 0, ullr[1], 0, -gsd],
    readRows: baseRows,
    acquired: '2026-04-12T02:30:00Z',
  });
  // A rotated grid (ModelTransformation), 30° clockwise, in UTM 48N.
  const [ux, uy] = toWgs84(getCrs(32648)).inverse(BASE.centre);
  const c = Math.cos(Math.PI / 6) * gsd;
  const s = Math.sin(Math.PI / 6) * gsd;
  await writeGeoTiff(t('rotated'), {
    width: BASE.width,
    height: BASE.height,
    bands: 4,
    epsg: 32648,
    tileSize: 128,
    geoTransform: [ux, c, s, uy, s, -c],
    readRows: baseRows,
  });
  writeFileSync(t('not-tiff'), 'this is a text file, not an image\n');
  writeFileSync(t('empty'), '');
  const baseBytes = readFileSync(t('base'));
  writeFileSync(t('truncated'), baseBytes.subarray(0, Math.floor(baseBytes.length * 0.6)));
  // Garbage in the middle of the full-resolution tile data: the header is fine, one tile does not decode.
  const corrupt = Buffer.from(baseBytes);
  for (const at of [0.15, 0.3, 0.5, 0.7, 0.9]) corrupt.fill(0xa5, Math.floor(corrupt.length * at), Math.floor(corrupt.length * at) + 2000);
  writeFileSync(t('corrupt-tile'), corrupt);
  writeFileSync(t('huge'), craftedHeader(10_000_000, 10_000_000));
  writeFileSync(t('zero-width'), craftedHeader(0, 400));
  await sharp(Buffer.from(baseRows(0, BASE.height)), { raw: { width: BASE.width, height: BASE.height, channels: 4 } })
    .tiff({ compression: 'deflate' })
    .toFile(t('no-georef'));
  if (gdal) {
    for (const [name, args] of Object.entries(LAYOUTS)) run([...args, t('base'), t(name)]);
    for (const epsg of CRS_FIXTURES) {
      const p = placement(epsg).ullr;
      run(['-a_srs', `EPSG:${epsg}`, '-a_ullr', ...p.map(String), '-co', 'TILED=YES', '-co', 'COMPRESS=DEFLATE', t('base'), t(`crs-${epsg}`)]);
    }
  }
  spawnSync('sh', ['-c', `rm -f ${JSON.stringify(tmp)}/*.aux.xml`]);
  writeFileSync(join(tmp, `.version-${FIXTURE_VERSION}-${gdal ? 'gdal' : 'nogdal'}`), new Date().toISOString());
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dirname(dir), { recursive: true });
  renameSync(tmp, dir);
  return { dir, gdal, files };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const fx = await makeFixtures();
  process.stdout.write(`${Object.keys(fx.files).length} fixtures in ${fx.dir}${fx.gdal ? '' : ' (GDAL absent: layouts skipped)'}\n`);
}
