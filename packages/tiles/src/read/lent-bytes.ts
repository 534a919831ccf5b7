/**
 * Byte buffers lent for one step and given back, for bytes of varying length that live only while a block is
 * decoded: a band's compressed strips read together, a JPEG strip's stream with the file's tables spliced in front.
 * Made anew each time, they were ~350 MB of short-lived buffers on 240 Mpx of GDAL's default striped JPEG (16-row
 * strips, 40 000 px wide): each mapped afresh by the large scan's allocator (page faults), and each counted by V8 as
 * external memory, which asked for a full GC every 100-250 ms of the scanning thread.
 * {@link DecodeBuffers} recycles decoded blocks by exact size; compressed sizes differ from strip to strip, so these
 * are lent by "at least n bytes" instead.
 */
export class LentBytes {
  private readonly free: ArrayBuffer[] = [];
  private readonly ours = new WeakSet<ArrayBuffer>();

  /** `most`: buffers kept for lending again (the rest are left to the GC). */
  constructor(private readonly most = 4) {}

  /** `n` bytes of undefined content, the caller's until {@link giveBack}. */
  lend(n: number): Uint8Array {
    let best = -1;
    for (let i = 0; i < this.free.length; i++) {
      if (this.free[i].byteLength >= n && (best < 0 || this.free[i].byteLength < this.free[best].byteLength)) best = i;
    }
    if (best >= 0) return new Uint8Array(this.free.splice(best, 1)[0], 0, n);
    // A little over what is asked (whole 64 KiB), so the next, slightly longer strip still fits.
    const size = Math.ceil((n * 1.125) / 65536) * 65536;
    const buf = Buffer.allocUnsafeSlow(size).buffer as ArrayBuffer;
    this.ours.add(buf);
    return new Uint8Array(buf, 0, n);
  }

  /** Gives back what {@link lend} lent (anything else is ignored), once nobody reads or writes it any more. */
  giveBack(bytes: Uint8Array): void {
    const buf = bytes.buffer as ArrayBuffer;
    if (!this.ours.has(buf) || this.free.includes(buf)) return;
    if (this.free.length < this.most) {
      this.free.push(buf);
      return;
    }
    // Full: the smallest kept makes way for a larger one.
    let small = 0;
    for (let i = 1; i < this.free.length; i++) if (this.free[i].byteLength < this.free[small].byteLength) small = i;
    if (this.free[small].byteLength < buf.byteLength) this.free[small] = buf;
  }
}
