import { availableParallelism, tmpdir } from 'node:os';
import { mkdir, rename, rm, statfs, writeFile } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { TilesError, throwIfAborted, type TilesErrorCode } from '../errors';
import { openGeoTiffSource, type GeoTiffSource } from '../read/open-geotiff-source';
import { HeatmapAccumulator } from '../scan/heatmap-accumulator';
import { PagedCells } from '../scan/paged-cells';
import { firstStageMaxGsdM, firstStageRefusal, scanPlan, type ScanPlan } from '../scan/scan-plan';
import type { PoorBlock, RowResult } from '../scan/scan-row';
import type { ModelCard } from '../model/model-card';
import { finishImage, type ImageResult } from './finish-image';
import { poorBlockFeatures, qualitySummary, type QualitySummary } from './quality-map';
import { DEFAULT_QUALITY, type QualityThresholds } from '../quality/block-quality';
import {
  cacheBytesFor,
  defaultThreads,
  leaveRowsToWorkers,
  FOOTPRINT_CACHE_BYTES,
  HEATMAP_CACHE_BYTES,
  keepLevelBytes,
  keptLevel,
  jpegScaleFactor,
  keptMemoryBytes,
  keptWriteBytes,
  stripThreadFits,
  stripsAhead,
  memoryPlan,
  reducedLevelFactor,
  secondStageThreadsFit,
  scanUnits,
  swathTiles,
} from './thread-plan';
import { heatmapThreadBundle, writeHeatmapOnThread } from './heatmap-thread';
import { loadModel, loadModelCard, type LoadedModel } from './load-model';
import { ScanWorker } from './worker-pool';
import { OnnxThread } from './onnx-thread';
import { widenSecondStage, windowTensorsBundle } from './model-pool';
import { dropEarlyOnnxThread, startOnnxThreadEarly } from './onnx-thread-early';
import { scanWorkerBundle } from './worker-bundle';
import { coarseRefusal, loadVerifier, mapConcurrent, verifierLimitM, type Verifier, type VerifierWindow } from './verify-candidates';
import { removeOrphanLevels } from '../read/reduced-level';
import { decodesOffThread, preloadJpegDecoder, requireSharp } from '../read/codecs';
import { readFirstWindow, runFirstStage, type EarlyWindow } from './first-stage';
import { LzwThread } from './lzw-thread';
import { digestWindows, dropEarlySha256, startFileSha256 } from './image-digests';
import { halfWindowPx, hotScoreFor, swathEdgeBoxes, type KeepSpec } from './keep-plan';

/** Progress of a scan, reported after every row of tiles. */
export interface ScanProgress {
  /** `tiles`: the first stage reading and inferring tile rows; `verify`: the second stage scoring its windows. */
  phase: 'tiles' | 'verify';
  image: string;
  imageIndex: number;
  images: number;
  tilesDone: number;
  tilesTotal: number;
  /** Source megapixels covered so far and in total. */
  mpxDone: number;
  mpxTotal: number;
  /** The verifier's windows of this image scored so far and in all (0 in the tiles phase). */
  windowsDone: number;
  windowsTotal: number;
  elapsedS: number;
}

/** Options of {@link scanImages}. */
export interface ScanImagesOptions {
  images: string[];
  /** Folder holding model.onnx + model.json. */
  modelDir: string;
  /** Output folder; default `./scan-<first image name>` (relative to `cwd`). */
  outDir?: string;
  cwd?: string;
  /** Seed threshold (overrides the card's `high`; `low` keeps its ratio to `high`). */
  threshold?: number;
  /** Threads doing the work, this one included; default one per core (1 for jobs under 16 Mpx, where starting threads costs more than it saves). */
  workers?: number;
  /** CRS override for every image (EPSG code or proj4). */
  crs?: string;
  /** Whether this thread scans too (default true); false leaves every row to worker threads. */
  inThisThread?: boolean;
  /** Tiles scored per ONNX call (default: about 2 MB of input, at most 8). */
  batchSize?: number;
  onProgress?: (p: ScanProgress) => void;
  signal?: AbortSignal;
  /** Run the model's verifier (second stage), when its card has one (default true). */
  verify?: boolean;
  /**
   * Scan imagery coarser than the verifier can judge (its card's `max_gsd_m`), keeping the first stage's candidates
   * marked unverified (default false: such an image fails with `TIANDI_E_GSD_TOO_COARSE`, the others are scanned).
   * Without a second stage (`verify: false`, a one-stage model) every candidate is unverified anyway.
   */
  allowUnverified?: boolean;
  /** Run the verifier's prefilter, when its card has one (default true); false sends every candidate to the verifier. */
  prefilter?: boolean;
  /** Called with every window the verifier looks at (also when `verify` is false): for training chips. */
  onVerifierWindow?: (w: VerifierWindow) => void;
  /** First-stage candidates the second stage judges at a time (default 4096): the stage holds a band's, not every one's. */
  secondStageBand?: number;
  /**
   * Imagery-quality thresholds (the season policy's `imagery_quality`; missing keys take the defaults), or false to
   * judge nothing. Poor blocks (blurred, over-exposed, dark, hazy) are left out of the footprint, so coverage
   * counts them as gaps, and listed in quality.geojson.
   */
  quality?: Partial<QualityThresholds> | false;
  /**
   * Decode JPEG blocks 2, 4 or 8× smaller for the first stage and the prefilter when they read that much coarser
   * than a file without such an overview (GeoTiffSource.scaleJpegLevel); false decodes every block at full size and
   * reduces it. Default: what the model card allows (`input.jpeg_dct_scaling`, default false).
   */
  scaledJpeg?: boolean;
}

