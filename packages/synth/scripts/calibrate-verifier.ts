/**
 * Chooses the two thresholds of a two-stage model on calibration seeds (8000+, apart from training and
 * the reported eval seeds 9000+), through the full scan pipeline: for each first-stage seed threshold it
 * scans every scene once with the verifier keeping everything, then sweeps the verifier's threshold and
 * prints recall (plots ≥ 4 m²), precision and false positives per km².
 *   npx tsx packages/synth/scripts/calibrate-verifier.ts <modelDir> [scenes=20] [--write-card]
 * With --write-card: the setting with the fewest false positives among those keeping recall (plots ≥ 4 m²)
 * at or above CAL_RECALL (default 0.95, the target), ties to the higher verifier threshold.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanImages } from '@tiandi/tiles/node';
import { evalSceneOptions } from '../src/eval/evaluate-model';
import { writeScene } from '../src/write-scene';
import { plotMetrics, type SceneEval } from '../src/metrics/plot-metrics';
import { polygonsIntersect } from '../src/metrics/polygons-intersect';

type Ring = Array<[number, number]>;
const dir = process.argv[2];
const n = Number(process.argv[3] ?? 20);
const cardPath = join(dir, 'model.json');
const card = JSON.parse(readFileSync(cardPath, 'utf8'));
if (!card.verifier) throw new Error(`${cardPath} has no verifier block`);
const work = mkdtempSync(join(tmpdir(), 'tiandi-calv-'));
// A copy of the model whose verifier keeps every candidate (threshold 0) but still scores it.
const open = join(work, 'model');
cpSync(dir, open, { recursive: true });
// Growth threshold as a share of the seed threshold: 0.8 keeps candidates from merging into whole brassica
// or garlic fields (at 0.5 they grew to thousands of m², more than the verifier's windows could cover).
const lowRatio = Number(process.env.CAL_LOW_RATIO ?? 0.8);
writeFileSync(join(open, 'model.json'), JSON.stringify({ ...card, thresholds: { ...card.thresholds, high: 0.5, low: 0.5 * lowRatio }, verifier: { ...card.verifier, threshold: 0 } }));
const HIGHS = (process.env.CAL_HIGHS ?? "0.15,0.2,0.3").split(",").map(Number);
type Cand = { rings: Ring[][]; sv: number };
const runs: Array<{ plots: SceneEval['plots']; areaKm2: number; byHigh: Map<number, Cand[]> }> = [];
for (let i = 0; i < n; i++) {
  const so = evalSceneOptions(8000 + i);
  const w = await writeScene(so, work);
  const byHigh = new Map<number, Cand[]>();
  for (const high of HIGHS) {
    const out = join(work, `scan-${i}-${high}`);
    await scanImages({ images: [w.tifPath], modelDir: open, outDir: out, workers: 1, threshold: high });
    const fc = JSON.parse(readFileSync(join(out, 'candidates.geojson'), 'utf8')) as { features: Array<{ properties: { score_verify: number }; geometry: { type: string; coordinates: unknown } }> };
    byHigh.set(high, fc.features.map((f) => ({
      rings: f.geometry.type === 'Polygon' ? [f.geometry.coordinates as Ring[]] : (f.geometry.coordinates as Ring[][]),
      sv: f.properties.score_verify,
    })));
    rmSync(out, { recursive: true, force: true });
  }
  rmSync(w.tifPath);
  // Truth in WGS 84, like the candidates (the layout's own rings are in scene metres).
  const plots = w.scene.truth.features.filter((f) => f.properties.class === 'poppy').map((f) => {
    const p = f.properties as { id: string; area_m2: number; stage: string; setting: string };
    return { id: p.id, rings: f.geometry.coordinates as Ring[], areaM2: p.area_m2, stage: p.stage, setting: p.setting, gsdM: so.gsdM, seed: so.seed };
  });
  runs.push({ areaKm2: w.scene.truth.scene.area_km2, byHigh, plots });
  process.stderr.write(`scene ${i + 1}/${n}\n`);
}
rmSync(work, { recursive: true, force: true });
// Plots ≥ 4 m² the first stage finds but the verifier would drop (at 0.5), to see what it misses.
for (const r of runs) for (const p of r.plots) {
  const hits = r.byHigh.get(HIGHS[0])!.filter((c) => c.rings.some((rr) => polygonsIntersect(rr, p.rings)));
  const best = Math.max(0, ...hits.map((c) => c.sv));
  if (p.areaM2 >= 4 && best < 0.5) console.error(`  scene ${(p as { seed?: number }).seed} ${hits.length ? 'verifier drops' : 'first stage misses'} (${hits.length} candidates touch it) plot ${p.id} ${p.areaM2} m² ${(p as { stage?: string }).stage} ${(p as { setting?: string }).setting} at ${(p as { gsdM?: number }).gsdM} m: best window ${best.toFixed(3)}`);
}
console.log('high\tverify\trecall≥4\trecall\tprec\tFP/km²\tFP');
const rows: Array<{ high: number; t: number; rec: number; fp: number }> = [];
for (const high of HIGHS) for (const t of [0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99]) {
  const scenes: SceneEval[] = runs.map((r) => ({ plots: r.plots, areaKm2: r.areaKm2,
    candidates: r.byHigh.get(high)!.filter((c) => c.sv >= t).map((c) => ({ rings: c.rings, score: c.sv })) }));
  const m = plotMetrics(scenes);
  rows.push({ high, t, rec: m.recallGe4m2 ?? 0, fp: m.fpPerKm2 });
  console.log([high, t, m.recallGe4m2?.toFixed(3), m.recall?.toFixed(3), m.precision?.toFixed(3), m.fpPerKm2.toFixed(1), m.fpCandidates].join('\t'));
}
if (process.argv.includes('--write-card')) {
  const minRecall = Number(process.env.CAL_RECALL ?? 0.95);
  const ok = rows.filter((r) => r.rec >= minRecall).sort((a, b) => a.fp - b.fp || b.t - a.t || b.high - a.high);
  const best = ok[0] ?? rows.sort((a, b) => b.rec - a.rec || a.fp - b.fp)[0];
  card.thresholds = { ...card.thresholds, low: Math.round(best.high * lowRatio * 1000) / 1000, high: best.high };
  card.verifier = { ...card.verifier, threshold: best.t };
  writeFileSync(cardPath, JSON.stringify(card, null, 2) + '\n');
  console.log(`written to ${cardPath}: thresholds`, card.thresholds, 'verifier', card.verifier, `(recall ≥4 m² ${best.rec.toFixed(3)}, FP/km² ${best.fp.toFixed(1)} on calibration seeds 8000-${8000 + n - 1})`);
}
