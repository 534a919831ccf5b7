import { join, resolve } from 'node:path';
import type { InferenceSession } from 'onnxruntime-node';
import { scoresFromOutput } from '../model/tile-tensor';
import { WorkerRequests } from './worker-requests';
import { checkGraphAgainstCard, createSession, type LoadedModel, modelFiles, sessionOptions } from './load-model';
import { endOnnxWorker, takeOnnxWorker } from './onnx-thread-early';
import type { PackedWindows, WindowModel } from './window-tensors';
import type { WindowView } from '../verify/views';

type Reply = { seq: number; ok: boolean; message?: string; meta?: unknown; data?: Float32Array; dims?: number[]; input?: Float32Array };

/**
 * One thread that runs onnxruntime for this one: onnxruntime-node's `session.run` is synchronous, so on the
 * scanning thread every batch stopped the reading, decoding and resampling of the next windows. Here the two
 * overlap, each on its own core. Requests are answered in order; the thread keeps the process alive only while
 * a request is pending. It is the one a command started early (onnx-thread-early.ts), when there is one.
 */
export class OnnxThread {
  private readonly thread = new WorkerRequests<Reply>(takeOnnxWorker(), 'onnxruntime thread', (r) => (r.ok ? undefined : (r.message ?? '')));
  private sessions = 0;
  /** Input buffers back from the thread, by length: a batch is copied into one and handed over (a new buffer a batch cost 3–6× as much). */
  private readonly spare = new Map<number, Float32Array[]>();
  /** Whether the thread writes verifier windows' tensors itself (useWindowTensors). */
  private windowTensors = false;

  /**
   * Has the thread import `bundle` (window-tensors.ts bundled), after which its models score packed windows
   * (`inferWindows`), writing their tensors there rather than on the scanning thread. Resolves false when it cannot.
   */
  async useWindowTensors(bundle: URL): Promise<boolean> {
    this.windowTensors ||= await this.request({ type: 'tensors', url: bundle.href }).then(
      () => true,
      () => false,
    );
    return this.windowTensors;
  }

  request(m: Record<string, unknown>, transfer: ArrayBuffer[] = []): Promise<Reply> {
    return this.thread.request(m, transfer);
  }

  /** Loads `<dir>/model.onnx` under its card into this thread, as a {@link LoadedModel} whose `infer` runs here. */
  async load(dir: string, options: { threads?: number; signal?: AbortSignal } = {}): Promise<LoadedModel & Partial<WindowModel>> {
    // The graph is asked for at once, so that thread reads it while this one reads the card (and goes on, say
    // loading the JPEG decoder); a card that refuses it wins, and the session is released.
    const session = ++this.sessions;
    const path = join(resolve(dir), 'model.onnx');
    const loading = this.request({ type: 'load', session, path, options: sessionOptions(options.threads, false) });
    loading.catch(() => undefined);
    let files: Awaited<ReturnType<typeof modelFiles>>;
    try {
      files = await modelFiles(dir, options.signal);
    } catch (e) {
      await loading
        .then(
          () => this.request({ type: 'release', session }),
          () => undefined,
        )
        .catch(() => undefined);
      throw e;
    }
    const { abs, card, onnxPath } = files;
    const { meta } = await createSession(onnxPath, () => loading);
    checkGraphAgainstCard(meta as InferenceSession, card, onnxPath);
    const S = card.input.size;
    const C = card.input.channels.length;
    const thread = this;
    // The card's input block goes with the first batch of windows only (the thread keeps it by session).
    let cardSent = false;
    const inferWindows = async (windows: PackedWindows, n: number, views: readonly WindowView[]) => {
      const dims = [n * views.length, C, S, S];
      const first = cardSent ? {} : { card: { input: card.input } };
      cardSent = true;
      const r = await this.request({ type: 'run', session, dims, input: card.input.name, output: card.output.name, windows, n, views, ...first });
      return scoresFromOutput(r.data!, r.dims!, card);
    };
    return {
      card,
      dir: abs,
      sharedBatches: true,
      /** Present once the thread writes windows' tensors itself. */
      get inferWindows() {
        return thread.windowTensors ? inferWindows : undefined;
      },
      infer: async (batch, n) => {
        const len = n * C * S * S;
        const request = { type: 'run', session, dims: [n, C, S, S], input: card.input.name, output: card.output.name };
        if (batch.buffer instanceof SharedArrayBuffer) {
          // Shared memory: the models' thread copies it out there, not this one (its caller refills it only once scored).
          const r = await this.request({ ...request, data: batch.subarray(0, len) });
          return scoresFromOutput(r.data!, r.dims!, card);
        }
        // A copy: the caller may refill its batch while this one is scored.
        const data = this.spare.get(len)?.pop() ?? new Float32Array(len);
        data.set(batch.subarray(0, len));
        const r = await this.request({ ...request, data }, [data.buffer as ArrayBuffer]);
        if (r.input) this.spare.set(len, [...(this.spare.get(len) ?? []), r.input].slice(-4));
        return scoresFromOutput(r.data!, r.dims!, card);
      },
      release: async () => {
        await this.request({ type: 'release', session }).catch(() => undefined);
      },
    };
  }

  /** Ends the thread, once onnxruntime has loaded there (endOnnxWorker says why). */
  async terminate(): Promise<void> {
    const { worker, dead } = this.thread;
    this.thread.dead ??= new Error('terminated');
    await endOnnxWorker(worker, dead !== undefined);
  }
}