/** One image that could not be scanned. */
export interface ScanFailure {
  image: string;
  code: TilesErrorCode;
  message: string;
}

export type { CandidateProperties } from './finish-image';

/** summary.json. */
export interface ScanSummary {
  images: number;
  tiles_total: number;
  tiles_inferred: number;
  tiles_skipped_nodata: number;
  area_km2: number;
  candidates: number;
  /** Candidates no second stage judged (`unverified: true` in candidates.geojson): only the first stage's word, which alone flags thousands per km². */
  candidates_unverified: number;
  seconds: number;
  mpx_per_s: number;
  model: string;
  model_version: string;
  /** What the model card says its numbers do not cover (`training.warning`: e.g. poppy seen only in synthetic imagery), when it says it. */
  model_warning?: string;
  /** The second stage, when the model has one and it was not turned off. */
  verifier?: {
    model: string;
    threshold: number;
    images_verified: number;
    /** Candidates ruled out, by the prefilter and the verifier together. */
    candidates_rejected: number;
    /** The verifier's cheaper first look, when its card has one: of candidates_rejected, those it ruled out. */
    prefilter?: { model: string; threshold: number; candidates_rejected: number };
    /** Images it could not look at, with the reason (their candidates are all kept, marked unverified). */
    skipped: Array<{ image: string; reason: string }>;
  };
  /** What to know about the images' CRSs, each said once: a datum with no known shift to WGS 84, a missing datum grid. */
  crs_notes?: string[];
  /** How images' bands were read where their tags leave it open (colour bands tagged grey), each said once. */
  band_notes?: string[];
  /** The imagery-quality map's totals (absent when quality was not judged). */
  quality?: QualitySummary;
  /** Images that failed, with their error (empty when all succeeded). */
  failed: ScanFailure[];
  /** The output folder, or null when every image failed (nothing was written). */
  out_dir: string | null;
}

const round = (v: number, d: number) => Math.round(v * 10 ** d) / 10 ** d;

/** Writes the window the verifier judged best for each kept candidate, as chips/<id>.png. */
async function writeChips(dir: string, results: ImageResult[]): Promise<void> {
  const all = results.flatMap((r) => [...r.chips]);
  if (!all.length) return;
  await mkdir(dir, { recursive: true });
  // Loaded only by a scan with verified candidates (the same module as the JPEG decoder's, when that is loaded).
  const sharp = requireSharp();
  // Encoded on the thread pool, four at a time.
  await mapConcurrent(all.length, 4, (i) => {
    const [id, r] = all[i];
    return sharp(Buffer.from(r.rgb.buffer, r.rgb.byteOffset, r.rgb.byteLength), { raw: { width: r.width, height: r.height, channels: 3 } })
      .png()
      .toFile(resolve(dir, `${id}.png`));
  });
}

/** The CRS and band notes of the scanned images, each once (left out when there are none). */
function sourceNotes(results: ImageResult[]): Pick<ScanSummary, 'crs_notes' | 'band_notes'> {
  const once = (notes: (string | undefined)[]) => [...new Set(notes.filter((n): n is string => !!n))];
  const crs = once(results.map((r) => r.heat.source.crs.note));
  const bands = once(results.map((r) => r.heat.source.bandNote));
  return { ...(crs.length ? { crs_notes: crs } : {}), ...(bands.length ? { band_notes: bands } : {}) };
}

function failureOf(image: string, err: unknown): ScanFailure {
  if (err instanceof TilesError) return { image, code: err.code, message: err.message };
  return { image, code: 'TIANDI_E_INTERNAL', message: (err as Error)?.message ?? String(err) };
}

const isAbort = (err: unknown) => (err as TilesError)?.code === 'TIANDI_E_ABORTED';

/** Bytes free in the temp folder, once the levels of scans that were killed are removed (0 when unknown). */
async function freeTempBytes(): Promise<number> {
  await removeOrphanLevels(tmpdir());
  try {
    const s = await statfs(tmpdir());
    return s.bavail * s.bsize;
  } catch {
    return 0;
  }
}

/** Whether the temp folder has `bytes` to spare with half its free space left over (a 20-Gpx level is 20 GB). */
async function roomFor(bytes: number): Promise<boolean> {
  return bytes * 2 <= (await freeTempBytes());
}

async function stopWorkers(workers: ScanWorker[]): Promise<void> {
  await Promise.all(workers.map((w) => w.request({ type: 'exit' }).catch(() => undefined)));
  await Promise.all(workers.map((w) => w.terminate()));
}

/** One image opened for scanning, with its plan. */
interface OpenedImage {
  path: string;
  src: GeoTiffSource;
  plan: ScanPlan;
}

/**
 * Opens every image first: bad files are reported at once and the total work is known for progress. `refuse` says
 * why an opened image is not to be scanned (imagery its verifier cannot judge), if it is not.
 */
