import { describe, expect, it } from 'vitest';
import { RegionPool } from './region-pool';

describe('RegionPool', () => {
  it('reuses every buffer handed back while 16 small windows are read at once', () => {
    const pool = new RegionPool();
    const first = Array.from({ length: 16 }, () => pool.acquire(128 * 128 * 3));
    for (const b of first) pool.release(b);
    const again = Array.from({ length: 16 }, () => pool.acquire(128 * 128 * 3));
    expect(new Set(again.map((b) => b.buffer))).toEqual(new Set(first.map((b) => b.buffer)));
  });

  it('keeps no more than three large buffers beyond its byte budget', () => {
    const pool = new RegionPool();
    const big = Array.from({ length: 5 }, () => pool.acquire(20 << 20));
    for (const b of big) pool.release(b);
    const again = Array.from({ length: 5 }, () => pool.acquire(20 << 20));
    const reused = again.filter((b) => big.some((o) => o.buffer === b.buffer));
    expect(reused).toHaveLength(3);
  });
});
