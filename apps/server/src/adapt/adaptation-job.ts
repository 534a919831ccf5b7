/** One local-adaptation task run by the server: fitting a new verifier version, or adopting one. */
export interface AdaptationJob {
  id: string;
  kind: 'adapt' | 'adopt';
  state: 'running' | 'done' | 'failed';
  actor: string;
  startedAt: string;
  finishedAt: string | null;
  /** What it is doing, newest last (at most {@link MAX_LINES}), in the words the CLI prints. */
  progress: string[];
  result: Record<string, unknown> | null;
  error: { code: string; message: string } | null;
}

const MAX_LINES = 40;

/**
 * The server's one adaptation slot: a task runs in the background (it embeds windows with onnxruntime and reads
 * orthophotos, so the request returns at once), its progress is kept for the manager page to poll, and a second
 * task is refused while one runs (the model folder and the workspace's scores must not be raced).
 */
export class AdaptationJobs {
  private job: AdaptationJob | null = null;
  private seq = 0;

  get current(): AdaptationJob | null {
    return this.job;
  }

  get running(): boolean {
    return this.job?.state === 'running';
  }

  /** Starts `work` as the current job; it reports progress through `say` and returns its result. */
  start(kind: AdaptationJob['kind'], actor: string, work: (say: (line: string) => void) => Promise<Record<string, unknown>>): AdaptationJob {
    const job: AdaptationJob = {
      id: `${kind}-${Date.now().toString(36)}-${++this.seq}`,
      kind,
      state: 'running',
      actor,
      startedAt: new Date().toISOString(),
      finishedAt: null,
      progress: [],
      result: null,
      error: null,
    };
    this.job = job;
    const say = (line: string) => {
      job.progress.push(line);
      if (job.progress.length > MAX_LINES) job.progress.splice(0, job.progress.length - MAX_LINES);
    };
    work(say).then(
      (result) => Object.assign(job, { state: 'done', result, finishedAt: new Date().toISOString() }),
      (e: { code?: string; message?: string }) =>
        Object.assign(job, {
          state: 'failed',
          error: { code: e?.code ?? 'TIANDI_E_INTERNAL', message: e?.message ?? String(e) },
          finishedAt: new Date().toISOString(),
        }),
    );
    return job;
  }

  /** Resolves when the current job has finished (tests and shutdown). */
  async settled(pollMs = 20): Promise<AdaptationJob | null> {
    while (this.job?.state === 'running') await new Promise((r) => setTimeout(r, pollMs));
    return this.job;
  }
}
