/**
 * Step 1 of `npm run train:model`: renders the training scenes (seeds 1000–1026 by default: TRAIN_SCENES, never used for
 * evaluation) as COGs with their truth, then exports chips from each GeoTIFF + truth with the same
 * function as `tiandi chips export`, into models/poppy-synth/.chips/ (gitignored by .cache-like name).
 *   npx tsx packages/synth/scripts/make-training-chips.ts [outDir]
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { createPrng } from '../src/prng';
import { writeScene } from '../src/write-scene';
import { exportChips } from '../src/chips/export-chips';

const out = process.argv[2] ?? join(import.meta.dirname, '../../../models/poppy-synth/.chips');
const first = Number(process.env.TRAIN_SEED_FIRST ?? 1000),
  count = Number(process.env.TRAIN_SCENES ?? 80);
const CRSS = ['EPSG:4522', 'EPSG:32648', 'EPSG:4326', 'EPSG:3857', 'EPSG:4544', 'EPSG:4490'];
const work = join(tmpdir(), `tiandi-train-scenes-${process.pid}`);
rmSync(out, { recursive: true, force: true });
const t0 = Date.now();
let chips = 0,
  pos = 0;
for (let seed = first; seed < first + count; seed++) {
  const r = createPrng(seed * 7 + 1);
  const [lo, hi] = (process.env.TRAIN_GSD ?? '0.03,0.085').split(',').map(Number);
  const gsdM = Math.round(r.range(lo, hi) * 1000) / 1000;
  const widthPx = Math.round(r.range(110, 150) / gsdM);
  // TRAIN_VARIETY=wide: the domain-randomised world (variety.ts); TRAIN_GSD=lo,hi the scenes' GSD range.
  const tv = process.env.TRAIN_VARIETY; // wide, or broad (wide with poppy's looks broadened further)
  const variety = tv === 'wide' || tv === 'broad' ? { variety: tv as 'wide' | 'broad' } : {};
  const w = await writeScene({ seed, gsdM, crs: r.pick(CRSS), widthPx, plotsPerHa: Number(process.env.PLOTS_PER_HA ?? 7), ...variety }, work);
  const truth = JSON.parse(readFileSync(w.truthPath, 'utf8'));
  const recs = await exportChips(w.tifPath, truth, out, {
    gsdM: 0.15,
    sizePx: 128,
    perPositive: 3,
    perNegativeLabel: 1,
    randomPerHa: Number(process.env.RANDOM_PER_HA ?? 6),
    seed,
  });
  chips += recs.length;
  pos += recs.filter((c) => c.class === 'poppy').length;
  rmSync(w.tifPath);
  process.stdout.write(
    `scene ${seed} gsd ${gsdM} ${w.scene.georef.crs.id} plots ${w.scene.layout.plots.length} chips ${recs.length} (total ${chips}, poppy ${pos}) ${((Date.now() - t0) / 1000).toFixed(0)} s\n`,
  );
}
rmSync(work, { recursive: true, force: true });
