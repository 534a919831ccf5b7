import { basename } from 'node:path';
import { createHash } from 'node:crypto';
import { geodesicAreaM2, type Feature, type Polygonal } from '@tiandi/geo';
import type { GeoTiffSource } from '../read/open-geotiff-source';
import type { HeatmapAccumulator } from '../scan/heatmap-accumulator';
import type { PagedCells, PagedCellsOptions } from '../scan/paged-cells';
import { cellToSourcePixel, footCellToSourcePixel, type ScanPlan } from '../scan/scan-plan';
import { outlineRings, type InsideCells } from '../vector/outline-rings';
import { simplifyRing } from '../vector/simplify-ring';
import { partOutlines, traceCells, type GridPlot } from '../vector/trace-plots';
import { tracePlotsStreamed } from '../vector/trace-stream';
import { cellsInsidePassedWindows } from '../verify/narrow-cells';
import type { ModelCard } from '../model/model-card';
import { gridToGeoJson } from './grid-to-geojson';
import { imageFingerprint } from './image-fingerprint';
import { imageDigests, type ImageDigests } from './image-digests';
import { pickWindowCells } from '../verify/pick-windows';
import {
  calibrate,
  mapConcurrent,
  readingOrder,
  readVerifierWindow,
  scoreCentres,
  scoreWindows,
  verifierCannotJudge,
  verifyCacheBytes,
  type Verifier,
  type VerifierWindow,
} from './verify-candidates';
import type { RgbRaster } from '../read/resample-area';

/** Properties of each feature of candidates.geojson. */
export interface CandidateProperties {
  id: string;
  image: string;
  model: string;
  model_version: string;
  score_max: number;
  score_mean: number;
  area_m2: number;
  /** The verifier's best window score, when the model has a verifier. */
  score_verify?: number;
  /** The prefilter's best window score, when the verifier has a prefilter. */
  score_prefilter?: number;
  /** The verifier's score calibrated: the share of candidates so scored that were poppy on the eval set (card `verifier.calibration`). */
  p_poppy?: number;
  /** True when no second stage judged it (coarse imagery, `--no-verify`, a one-stage model): only the first stage's word. */
  unverified: boolean;
  /** Why it is unverified. */
  unverified_reason?: string;
  /** The window the verifier scored best, as a PNG relative to the scan folder (`chips/<id>.png`). */
  chip?: string;
}

/** How finishImage runs a model's second stage. */
export interface VerifyOptions {
  verifier: Verifier;
  /** Drop candidates scoring below the verifier's threshold (false: only collect windows / scores). */
  apply: boolean;
  onWindow?: (w: VerifierWindow) => void;
  /** Block cache for the prefilter's windows, when the first stage's decoded level was kept for it. */
  prefilterCacheBytes?: number;
  /** Windows scored so far, of how many (called when the windows are known and after each chunk). */
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
  /** First-stage candidates judged at a time (default {@link BAND_CANDIDATES}). */
  bandCandidates?: number;
}

/** One scanned image: its candidates, footprint and heatmap. */
export interface ImageResult {
  name: string;
  candidates: Feature<Polygonal, CandidateProperties>[];
  footprint: Feature<Polygonal, Record<string, unknown>>;
  /** The heatmap, paged (paged-cells.ts): closed once written. */
  heat: { plan: ScanPlan; scores: PagedCells<Float32Array>; source: GeoTiffSource };
  tilesTotal: number;
  tilesInferred: number;
  tilesSkipped: number;
  areaKm2: number;
  /** What the second stage did, when the model has one. */
  verify?: { ran: boolean; rejected: number; prefilterRejected?: number; skippedBecause?: string };
  /** The window the verifier scored best, per kept candidate id (written as chips/<id>.png). */
  chips: Map<string, RgbRaster>;
  /** Area of valid imagery judged poor (left out of the footprint), km². */
  poorAreaKm2?: number;
}

const round = (v: number, d: number) => Math.round(v * 10 ** d) / 10 ** d;

/** The first stage's thresholds as the scan applies them (the card's, the seed perhaps overridden). */
type Thresholds = Pick<
  ModelCard['thresholds'],
  'high' | 'low' | 'min_area_m2' | 'merge_gap_cells' | 'merge_join' | 'outline' | 'growth_peak_share' | 'max_part_m2'
>;

type Candidate = ImageResult['candidates'][number];

/**
 * A candidate's geometry while the second stage judges it: its outline is drawn from its cells, and mapped to WGS 84,
 * only if it is kept (see {@link withOutlines}). A 6.4-Gpx scan traced 11 000 first-stage candidates, nine in ten
 * ruled out later, and their WGS 84 outlines as arrays of pairs were ~80 MB of the second stage's peak; held in grid
 * coordinates, 48 000 outlines of 1.6 Gpx of REAL forest (none kept) were still 32 MB and 98 000 arrays.
 */
const OUTLINE_WAITING: Polygonal = Object.freeze({ type: 'MultiPolygon', coordinates: [] }) as Polygonal;

