/**
 * Chooses the two thresholds of a two-stage model on calibration seeds (8000+, apart from training and
 * the reported eval seeds 9000+), through the full scan pipeline: for each first-stage seed threshold it
 * scans every scene once with the verifier keeping everything, then sweeps the verifier's threshold and
 * prints recall (plots ≥ 4 m²), precision and false positives per km².
 *   npx tsx packages/synth/scripts/calibrate-verifier.ts <modelDir> [scenes=20] [--write-card]
 * Env: CAL_HIGHS (first-stage seed thresholds to try), CAL_MAX_WINDOWS (caps on the verifier's windows per
 * candidate to try, default the card's), CAL_LOW_RATIO, CAL_RECALL.
 * With --write-card: among the settings keeping recall (plots ≥ 4 m²) at CAL_RECALL (default 0.95, the issue's
 * target), the fewest false positives, then the highest recall, then the fewest verifier windows per km² (what
 * the second stage costs), then the higher verifier threshold.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
const n = Number(process.argv[3] ?? 20);
const cardPath = join(dir, 'model.json');
const card = JSON.parse(readFileSync(cardPath, 'utf8'));
if (!card.verifier) throw new Error(`${cardPath} has no verifier block`);
const work = mkdtempSync(join(tmpdir(), 'tiandi-calv-'));
/** Caps on windows per candidate to try (the card's max_windows); each candidate's windows come strongest first. */
const MAXW = (process.env.CAL_MAX_WINDOWS ?? String(card.verifier.max_windows)).split(',').map(Number);
// A copy of the model whose verifier keeps every candidate (threshold 0) but still scores it.
const open = join(work, 'model');
cpSync(dir, open, { recursive: true });
// Growth threshold as a share of the seed threshold: 0.8 keeps candidates from merging into whole brassica
// or garlic fields (at 0.5 they grew to thousands of m², more than the verifier's windows could cover).
const lowRatio = Number(process.env.CAL_LOW_RATIO ?? 0.8);
writeFileSync(
  join(open, 'model.json'),
  JSON.stringify({
    ...card,
    thresholds: { ...card.thresholds, high: 0.5, low: 0.5 * lowRatio },
    verifier: { ...card.verifier, threshold: 0, max_windows: Math.max(...MAXW) },
  }),
);
const HIGHS = (process.env.CAL_HIGHS ?? '0.15,0.2,0.3').split(',').map(Number);
/** `sv[k]`: the best verifier score among the first MAXW[k] windows; `windows[k]`: how many that is. */
type Cand = { rings: Ring[][]; sv: number[]; windows: number[] };
const runs: Array<{ plots: CalibrationPlot[]; areaKm2: number; byHigh: Map<number, Cand[]> }> = [];
for (let i = 0; i < n; i++) {
  const so = evalSceneOptions(8000 + i);
  const w = await writeScene(so, work);
  const byHigh = new Map<number, Cand[]>();
  for (const high of HIGHS) {
    const out = join(work, `scan-${i}-${high}`);
    const seen = new Map<string, number[]>();
    await scanImages({
      images: [w.tifPath],
      modelDir: open,
      outDir: out,
      workers: 1,
      threshold: high,
      onVerifierWindow: (v) => seen.set(v.candidateId, [...(seen.get(v.candidateId) ?? []), v.score ?? 0]),
    });
    const fc = JSON.parse(readFileSync(join(out, 'candidates.geojson'), 'utf8')) as {
      features: Array<{ properties: { id: string; score_verify: number }; geometry: { type: string; coordinates: unknown } }>;
    };
    byHigh.set(
      high,
      fc.features.map((f) => {
        const ws = seen.get(f.properties.id) ?? [];
        return {
          rings: polygonRings(f.geometry),
          sv: MAXW.map((m) => Math.max(0, ...ws.slice(0, m))),
          windows: MAXW.map((m) => Math.min(m, ws.length)),
        };
      }),
    );
    rmSync(out, { recursive: true, force: true });
  }
  rmSync(w.tifPath);
  runs.push({ areaKm2: w.scene.truth.scene.area_km2, byHigh, plots: truthPlots(w.scene, so) });
  process.stderr.write(`scene ${i + 1}/${n}\n`);
}
rmSync(work, { recursive: true, force: true });
// Plots ≥ 4 m² the first stage finds but the verifier would drop (at 0.5), to see what it misses.
for (const r of runs)
  for (const p of r.plots) {
    const hits = r.byHigh.get(HIGHS[0])!.filter((c) => c.rings.some((rr) => outlinesTouch(rr, p.rings)));
    const best = Math.max(0, ...hits.map((c) => c.sv[c.sv.length - 1]));
    if (p.areaM2 >= 4 && best < 0.5)
      console.error(
        `  scene ${p.seed} ${hits.length ? 'verifier drops' : 'first stage misses'} (${hits.length} candidates touch it) plot ${p.id} ${p.areaM2} m² ${p.stage} ${p.setting} at ${p.gsdM} m: best window ${best.toFixed(3)}`,
      );
  }
