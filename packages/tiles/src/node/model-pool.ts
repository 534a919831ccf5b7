import type { LoadedModel } from './load-model';
import type { OnnxThread } from './onnx-thread';
import { workerBundle } from './worker-bundle';
import type { Verifier } from './verify-candidates';
import type { WindowView } from '../verify/views';
import type { PackedWindows, WindowModel } from './window-tensors';

type Member = LoadedModel & Partial<WindowModel>;

/**
 * One model loaded on several models' threads, each session on one core: onnxruntime's intra-op threads gave the
 * verifier no gain (14.0 against 15.2 thousand windows a second with one), where a second thread doubled it. Each
 * batch goes to the member with the fewest batches pending (the first on ties); members join as they are loaded,
 * and one that fails to load is left out (the others score its share).
 */
export class ModelPool implements LoadedModel, Partial<WindowModel> {
  readonly card: LoadedModel['card'];
  readonly dir: string;
  readonly sharedBatches: boolean;
  private readonly members: { model: Member; pending: number }[];
  private readonly joining: Promise<unknown>[] = [];

  constructor(first: Member) {
    this.card = first.card;
    this.dir = first.dir;
    this.sharedBatches = first.sharedBatches === true;
    this.members = [{ model: first, pending: 0 }];
  }

  /** Members scoring batches now: a scorer keeps as many times its batches in flight, so none waits for the next. */
  get lanes(): number {
    return this.members.length;
  }

  /** Adds a member once it is loaded (a model of the same graph and card, on another thread, batches shared alike). */
  join(loading: Promise<Member>): void {
    const joined = loading.then(
      (model) => {
        if (model.sharedBatches === this.sharedBatches) this.members.push({ model, pending: 0 });
        else return model.release();
      },
      () => undefined,
    );
    this.joining.push(joined);
  }

  infer(batch: Float32Array, n: number): Promise<Float32Array[]> {
    return this.onLeastBusy((m) => m.infer(batch, n));
  }

  /** Present when every member writes windows' tensors on its own thread (see WindowModel). */
  get inferWindows(): WindowModel['inferWindows'] | undefined {
    if (!this.members.every((m) => m.model.inferWindows)) return undefined;
    return (windows: PackedWindows, n: number, views: readonly WindowView[]) => this.onLeastBusy((m) => m.inferWindows!(windows, n, views));
  }

  /** Runs `score` on the member with the fewest batches pending (the first on ties). */
  private async onLeastBusy(score: (m: Member) => Promise<Float32Array[]>): Promise<Float32Array[]> {
    let m = this.members[0];
    for (const c of this.members) if (c.pending < m.pending) m = c;
    m.pending++;
    try {
      return await score(m.model);
    } finally {
      m.pending--;
    }
  }

  async release(): Promise<void> {
    await Promise.all(this.joining);
    await Promise.all(this.members.map((m) => m.model.release()));
  }
}

/** window-tensors.ts bundled for the models' threads (undefined when no bundle can be built). */
export function windowTensorsBundle(): Promise<URL | undefined> {
  return workerBundle(new URL('./window-tensors.ts', import.meta.url));
}

/**
 * Scores the second stage's windows (the verifier's and its prefilter's) on one more models' thread too, and has both
 * threads write the windows' tensors (this thread only packs them): a long job's worker threads are stopped when its
 * first stage ends, and their core would otherwise sit idle under a second stage whose inference was one thread's and
 * whose scanning thread, reading the windows, was the busier side. The models are loaded there, and the tensor
 * module imported on both, while the candidates are traced.
 */
export async function widenSecondStage(verifier: Verifier, first: OnnxThread, second: OnnxThread): Promise<void> {
  const bundle = await windowTensorsBundle();
  if (bundle) for (const thread of [first, second]) void thread.useWindowTensors(bundle);
  for (const stage of [verifier, verifier.prefilter]) {
    if (!stage?.model) continue;
    const pool = stage.model instanceof ModelPool ? stage.model : new ModelPool(stage.model);
    pool.join(second.load(stage.model.dir, { threads: 1 }));
    stage.model = pool;
  }
}
