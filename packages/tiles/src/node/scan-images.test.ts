import { describe, expect, it, beforeAll } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, mkdirSync, copyFileSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeFixtures, PLOTS, CRS_FIXTURES, BASE, baseRows, type Fixtures } from '../../scripts/make-fixtures';
import { writeGeoTiff } from '../write/write-geotiff';
import { scanImages } from './scan-images';
import { openGeoTiffSource } from '../read/open-geotiff-source';
import { localDistanceM } from '../read/georef';
import { gdal, gdalAvailable } from '../testing/gdal-available';

const MODELS = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/models');
const SEG = join(MODELS, 'redness-seg');
const CLS = join(MODELS, 'redness-cls');
let fx: Fixtures;
let dir: string;
const hasGdal = gdalAvailable();

beforeAll(async () => {
  fx = await makeFixtures();
  dir = mkdtempSync(join(tmpdir(), 'tiandi-scan-'));
}, 120_000);

type FC = { features: { geometry: { type: string; coordinates: number[][][] }; properties: Record<string, any> }[] };
const readJson = (p: string) => JSON.parse(readFileSync(p, 'utf8'));

function bboxCentre(ring: number[][]): [number, number] {
  const xs = ring.map((p) => p[0]);
  const ys = ring.map((p) => p[1]);
  return [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2];
}

/** The WGS 84 position of the rectangle plot's centre and the disc's centre in a fixture, by our reader. */
async function plotCentres(path: string): Promise<[number, number][]> {
  const s = await openGeoTiffSource(path);
  const r = PLOTS.rect;
  const out: [number, number][] = [s.pixelToWgs84((r[0] + r[2]) / 2, (r[1] + r[3]) / 2), s.pixelToWgs84(PLOTS.disc[0], PLOTS.disc[1])];
  await s.close();
  return out;
}

function modelVariant(name: string, edit: (card: any) => void): string {
  const d = join(dir, name);
  mkdirSync(d, { recursive: true });
  copyFileSync(join(SEG, 'model.onnx'), join(d, 'model.onnx'));
  const card = readJson(join(SEG, 'model.json'));
  edit(card);
  writeFileSync(join(d, 'model.json'), JSON.stringify(card));
  return d;
}

