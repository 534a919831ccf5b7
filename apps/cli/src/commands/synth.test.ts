import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCommand } from '../run-command.test-util';
import synth from './synth';
import evalCommand from './eval';
import chips from './chips';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const run = runCommand;

describe('tiandi synth / chips / eval', () => {
  it('synth scene writes a GeoTIFF and its truth; chips export cuts chips from them', async () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'tiandi-synth-'));
    dirs.push(d);
    const r = await run(synth, ['scene', '--seed', '12', '--gsd', '0.05', '--crs', 'EPSG:4522', '--size', '700', '--plots-per-ha', '30', '--out', 'out'], d);
    expect(r.code).toBe(0);
    expect(fs.existsSync(path.join(d, 'out/scene-12.tif'))).toBe(true);
    const truth = JSON.parse(fs.readFileSync(path.join(d, 'out/scene-12.truth.geojson'), 'utf8'));
    expect(truth.scene.crs).toBe('EPSG:4522');
    const c = await run(chips, ['export', '--image', 'out/scene-12.tif', '--labels', 'out/scene-12.truth.geojson', '--out', 'chips', '--size', '64'], d);
    expect(c.code).toBe(0);
    expect(c.stdout).toMatch(/chips/);
    expect(fs.existsSync(path.join(d, 'chips/manifest.geojson'))).toBe(true);
  });

  it('rejects bad input with one line and exit 2', async () => {
    const d = os.tmpdir();
    const a = await run(synth, ['scene', '--seed', '1', '--gsd', '0.5', '--out', 'x'], d);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/^tiandi: synth: .*gsdM/);
    expect(a.stderr.trim().split('\n')).toHaveLength(1);
    const b = await run(synth, ['scene', '--out', 'x'], d);
    expect(b.code).toBe(2);
    const e = await run(evalCommand, ['--seed', '1010', '--scenes', '3'], d);
    expect(e.code).toBe(2);
    expect(e.stderr).toMatch(/overlap seeds 1000-1299/);
    const c = await run(chips, ['export', '--image', 'nope.tif'], d);
    expect(c.code).toBe(2);
  });
});
