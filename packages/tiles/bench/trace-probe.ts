/**
 * Tracing alone on a scan's real heatmap: loads heatmap.tif (-1 = no data, as NaN for tracing) into a paged grid
 * held as the scan holds it (HEATMAP_CACHE_BYTES' share, the rest in a temporary file), then times `tracePlots` with
 * the card's thresholds as the scan traces (no outlines), and prints the plots' count, a digest of their cells (to
 * compare two ways of tracing on the same heatmap), and the process's memory before and after (peak RSS from /proc).
 * TRACE_STREAMED=1 traces with `tracePlotsStreamed` as the scan does, letting each batch go once hashed: its
 * plot-list digest must equal the whole tracing's (printed by both), and its peak is what streaming holds;
 * TRACE_STREAMED=count only counts them (its time is then tracing's alone).
 *   node --import tsx packages/tiles/bench/trace-probe.ts <scan out dir>/heatmap.tif <modelDir> [repeats]
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromFile } from 'geotiff';
import { PagedCells } from '../src/scan/paged-cells';
import { HEATMAP_CACHE_BYTES } from '../src/node/thread-plan';
import { tracePlots, type GridPlot } from '../src/vector/trace-plots';
import { tracePlotsStreamed } from '../src/vector/trace-stream';

const [heatPath, modelDir, repeatsArg] = process.argv.slice(2);
const card = JSON.parse(await readFile(join(modelDir, 'model.json'), 'utf8'));
const image = await (await fromFile(heatPath)).getImage(0);
const width = image.getWidth();
const height = image.getHeight();
const store = (name: string, bytes: number) => ({
  path: join(tmpdir(), `trace-probe-${process.pid}-${name}.bin`),
  cacheBytes: (HEATMAP_CACHE_BYTES * bytes) / 7,
});
const scores = new PagedCells(Float32Array, width, height, store('sum', 4));
for (let y0 = 0; y0 < height; y0 += 128) {
  const h = Math.min(128, height - y0);
  const band = (await image.readRasters({ window: [0, y0, width, y0 + h], interleave: true })) as unknown as Float32Array;
  for (let y = 0; y < h; y++)
    for (let px = 0; px < scores.pagesAcross; px++) {
      const page = scores.page(px, y0 >> 7, true);
      for (let x = px * 128; x < Math.min(width, px * 128 + 128); x++) {
        const v = band[y * width + x];
        page[(y << 7) | (x & 127)] = v < 0 ? NaN : v;
      }
    }
}
const cellM = (card.output?.stride ?? 1) * card.gsd_m * 0; // the cell's metres come from the heatmap's geotransform
const res = image.getResolution();
const cellMetres = Math.abs(res[0]);
void cellM;
const t = card.thresholds;
const options = {
  high: t.high,
  low: t.low,
  minCells: t.min_area_m2 / (cellMetres * cellMetres),
  labels: store('label', 1),
  mergeGapCells: t.merge_gap_cells,
  mergeJoin: t.merge_join,
  growthPeakShare: t.growth_peak_share,
  maxPartCells: t.max_part_m2 === undefined ? undefined : Math.max(1, Math.floor(t.max_part_m2 / (cellMetres * cellMetres))),
  outlines: false, // as the scan traces (finish-image.ts draws outlines from cells)
};
const digest = (plots: GridPlot[]) => {
  const h = createHash('sha256');
  for (const p of plots)
    h.update(JSON.stringify([p.seed, p.cells, p.scoreMax, p.scoreMean, p.polygons])).update(
      new Uint8Array(p.cellIndices.buffer, p.cellIndices.byteOffset, p.cellIndices.byteLength),
    );
  return h.digest('hex').slice(0, 16);
};
const mb = (n: number) => `${(n / 2 ** 20).toFixed(0)} MB`;
const memory = () => {
  const m = process.memoryUsage();
  const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  return `rss ${mb(m.rss)}, heap ${mb(m.heapUsed)}, array buffers ${mb(m.arrayBuffers)}${hwm ? `, peak rss ${mb(Number(hwm) * 1024)}` : ''}`;
};
/** One plot's hash; the plot-list digest hashes them in seed order, so batches handed on in any order compare. */
const plotHash = (p: GridPlot) =>
  createHash('sha256')
    .update(JSON.stringify([p.seed, p.cells, p.scoreMax, p.scoreMean, p.polygons]))
    .update(JSON.stringify((p.partCells ?? [p.cellIndices]).map((c) => Array.from(c))))
    .digest('hex');
const listDigest = (hashes: [number, string][]) => {
  const h = createHash('sha256');
  for (const [, x] of hashes.sort((a, b) => a[0] - b[0])) h.update(x);
  return h.digest('hex').slice(0, 16);
};
console.log(`before tracing: ${memory()}`);
if (process.env.TRACE_STREAMED) {
  for (let r = 0; r < Number(repeatsArg ?? 3); r++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const hashes: [number, string][] = [];
    let batches = 0;
    for (const batch of tracePlotsStreamed(scores, width, height, options)) {
      batches++;
      for (const p of batch) hashes.push([p.seed, process.env.TRACE_STREAMED === 'count' ? '' : plotHash(p)]);
    }
    const u = process.cpuUsage(c0);
    const secs = ((performance.now() - t0) / 1000).toFixed(3);
    console.log(
      `${width}x${height} streamed: ${hashes.length} plots in ${batches} batches, ${secs} s, ${((u.user + u.system) / 1e6).toFixed(3)} CPU-s, plot-list digest ${listDigest(hashes)}`,
    );
    console.log(`after: ${memory()}`);
  }
  scores.close();
  process.exit(0);
}
for (let r = 0; r < Number(repeatsArg ?? 3); r++) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const plots = tracePlots(scores, width, height, options);
  const u = process.cpuUsage(c0);
  console.log(
    `${width}x${height}: ${plots.length} plots in ${((performance.now() - t0) / 1000).toFixed(3)} s, ${((u.user + u.system) / 1e6).toFixed(3)} CPU-s, digest ${digest(plots)}, plot-list digest ${listDigest(plots.map((p) => [p.seed, plotHash(p)]))}`,
  );
  console.log(`plots held: ${memory()}`);
  const partCells = plots.flatMap((p) => p.partCells ?? [p.cellIndices]);
  const joined = plots.filter((p) => p.partCells);
  console.log(`held: cells ${mb(partCells.reduce((n, c) => n + c.byteLength, 0))} in ${partCells.length} parts (${joined.length} plots joined of several)`);
  // With node --expose-gc: what is left once the garbage of tracing is collected.
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) gc(), console.log(`after a full collection: ${memory()}`);
}
scores.close();
