import { join, resolve } from 'node:path';
import { TilesError } from '../errors';
import type { ModelCard } from '../model/model-card';
import { stripBandRows } from '../read/level-reader';
import type { GeoTiffSource } from '../read/open-geotiff-source';
import type { RgbRaster } from '../read/resample-area';
import { GSD_LIMIT_SLACK, snapWhole } from '../scan/scan-plan';
import type { VerifierViews } from '../verify/views';
import { loadModel, loadModelCard, type LoadedModel } from './load-model';
import { WindowScorer } from './window-scorer';

/** The second stage of a model whose card has a `verifier` block. */
export interface Verifier {
  /** The verifier's own card (a tile-classifier). */
  card: ModelCard;
  threshold: number;
  maxWindows: number;
  /** Absent when only the windows are wanted (collecting training chips before the verifier exists). */
  model?: LoadedModel;
  /** A cheaper look run first (the card's `verifier.prefilter`): only candidates it keeps reach this verifier. */
  prefilter?: Verifier;
  /** A prefilter's: the verifier looks only inside its windows that passed (card `verifier.prefilter.narrow`). */
  narrow?: boolean;
  /** The coarsest imagery it judges (card `verifier.max_gsd_m`, default 2.5 × its GSD); coarser leaves candidates unverified. */
  maxGsdM?: number;
  /** Maps its best window score to the share of candidates so scored that were poppy (card `verifier.calibration`). */
  calibration?: { scores: number[]; probabilities: number[] };
  /** Test-time views each window is scored in, and how their scores combine (card `verifier.views`); absent: the window as read. */
  views?: VerifierViews;
}

/** The verifier judges imagery up to 2.5 × its own GSD when its card says nothing (0.125 m for a 5-cm verifier). */
export const DEFAULT_MAX_GSD_FACTOR = 2.5;
/** Slack on the verifier's GSD limit, the same as the first stage's (see scan-plan). */
export { GSD_LIMIT_SLACK };

/** The coarsest imagery (m) the verifier judges: its card's `max_gsd_m`, else {@link DEFAULT_MAX_GSD_FACTOR} × its GSD. */
export function verifierLimitM(v: Pick<Verifier, 'card' | 'maxGsdM'>): number {
  return v.maxGsdM ?? DEFAULT_MAX_GSD_FACTOR * v.card.gsd_m;
}

/**
 * Why the verifier cannot judge imagery of this GSD (m; the coarser axis), or undefined when it can.
 * Imagery between its own GSD and its limit is resampled to its GSD window by window.
 */
export function verifierCannotJudge(v: Pick<Verifier, 'card' | 'maxGsdM'>, gsdM: { x: number; y: number }): string | undefined {
  const limit = verifierLimitM(v);
  const coarse = Math.max(gsdM.x, gsdM.y);
  if (coarse <= limit * GSD_LIMIT_SLACK) return undefined;
  return `影像 ${coarse.toFixed(3)} m 过粗，复核模型无法判断 imagery at ${coarse.toFixed(3)} m is coarser than the verifier can judge (≤ ${limit} m): its candidates are kept unverified; fly lower to verify them`;
}

/**
 * Why a scan refuses imagery its verifier cannot judge (unless told to keep such candidates unverified), or undefined.
 * The first stage alone flags hundreds to thousands of places a km² of real imagery: a scan that hands them all on
 * as targets sends teams where nothing grows, so by default the image is not scanned and the operator is told why.
 */
export function coarseRefusal(v: Pick<Verifier, 'card' | 'maxGsdM'>, gsdM: { x: number; y: number }, cliHint = true): string | undefined {
  if (!verifierCannotJudge(v, gsdM)) return undefined;
  const coarse = Math.max(gsdM.x, gsdM.y).toFixed(3);
  const wayOut = cliHint
    ? "fly lower, or scan with --allow-unverified to keep the first stage's candidates, marked unverified (each then owed a ground visit)"
    : `fly lower (≤ ${verifierLimitM(v)} m a pixel) and upload again`;
  return `影像 ${coarse} m 过粗，复核模型无法判断，未扫描 imagery at ${coarse} m is coarser than the verifier can judge (≤ ${verifierLimitM(v)} m), so it was not scanned: ${wayOut}`;
}

