import { outlinesTouch } from '@tiandi/geo';

/** A polygon as rings of [x, y] (outer ring first). */
export type Rings = Array<Array<[number, number]>>;

/** A true poppy plot for evaluation. */
export interface EvalPlot {
  id: string;
  rings: Rings;
  areaM2: number;
  stage: string;
}

/** A candidate plot from a scan. */
export interface EvalCandidate {
  rings: Rings[];
  score: number;
  /** Its land, m² (candidates.geojson's area_m2): what a team sent there searches. */
  areaM2?: number;
}

/** Recall of one group of plots. */
export interface RecallGroup {
  plots: number;
  found: number;
  recall: number | null;
}

/** Plot-level metrics of a set of scenes. */
export interface PlotMetrics {
  plots: number;
  plotsFound: number;
  candidates: number;
  candidatesTrue: number;
  recall: number | null;
  /** Recall over plots of at least 4 m² (the target's population). */
  recallGe4m2: number | null;
  precision: number | null;
  f1: number | null;
  fpCandidates: number;
  areaKm2: number;
  fpPerKm2: number;
  bySize: { lt5m2: RecallGroup; m2_5to20: RecallGroup; gt20m2: RecallGroup };
  byStage: Record<string, RecallGroup>;
  /** Land inside candidates, m² (candidates of one scene do not overlap), its share of `areaKm2`, and the mean and largest candidate's. */
  candidateLand: { m2: number; share: number; meanM2: number; largestM2: number };
}

/** One scene's plots and candidates, with the surveyed area. */
export interface SceneEval {
  plots: EvalPlot[];
  candidates: EvalCandidate[];
  areaKm2: number;
}

const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);
const group = (plots: EvalPlot[], found: Set<EvalPlot>): RecallGroup => {
  const f = plots.filter((p) => found.has(p)).length;
  return { plots: plots.length, found: f, recall: ratio(f, plots.length) };
};

/**
 * Plot-level metrics as the issue defines them: a true plot is found when a candidate intersects it;
 * a candidate is true when it intersects a true plot; false-positive candidates per km² of imagery.
 * Candidates are matched only within their own scene.
 */
export function plotMetrics(scenes: SceneEval[]): PlotMetrics {
  const found = new Set<EvalPlot>();
  let candidates = 0,
    candidatesTrue = 0,
    areaKm2 = 0;
  const all: EvalPlot[] = [];
  for (const s of scenes) {
    areaKm2 += s.areaKm2;
    all.push(...s.plots);
    for (const c of s.candidates) {
      candidates++;
      let hit = false;
      for (const p of s.plots) {
        if (c.rings.some((r) => outlinesTouch(r, p.rings))) {
          found.add(p);
          hit = true;
        }
      }
      if (hit) candidatesTrue++;
    }
  }
  const areas = scenes.flatMap((s) => s.candidates.map((c) => c.areaM2 ?? 0));
  const landM2 = areas.reduce((t, a) => t + a, 0);
  const recall = ratio(found.size, all.length);
  const precision = ratio(candidatesTrue, candidates);
  const f1 = recall !== null && precision !== null && recall + precision > 0 ? (2 * recall * precision) / (recall + precision) : null;
  const stages = [...new Set(all.map((p) => p.stage))].sort();
  const ge4 = all.filter((p) => p.areaM2 >= 4);
  return {
    plots: all.length,
    plotsFound: found.size,
    candidates,
    candidatesTrue,
    recall,
    recallGe4m2: ratio(ge4.filter((p) => found.has(p)).length, ge4.length),
    precision,
    f1,
    fpCandidates: candidates - candidatesTrue,
    areaKm2,
    fpPerKm2: areaKm2 > 0 ? (candidates - candidatesTrue) / areaKm2 : 0,
    bySize: {
      lt5m2: group(
        all.filter((p) => p.areaM2 < 5),
        found,
      ),
      m2_5to20: group(
        all.filter((p) => p.areaM2 >= 5 && p.areaM2 <= 20),
        found,
      ),
      gt20m2: group(
        all.filter((p) => p.areaM2 > 20),
        found,
      ),
    },
    candidateLand: {
      m2: landM2,
      share: areaKm2 > 0 ? landM2 / (areaKm2 * 1e6) : 0,
      meanM2: areas.length ? landM2 / areas.length : 0,
      largestM2: areas.length ? Math.max(...areas) : 0,
    },
    byStage: Object.fromEntries(
      stages.map((s) => [
        s,
        group(
          all.filter((p) => p.stage === s),
          found,
        ),
      ]),
    ),
  };
}
