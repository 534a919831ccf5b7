import { Worker } from 'node:worker_threads';
import type { ScanProgress, ScanSummary } from '@tiandi/tiles/node';

/** What the server asks a scan thread to do. */
export interface ScanThreadInput {
  images: string[];
  modelDir: string;
  outDir: string;
  /** Imagery-quality thresholds (the season's policy.imagery_quality), or false to judge nothing; default: the scanner's. */
  quality?: Record<string, number> | false;
}

/** Messages a scan thread sends back. */
export type ScanThreadMessage =
  | { type: 'progress'; progress: ScanProgress }
  | { type: 'done'; summary: ScanSummary }
  | { type: 'error'; code?: string; message: string };

/**
 * Runs `scanImages` in a worker thread of its own, so the server's event loop keeps answering map tiles, field
 * sync and the API while a scan infers, traces and writes (a 1.6-Gpx scan holds a thread for minutes, and its
 * tracing alone for seconds at a time). Progress comes back as messages; aborting `signal` stops the scan (it
 * rejects with code TIANDI_E_ABORTED) and the thread.
 */
export function scanInThread(input: ScanThreadInput, onProgress: (p: ScanProgress) => void, signal: AbortSignal): Promise<ScanSummary> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./scan-thread-entry.mjs', import.meta.url), { workerData: input });
    let settled = false;
    const finish = (f: () => void) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      f();
      void worker.terminate();
    };
    const onAbort = () => worker.postMessage({ type: 'abort' });
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort);
    worker.on('message', (m: ScanThreadMessage) => {
      if (m.type === 'progress') onProgress(m.progress);
      else if (m.type === 'done') finish(() => resolve(m.summary));
      else finish(() => reject(Object.assign(new Error(m.message), { code: m.code })));
    });
    worker.on('error', (err) => finish(() => reject(err)));
    worker.on('exit', (code) => finish(() => reject(new Error(`扫描线程意外退出 the scan thread exited (${code})`))));
  });
}
