/**
 * Hard negatives for the verifier: the windows a (broader) prefilter lets through on synthetic TRAINING scenes where
 * there is no poppy. Scans each scene through the full pipeline (first stage at the chips' fixed seed threshold 0.084,
 * the given prefilter at the card's prefilter threshold) and saves every verifier window of a candidate that passed
 * it, when the window touches no poppy plot, as `background` (with the current verifier's score in the manifest).
 * Why: a prefilter trained on the broad world passes classic look-alikes (garlic, blossom, ornamental beds, roses,
 * mulch, red roofs) that the verifier, shown them seldom before, keeps at 0.9 and over.
 *   npx tsx packages/synth/scripts/mine-passed-negatives.ts <modelDir> <prefilterModelDir> <outDir> [firstSeed=1300] [scenes=40]
 * <prefilterModelDir> holds the prefilter's model.json and model.onnx (the same input as the card's prefilter).
 * With --prefilter: the prefilter's own hard negatives instead: at each passed verifier window's centre, the
 * prefilter's window (its GSD and size, read as make-verifier-chips.ts --prefilter reads them), kept when that larger
 * window touches no poppy plot. Why: a broader prefilter passes classic look-alikes, and a prefilter trained on them
 * may keep the foreign plots it gained while passing fewer of those to the verifier.
 * Environment: VCHIPS_GSD=lo,hi and VCHIPS_VARIETY=wide or broad, as make-verifier-chips.ts (the same scenes per seed).
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import sharp from 'sharp';
import { loadModelCard, openGeoTiffSource, readVerifierWindow, scanImages, type VerifierWindow } from '@tiandi/tiles/node';
import { outlinesTouch } from '@tiandi/geo';
import { square } from '../src/eval/synthetic-positives';
import { writeChipScene } from './chip-scene';

const forPrefilter = process.argv.includes('--prefilter');
const [modelDir, prefilterDir, out, firstArg, nArg] = process.argv.slice(2).filter((a) => a !== '--prefilter');
if (!modelDir || !prefilterDir || !out)
  throw new Error('usage: mine-passed-negatives.ts <modelDir> <prefilterModelDir> <outDir> [firstSeed] [scenes] [--prefilter]');
const first = Number(firstArg ?? 1300),
  n = Number(nArg ?? 40);
const card = await loadModelCard(modelDir);
if (!card.verifier?.prefilter) throw new Error(`${modelDir}/model.json has no verifier.prefilter block`);
// The stage whose windows are saved: the verifier's, or (--prefilter) the prefilter's.
const vcard = await loadModelCard(forPrefilter ? prefilterDir : join(modelDir, card.verifier.model));
const half = (vcard.input.size * vcard.gsd_m) / 2;
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'background'), { recursive: true });
const work = mkdtempSync(join(tmpdir(), 'tiandi-hardneg-'));
const fixed = prepareModel(work);
const manifest: object[] = [];
let saved = 0;
try {
  for (let seed = first; seed < first + n; seed++) saved += await mineScene(seed);
  writeFileSync(join(out, 'manifest.geojson'), JSON.stringify({ type: 'FeatureCollection', features: manifest }));
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(`${saved} hard negative windows in ${out}`);

/** A copy of the model with the given prefilter in place and the chips' fixed first-stage thresholds. */
function prepareModel(dir: string): string {
  const fixedDir = join(dir, 'model');
  cpSync(modelDir, fixedDir, { recursive: true, filter: (p) => !basename(p).startsWith('.') });
  const pre = card.verifier!.prefilter!.model;
  rmSync(join(fixedDir, pre), { recursive: true, force: true });
  cpSync(prefilterDir, join(fixedDir, pre), { recursive: true });
  const json = JSON.parse(readFileSync(join(modelDir, 'model.json'), 'utf8'));
  writeFileSync(join(fixedDir, 'model.json'), JSON.stringify({ ...json, thresholds: { high: 0.084, low: 0.0672, min_area_m2: 0.5 } }));
  return fixedDir;
}

/** Renders one training scene, scans it and saves the passed windows that touch no poppy plot; returns how many. */
async function mineScene(seed: number): Promise<number> {
  // The same scene per seed as make-verifier-chips.ts.
  const { w, gsdM, plots } = await writeChipScene(seed, work);
  const src = forPrefilter ? await openGeoTiffSource(w.tifPath) : undefined;
  const windows: VerifierWindow[] = [];
  // verify on: the prefilter rules candidates out first; the verifier's windows of those left are collected.
  await scanImages({ images: [w.tifPath], modelDir: fixed, outDir: join(work, `scan-${seed}`), workers: 1, onVerifierWindow: (x) => windows.push(x) });
  let k = 0;
  for (const x of windows) {
    if (plots.some((p) => outlinesTouch([square(x.lonLat, half)], p))) continue;
    const file = join('background', `h${seed}-${k++}.png`);
    let raster = x.raster;
    if (src) {
      const [sx, sy] = w.scene.georef.lonLatToScene(...x.lonLat);
      raster = await readVerifierWindow(src, vcard, sx / gsdM, sy / gsdM);
    }
    await saveWindow(raster, file);
    manifest.push({
      type: 'Feature',
      properties: { file, class: 'background', seed, gsd_m: gsdM, candidate: x.candidateId, verifier_score: x.score },
      geometry: { type: 'Point', coordinates: x.lonLat },
    });
  }
  await src?.close();
  rmSync(w.tifPath, { force: true });
  rmSync(join(work, `scan-${seed}`), { recursive: true, force: true });
  console.log(`scene ${seed} (${gsdM} m): ${windows.length} passed windows, ${k} without poppy; total ${saved + k}`);
  return k;
}

/** A window as its stage is fed it (invalid pixels as the normalisation mean), as PNG. */
async function saveWindow(raster: VerifierWindow['raster'], file: string): Promise<void> {
  const S = raster.width;
  const rgb = Buffer.from(raster.rgb);
  for (let i = 0; i < S * S; i++) if (!raster.valid[i]) for (let c = 0; c < 3; c++) rgb[i * 3 + c] = Math.round(vcard.input.mean[c] * vcard.input.scale);
  await sharp(rgb, { raw: { width: S, height: S, channels: 3 } })
    .png()
    .toFile(join(out, file));
}
