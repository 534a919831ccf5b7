/**
 * Where a scan's memory goes: runs one scan and prints process.memoryUsage() every 250 ms with the phase
 * (tiles / verify / writing) and blocks decoded so far, then the peak of each figure.
 *   node --import tsx packages/tiles/bench/mem-probe.ts <image> <modelDir> <outDir> [workers] [--no-verify]
 */
import { resourceUsage } from 'node:process';
import { scanImages } from '../src/node';

const [image, modelDir, outDir, workersArg] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const noVerify = process.argv.includes('--no-verify');
const mb = (b: number) => Math.round(b / 2 ** 20);
let phase = 'open';
const peak: Record<string, number> = {};
const t0 = performance.now();
const sample = () => {
  const m = process.memoryUsage();
  const row = { rss: mb(m.rss), heapUsed: mb(m.heapUsed), external: mb(m.external), arrayBuffers: mb(m.arrayBuffers) };
  for (const [k, v] of Object.entries(row)) peak[k] = Math.max(peak[k] ?? 0, v);
  process.stderr.write(`${((performance.now() - t0) / 1000).toFixed(1)}s ${phase} ${JSON.stringify(row)}\n`);
};
const timer = setInterval(sample, 250);
const s = await scanImages({
  images: [image],
  modelDir,
  outDir,
  workers: workersArg ? Number(workersArg) : undefined,
  verify: !noVerify,
  onProgress: (p) => {
    phase = p.phase === 'tiles' ? `tiles ${p.tilesDone}/${p.tilesTotal}` : `verify ${p.windowsDone}/${p.windowsTotal}`;
  },
});
clearInterval(timer);
sample();
console.log(JSON.stringify({ seconds: s.seconds, mpxPerS: s.mpx_per_s, candidates: s.candidates, peak, maxRssMb: Math.round(resourceUsage().maxRSS / 1024) }));
