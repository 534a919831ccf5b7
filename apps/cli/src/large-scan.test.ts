import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeFixtures, type Fixtures } from '../../../packages/tiles/scripts/make-fixtures';
import { LARGE_SCAN_BYTES, largeScanEnv, SCAN_MALLOC_ENV } from '../bin/large-scan.mjs';

const repo = path.resolve(__dirname, '../../..');
const bin = path.join(repo, 'apps/cli/bin/tiandi.mjs');
const model = path.join(repo, 'packages/tiles/fixtures/models/redness-seg');
let fx: Fixtures;
let dir: string;

beforeAll(async () => {
  fx = await makeFixtures();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiandi-large-scan-'));
}, 120_000);

describe('a large scan runs in a child with the allocator set (bin/large-scan.mjs)', () => {
  it('re-runs only a scan of TIFF files totalling the threshold, on Linux, once', () => {
    const size = fs.statSync(fx.files.base).size;
    const env = { PATH: '/usr/bin', TIANDI_LARGE_SCAN_BYTES: String(size) };
    expect(largeScanEnv(['scan', fx.files.base], env, 'linux')).toEqual({ ...env, ...SCAN_MALLOC_ENV });
    // Two files count together; the default threshold is far above a fixture.
    expect(largeScanEnv(['scan', fx.files.base, fx.files.base], { TIANDI_LARGE_SCAN_BYTES: String(2 * size) }, 'linux')).toMatchObject(SCAN_MALLOC_ENV);
    expect(largeScanEnv(['scan', fx.files.base], { TIANDI_LARGE_SCAN_BYTES: String(size + 1) }, 'linux')).toBeUndefined();
    expect(largeScanEnv(['scan', fx.files.base], {}, 'linux')).toBeUndefined();
    expect(size).toBeLessThan(LARGE_SCAN_BYTES);
    // Not a scan, not Linux (glibc), already set by the re-run or the user, files that do not exist: run here.
    expect(largeScanEnv(['eval', fx.files.base], env, 'linux')).toBeUndefined();
    expect(largeScanEnv(['scan', fx.files.base], env, 'darwin')).toBeUndefined();
    expect(largeScanEnv(['scan', fx.files.base], { ...env, ...SCAN_MALLOC_ENV }, 'linux')).toBeUndefined();
    expect(largeScanEnv(['scan', path.join(dir, 'missing.tif')], { TIANDI_LARGE_SCAN_BYTES: '1' }, 'linux')).toBeUndefined();
  });

  it('the re-run child gives the same output and exit status as a run in the launcher itself', () => {
    const args = (out: string) => [bin, 'scan', fx.files.base, '--model', model, '--out', path.join(dir, out), '--json', '--workers', '1'];
    const child = spawnSync(process.execPath, args('child'), { encoding: 'utf8', cwd: repo, env: { ...process.env, TIANDI_LARGE_SCAN_BYTES: '0' } });
    const here = spawnSync(process.execPath, args('here'), { encoding: 'utf8', cwd: repo });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    const strip = (s: string) => ({ ...JSON.parse(s), seconds: 0, mpx_per_s: 0, out_dir: '' });
    expect(strip(child.stdout)).toEqual(strip(here.stdout));
    expect(JSON.parse(child.stdout).candidates).toBe(2);
    for (const f of ['candidates.geojson', 'footprint.geojson', 'heatmap.tif']) {
      expect(fs.readFileSync(path.join(dir, 'child', f)).equals(fs.readFileSync(path.join(dir, 'here', f))), f).toBe(true);
    }
    const bad = spawnSync(process.execPath, [bin, 'scan', fx.files.base, '--threshold', '2'], {
      encoding: 'utf8',
      cwd: repo,
      env: { ...process.env, TIANDI_LARGE_SCAN_BYTES: '0' },
    });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^tiandi: .*threshold/);
  }, 120_000);
});
