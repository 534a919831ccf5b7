// The inference thread's entry (onnx-thread.ts): plain JavaScript, so it starts without tsx or a build. It holds
// onnxruntime sessions and runs them on request; session.run blocks the thread that calls it, and here that is
// not the scanning thread, which meanwhile reads, decodes and resamples the next windows.
import { parentPort } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';

const sessions = new Map();
/** window-tensors.ts's bundle, once the scanning thread has sent it: verifier windows are then written into tensors here. */
let tensors;
/**
 * Arrays batches in shared memory are copied into, free ones by length: onnxruntime refuses shared memory as input.
 * One per batch in flight: a second request is taken while the first one's run waits for its turn.
 */
const plain = new Map();

/** The batch itself, or a copy of it when it lies in shared memory (the scanning thread then had no copy to make). */
function plainCopy(data) {
  if (!(data.buffer instanceof SharedArrayBuffer)) return data;
  const p = plain.get(data.length)?.pop() ?? new Float32Array(data.length);
  p.set(data);
  return p;
}

/** Each session's card (its input block), sent with its first batch of windows. */
const cards = new Map();

/** A plain array of `len` floats with window `m.windows`' tensors written into it, each window once per view. */
function windowTensors(m) {
  const len = m.dims.reduce((a, b) => a * b, 1);
  const p = plain.get(len)?.pop() ?? new Float32Array(len);
  if (m.card) cards.set(m.session, m.card);
  tensors.writePackedViews(m.windows, m.n, m.views, cards.get(m.session), p);
  return p;
}

/** Hands a copy made by plainCopy or windowTensors back once its run is over. */
function release(copy, data) {
  if (copy === data) return;
  const free = plain.get(copy.length) ?? [];
  free.push(copy);
  plain.set(copy.length, free);
}

const metadataOf = (s) => ({
  inputNames: [...s.inputNames],
  outputNames: [...s.outputNames],
  inputMetadata: s.inputMetadata.map((m) => ({ ...m, shape: m.shape ? [...m.shape] : m.shape })),
  outputMetadata: s.outputMetadata.map((m) => ({ ...m, shape: m.shape ? [...m.shape] : m.shape })),
});

async function answer(m) {
  // Answered once this module's imports (onnxruntime's native module) are done: only then may it be terminated.
  if (m.type === 'loaded') return {};
  if (m.type === 'load') {
    const s = await ort.InferenceSession.create(m.path, m.options);
    sessions.set(m.session, s);
    return { meta: metadataOf(s) };
  }
  if (m.type === 'tensors') {
    tensors = await import(m.url);
    return {};
  }
  const s = sessions.get(m.session);
  if (m.type === 'release') {
    sessions.delete(m.session);
    cards.delete(m.session);
    await s?.release();
    return {};
  }
  const copy = m.windows ? windowTensors(m) : plainCopy(m.data);
  const input = new ort.Tensor('float32', copy, m.dims);
  const out = await s.run({ [m.input]: input }, [m.output]).finally(() => release(copy, m.data));
  const t = out[m.output];
  // A copy of the scores, handed over without another copy.
  const data = Float32Array.from(t.data);
  input.dispose?.();
  t.dispose?.();
  // The input goes back too, for the next batch to be copied into; a batch in shared memory stays where it is.
  if (m.windows || m.data.buffer instanceof SharedArrayBuffer) return { data, dims: [...t.dims], transfer: [data.buffer] };
  return { data, dims: [...t.dims], input: m.data, transfer: [data.buffer, m.data.buffer] };
}

parentPort.on('message', (m) => {
  answer(m).then(
    ({ transfer, ...r }) => parentPort.postMessage({ seq: m.seq, ok: true, ...r }, transfer ?? []),
    (e) => parentPort.postMessage({ seq: m.seq, ok: false, message: String(e?.message ?? e) }),
  );
});
