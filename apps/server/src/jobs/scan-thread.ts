import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ScanProgress, ScanSummary } from '@tiandi/tiles/node';
import { SCAN_MALLOC_ENV } from '@tiandi/tiles/scan-malloc-env';

/** What the server asks a scan process to do. */
export interface ScanThreadInput {
  images: string[];
  modelDir: string;
  outDir: string;
  /** Imagery-quality thresholds (the season's policy.imagery_quality), or false to judge nothing; default: the scanner's. */
  quality?: Record<string, number> | false;
}

/** Messages a scan process sends back. */
export type ScanThreadMessage =
  | { type: 'progress'; progress: ScanProgress }
  | { type: 'done'; summary: ScanSummary }
  | { type: 'error'; code?: string; message: string };

/**
 * Runs `scanImages` in a process of its own at low priority (nice 10, every thread of it: its worker threads and the
 * thread pool that decodes JPEG blocks), so the server's event loop keeps answering map tiles, field sync and the
 * API while a scan infers, traces and writes (a 1.6-Gpx scan keeps both cores busy for minutes; in a worker thread
 * its block decodes shared the server's thread pool at the server's priority). Progress comes back as messages;
 * aborting `signal` stops the scan (it rejects with code TIANDI_E_ABORTED) and the process.
 */
export function scanInThread(input: ScanThreadInput, onProgress: (p: ScanProgress) => void, signal: AbortSignal): Promise<ScanSummary> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL('./scan-thread-entry.mjs', import.meta.url)), [], {
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      env: { ...process.env, ...SCAN_MALLOC_ENV },
    });
    let settled = false;
    const finish = (f: () => void) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      f();
      child.kill();
    };
    const onAbort = () => child.connected && child.send({ type: 'abort' });
    child.on('message', (m: ScanThreadMessage | { type: 'ready' }) => {
      if (m.type === 'ready') {
        // Listening: the job goes now (a message sent before the child listens could be lost).
        child.send({ type: 'start', input });
        if (signal.aborted) onAbort();
        else signal.addEventListener('abort', onAbort);
      } else if (m.type === 'progress') onProgress(m.progress);
      else if (m.type === 'done') finish(() => resolve(m.summary));
      else finish(() => reject(Object.assign(new Error(m.message), { code: m.code })));
    });
    child.on('error', (err) => finish(() => reject(err)));
    child.on('exit', (code) => finish(() => reject(new Error(`扫描进程意外退出 the scan process exited (${code})`))));
  });
}
