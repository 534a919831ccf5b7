/**
 * Bare inference throughput of a model (onnxruntime-node, 2 threads): batches of 8 tiles of real
 * synthetic imagery at the model's GSD, timed around session.run only. Prints model-input Mpx/s and the
 * equivalent imagery Mpx/s at 3, 5 and 8 cm source GSD (imagery pixels per model pixel = (gsd_m / gsd)²).
 *   npx tsx packages/synth/scripts/bench-inference.ts [modelDir]
 */
import * as ort from 'onnxruntime-node';
import { join } from 'node:path';
import { loadBareModel } from '../src/eval/bare-model';
import { generateScene } from '../src/generate-scene';
import { resampleBox } from '../src/chips/resample-box';

const dir = process.argv[2] ?? join(import.meta.dirname, '../../../models/poppy-synth');
const m = await loadBareModel(dir);
const { card } = m;
const S = card.input.size,
  N = 8;
const gsd = 0.05,
  f = card.gsd_m / gsd;
const srcPx = Math.ceil(S * f * 2);
const scene = generateScene({ seed: 4242, gsdM: gsd, widthPx: srcPx });
const small = new Uint8Array(2 * S * 2 * S * 3);
resampleBox(scene.renderRows(0, srcPx), srcPx, 0, srcPx, f, small, 2 * S, 0, 2 * S);
const data = new Float32Array(N * 3 * S * S);
for (let k = 0; k < N; k++) {
  const ox = (k % 2) * (S / 2),
    oy = (k >> 2) * (S / 4);
  for (let y = 0; y < S; y++)
    for (let x = 0; x < S; x++)
      for (let c = 0; c < 3; c++) {
        data[k * 3 * S * S + c * S * S + y * S + x] = (small[((oy + y) * 2 * S + ox + x) * 3 + c] / card.input.scale - card.input.mean[c]) / card.input.std[c];
      }
}
const input = { [card.input.name]: new ort.Tensor('float32', data, [N, 3, S, S]) };
for (let i = 0; i < 3; i++) await m.session.run(input);
const reps = 30;
const t = performance.now();
for (let i = 0; i < reps; i++) await m.session.run(input);
const s = (performance.now() - t) / 1000;
// Tiles overlap (size vs tile_stride): count only the new ground each tile covers.
const modelMpx = (reps * N * card.tile_stride * card.tile_stride) / 1e6 / s;
console.log(
  `${card.name} ${card.version}: ${((reps * N * S * S) / 1e6 / s).toFixed(1)} Mpx/s of model input (${modelMpx.toFixed(1)} Mpx/s of new ground at ${card.gsd_m} m after tile overlap)`,
);
for (const g of [0.03, 0.05, 0.08]) console.log(`  imagery at ${g * 100} cm GSD: ${(modelMpx * (card.gsd_m / g) ** 2).toFixed(0)} Mpx/s`);
