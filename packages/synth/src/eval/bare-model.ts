import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';

/** The parts of a model card (docs/model-card.md) the bare runner needs. */
export interface BareCard {
  name: string;
  version: string;
  task: 'segmentation' | 'tile-classifier';
  input: { name: string; size: number; channels: string[]; scale: number; mean: number[]; std: number[] };
  output: { name: string; activation: 'sigmoid' | 'softmax' | 'none'; stride?: number };
  gsd_m: number;
  tile_stride: number;
  thresholds: { high: number; low: number; min_area_m2: number };
  metrics?: Record<string, number | string | null>;
  [k: string]: unknown;
}

/** A loaded segmentation model: its card and an inference session. */
export interface BareModel {
  dir: string;
  card: BareCard;
  session: ort.InferenceSession;
  /** Seconds spent inside session.run and model-GSD pixels fed, for throughput figures. */
  stats: { runS: number; pixels: number };
}

/** Loads `model.json` + `model.onnx` from a folder (2 intra-op threads). */
export async function loadBareModel(dir: string): Promise<BareModel> {
  const card = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as BareCard;
  const session = await ort.InferenceSession.create(join(dir, 'model.onnx'), { intraOpNumThreads: 2, graphOptimizationLevel: 'all' });
  return { dir, card, session, stats: { runS: 0, pixels: 0 } };
}

/**
 * Runs a segmentation model over an RGB image already at the model's GSD, in overlapping tiles
 * (`input.size`, step `tile_stride`; each tile's centre written), and returns the poppy probability
 * heatmap at the output stride. Pixels beyond the image are padded with mid grey.
 */
export async function runBareModel(
  m: BareModel,
  rgb: Uint8Array,
  width: number,
  height: number,
): Promise<{ heat: Float32Array; hw: number; hh: number; stride: number }> {
  const { card } = m;
  const S = card.input.size,
    T = card.tile_stride,
    st = card.output.stride ?? S;
  const margin = (S - T) / 2;
  const hw = Math.ceil(width / st),
    hh = Math.ceil(height / st);
  const heat = new Float32Array(hw * hh);
  const origins: Array<[number, number]> = [];
  for (let y = -margin; y < height - margin; y += T) for (let x = -margin; x < width - margin; x += T) origins.push([x, y]);
  const batch = 8;
  const scale = card.input.scale,
    mean = card.input.mean,
    std = card.input.std;
  const pad = (127 / scale - mean[0]) / std[0];
  for (let b = 0; b < origins.length; b += batch) {
    const part = origins.slice(b, b + batch);
    const data = new Float32Array(part.length * 3 * S * S);
    part.forEach(([x0, y0], k) => {
      const base = k * 3 * S * S;
      for (let y = 0; y < S; y++) {
        const sy = y0 + y;
        for (let x = 0; x < S; x++) {
          const sx = x0 + x;
          const o = base + y * S + x;
          if (sx < 0 || sy < 0 || sx >= width || sy >= height) {
            data[o] = pad;
            data[o + S * S] = pad;
            data[o + 2 * S * S] = pad;
            continue;
          }
          const p = (sy * width + sx) * 3;
          data[o] = (rgb[p] / scale - mean[0]) / std[0];
          data[o + S * S] = (rgb[p + 1] / scale - mean[1]) / std[1];
          data[o + 2 * S * S] = (rgb[p + 2] / scale - mean[2]) / std[2];
        }
      }
    });
    const t = performance.now();
    const out = await m.session.run({ [card.input.name]: new ort.Tensor('float32', data, [part.length, 3, S, S]) });
    m.stats.runS += (performance.now() - t) / 1000;
    m.stats.pixels += part.length * S * S;
    const scores = out[card.output.name].data as Float32Array;
    const os = S / st,
      c0 = margin / st,
      cn = T / st;
    part.forEach(([x0, y0], k) => {
      for (let cy = 0; cy < cn; cy++) {
        const hy = (y0 + margin) / st + cy;
        if (hy >= hh) break;
        for (let cx = 0; cx < cn; cx++) {
          const hx = (x0 + margin) / st + cx;
          if (hx >= hw) break;
          let v = scores[k * os * os + (c0 + cy) * os + c0 + cx];
          if (card.output.activation === 'sigmoid') v = 1 / (1 + Math.exp(-v));
          heat[hy * hw + hx] = v;
        }
      }
    });
  }
  return { heat, hw, hh, stride: st };
}