async function openImages(
  images: string[],
  card: ModelCard,
  options: ScanImagesOptions,
  refuse?: (gsdM: { x: number; y: number }) => string | undefined,
): Promise<{ opened: OpenedImage[]; failed: ScanFailure[] }> {
  const opened: OpenedImage[] = [];
  const failed: ScanFailure[] = [];
  for (const path of images) {
    try {
      const src = await openGeoTiffSource(path, { crs: options.crs, signal: options.signal, cacheBytes: 16 << 20 });
      try {
        const plan = scanPlan(src.width, src.height, src.gsdM, card, path);
        const refusal = refuse?.(src.gsdM);
        if (refusal) throw new TilesError('TIANDI_E_GSD_TOO_COARSE', refusal, path);
        if (options.quality !== false) plan.quality = { ...DEFAULT_QUALITY, ...(options.quality ?? {}) };
        src.setCacheBytes(cacheBytesFor(src, plan));
        opened.push({ path, src, plan });
      } catch (err) {
        await src.close();
        throw err;
      }
    } catch (err) {
      if (isAbort(err)) throw err;
      failed.push(failureOf(path, err));
    }
  }
  return { opened, failed };
}

/**
 * What refuses imagery the model's verifier cannot judge ({@link coarseRefusal}), when it will run and the scan was
 * not told to keep such candidates unverified. Only the verifier's card is read here; its model loads later.
 */
async function coarseImagery(modelDir: string, card: ModelCard, options: ScanImagesOptions) {
  if (options.allowUnverified || options.verify === false || !card.verifier) return undefined;
  const v = await loadVerifier(modelDir, card, { cardOnly: true, prefilter: false, signal: options.signal });
  return v && ((gsdM: { x: number; y: number }) => coarseRefusal(v, gsdM));
}

/** Why a scan would refuse imagery of a GSD, and the coarsest GSD (m) it takes: {@link gsdRefusal}'s answer. */
export interface GsdRefusal {
  message: string;
  gsdM: number;
  limitM: number;
}

/**
 * Why a scan with the model in `modelDir` refuses imagery of this GSD: coarser than its first stage takes, or, when
 * it has a verifier, than the verifier can judge (the scan's default; `allowUnverified` scans such imagery). The
 * server asks this of an upload before it queues a scan, so a 0.25-m orthophoto is refused at once, not by a job
 * that fails later; its message names no CLI flag (`cliHint: false`).
 */
export async function gsdRefusal(
  modelDir: string,
  gsdM: { x: number; y: number },
  o: { cliHint?: boolean; signal?: AbortSignal } = {},
): Promise<GsdRefusal | undefined> {
  const card = await loadModelCard(modelDir);
  const coarse = Math.max(gsdM.x, gsdM.y);
  const first = firstStageRefusal(card, gsdM);
  if (first) return { message: first, gsdM: coarse, limitM: firstStageMaxGsdM(card) };
  if (!card.verifier) return undefined;
  const v = await loadVerifier(modelDir, card, { cardOnly: true, prefilter: false, signal: o.signal });
  const message = v && coarseRefusal(v, gsdM, o.cliHint ?? true);
  return message ? { message, gsdM: coarse, limitM: verifierLimitM(v) } : undefined;
}

/** The card's thresholds, or `threshold` as the seed threshold with `low` keeping its ratio to `high`. */
function thresholdsFor(card: ModelCard, threshold: number | undefined): ModelCard['thresholds'] {
  const thresholds = { ...card.thresholds };
  if (threshold !== undefined) {
    if (!(threshold > 0 && threshold <= 1)) throw new TilesError('TIANDI_E_BAD_MODEL_CARD', `--threshold must be in (0, 1], got ${threshold}`);
    thresholds.low = (card.thresholds.low / card.thresholds.high) * threshold;
    thresholds.high = threshold;
  }
  return thresholds;
}

/**
 * Threads doing the work: this one plus worker threads, or on long jobs worker threads alone, this one handing out
 * rows (leaveRowsToWorkers). This thread starts at once, so the workers' start-up (loading geotiff, onnxruntime)
 * hides behind real work; shorter jobs need no workers. Fewer threads when their block caches would not fit the
 * memory budget (wide striped files), and this thread scans too when the workers alone would be one.
 */
function planThreads(opened: OpenedImage[], options: ScanImagesOptions): { threads: number; nWorkers: number; here: boolean; asked: number; widened: boolean } {
  const images = opened.map((o) => ({
    mpx: (o.src.width * o.src.height) / 1e6,
    compression: o.src.layout.compression,
    fractional: !Number.isInteger(o.plan.fx) || !Number.isInteger(o.plan.fy),
  }));
  const cores = availableParallelism();
  const asked = Math.max(1, options.workers ?? defaultThreads(images, cores));
  const fit = (here: boolean) => Math.min(asked, ...opened.map((o) => memoryPlan(o.src, o.plan, asked, here).threads));
  const maxRows = Math.max(1, ...opened.map((o) => scanUnits(o.plan, swathTiles(o.src, o.plan)).length));
  const away = options.inThisThread === false || (options.inThisThread === undefined && leaveRowsToWorkers(images, cores) && fit(false) > 1);
  if (away) {
    const threads = fit(false);
    return { threads, nWorkers: threads, here: false, asked, widened: false };
  }
  const threads = fit(true);
  // Rows left to this thread alone by the memory plan, several threads asked for: the second stage may still use them.
  const widened = threads === 1 && opened.length > 0 && opened.every((o) => secondStageThreadsFit(o.plan, asked, cores));
  return { threads, nWorkers: Math.min(threads - 1, maxRows - 1), here: true, asked, widened };
}

