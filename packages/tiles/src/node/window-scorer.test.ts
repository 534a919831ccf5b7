import { describe, expect, it } from 'vitest';
import { parseModelCard } from '../model/model-card';
import type { RgbRaster } from '../read/resample-area';
import type { VerifierViews } from '../verify/views';
import type { LoadedModel } from './load-model';
import type { Verifier } from './verify-candidates';
import { BATCHES_IN_FLIGHT, SCORE_BATCH, WindowScorer } from './window-scorer';
import { writePackedViews, type WindowModel } from './window-tensors';

/** An 8-px classifier card: the tensor holds each pixel's R, G, B / 255 as they are (mean 0, std 1). */
const card = parseModelCard({
  name: 'fake',
  version: '0.0.1',
  task: 'tile-classifier',
  input: { name: 'image', size: 8, channels: ['R', 'G', 'B'], scale: 255, mean: [0, 0, 0], std: [1, 1, 1] },
  output: { name: 'scores', activation: 'sigmoid' },
  gsd_m: 0.05,
  tile_stride: 8,
  classes: ['background', 'poppy'],
  positive_class: 'poppy',
  thresholds: { high: 0.5, low: 0.4, min_area_m2: 1 },
  training: { data: 'none', warning: 'test', recipe: 'none', seed: 0 },
});

/**
 * A model on "another thread": each slot's score is its first value (the R of the pixel at the window's top left,
 * after the view's transform), answered after a few turns of the event loop; it records batch sizes and in-flight counts.
 */
function fakeModel(o: { failAt?: number } = {}) {
  const log = { batches: [] as number[], maxInFlight: 0 };
  let inFlight = 0;
  const model: LoadedModel = {
    card,
    dir: '',
    sharedBatches: true,
    async infer(batch, n) {
      const k = log.batches.push(n);
      log.maxInFlight = Math.max(log.maxInFlight, ++inFlight);
      const scores = Array.from({ length: n }, (_, t) => Float32Array.of(batch[t * 3 * 64]));
      for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
      inFlight--;
      if (k === o.failAt) throw new Error('the models thread died');
      return scores;
    },
    release: async () => undefined,
  };
  return { model, log };
}

/** An 8 × 8 window whose corner pixels' R are `tl`, `tr` and `bl` (the rest 0). */
function win(tl: number, tr: number, bl: number): RgbRaster {
  const rgb = new Uint8Array(64 * 3);
  rgb[0] = tl;
  rgb[7 * 3] = tr;
  rgb[56 * 3] = bl;
  return { width: 8, height: 8, rgb, valid: new Uint8Array(64).fill(1), allValid: true };
}
/** The corners' R of a window made by `win`. */
const corners = (w: RgbRaster) => [w.rgb[0], w.rgb[7 * 3], w.rgb[56 * 3]];

async function scoreAll(v: Verifier, ws: RgbRaster[]): Promise<number[]> {
  const out: number[] = [];
  const scorer = new WindowScorer(v, (id, s) => (out[id] = s));
  for (const [i, w] of ws.entries()) await scorer.add(i, w);
  await scorer.finish();
  return out;
}

const verifier = (model: LoadedModel, threshold: number, views?: VerifierViews): Verifier => ({
  card,
  threshold,
  maxWindows: 4,
  model,
  ...(views ? { views } : {}),
});

