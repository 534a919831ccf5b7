/**
 * Real negative chips for the verifier: REAL imagery known to hold no poppy (e.g. ../shared/real-aerial), read
 * through the scan pipeline as the verifier would see it. Two kinds, both saved under `background/`:
 *  - `rm-*`: every window the verifier would look at on the first stage's candidates (fixed seed threshold 0.084,
 *    below the card's, so borderline look-alikes are mined too): the real hard negatives;
 *  - `rr-*`: `perImage` windows at random places: real ground, light and texture, also used by
 *    train_verifier.py --composite as backgrounds to paste synthetic plots into.
 *   npx tsx packages/synth/scripts/make-real-chips.ts <modelDir> <outDir> [perImage=24] <image.tif>...
 * With --prefilter: the prefilter's windows (its GSD) instead of the verifier's.
 * With --first-stage: random chips for the first stage instead (as `tiandi chips export` writes them, at the card's
 * GSD and 128 px, all background; `perImage` per hectare), for train.py.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import sharp from 'sharp';
import { loadModelCard, openGeoTiffSource, readVerifierWindow, scanImages, type VerifierWindow } from '@tiandi/tiles/node';
import { createPrng } from '../src/prng';
import { exportChips } from '../src/chips/export-chips';
import { chipStage } from './make-verifier-chips';

const forPrefilter = process.argv.includes('--prefilter');
const forFirstStage = process.argv.includes('--first-stage');
const args = process.argv.slice(2).filter((a) => a !== '--prefilter' && a !== '--first-stage');
const [modelDir, out, perArg, ...images] = args;
if (!modelDir || !out || !images.length) throw new Error('usage: make-real-chips.ts <modelDir> <outDir> <perImage> <image.tif>... [--prefilter]');
const perImage = Number(perArg);
const card = await loadModelCard(modelDir);
if (forFirstStage) {
  rmSync(out, { recursive: true, force: true });
  let n = 0;
  for (const [k, img] of images.entries()) {
    const recs = await exportChips(img, { features: [] }, out, {
      gsdM: card.gsd_m,
      sizePx: 128,
      perPositive: 0,
      perNegativeLabel: 0,
      randomPerHa: perImage,
      seed: 7 + k,
    });
    n += recs.length;
    console.log(`${basename(img)}: ${recs.length} first-stage chips (total ${n})`);
  }
  process.exit(0);
}
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'background'), { recursive: true });
const work = mkdtempSync(join(tmpdir(), 'tiandi-rchips-'));
// The same stage and fixed first-stage thresholds as make-verifier-chips.ts, so real and synthetic windows match.
const { fixed, vcard } = await chipStage(modelDir, forPrefilter, work);
const save = (name: string, w: { rgb: Uint8Array; width: number; height: number }) =>
  sharp(Buffer.from(w.rgb), { raw: { width: w.width, height: w.height, channels: 3 } })
    .png()
    .toFile(join(out, 'background', name));
let mined = 0,
  random = 0;
try {
  for (const img of images) {
    const stem = basename(img, extname(img));
    const windows: VerifierWindow[] = [];
    await scanImages({
      images: [img],
      modelDir: fixed,
      outDir: join(work, `scan-${stem}`),
      workers: 1,
      verify: false,
      onVerifierWindow: (v) => windows.push(v),
    });
    for (const [k, w] of windows.entries()) await save(`rm-${stem}-${k}.png`, w.raster);
    mined += windows.length;
    const src = await openGeoTiffSource(img);
    try {
      const r = createPrng([...stem].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7));
      const margin = (vcard.input.size * vcard.gsd_m) / 2 / src.gsdM.x + 1;
      for (let k = 0; k < perImage; k++) {
        const w = await readVerifierWindow(src, vcard, r.range(margin, src.width - margin), r.range(margin, src.height - margin));
        await save(`rr-${stem}-${k}.png`, w);
      }
      random += perImage;
    } finally {
      await src.close();
    }
    console.log(`${stem}: ${windows.length} candidate windows, ${perImage} random; totals mined ${mined}, random ${random}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
