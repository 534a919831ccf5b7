/**
 * Hard-negative mining for `npm run train:model`: runs the current model over extra training scenes
 * (seeds 1200+, apart from evaluation seeds), and exports chips centred on its false-positive
 * components (labelled `hard_negative`) plus the scenes' true plots, with the same chip exporter as
 * `tiandi chips export`, into models/poppy-synth/.chips-hard/.
 *   npx tsx packages/synth/scripts/mine-hard-negatives.ts [modelDir] [scenes]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPrng } from '../src/prng';
import { loadBareModel, runBareModel } from '../src/eval/bare-model';
import { heatComponents } from '../src/eval/heat-components';
import { readResampled } from '../src/chips/read-resampled';
import { exportChips } from '../src/chips/export-chips';
import { writeScene } from '../src/write-scene';
import { outlinesTouch } from '@tiandi/geo';

const dir = process.argv[2] ?? join(import.meta.dirname, '../../../models/poppy-synth');
const n = Number(process.argv[3] ?? 16);
const out = join(dir, '.chips-hard');
rmSync(out, { recursive: true, force: true });
const model = await loadBareModel(dir);
const work = mkdtempSync(join(tmpdir(), 'tiandi-mine-'));
const CRSS = ['EPSG:4522', 'EPSG:32648', 'EPSG:4326', 'EPSG:3857', 'EPSG:4544', 'EPSG:4490'];
let total = 0;
for (let seed = 1200; seed < 1200 + n; seed++) {
  const r = createPrng(seed * 7 + 1);
  const gsdM = Math.round(r.range(0.03, 0.085) * 1000) / 1000;
  const w = await writeScene({ seed, gsdM, crs: r.pick(CRSS), widthPx: Math.round(r.range(140, 180) / gsdM), plotsPerHa: 2 }, work);
  const img = await readResampled(w.tifPath, model.card.gsd_m);
  const h = await runBareModel(model, img.rgb, img.width, img.height);
  const cellM = h.stride * gsdM * img.factor;
  // Fixed, low thresholds (not the card's, which calibration rewrites) so the recipe mines the same way every run.
  const low = 0.2,
    high = 0.35;
  const comps = heatComponents(h.heat, h.hw, h.hh, low, high, 1);
  const g = w.scene.georef;
  const truth = JSON.parse(readFileSync(w.truthPath, 'utf8'));
  const plots = truth.features.filter((f: { properties: { class: string } }) => f.properties.class === 'poppy');
  const hard = [];
  for (const c of comps) {
    const xs = c.cells.map((k) => k % h.hw),
      ys = c.cells.map((k) => Math.floor(k / h.hw));
    const x0 = Math.min(...xs) * cellM,
      x1 = (Math.max(...xs) + 1) * cellM,
      y0 = Math.min(...ys) * cellM,
      y1 = (Math.max(...ys) + 1) * cellM;
    const ring = [
      [x0, y0],
      [x1, y0],
      [x1, y1],
      [x0, y1],
      [x0, y0],
    ].map(([x, y]) => g.sceneToLonLat(x, y));
    if (
      plots.some((p: { geometry: { coordinates: Array<Array<[number, number]>> } }) => outlinesTouch([ring as Array<[number, number]>], p.geometry.coordinates))
    )
      continue;
    hard.push({ type: 'Feature', properties: { class: 'hard_negative' }, geometry: { type: 'Polygon', coordinates: [ring] } });
  }
  const recs = await exportChips(w.tifPath, { features: [...plots, ...hard.slice(0, 40)] }, out, {
    gsdM: model.card.gsd_m,
    sizePx: 128,
    perPositive: 2,
    perNegativeLabel: 1,
    randomPerHa: 2,
    seed,
  });
  total += recs.length;
  rmSync(w.tifPath);
  process.stdout.write(`scene ${seed}: ${hard.length} false-positive components, ${recs.length} chips (total ${total})\n`);
}
rmSync(work, { recursive: true, force: true });
