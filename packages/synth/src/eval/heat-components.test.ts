import { describe, expect, it } from 'vitest';
import { heatComponents } from './heat-components';

describe('heatComponents', () => {
  it('keeps 8-connected regions above low that reach high, with a minimum size', () => {
    // 5 × 4 heatmap: a region {0.9, 0.5, 0.5 diagonal}, a low-only region, a lone high speck.
    const h = Float32Array.from([0.9, 0.5, 0, 0, 0.4, 0, 0, 0.5, 0, 0.4, 0, 0, 0, 0, 0, 0.95, 0, 0, 0, 0]);
    const all = heatComponents(h, 5, 4, 0.3, 0.8);
    expect(all.map((c) => c.cells.sort((a, b) => a - b))).toEqual([[0, 1, 7], [15]]);
    expect(all[0].maxScore).toBeCloseTo(0.9, 6);
    expect(heatComponents(h, 5, 4, 0.3, 0.8, 2).map((c) => c.cells.length)).toEqual([3]);
  });
});