/** Everything the images of one scan share: options, model, threads, and progress so far. */
interface ScanRun {
  options: ScanImagesOptions;
  modelDir: string;
  card: ModelCard;
  batchSize: number;
  thresholds: ModelCard['thresholds'];
  threads: number;
  /** Whether this thread scans tile rows too (else it hands them out to the worker threads). */
  here: boolean;
  /** Threads asked for (or chosen for the job's size) before the memory plan had its say. */
  asked: number;
  /** The plan left the rows to this thread alone, but the second stage gets its threads (secondStageThreadsFit). */
  widened: boolean;
  workers: { worker: ScanWorker; ready: Promise<boolean> }[];
  /** The thread this one's models (first stage, prefilter, verifier) run on. */
  onnx?: OnnxThread;
  /** A second models' thread for the second stage of a long job, started when its worker threads stop. */
  secondOnnx?: OnnxThread;
  local?: LoadedModel;
  verifier?: Verifier;
  images: number;
  tilesTotal: number;
  mpxTotal: number;
  tilesDone: number;
  mpxDone: number;
  blocksJudged: number;
  t0: number;
  /** The folder every output is written into before it is renamed to the output folder (heatmaps as soon as they are final). */
  tmp: string;
  /** Temporary files of finished images being removed: awaited before the scan returns, not before the next image or the outputs. */
  removals: Promise<unknown>[];
  /** The first image's first window for this thread, read while the models load. */
  first?: EarlyWindow;
}

/**
 * Whether a long job's second stage runs on two models' threads and writes its heatmap on a thread of its own: they
 * start once the last image's first stage is over, its worker threads stopped, and take ~60 and ~25 MB of what those
 * held. Also where the memory plan left the rows to this thread alone (a wide striped file), when more threads were
 * asked for: they take the memory of the first stage's block cache and strip thread, and the blocks this thread holds
 * for the second stage leave room for them (keptMemoryBytes; without that the 1.6-Gpx striped file reached 633 MB).
 */
const secondStageThreads = (run: ScanRun) => run.workers.length > 0 || run.widened;

/** Starts the worker threads (each loading the model) and loads this thread's models and the verifier on their own thread. */
async function startModels(run: ScanRun, nWorkers: number, opened: OpenedImage[]): Promise<void> {
  const { options, modelDir, card } = run;
  const bundle = nWorkers > 0 ? await scanWorkerBundle() : undefined;
  // A long job's heatmap thread and its models' threads' tensor writing start from bundles too: built (or found
  // fresh) while the first stage runs.
  if (nWorkers > 0) {
    void heatmapThreadBundle();
    void windowTensorsBundle();
  }
  for (let i = 0; i < nWorkers; i++) {
    const worker = new ScanWorker(bundle);
    // A worker that cannot start is left out; this thread still does the work.
    run.workers.push({
      worker,
      ready: worker.request({ type: 'model', modelDir }).then(
        () => true,
        () => false,
      ),
    });
  }
  const onnx = (run.onnx = new OnnxThread());
  const load: typeof loadModel = (dir, o) => onnx.load(dir, o);
  const local = load(modelDir, { threads: 1 });
  // The verifier runs when the tile rows are done and the worker threads idle: it may use every core (the threads
  // asked for, when asked), also when the rows were left to this thread alone. A long job's second stage runs on two
  // models' threads instead (widenSecondStage), each session on one core.
  const verifier =
    options.verify !== false || options.onVerifierWindow
      ? loadVerifier(modelDir, card, {
          cardOnly: options.verify === false,
          prefilter: options.prefilter,
          threads: nWorkers > 0 || run.widened ? 1 : Math.max(1, options.workers ?? availableParallelism()),
          signal: options.signal,
          load,
        })
      : undefined;
  // Their errors are thrown below, the first stage's model's first as before (not unhandled meanwhile).
  local.catch(() => undefined);
  verifier?.catch(() => undefined);
  // Meanwhile this thread loads the JPEG decoder (sharp: a tenth of a CPU-second), which the first block would wait for.
  if (opened.some((o) => decodesOffThread(o.src.layout.compression))) await preloadJpegDecoder();
  run.local = await local;
  run.verifier = await verifier;
}

/** Whether the prefilter will run (a model with one, verification on). */
const prefilterRuns = (run: ScanRun) => !!run.verifier?.prefilter?.model && run.options.verify !== false;

/** A prefilter at a level the file lacks (no overviews): the first stage's decodes build it once, on disk. */
async function prepareReducedLevel(
  run: ScanRun,
  src: GeoTiffSource,
  plan: ScanPlan,
  k: number,
  keep: number,
): Promise<{ path: string; factor: number } | undefined> {
  const rf = !keep && prefilterRuns(run) ? reducedLevelFactor(src, plan, run.verifier!.prefilter!.card.gsd_m) : 0;
  const path = join(tmpdir(), `tiandi-level-${process.pid}-${k}-${rf}x.bin`);
  const ok = rf > 0 && (await roomFor((src.width / rf) * (src.height / rf) * 4)) && (await src.reduceLevel(rf, path, true).catch(() => false));
  return ok ? { path, factor: rf } : undefined;
}

