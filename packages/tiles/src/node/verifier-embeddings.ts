import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import type onnxProto from 'onnx-proto';
import { TilesError } from '../errors';
import type { ModelCard } from '../model/model-card';
import { writeTileTensor } from '../model/tile-tensor';
import type { RgbRaster } from '../read/resample-area';
import { loadModelCard, loadOrt } from './load-model';

/** onnx-proto (protobufjs: ~40 ms to load) is loaded when a verifier is adapted; a scan, which imports this module too, never needs it. */
let onnxNamespace: typeof onnxProto.onnx | undefined;
const onnx = (): typeof onnxProto.onnx => (onnxNamespace ??= (createRequire(import.meta.url)('onnx-proto') as typeof onnxProto).onnx);
type ModelProto = onnxProto.onnx.ModelProto;
type NodeProto = onnxProto.onnx.INodeProto;
type TensorProto = onnxProto.onnx.ITensorProto;

/**
 * The classifier's last layer, read from the graph: logits = weight · embedding + bias, with `weight` K × D
 * row-major (K logits, D embedding values). Gemm's alpha/beta and transB are folded in.
 */
export interface ClassifierHead {
  /** The tensor feeding the last layer (the penultimate activations). */
  embeddingName: string;
  /** The node whose weights these are, and the initializers holding them (to write adapted ones back). */
  op: 'Gemm' | 'MatMul' | 'Conv';
  weightName: string;
  biasName?: string;
  /** Gemm's alpha and beta (1 otherwise): the stored tensors are weight / alpha and bias / beta. */
  alpha: number;
  beta: number;
  /** Whether the stored weight is K × D (Gemm transB = 1, Conv) rather than D × K (MatMul, Gemm transB = 0). */
  storedKByD: boolean;
  dim: number;
  classes: number;
  weight: Float32Array;
  bias: Float32Array;
}

const attr = (n: NodeProto, name: string) => (n.attribute ?? []).find((a) => a.name === name);
const attrInt = (n: NodeProto, name: string, d: number) => (attr(n, name) ? Number(attr(n, name)!.i) : d);
const attrFloat = (n: NodeProto, name: string, d: number) => (attr(n, name) ? (attr(n, name)!.f ?? d) : d);

/** A float32 initializer's values (raw_data or float_data). */
export function tensorValues(t: TensorProto): Float32Array {
  if (t.dataType !== onnx().TensorProto.DataType.FLOAT)
    throw new TilesError('TIANDI_E_MODEL_MISMATCH', `模型无法适配 cannot adapt: weight '${t.name}' is not float32`);
  if (t.rawData && t.rawData.length) {
    const copy = new Uint8Array(t.rawData); // aligned copy
    return new Float32Array(copy.buffer, 0, copy.length / 4);
  }
  return Float32Array.from(t.floatData ?? []);
}

function setTensorValues(t: TensorProto, v: Float32Array): void {
  t.rawData = new Uint8Array(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength));
  t.floatData = [];
}

/**
 * Finds the last layer before `outputName`: the Gemm, MatMul (with a following Add of its bias) or 1 × 1 Conv
 * that produces it, through shape-only ops (Flatten, Reshape, Squeeze, Identity).
 * @throws TilesError `TIANDI_E_MODEL_MISMATCH` when the graph ends otherwise.
 */