/** What the first stage found: candidates (their outlines {@link OUTLINE_WAITING}) and each one's heatmap cells part by part. */
interface FirstStage {
  candidates: Candidate[];
  /** The traced plot of each candidate not yet ruled out, by id (one map, shared by every band). */
  plots: Map<string, TracedPlot>;
}

/** What the scan holds of a candidate's traced plot until it is ruled out, or until its outline is drawn if kept. */
interface TracedPlot {
  /** Every part's cells: the verifier's windows are placed on them, and a kept candidate's outline is drawn from them. */
  parts: ArrayLike<number>[];
  /** Its seed cell: bands come about top to bottom, candidates go out in seed order. */
  seed: number;
}

/**
 * The first stage's candidates, a band of at most `bandSize` at a time (at least one band, perhaps empty): plots
 * traced on the heatmap as tracing hands them on (`tracePlotsStreamed`: once no plot traced later can join them),
 * their area measured in WGS 84, each with its heatmap cells and seed put in `plots` (shared by every band). So a scan holds the candidates of the rows
 * being traced and of one band, not the whole heatmap's: 6.4 Gpx of REAL forest traced 191 721 (bench/HISTORY.md).
 */
async function* candidateBands(
  path: string,
  src: GeoTiffSource,
  plan: ScanPlan,
  card: ModelCard,
  scores: PagedCells<Float32Array>,
  thresholds: Thresholds,
  labels: PagedCellsOptions,
  bandSize: number,
  plots: FirstStage['plots'],
): AsyncGenerator<FirstStage> {
  const cellM = plan.cellWork * card.gsd_m;
  const minCells = minCellsOf(plan, card, thresholds);
  const traced = tracePlotsStreamed(scores, plan.heatWidth, plan.heatHeight, {
    high: thresholds.high,
    low: thresholds.low,
    minCells,
    labels,
    mergeGapCells: thresholds.merge_gap_cells,
    mergeJoin: thresholds.merge_join,
    growthPeakShare: thresholds.growth_peak_share,
    maxPartCells: thresholds.max_part_m2 === undefined ? undefined : Math.max(1, Math.floor(thresholds.max_part_m2 / (cellM * cellM))),
    // Drawn below one plot at a time, for its area, and not held: see OUTLINE_WAITING.
    outlines: false,
  });
  const fingerprint = await imageFingerprint(path);
  const heatToLonLat = heatToLonLatOf(plan, src);
  const band: Candidate[] = [];
  let bands = 0;
  for (const batch of traced) {
    for (const p of batch) {
      const c = candidateOf(p, path, card, fingerprint, plan.heatWidth, minCells, heatToLonLat, thresholds.min_area_m2);
      if (!c) continue;
      band.push(c.candidate);
      plots.set(c.candidate.properties.id, { parts: c.parts, seed: p.seed });
    }
    while (band.length >= bandSize) {
      bands++;
      yield { candidates: band.splice(0, bandSize), plots };
    }
  }
  if (band.length || !bands) yield { candidates: band, plots };
}

/** The candidate of a traced plot (its outline {@link OUTLINE_WAITING}) and its parts' cells, or undefined when under `min_area_m2`. */
function candidateOf(
  p: GridPlot,
  path: string,
  card: ModelCard,
  fingerprint: string,
  width: number,
  minCells: number,
  heatToLonLat: (x: number, y: number) => [number, number],
  minAreaM2: number,
): { candidate: Candidate; parts: ArrayLike<number>[] } | undefined {
  const parts = p.partCells ?? [p.cellIndices];
  const geometry = outlineOf(parts, width, minCells, heatToLonLat);
  if (!geometry) return undefined;
  const areaM2 = geodesicAreaM2(geometry);
  if (areaM2 < minAreaM2) return undefined;
  const id = 'c' + createHash('sha256').update(`${fingerprint}|${card.name}|${card.version}|${p.seed}`).digest('hex').slice(0, 15);
  const candidate: Candidate = {
    type: 'Feature',
    geometry: OUTLINE_WAITING,
    properties: {
      id,
      image: basename(path),
      model: card.name,
      model_version: card.version,
      score_max: round(p.scoreMax, 4),
      score_mean: round(p.scoreMean, 4),
      area_m2: round(areaM2, 2),
      unverified: true,
    },
  };
  return { candidate, parts };
}

/** The smallest plot in heatmap cells (the card's `min_area_m2`): specks are dropped and holes filled under it. */
function minCellsOf(plan: ScanPlan, card: ModelCard, thresholds: Thresholds): number {
  const cellM = plan.cellWork * card.gsd_m;
  return thresholds.min_area_m2 / (cellM * cellM);
}

/** A plot's outline in WGS 84 from its parts' cells, as tracing draws it (`minCells` as traced), or undefined when it has none. */
function outlineOf(
  parts: ArrayLike<number>[],
  width: number,
  minCells: number,
  heatToLonLat: (x: number, y: number) => [number, number],
): Polygonal | undefined {
  return gridToGeoJson(
    parts.flatMap((c) => partOutlines(c, width, minCells)),
    heatToLonLat,
  );
}

