import type { RgbBlock } from './rgb-block';

/** Bytes of recycled decode buffers kept for reuse. */
const SPARE_BYTES = 32 << 20;

/**
 * Recycles the buffers blocks are decoded into. A block's buffer goes to a quarantine when the block cache
 * drops it (or at once when the block did not keep it) and becomes reusable at {@link reuseQuarantined},
 * called when the next region is read. A block handed to a reader is copied in the same microtask
 * checkpoint, while a buffer is only written again by a decode, which always follows a file read: no
 * block is overwritten while someone still copies it. The buffers a decode used on the way (a strip's inflated
 * bytes before conversion into its band, a tile's samples before conversion to RGB) are read by nobody once the block
 * is settled, and are kept for the next decode at once: waiting for the next region, a striped file's band of 16
 * strips took 16 new buffers, ~130 MB of garbage a first-stage window on a 40 000-px-wide file.
 */
export class DecodeBuffers {
  private readonly owned = new WeakMap<RgbBlock, Uint8Array>();
  private readonly spare = new Map<number, Uint8Array[]>();
  private spareBytes = 0;
  private quarantine: Uint8Array[] = [];
  private releasing = false;

  /** Buffers for decoding one block: `into(n)` hands one out; `settle(block)` keeps the one its pixels live in. */
  forBlock(): { into: (n: number) => Uint8Array; settle: (block: RgbBlock) => RgbBlock } {
    const handed: Uint8Array[] = [];
    const into = (n: number): Uint8Array => {
      let b = this.spare.get(n)?.pop();
      if (b) this.spareBytes -= n;
      else {
        const m = Buffer.allocUnsafeSlow(n);
        b = new Uint8Array(m.buffer, m.byteOffset, n);
      }
      handed.push(b);
      return b;
    };
    const settle = (block: RgbBlock) => {
      for (const b of handed) {
        if (b.buffer === block.rgb.buffer) this.owned.set(block, b);
        // A buffer the block's validity lives in stays with the block, never recycled.
        else if (b.buffer !== block.valid?.buffer) this.keepSpare(b);
      }
      return block;
    };
    return { into, settle };
  }

  /** A block held on elsewhere (kept-blocks.ts holds it in memory): its buffer is never recycled. */
  disown(block: RgbBlock): void {
    this.owned.delete(block);
  }

  /**
   * A block left the cache: its buffer is recycled once the microtasks queued by now have run (a reader handed the
   * block copies it in its promise's continuation), or at the next region if that comes first. Held until the next
   * region only, a region of many small blocks (one-row strips in separate planes: ~670 a first-stage window at
   * 40 000 px) took as many new buffers while the evicted ones waited, the block cache twice over.
   */
  evicted(block: RgbBlock): void {
    const b = this.owned.get(block);
    if (!b) return;
    this.quarantine.push(b);
    if (this.releasing) return;
    this.releasing = true;
    setImmediate(() => {
      this.releasing = false;
      this.reuseQuarantined();
    });
  }

  /** Makes quarantined buffers reusable (up to 32 MB kept). */
  reuseQuarantined(): void {
    for (const b of this.quarantine) this.keepSpare(b);
    this.quarantine = [];
  }

  /** A buffer nobody reads any more, kept for the next decode while the spare ones stay within 32 MB. */
  private keepSpare(b: Uint8Array): void {
    if (this.spareBytes + b.length > SPARE_BYTES) return;
    const list = this.spare.get(b.length) ?? [];
    list.push(b);
    this.spare.set(b.length, list);
    this.spareBytes += b.length;
  }

  /** Lets every recycled buffer go. */
  drop(): void {
    this.spare.clear();
    this.spareBytes = 0;
    this.quarantine = [];
  }
}
