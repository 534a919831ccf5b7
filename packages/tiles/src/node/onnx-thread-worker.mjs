// The inference thread's entry (onnx-thread.ts): plain JavaScript, so it starts without tsx or a build. It holds
// onnxruntime sessions and runs them on request; session.run blocks the thread that calls it, and here that is
// not the scanning thread, which meanwhile reads, decodes and resamples the next windows.
import { parentPort } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';

const sessions = new Map();

const metadataOf = (s) => ({
  inputNames: [...s.inputNames],
  outputNames: [...s.outputNames],
  inputMetadata: s.inputMetadata.map((m) => ({ ...m, shape: m.shape ? [...m.shape] : m.shape })),
  outputMetadata: s.outputMetadata.map((m) => ({ ...m, shape: m.shape ? [...m.shape] : m.shape })),
});

async function answer(m) {
  if (m.type === 'load') {
    const s = await ort.InferenceSession.create(m.path, m.options);
    sessions.set(m.session, s);
    return { meta: metadataOf(s) };
  }
  const s = sessions.get(m.session);
  if (m.type === 'release') {
    sessions.delete(m.session);
    await s?.release();
    return {};
  }
  const input = new ort.Tensor('float32', m.data, m.dims);
  const out = await s.run({ [m.input]: input }, [m.output]);
  const t = out[m.output];
  // A copy of the scores, handed over without another copy.
  const data = Float32Array.from(t.data);
  input.dispose?.();
  t.dispose?.();
  // The input goes back too, for the next batch to be copied into.
  return { data, dims: [...t.dims], input: m.data, transfer: [data.buffer, m.data.buffer] };
}

parentPort.on('message', (m) => {
  answer(m).then(
    ({ transfer, ...r }) => parentPort.postMessage({ seq: m.seq, ok: true, ...r }, transfer ?? []),
    (e) => parentPort.postMessage({ seq: m.seq, ok: false, message: String(e?.message ?? e) }),
  );
});
