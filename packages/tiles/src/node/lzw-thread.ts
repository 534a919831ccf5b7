import { Worker } from 'node:worker_threads';
import type { StripDecoder, StripsInFile } from '../read/level-reader';
import type { BandOut, StripDone, StripJob } from '../read/strip-away';
import { workerBundle } from './worker-bundle';
import { withoutTsx } from './worker-pool';
import { WorkerRequests } from './worker-requests';

/**
 * Bands shared with the thread at once (their strips, this thread's share decoding, the rest there): enough
 * that it always has one queued while a band is read or converted, few enough to bound the strips held.
 */
export const LZW_BANDS_IN_FLIGHT = 3;

/**
 * A thread that decodes strips for the thread scanning a striped file (level-reader's {@link StripDecoder}): a wide
 * striped file's tile row of strips leaves memory for one scanning thread only, whose decoding (LZW or deflate, the
 * predictor, the conversion to RGB: read/strip-away.ts) was about half its work, the second core mostly idle. This
 * thread holds no block cache, no model: a Node heap and the strips of at most {@link LZW_BANDS_IN_FLIGHT} bands
 * (thread-plan's `STRIP_THREAD_BYTES`).
 */
export class LzwThread implements StripDecoder {
  private readonly thread: WorkerRequests<{ seq: number; first?: number; done?: StripDone[]; error?: string }>;
  /** Bands holding room, and bands waiting for it. */
  private held = 0;
  private readonly waiting: ((ok: boolean) => void)[] = [];

  /** Bands it decodes ahead of those asked for (thread-plan's stripsAhead). */
  readonly aheadBands: number;

  private constructor(worker: Worker, aheadBands: number) {
    this.aheadBands = aheadBands;
    this.thread = new WorkerRequests(
      worker,
      'LZW thread',
      (r) => (r.done ? undefined : (r.error ?? 'strip decoding failed')),
      () => {
        for (const w of this.waiting.splice(0)) w(false);
      },
    );
  }

  /**
   * Starts the thread: its bundled plain-JavaScript module, or the TypeScript one through tsx when no bundle could be
   * built. `aheadBands`: bands the reader may hand it before they are asked for (StripDecoder.aheadBands).
   */
  static async start(aheadBands = 0): Promise<LzwThread> {
    const bundle = await workerBundle(new URL('./lzw-thread-worker.ts', import.meta.url));
    return new LzwThread(
      bundle ? new Worker(bundle, { execArgv: withoutTsx(process.execArgv) }) : new Worker(new URL('./lzw-thread-worker.mjs', import.meta.url)),
      aheadBands,
    );
  }

  async acquire(): Promise<boolean> {
    if (this.thread.dead) return false;
    if (this.held < LZW_BANDS_IN_FLIGHT) {
      this.held++;
      return true;
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    // The room passes to the next band waiting, if any.
    const next = this.waiting.shift();
    if (next) next(!this.thread.dead);
    else this.held--;
  }

  decode(strips: Uint8Array[], job: StripJob, claims?: Int32Array, out?: BandOut): Promise<{ first: number; done: StripDone[] }> {
    // One copy of the strips, handed over: a view posted as it is would copy the whole buffer it is part of.
    const ends: number[] = [];
    let n = 0;
    for (const s of strips) ends.push((n += s.length));
    const packed = new Uint8Array(n);
    strips.forEach((s, k) => packed.set(s, k ? ends[k - 1] : 0));
    return this.thread
      .request({ packed, ends, job, ...(claims ? { claims } : {}), ...(out ? { out } : {}) }, [packed.buffer])
      .then((r) => ({ first: r.first!, done: r.done! }));
  }

  decodeFile(file: StripsInFile, job: StripJob, claims: Int32Array, out: BandOut): Promise<{ first: number; done: StripDone[] }> {
    return this.thread.request({ file, job, claims, out }, []).then((r) => ({ first: r.first!, done: r.done! }));
  }

  async terminate(): Promise<void> {
    const stopped = this.thread.terminate();
    for (const w of this.waiting.splice(0)) w(false);
    await stopped;
  }
}
