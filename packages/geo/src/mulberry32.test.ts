import { describe, expect, it } from 'vitest';
import { mulberry32 } from './mulberry32';

describe('mulberry32', () => {
  it('repeats a sequence for a state, stays in [0, 1), and differs between states', () => {
    const a = mulberry32(42);
    const first = [a(), a(), a()];
    const b = mulberry32(42);
    expect([b(), b(), b()]).toEqual(first);
    expect(first[0]).toBe(0.6011037519201636);
    const c = mulberry32(43);
    expect(c()).not.toBe(first[0]);
    const d = mulberry32(-1);
    for (let i = 0; i < 1000; i++) {
      const v = d();
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(1);
    }
  });
  it('treats a state and its unsigned form alike', () => {
    const s = mulberry32(-5);
    const u = mulberry32(-5 >>> 0);
    expect([s(), s()]).toEqual([u(), u()]);
  });
});
