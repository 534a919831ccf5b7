import { throwIfAborted } from '../errors';
import type { GeoTiffSource } from '../read/open-geotiff-source';
import type { RgbRaster } from '../read/resample-area';
import type { ModelCard } from '../model/model-card';
import type { ScanPlan } from '../scan/scan-plan';
import { scanRow, segmentWindow, type RowResult, type WindowReader } from '../scan/scan-row';
import { hotCellBoxes, type KeepSpec } from './keep-plan';
import type { LoadedModel } from './load-model';
import { RowRanges, scanUnits, swathTiles } from './thread-plan';
import type { ScanWorker } from './worker-pool';
import type { WorkerRequest } from './worker-protocol';

/** Tiles a segment window holds: the unit a thread reads at once. */
export const SEGMENT_TILES = 8;

/** What the first stage of one image needs: the image, its plan, the model, the threads, and where rows go. */
export interface FirstStageJob {
  path: string;
  src: GeoTiffSource;
  plan: ScanPlan;
  card: ModelCard;
  crs?: string;
  batchSize: number;
  cacheBytes: number;
  /** The reduced level the scan builds, when it builds one (its file and factor). */
  reduced?: { path: string; factor: number };
  /** The blocks the scan keeps, when it keeps any. */
  keep?: KeepSpec;
  /** The factor the source decodes JPEG blocks smaller by (GeoTiffSource.scaleJpegLevel), when it does. */
  scaled?: number;
  /** This thread's first window, begun before the models were ready ({@link readFirstWindow}). */
  first?: EarlyWindow;
  /** This thread's model (it scans rows when `inThisThread`, and takes over when no worker started). */
  local: LoadedModel;
  inThisThread: boolean;
  workers: ReadonlyArray<{ worker: ScanWorker; ready: Promise<boolean> }>;
  /** Called with every scanned row, in the order rows finish. */
  take: (r: RowResult) => void;
  signal?: AbortSignal;
}

/** A window whose reading has begun, and its source box (a runner takes it when it reads that box). */
export interface EarlyWindow {
  box: readonly number[];
  win: Promise<RgbRaster>;
}

/**
 * Begins reading the window this thread's runner scans first (the first unit's first segment), before the models are
 * ready: its blocks' file reads and JPEG decodes (~24 blocks, the first row's wait) then overlap the models' loading
 * and sharp's, which the first row otherwise followed. Undefined when the plan has no tiles.
 */
export function readFirstWindow(src: GeoTiffSource, plan: ScanPlan): EarlyWindow | undefined {
  const [unit] = scanUnits(plan, swathTiles(src, plan));
  return unit && readUnitWindow(src, plan, unit);
}

/** Begins reading the first segment window of scan unit [ty, tx0, tx1) (its error is thrown when that row is scanned). */
function readUnitWindow(src: GeoTiffSource, plan: ScanPlan, [ty, tx0, tx1]: readonly number[]): EarlyWindow {
  const [box, w, h] = segmentWindow(plan, ty, tx0, Math.min(tx0 + SEGMENT_TILES, tx1));
  const win = src.readWindow(box, w, h);
  win.catch(() => undefined); // awaited, and its error thrown, when that row is scanned
  return { box, win };
}

/**
 * Asks the source to keep the blocks under the second stage's windows round the hot cells of a row's tiles (told
 * batch by batch, as scores arrive: by the row's end the read-ahead of the next row had evicted a striped file's
 * bands of this row, which the second stage then decoded again: 11 616 strip decodes for 8 000 strips).
 */
export function keepHotCells(src: GeoTiffSource, plan: ScanPlan, r: Pick<RowResult, 'ty' | 'tiles'>, keep: KeepSpec | undefined): void {
  if (keep) for (const box of hotCellBoxes(plan, r, keep.hotScore, keep.halfWindowPx)) src.keepBlocksUnder(box);
}

/**
 * This thread's runner: scans the units it claims, and claims its next one and starts reading that unit's first
 * window while the current unit's last window is inferred (JPEG blocks decode on the thread pool meanwhile).
 */