export function findClassifierHead(model: ModelProto, outputName: string): ClassifierHead {
  const g = model.graph!;
  const producer = new Map<string, NodeProto>();
  for (const n of g.node ?? []) for (const o of n.output ?? []) producer.set(o, n);
  const init = new Map((g.initializer ?? []).map((t) => [t.name ?? '', t]));
  const fail = (why: string): never => {
    throw new TilesError(
      'TIANDI_E_MODEL_MISMATCH',
      `模型无法适配 cannot adapt this verifier: ${why}; adaptation needs its last layer to be a Gemm, MatMul or 1×1 Conv with constant weights`,
    );
  };
  let name = outputName;
  let biasName: string | undefined;
  for (let hop = 0; hop < 8; hop++) {
    const n = producer.get(name) ?? fail(`no node produces '${name}'`);
    const inputs = n.input ?? [],
      opType = n.opType ?? '';
    if (['Flatten', 'Reshape', 'Squeeze', 'Identity'].includes(opType)) {
      name = inputs[0];
      continue;
    }
    if (opType === 'Add' && !biasName) {
      const [a, b] = inputs;
      biasName = init.has(b) ? b : init.has(a) ? a : fail(`'${n.name}' adds no constant`);
      name = biasName === b ? a : b;
      continue;
    }
    if (opType === 'Gemm' || opType === 'MatMul' || opType === 'Conv') {
      if (opType === 'Gemm' && attrInt(n, 'transA', 0)) fail('Gemm with transA');
      const w = init.get(inputs[1]) ?? fail(`'${inputs[1]}' is not a constant`);
      const dims = (w.dims ?? []).map(Number);
      const storedKByD = opType === 'Conv' || (opType === 'Gemm' && attrInt(n, 'transB', 0) === 1);
      if (opType === 'Conv' && dims.slice(2).some((d) => d !== 1)) fail('the last Conv is not 1 × 1');
      const [K, D] = storedKByD ? [dims[0], dims[1]] : [dims[1], dims[0]];
      const alpha = opType === 'Gemm' ? attrFloat(n, 'alpha', 1) : 1;
      const beta = opType === 'Gemm' ? attrFloat(n, 'beta', 1) : 1;
      const raw = tensorValues(w);
      const weight = new Float32Array(K * D);
      for (let k = 0; k < K; k++) for (let d = 0; d < D; d++) weight[k * D + d] = alpha * (storedKByD ? raw[k * D + d] : raw[d * K + k]);
      const bName = opType === 'MatMul' ? biasName : inputs[2] || undefined;
      const bias = new Float32Array(K);
      if (bName) {
        const bv = tensorValues(init.get(bName) ?? fail(`bias '${bName}' is not a constant`));
        if (bv.length !== K && bv.length !== 1) fail(`bias '${bName}' has ${bv.length} values for ${K} logits`);
        for (let k = 0; k < K; k++) bias[k] = beta * bv[bv.length === 1 ? 0 : k];
      }
      return {
        embeddingName: inputs[0],
        op: opType as ClassifierHead['op'],
        weightName: inputs[1],
        biasName: bName,
        alpha,
        beta,
        storedKByD,
        dim: D,
        classes: K,
        weight,
        bias,
      };
    }
    fail(`'${name}' comes from a ${opType} node`);
  }
  return fail('no last layer within 8 nodes of the output');
}

/** Decodes an ONNX file. @throws TilesError `TIANDI_E_MODEL_MISMATCH` when it is not one. */
export function decodeOnnx(bytes: Uint8Array, path?: string): ModelProto {
  try {
    return onnx().ModelProto.decode(bytes);
  } catch (err) {
    throw new TilesError('TIANDI_E_MODEL_MISMATCH', `模型无法读取 model.onnx is not a readable ONNX file: ${(err as Error).message.slice(0, 200)}`, path);
  }
}

/** A copy of the graph with the head's input tensor added as a second output, `embeddingName`. */
export function withEmbeddingOutput(model: ModelProto, head: ClassifierHead): Uint8Array {
  const copy = onnx().ModelProto.decode(onnx().ModelProto.encode(model).finish());
  if (!(copy.graph!.output ?? []).some((o) => o.name === head.embeddingName)) {
    (copy.graph!.output ??= []).push(
      onnx().ValueInfoProto.create({ name: head.embeddingName, type: { tensorType: { elemType: onnx().TensorProto.DataType.FLOAT } } }),
    );
  }
  return onnx().ModelProto.encode(copy).finish();
}