/** The calibrated probability of poppy for a best window score: linear between the calibration's points, clamped at its ends. */
export function calibrate(c: { scores: number[]; probabilities: number[] }, score: number): number {
  const { scores: x, probabilities: y } = c;
  if (score <= x[0]) return y[0];
  for (let i = 1; i < x.length; i++) {
    if (score <= x[i]) return x[i] === x[i - 1] ? y[i] : y[i - 1] + ((y[i] - y[i - 1]) * (score - x[i - 1])) / (x[i] - x[i - 1]);
  }
  return y[y.length - 1];
}

/** A window the verifier looked at (reported for training-chip collection). */
export interface VerifierWindow {
  image: string;
  candidateId: string;
  /** Window centre in WGS 84. */
  lonLat: [number, number];
  raster: RgbRaster;
  /** The verifier's score, when it ran. */
  score?: number;
}

type StageBlock = { model: string; threshold: number; max_windows: number; narrow?: boolean };

/**
 * Loads the verifier a card names (and its prefilter, if any and not turned off), or undefined when the card has none.
 * @throws TilesError `TIANDI_E_BAD_MODEL_CARD` when a folder or its card is missing or not a tile-classifier.
 */
export async function loadVerifier(modelDir: string, card: ModelCard, o: StageLoadOptions & { prefilter?: boolean } = {}): Promise<Verifier | undefined> {
  if (!card.verifier) return undefined;
  const { prefilter, max_gsd_m, calibration, views, ...stage } = card.verifier;
  // Both asked for at once (the models' thread loads them one after the other); the verifier's error is thrown first.
  const pre = prefilter && o.prefilter !== false ? loadStage(modelDir, prefilter, 'verifier.prefilter', o) : undefined;
  pre?.catch(() => undefined);
  let verifier: Verifier;
  try {
    verifier = await loadStage(modelDir, stage, 'verifier', o);
  } catch (e) {
    await pre?.then(
      (p) => p.model?.release(),
      () => undefined,
    );
    throw e;
  }
  verifier.maxGsdM = max_gsd_m;
  if (views) verifier.views = views;
  if (calibration) verifier.calibration = { scores: calibration.scores, probabilities: calibration.probabilities };
  try {
    if (pre) verifier.prefilter = { ...(await pre), narrow: prefilter?.narrow === true };
  } catch (e) {
    await verifier.model?.release();
    throw e;
  }
  return verifier;
}

/** How a stage's model is loaded: `load` (default {@link loadModel}, on this thread) with `threads`; only its card when `cardOnly`. */
export interface StageLoadOptions {
  cardOnly?: boolean;
  threads?: number;
  signal?: AbortSignal;
  load?: typeof loadModel;
}

async function loadStage(modelDir: string, stage: StageBlock, key: string, o: StageLoadOptions): Promise<Verifier> {
  const dir = resolve(modelDir, stage.model);
  // The verifier runs after the tile rows, when the worker threads are done: it may use every core. Its model is
  // asked for while its card is read; a card that refuses it wins, and the model is released.
  const modelP = o.cardOnly ? undefined : (o.load ?? loadModel)(dir, { threads: o.threads ?? 1, signal: o.signal });
  modelP?.catch(() => undefined);
  let vcard: ModelCard;
  try {
    vcard = await loadModelCard(dir, o.signal);
    if (vcard.task !== 'tile-classifier') {
      throw new TilesError(
        'TIANDI_E_BAD_MODEL_CARD',
        `模型说明无效 invalid model card: ${key} '${stage.model}' must be a tile-classifier (it is ${vcard.task})`,
        join(dir, 'model.json'),
      );
    }
  } catch (e) {
    await modelP?.then(
      (m) => m.release(),
      () => undefined,
    );
    throw e;
  }
  return { card: vcard, threshold: stage.threshold, maxWindows: stage.max_windows, model: await modelP };
}

