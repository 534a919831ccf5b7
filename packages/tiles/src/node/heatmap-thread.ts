import { Worker } from 'node:worker_threads';
import { throwIfAborted } from '../errors';
import type { ImageResult } from './finish-image';
import { heatmapFile, writeHeatmap } from './write-heatmap';
import { workerBundle } from './worker-bundle';
import { withoutTsx } from './worker-pool';
import { WorkerRequests } from './worker-requests';

/** Memory the heatmap thread's pages may take (the writer reads 256 rows at a time, a row of pages and a half). */
const THREAD_PAGE_BYTES = 4 << 20;

/**
 * {@link writeHeatmap} on a thread of its own, from the grid's file (flushed first; nothing may change the grid
 * after): a 1.6-Gpx scan's heatmap took this thread ~0.8 s and the thread pool ~0.8 s more, beside a second stage
 * that keeps both cores busy, where tracing, begun at the same time, leaves one idle. A grid without a file, or no
 * bundle to start the thread from, is written here.
 */
export async function writeHeatmapOnThread(path: string, heat: ImageResult['heat'], signal?: AbortSignal): Promise<void> {
  const pages = heat.scores.file;
  const bundle = pages ? await workerBundle(new URL('./heatmap-thread-worker.ts', import.meta.url)) : undefined;
  if (!pages || !bundle) return writeHeatmap(path, heat, signal);
  throwIfAborted(signal);
  heat.scores.flush();
  const thread = new WorkerRequests<{ seq: number; error?: string }>(
    new Worker(bundle, { execArgv: withoutTsx(process.execArgv) }),
    'heatmap thread',
    (r) => r.error,
  );
  const stop = () => void thread.terminate();
  signal?.addEventListener('abort', stop, { once: true });
  try {
    await thread.request({ path, file: heatmapFile(heat.plan, heat.source), pages, cacheBytes: THREAD_PAGE_BYTES });
  } catch (e) {
    throwIfAborted(signal);
    throw e;
  } finally {
    signal?.removeEventListener('abort', stop);
    await thread.terminate();
  }
}