/** The candidates with their traced outlines in WGS 84 where they still wait for them (drawn from their plots' parts, as tracing would). */
function withOutlines(
  candidates: Candidate[],
  plots: FirstStage['plots'],
  width: number,
  minCells: number,
  heatToLonLat: (x: number, y: number) => [number, number],
): Candidate[] {
  return candidates.map((c) => {
    if (c.geometry !== OUTLINE_WAITING) return c;
    const parts = plots.get(c.properties.id)?.parts;
    const geometry = parts && outlineOf(parts, width, minCells, heatToLonLat);
    if (!geometry) throw new Error(`internal: candidate ${c.properties.id} lost its outline`);
    return { ...c, geometry };
  });
}

/** Heatmap cell corner (x, y) → WGS 84. */
function heatToLonLatOf(plan: ScanPlan, src: GeoTiffSource): (x: number, y: number) => [number, number] {
  return (x, y) => {
    const [px, py] = cellToSourcePixel(plan, x, y);
    return src.pixelToWgs84(px, py);
  };
}

/**
 * The second stage: the prefilter (when the verifier has one and its verdict applies), then the verifier, each
 * scoring every remaining candidate's windows and dropping those under its threshold (when applied). Kept candidates
 * the verifier judged get their best window as a chip and their calibrated probability.
 */
async function secondStage(
  name: string,
  src: GeoTiffSource,
  plan: ScanPlan,
  card: ModelCard,
  scores: PagedCells<Float32Array>,
  first: FirstStage,
  verify: VerifyOptions,
  thresholds: Thresholds,
): Promise<SecondStageResult> {
  let candidates = first.candidates;
  /** Each remaining candidate's parts shown to the stage (the prefilter's rejected parts are not shown to the verifier). */
  let cellsOf = candidates.map((c) => first.plots.get(c.properties.id)!.parts);
  /** Every part's cells of each remaining candidate. */
  let allCells = cellsOf;
  let verdict: Verdict | undefined;
  const chips = new Map<string, RgbRaster>();
  const cellM = plan.cellWork * card.gsd_m;
  const before = candidates.length;
  // The prefilter only rejects: when windows are collected without applying the verifier it has no part.
  const pre = verify.apply && verify.verifier.prefilter?.model ? verify.verifier.prefilter : undefined;
  let windowsBefore = 0;
  let prefilterRejected: number | undefined;
  for (const stage of pre ? [pre, verify.verifier] : [verify.verifier]) {
    // One window per block of about a window's extent, so the windows tile the candidate.
    const blockCells = Math.max(1, Math.round((stage.card.input.size * stage.card.gsd_m) / cellM));
    // A joined candidate's parts are looked at as each would be alone (their own windows), so joining never leaves
    // a part unseen; the candidate scores its best part's best window.
    const parts = cellsOf.flatMap((cells, k) => cells.map((c) => ({ k, cells: c })));
    const windowCells = parts.map((q) => pickWindowCells(scores, plan.heatWidth, q.cells, stage.maxWindows, blockCells));
    // Windows of one candidate lie near each other: a small block cache saves decoding a block per window.
    src.setCacheBytes(Math.max(verifyCacheBytes(src, stage.card), stage === pre ? (verify.prefilterCacheBytes ?? 0) : 0));
    const base = windowsBefore;
    const scored = await scoreCandidates(
      name,
      src,
      plan,
      parts.map((q) => candidates[q.k]),
      windowCells,
      stage,
      {
        ...verify,
        onWindow: stage === pre ? undefined : verify.onWindow,
        onProgress: (done, total) => verify.onProgress?.(base + done, base + total),
        keepBest: stage !== pre && verify.apply,
      },
    );
    windowsBefore += windowCells.reduce((n, w) => n + w.length, 0);
    if (!scored) break;
    const { best, bestAt, bestRaster } = bestPartOf(parts, candidates.length, scored);
    const key = stage === pre ? 'score_prefilter' : 'score_verify';
    const kept: number[] = [];
    best.forEach((b, k) => {
      if (!verify.apply || b >= stage.threshold) kept.push(k);
    });
    const prev = candidates;
    const nextCells = stage === pre ? cellsForVerifier(pre, verify.verifier, parts, windowCells, scored.scores, plan.heatWidth, cellM) : cellsOf;
    candidates = kept.map((k) => ({ ...prev[k], properties: { ...prev[k].properties, [key]: round(best[k], 4) } }));
    if (stage !== pre && verify.apply)
      verdict = { parts, windowCells, scored, kept, allCells, threshold: stage.threshold, windowM: stage.card.input.size * stage.card.gsd_m };
    cellsOf = kept.map((k) => nextCells[k]);
    allCells = kept.map((k) => allCells[k]);
    if (stage === pre) prefilterRejected = prev.length - kept.length;
    else await markJudged(src, stage, candidates, kept, { best, bestAt, bestRaster }, chips, verify.signal);
  }
  src.setCacheBytes(0);
  const mode = thresholds.outline ?? 'traced';
  if (verdict && mode !== 'traced') {
    const bound = { mode, width: plan.heatWidth, minCells: minCellsOf(plan, card, thresholds), halfCells: verdict.windowM / (2 * cellM) };
    candidates = boundOutlines(candidates, verdict, bound, scores, heatToLonLatOf(plan, src), thresholds.min_area_m2);
  }
  const report = { ran: !!verify.verifier.model, rejected: before - candidates.length, ...(prefilterRejected !== undefined ? { prefilterRejected } : {}) };
  return { candidates, report, chips };
}

