/**
 * Verifier chips for `npm run train:model`: scans training scenes with the stage-1 model through the full
 * scan pipeline (scanImages with the verifier off, at a fixed seed threshold of 0.084, below the card's, so
 * borderline candidates are seen too) and saves every window the verifier would look at, labelled by the truth:
 * `poppy` when a poppy plot lies within 0.3 m of the window centre and no tree crown covers that centre,
 * `background` when no plot touches the window, left out otherwise. The windows come from the same reader and
 * resampler as in use, so the verifier trains on exactly what it will be shown. A few windows on every look-alike
 * (flower beds, corn poppy, roses, blossom, tarps, brassica, garlic, mulch) are added, since the first stage flags
 * some only elsewhere.
 *   npx tsx packages/synth/scripts/make-verifier-chips.ts <modelDir> <outDir> [firstSeed=1300] [scenes=40] [--prefilter]
 * With --prefilter: the windows of the verifier's prefilter (card `verifier.prefilter`), at its GSD.
 * Environment: VCHIPS_GSD=lo,hi (scene GSD range), VCHIPS_VARIETY=wide or broad (domain-randomised scenes),
 * VCHIPS_PLOT_WINDOWS=n (n windows inside every plot too, found or not).
 * The steps are exported for make-labelled-chips.ts (the same windows on labelled imagery rather than rendered scenes).
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { type GeoTiffSource, loadModelCard, openGeoTiffSource, readVerifierWindow, scanImages, type VerifierWindow } from '@tiandi/tiles/node';
import { underTreeCrown } from '../src/chips/under-crown';
import { square } from '../src/eval/synthetic-positives';
import type { Prng } from '../src/prng';
import { insideRing } from '../src/scene-layout';
import { writeChipScene } from './chip-scene';
import { outlinesTouch, pointInRing } from '@tiandi/geo';

type Card = Awaited<ReturnType<typeof loadModelCard>>;
type Polygon = Parameters<typeof outlinesTouch>[0];
export type ChipCounts = { poppy: number; background: number; skipped: number };

/**
 * The stage whose windows are collected (the verifier, or its prefilter standing in for it): its card, half its
 * window's ground width, and a copy of the model in `work` at fixed first-stage thresholds (seed 0.084, growth 0.8
 * of it; not the card's, which calibration rewrites), so the recipe collects the same windows every run.
 */
export async function chipStage(modelDir: string, forPrefilter: boolean, work: string) {
  const card = await loadModelCard(modelDir);
  if (!card.verifier) throw new Error(`${modelDir}/model.json has no verifier block`);
  if (forPrefilter && !card.verifier.prefilter) throw new Error(`${modelDir}/model.json has no verifier.prefilter block`);
  const { prefilter, ...verifierStage } = card.verifier;
  // The prefilter standing in for the verifier: its `narrow` (how it hands candidates on) is no verifier key.
  const stage = forPrefilter ? { model: prefilter!.model, threshold: prefilter!.threshold, max_windows: prefilter!.max_windows } : verifierStage;
  const vcard = await loadModelCard(join(modelDir, stage.model));
  const fixed = join(work, 'model');
  cpSync(modelDir, fixed, { recursive: true, filter: (p) => !basename(p).startsWith('.chips') });
  writeFileSync(
    join(fixed, 'model.json'),
    JSON.stringify({
      ...JSON.parse(readFileSync(join(modelDir, 'model.json'), 'utf8')),
      thresholds: { high: 0.084, low: 0.0672, min_area_m2: 0.5 },
      verifier: stage,
    }),
  );
  return { fixed, vcard, half: (vcard.input.size * vcard.gsd_m) / 2 };
}

/** Every window the scan pipeline (verifier off) would show the stage on `image`. */
export async function scanWindows(image: string, fixed: string, scanDir: string): Promise<VerifierWindow[]> {
  const windows: VerifierWindow[] = [];
  await scanImages({ images: [image], modelDir: fixed, outDir: scanDir, workers: 1, verify: false, onVerifierWindow: (v) => windows.push(v) });
  rmSync(scanDir, { recursive: true, force: true });
  return windows;
}

/**
 * Up to `per` windows (within `tries` draws) at random points of `box` ([x0, y0, x1, y1] in any plane) that `inside`
 * accepts, read by the scan's reader; `at` gives a point's source pixel and WGS 84 lon/lat.
 */
export async function windowsInside(
  src: GeoTiffSource,
  vcard: Card,
  candidateId: string,
  box: readonly [number, number, number, number],
  per: number,
  tries: number,
  r: Prng,
  inside: (x: number, y: number) => boolean,
  at: (x: number, y: number) => { px: number; py: number; lonLat: [number, number] },
): Promise<VerifierWindow[]> {
  const windows: VerifierWindow[] = [];
  for (let j = 0, t = 0; j < per && t < tries; t++) {
    const x = r.range(box[0], box[2]),
      y = r.range(box[1], box[3]);
    if (!inside(x, y)) continue;
    const { px, py, lonLat } = at(x, y);
    windows.push({ image: src.path, candidateId, lonLat, raster: await readVerifierWindow(src, vcard, px, py) });
    j++;
  }
  return windows;
}

/** [x0, y0, x1, y1] of a ring. */
export const ringBox = (ring: ReadonlyArray<readonly [number, number] | number[]>) =>
  [Math.min(...ring.map((q) => q[0])), Math.min(...ring.map((q) => q[1])), Math.max(...ring.map((q) => q[0])), Math.max(...ring.map((q) => q[1]))] as const;

