import { describe, expect, it } from 'vitest';
import { applyView, combineViews } from './views';

/** One channel of a 3 × 3 window, values 0..8 in row-major order. */
const plane = () => Float32Array.from({ length: 9 }, (_, i) => i);

describe('test-time views of a verifier window', () => {
  it('mirrors left-right and top-bottom, every channel', () => {
    const two = Float32Array.from([...plane(), ...plane().map((v) => v + 10)]);
    applyView('flip_x', two, 0, 2, 3);
    expect(Array.from(two)).toEqual([2, 1, 0, 5, 4, 3, 8, 7, 6, 12, 11, 10, 15, 14, 13, 18, 17, 16]);
    const p = plane();
    applyView('flip_y', p, 0, 1, 3);
    expect(Array.from(p)).toEqual([6, 7, 8, 3, 4, 5, 0, 1, 2]);
  });

  it('low-passes with [1 4 1]/6 along rows then columns, renormalised at the edges', () => {
    // A bright pixel in the middle of a 3 × 3 window: 4/6 of it stays, 1/5 of it reaches each edge pixel (there
    // the kernel lacks its outer tap: weights 4 + 1), 1/25 each corner.
    const p = new Float32Array(9);
    p[4] = 36;
    applyView('low_pass', p, 0, 1, 3);
    expect(Array.from(p)).toEqual([1.44, 4.8, 1.44, 4.8, 16, 4.8, 1.44, 4.8, 1.44].map((v) => expect.closeTo(v, 5)));
    // A ramp along a row stays a ramp inside and keeps its ends' neighbours' weight only.
    const r = Float32Array.from([0, 6, 12, 0, 6, 12, 0, 6, 12]);
    applyView('low_pass', r, 0, 1, 3);
    expect(Array.from(r.subarray(0, 3))).toEqual([expect.closeTo(6 / 5, 5), 6, expect.closeTo(54 / 5, 5)]);
  });

  it('the low-pass leaves no-data at 0 and does not average it in', () => {
    const p = Float32Array.from([9, 9, 9, 9, 9, 9, 5, 5, 5]);
    const valid = Uint8Array.from([1, 1, 1, 1, 1, 1, 0, 0, 0]);
    applyView('low_pass', p, 0, 1, 3, valid);
    expect(Array.from(p)).toEqual([9, 9, 9, 9, 9, 9, 0, 0, 0]);
  });

  it('changes only its own window in a batch, and as_read changes nothing', () => {
    const batch = Float32Array.from([...plane(), ...plane()]);
    applyView('flip_x', batch, 9, 1, 3);
    expect(Array.from(batch.subarray(0, 9))).toEqual(Array.from(plane()));
    applyView('as_read', batch, 0, 1, 3);
    expect(Array.from(batch.subarray(0, 9))).toEqual(Array.from(plane()));
  });

  it('combines by the lowest probability, or by the mean logit', () => {
    expect(combineViews([0.9, 0.2, 0.6], 'min')).toBe(0.2);
    // logit(0.9) + logit(0.1) = 0: the mean logit is 0, probability one half.
    expect(combineViews([0.9, 0.1], 'mean_logit')).toBeCloseTo(0.5, 9);
    expect(combineViews([0.8, 0.8], 'mean_logit')).toBeCloseTo(0.8, 6);
    expect(combineViews([1, 1], 'mean_logit')).toBeGreaterThan(0.9999);
  });
});