/**
 * What the prefilter leaves the verifier to look at, candidate by candidate: the parts whose best window passed (a
 * part it ruled out is not shown, as it would not be alone), whole, or with `narrow` only the cells where a verifier
 * window lies inside a passing prefilter window ({@link cellsInsidePassedWindows}).
 */
function cellsForVerifier(
  pre: Verifier,
  verifier: Verifier,
  parts: Array<{ k: number; cells: ArrayLike<number> }>,
  windowCells: number[][],
  scores: Float64Array,
  width: number,
  cellM: number,
): ArrayLike<number>[][] {
  const out: ArrayLike<number>[][] = [];
  // A verifier window centred this close to a passing window's centre lies inside it: the verifier looks closer at
  // what the prefilter saw, not beside it.
  const halfCells = Math.max(0, windowExtentM(pre) - windowExtentM(verifier)) / (2 * cellM);
  let first = 0;
  parts.forEach((q, i) => {
    const windows = windowCells[i];
    const own = scores.subarray(first, first + windows.length);
    first += windows.length;
    if (!own.some((v) => v >= pre.threshold)) return;
    (out[q.k] ??= []).push(pre.narrow ? cellsInsidePassedWindows(q.cells, width, windows, own, pre.threshold, halfCells) : q.cells);
  });
  return out;
}

/** The ground edge of a stage's square window (m). */
const windowExtentM = (stage: Verifier): number => stage.card.input.size * stage.card.gsd_m;

/** First-stage candidates judged at a time, as tracing hands them on (about top to bottom). */
const BAND_CANDIDATES = 4096;

/**
 * The second stage (`judge`) over the first stage's `bands` ({@link candidateBands}, at most
 * {@link BAND_CANDIDATES} candidates each) as they come, letting each band's go once judged, with the cells of those
 * ruled out (`plots`): what the stage holds is a band, not every candidate, its windows, parts and scores. A
 * candidate is judged by its own windows alone, so bands change no verdict. On 1.6 Gpx of REAL forest the first stage
 * traces 48 297 candidates, none kept, and held whole they were most of the scan's memory (bench/HISTORY.md).
 */
async function secondStageInBands(
  bands: AsyncIterable<FirstStage>,
  verify: VerifyOptions,
  judge: (band: FirstStage, verify: VerifyOptions) => Promise<SecondStageResult>,
): Promise<SecondStageResult> {
  const all: SecondStageResult = { candidates: [], report: { ran: !!verify.verifier.model, rejected: 0 }, chips: new Map() };
  let windowsBefore = 0;
  for await (const band of bands) {
    let windows = 0;
    const onProgress = (done: number, total: number) => {
      windows = total;
      verify.onProgress?.(windowsBefore + done, windowsBefore + total);
    };
    const judged = await judge(band, { ...verify, onProgress });
    windowsBefore += windows;
    const kept = new Set(judged.candidates.map((c) => c.properties.id));
    for (const c of band.candidates) if (!kept.has(c.properties.id)) band.plots.delete(c.properties.id);
    for (const c of judged.candidates) all.candidates.push(c);
    for (const [id, chip] of judged.chips) all.chips.set(id, chip);
    all.report = mergedReports(all.report, judged.report);
  }
  return all;
}

/** Every band's candidates, unjudged (no second stage). */
async function allCandidates(bands: AsyncIterable<FirstStage>): Promise<Partial<SecondStageResult> & Pick<SecondStageResult, 'candidates' | 'chips'>> {
  const candidates: Candidate[] = [];
  for await (const band of bands) for (const c of band.candidates) candidates.push(c);
  return { candidates, chips: new Map() };
}

/** Two bands' second-stage reports as one. */
const mergedReports = (a: SecondStageReport, b: SecondStageReport): SecondStageReport => ({
  ran: b.ran,
  rejected: a.rejected + b.rejected,
  ...(b.prefilterRejected !== undefined ? { prefilterRejected: (a.prefilterRejected ?? 0) + b.prefilterRejected } : {}),
});

type SecondStageReport = NonNullable<ImageResult['verify']>;

/** What the second stage leaves: the kept candidates, its report, the chips of those it judged. */
interface SecondStageResult {
  candidates: Candidate[];
  report: SecondStageReport;
  chips: Map<string, RgbRaster>;
}

