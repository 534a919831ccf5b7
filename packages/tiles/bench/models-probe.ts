/**
 * Throughput of a verifier-sized model on models' threads (onnx-thread.ts): one thread with 2 intra-op threads, one
 * with 1, and two threads with 1 each, batches of 16 windows kept in flight as the scan's WindowScorer keeps them.
 *   node --import tsx packages/tiles/bench/models-probe.ts <model dir, e.g. models/poppy-synth/verifier> [batches]
 */
import type { LoadedModel } from '../src/node/load-model';
import { OnnxThread } from '../src/node/onnx-thread';

const [dir, batchesArg] = process.argv.slice(2);
const batches = Number(batchesArg ?? 300);

async function run(label: string, models: LoadedModel[], inFlight: number): Promise<void> {
  const { size: S, channels } = models[0].card.input;
  const bufs = Array.from({ length: inFlight }, (_, k) => {
    const b = new Float32Array(new SharedArrayBuffer(16 * channels.length * S * S * 4));
    for (let i = 0; i < b.length; i++) b[i] = Math.sin(i * 0.37 + k);
    return b;
  });
  const pending = models.map(() => 0);
  const t0 = performance.now();
  let sent = 0;
  await Promise.all(
    bufs.map(async (b) => {
      while (sent < batches) {
        sent++;
        const j = pending.indexOf(Math.min(...pending));
        pending[j]++;
        await models[j].infer(b, 16);
        pending[j]--;
      }
    }),
  );
  const dt = (performance.now() - t0) / 1000;
  console.log(`${label}: ${batches} batches in ${dt.toFixed(2)} s (${((batches * 16) / dt).toFixed(0)} windows/s)`);
}

const [a, b] = [new OnnxThread(), new OnnxThread()];
try {
  const wide = await a.load(dir, { threads: 2 });
  const one = await a.load(dir, { threads: 1 });
  const other = await b.load(dir, { threads: 1 });
  for (let r = 0; r < 2; r++) {
    await run('one thread, 2 intra-op threads, 3 batches in flight', [wide], 3);
    await run('one thread, 1 intra-op thread, 3 in flight', [one], 3);
    await run('two threads, 1 intra-op thread each, 3 in flight', [one, other], 3);
    await run('two threads, 1 intra-op thread each, 6 in flight', [one, other], 6);
  }
} finally {
  await a.terminate();
  await b.terminate();
}
