import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPrng } from '../prng';
import { writeScene } from '../write-scene';
import { readResampled } from '../chips/read-resampled';
import { rasterizeCoverage } from '../chips/rasterize-coverage';
import { plotMetrics, type EvalCandidate, type PlotMetrics, type SceneEval } from '../metrics/plot-metrics';
import { rocAuc, thresholdAtRecall } from '../metrics/roc-auc';
import { throwIfAborted } from '../errors';
import { loadBareModel, runBareModel, type BareCard } from './bare-model';
import { scanWithTiles } from './scan-with-tiles';
import { heatComponents } from './heat-components';
import type { SceneXY } from '../scene-types';

/** The held-out scene of an eval seed: GSD 3–8 cm (or `gsdM` when given), one of several CRSs, about `sizeM` metres square. */
export function evalSceneOptions(seed: number, sizeM = 150, gsdGiven?: number, variety?: 'classic' | 'wide') {
  const r = createPrng(seed * 13 + 5);
  const drawn = Math.round(r.range(0.03, 0.08) * 1000) / 1000;
  const gsdM = gsdGiven ?? drawn;
  const crs = r.pick(['EPSG:4522', 'EPSG:32648', 'EPSG:4326', 'EPSG:3857', 'EPSG:4545', 'EPSG:4490']);
  return { seed, gsdM, crs, widthPx: Math.round(sizeM / gsdM), ...(variety === 'wide' ? { variety } : {}) };
}

/** The full evaluation report (what `tiandi eval` prints and writes into the card). */
export interface EvalReport {
  model: { name: string; version: string; dir: string };
  seeds: string;
  scenes: number;
  /** The scenes' world: `classic` (this renderer as trained on) or `wide` (domain-randomised). */
  variety: 'classic' | 'wide';
  thresholds: { high: number; low: number; min_area_m2: number };
  /** The second stage the scan ran (engine scan and a card with a verifier), else null. */
  verifier: { model: string; threshold: number; max_windows: number; prefilter?: { model: string; threshold: number; max_windows: number } } | null;
  plot: PlotMetrics;
  tileRocAuc: number | null;
  tiles: number;
  thresholdAt95Recall: number | null;
  engine: 'scan' | 'bare';
  /** Imagery megapixels (at source GSD) per second: of the whole scan (engine scan) or of session.run (bare). */
  imageryMpxPerS: number;
  perScene: Array<{ seed: number; gsdM: number; crs: string; plots: number; found: number; candidates: number; falseCandidates: number }>;
  /** The plot metrics of the scenes at each GSD (when scenes have more than one), finest first, with their CRSs. */
  byGsd: Array<{ gsdM: number; scenes: number; crss: string[]; plot: PlotMetrics }>;
}

/**
 * Generates held-out scenes (as COGs, so JPEG artefacts and overview reading are as in use), runs the
 * model over each at its GSD, turns the heatmap into candidate plots (hysteresis thresholds,
 * minimum area) and scores them against the truth.
 */
