import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PagedCells } from '../scan/paged-cells';
import { tracePlots, type GridPlot, type TraceOptions } from './trace-plots';
import { tracePlotsStreamed } from './trace-stream';

/** What a plot is, as a scan reads it: seed, area, scores, and every part's cells in order. */
const summary = (p: GridPlot) => ({
  seed: p.seed,
  cells: p.cells,
  scoreMax: p.scoreMax,
  scoreMean: p.scoreMean,
  parts: (p.partCells ?? [p.cellIndices]).map((c) => Array.from(c)),
  polygons: p.polygons,
});

const streamed = (s: Float32Array | PagedCells<Float32Array>, w: number, h: number, o: TraceOptions) => [...tracePlotsStreamed(s, w, h, o)];

let seed = 4242;
const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;

/** A field of blobs: some of seeds (0.9), some only above `low` (0.5: seedless unless they touch a seed), some no data. */
function field(w: number, h: number, count: number): Float32Array {
  const s = new Float32Array(w * h).fill(0.1);
  for (let b = 0; b < count; b++) {
    const cx = Math.floor(rand() * w),
      cy = Math.floor(rand() * h),
      r = 1 + Math.floor(rand() * 7);
    const kind = rand();
    const value = kind < 0.45 ? 0.9 : kind < 0.9 ? 0.5 : NaN;
    for (let y = Math.max(0, cy - r); y < Math.min(h, cy + r); y++)
      for (let x = Math.max(0, cx - r); x < Math.min(w, cx + r); x++) if (rand() < 0.8) s[y * w + x] = value;
  }
  return s;
}

describe('tracePlotsStreamed', () => {
  it('hands on exactly the plots tracePlots returns, each once, on random fields (gaps 0-3, specks, holes, no data)', () => {
    for (let trial = 0; trial < 6; trial++) {
      const w = 150 + trial * 17,
        h = 260;
      const s = field(w, h, 160);
      for (const mergeGapCells of [0, 1, 2, 3]) {
        const o = { high: 0.8, low: 0.4, minCells: trial % 3, mergeGapCells, outlines: trial % 2 === 0 };
        const batches = streamed(s, w, h, o);
        const all = batches.flat().sort((a, b) => a.seed - b.seed);
        expect(all.map(summary)).toEqual(tracePlots(s, w, h, o).map(summary));
        // Handed on as the scan goes, not all at the end.
        expect(batches.length).toBeGreaterThan(3);
        for (const b of batches) expect(b.map((p) => p.seed)).toEqual([...b.map((p) => p.seed)].sort((x, y) => x - y));
      }
    }
  });

  it('looks cell by cell when its labels are paged otherwise than the scores, with the same plots', () => {
    const w = 170,
      h = 200;
    const s = field(w, h, 120);
    const o = { high: 0.8, low: 0.4, minCells: 1, mergeGapCells: 2, labels: { pageEdge: 16 } };
    const all = streamed(s, w, h, o)
      .flat()
      .sort((a, b) => a.seed - b.seed);
    expect(all.map(summary)).toEqual(tracePlots(s, w, h, o).map(summary));
  });

  it('waits for a plot seeded far below that grows up to within the gap of one traced earlier', () => {
    // Plot A at the top; plot B's seed is at the bottom, its cells (above low) reach up to two cells under A.
    const w = 20,
      h = 60;
    const s = new Float32Array(w * h).fill(0.1);
    for (let x = 2; x < 8; x++) s[3 * w + x] = 0.9;
    for (let y = 6; y < 58; y++) s[y * w + 5] = 0.5;
    s[58 * w + 5] = 0.9;
    const o = { high: 0.8, low: 0.4, minCells: 1, mergeGapCells: 2 };
    const batches = streamed(s, w, h, o);
    expect(batches.flat()).toHaveLength(1);
    expect(batches.flat()[0].partCells).toHaveLength(2);
    expect(batches.flat().map(summary)).toEqual(tracePlots(s, w, h, o).map(summary));
  });

  it('makes every group near a region flooded in the same look wait for its seed, not only the first', () => {
    // Plots A and B far apart at the top; one region above low runs under both (a bar two rows below them) and down
    // to its seed at row 70. The look after row 8 floods it for A; B, looked at next, meets cells already flooded.
    const w = 40,
      h = 80;
    const s = new Float32Array(w * h).fill(0.1);
    for (let x = 2; x < 7; x++) s[3 * w + x] = 0.9;
    for (let x = 20; x < 25; x++) s[3 * w + x] = 0.9;
    for (let x = 2; x < 25; x++) s[5 * w + x] = 0.5;
    for (let y = 6; y < 70; y++) s[y * w + 12] = 0.5;
    s[70 * w + 12] = 0.9;
    const o = { high: 0.8, low: 0.4, minCells: 1, mergeGapCells: 2 };
    const plots = streamed(s, w, h, o).flat();
    expect(plots).toHaveLength(1);
    expect(plots[0].partCells).toHaveLength(3);
    expect(plots.map(summary)).toEqual(tracePlots(s, w, h, o).map(summary));
  });

  it('is not held back by a region above low with no seed beside it', () => {
    // A plot at the top with a seedless region one cell from it, then 200 rows of nothing: handed on long before the end.
    const w = 30,
      h = 240;
    const s = new Float32Array(w * h).fill(0.1);
    for (let x = 2; x < 8; x++) s[3 * w + x] = 0.9;
    for (let y = 5; y < 20; y++) for (let x = 2; x < 12; x++) s[y * w + x] = 0.5;
    s[235 * w + 20] = 0.9;
    const gen = tracePlotsStreamed(s, w, h, { high: 0.8, low: 0.4, minCells: 1, mergeGapCells: 2 });
    const first = gen.next().value as GridPlot[];
    expect(first.map((p) => p.seed)).toEqual([3 * w + 2]);
    expect((gen.next().value as GridPlot[]).map((p) => p.seed)).toEqual([235 * w + 20]);
    expect(gen.next().done).toBe(true);
  });

  it('leaves tracing labels paged to a file and closes them when the caller stops early', () => {
    const w = 300,
      h = 300;
    const s = field(w, h, 300);
    const path = join(tmpdir(), `trace-stream-${process.pid}.bin`);
    const gen = tracePlotsStreamed(s, w, h, { high: 0.8, low: 0.4, minCells: 1, mergeGapCells: 2, labels: { path, cacheBytes: 64 * 1024 } });
    expect(gen.next().done).toBe(false);
    gen.return(undefined);
    expect(existsSync(path)).toBe(false);
  });

  it('bounded growth and "nearest" joins come in one batch at the end, as tracePlots traces them', () => {
    const w = 120,
      h = 120;
    const s = field(w, h, 90);
    for (const o of [
      { high: 0.8, low: 0.4, minCells: 1, mergeGapCells: 2, mergeJoin: 'nearest' as const },
      { high: 0.8, low: 0.4, minCells: 1, growthPeakShare: 0.5 },
    ]) {
      const batches = streamed(s, w, h, o);
      expect(batches).toHaveLength(1);
      expect(batches[0].map(summary)).toEqual(tracePlots(s, w, h, o).map(summary));
    }
  });
});
