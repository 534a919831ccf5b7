/**
 * What each pair of second-stage thresholds would give on a folder of labelled imagery (<name>.tif beside
 * <name>.truth.geojson, as test/foreign-scenes writes them): one scan with both thresholds opened, then recall of
 * plots ≥ 4 m², precision and false candidates per km² for every (prefilter, verifier) pair, and the recall by
 * colour and stage at the card's own pair. For choosing between trained models on a world they never saw (model
 * selection): thresholds themselves are chosen on calibration data (calibrate-real.ts), never here.
 * `--dump <file.json>` also writes every first-stage candidate (image, scores, area, the plots it touches) and every
 * plot (image, area, the scores of the candidates touching it), for questions the table does not answer (e.g. a
 * threshold per GSD).
 *   npx tsx packages/synth/scripts/sweep-labelled.ts <modelDir> <folder> [--dump <file.json>]
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { outlinesTouch } from '@tiandi/geo';
import { scanImages } from '@tiandi/tiles/node';
import { polygonRings } from '../src/eval/calibration-plots';
import { readTruthFile, type TruthPlot } from '../src/eval/truth-eval';
import { narrowNote, openedModelCopy } from '../src/eval/opened-model';

const args = process.argv.slice(2);
const dumpAt = args.indexOf('--dump');
const dumpPath = dumpAt >= 0 ? args.splice(dumpAt, 2)[1] : undefined;
const [dir, folder] = args;
if (!folder) throw new Error('usage: sweep-labelled.ts <modelDir> <folder> [--dump <file.json>]');
const card = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
const work = mkdtempSync(join(tmpdir(), 'tiandi-sweep-'));
const open = openedModelCopy(dir, card, work);
const note = narrowNote(card);
if (note) process.stderr.write(`${note}\n`);
const pre = card.verifier.prefilter;

const images = readdirSync(folder)
  .filter((f) => f.endsWith('.tif'))
  .sort()
  .map((f) => join(folder, f));
const out = join(work, 'scan');
await scanImages({ images, modelDir: open, outDir: out, workers: 1 });
type Props = { image: string; score_prefilter?: number; score_verify?: number; area_m2?: number };
const cands = (
  JSON.parse(readFileSync(join(out, 'candidates.geojson'), 'utf8')).features as Array<{ properties: Props; geometry: { type: string; coordinates: unknown } }>
).map((f) => ({
  image: basename(f.properties.image),
  rings: polygonRings(f.geometry),
  sp: f.properties.score_prefilter ?? 1,
  sv: f.properties.score_verify ?? 0,
  areaM2: f.properties.area_m2,
}));
const areaKm2 = (
  JSON.parse(readFileSync(join(out, 'footprint.geojson'), 'utf8')).features as Array<{ properties: { area_km2: number; poor_quality_km2?: number } }>
).reduce((a, f) => a + f.properties.area_km2 + (f.properties.poor_quality_km2 ?? 0), 0);
rmSync(work, { recursive: true, force: true });

// An image without a truth file holds no plot (write-eval-scenes.ts leaves it out): its candidates are all false.
const plots: Array<TruthPlot & { image: string }> = images.flatMap((im) => {
  const truth = im.replace(/\.tif$/, '.truth.geojson');
  return existsSync(truth) ? readTruthFile(truth).map((p) => ({ ...p, image: basename(im) })) : [];
});
const touches = (c: (typeof cands)[number], p: (typeof plots)[number]) => c.image === p.image && c.rings.some((r) => outlinesTouch(r, p.rings));
// For each plot, the best (prefilter, verifier) scores among the candidates touching it; for each candidate, whether it is true.
const plotScores = plots.map((p) => cands.filter((c) => touches(c, p)).map((c) => [c.sp, c.sv] as const));
const candTrue = cands.map((c) => plots.some((p) => touches(c, p)));
const big = plots.map((p) => p.areaM2 >= 4);
if (dumpPath)
  writeFileSync(
    dumpPath,
    JSON.stringify({
      areaKm2,
      candidates: cands.map((c, i) => ({
        image: c.image,
        sp: c.sp,
        sv: c.sv,
        areaM2: c.areaM2,
        true: candTrue[i],
        plots: plots.filter((p) => touches(c, p)).map((p) => p.id),
      })),
      plots: plots.map((p, i) => ({ image: p.image, id: p.id, areaM2: p.areaM2, stage: p.stage, scores: plotScores[i] })),
    }),
  );

function at(tp: number, tv: number) {
  const found = plotScores.map((s) => s.some(([sp, sv]) => sp >= tp && sv >= tv));
  const kept = cands.map((c) => c.sp >= tp && c.sv >= tv);
  const nKept = kept.filter(Boolean).length,
    nFalse = kept.filter((k, i) => k && !candTrue[i]).length;
  const nBig = big.filter(Boolean).length,
    foundBig = found.filter((f, i) => f && big[i]).length;
  return { found, recall4: foundBig / nBig, precision: nKept ? (nKept - nFalse) / nKept : 1, falsePerKm2: nFalse / areaKm2, nFalse, foundBig, nBig };
}

console.log(
  `${images.length} images, ${plots.length} plots (${big.filter(Boolean).length} ≥ 4 m²), ${areaKm2.toFixed(4)} km², ${cands.length} first-stage candidates`,
);
console.log('prefilter\tverifier\trecall≥4\tprecision\tfalse/km²');
const first = at(0, 0);
console.log(`first stage only\t\t${first.recall4.toFixed(3)}\t${first.precision.toFixed(3)}\t${first.falsePerKm2.toFixed(0)}`);
for (const tp of pre ? [0, 0.05, 0.1, 0.2, 0.3, 0.5] : [0])
  for (const tv of [0.5, 0.7, 0.8, 0.9, 0.95, 0.98]) {
    const r = at(tp, tv);
    console.log(`${tp}\t${tv}\t${r.recall4.toFixed(3)} (${r.foundBig}/${r.nBig})\t${r.precision.toFixed(3)}\t${r.falsePerKm2.toFixed(1)} (${r.nFalse})`);
  }
const mine = at(pre?.threshold ?? 0, card.verifier.threshold);
const by = (key: (p: TruthPlot) => string) => {
  const g: Record<string, [number, number]> = {};
  plots.forEach((p, i) => {
    const k = key(p);
    g[k] ??= [0, 0];
    g[k][0] += mine.found[i] ? 1 : 0;
    g[k][1]++;
  });
  return Object.entries(g)
    .map(([k, [f, n]]) => `${k} ${f}/${n}`)
    .join(', ');
};
console.log(
  `at the card's thresholds (prefilter ${pre?.threshold}, verifier ${card.verifier.threshold}): recall ≥4 m² ${mine.recall4.toFixed(3)}, precision ${mine.precision.toFixed(3)}`,
);
console.log(`  by colour: ${by((p) => String(p.properties.colour ?? 'none'))}`);
console.log(`  by stage: ${by((p) => p.stage)}`);