/**
 * Marks the candidates the verifier kept (`candidates[j]` is the one scored `k = kept[j]`) as judged, so people can
 * see why: its best window as a chip (in `chips`), `unverified: false`, and `p_poppy` when the card calibrates.
 */
async function markJudged(
  src: GeoTiffSource,
  stage: Verifier,
  candidates: Candidate[],
  kept: number[],
  judged: { best: Float64Array; bestAt: Float64Array; bestRaster?: (RgbRaster | undefined)[] },
  chips: Map<string, RgbRaster>,
  signal?: AbortSignal,
): Promise<void> {
  const { best, bestAt, bestRaster } = judged;
  const centres = kept.map((k): [number, number] => [bestAt[2 * k], bestAt[2 * k + 1]]);
  const chipOf = await readChips(
    src,
    stage,
    centres,
    kept.map((k) => bestRaster?.[k]),
    signal,
  );
  for (const [j, k] of kept.entries()) {
    const c = candidates[j].properties;
    chips.set(c.id, chipOf[j]);
    c.chip = `chips/${c.id}.png`;
    c.unverified = false;
    if (stage.calibration) c.p_poppy = round(calibrate(stage.calibration, best[k]), 3);
  }
}

/**
 * The chips' windows centred on `centres` (source pixels): those the verifier held as it judged them (`held`), the
 * rest read in {@link readingOrder} (in candidate order, far apart, each read its blocks again).
 */
async function readChips(
  src: GeoTiffSource,
  stage: Verifier,
  centres: [number, number][],
  held: (RgbRaster | undefined)[],
  signal?: AbortSignal,
): Promise<RgbRaster[]> {
  const out = held.slice() as RgbRaster[];
  const left = centres.flatMap((_, i) => (held[i] ? [] : [i]));
  for (const j of readingOrder(src, Float64Array.from(left.flatMap((i) => centres[i])))) {
    const [x, y] = centres[left[j]];
    out[left[j]] = await readVerifierWindow(src, stage.card, x, y, signal);
  }
  return out;
}

/** The cells of a paged grid holding `value`, a row at a time from its page arrays (outlineRings' InsideCells). */
function cellsEqual(grid: PagedCells<Uint8Array>, value: number): InsideCells {
  const edge = grid.pageEdge;
  return {
    fillRow(y, x0, x1, out) {
      for (let px = Math.floor(x0 / edge); px * edge < x1; px++) {
        const page = grid.page(px, Math.floor(y / edge));
        const row = (y % edge) * edge - px * edge;
        for (let x = Math.max(x0, px * edge); x < Math.min(x1, (px + 1) * edge); x++) out[x - x0 + 1] = page[row + x] === value ? 1 : 0;
      }
    },
  };
}

/** The footprint (valid imagery of good quality) as WGS 84 polygons, its area, and the area judged poor (km²). */
function footprintOf(foot: PagedCells<Uint8Array>, plan: ScanPlan, src: GeoTiffSource): { geometry: Polygonal; areaKm2: number; poorAreaKm2: number } {
  const footToLonLat = (x: number, y: number) => {
    const [px, py] = footCellToSourcePixel(plan, x, y);
    return src.pixelToWgs84(Math.min(px, src.width), Math.min(py, src.height));
  };
  const rings = outlineRings(cellsEqual(foot, 1), 0, 0, plan.footWidth, plan.footHeight).map((p) => ({
    outer: simplifyRing(p.outer, 0.5, 0.02),
    holes: p.holes.map((h) => simplifyRing(h, 0.5, 0.02)),
  }));
  const geometry: Polygonal = gridToGeoJson(rings, footToLonLat) ?? { type: 'MultiPolygon', coordinates: [] };
  const areaKm2 = geodesicAreaM2(geometry) / 1e6;
  // Valid imagery of poor quality (cells marked 2 by the quality check) is not footprint: coverage counts it as a gap.
  const poorRings = outlineRings(cellsEqual(foot, 2), 0, 0, plan.footWidth, plan.footHeight);
  const poorGeom = poorRings.length
    ? gridToGeoJson(
        poorRings.map((p) => ({ outer: simplifyRing(p.outer, 0.5, 0.02), holes: p.holes.map((h) => simplifyRing(h, 0.5, 0.02)) })),
        footToLonLat,
      )
    : undefined;
  return { geometry, areaKm2, poorAreaKm2: poorGeom ? geodesicAreaM2(poorGeom) / 1e6 : 0 };
}

