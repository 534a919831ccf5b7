/**
 * One measurement of `npm run bench:scan`, run in its own process so its peak RSS is its own:
 *   tsx scan-once.ts e2e <image> <modelDir> <outDir> [workers]
 *   tsx scan-once.ts e2e-first <image> <modelDir> <outDir> [workers]   (the model's verifier turned off)
 *   tsx scan-once.ts decode <image> <modelDir>
 *   tsx scan-once.ts infer <image> <modelDir>
 *   tsx scan-once.ts decodes <image> <modelDir> <outDir>   (one thread: blocks decoded by the whole scan, and blocks in the file)
 * Prints one JSON line: { seconds, mpx, mpxPerS, maxRssMb, ... }.
 */
import { resourceUsage } from 'node:process';
import { scanImages, loadModel, loadModelCard, openGeoTiffSource } from '../src/node';
import { scanPlan } from '../src/scan/scan-plan';
import { writeTileTensor } from '../src/model/tile-tensor';
import { DECODERS } from '../src/read/codecs';

const [mode, image, modelDir, outDir, workersArg] = process.argv.slice(2);
const rss = () => Math.round(resourceUsage().maxRSS / 1024);
/** CPU seconds (user + system, all threads) so far: steadier than wall time on a shared machine. */
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const t0 = performance.now();
const secs = () => (performance.now() - t0) / 1000;

if (mode === 'e2e' || mode === 'e2e-first') {
  const s = await scanImages({ images: [image], modelDir, outDir, workers: workersArg ? Number(workersArg) : undefined, verify: mode === 'e2e' });
  const mpx = s.mpx_per_s * s.seconds;
  console.log(JSON.stringify({ seconds: s.seconds, mpx, mpxPerS: s.mpx_per_s, maxRssMb: rss(), cpuS: cpu(), tiles: s.tiles_total, candidates: s.candidates }));
} else if (mode === 'decodes') {
  // Every block decompression of a one-thread scan (worker threads would count in their own copy of the registry).
  let calls = 0;
  const registry = DECODERS as Map<number, typeof DECODERS extends ReadonlyMap<number, infer D> ? D : never>;
  for (const [tag, d] of registry)
    registry.set(tag, (...a) => {
      calls++;
      return d(...a);
    });
  const src = await openGeoTiffSource(image);
  const tiles = Math.ceil(src.width / src.layout.blockWidth) * Math.ceil(src.height / src.layout.blockHeight);
  await src.close();
  const s = await scanImages({ images: [image], modelDir, outDir, workers: 1 });
  console.log(JSON.stringify({ seconds: s.seconds, decodes: calls, blocks: tiles, candidates: s.candidates }));
} else if (mode === 'decode' || mode === 'infer') {
  const card = await loadModelCard(modelDir);
  const src = await openGeoTiffSource(image);
  const plan = scanPlan(src.width, src.height, src.gsdM, card);
  const mpx = (src.width * src.height) / 1e6;
  if (mode === 'decode') {
    // The same windows the scanner reads: one row of tiles at a time, 8 tiles per read, resampled to the model grid.
    const S = plan.tileSize;
    const T = plan.tileStride;
    for (let ty = 0; ty < plan.tilesDown; ty++) {
      for (let tx0 = 0; tx0 < plan.tilesAcross; tx0 += 8) {
        const tx1 = Math.min(plan.tilesAcross, tx0 + 8);
        const bw = (tx1 - 1 - tx0) * T + S;
        await src.readWindow([tx0 * T * plan.fx, ty * T * plan.fy, (tx0 * T + bw) * plan.fx, (ty * T + S) * plan.fy], bw, S);
      }
    }
    const s = secs();
    console.log(JSON.stringify({ seconds: s, mpx, mpxPerS: mpx / s, maxRssMb: rss(), cpuS: cpu(), blocks: src.blocksDecoded() }));
  } else {
    const model = await loadModel(modelDir, { threads: 1 });
    const B = 8;
    const C = card.input.channels.length;
    const batch = new Float32Array(B * C * S2(card.input.size));
    const rgb = new Uint8Array(card.input.size ** 2 * 3).map((_, i) => (i * 37) & 255);
    const valid = new Uint8Array(card.input.size ** 2).fill(1);
    for (let i = 0; i < B; i++) writeTileTensor(rgb, valid, card, batch, i);
    const tiles = plan.tilesAcross * plan.tilesDown;
    const t1 = performance.now();
    for (let done = 0; done < tiles; done += B) await model.infer(batch, Math.min(B, tiles - done));
    const s = (performance.now() - t1) / 1000;
    console.log(JSON.stringify({ seconds: s, mpx, mpxPerS: mpx / s, maxRssMb: rss(), tiles }));
    await model.release();
  }
  await src.close();
}

function S2(n: number): number {
  return n * n;
}