/**
 * Reads the verifier's input window centred on full-resolution source pixel (px, py), at the verifier's GSD.
 * Where the window spans a whole number of source pixels (imagery at the verifier's GSD or a whole multiple
 * of it, within 0.2 %) its corner is moved by under half a pixel onto the pixel grid: the window is then an
 * exact copy or box average of source pixels rather than an interpolation between them, and far cheaper to read.
 */
export function readVerifierWindow(src: GeoTiffSource, vcard: ModelCard, px: number, py: number, signal?: AbortSignal): Promise<RgbRaster> {
  const size = vcard.input.size;
  const wx = snapWhole((size * vcard.gsd_m) / src.gsdM.x);
  const wy = snapWhole((size * vcard.gsd_m) / src.gsdM.y);
  // A window of k source pixels per window pixel (k whole) starts on a multiple of k: its cells are then the
  // pixels of a k× level (an overview, or the reduced level a scan builds), read by copying.
  const onGrid = (p: number, w: number) => {
    const k = w / size;
    return Number.isInteger(k) ? k * Math.round((p - w / 2) / k) : Math.round(p - w / 2);
  };
  const x0 = Number.isInteger(wx) ? onGrid(px, wx) : px - wx / 2;
  const y0 = Number.isInteger(wy) ? onGrid(py, wy) : py - wy / 2;
  return src.readWindow([x0, y0, x0 + wx, y0 + wy], size, size, signal);
}

/** Block cache of each thread reading verifier windows (windows of one candidate lie near each other). */
export const VERIFY_CACHE_BYTES = 32 << 20;

/**
 * The block cache for reading a stage's windows: {@link VERIFY_CACHE_BYTES}, or what holds every block one window spans
 * (held with validity), when more: two by two blocks of a tiled file, every band under the window of a striped one.
 * A 40 000-px file's 256-row strips are 41 MB each: in 32 MB each window read its two strips again, from the kept file
 * or decoded (a 160-Mpx cut scanned in 94 s, 86 of them the kernel copying 30-MB records back, against 9 s for the
 * same pixels in 64-row strips); 2048-px tiles are 17 MB. Less than the first stage's block cache asks for (a swath's
 * or a tile row's blocks, and two more rows), which is freed by then.
 */
export function verifyCacheBytes(src: Pick<GeoTiffSource, 'layout' | 'gsdM'>, vcard: Pick<ModelCard, 'input' | 'gsd_m'>): number {
  const { tiled, blockWidth, blockHeight } = src.layout;
  if (tiled) return Math.max(VERIFY_CACHE_BYTES, 4 * blockWidth * blockHeight * 4);
  const bandRows = stripBandRows(blockHeight);
  const windowRows = Math.ceil((vcard.input.size * vcard.gsd_m) / src.gsdM.y);
  const bands = Math.ceil(windowRows / bandRows) + 1;
  return Math.max(VERIFY_CACHE_BYTES, bands * bandRows * blockWidth * 4);
}

/**
 * Windows read ahead of the one being queued for scoring: block decodes run on the thread pool while this thread
 * assembles other windows and writes batches (4 left the pool idle: interleaved A/B on the 64-Mpx bench files, 16
 * was 5 % faster on the COG, 11 % on tiled deflate).
 */
const READ_AHEAD = 16;
/** Windows scored between progress reports. */
const PROGRESS_EVERY = 256;

/**
 * Reads and scores the verifier's windows centred on full-resolution source pixels
 * `centres` = [px0, py0, px1, py1, ...]; returns one poppy probability per window. Windows are read in
 * {@link readingOrder} and handed to a {@link WindowScorer} as they come, so this thread reads the next windows while
 * the models' thread scores the last ones (in chunks read whole before scoring, the models' thread sat idle while a
 * chunk of blocks already kept on disk was read). Memory stays bounded: the scorer holds a few batches, the reads
 * {@link READ_AHEAD} windows. `onScored` is told how many windows are scored, every {@link PROGRESS_EVERY} and at the end;
 * `onWindow` of each window, its score and raster, once its score is final.
 */