/** The footprint feature's properties: the image, its GSD, CRS, size and date, areas, and its content digests. */
async function footprintProperties(
  path: string,
  src: GeoTiffSource,
  areaKm2: number,
  poorAreaKm2: number,
  digestsP: Promise<ImageDigests>,
): Promise<Record<string, unknown>> {
  const props: Record<string, unknown> = {
    image: basename(path),
    gsd_m: round((src.gsdM.x + src.gsdM.y) / 2, 4),
    crs: src.crs.epsg ? src.crs.id : src.crs.proj4,
    ...(src.crs.note ? { crs_note: src.crs.note } : {}),
    ...(src.bandNote ? { band_note: src.bandNote } : {}),
    width: src.width,
    height: src.height,
  };
  if (src.acquired) props.acquired = src.acquired;
  props.area_km2 = round(areaKm2, 6);
  if (poorAreaKm2 > 0) props.poor_quality_km2 = round(poorAreaKm2, 6);
  // Content digests, so the workspace recognises this imagery again under any name.
  const digests = await digestsP;
  props.sha256 = digests.sha256;
  props.pixel_sha256 = digests.pixelSha256;
  return props;
}

/** `trace()`'s result; should it throw, after `running` (which never rejects) has settled, so no read outlives the scan that failed. */
async function footprintBeside<T>(running: Promise<unknown>, trace: () => T): Promise<T> {
  try {
    return trace();
  } catch (e) {
    await running;
    throw e;
  }
}

/** Traces candidates and the footprint of one scanned image and maps them to WGS 84. */
export async function finishImage(
  path: string,
  src: GeoTiffSource,
  plan: ScanPlan,
  card: ModelCard,
  acc: HeatmapAccumulator,
  /** Footprint cells: 0 no data, 1 valid, 2 valid but poor (paged like the heatmap). */
  foot: PagedCells<Uint8Array>,
  thresholds: Thresholds,
  inferred: number,
  skipped: number,
  verify?: VerifyOptions,
  /** Why there is no second stage, when `verify` is absent (its candidates are marked unverified). */
  noVerifyReason = 'the model has no second stage',
  /**
   * Work on the finished heatmap (writing it), begun before the candidates are traced so that, on a thread of its own,
   * it runs beside tracing (this thread's alone), else beside the second stage and the footprint; it must not change
   * the heatmap. Settled before this returns or throws, so the heatmap may be closed then.
   */
  withHeatmap?: (scores: PagedCells<Float32Array>) => Promise<void>,
): Promise<ImageResult> {
  const name = basename(path);
  const scores = acc.finish();
  let verifyReport: ImageResult['verify'];
  let unverifiedReason = noVerifyReason;
  const tooCoarse = verify && verifierCannotJudge(verify.verifier, src.gsdM);
  if (verify && tooCoarse) {
    // The verifier would see blurred-up pixels it was never trained on: keep every candidate, marked unverified.
    verifyReport = { ran: false, rejected: 0, skippedBecause: tooCoarse };
    unverifiedReason = tooCoarse;
    verify = undefined;
  }
  const heatmap = withHeatmap?.(scores);
  heatmap?.catch(() => undefined); // its error is thrown where it is awaited
  // The content digests hash the file and read 16 windows: begun now, they run while the second stage waits for its
  // models' thread. Awaited (their error thrown) for the footprint's properties.
  const digests = imageDigests(path, { src });
  digests.catch(() => undefined);
  const plots: FirstStage['plots'] = new Map();
  const bands = candidateBands(path, src, plan, card, scores, thresholds, acc.labelsStore(), verify?.bandCandidates ?? BAND_CANDIDATES, plots);
  // Tracing and the second stage go band by band, begun before the footprint is traced, so the footprint (this
  // thread's work alone) runs while windows are read and scored on other threads rather than after the last of them.
  const second = verify
    ? secondStageInBands(bands, verify, (band, v) => secondStage(name, src, plan, card, scores, band, v, thresholds))
    : allCandidates(bands);
  second.catch(() => undefined); // its error is thrown where it is awaited
  const { geometry, areaKm2, poorAreaKm2 } = await footprintBeside(Promise.allSettled([second, heatmap]), () => footprintOf(foot, plan, src));
  let judged: Awaited<typeof second>;
  try {
    judged = await second;
  } catch (e) {
    await heatmap?.catch(() => undefined);
    throw e;
  }
  await heatmap;
  if (judged.report) verifyReport = judged.report;
  const { chips } = judged;
  const inSeedOrder = judged.candidates.sort((a, b) => plots.get(a.properties.id)!.seed - plots.get(b.properties.id)!.seed);
  const candidates = withOutlines(inSeedOrder, plots, plan.heatWidth, minCellsOf(plan, card, thresholds), heatToLonLatOf(plan, src));
  for (const c of candidates) {
    if (c.properties.unverified) c.properties.unverified_reason = unverifiedReason;
  }
  const props = await footprintProperties(path, src, areaKm2, poorAreaKm2, digests);
  return {
    name,
    candidates,
    footprint: { type: 'Feature', geometry, properties: props },
    heat: { plan, scores, source: src },
    tilesTotal: plan.tilesAcross * plan.tilesDown,
    tilesInferred: inferred,
    tilesSkipped: skipped,
    areaKm2,
    poorAreaKm2,
    verify: verifyReport,
    chips,
  };
}

