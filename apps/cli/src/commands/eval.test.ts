import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../run-command.test-util';
import { makeFixtures, type Fixtures } from '../../../../packages/tiles/scripts/make-fixtures';
import evalCommand, { realKey, wideCardMetrics } from './eval';

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
    expect(real.map((f: { folder: string; files: unknown[] }) => [f.folder, f.files.length])).toEqual([
      ['neg', 2],
      [path.join('neg', 'bbb-*.tif'), 1],
    ]);
    const [all, one] = real;
    expect(all.candidates).toBe(4);
    expect(all.files.map((f: { file: string; candidates: number; unverified: number }) => [f.file, f.candidates, f.unverified])).toEqual([
      ['aaa-1.tif', 2, 2],
      ['bbb-1.tif', 2, 2],
    ]);
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

describe('tiandi eval --variety', () => {
  it('refuses a world it does not know, naming the option', async () => {
    const r = await run(['--scenes', '1', '--model', model, '--variety', 'other']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("--variety 'other' must be classic or wide");
  });

  it('writes the wide world beside the classic metrics, under wide_ keys', () => {
    const g = {
      plots: 10,
      plotsFound: 9,
      recall: 0.9,
      recallGe4m2: 0.95,
      precision: 0.9,
      f1: 0.9,
      fpPerKm2: 2,
      areaKm2: 0.5,
      candidates: 10,
      candidatesTrue: 9,
      fpCandidates: 1,
      bySize: { lt5m2: { recall: 0.5 }, m2_5to20: { recall: 1 }, gt20m2: { recall: 1 } },
      byStage: { rosette: { recall: 0.8 }, flowering: { recall: 1 } },
    };
    const m = wideCardMetrics({
      seeds: '9100-9101',
      scenes: 2,
      variety: 'wide',
      plot: g,
      byGsd: [{ gsdM: 0.05, scenes: 2, crss: [], plot: g }],
      verifier: null,
      tileRocAuc: null,
      thresholdAt95Recall: null,
    } as never);
    expect(m).toMatchObject({
      wide_eval_seeds: '9100-9101',
      wide_plot_recall_ge4m2: 0.95,
      wide_plot_precision: 0.9,
      wide_recall_rosette: 0.8,
      wide_recall_ge4m2_5cm: 0.95,
      wide_precision_5cm: 0.9,
    });
    expect(Object.keys(m).every((k) => k.startsWith('wide_'))).toBe(true);
    expect(m).not.toHaveProperty('wide_tile_roc_auc');
  });
});