const km2 = runs.reduce((a, r) => a + r.areaKm2, 0);
console.log('high\twindows\tverify\trecall≥4\trecall\tprec\tFP/km²\tFP\tstage-1 cand/km²\twindows/km²');
const rows: Array<{ high: number; maxWindows: number; t: number; rec: number; recAll: number; fp: number; windowsPerKm2: number }> = [];
for (const high of HIGHS)
  for (const [k, maxWindows] of MAXW.entries()) {
    const all = runs.flatMap((r) => r.byHigh.get(high)!);
    const windowsPerKm2 = all.reduce((a, c) => a + c.windows[k], 0) / km2;
    for (const t of [0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99]) {
      const scenes: SceneEval[] = runs.map((r) => ({
        plots: r.plots,
        areaKm2: r.areaKm2,
        candidates: r.byHigh
          .get(high)!
          .filter((c) => c.sv[k] >= t)
          .map((c) => ({ rings: c.rings, score: c.sv[k] })),
      }));
      const m = plotMetrics(scenes);
      rows.push({ high, maxWindows, t, rec: m.recallGe4m2 ?? 0, recAll: m.recall ?? 0, fp: m.fpPerKm2, windowsPerKm2 });
      console.log(
        [
          high,
          maxWindows,
          t,
          m.recallGe4m2?.toFixed(3),
          m.recall?.toFixed(3),
          m.precision?.toFixed(3),
          m.fpPerKm2.toFixed(1),
          m.fpCandidates,
          (all.length / km2).toFixed(0),
          windowsPerKm2.toFixed(0),
        ].join('\t'),
      );
    }
  }
if (process.argv.includes('--write-card')) {
  // Among settings keeping recall (plots ≥ 4 m²) at CAL_RECALL: the fewest false positives, then the highest
  // recall of plots ≥ 4 m², then of all plots (small plots count too: a threshold that drops them for no
  // fewer false positives is not better), then the fewest verifier windows per km² (what the second stage
  // costs), then the higher threshold.
  const minRecall = Number(process.env.CAL_RECALL ?? 0.95);
  const keep = rows
    .filter((r) => r.rec >= minRecall)
    .sort((a, b) => a.fp - b.fp || b.rec - a.rec || b.recAll - a.recAll || a.windowsPerKm2 - b.windowsPerKm2 || b.t - a.t);
  const best = keep[0] ?? rows.sort((a, b) => b.rec - a.rec || a.fp - b.fp)[0];
  card.thresholds = { ...card.thresholds, low: Math.round(best.high * lowRatio * 1000) / 1000, high: best.high };
  card.verifier = { ...card.verifier, threshold: best.t, max_windows: best.maxWindows };
  writeFileSync(cardPath, JSON.stringify(card, null, 2) + '\n');
  console.log(
    `written to ${cardPath}: thresholds`,
    card.thresholds,
    'verifier',
    card.verifier,
    `(recall ≥4 m² ${best.rec.toFixed(3)}, FP/km² ${best.fp.toFixed(1)}, ${best.windowsPerKm2.toFixed(0)} windows/km² on calibration seeds 8000-${8000 + n - 1})`,
  );
}
