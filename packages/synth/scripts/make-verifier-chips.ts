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
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import sharp from 'sharp';
import { loadModelCard, openGeoTiffSource, readVerifierWindow, scanImages, type VerifierWindow } from '@tiandi/tiles/node';
import { underTreeCrown } from '../src/chips/under-crown';
import { square } from '../src/eval/synthetic-positives';
import { insideRing } from '../src/scene-layout';
import { writeChipScene } from './chip-scene';
import { outlinesTouch, pointInRing } from '@tiandi/geo';

const forPrefilter = process.argv.includes('--prefilter');
const [modelDir, out, firstArg, nArg] = process.argv.slice(2).filter((a) => a !== '--prefilter');
if (!modelDir || !out) throw new Error('usage: make-verifier-chips.ts <modelDir> <outDir> [firstSeed] [scenes] [--prefilter]');
const first = Number(firstArg ?? 1300),
  n = Number(nArg ?? 40);
const card = await loadModelCard(modelDir);
if (!card.verifier) throw new Error(`${modelDir}/model.json has no verifier block`);
if (forPrefilter && !card.verifier.prefilter) throw new Error(`${modelDir}/model.json has no verifier.prefilter block`);
// The stage whose windows are collected: the verifier, or its prefilter standing in for it.
const { prefilter, ...verifierStage } = card.verifier;
const stage = forPrefilter ? prefilter! : verifierStage;
const vcard = await loadModelCard(join(modelDir, stage.model));
const half = (vcard.input.size * vcard.gsd_m) / 2;
rmSync(out, { recursive: true, force: true });
for (const c of ['poppy', 'background']) mkdirSync(join(out, c), { recursive: true });
const work = mkdtempSync(join(tmpdir(), 'tiandi-vchips-'));
// Fixed first-stage thresholds (seed 0.084, growth 0.8 of it; not the card's, which calibration rewrites), so
// the recipe collects the same windows every run.
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
const manifest: object[] = [];
const counts = { poppy: 0, background: 0, skipped: 0 };
for (let seed = first; seed < first + n; seed++) {
  const { w, gsdM, plots, r } = await writeChipScene(seed, work);
  const windows: VerifierWindow[] = [];
  await scanImages({
    images: [w.tifPath],
    modelDir: fixed,
    outDir: join(work, `scan-${seed}`),
    workers: 1,
    verify: false,
    onVerifierWindow: (v) => windows.push(v),
  });
  // Look-alikes the first stage happened not to flag here may be flagged elsewhere: a few windows on each,
  // read by the same reader (ornamental beds, corn poppy and roses are rare, and carry flowers like poppy).
  const src = await openGeoTiffSource(w.tifPath);
  for (const la of w.scene.layout.lookalikes) {
    const per = ['ornamental_bed', 'corn_poppy', 'roses'].includes(la.what) ? 3 : 1;
    const xs = la.ring.map((q) => q[0]),
      ys = la.ring.map((q) => q[1]);
    for (let j = 0, tries = 0; j < per && tries < 50; tries++) {
      const x = r.range(Math.min(...xs), Math.max(...xs)),
        y = r.range(Math.min(...ys), Math.max(...ys));
      if (!insideRing(la.ring, x, y, 0)) continue;
      const raster = await readVerifierWindow(src, vcard, x / gsdM, y / gsdM);
      windows.push({ image: w.tifPath, candidateId: `lookalike-${la.what}`, lonLat: w.scene.georef.sceneToLonLat(x, y), raster });
      j++;
    }
  }
  // VCHIPS_PLOT_WINDOWS=n: n windows inside every plot besides the scan's, so plots the first stage misses (e.g. of
  // the wide world, which it never saw) still teach the verifier what they look like.
  const perPlot = Number(process.env.VCHIPS_PLOT_WINDOWS ?? 0);
  for (const p of perPlot > 0 ? w.scene.layout.plots : []) {
    const xs = p.ring.map((q) => q[0]),
      ys = p.ring.map((q) => q[1]);
    for (let j = 0, tries = 0; j < perPlot && tries < 60; tries++) {
      const x = r.range(Math.min(...xs), Math.max(...xs)),
        y = r.range(Math.min(...ys), Math.max(...ys));
      if (!pointInRing(x, y, p.ring)) continue;
      const raster = await readVerifierWindow(src, vcard, x / gsdM, y / gsdM);
      windows.push({ image: w.tifPath, candidateId: `plot-${p.id}`, lonLat: w.scene.georef.sceneToLonLat(x, y), raster });
      j++;
    }
  }
  await src.close();
  let k = 0;
  // At most about 250 background windows per scene from the first stage's candidates (a fixed, seeded
  // share), so plain fields do not swamp the rarer hard cases; look-alike windows are all kept.
  const fromScan = windows.filter((v) => !v.candidateId.startsWith('lookalike-') && !v.candidateId.startsWith('plot-')).length;
  const keepShare = Math.min(1, 250 / Math.max(1, fromScan));
  for (const v of windows) {
    const near = plots.some((p) => outlinesTouch([square(v.lonLat, 0.3)], p));
    const touches = near || plots.some((p) => outlinesTouch([square(v.lonLat, half)], p));
    // A window centred under a tree crown over a plot shows the crown: neither poppy nor a clean background.
    const crown = near && underTreeCrown(w.scene.layout.objects, ...w.scene.georef.lonLatToScene(...v.lonLat));
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
  rmSync(w.tifPath, { force: true });
  rmSync(join(work, `scan-${seed}`), { recursive: true, force: true });
  process.stdout.write(`scene ${seed} (${gsdM} m): ${windows.length} windows; totals ${JSON.stringify(counts)}\n`);
}
writeFileSync(join(out, 'manifest.geojson'), JSON.stringify({ type: 'FeatureCollection', features: manifest }));
rmSync(work, { recursive: true, force: true });
