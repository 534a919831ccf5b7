import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../run-command.test-util';
import { makeFixtures, type Fixtures } from '../../../../packages/tiles/scripts/make-fixtures';
import { writeGeoTiff } from '@tiandi/tiles/write';
import scan from './scan';

const repo = path.resolve(__dirname, '../../../..');
const model = path.join(repo, 'packages/tiles/fixtures/models/redness-seg');
let fx: Fixtures;
let dir: string;

beforeAll(async () => {
  fx = await makeFixtures();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiandi-cli-scan-'));
}, 120_000);

const run = (argv: string[]) => runCommand(scan, argv, dir);

describe('tiandi scan', () => {
  it('scans and prints summary.json with --json', async () => {
    const r = await run([fx.files.base, '--model', model, '--out', 'out1', '--json', '--workers', '0']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const s = JSON.parse(r.stdout);
    expect(s).toMatchObject({ images: 1, candidates: 2, tiles_total: 24, model: 'redness-seg' });
    for (const f of ['candidates.geojson', 'footprint.geojson', 'heatmap.tif', 'summary.json']) expect(fs.existsSync(path.join(dir, 'out1', f))).toBe(true);
  });

  it('without --model, outside a clone, uses the default model shipped with tiandi', async () => {
    // The working folder (a temporary one) has no models/ of its own.
    const r = await run([fx.files.base, '--out', 'out-default-model', '--json', '--workers', '0']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ images: 1, model: 'poppy-synth', verifier: { model: 'verifier', prefilter: { model: 'prefilter' } } });
    // What the card says its numbers do not cover goes with every scan: in summary.json and in the printed summary.
    expect(JSON.parse(r.stdout).model_warning).toMatch(/synthetic imagery/);
    const said = await run([fx.files.base, '--out', 'out-default-said', '--workers', '0']);
    expect(said.stdout).toMatch(/模型 model poppy-synth [\d.]+: .*罂粟样本仅来自合成影像/);
    // --no-prefilter: every candidate goes to the verifier.
    const off = await run([fx.files.base, '--out', 'out-no-prefilter', '--json', '--workers', '0', '--no-prefilter']);
    expect(off.code).toBe(0);
    const s = JSON.parse(off.stdout);
    expect(s.verifier).toMatchObject({ model: 'verifier' });
    expect(s.verifier.prefilter).toBeUndefined();
  });

  it('defaults the output folder to ./scan-<image name>', async () => {
    const r = await run([fx.files.base, '--model', model, '--workers', '0']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/2 个疑似地块 candidates/);
    expect(fs.existsSync(path.join(dir, 'scan-base', 'summary.json'))).toBe(true);
  });

  it.each([
    ['not-tiff', /not a TIFF/],
    ['empty', /empty/],
    ['truncated', /truncated/],
    ['corrupt-tile', /corrupt/],
    ['huge', /10000000×10000000/],
    ['zero-width', /0×400/],
    ['no-georef', /no georeferencing/],
  ])('%s: one line on stderr, exit 2, no output folder', async (name, msg) => {
    const r = await run([fx.files[name], '--model', model, '--out', `bad-${name}`, '--workers', '0']);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines.length).toBe(1);
    expect(lines[0]).toMatch(new RegExp(`^tiandi: .*${name}\\.tif: `));
    expect(lines[0]).toMatch(msg);
    expect(fs.existsSync(path.join(dir, `bad-${name}`))).toBe(false);
  });

  it('a wrong CRS tag (UTM metres tagged EPSG:4326): one line naming the corner and --crs, exit 2', async () => {
    const file = path.join(dir, 'wrong-crs.tif');
    await writeGeoTiff(file, {
      width: 64,
      height: 64,
      bands: 3,
      epsg: 4326,
      geoTransform: [718568, 0.05, 0, 3094608, 0, -0.05],
      readRows: (_y0, rows) => new Uint8Array(64 * rows * 3).fill(90),
    });
    const r = await run([file, '--model', model, '--out', 'bad-wrong-crs', '--workers', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^tiandi: .*wrong-crs\.tif: .*718568, 3094608 in EPSG:4326, which is not on the Earth.*--crs/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(fs.existsSync(path.join(dir, 'bad-wrong-crs'))).toBe(false);
    // --crs with the right code scans it.
    const ok = await run([file, '--model', model, '--crs', 'EPSG:32648', '--out', 'wrong-crs-fixed', '--json', '--workers', '0']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).images).toBe(1);
  });

  it('says once on stderr that a Xian 1980 image has no known shift to WGS 84', async () => {
    const r = await run([fx.files.base, fx.files.base, '--model', model, '--crs', 'EPSG:2358', '--out', 'xian', '--workers', '0']);
    expect(r.code).toBe(0);
    expect(r.stderr.split('\n').filter((l) => l.includes('Xian 1980'))).toHaveLength(1);
    expect(r.stderr).toMatch(/^tiandi: 注意 note: EPSG:2358/m);
  });

  it('a bad file among good ones: the good one is scanned, exit 2', async () => {
    const r = await run([fx.files['not-tiff'], fx.files.base, '--model', model, '--out', 'mixed', '--json', '--workers', '0']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).images).toBe(1);
    expect(r.stderr).toMatch(/^tiandi: .*not-tiff\.tif: /);
  });

  it('bad options exit 2 with a one-line message', async () => {
    for (const argv of [
      [],
      ['x.tif', '--threshold', '2'],
      ['x.tif', '--workers', 'many'],
      ['x.tif', '--model', 'nowhere'],
      ['x.tif', '--bogus'],
      [fx.files.base, '--model', model, '--crs', 'EPSG:5773'],
    ]) {
      const r = await run(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n').length).toBe(1);
      expect(r.stderr).toMatch(/^tiandi: /);
    }
  });

  it('works from the bin with worker threads (npx tiandi)', () => {
    const r = spawnSync(
      process.execPath,
      [path.join(repo, 'apps/cli/bin/tiandi.mjs'), 'scan', fx.files.base, '--model', model, '--out', path.join(dir, 'bin'), '--workers', '2', '--json'],
      { encoding: 'utf8', cwd: repo },
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).candidates).toBe(2);
  }, 60_000);
});
