import type { LoadedModel } from './load-model';
import type { OnnxThread } from './onnx-thread';
import type { Verifier } from './verify-candidates';

/**
 * One model loaded on several models' threads, each session on one core: onnxruntime's intra-op threads gave the
 * verifier no gain (14.0 against 15.2 thousand windows a second with one), where a second thread doubled it. Each
 * batch goes to the member with the fewest batches pending (the first on ties); members join as they are loaded,
 * and one that fails to load is left out (the others score its share).
 */
export class ModelPool implements LoadedModel {
  readonly card: LoadedModel['card'];
  readonly dir: string;
  readonly sharedBatches: boolean;
  private readonly members: { model: LoadedModel; pending: number }[];
  private readonly joining: Promise<unknown>[] = [];

  constructor(first: LoadedModel) {
    this.card = first.card;
    this.dir = first.dir;
    this.sharedBatches = first.sharedBatches === true;
    this.members = [{ model: first, pending: 0 }];
  }

  /** Members scoring batches now. */
  get size(): number {
    return this.members.length;
  }

  /** Adds a member once it is loaded (a model of the same graph and card, on another thread, batches shared alike). */
  join(loading: Promise<LoadedModel>): void {
    const joined = loading.then(
      (model) => {
        if (model.sharedBatches === this.sharedBatches) this.members.push({ model, pending: 0 });
        else return model.release();
      },
      () => undefined,
    );
    this.joining.push(joined);
  }

  async infer(batch: Float32Array, n: number): Promise<Float32Array[]> {
    let m = this.members[0];
    for (const c of this.members) if (c.pending < m.pending) m = c;
    m.pending++;
    try {
      return await m.model.infer(batch, n);
    } finally {
      m.pending--;
    }
  }

  async release(): Promise<void> {
    await Promise.all(this.joining);
    await Promise.all(this.members.map((m) => m.model.release()));
  }
}

/**
 * Scores the second stage's windows (the verifier's and its prefilter's) on one more models' thread too: a long job's
 * worker threads are stopped when its first stage ends, and their core would otherwise sit idle under a second stage
 * whose inference is one thread's. The models are loaded there while the candidates are traced.
 */
export function widenSecondStage(verifier: Verifier, thread: OnnxThread): void {
  for (const stage of [verifier, verifier.prefilter]) {
    if (!stage?.model) continue;
    const pool = stage.model instanceof ModelPool ? stage.model : new ModelPool(stage.model);
    pool.join(thread.load(stage.model.dir, { threads: 1 }));
    stage.model = pool;
  }
}