/**
 * When the first stage decodes full-resolution blocks (no overview as coarse as its grid), the blocks read again
 * later (swath edges, the pixel digest's windows, the second stage's windows) are kept on disk instead of decoded
 * twice; when it decodes JPEG blocks smaller (scaleJpegLevel), those the prefilter reads again, unless the whole
 * level stays cached (`cached`). Undefined when the first stage reads an overview, or the temp folder lacks room
 * for a quarter of the level.
 */
async function prepareKeptBlocks(
  run: ScanRun,
  src: GeoTiffSource,
  plan: ScanPlan,
  k: number,
  cached: boolean,
  stripThread: boolean,
): Promise<KeepSpec | undefined> {
  const L = keptLevel(src, plan);
  const level0 = L === src.levels[0];
  // At most a quarter of the temp folder's free space, and the level's size decoded, shared by the threads.
  const limitBytes = L ? Math.min(L.width * L.height * 4, (await freeTempBytes()) / 4) / Math.max(1, run.threads) : 0;
  if (!L || (!level0 && cached) || !(limitBytes > 0)) return undefined;
  const path = join(tmpdir(), `tiandi-level-${process.pid}-${k}-kept.bin`);
  const inFlightBytes = keptWriteBytes(src, plan);
  // Those this thread keeps stay in memory, as decoded, while the memory plan leaves room (no copy, no file).
  const memoryBytes = keptMemoryBytes(src, plan, run.threads, run.here, { strips: stripThread, secondStage: secondStageThreads(run) });
  if (
    !(await src.keepBlocks(path, true, limitBytes, inFlightBytes, memoryBytes).then(
      () => true,
      () => false,
    ))
  )
    return undefined;
  const v = run.verifier;
  const checks = v?.model && run.options.verify !== false;
  // A level decoded smaller serves the prefilter only (the verifier and the pixel digest read full-resolution pixels).
  const stages = checks ? [...(level0 ? [v.card] : []), ...(v.prefilter?.model ? [v.prefilter.card] : [])] : [];
  const boxes = [...(src.layout.tiled ? swathEdgeBoxes(plan, swathTiles(src, plan), src.height) : []), ...(level0 ? digestWindows(src) : [])];
  const spec: KeepSpec = {
    path,
    limitBytes,
    inFlightBytes,
    boxes,
    hotScore: stages.length ? hotScoreFor(run.thresholds.low) : Infinity,
    halfWindowPx: halfWindowPx(stages, src.gsdM),
  };
  for (const box of boxes) src.keepBlocksUnder(box);
  return spec;
}

/** What the first stage of one image gathers from its rows: heatmap, footprint, quality, counts. */
class ImageRows {
  readonly acc: HeatmapAccumulator;
  readonly foot: PagedCells<Uint8Array>;
  readonly poorBlocks: PoorBlock[] = [];
  inferred = 0;
  skipped = 0;

  constructor(
    private readonly run: ScanRun,
    private readonly o: OpenedImage,
    private readonly k: number,
  ) {
    // Paged on disk past its cache: the heatmap's memory stays the same whatever the image's size.
    this.acc = new HeatmapAccumulator(o.plan, { pathPrefix: join(tmpdir(), `tiandi-level-${process.pid}-${k}-heat`), cacheBytes: HEATMAP_CACHE_BYTES });
    this.foot = new PagedCells(Uint8Array, o.plan.footWidth, o.plan.footHeight, {
      path: join(tmpdir(), `tiandi-level-${process.pid}-${k}-foot.bin`),
      cacheBytes: FOOTPRINT_CACHE_BYTES,
    });
  }

  /** Adds a scanned row and reports progress. */
  take(r: RowResult): void {
    const { plan, src, path } = this.o;
    const run = this.run;
    for (const t of r.tiles) this.acc.addTile(t.tx, r.ty, t.scores);
    this.acc.setValidRows(r.heatRow0, r.heatRows, r.heatValid);
    for (let y = 0; y < r.footRows; y++) {
      const fy = r.footRow0 + y;
      // 1 valid, 2 valid but poor quality: the larger wins where rows overlap (only a block's own row judges it).
      for (let x = 0; x < plan.footWidth; x++) {
        const v = r.footValid[y * plan.footWidth + x];
        if (v > this.foot.at(x, fy)) this.foot.put(x, fy, v);
      }
    }
    for (const b of r.poorBlocks) this.poorBlocks.push(b);
    run.blocksJudged += r.blocksJudged;
    this.inferred += r.tilesInferred;
    this.skipped += r.tilesSkipped;
    run.tilesDone += r.tx1 - r.tx0;
    run.mpxDone += ((src.width * src.height) / 1e6 / plan.tilesDown) * ((r.tx1 - r.tx0) / plan.tilesAcross);
    run.options.onProgress?.({
      phase: 'tiles',
      image: path,
      imageIndex: this.k,
      images: run.images,
      tilesDone: run.tilesDone,
      tilesTotal: run.tilesTotal,
      mpxDone: run.mpxDone,
      mpxTotal: run.mpxTotal,
      windowsDone: 0,
      windowsTotal: 0,
      elapsedS: (performance.now() - run.t0) / 1000,
    });
  }
}

