import { TilesError } from '../errors';
import type { LoadedModel } from './load-model';
import type { RgbRaster } from '../read/resample-area';
import { combineViews, type WindowView } from '../verify/views';
import { packedWindows, packWindow, writeViews, type PackedWindows, type WindowModel } from './window-tensors';
import type { Verifier } from './verify-candidates';

/** Windows a batch holds: small batches keep the models' thread fed while this one reads the next windows. */
export const SCORE_BATCH = 16;
/**
 * Batches sent to the model and not answered yet, per models' thread scoring them (a ModelPool's lanes). While they
 * are scored this thread reads and writes the next windows; with two the models' thread went idle whenever a run of
 * reads took longer than two batches' scoring.
 */
export const BATCHES_IN_FLIGHT = 3;

/** One pass of the views: the views every window of its batches is written in (one slot each). */
interface Pass {
  views: readonly WindowView[];
  /** Windows waiting for this pass, in the order they reached it. */
  queue: number[];
  /** Its batches sent and not answered yet. */
  pending: number;
}

/**
 * Scores windows with a verifier as they are read, in batches of {@link SCORE_BATCH} sent to its model while this
 * thread reads the next windows. With `min` over views led by `as_read` the views are passes: each window goes to
 * the next view only when every view so far left it at or over the threshold (a window a view puts below it stays
 * below it whatever the later views say), as the scores come back. Otherwise every view of a window is scored in one
 * batch and combined. A window's score is final once no view is left for it: `onScore(id, score, raster)` then.
 */
export class WindowScorer {
  private readonly passes: Pass[];
  private readonly cascade: boolean;
  /** The verifier's model; a ModelPool also says how many models' threads (lanes) score its batches. */
  private readonly model: LoadedModel & Partial<WindowModel> & { readonly lanes?: number };
  private readonly rasters: (RgbRaster | undefined)[] = [];
  private readonly running = new Map<number, number>();
  private readonly buffers: Float32Array[] = [];
  /** Windows packed for a model that writes their tensors on its own thread, reused once their batch is answered. */
  private readonly packs: PackedWindows[] = [];
  private inFlight = 0;
  private ended = false;
  private error: unknown;
  private wake: (() => void)[] = [];

  constructor(
    private readonly v: Verifier,
    private readonly onScore: (id: number, score: number, raster: RgbRaster) => void,
  ) {
    if (!v.model) throw new TilesError('TIANDI_E_INTERNAL', 'verifier loaded without its model');
    this.model = v.model;
    const views = v.views;
    this.cascade = !views || (views.combine === 'min' && views.views[0] === 'as_read');
    const passViews: (readonly WindowView[])[] = !views ? [['as_read']] : this.cascade ? views.views.map((w) => [w]) : [views.views];
    this.passes = passViews.map((w) => ({ views: w, queue: [], pending: 0 }));
  }

  /** Queues window `id` (ids are the caller's, each once); resolves when there is room for the next one. */
  async add(id: number, raster: RgbRaster): Promise<void> {
    this.throwIfFailed();
    this.rasters[id] = raster;
    this.passes[0].queue.push(id);
    this.pump();
    // Back-pressure: the reader waits while a full batch cannot be sent.
    while (this.passes[0].queue.length >= SCORE_BATCH && !this.error) await this.settled();
    this.throwIfFailed();
  }

  /** Scores what is left (short batches too) and resolves once every window's score is final. */
  async finish(): Promise<void> {
    this.ended = true;
    this.pump();
    while (this.inFlight > 0) await this.settled();
    this.throwIfFailed();
    if (this.passes.some((p) => p.queue.length)) throw new TilesError('TIANDI_E_INTERNAL', 'windows left unscored');
  }

  private throwIfFailed(): void {
    if (this.error !== undefined) throw this.error;
  }

  /** Resolves when a batch is answered (or fails). */
  private settled(): Promise<void> {
    return new Promise((resolve) => this.wake.push(resolve));
  }

  /** Whether no more windows can reach pass `j`: the input has ended and every earlier pass is empty and answered. */
  private closed(j: number): boolean {
    return this.ended && this.passes.slice(0, j).every((p) => !p.queue.length && !p.pending);
  }

  /** Sends every batch that can go: full ones, and short ones of a pass no window can reach any more. Later passes first (their windows hold rasters). */
  private pump(): void {
    for (let j = this.passes.length - 1; j >= 0; j--) {
      const q = this.passes[j].queue;
      const limit = BATCHES_IN_FLIGHT * (this.model.lanes ?? 1);
      while (this.inFlight < limit && (q.length >= SCORE_BATCH || (q.length && this.closed(j)))) this.send(j, q.splice(0, SCORE_BATCH));
    }
  }

  private send(j: number, ids: number[]): void {
    const pass = this.passes[j];
    const V = pass.views.length;
    const { size: S, channels } = this.v.card.input;
    const len = SCORE_BATCH * V * channels.length * S * S;
    // Batches in shared memory when the model runs on another thread (it copies them there); a buffer is reused
    // once its batch is answered.
    let scored: Promise<Float32Array[]>;
    let free: () => void;
    const inferWindows = this.model.inferWindows;
    if (inferWindows) {
      // The models' thread writes the tensors: this one only packs the windows.
      const packed = this.packs.pop() ?? packedWindows(SCORE_BATCH, S);
      ids.forEach((id, k) => packWindow(packed, k, this.rasters[id]!));
      scored = inferWindows(packed, ids.length, pass.views);
      free = () => this.packs.push(packed);
    } else {
      const batch = this.buffers.pop() ?? new Float32Array(this.model.sharedBatches ? new SharedArrayBuffer(len * 4) : new ArrayBuffer(len * 4));
      ids.forEach((id, k) => {
        const r = this.rasters[id]!;
        writeViews(r.rgb, r.valid, r.allValid === true, pass.views, this.v.card, batch, k * V);
      });
      scored = this.model.infer(batch, ids.length * V);
      free = () => this.buffers.push(batch);
    }
    pass.pending++;
    this.inFlight++;
    scored.then(
      (scores) => {
        free();
        this.answered(j, ids, scores);
      },
      (e) => {
        this.error ??= e;
        this.answered(j, [], []);
      },
    );
  }

  /** Takes a batch's scores: each window's final score, or its place in the next pass. */
  private answered(j: number, ids: number[], scores: Float32Array[]): void {
    const pass = this.passes[j];
    pass.pending--;
    this.inFlight--;
    const V = pass.views.length;
    ids.forEach((id, k) => {
      if (!this.cascade)
        return this.done(
          id,
          combineViews(
            Array.from({ length: V }, (_, w) => scores[k * V + w][0]),
            this.v.views!.combine,
          ),
        );
      const s = j === 0 ? scores[k][0] : Math.min(this.running.get(id)!, scores[k][0]);
      if (j + 1 < this.passes.length && s >= this.v.threshold) {
        this.running.set(id, s);
        this.passes[j + 1].queue.push(id);
      } else this.done(id, s);
    });
    if (!this.error) this.pump();
    const wake = this.wake;
    this.wake = [];
    for (const w of wake) w();
  }

  private done(id: number, score: number): void {
    const raster = this.rasters[id]!;
    this.rasters[id] = undefined;
    this.running.delete(id);
    this.onScore(id, score, raster);
  }
}