/** The verifier's judgement of the candidates it saw: each part's windows and scores, and which candidates it kept. */
interface Verdict {
  /** The parts shown to the verifier, each with its candidate's index `k` among those shown. */
  parts: Array<{ k: number; cells: ArrayLike<number> }>;
  windowCells: number[][];
  scored: { best: Float64Array; scores: Float64Array };
  /** Indices `k` of the candidates kept, in the order of the kept candidates. */
  kept: number[];
  /** Every part's cells of each candidate shown (the prefilter's rejected parts too). */
  allCells: ArrayLike<number>[][];
  threshold: number;
  /** A verifier window's edge, metres. */
  windowM: number;
}

/**
 * Kept candidates' outlines bounded to what the verifier kept (card `thresholds.outline`): "kept_parts" keeps the
 * parts it kept; "seen_parts" the parts a window it kept lies over (its kept parts, and a neighbour its window saw);
 * "kept_windows" the cells of any part under a window it kept. A candidate left with less than
 * `min_area_m2` keeps its traced outline. Area and first-stage scores follow the new outline.
 */
function boundOutlines(
  candidates: Candidate[],
  v: Verdict,
  o: { mode: 'kept_parts' | 'seen_parts' | 'kept_windows'; width: number; minCells: number; halfCells: number },
  scores: PagedCells<Float32Array>,
  heatToLonLat: (x: number, y: number) => [number, number],
  minAreaM2: number,
): Candidate[] {
  const partsOf = v.kept.map(() => [] as number[]);
  const slot = new Map(v.kept.map((k, j) => [k, j]));
  v.parts.forEach((q, i) => slot.has(q.k) && partsOf[slot.get(q.k)!].push(i));
  let w0 = 0;
  const firstWindow = v.windowCells.map((w) => ((w0 += w.length), w0 - w.length));
  return candidates.map((c, j) => {
    const windows = partsOf[j].flatMap((i) => v.windowCells[i].filter((_, n) => v.scored.scores[firstWindow[i] + n] >= v.threshold));
    const all = v.allCells[v.kept[j]];
    let cells: number[];
    if (o.mode === 'kept_parts') cells = partsOf[j].filter((i) => v.scored.best[i] >= v.threshold).flatMap((i) => Array.from(v.parts[i].cells));
    else if (o.mode === 'seen_parts')
      cells = all.filter((part) => cellsUnderWindows([part], windows, o.width, o.halfCells).length).flatMap((part) => Array.from(part));
    else cells = cellsUnderWindows(all, windows, o.width, o.halfCells);
    const geometry = cells.length ? gridToGeoJson(traceCells(cells, o.width, o.minCells), heatToLonLat) : undefined;
    const areaM2 = geometry ? geodesicAreaM2(geometry) : 0;
    if (!geometry || areaM2 < minAreaM2) return c;
    let sum = 0;
    let max = 0;
    for (const cell of cells) {
      const v = scores.get(cell);
      sum += v;
      max = Math.max(max, v);
    }
    const props = { ...c.properties, area_m2: round(areaM2, 2), score_max: round(max, 4), score_mean: round(sum / cells.length, 4) };
    return { ...c, geometry, properties: props };
  });
}

/** The cells among `parts` whose centres lie under a window (a square of half-edge `half` cells centred on a cell). */
export function cellsUnderWindows(parts: ArrayLike<number>[], windows: number[], width: number, half: number): number[] {
  const out: number[] = [];
  for (const cells of parts) {
    for (let n = 0; n < cells.length; n++) {
      const x = cells[n] % width,
        y = (cells[n] - x) / width;
      if (windows.some((w) => Math.abs((w % width) - x) <= half && Math.abs(Math.floor(w / width) - y) <= half)) out.push(cells[n]);
    }
  }
  return out;
}

/** Each candidate's best score, where it was and (when held) its window, from its parts' (each part's `k` is its candidate). */
function bestPartOf(
  parts: Array<{ k: number }>,
  n: number,
  scored: { best: Float64Array; bestAt: Float64Array; bestRaster?: (RgbRaster | undefined)[] },
): { best: Float64Array; bestAt: Float64Array; bestRaster?: (RgbRaster | undefined)[] } {
  if (parts.length === n) return scored; // one part a candidate, in order
  const best = new Float64Array(n).fill(-1);
  const bestAt = new Float64Array(2 * n);
  const bestRaster = scored.bestRaster && new Array<RgbRaster | undefined>(n);
  parts.forEach(({ k }, i) => {
    if (scored.best[i] <= best[k]) return;
    best[k] = scored.best[i];
    bestAt[2 * k] = scored.bestAt[2 * i];
    bestAt[2 * k + 1] = scored.bestAt[2 * i + 1];
    if (bestRaster) bestRaster[k] = scored.bestRaster![i];
  });
  return { best, bestAt, bestRaster };
}

