import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModel } from './load-model';
import { OnnxThread } from './onnx-thread';

const MODELS = join(import.meta.dirname, '../../fixtures/models');

describe('OnnxThread: models run on a thread of their own', () => {
  it('scores batches exactly as a model loaded on this thread, for two models at once', async () => {
    const onnx = new OnnxThread();
    try {
      for (const name of ['redness-seg', 'redness-cls']) {
        const here = await loadModel(join(MODELS, name));
        const there = await onnx.load(join(MODELS, name));
        expect(there.card).toEqual(here.card);
        const S = here.card.input.size;
        const batch = Float32Array.from({ length: 3 * 3 * S * S }, (_, i) => Math.sin(i * 0.37) * 2);
        // Only the first n tiles are sent; the caller may refill its batch while they are scored.
        const [a, b] = await Promise.all([here.infer(batch, 2), there.infer(batch, 2)]);
        batch.fill(0);
        expect(b.length).toBe(2);
        expect(b.map((s) => [...s])).toEqual(a.map((s) => [...s]));
        if (here.card.task === 'segmentation') expect(new Set(a[0]).size).toBeGreaterThan(1);
        await here.release();
        await there.release();
      }
    } finally {
      await onnx.terminate();
    }
  });

  it('scores a batch in shared memory (read there, no copy on this thread) as an ordinary one, here and there', async () => {
    const onnx = new OnnxThread();
    try {
      const here = await loadModel(join(MODELS, 'redness-seg'));
      const there = await onnx.load(join(MODELS, 'redness-seg'));
      expect(there.sharedBatches).toBe(true);
      expect(here.sharedBatches).toBeUndefined();
      const S = here.card.input.size;
      const plain = Float32Array.from({ length: 2 * 3 * S * S }, (_, i) => Math.cos(i * 0.21) * 2);
      const shared = new Float32Array(new SharedArrayBuffer(plain.byteLength));
      shared.set(plain);
      const expected = (await here.infer(plain, 2)).map((s) => [...s]);
      expect((await there.infer(shared, 2)).map((s) => [...s])).toEqual(expected);
      expect((await here.infer(shared, 2)).map((s) => [...s])).toEqual(expected);
      // Shared batches in flight at once (the scan's double buffering): each is scored from its own copy. A large batch
      // first keeps the thread busy, so the shared ones queue and are taken together.
      const scales = [-1, 0.5, 2, -0.25];
      const batches = scales.map((k) => {
        const b = new Float32Array(new SharedArrayBuffer(plain.byteLength));
        b.set(plain.map((v) => v * k));
        return b;
      });
      const want = await Promise.all(batches.map(async (b) => (await here.infer(b.slice(), 2)).map((s) => [...s])));
      expect(want[0]).not.toEqual(expected);
      for (let round = 0; round < 3; round++) {
        const [, ...got] = await Promise.all([there.infer(new Float32Array(256 * 3 * S * S), 256), ...batches.map((b) => there.infer(b, 2))]);
        expect(got.map((scores) => scores.map((s) => [...s]))).toEqual(want);
      }
      await here.release();
      await there.release();
    } finally {
      await onnx.terminate();
    }
  });

  it('refuses a model onnxruntime cannot load, or one the card contradicts, with the loader’s codes', async () => {
    const onnx = new OnnxThread();
    try {
      const bad = mkdtempSync(join(tmpdir(), 'tiandi-onnx-thread-'));
      cpSync(join(MODELS, 'redness-seg/model.json'), join(bad, 'model.json'));
      writeFileSync(join(bad, 'model.onnx'), 'not onnx');
      await expect(onnx.load(bad)).rejects.toMatchObject({ code: 'TIANDI_E_MODEL_MISMATCH' });
      const wrong = mkdtempSync(join(tmpdir(), 'tiandi-onnx-thread-'));
      cpSync(join(MODELS, 'redness-cls/model.onnx'), join(wrong, 'model.onnx'));
      cpSync(join(MODELS, 'redness-seg/model.json'), join(wrong, 'model.json'));
      await expect(onnx.load(wrong)).rejects.toMatchObject({ code: 'TIANDI_E_MODEL_MISMATCH' });
      await expect(onnx.load(join(bad, 'nowhere'))).rejects.toMatchObject({ code: 'TIANDI_E_BAD_MODEL_CARD' });
      // The graph is asked for while the card is read: a graph that loads without its card is still refused for the card.
      const noCard = mkdtempSync(join(tmpdir(), 'tiandi-onnx-thread-'));
      cpSync(join(MODELS, 'redness-seg/model.onnx'), join(noCard, 'model.onnx'));
      await expect(onnx.load(noCard)).rejects.toMatchObject({ code: 'TIANDI_E_BAD_MODEL_CARD', message: expect.stringContaining('no model.json') });
      // The thread still serves after refusing.
      const m = await onnx.load(join(MODELS, 'redness-seg'));
      expect((await m.infer(new Float32Array(3 * 64 * 64), 1)).length).toBe(1);
    } finally {
      await onnx.terminate();
    }
  });
});
