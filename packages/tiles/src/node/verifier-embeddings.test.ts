import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import type { RgbRaster } from '../read/resample-area';
import { loadModel } from './load-model';
import { decodeOnnx, findClassifierHead, loadEmbeddingModel, poppyProbability, withHeadWeights } from './verifier-embeddings';
import { scoreWindows, type Verifier } from './verify-candidates';

const HERE = dirname(fileURLToPath(import.meta.url));
const REDNESS = join(HERE, '../../fixtures/models/redness-cls');
const DEFAULT_VERIFIER = join(HERE, '../../../../models/poppy-synth/verifier');

/** Seeded windows: smooth colour fields with noise, some reddish, some green, one partly invalid. */
function windows(size: number, n: number, seed = 1): RgbRaster[] {
  let s = seed;
  const rnd = () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  return Array.from({ length: n }, (_, i) => {
    const rgb = new Uint8Array(size * size * 3),
      valid = new Uint8Array(size * size).fill(1);
    const base = [rnd() * 255, rnd() * 255, rnd() * 255];
    for (let p = 0; p < size * size; p++) for (let c = 0; c < 3; c++) rgb[p * 3 + c] = Math.max(0, Math.min(255, base[c] + (rnd() - 0.5) * 80));
    if (i === n - 1) valid.fill(0, 0, size * 4);
    return { width: size, height: size, rgb, valid };
  });
}

async function compare(dir: string) {
  const em = await loadEmbeddingModel(dir);
  const plain = await loadModel(dir);
  const v: Verifier = { card: plain.card, threshold: 0.5, maxWindows: 4, model: plain };
  const ws = windows(em.card.input.size, 6);
  const { scores, embeddings } = await em.embed(ws);
  const expected = await scoreWindows(v, ws);
  // The same graph with one more output scores every window as the original does.
  for (let i = 0; i < ws.length; i++) expect(scores[i]).toBeCloseTo(expected[i], 6);
  // The head read from the graph turns each embedding into the same score.
  const { weight, bias, dim, classes } = em.head;
  for (let i = 0; i < ws.length; i++) {
    const logits = Array.from({ length: classes }, (_, k) => bias[k] + embeddings[i].reduce((a, e, d) => a + e * weight[k * dim + d], 0));
    expect(poppyProbability(em.card, logits)).toBeCloseTo(expected[i], 5);
  }
  await em.release();
  await plain.release();
  return { em, ws, embeddings };
}

describe('verifier embeddings (the last layer input, exposed without Python)', () => {
  it('a 1×1 Conv + Flatten head (fixture classifier): scores unchanged, head reproduces them', async () => {
    const { em } = await compare(REDNESS);
    expect(em.head.op).toBe('Conv');
    expect(em.head.embeddingName).toBe('pooled');
  });

  it.skipIf(!existsSync(join(DEFAULT_VERIFIER, 'model.onnx')))('the default verifier (Gemm head): scores unchanged, head reproduces them', async () => {
    const { em } = await compare(DEFAULT_VERIFIER);
    expect(em.head.op).toBe('Gemm');
    expect(em.head.dim).toBeGreaterThan(8);
  });

  it('writes new last-layer weights that the graph then uses', async () => {
    const { em, ws, embeddings } = await compare(REDNESS);
    const w = em.head.weight.map((x) => -2 * x),
      b = em.head.bias.map((x) => x + 0.5);
    const session = await ort.InferenceSession.create(withHeadWeights(em.proto, em.head, w, b));
    const S = em.card.input.size;
    const { writeTileTensor } = await import('../model/tile-tensor');
    const batch = new Float32Array(3 * S * S);
    writeTileTensor(ws[0].rgb, ws[0].valid, em.card, batch, 0);
    const out = await session.run({ [em.card.input.name]: new ort.Tensor('float32', batch, [1, 3, S, S]) });
    const logit = (out[em.card.output.name].data as Float32Array)[0];
    expect(logit).toBeCloseTo(b[0] + embeddings[0].reduce((a, e, d) => a + e * w[d], 0), 4);
    await session.release();
  });

  it('names the problem when the graph ends in something other than a linear layer', () => {
    const proto = decodeOnnx(readFileSync(join(REDNESS, 'model.onnx')));
    expect(() => findClassifierHead(proto, 'nonexistent')).toThrow(/cannot adapt this verifier: no node produces 'nonexistent'/);
    expect(() => decodeOnnx(new Uint8Array([1, 2, 3, 255]))).toThrow(/not a readable ONNX file/);
  });
});
