import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LoadedModel } from './load-model';
import { ModelPool, widenSecondStage } from './model-pool';
import { OnnxThread } from './onnx-thread';
import { packedWindows, packWindow, writeViews } from './window-tensors';
import type { Verifier } from './verify-candidates';

const MODELS = join(import.meta.dirname, '../../fixtures/models');

/** A model that counts the batches it scored and answers after `ms`. */
function fakeModel(scored: number[], k: number, ms = 5, shared = true): LoadedModel {
  return {
    card: {} as LoadedModel['card'],
    dir: '/m',
    sharedBatches: shared,
    infer: async (batch, n) => {
      scored[k]++;
      await new Promise((r) => setTimeout(r, ms));
      return Array.from({ length: n }, (_, i) => Float32Array.of(batch[i]));
    },
    release: async () => undefined,
  };
}

describe('ModelPool: one model on several models threads', () => {
  it('sends each batch to the member with the fewest pending, members joining once loaded', async () => {
    const scored = [0, 0];
    const pool = new ModelPool(fakeModel(scored, 0));
    pool.join(Promise.resolve(fakeModel(scored, 1)));
    pool.join(Promise.reject(new Error('no thread')));
    await new Promise((r) => setTimeout(r, 0));
    expect(pool.lanes).toBe(2);
    const out = await Promise.all(Array.from({ length: 8 }, (_, i) => pool.infer(Float32Array.of(i, i + 0.5), 2)));
    expect(out.map((s) => [...s[0], ...s[1]])).toEqual(Array.from({ length: 8 }, (_, i) => [i, i + 0.5]));
    expect(scored).toEqual([4, 4]);
    // One at a time: the first member (no batch pending on either).
    await pool.infer(Float32Array.of(1), 1);
    expect(scored).toEqual([5, 4]);
    // A member batching otherwise (a copy where the pool shares) is released, not used.
    pool.join(Promise.resolve(fakeModel(scored, 1, 5, false)));
    await pool.release();
    expect(pool.lanes).toBe(2);
  });

  it('scores real batches on two threads exactly as on one, and the verifier and its prefilter each get a pool', async () => {
    const [a, b] = [new OnnxThread(), new OnnxThread()];
    try {
      const one = await a.load(join(MODELS, 'redness-cls'));
      const pre = await a.load(join(MODELS, 'redness-cls'));
      const v = { model: one, prefilter: { model: pre } } as unknown as Verifier;
      await widenSecondStage(v, a, b);
      const pool = v.model as ModelPool;
      expect(pool).toBeInstanceOf(ModelPool);
      expect(v.prefilter!.model).toBeInstanceOf(ModelPool);
      const S = one.card.input.size;
      const batches = Array.from({ length: 6 }, (_, k) => {
        const x = new Float32Array(new SharedArrayBuffer(2 * 3 * S * S * 4));
        for (let i = 0; i < x.length; i++) x[i] = Math.sin(i * 0.37 + k) * 2;
        return x;
      });
      const want = [];
      for (const x of batches) want.push((await one.infer(x, 2)).map((s) => [...s]));
      while (pool.lanes < 2) await new Promise((r) => setTimeout(r, 10));
      const got = await Promise.all(batches.map((x) => pool.infer(x, 2)));
      expect(got.map((s) => s.map((t) => [...t]))).toEqual(want);
      // Both threads write the windows' tensors themselves once their module is in: packed windows score the same.
      while (!pool.inferWindows) await new Promise((r) => setTimeout(r, 10));
      const windows = packedWindows(2, S);
      const rasters = [0, 1].map((k) => {
        const rgb = Uint8Array.from({ length: 3 * S * S }, (_, i) => (i * 7 + k * 50) % 256);
        return { width: S, height: S, rgb, valid: new Uint8Array(S * S).fill(1), allValid: true };
      });
      rasters.forEach((r, k) => packWindow(windows, k, r));
      const tensor = new Float32Array(new SharedArrayBuffer(2 * 2 * 3 * S * S * 4));
      rasters.forEach((r, k) => writeViews(r.rgb, r.valid, true, ['as_read', 'low_pass'], one.card, tensor, 2 * k));
      const fromHere = (await one.infer(tensor, 4)).map((s) => [...s]);
      const there = await Promise.all([0, 1, 2, 3].map(() => pool.inferWindows!(windows, 2, ['as_read', 'low_pass'])));
      for (const s of there) expect(s.map((t) => [...t])).toEqual(fromHere);
      await pool.release();
      await (v.prefilter!.model as ModelPool).release();
    } finally {
      await a.terminate();
      await b.terminate();
    }
  });
});