describe('scanImages', () => {
  it('finds the two painted plots, drops the speck, writes every output', async () => {
    const out = join(dir, 'seg');
    const s = await scanImages({ images: [fx.files.base], modelDir: SEG, outDir: out, workers: 0 });
    expect(s).toMatchObject({
      images: 1,
      tiles_total: 24,
      tiles_inferred: 24,
      tiles_skipped_nodata: 0,
      candidates: 2,
      model: 'redness-seg',
      model_version: '0.0.1',
      failed: [],
      out_dir: out,
    });
    expect(readdirSync(out).sort()).toEqual(['candidates.geojson', 'footprint.geojson', 'heatmap.tif', 'quality.geojson', 'summary.json']);
    const c: FC = readJson(join(out, 'candidates.geojson'));
    const centres = await plotCentres(fx.files.base);
    const [rect, disc] = c.features;
    expect(localDistanceM(bboxCentre(rect.geometry.coordinates[0]), centres[0])).toBeLessThan(0.8);
    expect(localDistanceM(bboxCentre(disc.geometry.coordinates[0]), centres[1])).toBeLessThan(0.8);
    expect(rect.properties.area_m2).toBeGreaterThan(12 * 0.8);
    expect(rect.properties.area_m2).toBeLessThan(12 * 1.25);
    expect(disc.properties.area_m2).toBeGreaterThan(Math.PI * 1.5 ** 2 * 0.75);
    expect(disc.properties.area_m2).toBeLessThan(Math.PI * 1.5 ** 2 * 1.25);
    expect(rect.properties.score_max).toBeGreaterThan(0.99);
    expect(Object.keys(rect.properties).sort()).toEqual([
      'area_m2',
      'id',
      'image',
      'model',
      'model_version',
      'score_max',
      'score_mean',
      'unverified',
      'unverified_reason',
    ]);
    expect(rect.properties).toMatchObject({ unverified: true, unverified_reason: expect.stringContaining('no second stage') });
    expect(s.candidates_unverified).toBe(2);
    const ring = rect.geometry.coordinates[0];
    expect(ring[0]).toEqual(ring[ring.length - 1]);
    const f = readJson(join(out, 'footprint.geojson')).features[0];
    expect(f.properties).toMatchObject({ image: 'base.tif', gsd_m: 0.05, crs: 'EPSG:4522', width: 600, height: 400, acquired: '2026-04-12T02:30:00' });
    // 30 m × 20 m minus the 2 m alpha strip and the 12.5 m² corner triangle.
    expect(f.properties.area_km2 * 1e6).toBeGreaterThan(547.5 * 0.98);
    expect(f.properties.area_km2 * 1e6).toBeLessThan(547.5 * 1.03);
    const summary = readJson(join(out, 'summary.json'));
    expect(summary.candidates).toBe(2);
    const heat = await openGeoTiffSource(join(out, 'heatmap.tif'));
    expect(heat.crs.id).toBe('EPSG:4522');
    expect([heat.width, heat.height]).toEqual([38, 25]);
    await heat.close();
  });

  it('gives the same ids on a second run, with worker threads', async () => {
    const a: FC = readJson(join(dir, 'seg', 'candidates.geojson'));
    const out = join(dir, 'seg-workers');
    const s = await scanImages({ images: [fx.files.base], modelDir: SEG, outDir: out, workers: 2, inThisThread: false });
    expect(s.candidates).toBe(2);
    const b: FC = readJson(join(out, 'candidates.geojson'));
    expect(b.features.map((f) => f.properties.id)).toEqual(a.features.map((f) => f.properties.id));
  }, 60_000);

  it('says once, in summary.json and on the footprint, that a Xian 1980 image has no known shift to WGS 84', async () => {
    const out = join(dir, 'xian');
    // The base image's coordinates read as Xian 1980 / 3-degree Gauss–Krüger zone 34 (same zone and false easting as 4522).
    const s = await scanImages({ images: [fx.files.base, fx.files.base], modelDir: SEG, outDir: out, workers: 0, crs: 'EPSG:2358' });
    expect(s.crs_notes).toHaveLength(1);
    expect(s.crs_notes![0]).toMatch(/EPSG:2358 Xian 1980.*no datum shift to WGS 84/);
    const foot: FC = readJson(join(out, 'footprint.geojson'));
    expect(foot.features[0].properties.crs_note).toBe(s.crs_notes![0]);
    const plain = await scanImages({ images: [fx.files.base], modelDir: SEG, outDir: join(dir, 'cgcs'), workers: 0 });
    expect(plain.crs_notes).toBeUndefined();
  });

  it.skipIf(!hasGdal)('finds the same plots in colour bands tagged grey as in RGB, and says how it read them, once', async () => {
    const out = join(dir, 'grey-tagged');
    const s = await scanImages({ images: [fx.files['minisblack-rgb'], fx.files['minisblack-rgba']], modelDir: SEG, outDir: out, workers: 0 });
    const rgb = await scanImages({ images: [fx.files['tiled-none']], modelDir: SEG, outDir: join(dir, 'grey-tagged-rgb'), workers: 0 });
    expect(s.candidates).toBe(2 * rgb.candidates);
    expect(rgb.candidates).toBeGreaterThan(0);
    expect(s.band_notes).toHaveLength(2);
    expect(s.band_notes![0]).toMatch(/3 bands tagged grey \(MINISBLACK\): bands 1, 2, 3 read as red, green, blue/);
    const foot: FC = readJson(join(out, 'footprint.geojson'));
    expect(foot.features.map((f) => f.properties.band_note)).toEqual(s.band_notes);
    expect(rgb.band_notes).toBeUndefined();
  });

  it.skipIf(!hasGdal)('finds the same plots in 16-bit files holding 8- or 12-bit values as in 8-bit ones, and says how it read them', async () => {
    const s = await scanImages({ images: [fx.files['uint16-8bit-values'], fx.files['uint16-12bit']], modelDir: SEG, outDir: join(dir, 'u16'), workers: 0 });
    const rgb = await scanImages({ images: [fx.files['tiled-none']], modelDir: SEG, outDir: join(dir, 'u16-rgb'), workers: 0 });
    expect(rgb.candidates).toBeGreaterThan(0);
    expect(s.candidates).toBe(2 * rgb.candidates);
    expect(s.band_notes).toEqual([expect.stringMatching(/8-bit values in a 16-bit file/), expect.stringMatching(/stored in 0–4095 \(12-bit\)/)]);
  });

  it("names each image's heatmap (and its CRS sidecar) when several are scanned, leaving no temporary file", async () => {
    // Heatmaps are written while the second stage runs, under temporary names, and named once the scan is done.
    const out = join(dir, 'two');
    const other = join(dir, 'other.tif');
    copyFileSync(fx.files.base, other);
    const proj4 = '+proj=tmerc +lat_0=0 +lon_0=102 +k=1 +x_0=34500000 +y_0=0 +ellps=GRS80 +units=m +no_defs';
    const s = await scanImages({ images: [fx.files.base, other], modelDir: SEG, outDir: out, workers: 0, crs: proj4 });
    expect(s.images).toBe(2);
    expect(readdirSync(out).sort()).toEqual([
      'candidates.geojson',
      'footprint.geojson',
      'heatmap-base.tif',
      'heatmap-base.tif.aux.xml',
      'heatmap-other.tif',
      'heatmap-other.tif.aux.xml',
      'quality.geojson',
      'summary.json',
    ]);
    expect(readFileSync(join(out, 'heatmap-other.tif.aux.xml'), 'utf8')).toContain('+lon_0=102');
    const heat = await openGeoTiffSource(join(out, 'heatmap-other.tif'), { crs: proj4 });
    expect([heat.width, heat.height]).toEqual([38, 25]);
    await heat.close();
    expect(readdirSync(dir).some((n) => n.startsWith('two.partial'))).toBe(false);
  });

  it("removes every image's temporary levels (kept blocks) before it returns", async () => {
    // The base image without overviews: the first stage decodes its full-resolution blocks and keeps them on disk.
    const src = await openGeoTiffSource(fx.files.base);
    const flat = join(dir, 'no-overviews.tif');
    await writeGeoTiff(flat, {
      width: BASE.width,
      height: BASE.height,
      bands: 4,
      epsg: BASE.epsg,
      tileSize: 128,
      geoTransform: src.geoTransform,
      readRows: baseRows,
      overviews: false,
    });
    await src.close();
    const levels = () => readdirSync(tmpdir()).filter((n) => n.startsWith(`tiandi-level-${process.pid}-`));
    const seen = new Set<string>();
    const s = await scanImages({
      images: [flat, flat],
      modelDir: SEG,
      outDir: join(dir, 'levels'),
      workers: 0,
      onProgress: () => {
        for (const n of levels()) seen.add(n);
      },
    });
    expect(s.images).toBe(2);
    // Each image kept blocks in a file of its own while it was scanned (so there was something to remove).
    expect([...seen].filter((n) => n.endsWith('-kept.bin')).sort()).toEqual([
      `tiandi-level-${process.pid}-0-kept.bin`,
      `tiandi-level-${process.pid}-1-kept.bin`,
    ]);
    expect(levels()).toEqual([]);
  });

  it('runs a tile classifier; --threshold overrides the card', async () => {
    const strict = await scanImages({ images: [fx.files.base], modelDir: CLS, outDir: join(dir, 'cls'), workers: 0 });
    expect(strict.candidates).toBe(0);
    const loose = await scanImages({ images: [fx.files.base], modelDir: CLS, outDir: join(dir, 'cls2'), workers: 0, threshold: 0.03 });
    expect(loose.candidates).toBeGreaterThan(0);
    const c: FC = readJson(join(dir, 'cls2', 'candidates.geojson'));
    expect(c.features[0].properties.score_max).toBeGreaterThanOrEqual(0.03);
  });

  it('a bad file among good ones is reported and does not stop the others', async () => {
    const out = join(dir, 'mixed');
    const s = await scanImages({ images: [fx.files['not-tiff'], fx.files.base, fx.files.truncated], modelDir: SEG, outDir: out, workers: 0 });
    expect(s.images).toBe(1);
    expect(s.failed.map((f) => f.code)).toEqual(['TIANDI_E_NOT_TIFF', 'TIANDI_E_CORRUPT_TIFF']);
    expect(existsSync(join(out, 'summary.json'))).toBe(true);
  });

  it('writes nothing when every image fails', async () => {
    const out = join(dir, 'none');
    const s = await scanImages({ images: [fx.files.empty, fx.files.huge, fx.files['no-georef']], modelDir: SEG, outDir: out, workers: 0 });
    expect(s.out_dir).toBeNull();
    expect(s.failed.map((f) => f.code)).toEqual(['TIANDI_E_NOT_TIFF', 'TIANDI_E_TOO_LARGE', 'TIANDI_E_NO_GEOREF']);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).some((n) => n.startsWith('none.partial'))).toBe(false);
  });

  it('refuses imagery coarser than twice the model GSD, naming both numbers', async () => {
    const m = modelVariant('fine', (c) => (c.gsd_m = 0.02));
    const s = await scanImages({ images: [fx.files.base], modelDir: m, outDir: join(dir, 'fine'), workers: 0 });
    expect(s.failed[0].code).toBe('TIANDI_E_GSD_TOO_COARSE');
    expect(s.failed[0].message).toMatch(/0\.050 m.*0\.02 m/);
  });

  it('refuses a card that contradicts its ONNX graph, and an invalid card', async () => {
    const m = modelVariant('big', (c) => ((c.input.size = 128), (c.tile_stride = 96)));
    await expect(scanImages({ images: [fx.files.base], modelDir: m, workers: 0, cwd: dir })).rejects.toMatchObject({ code: 'TIANDI_E_MODEL_MISMATCH' });
    const n = modelVariant('named', (c) => (c.output.name = 'probabilities'));
    await expect(scanImages({ images: [fx.files.base], modelDir: n, workers: 0, cwd: dir })).rejects.toThrow(/probabilities.*not in the graph/);
    const k = modelVariant('typo', (c) => (c.treshold = 1));
    await expect(scanImages({ images: [fx.files.base], modelDir: k, workers: 0, cwd: dir })).rejects.toMatchObject({ code: 'TIANDI_E_BAD_MODEL_CARD' });
  });

  describe.skipIf(!hasGdal)('on GDAL-written layouts and CRSs', () => {
    const names = ['rotated', 'striped-lzw', 'cog-jpeg', 'jpeg-ycbcr-mask', 'uint16', 'pixel-is-point', ...CRS_FIXTURES.map((c) => `crs-${c}`)];
    it.each(names)('%s: candidates sit where GDAL puts the painted plots', async (name) => {
      const out = join(dir, `gdal-${name}`);
      const s = await scanImages({ images: [fx.files[name]], modelDir: SEG, outDir: out, workers: 0 });
      expect(s.candidates).toBe(2);
      const c: FC = readJson(join(out, 'candidates.geojson'));
      const r = PLOTS.rect;
      const ref = gdal(
        'gdaltransform',
        ['-output_xy', '-t_srs', 'EPSG:4326', fx.files[name]],
        `${(r[0] + r[2]) / 2} ${(r[1] + r[3]) / 2}\n${PLOTS.disc[0]} ${PLOTS.disc[1]}\n`,
      )
        .trim()
        .split('\n')
        .map((l) => l.trim().split(/\s+/).map(Number) as [number, number]);
      const got = c.features.map((f) => bboxCentre(f.geometry.coordinates[0]));
      // Each reference plot has a candidate within one heatmap cell (0.8 m).
      for (const p of ref) expect(Math.min(...got.map((g) => localDistanceM(g, p)))).toBeLessThan(name === 'rotated' ? 1.2 : 0.8);
      const info = JSON.parse(gdal('gdalinfo', ['-json', join(out, 'heatmap.tif')]));
      expect(info.bands[0].noDataValue).toBe(-1);
    });

    it('jpeg-rgb: a card allowing DCT scaling has its 5-cm JPEG blocks decoded 2× smaller, and finds the same plots', async () => {
      const dct = modelVariant('dct', (c) => (c.input.jpeg_dct_scaling = true));
      const full = await scanImages({ images: [fx.files['jpeg-rgb']], modelDir: SEG, outDir: join(dir, 'dct-off'), workers: 0 });
      const scaled = await scanImages({ images: [fx.files['jpeg-rgb']], modelDir: dct, outDir: join(dir, 'dct-on'), workers: 0 });
      expect([full.candidates, scaled.candidates]).toEqual([2, 2]);
      const at = (d: string) => (readJson(join(dir, d, 'candidates.geojson')) as FC).features.map((f) => bboxCentre(f.geometry.coordinates[0]));
      const [a, b] = [at('dct-off'), at('dct-on')];
      for (let i = 0; i < 2; i++) expect(localDistanceM(a[i], b[i])).toBeLessThan(0.4);
      // The first stage saw other pixels (libjpeg's scaled decode): its heatmap is not the full decode's.
      expect(readFileSync(join(dir, 'dct-on', 'heatmap.tif')).equals(readFileSync(join(dir, 'dct-off', 'heatmap.tif')))).toBe(false);
    });
  });
});