/** Where image `k`'s heatmap is written while the scan goes on, inside the output's temporary folder (renamed by writeOutputs). */
const heatmapPart = (run: ScanRun, k: number) => join(run.tmp, `.heatmap-${k}.tif`);

/** Tracing, the second stage (reporting its windows as progress) and the footprint of an image whose rows are scanned. */
async function finishScannedImage(run: ScanRun, o: OpenedImage, k: number, rows: ImageRows, keep: number, last: boolean): Promise<ImageResult> {
  const { path, src, plan } = o;
  const { options, verifier } = run;
  await mkdir(run.tmp, { recursive: true });
  // Not before the last image: the worker threads still hold their memory.
  const bundle = last && secondStageThreads(run) ? await heatmapThreadBundle() : undefined;
  const onVerify = (windowsDone: number, windowsTotal: number) =>
    options.onProgress?.({
      phase: 'verify',
      image: path,
      imageIndex: k,
      images: run.images,
      tilesDone: run.tilesDone,
      tilesTotal: run.tilesTotal,
      mpxDone: run.mpxDone,
      mpxTotal: run.mpxTotal,
      windowsDone,
      windowsTotal,
      elapsedS: (performance.now() - run.t0) / 1000,
    });
  return finishImage(
    path,
    src,
    plan,
    run.card,
    rows.acc,
    rows.foot,
    run.thresholds,
    rows.inferred,
    rows.skipped,
    verifier
      ? {
          verifier,
          apply: options.verify !== false,
          onWindow: options.onVerifierWindow,
          signal: options.signal,
          onProgress: onVerify,
          prefilterCacheBytes: keep,
          bandCandidates: options.secondStageBand,
        }
      : undefined,
    run.card.verifier ? '复核已关闭 the second stage was turned off (--no-verify)' : '模型无复核阶段 the model has no second stage',
    // A long job's heatmap is written on a thread of its own beside tracing (this thread's alone: the thread is
    // started before tracing begins); a short job's here, while the second stage runs (its deflate on the thread pool).
    (scores) => writeHeatmapOnThread(heatmapPart(run, k), { plan, scores, source: src }, bundle, options.signal),
  );
}

/** Scans one image: the first stage over every row, then tracing, the second stage and the footprint (finishImage). */
async function scanImage(run: ScanRun, o: OpenedImage, k: number, last: boolean): Promise<{ result: ImageResult; poorBlocks: PoorBlock[] }> {
  const { path, src, plan } = o;
  const { options, verifier } = run;
  // Only where the card allows its first stage to see libjpeg's scaled decode (the pixels differ slightly).
  const dct = options.scaledJpeg ?? run.card.input.jpeg_dct_scaling === true;
  const scaled = dct ? jpegScaleFactor(src, plan, prefilterRuns(run) ? verifier!.prefilter!.card.gsd_m : undefined) : 0;
  const scaledOk = scaled > 0 && src.scaleJpegLevel(scaled);
  // A prefilter reading the level the first stage decodes finds every block still decoded when it fits.
  const keep = prefilterRuns(run) ? keepLevelBytes(src, plan, verifier!.prefilter!.card.gsd_m) : 0;
  const { cacheBytes } = memoryPlan(src, plan, run.threads, run.here);
  src.setCacheBytes(Math.max(keep, cacheBytes));
  // Kept blocks cover the prefilter's windows too (read at full resolution and averaged, the same bytes as the
  // reduced level's): the reduced level is built only when blocks cannot be kept.
  // A striped file left to this thread alone: most of each band's strips are decoded on a thread of their own.
  const stripThread = run.here && run.threads === 1 && stripThreadFits(src, plan, run.asked, availableParallelism());
  const kept = await prepareKeptBlocks(run, src, plan, k, keep > 0, stripThread);
  const reduced = kept ? undefined : await prepareReducedLevel(run, src, plan, k, keep);
  const rows = new ImageRows(run, o, k);
  // It decodes the next tile row's first bands while this thread works on a row's windows, as the budget allows.
  const strips = stripThread ? await LzwThread.start(stripsAhead(src, plan)).catch(() => undefined) : undefined;
  src.decodeStripsWith(strips);
  try {
    await runFirstStage({
      path,
      src,
      plan,
      card: run.card,
      crs: options.crs,
      batchSize: run.batchSize,
      cacheBytes,
      reduced,
      keep: kept,
      scaled: scaledOk ? scaled : undefined,
      first: k === 0 ? run.first : undefined,
      local: run.local!,
      inThisThread: run.here,
      workers: run.workers,
      take: (r) => rows.take(r),
      signal: options.signal,
    });
    // Tracing and the heatmap need memory of their own: decoded blocks are not needed any more (unless kept
    // for the prefilter), nor, after the last image, the worker threads (their heaps, caches and sessions).
    if (!keep) src.setCacheBytes(0);
    // Nor the strip thread: its memory goes to the second stage's threads.
    src.decodeStripsWith(undefined);
    await strips?.terminate();
    if (reduced) src.useReducedLevel();
    // The file's hash for the footprint, begun before the workers stop, runs beside tracing (this thread's alone).
    startFileSha256(path, options.signal);
    if (last) await stopWorkers(run.workers.map((w) => w.worker));
    if (last && secondStageThreads(run) && run.verifier && options.verify !== false)
      await widenSecondStage(run.verifier, run.onnx!, (run.secondOnnx = new OnnxThread()));
    const result = await finishScannedImage(run, o, k, rows, keep, last);
    return { result, poorBlocks: rows.poorBlocks };
  } catch (err) {
    rows.acc.close();
    await rm(heatmapPart(run, k), { force: true });
    throw err;
  } finally {
    dropEarlySha256(path);
    src.decodeStripsWith(undefined);
    await strips?.terminate();
    rows.foot.close();
    src.setCacheBytes(0);
    // Removing a level of gigabytes takes seconds (the 4.9-GB kept file of a 1.6-Gpx COG 2.1-2.4 s, most of it the
    // file system discarding its blocks): done while the next image or the outputs go on.
    run.removals.push(dropLevels(src));
  }
}

