import { availableParallelism, tmpdir } from 'node:os';
import { mkdir, rename, rm, statfs, writeFile } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { TilesError, throwIfAborted, type TilesErrorCode } from '../errors';
import { openGeoTiffSource, type GeoTiffSource } from '../read/open-geotiff-source';
import { HeatmapAccumulator } from '../scan/heatmap-accumulator';
import { scanPlan, type ScanPlan } from '../scan/scan-plan';
import { scanRow, segmentWindow, type RowResult, type WindowReader } from '../scan/scan-row';
import type { RgbRaster } from '../read/resample-area';
import { finishImage, type ImageResult } from './finish-image';
import { poorBlockFeatures, qualitySummary, type QualitySummary } from './quality-map';
import { DEFAULT_QUALITY, type QualityThresholds } from '../quality/block-quality';
import type { PoorBlock } from '../scan/scan-row';
import { cacheBytesFor, defaultThreads, keepLevelBytes, memoryPlan, reducedLevelFactor, RowRanges, scanUnits, swathTiles } from './thread-plan';
import { writeHeatmap } from './write-heatmap';
import { loadModel, loadModelCard, type LoadedModel } from './load-model';
import { ScanWorker } from './worker-pool';
import { scanWorkerBundle } from './worker-bundle';
import { loadVerifier, type Verifier, type VerifierWindow } from './verify-candidates';
import { removeOrphanLevels } from '../read/reduced-level';

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
  /** Run the verifier's prefilter, when its card has one (default true); false sends every candidate to the verifier. */
  prefilter?: boolean;
  /** Called with every window the verifier looks at (also when `verify` is false): for training chips. */
  onVerifierWindow?: (w: VerifierWindow) => void;
  /**
   * Imagery-quality thresholds (the season policy's `imagery_quality`; missing keys take the defaults), or false to
   * judge nothing. Poor blocks (blurred, over-exposed, dark, hazy) are left out of the footprint, so coverage
   * counts them as gaps, and listed in quality.geojson.
   */
  quality?: Partial<QualityThresholds> | false;
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
  // sharp takes about half a second to load: only a scan with verified candidates loads it.
  const sharp = (await import('sharp')).default;
  for (const [id, r] of all) {
    await sharp(Buffer.from(r.rgb.buffer, r.rgb.byteOffset, r.rgb.byteLength), { raw: { width: r.width, height: r.height, channels: 3 } }).png().toFile(resolve(dir, `${id}.png`));
  }
}

/** The CRS notes of the scanned images, each once (`crs_notes` is left out when there are none). */
function crsNotes(results: ImageResult[]): Pick<ScanSummary, 'crs_notes'> {
  const notes = [...new Set(results.map((r) => r.heat.source.crs.note).filter((n): n is string => !!n))];
  return notes.length ? { crs_notes: notes } : {};
}

function failureOf(image: string, err: unknown): ScanFailure {
  if (err instanceof TilesError) return { image, code: err.code, message: err.message };
  return { image, code: 'TIANDI_E_INTERNAL', message: (err as Error)?.message ?? String(err) };
}

/** Whether the temp folder has `bytes` to spare with half its free space left over (a 20-Gpx level is 20 GB). */
async function roomFor(bytes: number): Promise<boolean> {
  await removeOrphanLevels(tmpdir());
  try {
    const s = await statfs(tmpdir());
    return bytes * 2 <= s.bavail * s.bsize;
  } catch {
    return false;
  }
}

