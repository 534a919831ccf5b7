import { describe, expect, it } from 'vitest';
import { adaptedIsBetter, fitLogisticHead, headScore, heldOutMetrics, solveSpd, splitGroups, thresholdKeepingRecall } from './fit-head';

/** Seeded 2-D points: poppy around (1, 1), roofs the shipped head takes for poppy around (1, -1). */
function data(n: number, seed = 3) {
  let s = seed;
  const rnd = () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32 - 0.5;
  const xs: number[][] = [],
    ys: number[] = [];
  for (let i = 0; i < n; i++) {
    const y = i % 4 === 0 ? 1 : 0;
    xs.push([1 + rnd() * 0.6, (y ? 1 : -1) + rnd() * 0.6]);
    ys.push(y);
  }
  return { xs, ys };
}

describe('fitting the verifier head', () => {
  it('solves a positive-definite system', () => {
    const x = solveSpd(Float64Array.from([4, 2, 2, 3]), Float64Array.from([2, 5]), 2);
    expect(x[0]).toBeCloseTo(-0.5, 10);
    expect(x[1]).toBeCloseTo(2, 10);
  });

  it('learns that the roofs are not poppy, starting from a head that passes both', () => {
    const prior = { w: Float64Array.from([3, 0]), b: -1 }; // looks only at x0: roofs and poppy both score 0.88
    const { xs, ys } = data(400);
    const h = fitLogisticHead(xs, ys, prior);
    const poppy = xs.filter((_, i) => ys[i]).map((x) => headScore(h, x));
    const roofs = xs.filter((_, i) => !ys[i]).map((x) => headScore(h, x));
    expect(Math.min(...poppy)).toBeGreaterThan(Math.max(...roofs));
    expect(h.w[1]).toBeGreaterThan(1);
  });

  it('returns the prior with no labels, and stays near it when pulled hard', () => {
    const prior = { w: Float64Array.from([3, 0]), b: -1 };
    expect(fitLogisticHead([], [], prior)).toEqual(prior);
    const { xs, ys } = data(200);
    const stiff = fitLogisticHead(xs, ys, prior, { lambda: 1e4 });
    expect(Math.abs(stiff.w[0] - 3)).toBeLessThan(0.05);
    expect(Math.abs(stiff.w[1])).toBeLessThan(0.05);
  });

  it('keeps recall: the highest threshold passing the asked share of positives', () => {
    expect(thresholdKeepingRecall([0.9, 0.8, 0.3, 0.7], 0.75, 0.5)).toBe(0.7);
    expect(thresholdKeepingRecall([0.9, 0.8, 0.3, 0.7], 1, 0.5)).toBe(0.3);
    expect(thresholdKeepingRecall([], 1, 0.5)).toBe(0.5);
  });

  it('measures held-out recall and false positives, and refuses an adapted head that loses recall or adds false positives', () => {
    const m = heldOutMetrics([0.9, 0.2, 0.6, 0.4], [1, 1, 0, 0], 0.5);
    expect(m).toEqual({ positives: 2, negatives: 2, recall: 0.5, false_positive_rate: 0.5, threshold: 0.5 });
    const before = { positives: 100, negatives: 100, recall: 0.98, false_positive_rate: 0.5, threshold: 0.5 };
    expect(adaptedIsBetter(before, { ...before, false_positive_rate: 0.1 }).better).toBe(true);
    expect(adaptedIsBetter(before, { ...before, recall: 0.9, false_positive_rate: 0.1 })).toMatchObject({
      better: false,
      why: expect.stringMatching(/recall .* falls from 0.980 to 0.900/),
    });
    expect(adaptedIsBetter(before, { ...before, false_positive_rate: 0.6 })).toMatchObject({
      better: false,
      why: expect.stringMatching(/rises from 0.500 to 0.600/),
    });
    expect(adaptedIsBetter(before, before).better).toBe(false);
  });

  it('splits groups by seed, the same way each time', () => {
    const g = Array.from({ length: 20 }, (_, i) => `img-${i}`);
    const a = splitGroups(g, 0.3, 7);
    expect(a.size).toBe(6);
    expect([...splitGroups(g, 0.3, 7)]).toEqual([...a]);
    expect([...splitGroups(g, 0.3, 8)]).not.toEqual([...a]);
    expect(splitGroups(['one'], 0.3, 7).size).toBe(0);
  });
});