/** Removes an image's temporary levels (reduced level, kept blocks); never throws (a file left over is removed by a later scan). */
async function dropLevels(src: GeoTiffSource): Promise<void> {
  await src.dropReducedLevel().catch(() => undefined);
  await src.dropKeptBlocks().catch(() => undefined);
}

/** summary.json of a scan. */
function summarize(run: ScanRun, results: ImageResult[], failed: ScanFailure[], allPoorBlocks: PoorBlock[], outDir: string): ScanSummary {
  const { options, card, verifier } = run;
  const seconds = (performance.now() - run.t0) / 1000;
  const scannedMpx = results.reduce((s, r) => s + (r.heat.source.width * r.heat.source.height) / 1e6, 0);
  const sum = (f: (r: ImageResult) => number) => results.reduce((s, r) => s + f(r), 0);
  return {
    images: results.length,
    tiles_total: sum((r) => r.tilesTotal),
    tiles_inferred: sum((r) => r.tilesInferred),
    tiles_skipped_nodata: sum((r) => r.tilesSkipped),
    area_km2: round(
      sum((r) => r.areaKm2),
      6,
    ),
    candidates: sum((r) => r.candidates.length),
    candidates_unverified: sum((r) => r.candidates.filter((c) => c.properties.unverified).length),
    seconds: round(seconds, 3),
    mpx_per_s: round(scannedMpx / Math.max(seconds, 1e-6), 2),
    model: card.name,
    model_version: card.version,
    ...(card.training?.warning ? { model_warning: card.training.warning } : {}),
    ...(verifier?.model && options.verify !== false && card.verifier ? { verifier: verifierSummary(card.verifier, verifier, results) } : {}),
    ...sourceNotes(results),
    ...(options.quality !== false
      ? {
          quality: qualitySummary(
            run.blocksJudged,
            allPoorBlocks,
            sum((r) => r.poorAreaKm2 ?? 0),
            { ...DEFAULT_QUALITY, ...(options.quality ?? {}) },
          ),
        }
      : {}),
    failed,
    out_dir: results.length ? outDir : null,
  };
}

/** summary.json's `verifier` block. */
function verifierSummary(block: NonNullable<ModelCard['verifier']>, verifier: Verifier, results: ImageResult[]): NonNullable<ScanSummary['verifier']> {
  return {
    model: block.model,
    threshold: block.threshold,
    images_verified: results.filter((r) => r.verify?.ran).length,
    candidates_rejected: results.reduce((s, r) => s + (r.verify?.rejected ?? 0), 0),
    ...(block.prefilter && verifier.prefilter
      ? {
          prefilter: {
            model: block.prefilter.model,
            threshold: block.prefilter.threshold,
            candidates_rejected: results.reduce((s, r) => s + (r.verify?.prefilterRejected ?? 0), 0),
          },
        }
      : {}),
    skipped: results.filter((r) => r.verify?.skippedBecause).map((r) => ({ image: r.name, reason: r.verify!.skippedBecause! })),
  };
}

