import { describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RgbRaster } from '../read/resample-area';
import { adaptVerifier, type LabelWindow } from './adapt-verifier';
import { loadModel, loadModelCard } from './load-model';
import { loadVerifier, scoreWindows } from './verify-candidates';

const MODELS = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/models');
const readJson = (p: string) => JSON.parse(readFileSync(p, 'utf8'));

/** The redness segmentation model with the redness classifier (mean colour → softmax) as its verifier. */
function twoStage(dir: string): string {
  const d = join(dir, 'redness');
  mkdirSync(d, { recursive: true });
  cpSync(join(MODELS, 'redness-seg'), d, { recursive: true });
  cpSync(join(MODELS, 'redness-cls'), join(d, 'verifier'), { recursive: true });
  writeFileSync(
    join(d, 'model.json'),
    JSON.stringify({ ...readJson(join(MODELS, 'redness-seg/model.json')), verifier: { model: 'verifier', threshold: 0.5, max_windows: 2 } }),
  );
  return d;
}

/** A 64-px window of one colour with seeded noise. */
function solid(rgb: [number, number, number], seed: number): RgbRaster {
  let s = seed;
  const rnd = () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32 - 0.5;
  const px = new Uint8Array(64 * 64 * 3);
  for (let p = 0; p < 64 * 64; p++) for (let c = 0; c < 3; c++) px[p * 3 + c] = Math.max(0, Math.min(255, rgb[c] + rnd() * 40));
  return { width: 64, height: 64, rgb: px, valid: new Uint8Array(64 * 64).fill(1) };
}

/** Red poppy (positive) and magenta tarps (the shipped verifier passes both: it looks at redness) over 10 images. */
function labels(): LabelWindow[] {
  const out: LabelWindow[] = [];
  for (let img = 0; img < 10; img++) {
    for (let k = 0; k < 12; k++) {
      const tarp = k % 3 !== 0,
        seed = img * 100 + k;
      const base: [number, number, number] = tarp ? [250, 30 + (seed % 20), 140] : [220, 50 + (seed % 30), 60];
      out.push({ raster: solid(base, seed), label: tarp ? 0 : 1, item: `c${img}-${k}`, group: `img-${img}`, source: tarp ? 'desk' : 'synthetic' });
    }
  }
  return out;
}

describe('adapting the verifier to an office’s labels', () => {
  it('learns that magenta tarps are not poppy, keeps the poppy, and writes a model version that loads and scores so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tiandi-adapt-'));
    const windows = labels();
    const out = join(dir, 'redness-adapted-1');
    const rec = await adaptVerifier({ modelDir: twoStage(dir), windows, outDir: out, seed: 5 });
    expect(rec.held_out.before.false_positive_rate).toBe(1); // the shipped head passes every tarp
    expect(rec.held_out.after.false_positive_rate).toBe(0);
    expect(rec.held_out.after.recall).toBe(1);
    expect(rec.adopt).toBe(true);
    expect(rec.labels.by_source).toEqual({ desk: { positive: 0, negative: 80 }, synthetic: { positive: 40, negative: 0 } });
    expect(rec.labels.held_out_groups).toHaveLength(3);
    expect(rec.version).toBe('0.0.1-adapted.1');
    // The folder is a model: its card and graph load, and its verifier now rejects tarps and keeps poppy.
    const card = await loadModelCard(out);
    expect(card.version).toBe('0.0.1-adapted.1');
    expect(card.name).toBe('redness-adapted-1');
    expect(card.verifier!.threshold).toBe(rec.threshold.after);
    expect(readJson(join(out, 'adaptation.json')).adopt).toBe(true);
    await (await loadModel(out)).release();
    const v = (await loadVerifier(out, card))!;
    const s = await scoreWindows(v, [solid([250, 35, 140], 9991), solid([220, 55, 60], 9992)]);
    expect(s[0]).toBeLessThan(rec.threshold.after);
    expect(s[1]).toBeGreaterThanOrEqual(rec.threshold.after);
    await v.model!.release();
  });

  it('may raise the threshold when asked, never above the lowest fit positive it keeps', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tiandi-adapt-'));
    const rec = await adaptVerifier({ modelDir: twoStage(dir), windows: labels(), outDir: join(dir, 'raised'), seed: 5, raiseThreshold: true, lambda: 0.005 });
    expect(rec.threshold.after).toBeGreaterThan(rec.threshold.before);
    expect(rec.held_out.after.recall).toBe(1);
    expect(rec.held_out.after.false_positive_rate).toBe(0);
  });

  it('does not recommend adoption without held-out labels, and never overwrites a folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tiandi-adapt-'));
    const model = twoStage(dir);
    const one = labels().map((w) => ({ ...w, group: 'only-image' }));
    const rec = await adaptVerifier({ modelDir: model, windows: one, outDir: join(dir, 'a') });
    expect(rec.adopt).toBe(false);
    expect(rec.why).toMatch(/no held-out labels/);
    await expect(adaptVerifier({ modelDir: model, windows: one, outDir: join(dir, 'a') })).rejects.toThrow(/exists: choose a new folder/);
    await expect(adaptVerifier({ modelDir: model, windows: [], outDir: join(dir, 'b') })).rejects.toThrow(/no labelled windows/);
    await expect(adaptVerifier({ modelDir: join(MODELS, 'redness-seg'), windows: one, outDir: join(dir, 'c') })).rejects.toThrow(/has no verifier/);
  });
});

describe('windows over a candidate, for re-scoring without a rescan', () => {
  it('covers a box a quarter window apart, centre first, at most max_windows; each traced part gets its centre', async () => {
    const { windowCentres, candidateCentres } = await import('./adapt-verifier');
    // A 6.4 m × 3.2 m box at 25° N with 3.2-m windows: 8 × 4 cells plus the centre.
    const dLon = 6.4 / (111_320 * Math.cos((25 * Math.PI) / 180)),
      dLat = 3.2 / 110_574;
    const pts = windowCentres([100, 25 - dLat / 2, 100 + dLon, 25 + dLat / 2], 3.2, 64);
    expect(pts).toHaveLength(33);
    expect(pts[0][0]).toBeCloseTo(100 + dLon / 2, 9);
    expect(windowCentres([100, 25 - dLat / 2, 100 + dLon, 25 + dLat / 2], 3.2, 4)).toHaveLength(4);
    expect(windowCentres([100, 25, 100, 25], 3.2, 4)).toHaveLength(2); // a point: its centre (twice is harmless)
    const two = candidateCentres(
      [
        [100, 25, 100, 25],
        [101, 25, 101 + dLon, 25 + dLat],
      ],
      3.2,
      6,
    );
    expect(two).toHaveLength(6);
    expect(two.slice(0, 2).map((p) => Math.round(p[0]))).toEqual([100, 101]);
  });
});
