import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { openGeoTiffSource } from '@tiandi/tiles/node';
import { runCommand } from '../run-command.test-util';
import { makeFixtures, PLOTS, type Fixtures } from '../../../../packages/tiles/scripts/make-fixtures';
import { QUALITY_IMAGE_PX, writeQualityTestImage } from '../../../../packages/tiles/src/testing/quality-test-image';
import evalCommand from './eval';
import { namedInputs, truthInputs } from './eval-truth';

const repo = path.resolve(__dirname, '../../../..');
const model = path.join(repo, 'packages/tiles/fixtures/models/redness-seg');
let fx: Fixtures;
let dir: string;

/** A truth GeoJSON in the base image's own CRS (EPSG:4522), boxes given in its pixels. */
function truthInImageCrs(gt: readonly number[], boxes: Array<{ id: string; box: readonly number[]; stage?: string; cls?: string }>) {
  const [ox, rx, , oy, , ry] = gt;
  const xy = (px: number, py: number) => [ox + px * rx, oy + py * ry];
  return {
    type: 'FeatureCollection',
    crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4522' } },
    features: boxes.map(({ id, box: [x0, y0, x1, y1], stage, cls }) => ({
      type: 'Feature',
      properties: { id, class: cls ?? 'poppy', ...(stage ? { stage } : {}) },
      geometry: { type: 'Polygon', coordinates: [[xy(x0, y0), xy(x1, y0), xy(x1, y1), xy(x0, y1), xy(x0, y0)]] },
    })),
  };
}

beforeAll(async () => {
  fx = await makeFixtures();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiandi-cli-eval-truth-'));
  const src = await openGeoTiffSource(fx.files.base);
  const gt = src.geoTransform;
  await src.close();
  // The base image has two red plots (rect, disc) the fixture model finds. Labelled: the rect (found), a 6.25 m²
  // plot on plain ground (missed), a bare-soil feature of another class (ignored), and one 1 km off the image.
  fs.mkdirSync(path.join(dir, 'site'));
  fs.copyFileSync(fx.files.base, path.join(dir, 'site/base.tif'));
  fs.writeFileSync(
    path.join(dir, 'site/truth.geojson'),
    JSON.stringify(
      truthInImageCrs(gt, [
        { id: 'rect', box: PLOTS.rect, stage: 'flowering' },
        { id: 'plain', box: [100, 100, 150, 150], stage: 'rosette' },
        { id: 'soil', box: [200, 200, 240, 240], cls: 'bare' },
        { id: 'far', box: [20_000, 100, 20_040, 140] },
      ]),
    ),
  );
  fs.writeFileSync(path.join(dir, 'notjson.geojson'), '{"type": "FeatureCollection", ');
  fs.writeFileSync(
    path.join(dir, 'points.geojson'),
    JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [102.5, 25.3] } }] }),
  );
  fs.writeFileSync(path.join(dir, 'wrongcrs.geojson'), JSON.stringify({ ...truthInImageCrs(gt, [{ id: 'rect', box: PLOTS.rect }]), crs: undefined }));
}, 120_000);

const run = (argv: string[]) => runCommand(evalCommand, argv, dir);