describe('WindowScorer', () => {
  /** 100 windows with different values at the top left, top right and bottom left. */
  const ws = Array.from({ length: 100 }, (_, i) => win((i * 37) % 256, (i * 91 + 13) % 256, (i * 53 + 101) % 256));
  const f = (v: number) => Math.fround(v / 255);

  it('scores each window as read, in batches of SCORE_BATCH, never more than BATCHES_IN_FLIGHT at once', async () => {
    const { model, log } = fakeModel();
    const out = await scoreAll(verifier(model, 0.5), ws);
    expect(out).toEqual(ws.map((w) => f(corners(w)[0])));
    expect(log.batches).toEqual([...Array(6).fill(SCORE_BATCH), 100 - 6 * SCORE_BATCH]);
    expect(log.maxInFlight).toBe(BATCHES_IN_FLIGHT);
  });

  it('keeps BATCHES_IN_FLIGHT batches in flight for each models thread of a pool', async () => {
    const { model, log } = fakeModel();
    const out = await scoreAll(verifier({ ...model, lanes: 2 } as LoadedModel, 0.5), ws);
    expect(out).toEqual(ws.map((w) => f(corners(w)[0])));
    expect(log.maxInFlight).toBe(2 * BATCHES_IN_FLIGHT);
  });

  it('with min over views led by as_read, sends a window to the next view only while every view so far reaches the threshold', async () => {
    const { model, log } = fakeModel();
    const thr = 0.4;
    const out = await scoreAll(verifier(model, thr, { views: ['as_read', 'flip_x', 'flip_y'], combine: 'min' }), ws);
    let slots = 0;
    ws.forEach((w, i) => {
      // flip_x puts the top right pixel at the top left, flip_y the bottom left one.
      const [a, x, y] = corners(w).map(f);
      const expected = a < thr ? a : Math.min(a, x) < thr ? Math.min(a, x) : Math.min(a, x, y);
      expect(out[i]).toBe(expected);
      slots += 1 + (a >= thr ? 1 : 0) + (Math.min(a, x) >= thr ? 1 : 0);
    });
    // Every view slot went to the model once, and only full batches but the last of each view.
    expect(log.batches.reduce((s, n) => s + n, 0)).toBe(slots);
    expect(log.batches.filter((n) => n < SCORE_BATCH).length).toBeLessThanOrEqual(3);
    expect(log.maxInFlight).toBeLessThanOrEqual(BATCHES_IN_FLIGHT);
  });

  it('at threshold 0 scores every window in every view', async () => {
    const { model, log } = fakeModel();
    const out = await scoreAll(verifier(model, 0, { views: ['as_read', 'flip_x'], combine: 'min' }), ws);
    ws.forEach((w, i) => expect(out[i]).toBe(Math.min(f(corners(w)[0]), f(corners(w)[1]))));
    expect(log.batches.reduce((s, n) => s + n, 0)).toBe(200);
  });

  it('with mean_logit scores every view of a window in one batch and combines them', async () => {
    const { model, log } = fakeModel();
    const out = await scoreAll(verifier(model, 0.9, { views: ['as_read', 'flip_x'], combine: 'mean_logit' }), ws.slice(0, 20));
    const logit = (p: number) => Math.log(p / (1 - p));
    ws.slice(0, 20).forEach((w, i) => {
      const [a, x] = corners(w).map(f);
      if (a > 0 && x > 0 && a < 1 && x < 1) expect(logit(out[i])).toBeCloseTo((logit(a) + logit(x)) / 2, 4);
    });
    // 16 windows × 2 views, then 4 × 2.
    expect(log.batches).toEqual([2 * SCORE_BATCH, 8]);
  });

  it('throws the model’s error from add or finish, and nothing is left unhandled', async () => {
    const { model } = fakeModel({ failAt: 2 });
    await expect(scoreAll(verifier(model, 0.5), ws)).rejects.toThrow('the models thread died');
  });

  it('hands packed windows to a model that writes their tensors itself, and gets the same scores', async () => {
    const { model, log } = fakeModel();
    let packedBatches = 0;
    const inferWindows: WindowModel['inferWindows'] = async (p, n, views) => {
      packedBatches++;
      const batch = new Float32Array(n * views.length * 3 * 64);
      writePackedViews(p, n, views, card, batch);
      return model.infer(batch, n * views.length);
    };
    // Every other window with pixels of no data (its low-pass averages the valid ones only).
    const masked = ws.map((w, i) => (i % 2 ? w : { ...w, valid: Uint8Array.from({ length: 64 }, (_, j) => (j % 3 === 1 ? 0 : 1)), allValid: false }));
    const views: VerifierViews = { views: ['as_read', 'low_pass', 'flip_x'], combine: 'min' };
    const here = await scoreAll(verifier(model, 0.3, views), masked);
    const slots = log.batches.reduce((s, n) => s + n, 0);
    expect(await scoreAll(verifier({ ...model, inferWindows } as LoadedModel, 0.3, views), masked)).toEqual(here);
    expect(log.batches.reduce((s, n) => s + n, 0)).toBe(2 * slots);
    expect(packedBatches).toBe(log.batches.length / 2);
    expect(new Set(here).size).toBeGreaterThan(50);
  });

  it('scores nothing when given nothing', async () => {
    const { model, log } = fakeModel();
    expect(await scoreAll(verifier(model, 0.5), [])).toEqual([]);
    expect(log.batches).toEqual([]);
  });

  it('refuses a verifier loaded without its model', () => {
    expect(() => new WindowScorer({ card, threshold: 0.5, maxWindows: 4 }, () => undefined)).toThrow(/without its model/);
  });
});
