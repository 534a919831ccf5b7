/**
 * Chooses the card's thresholds on calibration seeds (8000+, apart from training 1000–1139 and the
 * reported eval seeds 9000+): runs the bare model once per scene, then sweeps high / low / min area
 * and prints recall (≥ 4 m²), precision and false positives per km² for each setting.
 *   npx tsx packages/synth/scripts/calibrate-thresholds.ts [modelDir] [scenes] [sizeM] [--write-card]
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBareModel, runBareModel } from '../src/eval/bare-model';
import { evalSceneOptions } from '../src/eval/evaluate-model';
import { heatComponents } from '../src/eval/heat-components';
import { readResampled } from '../src/chips/read-resampled';
import { writeScene } from '../src/write-scene';
import { plotMetrics, type SceneEval } from '../src/metrics/plot-metrics';
import type { SceneXY } from '../src/scene-types';

const dir = process.argv[2] ?? join(import.meta.dirname, '../../../models/poppy-synth');
const n = Number(process.argv[3] ?? 10),
  sizeM = Number(process.argv[4] ?? 150);
const model = await loadBareModel(dir);
const work = mkdtempSync(join(tmpdir(), 'tiandi-cal-'));
const runs: Array<{ heat: Float32Array; hw: number; hh: number; cellM: number; plots: SceneEval['plots']; areaKm2: number }> = [];
for (let i = 0; i < n; i++) {
  const so = evalSceneOptions(8000 + i, sizeM);
  const w = await writeScene(so, work);
  const img = await readResampled(w.tifPath, model.card.gsd_m);
  rmSync(w.tifPath);
  const r = await runBareModel(model, img.rgb, img.width, img.height);
  runs.push({
    heat: r.heat,
    hw: r.hw,
    hh: r.hh,
    cellM: r.stride * so.gsdM * img.factor,
    areaKm2: w.scene.truth.scene.area_km2,
    plots: w.scene.layout.plots.map((p) => ({ id: p.id, rings: [p.ring], areaM2: p.areaM2, stage: p.stage })),
  });
  process.stderr.write(`scene ${i + 1}/${n}\n`);
}
rmSync(work, { recursive: true, force: true });
console.log('high\tlow\tminM2\trecall≥4\trecall\tprec\tFP/km²\tFP');
const rows: Array<{ high: number; low: number; minA: number; rec: number; fp: number }> = [];
for (const high of [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95])
  for (const lowR of [0.5, 0.75])
    for (const minA of [0.5, 1, 2]) {
      const low = Math.round(high * lowR * 100) / 100;
      const scenes: SceneEval[] = runs.map((r) => {
        const comps = heatComponents(r.heat, r.hw, r.hh, low, high, Math.max(1, Math.ceil(minA / (r.cellM * r.cellM))));
        const sq = (c: number): SceneXY[] => {
          const x = (c % r.hw) * r.cellM,
            y = Math.floor(c / r.hw) * r.cellM;
          return [
            [x, y],
            [x + r.cellM, y],
            [x + r.cellM, y + r.cellM],
            [x, y + r.cellM],
            [x, y],
          ];
        };
        return { plots: r.plots, areaKm2: r.areaKm2, candidates: comps.map((c) => ({ rings: c.cells.map((k) => [sq(k)]), score: c.maxScore })) };
      });
      const m = plotMetrics(scenes);
      rows.push({ high, low, minA, rec: m.recallGe4m2 ?? 0, fp: m.fpPerKm2 });
      console.log(
        [high, low, minA, m.recallGe4m2?.toFixed(3), m.recall?.toFixed(3), m.precision?.toFixed(3), m.fpPerKm2.toFixed(1), m.fpCandidates].join('\t'),
      );
    }

// With --write-card: the setting with the fewest false positives among those keeping recall (plots ≥ 4 m²)
// at or above 0.97 on the calibration seeds (a margin over the 0.95 target), written into model.json.
if (process.argv.includes('--write-card')) {
  const ok = rows.filter((r) => r.rec >= 0.97).sort((a, b) => a.fp - b.fp || b.high - a.high);
  const best = ok[0] ?? rows.sort((a, b) => b.rec - a.rec || a.fp - b.fp)[0];
  const cardPath = join(dir, 'model.json');
  const card = JSON.parse(readFileSync(cardPath, 'utf8'));
  card.thresholds = { high: best.high, low: best.low, min_area_m2: best.minA };
  writeFileSync(cardPath, JSON.stringify(card, null, 2) + '\n');
  console.log(
    `thresholds written to ${cardPath}:`,
    card.thresholds,
    `(recall ≥4 m² ${best.rec.toFixed(3)}, FP/km² ${best.fp.toFixed(1)} on calibration seeds 8000-${8000 + n - 1})`,
  );
}
