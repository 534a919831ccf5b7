import { describe, expect, it } from 'vitest';
import type { RgbRaster } from '../read/resample-area';
import { BestRasters } from './finish-image';

/** A 1 × 1 window whose one red value names it. */
const win = (id: number): RgbRaster => ({ width: 1, height: 1, rgb: Uint8Array.of(id, 0, 0), valid: Uint8Array.of(1) });

describe('BestRasters (the chips held as the verifier scores its windows)', () => {
  // Windows 0-3 belong to part 0, 4-5 to part 1; centres (x, y) = (10 i, 0).
  const owner = [0, 0, 0, 0, 1, 1];
  const centres = Float64Array.from(owner.flatMap((_, i) => [10 * i, 0]));
  const at = (...windows: number[]) => Float64Array.from(windows.flatMap((i) => [10 * i, 0]));
  /** The windows' scores in the order they come back, as `window:score`. */
  const scored = (held: BestRasters, order: string) => {
    for (const [i, v] of order.split(' ').map((w) => w.split(':').map(Number))) held.offer(i, v, win(i));
    return held;
  };

  it("gives each part the window at its best window's centre, whatever order they were scored in", () => {
    // Scored out of index order, as batches come back: window 2 scores most in part 0, window 4 in part 1.
    const held = scored(new BestRasters(owner, 2), '3:0.2 2:0.9 5:0.1 0:0.5 4:0.7 1:0.3');
    expect(held.chosen(centres, at(2, 4)).map((r) => r?.rgb[0])).toEqual([2, 4]);
  });

  it('holds the first of equals by index, the one scoreCandidates takes, whichever was scored first', () => {
    const held = scored(new BestRasters(owner, 2), '3:1 1:1 0:0.4 4:0.6');
    expect(held.chosen(centres, at(1, 4)).map((r) => r?.rgb[0])).toEqual([1, 4]);
    expect(scored(new BestRasters(owner, 2), '1:1 3:1').chosen(centres, at(1, 4))[0]?.rgb[0]).toBe(1);
    // A window never offered (part 1's best elsewhere) is not invented: the caller reads it.
    expect(held.chosen(centres, at(1, 5))[1]).toBeUndefined();
  });

  it('holds nothing under the threshold: such a part gets no chip', () => {
    const held = scored(new BestRasters(owner, 2, 0.5), '0:0.9 4:0.3');
    expect(held.chosen(centres, at(0, 4)).map((r) => r?.rgb[0])).toEqual([0, undefined]);
  });

  it('keeps copies: the scorer may reuse a raster once it has handed it over', () => {
    const held = new BestRasters(owner, 2);
    const r = win(7);
    held.offer(0, 0.8, r);
    r.rgb[0] = 99;
    expect(held.chosen(centres, at(0, 4))[0]?.rgb[0]).toBe(7);
  });
});
