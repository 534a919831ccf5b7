import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mergeCandidates } from './merge-candidates';
import { cand, rect } from './fixtures.test-util';

const arbCands = fc
  .array(
    fc.record({
      x: fc.integer({ min: 0, max: 30 }),
      y: fc.integer({ min: 0, max: 30 }),
      w: fc.integer({ min: 1, max: 4 }),
      score: fc.double({ min: 0, max: 1, noNaN: true }),
      scan: fc.integer({ min: 0, max: 2 }),
    }),
    { maxLength: 25 },
  )
  .map((xs) => xs.map((c, i) => cand(`s${c.scan}/c${i}`, rect(100 + c.x * 1e-5, 25 + c.y * 1e-5, 100 + (c.x + c.w) * 1e-5, 25 + (c.y + c.w) * 1e-5), c.score)));

describe('mergeCandidates properties', () => {
  it('keeps every source exactly once, takes the best score, and is idempotent and order-independent', () => {
    fc.assert(
      fc.property(arbCands, fc.integer({ min: 0, max: 25 }), (cs, cut) => {
        const all = mergeCandidates([], cs);
        const sources = all.targets.flatMap((t) => t.sources).sort();
        expect(sources).toEqual(cs.map((c) => c.id).sort());
        for (const t of all.targets) expect(t.scoreMax).toBe(Math.max(...cs.filter((c) => t.sources.includes(c.id)).map((c) => c.scoreMax)));
        expect(mergeCandidates(all.targets, cs).changedIds).toEqual([]);
        // Importing in two batches gives the same grouping as importing at once.
        const first = mergeCandidates([], cs.slice(0, cut));
        const second = mergeCandidates(first.targets, cs.slice(cut));
        const groups = (ts: { sources: string[] }[]) => ts.map((t) => t.sources.join(',')).sort();
        expect(groups(second.targets)).toEqual(groups(all.targets));
      }),
      { numRuns: 150 },
    );
  });
});