describe('tiandi eval --truth / --labelled', () => {
  it('scores candidates against a truth in the image CRS: recall, precision and false candidates per km², per image', async () => {
    const r = await run(['--model', model, '--truth', 'site/truth.geojson', 'site/base.tif', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const t = JSON.parse(r.stdout).labelled;
    const all = t.overall;
    // rect found, plain missed; candidates: rect (true) and disc (false).
    expect([all.plots, all.plotsFound, all.candidates, all.candidatesTrue, all.fpCandidates]).toEqual([2, 1, 2, 1, 1]);
    expect(all.recall).toBe(0.5);
    expect(all.recallGe4m2).toBe(0.5);
    expect(all.precision).toBe(0.5);
    expect(all.fpPerKm2).toBeCloseTo(1 / all.areaKm2, 6);
    // The image's valid ground: 600×400 px at 5 cm less the masked parts, about 0.0005 km².
    expect(all.areaKm2).toBeGreaterThan(0.0003);
    expect(all.areaKm2).toBeLessThan(0.0006);
    expect(t.files.map((f: { file: string; crs: string }) => [f.file, f.crs])).toEqual([['base.tif', 'EPSG:4522']]);
    expect(all.byStage).toMatchObject({ flowering: { plots: 1, found: 1 }, rosette: { plots: 1, found: 0 } });
    expect(t.missed.map((m: { id: string; areaM2: number }) => [m.id, m.areaM2])).toEqual([['plain', 6.25]]);
    expect(t.outside).toEqual([{ id: 'far', source: path.join(dir, 'site/truth.geojson') }]);
    // The disc (centre pixel 160, 280) is the false candidate.
    expect(t.falseCandidates).toHaveLength(1);
    const [lon, lat] = t.falseCandidates[0].lonLat;
    const plain = t.missed[0].lonLat; // the plain plot's centre, pixel (125, 125)
    expect(Math.sign(lon - plain[0])).toBe(1);
    expect(Math.sign(plain[1] - lat)).toBe(1);
  });

  it('counts plots and ground in blocks the scan judged too poor to cover (a blurred corner)', async () => {
    fs.mkdirSync(path.join(dir, 'blurred'), { recursive: true });
    await writeQualityTestImage(path.join(dir, 'blurred/q.tif'));
    const src = await openGeoTiffSource(path.join(dir, 'blurred/q.tif'));
    const gt = src.geoTransform;
    await src.close();
    // One plot in the blurred top-left quarter, one in the sharp top-right quarter; the image holds nothing red.
    fs.writeFileSync(
      path.join(dir, 'blurred/truth.geojson'),
      JSON.stringify(
        truthInImageCrs(gt, [
          { id: 'in-blur', box: [40, 40, 80, 80] },
          { id: 'sharp', box: [400, 40, 440, 80] },
        ]),
      ),
    );
    const r = await run(['--model', model, '--labelled', 'blurred', '--json']);
    expect(r.code).toBe(0);
    const t = JSON.parse(r.stdout).labelled;
    expect(t.files[0].poorKm2).toBeGreaterThan(0);
    expect(t.outside).toEqual([]);
    expect(t.missed.map((m: { id: string }) => m.id).sort()).toEqual(['in-blur', 'sharp']);
    // The whole 512 × 512 px image at 0.1 m: 0.00262 km², the poor blocks included.
    expect(t.overall.areaKm2).toBeCloseTo((QUALITY_IMAGE_PX * 0.1) ** 2 / 1e6, 5);
  });

  it('--labelled finds the images and truth in a folder and prints the table', async () => {
    const r = await run(['--model', model, '--labelled', 'site']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('LABELLED imagery');
    expect(r.stdout).toMatch(/base\.tif\s+0\.050\s+EPSG:4522\s+0\.0\d+\s+2\s+1\s+50\.0 %\s+50\.0 %\s+2\s+1\s+50\.0 %/);
    expect(r.stdout).toContain('漏检 missed plain on base.tif: 6.25 m², rosette');
    expect(r.stdout).toContain('1 truth plot(s) lie on no scanned image');
    expect(r.stdout).toMatch(/误报 false candidate on base\.tif at 102\.\d{6}, 25\.\d{6} \(score \d\.\d\d\)/);
  });

  it('--misses pictures each missed plot (its outline in red) and each false candidate, cut from the image', async () => {
    const r = await run(['--model', model, '--labelled', 'site', '--misses', 'pics']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/2 pictures of missed plots and false candidates → pics\//);
    const files = fs.readdirSync(path.join(dir, 'pics')).sort();
    expect(files).toHaveLength(2);
    expect(files[0]).toMatch(/^false-1_base_score\d\.\d\d\.png$/);
    expect(files[1]).toBe('missed_plain_rosette_none_6.3m2_5cm.png');
    // The 2.5-m plot at pixels 100-150 with 0.5 m + 3 m around it each side (5 cm): about pixels 5-245 (a pixel more
    // each side where the ground GSD is a hair under 5 cm), read as they are.
    const pic = await sharp(path.join(dir, 'pics', files[1]))
      .raw()
      .toBuffer({ resolveWithObject: true });
    const w = pic.info.width;
    expect(w).toBeGreaterThanOrEqual(240);
    expect(w).toBeLessThanOrEqual(242);
    expect(pic.info.height).toBe(w);
    const x0 = 5 - (w - 240) / 2;
    const src = await openGeoTiffSource(fx.files.base);
    const centre = await src.readWindow([125, 125, 126, 126]);
    await src.close();
    const px = (x: number, y: number) => Array.from(pic.data.subarray((y * w + x) * pic.info.channels, (y * w + x) * pic.info.channels + 3));
    expect(px(125 - x0, 125 - x0)).toEqual(Array.from(centre.rgb));
    // Its outline, drawn in red on the plot's edge (image pixel 100).
    const [red, green] = px(100 - x0, 125 - x0);
    expect(red).toBeGreaterThan(200);
    expect(green).toBeLessThan(80);
  });

  it('refuses --misses without labelled imagery', async () => {
    const r = await run(['--model', model, '--scenes', '1', '--misses', 'pics2']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/--misses needs --truth or --labelled/);
  });

  it('names a missing, malformed or wrongly projected truth file and what to do, before scanning', async () => {
    const cases: Array<[string, string]> = [
      ['missing.geojson', 'no such truth file'],
      ['notjson.geojson', 'not JSON'],
      ['points.geojson', 'holds no poppy plot polygon'],
      ['wrongcrs.geojson', 'is not lon/lat degrees: name the file\'s CRS in its "crs" member'],
    ];
    for (const [file, what] of cases) {
      const r = await run(['--model', model, '--truth', file, 'site/base.tif']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`tiandi: eval: ${path.join(dir, file)}: `);
      expect(r.stderr).toContain(what);
      expect(r.stderr).toMatch(file === 'wrongcrs.geojson' ? /or write it in WGS 84/ : /give a GeoJSON FeatureCollection of poppy plot polygons/);
      expect(r.stdout).toBe('');
    }
  });

  it('refuses images that do not exist, a truth without images, and folders without images or truth', () => {
    expect(truthInputs(['t.geojson'], [], ['nope.tif'], dir)).toEqual({ error: expect.stringContaining("image 'nope.tif' does not exist") });
    expect(truthInputs(['t.geojson'], [], [], dir)).toEqual({ error: expect.stringContaining('--truth needs images') });
    fs.mkdirSync(path.join(dir, 'only-tif'), { recursive: true });
    fs.copyFileSync(fx.files.base, path.join(dir, 'only-tif/a.tif'));
    expect(truthInputs([], ['only-tif'], [], dir)).toEqual({ error: expect.stringContaining("--labelled 'only-tif' holds no .geojson truth file") });
    expect(truthInputs([], ['nowhere'], [], dir)).toEqual({ error: expect.stringContaining("--labelled 'nowhere' is not a readable folder") });
    expect(truthInputs([], ['site'], [], dir)).toEqual({ truth: [path.join(dir, 'site/truth.geojson')], images: [path.join(dir, 'site/base.tif')] });
    // Names after the options: --truth's images, --real-negatives' folders, never both.
    expect(namedInputs({ truth: ['site/truth.geojson'] }, ['site/base.tif'], dir)).toEqual({
      realArgs: [],
      truthIn: { truth: [path.join(dir, 'site/truth.geojson')], images: [path.join(dir, 'site/base.tif')] },
    });
    expect(namedInputs({ labelled: ['site'], 'real-negatives': ['a'] }, ['b'], dir)).toMatchObject({
      realArgs: ['a', 'b'],
      truthIn: { images: [path.join(dir, 'site/base.tif')] },
    });
    expect(namedInputs({ truth: ['t'], 'real-negatives': ['a'] }, [], dir)).toEqual({ error: expect.stringContaining('cannot share a command line') });
    expect(namedInputs({ labelled: ['site'] }, ['x.tif'], dir)).toEqual({ error: expect.stringContaining("unexpected argument 'x.tif'") });
  });
});