async function stopWorkers(workers: ScanWorker[]): Promise<void> {
  await Promise.all(workers.map((w) => w.request({ type: 'exit' }).catch(() => undefined)));
  await Promise.all(workers.map((w) => w.terminate()));
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
  const { signal } = options;
  const cwd = options.cwd ?? process.cwd();
  const images = options.images.map((p) => resolve(cwd, p));
  if (!images.length) throw new TilesError('TIANDI_E_NOT_TIFF', 'no image given');
  const outDir = resolve(cwd, options.outDir ?? `scan-${basename(images[0], extname(images[0]))}`);
  const card = await loadModelCard(resolve(cwd, options.modelDir), signal);
  const failed: ScanFailure[] = [];
  // Open every image first: bad files are reported at once and the total work is known for progress.
  const opened: { path: string; src: GeoTiffSource; plan: ScanPlan }[] = [];
  for (const path of images) {
    try {
      const src = await openGeoTiffSource(path, { crs: options.crs, signal, cacheBytes: 16 << 20 });
      try {
        const plan = scanPlan(src.width, src.height, src.gsdM, card, path);
        if (options.quality !== false) plan.quality = { ...DEFAULT_QUALITY, ...(options.quality ?? {}) };
        src.setCacheBytes(cacheBytesFor(src, plan));
        opened.push({ path, src, plan });
      } catch (err) {
        await src.close();
        throw err;
      }
    } catch (err) {
      if ((err as TilesError).code === 'TIANDI_E_ABORTED') throw err;
      failed.push(failureOf(path, err));
    }
  }
  // Batches of about 2 MB of input: activations of a big model grow with the batch, per thread.
  const batchSize = options.batchSize ?? Math.max(1, Math.min(8, Math.floor((2 << 20) / (card.input.channels.length * card.input.size ** 2 * 4))));
  const thresholds = { ...card.thresholds };
  if (options.threshold !== undefined) {
    if (!(options.threshold > 0 && options.threshold <= 1)) throw new TilesError('TIANDI_E_BAD_MODEL_CARD', `--threshold must be in (0, 1], got ${options.threshold}`);
    thresholds.low = (card.thresholds.low / card.thresholds.high) * options.threshold;
    thresholds.high = options.threshold;
  }
  const tilesTotal = opened.reduce((s, o) => s + o.plan.tilesAcross * o.plan.tilesDown, 0);
  const mpxTotal = opened.reduce((s, o) => s + (o.src.width * o.src.height) / 1e6, 0);
  // Threads doing the work: this one plus (threads − 1) worker threads. This thread starts at once, so the
  // workers' start-up (loading tsx, geotiff, onnxruntime) hides behind real work; shorter jobs need no workers.
  const asked = Math.max(1, options.workers ?? defaultThreads(opened.map((o) => ({ mpx: (o.src.width * o.src.height) / 1e6, compression: o.src.layout.compression })), availableParallelism()));
  // Fewer threads when their block caches would not fit the memory budget (wide striped files).
  const threads = Math.min(asked, ...opened.map((o) => memoryPlan(o.src, o.plan, asked).threads));
  const maxRows = Math.max(1, ...opened.map((o) => scanUnits(o.plan, swathTiles(o.src, o.plan)).length));
  const inThisThread = options.inThisThread ?? true;
  const nWorkers = inThisThread ? Math.min(threads - 1, maxRows - 1) : threads;
  const workers: ScanWorker[] = [];
  const workerReady: Promise<boolean>[] = [];
  let local: LoadedModel | undefined;
  let verifier: Verifier | undefined;
  const results: ImageResult[] = [];
  const qualityFeatures: ReturnType<typeof poorBlockFeatures> = [];
  const allPoorBlocks: PoorBlock[] = [];
  let blocksJudged = 0;
  let tilesDone = 0;
  let mpxDone = 0;
  const tmp = `${outDir}.partial-${process.pid}`;
  try {
    if (opened.length) {
      const bundle = nWorkers > 0 ? await scanWorkerBundle() : undefined;
      for (let i = 0; i < nWorkers; i++) {
        const w = new ScanWorker(bundle);
        workers.push(w);
        // A worker that cannot start is left out; this thread still does the work.
        workerReady.push(w.request({ type: 'model', modelDir: resolve(cwd, options.modelDir) }).then(() => true, () => false));
      }
      local = await loadModel(resolve(cwd, options.modelDir), { threads: 1 });
      if (options.verify !== false || options.onVerifierWindow) {
        // The verifier runs when the tile rows are done and the worker threads idle: it may use every core
        // (the threads asked for, when asked), also when the rows were left to this thread alone.
        verifier = await loadVerifier(resolve(cwd, options.modelDir), card, { cardOnly: options.verify === false, prefilter: options.prefilter, threads: Math.max(1, options.workers ?? availableParallelism()), signal });
      }
    }
    for (let k = 0; k < opened.length; k++) {
      const { path, src, plan } = opened[k];
      throwIfAborted(signal);
      try {
        // A prefilter reading the level the first stage decodes finds every block still decoded when it fits.
        const keep = verifier?.prefilter?.model && options.verify !== false ? keepLevelBytes(src, plan, verifier.prefilter.card.gsd_m) : 0;
        const { cacheBytes } = memoryPlan(src, plan, threads);
        src.setCacheBytes(Math.max(keep, cacheBytes));
        // A prefilter at a level the file lacks (no overviews): the first stage's decodes build it once, on disk.
        const rf = !keep && verifier?.prefilter?.model && options.verify !== false ? reducedLevelFactor(src, plan, verifier.prefilter.card.gsd_m) : 0;
        const reducedPath = join(tmpdir(), `tiandi-level-${process.pid}-${k}-${rf}x.bin`);
        const reducing = rf > 0 && (await roomFor((src.width / rf) * (src.height / rf) * 4)) && (await src.reduceLevel(rf, reducedPath, true).catch(() => false));
        const acc = new HeatmapAccumulator(plan);
        const foot = new Uint8Array(plan.footWidth * plan.footHeight);
        const poorBlocks: PoorBlock[] = [];
        let inferred = 0;
        let skipped = 0;
        const take = (r: RowResult) => {
          for (const t of r.tiles) acc.addTile(t.tx, r.ty, t.scores);
          acc.setValidRows(r.heatRow0, r.heatRows, r.heatValid);
          for (let y = 0; y < r.footRows; y++) {
            const o = (r.footRow0 + y) * plan.footWidth;
            // 1 valid, 2 valid but poor quality: the larger wins where rows overlap (only a block's own row judges it).
            for (let x = 0; x < plan.footWidth; x++) foot[o + x] = Math.max(foot[o + x], r.footValid[y * plan.footWidth + x]);
          }
          poorBlocks.push(...r.poorBlocks);
          blocksJudged += r.blocksJudged;
          inferred += r.tilesInferred;
          skipped += r.tilesSkipped;
          tilesDone += r.tx1 - r.tx0;
          mpxDone += (src.width * src.height) / 1e6 / plan.tilesDown * ((r.tx1 - r.tx0) / plan.tilesAcross);
          options.onProgress?.({ phase: 'tiles', image: path, imageIndex: k, images: opened.length, tilesDone, tilesTotal, mpxDone, mpxTotal, windowsDone: 0, windowsTotal: 0, elapsedS: (performance.now() - t0) / 1000 });
        };
        // One runner per thread doing rows (this one first, when it scans); see RowRanges.
        const nRunners = (inThisThread || !workers.length ? 1 : 0) + workers.length;
        const units = scanUnits(plan, swathTiles(src, plan));
        const ranges = new RowRanges(units.length, nRunners);
        let stopped = false;
        const claim = (r: number): number => (stopped ? -1 : ranges.claim(r));
        const m = local!;
        const here = async () => {
          // This thread claims its next row, and starts reading that row's first window, while the current
          // row's last window is inferred: JPEG blocks decode on the thread pool meanwhile.
          const seg = 8;
          let ahead: { box: readonly number[]; win: Promise<RgbRaster> } | undefined;
          const read: WindowReader = (b, w, h) => {
            const a = ahead;
            ahead = undefined;
            return a && a.box.every((v, i) => v === b[i]) ? a.win : src.readWindow(b, w, h);
          };
          for (let u = claim(0); u >= 0; ) {
            throwIfAborted(signal);
            let next = -1;
            const onLastRead = () => {
              next = claim(0);
              if (next < 0) return;
              const [nty, ntx0, ntx1] = units[next];
              const [box, w, h] = segmentWindow(plan, nty, ntx0, Math.min(ntx0 + seg, ntx1));
              const win = src.readWindow(box, w, h);
              win.catch(() => undefined); // awaited, and its error thrown, when that row is scanned
              ahead = { box, win };
            };
            const [ty, tx0, tx1] = units[u];
            take(await scanRow(ty, plan, card, read, (b, n) => m.infer(b, n), { batchSize, segmentTiles: seg, onLastRead, tx0, tx1 }));
            u = next;
          }
        };
        const open = { type: 'open' as const, path, crs: options.crs, plan, cacheBytes, segmentTiles: 8, batchSize, reduced: reducing ? { path: reducedPath, factor: rf } : undefined };
        const remote = async (w: ScanWorker, ready: Promise<boolean>, r: number) => {
          if (!(await ready) || !ranges.remaining()) return;
          await w.request(open);
          try {
            // The next unit goes with this one, so the worker reads its first window while this one's last is inferred.
            for (let u = claim(r); u >= 0; ) {
              throwIfAborted(signal);
              const next = claim(r);
              const reply = await w.request({ type: 'row', unit: units[u], next: next >= 0 ? units[next] : undefined });
              if (reply.type === 'row') take(reply.result);
              u = next;
            }
          } finally {
            await w.request({ type: 'close' });
          }
        };
        // On the first failure every runner stops taking rows; all are awaited before the image is given up.
        const stop = (err: unknown) => {
          stopped = true;
          throw err;
        };
        const first = nRunners - workers.length;
        const runners = [...(first ? [here()] : []), ...workers.map((w, i) => remote(w, workerReady[i], first + i))];
        const settled = await Promise.allSettled(runners.map((r) => r.catch(stop)));
        const bad = settled.find((x): x is PromiseRejectedResult => x.status === 'rejected');
        if (bad) throw bad.reason;
        if (ranges.remaining()) await here(); // every worker failed to start
        // Tracing and the heatmap need memory of their own: decoded blocks are not needed any more (unless kept
        // for the prefilter), nor, after the last image, the worker threads (their heaps, caches and sessions).
        if (!keep) src.setCacheBytes(0);
        if (reducing) src.useReducedLevel();
        if (k === opened.length - 1) await stopWorkers(workers);
        const onVerify = (windowsDone: number, windowsTotal: number) =>
          options.onProgress?.({ phase: 'verify', image: path, imageIndex: k, images: opened.length, tilesDone, tilesTotal, mpxDone, mpxTotal, windowsDone, windowsTotal, elapsedS: (performance.now() - t0) / 1000 });
        results.push(await finishImage(path, src, plan, card, acc, foot, thresholds, inferred, skipped,
          verifier ? { verifier, apply: options.verify !== false, onWindow: options.onVerifierWindow, signal, onProgress: onVerify, prefilterCacheBytes: keep } : undefined,
          card.verifier ? '复核已关闭 the second stage was turned off (--no-verify)' : '模型无复核阶段 the model has no second stage'));
        src.setCacheBytes(0);
        await src.dropReducedLevel();
        qualityFeatures.push(...poorBlockFeatures(basename(path), poorBlocks, plan, src));
        allPoorBlocks.push(...poorBlocks);
      } catch (err) {
        if ((err as TilesError).code === 'TIANDI_E_ABORTED') throw err;
        failed.push(failureOf(path, err));
      }
    }
    const seconds = (performance.now() - t0) / 1000;
    const scannedMpx = results.reduce((s, r) => s + (r.heat.source.width * r.heat.source.height) / 1e6, 0);
    const summary: ScanSummary = {
      images: results.length,
      tiles_total: results.reduce((s, r) => s + r.tilesTotal, 0),
      tiles_inferred: results.reduce((s, r) => s + r.tilesInferred, 0),
      tiles_skipped_nodata: results.reduce((s, r) => s + r.tilesSkipped, 0),
      area_km2: round(results.reduce((s, r) => s + r.areaKm2, 0), 6),
      candidates: results.reduce((s, r) => s + r.candidates.length, 0),
      candidates_unverified: results.reduce((s, r) => s + r.candidates.filter((c) => c.properties.unverified).length, 0),
      seconds: round(seconds, 3),
      mpx_per_s: round(scannedMpx / Math.max(seconds, 1e-6), 2),
      model: card.name,
      model_version: card.version,
      ...(verifier?.model && options.verify !== false && card.verifier
        ? {
            verifier: {
              model: card.verifier.model,
              threshold: card.verifier.threshold,
              images_verified: results.filter((r) => r.verify?.ran).length,
              candidates_rejected: results.reduce((s, r) => s + (r.verify?.rejected ?? 0), 0),
              ...(card.verifier.prefilter && verifier.prefilter
                ? { prefilter: { model: card.verifier.prefilter.model, threshold: card.verifier.prefilter.threshold, candidates_rejected: results.reduce((s, r) => s + (r.verify?.prefilterRejected ?? 0), 0) } }
                : {}),
              skipped: results.filter((r) => r.verify?.skippedBecause).map((r) => ({ image: r.name, reason: r.verify!.skippedBecause! })),
            },
          }
        : {}),
      ...crsNotes(results),
      ...(options.quality !== false ? { quality: qualitySummary(blocksJudged, allPoorBlocks, results.reduce((s, r) => s + (r.poorAreaKm2 ?? 0), 0), { ...DEFAULT_QUALITY, ...(options.quality ?? {}) }) } : {}),
      failed,
      out_dir: results.length ? outDir : null,
    };
    if (!results.length) return summary;
    await rm(tmp, { recursive: true, force: true });
    await mkdir(tmp, { recursive: true });
    const fc = (features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features }, null, 1) + '\n';
    await writeFile(resolve(tmp, 'candidates.geojson'), fc(results.flatMap((r) => r.candidates)));
    await writeFile(resolve(tmp, 'footprint.geojson'), fc(results.map((r) => r.footprint)));
    if (options.quality !== false) await writeFile(resolve(tmp, 'quality.geojson'), fc(qualityFeatures));
    await writeChips(resolve(tmp, 'chips'), results);
    for (const r of results) {
      const name = results.length === 1 ? 'heatmap.tif' : `heatmap-${basename(r.name, extname(r.name))}.tif`;
      await writeHeatmap(resolve(tmp, name), r.heat, signal);
    }
    await writeFile(resolve(tmp, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
    const old = `${outDir}.old-${process.pid}`;
    await rm(old, { recursive: true, force: true });
    await rename(outDir, old).catch(() => undefined);
    await rename(tmp, outDir);
    await rm(old, { recursive: true, force: true });
    return summary;
  } finally {
    await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    await Promise.all(opened.map((o) => o.src.close()));
    await stopWorkers(workers);
    await local?.release();
    await verifier?.model?.release();
    await verifier?.prefilter?.model?.release();
  }
}