export async function scoreCentres(
  v: Verifier,
  src: GeoTiffSource,
  centres: Float64Array,
  signal?: AbortSignal,
  onScored?: (done: number) => void,
  onWindow?: (i: number, score: number, raster: RgbRaster) => void,
): Promise<Float32Array> {
  const n = centres.length / 2;
  const out = new Float32Array(n);
  const order = readingOrder(src, centres);
  let done = 0;
  const scorer = new WindowScorer(v, (i, s, raster) => {
    out[i] = s;
    onWindow?.(i, s, raster);
    if (++done % PROGRESS_EVERY === 0 || done === n) onScored?.(done);
  });
  const read = (j: number) => readVerifierWindow(src, v.card, centres[2 * order[j]], centres[2 * order[j] + 1], signal);
  const ahead: Promise<RgbRaster>[] = [];
  for (let j = 0, issued = 0; j < n; j++) {
    for (; issued < n && issued <= j + READ_AHEAD; issued++) {
      const r = read(issued);
      r.catch(() => undefined); // awaited, and its error thrown, in its turn
      ahead.push(r);
    }
    await scorer.add(order[j], await ahead.shift()!);
  }
  await scorer.finish();
  return out;
}

/**
 * Block columns of a tiled file whose windows are read before the next ones': a swath's blocks under a block row
 * and the rows either side (a window reaches into both), with a column either side, fit the verifier's cache
 * ({@link VERIFY_CACHE_BYTES}, blocks held with validity). Block rows across the whole image did not: on a 1.6-Gpx
 * COG (79 blocks across) the second stage read 6 153 kept blocks 17 349 times, a 786-KB copy each.
 */
export function readingSwathBlocks(layout: { blockWidth: number; blockHeight: number }): number {
  const cached = Math.floor(VERIFY_CACHE_BYTES / (layout.blockWidth * layout.blockHeight * 4));
  return Math.max(1, Math.floor(cached / 3) - 2);
}

/**
 * The order windows are read in: a tiled file swath by swath ({@link readingSwathBlocks}), down each in block rows,
 * left to right in each (strips: top to bottom), so the blocks under neighbouring windows are decoded (or read
 * from the kept file) once while cached. In candidate order, windows of far-apart candidates took turns: a 1.6-Gpx
 * striped file read its full-width strips again for nearly every window.
 */
export function readingOrder(src: Pick<GeoTiffSource, 'layout'>, centres: Float64Array): Uint32Array {
  const n = centres.length / 2;
  const { tiled, blockWidth, blockHeight } = src.layout;
  const bh = tiled ? blockHeight : 1;
  const swathPx = tiled ? readingSwathBlocks(src.layout) * blockWidth : Infinity;
  const swath = (i: number) => Math.floor(centres[2 * i] / swathPx);
  const band = (i: number) => Math.floor(centres[2 * i + 1] / bh);
  return Uint32Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => swath(a) - swath(b) || band(a) - band(b) || (bh > 1 ? centres[2 * a] - centres[2 * b] : centres[2 * a + 1] - centres[2 * b + 1]) || a - b,
  );
}

/** Maps 0..n-1 through `fn` with at most `limit` calls pending; results in index order. */
export async function mapConcurrent<T>(n: number, limit: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const out = new Array<T>(n);
  let nextIndex = 0;
  const lane = async () => {
    while (nextIndex < n) {
      const i = nextIndex++;
      out[i] = await fn(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, n) }, lane));
  return out;
}

/**
 * Scores windows with the verifier, in batches; returns one poppy probability per window (its views combined, if
 * any). With `min` over views led by `as_read`, each further view is scored only for windows whose lowest score so
 * far reaches the verifier's threshold: any other window's lowest view is below it too, so it can neither keep its
 * candidate nor be a kept candidate's best window (scores of kept candidates, their chips and every score of a scan
 * at threshold 0 are those of scoring every view; only windows that cannot matter keep their as-read score).
 */
export async function scoreWindows(v: Verifier, rasters: RgbRaster[]): Promise<number[]> {
  const out = new Array<number>(rasters.length);
  const scorer = new WindowScorer(v, (i, s) => (out[i] = s));
  for (const [i, r] of rasters.entries()) await scorer.add(i, r);
  await scorer.finish();
  return out;
}
