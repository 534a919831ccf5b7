/**
 * make-verifier-chips.ts's windows on labelled imagery instead of rendered packages/synth scenes: a folder of
 * <name>.tif beside <name>.truth.geojson (as `tiandi eval --labelled` and sweep-labelled.ts read it; e.g. the output
 * of test/foreign-scenes), so a second, independently written world can be trained on. Each image is scanned with
 * the stage-1 model at the fixed seed threshold; every window the verifier (with --prefilter: its prefilter) would
 * look at is labelled by the truth, and VCHIPS_PLOT_WINDOWS (default 3) windows inside every plot are added, so plots
 * the first stage under-covers are seen. The truth lists only poppy: no look-alike windows and no tree-crown test.
 * Same on-disk format (<class>/s<n>-<k>.png with n the number in the image's name, so train_verifier.py holds out
 * whole images; manifest.geojson). An image without a truth file is all background.
 *   npx tsx packages/synth/scripts/make-labelled-chips.ts <modelDir> <folder> <outDir> [--prefilter]
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pointInRing } from '@tiandi/geo';
import { openGeoTiffSource, type GeoTiffSource } from '@tiandi/tiles/node';
import { readTruthFile } from '../src/eval/truth-eval';
import { createPrng } from '../src/prng';
import { type ChipCounts, chipStage, freshChipFolder, ringBox, scanWindows, windowsInside, writeWindows } from './make-verifier-chips';

const forPrefilter = process.argv.includes('--prefilter');
const [modelDir, folder, out] = process.argv.slice(2).filter((a) => a !== '--prefilter');
if (!out) throw new Error('usage: make-labelled-chips.ts <modelDir> <folder> <outDir> [--prefilter]');
const work = mkdtempSync(join(tmpdir(), 'tiandi-lchips-'));
const { fixed, vcard, half } = await chipStage(modelDir, forPrefilter, work);
freshChipFolder(out);
const perPlot = Number(process.env.VCHIPS_PLOT_WINDOWS ?? 3);
const manifest: object[] = [];
const counts: ChipCounts = { poppy: 0, background: 0, skipped: 0 };

/** WGS 84 lon/lat → source pixel by the affine fit of the image's corners (for a plot's pixel box only: points are tested exactly). */
function lonLatToPixel(src: GeoTiffSource) {
  const [o, c, r] = [src.pixelToWgs84(0, 0), src.pixelToWgs84(src.width, 0), src.pixelToWgs84(0, src.height)];
  const [a, b, d, e] = [(c[0] - o[0]) / src.width, (r[0] - o[0]) / src.height, (c[1] - o[1]) / src.width, (r[1] - o[1]) / src.height];
  const det = a * e - b * d;
  return ([lon, lat]: readonly number[]) => [(e * (lon - o[0]) - b * (lat - o[1])) / det, (a * (lat - o[1]) - d * (lon - o[0])) / det] as [number, number];
}

const images = readdirSync(folder)
  .filter((f) => f.endsWith('.tif'))
  .sort();
for (const [i, name] of images.entries()) {
  const image = join(folder, name);
  const truth = image.replace(/\.tif$/, '.truth.geojson');
  const plots = existsSync(truth) ? readTruthFile(truth) : [];
  const seed = Number(name.match(/(\d+)\D*$/)?.[1] ?? i);
  const r = createPrng(seed * 11 + 3);
  const windows = await scanWindows(image, fixed, join(work, 'scan'));
  const src = await openGeoTiffSource(image);
  const toPx = lonLatToPixel(src);
  const at = (x: number, y: number) => ({ px: x, py: y, lonLat: src.pixelToWgs84(x, y) });
  for (const p of perPlot > 0 ? plots : []) {
    const [x0, y0, x1, y1] = ringBox(p.rings[0].map((q) => toPx(q)));
    const box = [x0 - 2, y0 - 2, x1 + 2, y1 + 2] as const;
    const inside = (x: number, y: number) => pointInRing(...src.pixelToWgs84(x, y), p.rings[0]);
    windows.push(...(await windowsInside(src, vcard, `plot-${p.id}`, box, perPlot, 60, r, inside, at)));
  }
  const gsdM = Math.round(((src.gsdM.x + src.gsdM.y) / 2) * 1000) / 1000;
  await src.close();
  await writeWindows({ windows, plots: plots.map((p) => p.rings), out, vcard, half, seed, gsdM, r, manifest, counts });
  process.stdout.write(`${basename(image)} (${gsdM} m, ${plots.length} plots): ${windows.length} windows; totals ${JSON.stringify(counts)}\n`);
}
writeFileSync(join(out, 'manifest.geojson'), JSON.stringify({ type: 'FeatureCollection', features: manifest }));
rmSync(work, { recursive: true, force: true });
