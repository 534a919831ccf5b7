import { describe, expect, it } from 'vitest';
import { adaptedThreshold, chooseSettings, foldsOf, type EmbeddedWindow } from './choose-settings';
import { headScore } from './fit-head';

/**
 * Seeded 2-D embeddings over `groups` images: poppy around (1, 1); roofs around (1, −1), which the shipped head (it
 * looks at x0 only) passes like poppy; a few "hard" roofs nearer the poppy.
 */
function windows(groups: number, seed = 11, roofY = -1): EmbeddedWindow[] {
  let s = seed;
  const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5;
  const prior = { w: Float64Array.from([3, 0]), b: -1 };
  const out: EmbeddedWindow[] = [];
  for (let g = 0; g < groups; g++) {
    for (let k = 0; k < 12; k++) {
      const label = k % 4 === 0 ? 1 : 0;
      const x = [1 + rnd() * 0.6, (label ? 1 : k % 5 === 0 && roofY === -1 ? 0.2 : roofY) + rnd() * 0.6];
      out.push({ x, label, item: `g${g}-${k}`, group: `img-${g}`, shipped: headScore(prior, x) });
    }
  }
  return out;
}
const PRIOR = { w: Float64Array.from([3, 0]), b: -1 };

describe('choosing lambda and the threshold rise from the labels', () => {
  it('the threshold keeps the shipped recall, and rises only as far as asked', () => {
    expect(adaptedThreshold([0.9, 0.95, 0.99], 1, 0.5, 0)).toBe(0.5);
    expect(adaptedThreshold([0.9, 0.95, 0.99], 1, 0.5, 0.5)).toBeCloseTo(0.7, 12);
    expect(adaptedThreshold([0.3, 0.95], 1, 0.5, 0.5)).toBe(0.3); // below the shipped one: kept where recall needs it
  });

  it('deals every fit group into one of three seeded folds', () => {
    const g = Array.from({ length: 10 }, (_, i) => `img-${i}`);
    const f = foldsOf(g, 3, 4);
    expect(f.flat().sort()).toEqual([...g].sort());
    expect(f.map((x) => x.length).sort()).toEqual([3, 3, 4]);
    expect(foldsOf(g, 3, 4)).toEqual(f);
  });

  it('cross-validates every setting on the fit labels and keeps the one with fewest false positives at the shipped recall', () => {
    const ws = windows(9);
    const fit = ws.map((_, i) => i);
    const c = chooseSettings(ws, fit, PRIOR, 0.5, 1);
    expect(c.chosen_by).toBe('cross-validation on the fit labels');
    expect(c.tried).toHaveLength(9);
    const best = Math.min(...c.tried.filter((t) => t.feasible).map((t) => t.false_positive_rate!));
    expect(c.tried.find((t) => t.lambda === c.lambda && t.raise === c.raise)!.false_positive_rate).toBe(best);
    // The shipped head passes every roof; any fitted setting passes far fewer, judged on labels it never saw.
    expect(best).toBeLessThan(0.2);
    for (const t of c.tried) expect(t.feasible).toBe(t.recall! >= 1 - 1 / 50 - 1e-12);
  });

  it('where pass/fail cannot tell settings apart, the lower out-of-fold log loss wins, then the higher threshold', () => {
    const ws = windows(9, 5, -3); // roofs far from poppy: every fitted setting rejects them all and keeps every plot
    const c = chooseSettings(
      ws,
      ws.map((_, i) => i),
      PRIOR,
      0.5,
      1,
    );
    expect(c.tried.every((t) => t.false_positive_rate === 0 && t.recall === 1)).toBe(true);
    const minLoss = Math.min(...c.tried.map((t) => t.log_loss));
    expect(c.tried.find((t) => t.lambda === c.lambda && t.raise === c.raise)!.log_loss).toBeCloseTo(minLoss, 3);
    expect(c.raise).toBe(0.75);
  });

  it('does not search what is given, and falls back to the defaults with too few groups', () => {
    const ws = windows(9);
    expect(
      chooseSettings(
        ws,
        ws.map((_, i) => i),
        PRIOR,
        0.5,
        1,
        { lambda: 0.01, raise: 0.5 },
      ),
    ).toEqual({ lambda: 0.01, raise: 0.5, chosen_by: 'given', tried: [] });
    expect(
      chooseSettings(
        ws,
        ws.map((_, i) => i),
        PRIOR,
        0.5,
        1,
        { raise: 0 },
      ).tried.map((t) => t.raise),
    ).toEqual([0, 0, 0]);
    const few = windows(3);
    expect(
      chooseSettings(
        few,
        few.map((_, i) => i),
        PRIOR,
        0.5,
        1,
      ),
    ).toMatchObject({ lambda: 0.05, raise: 0, chosen_by: 'default: too few labels to choose' });
  });
});
