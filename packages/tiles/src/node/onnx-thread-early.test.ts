import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { OnnxThread } from './onnx-thread';
import { dropEarlyOnnxThread, newOnnxWorker, startOnnxThreadEarly, takeOnnxWorker } from './onnx-thread-early';

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

  it('is terminated only once onnxruntime has loaded there, so ending it at once cannot abort the process', async () => {
    // Terminated while onnxruntime's native module initialised, the thread aborted the whole process (exit 134)
    // about once in fifty runs; the fix waits for its answer to a request it can only read after its imports.
    const seen: string[] = [];
    startOnnxThreadEarly(() => {
      const w = newOnnxWorker();
      w.on('message', (m: { seq: number; ok: boolean }) => seen.push(`reply ${m.seq} ${m.ok}`));
      w.once('exit', () => seen.push('exit'));
      return w;
    });
    await dropEarlyOnnxThread();
    expect(seen).toEqual(['reply -1 true', 'exit']);

    const onnx = new OnnxThread();
    const worker = takeOnnxWorkerOf(onnx);
    const order: string[] = [];
    worker.on('message', (m: { seq: number }) => order.push(`reply ${m.seq}`));
    worker.once('exit', () => order.push('exit'));
    await onnx.terminate();
    expect(order).toEqual(['reply -1', 'exit']);
  });
});

/** The thread an OnnxThread runs on (its requests' worker), to watch what it answers. */
const takeOnnxWorkerOf = (onnx: OnnxThread): Worker => (onnx as unknown as { thread: { worker: Worker } }).thread.worker;
