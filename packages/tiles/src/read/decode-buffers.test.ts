import { describe, expect, it } from 'vitest';
import { DecodeBuffers } from './decode-buffers';
import type { RgbBlock } from './rgb-block';

const blockOn = (rgb: Uint8Array, valid: Uint8Array | null = null): RgbBlock => ({ width: 4, rows: 1, rgb, valid, byteLength: rgb.byteLength });

describe('DecodeBuffers', () => {
  it('hands a decode the buffers the previous decode used on the way, once that block is settled', () => {
    const buffers = new DecodeBuffers();
    const first = buffers.forBlock();
    const strip1 = first.into(1000);
    const strip2 = first.into(1000);
    const band = first.into(12);
    first.settle(blockOn(band));
    const second = buffers.forBlock();
    const reused = [second.into(1000), second.into(1000)];
    // The same ArrayBuffers (identity: toEqual would compare contents).
    expect(reused.every((b) => b.buffer === strip1.buffer || b.buffer === strip2.buffer)).toBe(true);
    // The block's own buffer is not free while the block is cached.
    expect(second.into(12).buffer).not.toBe(band.buffer);
  });

  it('never recycles a buffer the block keeps its validity in', () => {
    const buffers = new DecodeBuffers();
    const first = buffers.forBlock();
    const rgb = first.into(12);
    const valid = first.into(4);
    first.settle(blockOn(rgb, valid));
    expect(buffers.forBlock().into(4).buffer).not.toBe(valid.buffer);
  });

  it("recycles an evicted block's buffer once the microtasks queued by then have run (its readers' copies), or at the next region", async () => {
    const buffers = new DecodeBuffers();
    const first = buffers.forBlock();
    const rgb = first.into(12);
    const block = first.settle(blockOn(rgb));
    // A reader handed the block before it was evicted copies it in a continuation queued before the eviction.
    const copied = Promise.resolve(block).then((b) => b.rgb.slice());
    buffers.evicted(block);
    expect(buffers.forBlock().into(12).buffer).not.toBe(rgb.buffer);
    await Promise.resolve();
    expect(buffers.forBlock().into(12).buffer).not.toBe(rgb.buffer);
    await copied;
    await new Promise((r) => setImmediate(r));
    expect(buffers.forBlock().into(12).buffer).toBe(rgb.buffer);
    // Evicted again: the next region makes it reusable at once.
    const again = buffers.forBlock();
    const b2 = again.into(12);
    buffers.evicted(again.settle(blockOn(b2)));
    buffers.reuseQuarantined();
    expect(buffers.forBlock().into(12).buffer).toBe(b2.buffer);
  });
});
