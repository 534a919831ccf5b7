import type { Worker } from 'node:worker_threads';

/**
 * Requests to one worker thread, each answered by a reply carrying its `seq`. The thread keeps the process alive
 * only while a request is pending; once it errs or exits, every pending and later request fails with why.
 */
export class WorkerRequests<Reply extends { seq: number }> {
  private readonly pending = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();
  private seq = 0;
  /** Why the thread can take no more requests, once it cannot. */
  dead: Error | undefined;

  constructor(
    readonly worker: Worker,
    /** What the thread is, for the error when it exits. */
    what: string,
    /** The reply's error message when it is a refusal, otherwise undefined. */
    refusal: (r: Reply) => string | undefined,
    /** Called once the thread has died, after its pending requests were failed. */
    onDie?: (e: Error) => void,
  ) {
    worker.unref();
    worker.on('message', (r: Reply) => {
      const p = this.pending.get(r.seq);
      this.pending.delete(r.seq);
      if (!this.pending.size) worker.unref();
      if (!p) return;
      const refused = refusal(r);
      if (refused === undefined) p.resolve(r);
      else p.reject(new Error(refused));
    });
    const die = (e: Error) => {
      this.dead = e;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
      onDie?.(e);
    };
    worker.on('error', die);
    worker.on('exit', (code) => die(new Error(`${what} exited (${code})`)));
  }

  request(m: Record<string, unknown>, transfer: ArrayBuffer[] = []): Promise<Reply> {
    if (this.dead) return Promise.reject(this.dead);
    const seq = ++this.seq;
    return new Promise<Reply>((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ ...m, seq }, transfer);
    });
  }

  async terminate(): Promise<void> {
    this.dead ??= new Error('terminated');
    await this.worker.terminate();
  }
}
