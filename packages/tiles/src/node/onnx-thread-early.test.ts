import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { OnnxThread } from './onnx-thread';
import { dropEarlyOnnxThread, startOnnxThreadEarly, takeOnnxWorker } from './onnx-thread-early';

const MODELS = join(import.meta.dirname, '../../fixtures/models');

describe('the models thread started early', () => {
  it('is the one the next OnnxThread takes (once), and scores as usual', async () => {
    startOnnxThreadEarly();
    startOnnxThreadEarly(); // a second call starts no second thread
    const early = takeOnnxWorker();
    const other = takeOnnxWorker();
    expect(other).not.toBe(early);
    await Promise.all([early.terminate(), other.terminate()]);

    startOnnxThreadEarly();
    const onnx = new OnnxThread();
    try {
      const m = await onnx.load(join(MODELS, 'redness-cls'));
      const S = m.card.input.size;
      const scores = await m.infer(new Float32Array(3 * S * S).fill(0.5), 1);
      expect(scores).toHaveLength(1);
      expect(scores[0][0]).toBeGreaterThanOrEqual(0);
      expect(scores[0][0]).toBeLessThanOrEqual(1);
    } finally {
      await onnx.terminate();
    }
  });

  it('is ended when no scan takes it, and one that exited before it was taken is replaced', async () => {
    startOnnxThreadEarly();
    await dropEarlyOnnxThread();
    await dropEarlyOnnxThread(); // nothing left to end
    const exits = new Worker('process.exit(3)', { eval: true });
    const exited = new Promise((resolve) => exits.once('exit', resolve));
    startOnnxThreadEarly(() => exits);
    expect(await exited).toBe(3);
    // A scan given the dead thread would wait for its replies for ever: it gets a new models' thread.
    const onnx = new OnnxThread();
    try {
      const m = await onnx.load(join(MODELS, 'redness-cls'));
      expect(m.card.task).toBe('tile-classifier');
    } finally {
      await onnx.terminate();
    }
  });
});
