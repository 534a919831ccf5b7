import { kernelBuffer } from './wasm/kernels';

/**
 * Buffers for the regions readLevel assembles, handed back once resampled and reused by the next windows (one
 * is in use per window being read). They are WebAssembly kernel buffers where available, so the box average
 * runs where the blocks were copied, and are not cleared: every pixel of a region is written from some block.
 */
/** Free region buffers kept for reuse: at most this many… */
const POOL_KEEP = 32;
/** …and beyond three, no more than these bytes in all (three first-stage regions may be 12 MB each). */
const POOL_KEEP_BYTES = 48 << 20;

export class RegionPool {
  private readonly free: Uint8Array[] = [];
  private readonly slabOf = new WeakMap<ArrayBufferLike, Uint8Array>();

  /** A buffer of exactly `bytes`. */
  acquire(bytes: number): Uint8Array {
    const i = this.free.findIndex((b) => b.length >= bytes);
    if (i >= 0) return this.free.splice(i, 1)[0].subarray(0, bytes);
    let slab = kernelBuffer(bytes);
    if (!slab) {
      const b = Buffer.allocUnsafeSlow(bytes);
      slab = new Uint8Array(b.buffer, b.byteOffset, bytes);
    }
    this.slabOf.set(slab.buffer, slab);
    return slab;
  }

  /**
   * Takes back a buffer from acquire(). Up to {@link POOL_KEEP} are kept within {@link POOL_KEEP_BYTES}: the
   * verifier reads 16 small windows at once, and a kernel buffer made anew for each (a WebAssembly memory and
   * instance) cost more than the window's copy and fed the garbage collector.
   */
  release(buf: Uint8Array): void {
    const slab = this.slabOf.get(buf.buffer);
    if (!slab || this.free.includes(slab) || this.free.length >= POOL_KEEP) return;
    if (this.free.reduce((n, b) => n + b.length, slab.length) > POOL_KEEP_BYTES && this.free.length >= 3) return;
    this.free.push(slab);
  }

  clear(): void {
    this.free.length = 0;
  }
}

/** A shared all-ones validity mask (read, never written): regions valid everywhere point into it. */
let allOnes = new Uint8Array(0);
export function ones(n: number): Uint8Array {
  if (allOnes.length < n) allOnes = new Uint8Array(Math.max(n, allOnes.length * 2)).fill(1);
  return allOnes.subarray(0, n);
}
