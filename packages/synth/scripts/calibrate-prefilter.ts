/**
 * Chooses the threshold of a verifier's prefilter (card `verifier.prefilter`) on calibration seeds (8000+,
 * apart from training and the eval seeds 9000+), through the full scan pipeline, with the first stage's and
 * the verifier's thresholds as the card has them: each scene is scanned once with both the prefilter and the
 * verifier keeping everything (threshold 0) but scoring every candidate; then the prefilter's threshold is
 * swept, a candidate surviving when it passes both. Prints recall (plots ≥ 4 m² and all), false positives per
 * km² and the candidates per km² that still reach the verifier (what its full-resolution windows cost).
 *   npx tsx packages/synth/scripts/calibrate-prefilter.ts <modelDir> [scenes=30] [--write-card]
 * With --write-card: among thresholds that keep recall of plots ≥ 4 m² and the false positives as they are
 * without the prefilter and lose at most CAL_LOSS_BUDGET (default 0.01) of all plots found, the cheapest
 * within 10 %, then the most lenient.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { narrowNote, openedModelCopy } from '../src/eval/opened-model';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanImages } from '@tiandi/tiles/node';
import { evalSceneOptions } from '../src/eval/evaluate-model';
import { writeScene } from '../src/write-scene';
import { plotMetrics, type SceneEval } from '../src/metrics/plot-metrics';
import { outlinesTouch } from '@tiandi/geo';
import { polygonRings, truthPlots, type CalibrationPlot } from '../src/eval/calibration-plots';

type Ring = Array<[number, number]>;
const dir = process.argv[2];
const n = Number(process.argv[3] ?? 30);
const cardPath = join(dir, 'model.json');
const card = JSON.parse(readFileSync(cardPath, 'utf8'));
if (!card.verifier?.prefilter) throw new Error(`${cardPath} has no verifier.prefilter block`);
const work = mkdtempSync(join(tmpdir(), 'tiandi-calp-'));
const open = openedModelCopy(dir, card, work);
const note = narrowNote(card);
if (note) process.stderr.write(`${note}\n`);
type Cand = { rings: Ring[][]; sp: number; sv: number; sm: number; area: number };
const runs: Array<{ plots: CalibrationPlot[]; areaKm2: number; cands: Cand[] }> = [];
for (let i = 0; i < n; i++) {
  const so = evalSceneOptions(8000 + i);
  const w = await writeScene(so, work);
  const out = join(work, `scan-${i}`);
  await scanImages({ images: [w.tifPath], modelDir: open, outDir: out, workers: 1 });
  const fc = JSON.parse(readFileSync(join(out, 'candidates.geojson'), 'utf8')) as {
    features: Array<{
      properties: { score_verify: number; score_prefilter: number; score_max: number; area_m2: number };
      geometry: { type: string; coordinates: unknown };
    }>;
  };
  const cands = fc.features.map((f) => ({
    rings: polygonRings(f.geometry),
    sp: f.properties.score_prefilter,
    sv: f.properties.score_verify,
    sm: f.properties.score_max,
    area: f.properties.area_m2,
  }));
  rmSync(out, { recursive: true, force: true });
  rmSync(w.tifPath);
  runs.push({ areaKm2: w.scene.truth.scene.area_km2, cands, plots: truthPlots(w.scene, so) });
  process.stderr.write(`scene ${i + 1}/${n}: ${cands.length} first-stage candidates\n`);
}
rmSync(work, { recursive: true, force: true });
// The plots the verifier confirms, weakest prefilter score first: what a higher prefilter threshold would lose.
const held = runs
  .flatMap((r) =>
    r.plots.map((p) => {
      const hits = r.cands.filter((c) => c.sv >= card.verifier.threshold && c.rings.some((rr) => outlinesTouch(rr, p.rings)));
      return {
        p,
        sp: hits.length ? Math.max(...hits.map((c) => c.sp)) : -1,
        sm: Math.max(0, ...hits.map((c) => c.sm)),
        area: Math.max(0, ...hits.map((c) => c.area)),
      };
    }),
  )
  .filter((x) => x.sp >= 0)
  .sort((a, b) => a.sp - b.sp);
console.log('weakest prefilter scores of plots the verifier confirms:');
for (const { p, sp, sm, area } of held.slice(0, 8))
  console.log(
    `  ${sp.toFixed(3)} (first stage ${sm.toFixed(3)}, candidate ${area} m²)  scene ${p.seed} plot ${p.id} ${p.areaM2} m² ${p.stage} ${p.setting} at ${p.gsdM} m`,
  );
const km2 = runs.reduce((a, r) => a + r.areaKm2, 0);
const tv = card.verifier.threshold;
/** Share of all plots found (any size) the prefilter may lose: a cheaper look costs some of the smallest plots. */
const LOSS_BUDGET = Number(process.env.CAL_LOSS_BUDGET ?? 0.01);
console.log(
  `first stage ${card.thresholds.high}; verifier ${card.verifier.model} ≥ ${tv}; ${n} scenes, ${km2.toFixed(3)} km², ${(runs.reduce((a, r) => a + r.cands.length, 0) / km2).toFixed(0)} first-stage candidates/km²`,
);
console.log('prefilter\trecall≥4\trecall\tprec\tFP/km²\tFP\tto verifier/km²');
const rows: Array<{ t: number; rec: number; recAll: number; fp: number; toVerifier: number }> = [];
const TS = [0, 0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98];
for (const t of TS) {
  const scenes: SceneEval[] = runs.map((r) => ({
    plots: r.plots,
    areaKm2: r.areaKm2,
    candidates: r.cands.filter((c) => c.sp >= t && c.sv >= tv).map((c) => ({ rings: c.rings, score: c.sv })),
  }));
  const m = plotMetrics(scenes);
  const toVerifier = runs.reduce((a, r) => a + r.cands.filter((c) => c.sp >= t).length, 0) / km2;
  rows.push({ t, rec: m.recallGe4m2 ?? 0, recAll: m.recall ?? 0, fp: m.fpPerKm2, toVerifier });
  console.log(
    [t, m.recallGe4m2?.toFixed(3), m.recall?.toFixed(3), m.precision?.toFixed(3), m.fpPerKm2.toFixed(1), m.fpCandidates, toVerifier.toFixed(0)].join('\t'),
  );
}
if (process.argv.includes('--write-card')) {
  // Allowed: recall of plots ≥ 4 m² (what the targets are set on) and the false positives as without a prefilter,
  // and at most LOSS_BUDGET of all the plots found lost. Among those: the cheapest (fewest candidates reaching the
  // verifier) within 10 %, then the most lenient threshold, so the cut does not sit at the edge of a plot's score.
  const base = rows[0];
  const ok = rows.filter((r) => r.rec >= base.rec && r.fp <= base.fp && base.recAll - r.recAll <= LOSS_BUDGET + 1e-9);
  const cheapest = Math.min(...ok.map((r) => r.toVerifier));
  const best = ok.filter((r) => r.toVerifier <= cheapest * 1.1).sort((a, b) => a.t - b.t)[0];
  card.verifier.prefilter = { ...card.verifier.prefilter, threshold: best.t };
  writeFileSync(cardPath, JSON.stringify(card, null, 2) + '\n');
  console.log(
    `written to ${cardPath}: prefilter threshold ${best.t} (recall ≥4 m² ${best.rec.toFixed(3)}, all ${best.recAll.toFixed(3)} against ${base.recAll.toFixed(3)} without it, FP/km² ${best.fp.toFixed(1)}, ${best.toVerifier.toFixed(0)} of ${base.toVerifier.toFixed(0)} candidates/km² reach the verifier, calibration seeds 8000-${8000 + n - 1})`,
  );
}
