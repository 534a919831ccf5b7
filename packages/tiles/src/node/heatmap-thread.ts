import { Worker } from 'node:worker_threads';
import { throwIfAborted, TilesError, type TilesErrorCode } from '../errors';
import type { ImageResult } from './finish-image';
import { heatmapFile, writeHeatmap } from './write-heatmap';
import { workerBundle } from './worker-bundle';
import { withoutTsx } from './worker-pool';
import { WorkerRequests } from './worker-requests';

/** The heatmap thread's answer: nothing, or why it could not write the file. */
type Reply = { seq: number; error?: string; code?: TilesErrorCode; path?: string };

/** Memory the heatmap thread's pages may take (the writer reads 256 rows at a time, a row of pages and a half). */
const THREAD_PAGE_BYTES = 4 << 20;

/** The heatmap thread's bundle (undefined when none can be built), to ask for before {@link writeHeatmapOnThread}. */
export function heatmapThreadBundle(): Promise<URL | undefined> {
  return workerBundle(new URL('./heatmap-thread-worker.ts', import.meta.url));
}

/**
 * {@link writeHeatmap} on a thread of its own, from the grid's file (flushed first; nothing may change the grid
 * after): a 1.6-Gpx scan's heatmap took this thread ~0.8 s and the thread pool ~0.8 s more beside a second stage
 * that keeps both cores busy, where tracing, begun at the same time, leaves one idle. The thread is started and
 * handed the heatmap before this returns, so it writes while this thread goes on with synchronous work (tracing).
 * A grid without a file, or no `bundle` ({@link heatmapThreadBundle}), is written here.
 */
export function writeHeatmapOnThread(path: string, heat: ImageResult['heat'], bundle: URL | undefined, signal?: AbortSignal): Promise<void> {
  const pages = heat.scores.file;
  if (!pages || !bundle) return writeHeatmap(path, heat, signal);
  try {
    throwIfAborted(signal);
  } catch (e) {
    return Promise.reject(e);
  }
  heat.scores.flush();
  // Its error is thrown by threadDone (a TilesError keeping its code), not taken as the request's refusal.
  const thread = new WorkerRequests<Reply>(new Worker(bundle, { execArgv: withoutTsx(process.execArgv) }), 'heatmap thread', () => undefined);
  const written = thread.request({ path, file: heatmapFile(heat.plan, heat.source), pages, cacheBytes: THREAD_PAGE_BYTES });
  return threadDone(thread, written, signal);
}

/** Waits for the heatmap thread's answer (or an abort, which ends the thread), then ends the thread. */
async function threadDone(thread: WorkerRequests<Reply>, written: Promise<Reply>, signal?: AbortSignal): Promise<void> {
  const stop = () => void thread.terminate();
  signal?.addEventListener('abort', stop, { once: true });
  try {
    const r = await written;
    if (r.error !== undefined) throw r.code ? new TilesError(r.code, r.error, r.path) : new Error(r.error);
  } catch (e) {
    throwIfAborted(signal);
    throw e;
  } finally {
    signal?.removeEventListener('abort', stop);
    await thread.terminate();
  }
}
