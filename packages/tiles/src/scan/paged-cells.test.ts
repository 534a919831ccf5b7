import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '@tiandi/geo';
import { parseModelCard } from '../model/model-card';
import { tracePlots } from '../vector/trace-plots';
import { HeatmapAccumulator } from './heatmap-accumulator';
import { PagedCells } from './paged-cells';
import { scanPlan } from './scan-plan';

const dir = mkdtempSync(join(tmpdir(), 'tiandi-paged-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A small deterministic generator (mulberry32), so a failure repeats. */
const random = mulberry32;

describe('PagedCells', () => {
  it('flush puts every page in its file, for another grid to read from there while this one reads on', () => {
    const rnd = random(7);
    const w = 70,
      h = 50;
    const path = join(dir, 'flushed-f32.bin');
    // 16-cell pages: 5 × 4 = 20 pages, 8 in memory; the last page row never written (zeros).
    const grid = new PagedCells(Float32Array, w, h, { path, pageEdge: 16, cacheBytes: 8 * 16 * 16 * 4 });
    const ref = new Float32Array(w * h);
    for (let k = 0; k < 5000; k++) {
      const x = Math.floor(rnd() * w),
        y = Math.floor(rnd() * 40);
      ref[y * w + x] = rnd();
      grid.put(x, y, ref[y * w + x]);
    }
    grid.flush();
    const other = PagedCells.readFrom(Float32Array, w, h, { path, pageEdge: 16, cacheBytes: 2 * 16 * 16 * 4 });
    expect([...other.readRows(0, h)]).toEqual([...ref]);
    expect([...grid.readRows(0, h)]).toEqual([...ref]);
    other.close();
    // The file is the grid's: the reader leaves it.
    expect(existsSync(path)).toBe(true);
    grid.close();
    expect(existsSync(path)).toBe(false);
    expect(() => new PagedCells(Float32Array, 4, 4).flush()).toThrow(RangeError);
  });
  it('reads back what random writes put, as an array would, with most pages out of memory', () => {
    const rnd = random(19);
    // 300 × 200 cells in 16-cell pages: 19 × 13 = 247 pages, at most 40 in memory.
    const w = 300,
      h = 200;
    const path = join(dir, 'random-f32.bin');
    const grid = new PagedCells(Float32Array, w, h, { path, pageEdge: 16, cacheBytes: 40 * 16 * 16 * 4 });
    expect(grid.capacity).toBe(40);
    const ref = new Float32Array(w * h);
    for (let k = 0; k < 200_000; k++) {
      const x = Math.floor(rnd() * w),
        y = Math.floor(rnd() * h);
      if (rnd() < 0.6) {
        // Adds as the heatmap does: the sum in double, stored as float32 by both.
        const d = rnd() * 3 - 1;
        ref[y * w + x] += d;
        grid.put(x, y, grid.at(x, y) + d);
      } else expect(grid.at(x, y)).toBe(ref[y * w + x]);
      expect(grid.pagesInMemory).toBeLessThanOrEqual(40);
    }
    expect(existsSync(path)).toBe(true);
    for (let i = 0; i < w * h; i += 97) expect(grid.get(i)).toBe(ref[i]);
    expect(grid.readRows(0, h)).toEqual(ref);
    expect(grid.readRows(37, 5)).toEqual(ref.subarray(37 * w, 42 * w));
    grid.close();
    expect(existsSync(path)).toBe(false);
  });

  it('keeps a changed page through eviction, reads never-written pages as zeros, and rounds and truncates as its array type', () => {
    const path = join(dir, 'evict-u16.bin');
    // 64 × 64 cells in 8-cell pages, 8 across: the cache keeps at least two rows of pages and two more (18).
    const grid = new PagedCells(Uint16Array, 64, 64, { path, pageEdge: 8, cacheBytes: 1 });
    expect(grid.capacity).toBe(18);
    grid.put(3, 5, 1234);
    grid.put(0, 0, 70000); // stored as Uint16Array stores it
    // Touch every other page: page (0, 0) leaves memory (written), its array is reused for another page.
    for (let y = 8; y < 64; y += 8) for (let x = 0; x < 64; x += 8) expect(grid.at(x, y)).toBe(0);
    expect(grid.pagesInMemory).toBe(18);
    expect(existsSync(path)).toBe(true);
    expect(grid.at(3, 5)).toBe(1234);
    expect(grid.at(0, 0)).toBe(70000 & 0xffff);
    expect(grid.at(4, 5)).toBe(0);
    // A page only read (never changed) is not written back: still zeros after leaving and coming back.
    for (let y = 8; y < 64; y += 8) for (let x = 0; x < 64; x += 8) grid.at(x, y);
    expect(grid.at(63, 63)).toBe(0);
    grid.close();
    expect(existsSync(path)).toBe(false);
  });

  it('keeps every page in memory and makes no file without a path', () => {
    const grid = new PagedCells(Uint8Array, 1000, 10, { pageEdge: 8, cacheBytes: 1 });
    for (let y = 0; y < 10; y++) for (let x = 0; x < 1000; x++) grid.put(x, y, (x + y) & 255);
    expect(grid.pagesInMemory).toBe(grid.pagesAcross * grid.pagesDown);
    for (let y = 0; y < 10; y++) for (let x = 0; x < 1000; x++) expect(grid.at(x, y)).toBe((x + y) & 255);
  });
});

const card = parseModelCard({
  name: 't',
  version: '1.0.0',
  task: 'segmentation',
  input: { name: 'image', size: 64, channels: ['R', 'G', 'B'], scale: 255, mean: [0, 0, 0], std: [1, 1, 1] },
  output: { name: 'scores', activation: 'sigmoid', stride: 8 },
  gsd_m: 0.1,
  tile_stride: 48,
  classes: ['background', 'poppy'],
  positive_class: 'poppy',
  thresholds: { high: 0.6, low: 0.35, min_area_m2: 1 },
  training: { data: 'none' },
});

describe('HeatmapAccumulator paged on disk', () => {
  it('gives the same heatmap, bit for bit, and the same traced plots as one held in memory', () => {
    const rnd = random(7);
    // 4 800 × 3 200 px at 0.1 m: a 600 × 400-cell heatmap, 64 cells × 32 KB of cache (far less than the 1.7 MB it takes).
    const plan = scanPlan(4800, 3200, { x: 0.1, y: 0.1 }, card);
    const mem = new HeatmapAccumulator(plan);
    const paged = new HeatmapAccumulator(plan, { pathPrefix: join(dir, 'heat'), cacheBytes: 64 << 10 });
    const k = plan.outCells;
    // Rows in scan order, a blob of high scores here and there so tracing finds plots.
    for (let ty = 0; ty < plan.tilesDown; ty++) {
      for (let tx = 0; tx < plan.tilesAcross; tx++) {
        const hot = rnd() < 0.1;
        const s = Float32Array.from({ length: k * k }, () => (hot ? 0.3 + 0.7 * rnd() : 0.4 * rnd()));
        mem.addTile(tx, ty, s);
        paged.addTile(tx, ty, s);
      }
      const rows = plan.tileStride / plan.cellWork;
      const flags = Uint8Array.from({ length: rows * plan.heatWidth }, () => (rnd() < 0.97 ? 1 : 0));
      mem.setValidRows(ty * rows, rows, flags);
      paged.setValidRows(ty * rows, rows, flags);
    }
    const a = mem.scores();
    const grid = paged.finish();
    // The sums' file is gone with them; the scores' pages past the cache wait in a file of their own.
    expect(existsSync(join(dir, 'heat-sum.bin'))).toBe(false);
    expect(existsSync(join(dir, 'heat-score.bin'))).toBe(true);
    const b = grid.readRows(0, plan.heatHeight);
    expect(Buffer.from(b.buffer).equals(Buffer.from(a.buffer))).toBe(true);
    const o = { high: 0.6, low: 0.35, minCells: 2 };
    const inMemory = tracePlots(a, plan.heatWidth, plan.heatHeight, o);
    expect(inMemory.length).toBeGreaterThan(10);
    const labels = paged.labelsStore();
    expect(tracePlots(grid, plan.heatWidth, plan.heatHeight, { ...o, labels: { ...labels, cacheBytes: 1, pageEdge: 16 } })).toEqual(inMemory);
    grid.close();
    expect(existsSync(join(dir, 'heat-score.bin'))).toBe(false);
    expect(existsSync(join(dir, 'heat-weight.bin'))).toBe(false);
    expect(existsSync(join(dir, 'heat-label.bin'))).toBe(false);
  });
});
