import { describe, expect, it } from 'vitest';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadModel, loadModelCard, loadVerifier } from '@tiandi/tiles/node';
import { evaluateModel } from './evaluate-model';

const dir = join(import.meta.dirname, '../../../../models/poppy-synth');
const card = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));

describe('models/poppy-synth (the committed default model)', () => {
  it('has a valid card matching its ONNX graph, the synthetic-only warning, and fits in 5 MB', async () => {
    const c = await loadModelCard(dir);
    expect(c.name).toBe('poppy-synth');
    // Since 1.2.0 the first stage also saw REAL imagery, as negatives only: poppy itself is still synthetic only.
    expect(c.training.warning).toMatch(/Poppy seen only in synthetic imagery/);
    expect(c.training.command).toBe('npm run train:model');
    const m = await loadModel(dir);
    expect(m.card.gsd_m).toBe(0.15);
    await m.release();
    // The second stage: a tile-classifier at 5 cm, warning that its poppy is synthetic (real imagery only as
    // negatives); calibrated; all ONNX files together within 5 MB.
    const v = (await loadVerifier(dir, c))!;
    expect(v.card).toMatchObject({ task: 'tile-classifier', gsd_m: 0.05 });
    expect(v.card.training.warning).toMatch(/Poppy seen only in synthetic imagery/);
    expect(v.calibration?.scores.length).toBeGreaterThan(2);
    expect(v.threshold).toBe(card.metrics.verifier_threshold);
    // Its prefilter: a tile-classifier at 0.1 m (the level the first stage reads from 5-cm COGs), the same warning.
    expect(v.prefilter!.card).toMatchObject({ task: 'tile-classifier', gsd_m: 0.1 });
    expect(v.prefilter!.card.training.warning).toMatch(/synthetic imagery only/);
    expect(v.prefilter!.threshold).toBe(card.metrics.prefilter_threshold);
    await v.model!.release();
    await v.prefilter!.model!.release();
    const onnx = [dir, join(dir, c.verifier!.model), join(dir, c.verifier!.prefilter!.model)].map((d) => statSync(join(d, 'model.onnx')).size);
    expect(onnx.reduce((a, b) => a + b)).toBeLessThanOrEqual(5 * 1024 * 1024);
  });

  it('still reaches what its card claims on a small held-out set (full scan pipeline)', async () => {
    const claims = card.metrics as Record<string, number>;
    expect(claims.plot_recall).toBeGreaterThan(0);
    const r = await evaluateModel({ modelDir: dir, seeds: [9500, 9501, 9502, 9503], sizeM: 150 });
    // A small set varies more than the card's 20 scenes: allow a margin, but catch a broken model.
    expect(r.plot.plots).toBeGreaterThan(8);
    expect(r.plot.recallGe4m2!).toBeGreaterThanOrEqual(claims.plot_recall_ge4m2 - 0.12);
    expect(r.plot.precision ?? 1).toBeGreaterThanOrEqual(claims.plot_precision - 0.2);
    expect(r.tileRocAuc!).toBeGreaterThanOrEqual(claims.tile_roc_auc - 0.05);
  }, 600_000);
});