/** A copy of the graph with the last layer's weights and bias replaced (K × D, as in {@link ClassifierHead}). */
export function withHeadWeights(model: ModelProto, head: ClassifierHead, weight: Float32Array, bias: Float32Array): Uint8Array {
  const copy = onnx().ModelProto.decode(onnx().ModelProto.encode(model).finish());
  const init = new Map((copy.graph!.initializer ?? []).map((t) => [t.name ?? '', t]));
  const { classes: K, dim: D } = head;
  const stored = new Float32Array(K * D);
  for (let k = 0; k < K; k++) for (let d = 0; d < D; d++) stored[head.storedKByD ? k * D + d : d * K + k] = weight[k * D + d] / head.alpha;
  setTensorValues(init.get(head.weightName)!, stored);
  if (head.biasName) {
    const b = init.get(head.biasName)!;
    const n = tensorValues(b).length;
    if (n === 1 && K > 1) throw new TilesError('TIANDI_E_MODEL_MISMATCH', 'cannot adapt: one bias shared by several logits');
    setTensorValues(
      b,
      Float32Array.from({ length: n }, (_, k) => bias[k] / head.beta),
    );
  } else if (bias.some((v) => v !== 0)) {
    throw new TilesError('TIANDI_E_MODEL_MISMATCH', 'cannot adapt: the last layer has no bias to write');
  }
  return onnx().ModelProto.encode(copy).finish();
}

/** A verifier that returns, for each window, its poppy probability and its embedding (the last layer's input). */
export interface EmbeddingModel {
  card: ModelCard;
  head: ClassifierHead;
  /** The decoded original graph (to write an adapted copy). */
  proto: ModelProto;
  embed(rasters: RgbRaster[]): Promise<{ scores: Float32Array; embeddings: Float32Array[] }>;
  release(): Promise<void>;
}

/** The probability of poppy from a window's logits, as the card's activation and positive class say. */
export function poppyProbability(card: ModelCard, logits: ArrayLike<number>): number {
  const pos = logits.length === 1 ? 0 : card.classes.indexOf(card.positive_class);
  if (card.output.activation === 'none') return logits[pos];
  if (card.output.activation === 'sigmoid') return 1 / (1 + Math.exp(-logits[pos]));
  let m = -Infinity;
  for (let i = 0; i < logits.length; i++) m = Math.max(m, logits[i]);
  let s = 0;
  for (let i = 0; i < logits.length; i++) s += Math.exp(logits[i] - m);
  return Math.exp(logits[pos] - m) / s;
}

/**
 * Loads a tile-classifier (a verifier folder) with its penultimate tensor exposed as an extra output, for
 * fitting a new last layer in TypeScript: an office has onnxruntime, not Python.
 * @throws TilesError `TIANDI_E_BAD_MODEL_CARD` or `TIANDI_E_MODEL_MISMATCH`.
 */
export async function loadEmbeddingModel(dir: string, o: { threads?: number } = {}): Promise<EmbeddingModel> {
  const abs = resolve(dir);
  const card = await loadModelCard(abs);
  const path = join(abs, 'model.onnx');
  const proto = decodeOnnx(await readFile(path), path);
  const head = findClassifierHead(proto, card.output.name);
  const ort = await loadOrt();
  const session = await ort.InferenceSession.create(withEmbeddingOutput(proto, head), { intraOpNumThreads: o.threads ?? 1, interOpNumThreads: 1 });
  const S = card.input.size,
    C = card.input.channels.length,
    BATCH = 32;
  const batch = new Float32Array(BATCH * C * S * S);
  return {
    card,
    head,
    proto,
    async embed(rasters) {
      const scores = new Float32Array(rasters.length);
      const embeddings: Float32Array[] = [];
      for (let i = 0; i < rasters.length; i += BATCH) {
        const n = Math.min(BATCH, rasters.length - i);
        for (let k = 0; k < n; k++) writeTileTensor(rasters[i + k].rgb, rasters[i + k].valid, card, batch, k);
        const input = new ort.Tensor('float32', batch.subarray(0, n * C * S * S), [n, C, S, S]);
        const out = await session.run({ [card.input.name]: input }, [card.output.name, head.embeddingName]);
        const lo = out[card.output.name].data as Float32Array,
          em = out[head.embeddingName].data as Float32Array;
        const K = lo.length / n,
          D = em.length / n;
        if (D !== head.dim) throw new TilesError('TIANDI_E_MODEL_MISMATCH', `embedding has ${D} values per window, the last layer takes ${head.dim}`, path);
        for (let k = 0; k < n; k++) {
          scores[i + k] = poppyProbability(card, lo.subarray(k * K, (k + 1) * K));
          embeddings.push(em.slice(k * D, (k + 1) * D));
        }
      }
      return { scores, embeddings };
    },
    release: () => session.release(),
  };
}
