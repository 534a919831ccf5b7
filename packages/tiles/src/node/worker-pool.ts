import { Worker } from 'node:worker_threads';
import { TilesError, type TilesErrorCode } from '../errors';
import type { WorkerReply, WorkerRequest } from './worker-protocol';

/** The parent's flags minus tsx's loader (`--import tsx`, `--loader tsx`…): the bundled worker is plain JavaScript. */
export function withoutTsx(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (/^--(import|loader|experimental-loader|require)$/.test(a) && /tsx/.test(argv[i + 1] ?? '')) i++;
    else if (!/^--(import|loader|experimental-loader|require)=.*tsx/.test(a)) out.push(a);
  }
  return out;
}

/**
 * One worker thread that answers requests one at a time, in the order sent; more may wait in its queue (a row asked
 * for before the previous one is answered, so the thread never waits for this one to take a row and send the next).
 */
export class ScanWorker {
  private readonly worker: Worker;
  private readonly waiting: { resolve: (r: WorkerReply) => void; reject: (e: Error) => void }[] = [];
  private dead: Error | undefined;

  /** `bundle`: the prebuilt plain-JS worker ({@link scanWorkerBundle}); without it the TypeScript worker runs through tsx. */
  constructor(bundle?: URL) {
    // workerData must be an object: geotiff.js pulls in 'web-worker', which destructures it in worker threads.
    this.worker = bundle
      ? new Worker(bundle, { workerData: {}, stdout: false, stderr: false, execArgv: withoutTsx(process.execArgv) })
      : new Worker(new URL('./scan-worker.mjs', import.meta.url), { workerData: {}, stdout: false, stderr: false });
    this.worker.on('message', (m: WorkerReply) => {
      const w = this.waiting.shift();
      if (!w) return;
      if (m.type === 'error') w.reject(new TilesError((m.code as TilesErrorCode) ?? 'TIANDI_E_CORRUPT_TIFF', m.message));
      else w.resolve(m);
    });
    const die = (e: Error) => {
      this.dead = e;
      for (const w of this.waiting.splice(0)) w.reject(e);
    };
    this.worker.on('error', die);
    this.worker.on('exit', (code) => die(new Error(`scan worker exited (${code})`)));
  }

  /** Sends a request and waits for its reply (replies come in the order requests were sent). */
  request(m: WorkerRequest): Promise<WorkerReply> {
    if (this.dead) return Promise.reject(this.dead);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.worker.postMessage(m);
    });
  }

  /** Stops the thread. */
  async terminate(): Promise<void> {
    this.dead ??= new Error('terminated');
    await this.worker.terminate();
  }
}