/** Writes every output under the temporary name `tmp`, then swaps it in for `outDir` (the old one removed). */
async function writeOutputs(
  tmp: string,
  outDir: string,
  results: ImageResult[],
  /** Each result's heatmap, already written into `tmp` under a temporary name (heatmapPart). */
  heatmaps: string[],
  summary: ScanSummary,
  qualityFeatures: unknown[] | undefined,
): Promise<void> {
  await mkdir(tmp, { recursive: true });
  const fc = (features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features }, null, 1) + '\n';
  await writeFile(resolve(tmp, 'candidates.geojson'), fc(results.flatMap((r) => r.candidates)));
  await writeFile(resolve(tmp, 'footprint.geojson'), fc(results.map((r) => r.footprint)));
  if (qualityFeatures) await writeFile(resolve(tmp, 'quality.geojson'), fc(qualityFeatures));
  // Named only now that the number of images scanned is known.
  for (const [i, r] of results.entries()) {
    const name = results.length === 1 ? 'heatmap.tif' : `heatmap-${basename(r.name, extname(r.name))}.tif`;
    await rename(heatmaps[i], resolve(tmp, name));
    if (!r.heat.source.crs.epsg) await rename(`${heatmaps[i]}.aux.xml`, resolve(tmp, `${name}.aux.xml`));
  }
  await writeChips(resolve(tmp, 'chips'), results);
  await writeFile(resolve(tmp, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
  const old = `${outDir}.old-${process.pid}`;
  await rm(old, { recursive: true, force: true });
  await rename(outDir, old).catch(() => undefined);
  await rename(tmp, outDir);
  await rm(old, { recursive: true, force: true });
}

/**
 * The model card and the opened images, while the models' thread starts (unless a command started it earlier); that
 * thread is ended again when the card is bad or the scan is aborted here.
 */
async function cardAndImages(images: string[], modelDir: string, options: ScanImagesOptions) {
  startOnnxThreadEarly();
  try {
    const card = await loadModelCard(modelDir, options.signal);
    return { card, ...(await openImages(images, card, options, await coarseImagery(modelDir, card, options))) };
  } catch (err) {
    await dropEarlyOnnxThread();
    throw err;
  }
}

/**
 * Scans orthophotos for candidate poppy plots and writes `candidates.geojson`, `footprint.geojson`,
 * `heatmap.tif` (or `heatmap-<image>.tif` per image when several) and `summary.json` into `outDir`.
 * Everything is written under a temporary name and renamed when complete; when every image fails
 * nothing is written. A bad image does not stop the others; it is listed in `failed`.
 * @throws TilesError for a bad model (before any image is read) or when aborted.
 */
export async function scanImages(options: ScanImagesOptions): Promise<ScanSummary> {
  const t0 = performance.now();
  const cwd = options.cwd ?? process.cwd();
  const images = options.images.map((p) => resolve(cwd, p));
  if (!images.length) throw new TilesError('TIANDI_E_NOT_TIFF', 'no image given');
  const outDir = resolve(cwd, options.outDir ?? `scan-${basename(images[0], extname(images[0]))}`);
  const modelDir = resolve(cwd, options.modelDir);
  const { card, opened, failed } = await cardAndImages(images, modelDir, options);
  // Batches of about 2 MB of input: activations of a big model grow with the batch, per thread.
  const batchSize = options.batchSize ?? Math.max(1, Math.min(8, Math.floor((2 << 20) / (card.input.channels.length * card.input.size ** 2 * 4))));
  const thresholds = thresholdsFor(card, options.threshold);
  const { threads, nWorkers, here, asked, widened } = planThreads(opened, options);
  const run: ScanRun = {
    options,
    modelDir,
    card,
    batchSize,
    thresholds,
    threads,
    here,
    asked,
    widened,
    workers: [],
    images: opened.length,
    tilesTotal: opened.reduce((s, o) => s + o.plan.tilesAcross * o.plan.tilesDown, 0),
    mpxTotal: opened.reduce((s, o) => s + (o.src.width * o.src.height) / 1e6, 0),
    tilesDone: 0,
    mpxDone: 0,
    blocksJudged: 0,
    t0,
    tmp: `${outDir}.partial-${process.pid}`,
    removals: [],
    // Read while the models load, unless the card may have the JPEG blocks decoded smaller (another level is read then).
    first: here && opened.length && !(options.scaledJpeg ?? card.input.jpeg_dct_scaling === true) ? readFirstWindow(opened[0].src, opened[0].plan) : undefined,
  };
  const results: ImageResult[] = [];
  const qualityFeatures: ReturnType<typeof poorBlockFeatures> = [];
  const allPoorBlocks: PoorBlock[] = [];
  const heatmaps: string[] = [];
  const { tmp } = run;
  try {
    // Left by a killed scan of the same process id, if any: heatmaps are written into it as images finish.
    await rm(tmp, { recursive: true, force: true });
    if (opened.length) await startModels(run, nWorkers, opened);
    for (let k = 0; k < opened.length; k++) {
      throwIfAborted(options.signal);
      try {
        const { result, poorBlocks } = await scanImage(run, opened[k], k, k === opened.length - 1);
        results.push(result);
        heatmaps.push(heatmapPart(run, k));
        // Pushed one at a time: a large image's poor blocks can outnumber the arguments a call takes.
        for (const f of poorBlockFeatures(basename(opened[k].path), poorBlocks, opened[k].plan, opened[k].src)) qualityFeatures.push(f);
        for (const b of poorBlocks) allPoorBlocks.push(b);
      } catch (err) {
        if (isAbort(err)) throw err;
        failed.push(failureOf(opened[k].path, err));
      }
    }
    const summary = summarize(run, results, failed, allPoorBlocks, outDir);
    if (results.length) await writeOutputs(tmp, outDir, results, heatmaps, summary, options.quality !== false ? qualityFeatures : undefined);
    return summary;
  } finally {
    for (const r of results) r.heat.scores.close();
    await Promise.all(run.removals);
    await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    await Promise.all(opened.map((o) => o.src.close()));
    await stopWorkers(run.workers.map((w) => w.worker));
    await run.local?.release();
    await run.verifier?.model?.release();
    await run.verifier?.prefilter?.model?.release();
    await run.onnx?.terminate();
    await run.secondOnnx?.terminate();
    // Started early, never taken: every image failed to open.
    await dropEarlyOnnxThread();
  }
}