export async function evaluateModel(opts: EvalOptions): Promise<EvalReport> {
  const engine = opts.engine ?? 'scan';
  const model = engine === 'bare' ? await loadBareModel(opts.modelDir) : undefined;
  const card = JSON.parse(readFileSync(join(opts.modelDir, 'model.json'), 'utf8')) as BareCard;
  const th = opts.thresholds ?? card.thresholds;
  const work = mkdtempSync(join(tmpdir(), 'tiandi-eval-'));
  const acc: Tally = { scenes: [], tileScores: [], tileLabels: [], plotScores: [], perScene: [], sceneGsd: [], imageryPx: 0, scanS: 0 };
  try {
    for (const [k, seed] of opts.seeds.entries()) {
      throwIfAborted(opts.signal);
      const so = evalSceneOptions(seed, opts.sizeM, opts.gsds?.length ? opts.gsds[k % opts.gsds.length] : undefined, opts.variety);
      const w = await writeScene(so, work, { signal: opts.signal });
      acc.imageryPx += so.widthPx * so.widthPx;
      const truthPlots = w.scene.truth.features.filter((f) => f.properties.class === 'poppy');
      const plots = truthPlots.map((f) => ({
        id: f.properties.id,
        rings: f.geometry.coordinates,
        areaM2: (f.properties as { area_m2: number }).area_m2,
        stage: (f.properties as { stage: string }).stage,
      }));
      const run = engine === 'scan' ? await scanScene(w, opts, card, join(work, `scan-${seed}`)) : await bareScene(w, model!, card, th, opts.signal);
      acc.scanS += run.seconds;
      rmSync(w.tifPath, { force: true });
      const sceneEval = { plots, candidates: run.candidates, areaKm2: w.scene.truth.scene.area_km2 };
      acc.scenes.push(sceneEval);
      const m = plotMetrics([sceneEval]);
      acc.perScene.push({ seed, gsdM: so.gsdM, crs: so.crs, plots: m.plots, found: m.plotsFound, candidates: m.candidates, falseCandidates: m.fpCandidates });
      acc.sceneGsd.push(so.gsdM);
      scoreHeat(acc, plots, run, Math.round(card.tile_stride / run.stride));
      opts.onScene?.(k + 1, opts.seeds.length);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return evalReport(opts, card, th, engine, acc, engine === 'bare' ? model!.stats.runS : acc.scanS);
}

/** Options of {@link evaluateModel}. */
export interface EvalOptions {
  modelDir: string;
  seeds: number[];
  sizeM?: number;
  thresholds?: { high: number; low: number; min_area_m2: number };
  /** `scan` (default): the full scan pipeline, scanImages of @tiandi/tiles; `bare`: this package's minimal tiled runner. */
  engine?: 'scan' | 'bare';
  /** Scene GSDs (m), used in turn, scene k taking gsds[k % length]; default: each scene draws one in 3–8 cm. */
  gsds?: number[];
  /** `wide`: the domain-randomised world (scene option variety), a stand-in for another generator's scenes. */
  variety?: 'classic' | 'wide';
  signal?: AbortSignal;
  onScene?: (done: number, total: number) => void;
}

/** What the scenes add up to. */
interface Tally {
  scenes: SceneEval[];
  tileScores: number[];
  tileLabels: number[];
  plotScores: number[];
  perScene: EvalReport['perScene'];
  sceneGsd: number[];
  imageryPx: number;
  scanS: number;
}

/** One scene's model output: candidate plots and the heatmap (cells of `stride` model pixels), and a lon/lat → heat cell mapping. */
interface SceneRun {
  candidates: EvalCandidate[];
  heat: Float32Array;
  hw: number;
  hh: number;
  stride: number;
  toHeat: (lon: number, lat: number) => [number, number];
  /** Seconds the scan took (0 for the bare runner, which keeps its own clock). */
  seconds: number;
}

type WrittenScene = Awaited<ReturnType<typeof writeScene>>;

/** The scene through the full scan pipeline (@tiandi/tiles). */
async function scanScene(w: WrittenScene, opts: EvalOptions, card: BareCard, outDir: string): Promise<SceneRun> {
  const r = await scanWithTiles(w.tifPath, opts.modelDir, outDir, opts.signal);
  return { candidates: r.candidates, heat: r.heat, hw: r.hw, hh: r.hh, toHeat: r.toHeat, stride: card.output.stride ?? card.input.size, seconds: r.seconds };
}

/** The scene through the bare runner: heat components as candidates, each a union of heat cells. */
async function bareScene(
  w: WrittenScene,
  model: Awaited<ReturnType<typeof loadBareModel>>,
  card: BareCard,
  th: { high: number; low: number; min_area_m2: number },
  signal?: AbortSignal,
): Promise<SceneRun> {
  const img = await readResampled(w.tifPath, card.gsd_m, signal);
  const { heat, hw, hh, stride } = await runBareModel(model, img.rgb, img.width, img.height);
  const cellM = stride * w.scene.options.gsdM * img.factor;
  const cellArea = cellM * cellM;
  const comps = heatComponents(heat, hw, hh, th.low, th.high, Math.max(1, Math.ceil(th.min_area_m2 / cellArea)));
  const g = w.scene.georef;
  const sq = (c: number): Array<[number, number]> => {
    const x = (c % hw) * cellM,
      y = Math.floor(c / hw) * cellM;
    return (
      [
        [x, y],
        [x + cellM, y],
        [x + cellM, y + cellM],
        [x, y + cellM],
        [x, y],
      ] as SceneXY[]
    ).map(([a, b]) => g.sceneToLonLat(a, b));
  };
  const candidates = comps.map((c) => ({ rings: c.cells.map((cell) => [sq(cell)]), score: c.maxScore }));
  const toHeat = (lon: number, lat: number): [number, number] => {
    const [x, y] = g.lonLatToScene(lon, lat);
    return [x / cellM, y / cellM];
  };
  return { candidates, heat, hw, hh, stride, toHeat, seconds: 0 };
}

/** Plot scores (max heat over the cells a plot touches) and tile-level scores and labels (tiles of `tc` × `tc` cells). */
function scoreHeat(acc: Tally, plots: { rings: Array<Array<[number, number]>> }[], run: SceneRun, tc: number): void {
  const { heat, hw, hh, toHeat } = run;
  const toCell = (ring: Array<[number, number]>) => ring.map(([lon, lat]) => toHeat(lon, lat));
  const cover = rasterizeCoverage(
    plots.map((p) => [toCell(p.rings[0])]),
    hw,
    hh,
    3,
  );
  for (const p of plots) {
    const one = rasterizeCoverage([[toCell(p.rings[0])]], hw, hh, 3);
    let best = 0;
    for (let i = 0; i < one.length; i++) if (one[i] && heat[i] > best) best = heat[i];
    acc.plotScores.push(best);
  }
  for (let ty = 0; ty < hh; ty += tc)
    for (let tx = 0; tx < hw; tx += tc) {
      let best = 0,
        pos = 0;
      for (let y = ty; y < Math.min(hh, ty + tc); y++)
        for (let x = tx; x < Math.min(hw, tx + tc); x++) {
          const i = y * hw + x;
          if (heat[i] > best) best = heat[i];
          if (cover[i]) pos = 1;
        }
      acc.tileScores.push(best);
      acc.tileLabels.push(pos);
    }
}

/** The report over all scenes, with per-GSD metrics when the scenes had several GSDs. */
function evalReport(opts: EvalOptions, card: BareCard, th: EvalReport['thresholds'], engine: 'scan' | 'bare', acc: Tally, runS: number): EvalReport {
  const { seeds } = opts;
  const { scenes, perScene, sceneGsd } = acc;
  return {
    model: { name: card.name, version: card.version, dir: opts.modelDir },
    seeds: seeds.length > 1 && seeds[seeds.length - 1] - seeds[0] === seeds.length - 1 ? `${seeds[0]}-${seeds[seeds.length - 1]}` : seeds.join(','),
    scenes: seeds.length,
    variety: opts.variety ?? 'classic',
    thresholds: th,
    plot: plotMetrics(scenes),
    verifier: engine === 'scan' && card.verifier ? { max_windows: 4, ...(card.verifier as Omit<NonNullable<EvalReport['verifier']>, 'max_windows'>) } : null,
    tileRocAuc: rocAuc(acc.tileScores, acc.tileLabels),
    tiles: acc.tileScores.length,
    thresholdAt95Recall: thresholdAtRecall(acc.plotScores, 0.95),
    engine,
    imageryMpxPerS: runS > 0 ? acc.imageryPx / 1e6 / runS : 0,
    perScene,
    byGsd:
      [...new Set(sceneGsd)].length > 1
        ? [...new Set(sceneGsd)]
            .sort((a, b) => a - b)
            .map((g) => ({
              gsdM: g,
              scenes: sceneGsd.filter((x) => x === g).length,
              crss: [...new Set(perScene.filter((s) => s.gsdM === g).map((s) => s.crs))],
              plot: plotMetrics(scenes.filter((_, i) => sceneGsd[i] === g)),
            }))
        : [],
  };
}
