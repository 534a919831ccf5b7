import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type * as Ort from 'onnxruntime-node';
import { TilesError } from '../errors';
import { parseModelCard, type ModelCard } from '../model/model-card';
import { scoresFromOutput } from '../model/tile-tensor';

/**
 * onnxruntime-node, loaded when first needed: a scan runs its models on the models' thread (onnx-thread.ts), so
 * the scanning thread never loads it (~15 ms at start-up, and its CommonJS exports parsed there too).
 */
let ortP: Promise<typeof Ort> | undefined;
export const loadOrt = (): Promise<typeof Ort> => (ortP ??= import('onnxruntime-node'));

/** A model card with its ONNX session, ready to score batches of tiles. */
export interface LoadedModel {
  card: ModelCard;
  dir: string;
  /**
   * Scores `n` tiles packed as float32 [n, C, size, size]: one Float32Array per tile
   * (segmentation: (size/stride)² cells, row-major; classifier: 1 value). A batch in shared memory
   * (a SharedArrayBuffer) may be read in place until the promise settles: do not refill it before.
   */
  infer(batch: Float32Array, n: number): Promise<Float32Array[]>;
  /** Batches in shared memory save this thread a copy of each (the model runs on another thread, which reads them there). */
  sharedBatches?: boolean;
  release(): Promise<void>;
}

/**
 * Reads and validates `<dir>/model.json`.
 * @throws TilesError `TIANDI_E_BAD_MODEL_CARD` when it is missing, not JSON, or invalid.
 */
export async function loadModelCard(dir: string, signal?: AbortSignal): Promise<ModelCard> {
  const p = join(dir, 'model.json');
  let text: string;
  try {
    text = await readFile(p, { encoding: 'utf8', signal });
  } catch {
    throw new TilesError(
      'TIANDI_E_BAD_MODEL_CARD',
      `找不到模型说明 no model.json in ${dir}: a model folder holds model.onnx and model.json (docs/model-card.md)`,
      p,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new TilesError('TIANDI_E_BAD_MODEL_CARD', `模型说明不是 JSON model.json is not valid JSON: ${(err as Error).message}`, p);
  }
  return parseModelCard(json, p);
}

function dimsMatch(actual: readonly (number | string)[], expected: readonly (number | null | number[])[]): boolean {
  if (actual.length === 0) return true; // shape not declared in the graph
  if (actual.length !== expected.length) return false;
  return expected.every((e, i) => {
    const a = actual[i];
    if (typeof a !== 'number' || a < 0 || e === null) return true;
    return Array.isArray(e) ? e.includes(a) : a === e;
  });
}

/** Checks the ONNX graph's declared input and output against the card; returns the output's class count. */
export function checkGraphAgainstCard(session: Ort.InferenceSession, card: ModelCard, path: string): void {
  const fail = (what: string) => {
    throw new TilesError('TIANDI_E_MODEL_MISMATCH', `模型与说明不符 model.onnx contradicts model.json: ${what}`, path);
  };
  if (!session.inputNames.includes(card.input.name)) fail(`input '${card.input.name}' not in the graph (inputs: ${session.inputNames.join(', ')})`);
  if (!session.outputNames.includes(card.output.name)) fail(`output '${card.output.name}' not in the graph (outputs: ${session.outputNames.join(', ')})`);
  const inMeta = session.inputMetadata.find((m) => m.name === card.input.name);
  const outMeta = session.outputMetadata.find((m) => m.name === card.output.name);
  const S = card.input.size;
  const C = card.input.channels.length;
  const K = card.classes.length;
  if (inMeta?.isTensor) {
    if (inMeta.type !== 'float32') fail(`input '${card.input.name}' is ${inMeta.type}, expected float32`);
    if (!dimsMatch(inMeta.shape, [null, C, S, S])) fail(`input shape [${inMeta.shape.join(', ')}] but the card says [N, ${C}, ${S}, ${S}]`);
  }
  if (outMeta?.isTensor) {
    if (card.task === 'segmentation') {
      const o = S / card.output.stride!;
      if (!dimsMatch(outMeta.shape, [null, [1, K], o, o]))
        fail(
          `output shape [${outMeta.shape.join(', ')}] but a segmentation card with size ${S} and stride ${card.output.stride} needs [N, 1 or ${K}, ${o}, ${o}]`,
        );
    } else if (!dimsMatch(outMeta.shape, [null, [1, K]])) {
      fail(`output shape [${outMeta.shape.join(', ')}] but a tile-classifier card with ${K} classes needs [N, ${K}] or [N, 1]`);
    }
  }
}

/** A model folder's card (validated) and the path of its graph, which must exist beside it. */
export async function modelFiles(dir: string, signal?: AbortSignal): Promise<{ abs: string; card: ModelCard; onnxPath: string }> {
  const abs = resolve(dir);
  const card = await loadModelCard(abs, signal);
  const onnxPath = join(abs, 'model.onnx');
  try {
    await stat(onnxPath);
  } catch {
    throw new TilesError('TIANDI_E_BAD_MODEL_CARD', `找不到模型 no model.onnx beside model.json in ${abs}`, onnxPath);
  }
  return { abs, card, onnxPath };
}

/**
 * onnxruntime's options for a scan's session: `threads` intra-op threads, run sequentially. `spin: false` keeps the
 * pool threads from spinning between runs (the models' own thread: a spinning thread takes the core the scanning
 * thread reads on).
 */
export function sessionOptions(threads = 1, spin = true): Ort.InferenceSession.SessionOptions {
  const options: Ort.InferenceSession.SessionOptions = {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  };
  return spin ? options : { ...options, extra: { session: { intra_op: { allow_spinning: '0' } } } };
}

/** Creates a session with `create`; onnxruntime's refusal becomes TIANDI_E_MODEL_MISMATCH naming the graph. */
export async function createSession<T>(onnxPath: string, create: () => Promise<T>): Promise<T> {
  try {
    return await create();
  } catch (err) {
    throw new TilesError(
      'TIANDI_E_MODEL_MISMATCH',
      `模型无法加载 model.onnx cannot be loaded by onnxruntime: ${(err as Error).message.slice(0, 200)}`,
      onnxPath,
    );
  }
}

/**
 * Loads `<dir>/model.json` and `<dir>/model.onnx`, validates the card and checks it against the graph.
 * @throws TilesError `TIANDI_E_BAD_MODEL_CARD` or `TIANDI_E_MODEL_MISMATCH`.
 */
export async function loadModel(dir: string, options: { threads?: number; signal?: AbortSignal } = {}): Promise<LoadedModel> {
  const { abs, card, onnxPath } = await modelFiles(dir, options.signal);
  const ort = await loadOrt();
  const session = await createSession(onnxPath, () => ort.InferenceSession.create(onnxPath, sessionOptions(options.threads)));
  checkGraphAgainstCard(session, card, onnxPath);
  const S = card.input.size;
  const C = card.input.channels.length;
  return {
    card,
    dir: abs,
    async infer(batch, n) {
      // onnxruntime refuses shared memory as input: a batch there is copied out (slice makes an ordinary array).
      const data = batch.buffer instanceof SharedArrayBuffer ? batch.slice(0, n * C * S * S) : batch.subarray(0, n * C * S * S);
      const input = new ort.Tensor('float32', data, [n, C, S, S]);
      const out = await session.run({ [card.input.name]: input }, [card.output.name]);
      const t = out[card.output.name];
      const scores = scoresFromOutput(t.data as Float32Array, t.dims, card);
      input.dispose?.();
      t.dispose?.();
      return scores;
    },
    async release() {
      await session.release();
    },
  };
}