async function runHere(job: FirstStageJob, units: [number, number, number][], claim: (r: number) => number): Promise<void> {
  const { src, plan, card, local: m } = job;
  let ahead: EarlyWindow | undefined = job.first;
  const read: WindowReader = (b, w, h) => {
    const a = ahead;
    ahead = undefined;
    return a && a.box.every((v, i) => v === b[i]) ? a.win : src.readWindow(b, w, h);
  };
  // The row being scanned, and the unit claimed after it. The callbacks are made once, not once a row: new closures
  // each row had V8 throw away scanRow's optimised code ("wrong call target") and compile it again.
  let ty = 0;
  let next = -1;
  const onLastRead = () => {
    next = claim(0);
    if (next >= 0) ahead = readUnitWindow(src, plan, units[next]);
  };
  const infer = (b: Float32Array, n: number) => m.infer(b, n);
  // A row's scores all arrive before scanRow returns it, so `ty` is still that row's.
  const onScored = (tiles: RowResult['tiles']) => keepHotCells(src, plan, { ty, tiles }, job.keep);
  for (let u = claim(0); u >= 0; u = next) {
    throwIfAborted(job.signal);
    next = -1;
    const [uy, tx0, tx1] = units[u];
    ty = uy;
    const r = await scanRow(ty, plan, card, read, infer, {
      batchSize: job.batchSize,
      segmentTiles: SEGMENT_TILES,
      onLastRead,
      onScored,
      tx0,
      tx1,
      sharedBatches: m.sharedBatches,
    });
    job.take(r);
  }
}

/**
 * A worker thread's runner: opens the image there and sends it units, each with the one after it (read ahead). The
 * next unit is asked for before the current one's reply arrives, so the worker finds it queued: waiting for this
 * thread to take a row and send the next left it idle three quarters of the time on a 1.6-Gpx file, this thread
 * being busy with its own rows.
 */
async function runRemote(
  job: FirstStageJob,
  w: ScanWorker,
  ready: Promise<boolean>,
  ranges: RowRanges,
  units: [number, number, number][],
  claim: (r: number) => number,
  r: number,
): Promise<void> {
  if (!(await ready) || !ranges.remaining()) return;
  const open: WorkerRequest = {
    type: 'open',
    path: job.path,
    crs: job.crs,
    plan: job.plan,
    cacheBytes: job.cacheBytes,
    segmentTiles: SEGMENT_TILES,
    batchSize: job.batchSize,
    reduced: job.reduced,
    keep: job.keep,
    scaled: job.scaled,
  };
  await w.request(open);
  const ask = (u: number, next: number) => {
    const p = w.request({ type: 'row', unit: units[u], next: next >= 0 ? units[next] : undefined });
    p.catch(() => undefined); // its error is thrown where it is awaited
    return p;
  };
  try {
    const u = claim(r);
    let next = u >= 0 ? claim(r) : -1;
    let asked = u >= 0 ? ask(u, next) : undefined;
    while (asked) {
      throwIfAborted(job.signal);
      const after = next >= 0 ? claim(r) : -1;
      const queued = next >= 0 ? ask(next, after) : undefined;
      const reply = await asked;
      if (reply.type === 'row') job.take(reply.result);
      asked = queued;
      next = after;
    }
  } finally {
    await w.request({ type: 'close' });
  }
}

/**
 * Scans every tile row of one image on this thread (when it has a model) and the worker threads, each starting on
 * a contiguous range of units (RowRanges). On the first failure every runner stops taking rows; all are awaited
 * before the error is thrown. When every worker failed to start, this thread does the rest.
 */
export async function runFirstStage(job: FirstStageJob): Promise<void> {
  const units = scanUnits(job.plan, swathTiles(job.src, job.plan));
  const here = job.inThisThread || !job.workers.length ? 1 : 0;
  const ranges = new RowRanges(units.length, here + job.workers.length);
  let stopped = false;
  const claim = (r: number): number => (stopped ? -1 : ranges.claim(r));
  const stop = (err: unknown) => {
    stopped = true;
    throw err;
  };
  const runners = [
    ...(here ? [runHere(job, units, claim)] : []),
    ...job.workers.map((w, i) => runRemote(job, w.worker, w.ready, ranges, units, claim, here + i)),
  ];
  const settled = await Promise.allSettled(runners.map((p) => p.catch(stop)));
  const bad = settled.find((x): x is PromiseRejectedResult => x.status === 'rejected');
  if (bad) throw bad.reason;
  if (ranges.remaining()) await runHere(job, units, claim);
}
