import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Workspace } from '@tiandi/store';
import { NO_PROGRESS, type Job, type JobProgress, type JobResult } from './job';
import { JobStore } from './job-store';

/** Progress a runner reports: tile rows, then (for a two-stage model) the verifier's windows. */
export interface RunnerProgress {
  tilesDone: number;
  tilesTotal: number;
  pixelsDone?: number;
  /** Set once the second stage runs. */
  windowsDone?: number;
  windowsTotal?: number;
}

/** Runs one scan job: scan the image, import into the workspace (idempotently), report progress. */
export type ScanRunner = (job: Job, opts: { onProgress: (p: RunnerProgress) => void; signal: AbortSignal }) => Promise<JobResult>;

/** What a new job needs. */
export interface NewScanJob {
  imagePath: string;
  imageName: string;
  sha256: string;
  sizeBytes: number;
  uploadedBy?: string | null;
}

/**
 * The server's one background queue of scan jobs, persisted in a {@link JobStore}. Jobs run one
 * at a time (the scan itself spreads over the worker pool). On start, jobs left `running` by a
 * crash or restart are queued again and restart cleanly (the runner overwrites partial output;
 * the import is idempotent, so nothing lands twice). Emits 'job' with the job after every change.
 */
export class JobQueue extends EventEmitter {
  readonly store: JobStore;
  private readonly runner: ScanRunner;
  private running: { id: string; abort: AbortController } | null = null;
  private started = false;
  private idle: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(opts: { workspace: Workspace; runner: ScanRunner }) {
    super();
    this.store = new JobStore(opts.workspace);
    this.runner = opts.runner;
    for (const job of this.store.list()) {
      if (job.status === 'running') this.store.put({ ...job, status: 'queued', progress: { ...NO_PROGRESS } });
    }
  }

  /** Starts working through queued jobs (idempotent). */
  start(): void {
    this.started = true;
    this.kick();
  }

  /** Adds a job unless the same file content already has a queued, running or done job; returns the job. */
  enqueue(input: NewScanJob): { job: Job; existing: boolean } {
    const prior = this.store.findBySha256(input.sha256);
    if (prior && (prior.status === 'queued' || prior.status === 'running' || prior.status === 'done')) return { job: prior, existing: true };
    const job: Job = {
      id: randomUUID(),
      seq: this.store.nextSeq(),
      kind: 'scan',
      status: 'queued',
      ...input,
      createdAt: new Date().toISOString(),
      startedAt: null,
      finishedAt: null,
      attempts: 0,
      progress: { ...NO_PROGRESS },
      error: null,
      result: null,
    };
    this.update(job);
    this.kick();
    return { job, existing: false };
  }

  list(): Job[] {
    return this.store.list();
  }

  get(id: string): Job | undefined {
    return this.store.get(id);
  }

  /** Cancels a queued or running job. Returns false if it had already finished. */
  cancel(id: string): boolean {
    const job = this.store.get(id);
    if (!job || (job.status !== 'queued' && job.status !== 'running')) return false;
    if (this.running?.id === id) this.running.abort.abort();
    this.update({ ...job, status: 'cancelled', finishedAt: new Date().toISOString() });
    return true;
  }

  /** Queues a failed or cancelled job again. Returns false if it is not in such a state. */
  retry(id: string): boolean {
    const job = this.store.get(id);
    if (!job || (job.status !== 'failed' && job.status !== 'cancelled')) return false;
    this.update({ ...job, status: 'queued', error: null, progress: { ...NO_PROGRESS }, finishedAt: null });
    this.kick();
    return true;
  }

  /** Resolves once no job is running and none is queued (or the queue is closed). */
  async whenIdle(): Promise<void> {
    for (;;) {
      await this.idle;
      if (this.closed || !this.started || (!this.running && !this.store.list().some((j) => j.status === 'queued'))) return;
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Stops the queue; a running job is aborted and left `running` in the workspace, so the next start redoes it. */
  async close(): Promise<void> {
    this.closed = true;
    this.running?.abort.abort();
    await this.idle.catch(() => undefined);
  }

  private update(job: Job): void {
    this.store.put(job);
    this.emit('job', job);
  }

  private kick(): void {
    if (!this.started || this.closed || this.running) return;
    const next = this.store.list().find((j) => j.status === 'queued');
    if (!next) return;
    this.idle = this.runOne(next.id);
  }

  private async runOne(id: string): Promise<void> {
    const abort = new AbortController();
    this.running = { id, abort };
    let job = this.store.get(id)!;
    const t0 = Date.now();
    job = { ...job, status: 'running', startedAt: new Date().toISOString(), attempts: job.attempts + 1, progress: { ...NO_PROGRESS }, error: null };
    this.update(job);
    let lastEmit = 0;
    let verifyT0 = 0;
    const onProgress = (p: RunnerProgress): void => {
      const cur = this.store.get(id);
      if (!cur || cur.status !== 'running') return;
      const elapsedS = Math.max(1e-3, (Date.now() - t0) / 1000);
      const verifying = p.windowsTotal !== undefined;
      if (verifying && !verifyT0) verifyT0 = Date.now();
      // Each stage has its own fraction and ETA: the second stage's length is known only once the first ends.
      const stageS = verifying ? Math.max(1e-3, (Date.now() - verifyT0) / 1000) : elapsedS;
      const fraction = verifying
        ? p.windowsTotal! > 0
          ? Math.min(1, (p.windowsDone ?? 0) / p.windowsTotal!)
          : 1
        : p.tilesTotal > 0
          ? Math.min(1, p.tilesDone / p.tilesTotal)
          : 0;
      const progress: JobProgress = {
        stage: verifying ? 'verify' : 'tiles',
        tilesDone: p.tilesDone,
        tilesTotal: p.tilesTotal,
        mpxPerS: p.pixelsDone !== undefined ? p.pixelsDone / 1e6 / elapsedS : 0,
        etaS: fraction > 0 && fraction < 1 ? (stageS / fraction) * (1 - fraction) : fraction >= 1 ? 0 : null,
        fraction,
        windowsDone: verifying ? (p.windowsDone ?? 0) : 0,
        windowsTotal: verifying ? p.windowsTotal! : 0,
      };
      const now = Date.now();
      // Persist at most a few times a second; push every change.
      if (now - lastEmit > 250 || fraction >= 1) {
        lastEmit = now;
        this.update({ ...cur, progress });
      } else {
        const next = { ...cur, progress };
        this.store.putVolatile(next);
        this.emit('job', next);
      }
    };
    try {
      const result = await this.runner(job, { onProgress, signal: abort.signal });
      const cur = this.store.get(id)!;
      if (cur.status === 'running') {
        this.update({
          ...cur,
          status: 'done',
          finishedAt: new Date().toISOString(),
          result,
          progress: { ...cur.progress, fraction: 1, tilesDone: cur.progress.tilesTotal, etaS: 0 },
        });
      }
    } catch (err) {
      const cur = this.store.get(id)!;
      if (this.closed && cur.status === 'running') {
        // Shutting down: leave it 'running' in the workspace so the next start redoes it cleanly.
      } else if (cur.status === 'running') {
        this.update({ ...cur, status: 'failed', finishedAt: new Date().toISOString(), error: (err as Error).message ?? String(err) });
      }
    } finally {
      this.running = null;
      this.kick();
    }
  }
}
