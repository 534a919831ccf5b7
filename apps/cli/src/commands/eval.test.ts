import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../run-command.test-util';
import { makeFixtures, type Fixtures } from '../../../../packages/tiles/scripts/make-fixtures';
import evalCommand, { realKey } from './eval';

const repo = path.resolve(__dirname, '../../../..');
const model = path.join(repo, 'packages/tiles/fixtures/models/redness-seg');
let fx: Fixtures;
let dir: string;

beforeAll(async () => {
  fx = await makeFixtures();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiandi-cli-eval-'));
  // Two "sites": the painted-plots image (its two plots are false candidates here) and a copy under another name.
  fs.mkdirSync(path.join(dir, 'neg'));
  fs.copyFileSync(fx.files.base, path.join(dir, 'neg/aaa-1.tif'));
  fs.copyFileSync(fx.files.base, path.join(dir, 'neg/bbb-1.tif'));
  fs.writeFileSync(path.join(dir, 'neg/notes.txt'), 'not imagery');
}, 120_000);

const run = (argv: string[]) => runCommand(evalCommand, argv, dir);

describe('tiandi eval --real-negatives', () => {
  it('counts every candidate on real negatives as false, per folder or pattern and per file', async () => {
    const r = await run(['--scenes', '0', '--model', model, '--real-negatives', 'neg', path.join('neg', 'bbb-*.tif'), '--json']);
    expect(r.code).toBe(0);
    const real = JSON.parse(r.stdout).realNegatives;
    expect(real.map((f: { folder: string; files: unknown[] }) => [f.folder, f.files.length])).toEqual([['neg', 2], [path.join('neg', 'bbb-*.tif'), 1]]);
    const [all, one] = real;
    expect(all.candidates).toBe(4);
    expect(all.files.map((f: { file: string; candidates: number; unverified: number }) => [f.file, f.candidates, f.unverified])).toEqual([['aaa-1.tif', 2, 2], ['bbb-1.tif', 2, 2]]);
    expect(one.perKm2).toBeCloseTo(2 / one.areaKm2, 6);
    expect(one.areaKm2).toBeGreaterThan(0);
  });

  it('prints the table and names a folder that matches nothing', async () => {
    const r = await run(['--scenes', '0', '--model', model, '--real-negatives', path.join('neg', 'bbb-*.tif')]);
    expect(r.stdout).toContain('REAL imagery without poppy');
    expect(r.stdout).toMatch(/bbb-1\.tif .* 2 false = /);
    const bad = await run(['--scenes', '0', '--model', model, '--real-negatives', 'nowhere']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("--real-negatives 'nowhere'");
    const none = await run(['--scenes', '0', '--model', model, '--real-negatives', path.join('neg', 'zzz-*.tif')]);
    expect(none.stderr).toContain('matches no .tif/.tiff file');
    expect((await run(['--scenes', '0', '--model', model])).code).not.toBe(0);
  });

  it('keys card metrics by folder or pattern', () => {
    expect(realKey('../shared/real-aerial/osbs-*.tif')).toBe('osbs');
    expect(realKey('/data/negatives/')).toBe('negatives');
  });
});
