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

  it("recycles a cached block's buffer only after the next region is read", () => {
    const buffers = new DecodeBuffers();
    const first = buffers.forBlock();
    const rgb = first.into(12);
    const block = first.settle(blockOn(rgb));
    buffers.evicted(block);
    expect(buffers.forBlock().into(12).buffer).not.toBe(rgb.buffer);
    buffers.reuseQuarantined();
    expect(buffers.forBlock().into(12).buffer).toBe(rgb.buffer);
  });
});