/**
 * The window that is, so far, each part's best, held as the windows are scored (a copy), so that its chip is the
 * window the verifier judged rather than read again: read after the verifier, far apart, each chip read its blocks
 * again (a 1.6-Gpx file in 256-row strips: a 30-MB strip from the kept file a chip, 6-20 s with the event loop
 * blocked, and the peak over the memory floor). Only windows scoring at least `threshold` (a part under it gets no
 * chip): one raster a part that may be kept, as the chips it becomes.
 */
export class BestRasters {
  private readonly top: Float64Array;
  private readonly at: Int32Array;
  private readonly held: (RgbRaster | undefined)[];

  constructor(
    private readonly owner: number[],
    parts: number,
    private readonly threshold = -Infinity,
  ) {
    this.top = new Float64Array(parts).fill(-Infinity);
    this.at = new Int32Array(parts).fill(-1);
    this.held = new Array(parts);
  }

  /** Window `i` scored `v`: held when it beats its part's held one, or ties it at a lower index (the first of equals is the best, as scoreCandidates takes it). */
  offer(i: number, v: number, r: RgbRaster): void {
    const k = this.owner[i];
    if (v < this.threshold || v < this.top[k] || (v === this.top[k] && i > this.at[k])) return;
    this.top[k] = v;
    this.at[k] = i;
    this.held[k] = { ...r, rgb: r.rgb.slice(), valid: r.valid.slice() };
  }

  /** Each part's held window, when it is the one centred on that part's `bestAt`. */
  chosen(centres: Float64Array, bestAt: Float64Array): (RgbRaster | undefined)[] {
    return this.held.map((r, k) => {
      const i = this.at[k];
      return i >= 0 && centres[2 * i] === bestAt[2 * k] && centres[2 * i + 1] === bestAt[2 * k + 1] ? r : undefined;
    });
  }
}

/** Windows per chunk when they are collected for `onWindow` (their rasters are handed out, so read here). */
const WINDOW_CHUNK = 256;

/**
 * Scores each candidate's windows with one stage (the verifier or its prefilter); returns each candidate's
 * best window score, or undefined when the stage has no model (windows only collected for `onWindow`).
 */
async function scoreCandidates(
  image: string,
  src: GeoTiffSource,
  plan: ScanPlan,
  candidates: ImageResult['candidates'],
  windowCells: number[][],
  stage: Verifier,
  o: VerifyOptions & { keepBest?: boolean },
): Promise<{ best: Float64Array; bestAt: Float64Array; scores: Float64Array; bestRaster?: (RgbRaster | undefined)[] } | undefined> {
  const owner: number[] = [];
  const xy: number[] = [];
  windowCells.forEach((list, k) => {
    for (const cell of list) {
      const cx = cell % plan.heatWidth,
        cy = (cell - cx) / plan.heatWidth;
      owner.push(k);
      xy.push(...cellToSourcePixel(plan, cx + 0.5, cy + 0.5));
    }
  });
  const centres = Float64Array.from(xy);
  const best = new Float64Array(candidates.length).fill(-1);
  /** Source-pixel centre of each candidate's best window. */
  const bestAt = new Float64Array(2 * candidates.length);
  /** Each window's score, in the order of `windowCells`. */
  const all = new Float64Array(owner.length);
  const take = (i: number, v: number) => {
    all[i] = v;
    const k = owner[i];
    if (v > best[k]) {
      best[k] = v;
      bestAt[2 * k] = centres[2 * i];
      bestAt[2 * k + 1] = centres[2 * i + 1];
    }
  };
  const model = stage.model;
  const held = model && o.keepBest ? new BestRasters(owner, candidates.length, stage.threshold) : undefined;
  o.onProgress?.(0, owner.length);
  if (o.onWindow) {
    // Collecting windows (training chips): read them here, where the rasters are wanted.
    for (let i0 = 0; i0 < owner.length; i0 += WINDOW_CHUNK) {
      const n = Math.min(WINDOW_CHUNK, owner.length - i0);
      const rasters = await mapConcurrent(n, 4, (j) => readVerifierWindow(src, stage.card, centres[2 * (i0 + j)], centres[2 * (i0 + j) + 1], o.signal));
      const scores = model ? await scoreWindows(stage, rasters) : undefined;
      rasters.forEach((raster, j) => {
        const i = i0 + j;
        if (scores) {
          take(i, scores[j]);
          held?.offer(i, scores[j], raster);
        }
        o.onWindow!({
          image,
          candidateId: candidates[owner[i]].properties.id,
          lonLat: src.pixelToWgs84(centres[2 * i], centres[2 * i + 1]),
          raster,
          score: scores?.[j],
        });
      });
      o.onProgress?.(i0 + n, owner.length);
    }
  } else if (model) {
    const onWindow = held && ((i: number, v: number, r: RgbRaster) => held.offer(i, v, r));
    const scores = await scoreCentres(stage, src, centres, o.signal, (done) => o.onProgress?.(done, owner.length), onWindow);
    scores.forEach((v, i) => take(i, v));
  }
  return model ? { best: best.map((v) => Math.max(v, 0)), bestAt, scores: all, bestRaster: held?.chosen(centres, bestAt) } : undefined;
}
