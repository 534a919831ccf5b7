import { describe, expect, it } from 'vitest';
import { plotMetrics, type EvalPlot } from './plot-metrics';
import { rocAuc, thresholdAtRecall } from './roc-auc';

const sq = (x: number, y: number, s: number): Array<[number, number]> => [
  [x, y],
  [x + s, y],
  [x + s, y + s],
  [x, y + s],
  [x, y],
];

describe('plotMetrics', () => {
  const plots: EvalPlot[] = [
    { id: 'a', rings: [sq(0, 0, 2)], areaM2: 4, stage: 'flowering' },
    { id: 'b', rings: [sq(10, 0, 4)], areaM2: 16, stage: 'capsule' },
    { id: 'c', rings: [sq(20, 0, 6)], areaM2: 36, stage: 'flowering' },
    { id: 'd', rings: [sq(40, 0, 1.5)], areaM2: 2.25, stage: 'flowering' },
  ];
  it('counts found plots, true and false candidates per the issue definitions', () => {
    const m = plotMetrics([
      {
        plots,
        areaKm2: 0.5,
        candidates: [
          { rings: [[sq(1, 1, 3)]], score: 0.9 }, // finds a
          { rings: [[sq(21, 1, 1)], [sq(30, 30, 1)]], score: 0.8 }, // multipolygon, finds c
          { rings: [[sq(100, 100, 2)]], score: 0.7 }, // false
        ],
      },
    ]);
    expect(m.plots).toBe(4);
    expect(m.plotsFound).toBe(2);
    expect(m.recall).toBe(0.5);
    expect(m.recallGe4m2).toBeCloseTo(2 / 3, 10);
    expect(m.precision).toBeCloseTo(2 / 3, 10);
    expect(m.f1).toBeCloseTo((2 * 0.5 * (2 / 3)) / (0.5 + 2 / 3), 10);
    expect(m.fpCandidates).toBe(1);
    expect(m.fpPerKm2).toBe(2);
    expect(m.bySize.lt5m2).toEqual({ plots: 2, found: 1, recall: 0.5 });
    expect(m.candidateLand).toEqual({ m2: 0, share: 0, meanM2: 0, largestM2: 0 }); // no areas given
    expect(m.bySize.m2_5to20).toEqual({ plots: 1, found: 0, recall: 0 });
    expect(m.bySize.gt20m2).toEqual({ plots: 1, found: 1, recall: 1 });
    expect(m.byStage.capsule).toEqual({ plots: 1, found: 0, recall: 0 });
    expect(m.byStage.flowering.found).toBe(2);
  });
  it('sums the land inside candidates: its share of the imagery, mean and largest', () => {
    const m = plotMetrics([
      {
        plots,
        areaKm2: 0.001,
        candidates: [
          { rings: [[sq(1, 1, 3)]], score: 0.9, areaM2: 9 },
          { rings: [[sq(100, 100, 2)]], score: 0.7, areaM2: 41 },
        ],
      },
      { plots: [], areaKm2: 0.001, candidates: [{ rings: [[sq(0, 0, 1)]], score: 0.5, areaM2: 10 }] },
    ]);
    expect(m.candidateLand).toEqual({ m2: 60, share: 0.03, meanM2: 20, largestM2: 41 });
  });
  it('returns null ratios when there is nothing to count', () => {
    const m = plotMetrics([{ plots: [], candidates: [], areaKm2: 1 }]);
    expect(m.recall).toBeNull();
    expect(m.precision).toBeNull();
    expect(m.fpPerKm2).toBe(0);
  });
});

describe('rocAuc and thresholdAtRecall', () => {
  it('computes AUC with ties as one half', () => {
    expect(rocAuc([0.9, 0.8, 0.3, 0.1], [1, 0, 1, 0])).toBe(0.75);
    expect(rocAuc([1, 1, 0], [1, 0, 0])).toBe(0.75);
    expect(rocAuc([0.2, 0.1], [1, 1])).toBeNull();
    expect(rocAuc([0.9, 0.1], [true, false])).toBe(1);
  });
  it('finds the threshold reaching a recall', () => {
    expect(thresholdAtRecall([0.9, 0.8, 0.5, 0.2], 0.75)).toBe(0.5);
    expect(thresholdAtRecall([0.9, 0.8, 0.5, 0.2], 0.95)).toBe(0.2);
    expect(
      thresholdAtRecall(
        Array.from({ length: 20 }, (_, i) => (i + 1) / 20),
        0.95,
      ),
    ).toBe(0.1);
    expect(thresholdAtRecall([])).toBeNull();
  });
});