/**
 * Labels one image's windows by its poppy plots (lon/lat polygons) and writes them under `out` as
 * `<class>/s<seed>-<k>.png`, with manifest features and counts. At most about 250 background windows from the first
 * stage's candidates (a fixed, seeded share), so plain fields do not swamp the rarer hard cases; look-alike and
 * in-plot windows are all kept. `crownAt` tells a centre under a tree crown (neither poppy nor clean background).
 */
export async function writeWindows(o: {
  windows: VerifierWindow[];
  plots: Polygon[];
  out: string;
  vcard: Card;
  half: number;
  seed: number;
  gsdM: number;
  r: Prng;
  manifest: object[];
  counts: ChipCounts;
  crownAt?: (lonLat: [number, number]) => boolean;
}) {
  const { windows, plots, out, vcard, half, seed, gsdM, r, manifest, counts } = o;
  let k = 0;
  const fromScan = windows.filter((v) => !v.candidateId.startsWith('lookalike-') && !v.candidateId.startsWith('plot-')).length;
  const keepShare = Math.min(1, 250 / Math.max(1, fromScan));
  for (const v of windows) {
    const near = plots.some((p) => outlinesTouch([square(v.lonLat, 0.3)], p));
    const touches = near || plots.some((p) => outlinesTouch([square(v.lonLat, half)], p));
    const crown = near && (o.crownAt?.(v.lonLat) ?? false);
    const cls = near && !crown ? 'poppy' : touches ? undefined : 'background';
    if (!cls) {
      counts.skipped++;
      continue;
    }
    if (cls === 'background' && !v.candidateId.startsWith('lookalike-') && !r.chance(keepShare)) continue;
    const file = join(cls, `s${seed}-${k++}.png`);
    const S = v.raster.width;
    // Invalid pixels as the scan feeds them: the normalisation mean (mid-grey for the default card).
    const rgb = Buffer.from(v.raster.rgb);
    for (let i = 0; i < S * S; i++) if (!v.raster.valid[i]) for (let c = 0; c < 3; c++) rgb[i * 3 + c] = Math.round(vcard.input.mean[c] * vcard.input.scale);
    await sharp(rgb, { raw: { width: S, height: S, channels: 3 } })
      .png()
      .toFile(join(out, file));
    manifest.push({
      type: 'Feature',
      properties: { file, class: cls, seed, gsd_m: gsdM, candidate: v.candidateId },
      geometry: { type: 'Point', coordinates: v.lonLat },
    });
    counts[cls]++;
  }
}

/** A fresh output folder with its two class folders. */
export function freshChipFolder(out: string) {
  rmSync(out, { recursive: true, force: true });
  for (const c of ['poppy', 'background']) mkdirSync(join(out, c), { recursive: true });
}

async function main() {
  const forPrefilter = process.argv.includes('--prefilter');
  const [modelDir, out, firstArg, nArg] = process.argv.slice(2).filter((a) => a !== '--prefilter');
  if (!modelDir || !out) throw new Error('usage: make-verifier-chips.ts <modelDir> <outDir> [firstSeed] [scenes] [--prefilter]');
  const first = Number(firstArg ?? 1300),
    n = Number(nArg ?? 40);
  const work = mkdtempSync(join(tmpdir(), 'tiandi-vchips-'));
  const { fixed, vcard, half } = await chipStage(modelDir, forPrefilter, work);
  freshChipFolder(out);
  const manifest: object[] = [];
  const counts: ChipCounts = { poppy: 0, background: 0, skipped: 0 };
  for (let seed = first; seed < first + n; seed++) {
    const { w, gsdM, plots, r } = await writeChipScene(seed, work);
    const windows = await scanWindows(w.tifPath, fixed, join(work, `scan-${seed}`));
    const src = await openGeoTiffSource(w.tifPath);
    const at = (x: number, y: number) => ({ px: x / gsdM, py: y / gsdM, lonLat: w.scene.georef.sceneToLonLat(x, y) });
    // Look-alikes the first stage happened not to flag here may be flagged elsewhere: a few windows on each,
    // read by the same reader (ornamental beds, corn poppy and roses are rare, and carry flowers like poppy).
    for (const la of w.scene.layout.lookalikes) {
      const per = ['ornamental_bed', 'corn_poppy', 'roses'].includes(la.what) ? 3 : 1;
      windows.push(...(await windowsInside(src, vcard, `lookalike-${la.what}`, ringBox(la.ring), per, 50, r, (x, y) => insideRing(la.ring, x, y, 0), at)));
    }
    // VCHIPS_PLOT_WINDOWS=n: n windows inside every plot besides the scan's, so plots the first stage misses (e.g. of
    // the wide world, which it never saw) still teach the verifier what they look like.
    const perPlot = Number(process.env.VCHIPS_PLOT_WINDOWS ?? 0);
    for (const p of perPlot > 0 ? w.scene.layout.plots : [])
      windows.push(...(await windowsInside(src, vcard, `plot-${p.id}`, ringBox(p.ring), perPlot, 60, r, (x, y) => pointInRing(x, y, p.ring), at)));
    await src.close();
    const crownAt = (ll: [number, number]) => underTreeCrown(w.scene.layout.objects, ...w.scene.georef.lonLatToScene(...ll));
    await writeWindows({ windows, plots, out, vcard, half, seed, gsdM, r, manifest, counts, crownAt });
    rmSync(w.tifPath, { force: true });
    process.stdout.write(`scene ${seed} (${gsdM} m): ${windows.length} windows; totals ${JSON.stringify(counts)}\n`);
  }
  writeFileSync(join(out, 'manifest.geojson'), JSON.stringify({ type: 'FeatureCollection', features: manifest }));
  rmSync(work, { recursive: true, force: true });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
