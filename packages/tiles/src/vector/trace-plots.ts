import { PagedCells, type PagedCellsOptions } from '../scan/paged-cells';
import { outlineRings, type GridPolygon, type Ring } from './outline-rings';
import { simplifyRing } from './simplify-ring';

/** Options of {@link tracePlots}, in heatmap cells. */
export interface TraceOptions {
  /** Seed threshold: a plot must contain a cell scoring at least this. */
  high: number;
  /** Growth threshold: plots grow through 4-connected cells scoring at least this. */
  low: number;
  /** Plots with fewer cells are dropped (specks); enclosed holes with fewer cells are filled. */
  minCells: number;
  /** Douglas–Peucker tolerance in cells (default 0.5). */
  simplifyCells?: number;
  /** Where the labels of a large grid are paged (a byte a cell): default all in memory. */
  labels?: PagedCellsOptions;
  /**
   * Plots whose cells lie within this many cells of each other's (a gap of at most this many cells between them,
   * diagonal touches included) are one plot (default 0: each 4-connected component is its own plot).
   */
  mergeGapCells?: number;
  /** How near plots join (see {@link mergeNearPlots}); default "chain". */
  mergeJoin?: MergeJoin;
  /**
   * Bounds a plot to its own peak's response: it grows only through cells scoring at least this share of its peak
   * (and `low`). Seeds are then taken highest first inside each region above `low`; see {@link traceBounded}.
   */
  growthPeakShare?: number;
  /** Bounds a plot's size: it grows best-first (highest-scoring neighbour first) and stops at this many cells. */
  maxPartCells?: number;
  /** false: plots are traced without their outlines (`polygons` empty; {@link partOutlines} draws them later). Default true. */
  outlines?: boolean;
}

/**
 * "chain": a plot within the gap of any plot of a group joins it (runs of plots become one); "nearest": each plot
 * joins at most one larger neighbour that joins nothing itself (no chains); "pair": as "nearest", at most two plots.
 */
export type MergeJoin = 'chain' | 'nearest' | 'pair';

/** One traced plot in heatmap-cell coordinates. */
export interface GridPlot {
  /** Its outlines; none when traced with `outlines: false`. */
  polygons: GridPolygon[];
  /** Cells of the plot (holes filled), i.e. its area in cells. */
  cells: number;
  scoreMax: number;
  scoreMean: number;
  /** Row-major index of the plot's first cell: stable for the same heatmap. */
  seed: number;
  /** Row-major indices of the cells above the growth threshold (holes not included); a joined plot's are made from its parts when read. */
  cellIndices: Int32Array;
  /** A joined plot's parts' cells, each part's as its `cellIndices` would be alone (see {@link mergeNearPlots}). */
  partCells?: Int32Array[];
}

/**
 * Traces candidate plots on a score grid (NaN = no data): hysteresis thresholds, 4-connected components,
 * specks below `minCells` dropped, small holes filled, outlines traced and simplified.
 */
export function tracePlots(grid: Float32Array | PagedCells<Float32Array>, width: number, height: number, o: TraceOptions): GridPlot[] {
  const scores = grid instanceof Float32Array ? pagedCopy(grid, width, height) : grid;
  // 0 unvisited, 1 in the component being traced, 2 in a finished component (1 byte a cell, not 4).
  const label = new PagedCells(Uint8Array, width, height, o.labels);
  try {
    const plots = traceAll(scores, width, height, label, { ...o, slab: new CellSlab() });
    return o.mergeGapCells ? mergeNearPlots(plots, width, o.mergeGapCells, o.mergeJoin) : plots;
  } finally {
    label.close();
  }
}

/** A row-major score array as an in-memory paged grid, so one tracing loop serves both. */
export function pagedCopy(a: Float32Array, width: number, height: number): PagedCells<Float32Array> {
  const g = new PagedCells(Float32Array, width, height);
  for (let y = 0; y < height; y++) {
    for (let x0 = 0; x0 < width; x0 += 128) {
      const page = g.page(x0 >> 7, y >> 7, true);
      page.set(a.subarray(y * width + x0, y * width + Math.min(width, x0 + 128)), (y & 127) << 7);
    }
  }
  return g;
}

/** Traces every unlabelled seed's plot, row by row (see {@link traceRow}). */
function traceAll(scores: PagedCells<Float32Array>, width: number, height: number, label: PagedCells<Uint8Array>, o: Tracing): GridPlot[] {
  const plots: GridPlot[] = [];
  const take = (p: GridPlot) => void plots.push(p);
  for (let y = 0; y < height; y++) traceRow(scores, width, height, label, y, o, take);
  return plots;
}

/**
 * Looks for seeds in row `y`, reading the scores a page row at a time (the page array, not a look-up a cell: this
 * loop visits every cell of the heatmap while the rest of the scan waits), traces each unlabelled seed's plot and
 * hands it to `take`, in seed order. Shared by whole and streamed tracing (trace-stream.ts).
 */
export function traceRow(
  scores: PagedCells<Float32Array>,
  width: number,
  height: number,
  label: PagedCells<Uint8Array>,
  y: number,
  o: Tracing,
  take: (p: GridPlot) => void,
): void {
  const edge = scores.pageEdge;
  const high = o.high;
  const row = (y & (edge - 1)) * edge;
  for (let px = 0; px < scores.pagesAcross; px++) {
    const x0 = px * edge;
    const n = Math.min(edge, width - x0);
    let page = scores.page(px, (y / edge) | 0);
    for (let lx = 0; lx < n; lx++) {
      // The score first: most cells are under the seed threshold, and a paged label costs a page lookup a cell.
      if (!(page[row + lx] >= high) || label.at(x0 + lx, y) !== 0) continue;
      const s = y * width + x0 + lx;
      if (bounded(o)) for (const p of traceBounded(scores, width, height, label, s, o)) take(p);
      else {
        const plot = tracePlot(scores, width, height, label, s, o);
        if (plot) take(plot);
      }
      // Tracing read other pages: this one may have left memory and its array been reused.
      page = scores.page(px, (y / edge) | 0);
    }
  }
}

function tracePlot(
  scores: PagedCells<Float32Array>,
  width: number,
  height: number,
  label: PagedCells<Uint8Array>,
  s: number,
  o: Tracing,
): GridPlot | undefined {
  return plotOf(growComponent(scores, width, height, label, s, o.low), width, label, s, o);
}

/** The plot of a grown component seeded at `s` (holes filled, outlined), or undefined for a speck; its cells labelled finished. */
function plotOf(c: Component, width: number, label: PagedCells<Uint8Array>, s: number, o: Tracing): GridPlot | undefined {
  const box = filledBox(c.cells, c, width);
  const area = c.cells.length + fillSmallHoles(box, o.minCells);
  for (const cell of c.cells) label.set(cell, 2);
  if (area < o.minCells) return undefined;
  const polygons = o.outlines === false ? [] : boxOutlines(box, c, o.simplifyCells ?? 0.5);
  return { polygons, cells: area, scoreMax: c.max, scoreMean: c.sum / c.cells.length, seed: s, cellIndices: o.slab.copy(c.cells) };
}

/** The outlines of a filled box's cells (its bounds `b`), simplified with tolerance `tol` cells. */
function boxOutlines(box: Box, b: Bounds, tol: number): GridPolygon[] {
  // A row of the box, margins included, is the row outlineRings asks for (its cells from minX, a cell of margin each side).
  const rows = {
    fillRow: (y: number, _x0: number, _x1: number, out: Uint8Array) => out.set(box.filled.subarray((y - b.minY + 1) * box.bw, (y - b.minY + 2) * box.bw)),
  };
  return outlineRings(rows, b.minX, b.minY, b.maxX + 1, b.maxY + 1).map((p) => ({
    outer: simplifyRing(p.outer, tol),
    holes: p.holes.map((h) => simplifyRing(h, tol)),
  }));
}

/**
 * The outlines of one part of a plot (its `cellIndices`, or one of its `partCells`) exactly as {@link tracePlots}
 * draws them with the same `minCells` and `simplifyCells`: holes under `minCells` filled, simplified. A scan
 * traces without outlines (`outlines: false`), draws each plot's from its cells for its area and lets it go, and
 * draws them again for the candidates it keeps.
 */
export function partOutlines(cells: ArrayLike<number>, width: number, minCells: number, simplifyCells = 0.5): GridPolygon[] {
  const { x0, y0, x1, y1 } = cellBox(cells, width);
  if (x1 < 0) return [];
  const b = { minX: x0, minY: y0, maxX: x1, maxY: y1 };
  const box = filledBox(cells, b, width);
  fillSmallHoles(box, minCells);
  return boxOutlines(box, b, simplifyCells);
}

/** A bounding box of cells, inclusive. */
interface Bounds {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/** Tracing's options and where its plots' cells are kept. */
export type Tracing = TraceOptions & { slab: CellSlab };

/**
 * Plots' cells, copied into shared chunks (64 K cells, doubling to 1 M) rather than a buffer a plot. A buffer of its
 * own per plot was 320 000 small allocations on 6.4 Gpx of REAL forest, among tracing's freed garbage: glibc kept the
 * holes between them, and the scan's RSS stayed far above what it held. A chunk of 1 M cells (4 MB) is an mmap of its
 * own, given back when its last plot goes (the second stage lets candidates go in the order they were traced). A plot
 * larger than a quarter of a chunk gets its own buffer.
 */
export class CellSlab {
  private chunk = new Int32Array(0);
  private used = 0;
  private next = 1 << 16;
  copy(cells: Int32Array): Int32Array {
    if (4 * cells.length > 1 << 20) return cells.slice();
    if (this.used + cells.length > this.chunk.length) {
      this.chunk = new Int32Array(this.next);
      this.next = Math.min(1 << 20, 2 * this.next);
      this.used = 0;
    }
    const out = this.chunk.subarray(this.used, this.used + cells.length);
    out.set(cells);
    this.used += cells.length;
    return out;
  }
}

/** A 4-connected component grown from a seed: its cells (in visiting order), bounding box and score sum and maximum. */
interface Component extends Bounds {
  /** A view of {@link grownCells} for {@link growComponent}'s: read it before the next component is grown. */
  cells: Int32Array;
  sum: number;
  max: number;
}

/**
 * A list of cell indices in one Int32Array that grows by doubling and is reused from component to component. The
 * components of a scan's heatmap add up to millions of cells (9.5 M on 1.6 Gpx of REAL forest): as arrays of their
 * own, a JS array of numbers each (8 bytes a cell, regrown as it fills), they were most of tracing's garbage, and
 * V8's old space grew over it while tracing set the scan's peak memory (bench/HISTORY.md).
 */
class CellList {
  private a = new Int32Array(1024);
  length = 0;
  push(i: number): void {
    if (this.length === this.a.length) {
      const b = new Int32Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.length++] = i;
  }
  pop(): number {
    return this.a[--this.length];
  }
  /** The cells pushed, as a view (valid until the next push). */
  view(): Int32Array {
    return this.a.subarray(0, this.length);
  }
}

/** The cells of the component last grown, and growComponent's stack: one of each, reused (see {@link CellList}). */
const grownCells = new CellList();
const growStack = new CellList();

/**
 * Grows the component of cell `s` through 4-connected cells scoring at least `low`, labelling them 1. Neighbours
 * are read by (x, y), with no closure a neighbour: this runs once a scan, before the JIT has warmed up to it. Its
 * cells are a view of {@link grownCells}, valid until the next component is grown.
 */
function growComponent(scores: PagedCells<Float32Array>, width: number, height: number, label: PagedCells<Uint8Array>, s: number, low: number): Component {
  let minX = width,
    minY = height,
    maxX = -1,
    maxY = -1,
    sum = 0,
    max = 0;
  const cells = grownCells;
  const stack = growStack;
  cells.length = 0;
  stack.length = 0;
  stack.push(s);
  label.set(s, 1);
  while (stack.length) {
    const i = stack.pop();
    cells.push(i);
    const x = i % width;
    const y = (i - x) / width;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
    const v = scores.at(x, y);
    sum += v;
    if (v > max) max = v;
    if (x > 0 && label.at(x - 1, y) === 0 && scores.at(x - 1, y) >= low) label.put(x - 1, y, 1), stack.push(i - 1);
    if (x < width - 1 && label.at(x + 1, y) === 0 && scores.at(x + 1, y) >= low) label.put(x + 1, y, 1), stack.push(i + 1);
    if (y > 0 && label.at(x, y - 1) === 0 && scores.at(x, y - 1) >= low) label.put(x, y - 1, 1), stack.push(i - width);
    if (y < height - 1 && label.at(x, y + 1) === 0 && scores.at(x, y + 1) >= low) label.put(x, y + 1, 1), stack.push(i + width);
  }
  return { cells: cells.view(), minX, minY, maxX, maxY, sum, max };
}

export const bounded = (o: TraceOptions): boolean => o.growthPeakShare !== undefined || o.maxPartCells !== undefined;

/**
 * Traces the region of seed `s` above `low` as bounded plots: its seeds (cells at least `high`) highest first, each
 * growing through unclaimed cells at least max(low, growthPeakShare × its score) (the seed is its plot's peak, as
 * higher seeds were taken before), best-first up to `maxPartCells`. A seed another plot claimed starts none; cells no
 * plot claimed are dropped. So a weak field around a strong plot is no longer part of it, and no plot outgrows the cap.
 */
function traceBounded(scores: PagedCells<Float32Array>, width: number, height: number, label: PagedCells<Uint8Array>, s: number, o: Tracing): GridPlot[] {
  // A copy: the plots grown from its seeds reuse the component's cell list.
  const region = growComponent(scores, width, height, label, s, o.low).cells.slice();
  const scoreOf = (i: number) => scores.at(i % width, (i / width) | 0);
  for (const i of region) label.set(i, 0);
  const seeds = region.filter((i) => scoreOf(i) >= o.high).sort((a, b) => scoreOf(b) - scoreOf(a) || a - b);
  const plots: GridPlot[] = [];
  for (const seed of seeds) {
    if (label.get(seed) !== 0) continue;
    const floor = Math.max(o.low, (o.growthPeakShare ?? 0) * scoreOf(seed));
    const part =
      o.maxPartCells === undefined
        ? growComponent(scores, width, height, label, seed, floor)
        : growBestFirst(scores, width, height, label, seed, floor, o.maxPartCells);
    const plot = plotOf(part, width, label, seed, o);
    if (plot) plots.push(plot);
  }
  for (const i of region) if (label.get(i) === 0) label.set(i, 2);
  return plots;
}

/**
 * Grows cell `s`'s plot through 4-connected unlabelled cells scoring at least `floor`, the highest-scoring neighbour
 * first (ties to the lower index), and stops at `maxCells` cells; the neighbours it did not take are unlabelled again.
 */
function growBestFirst(
  scores: PagedCells<Float32Array>,
  width: number,
  height: number,
  label: PagedCells<Uint8Array>,
  s: number,
  floor: number,
  maxCells: number,
): Component {
  const c = { cells: [] as number[], minX: width, minY: height, maxX: -1, maxY: -1, sum: 0, max: 0 };
  const heap = new CellHeap();
  heap.push(s, scores.at(s % width, (s / width) | 0));
  label.set(s, 1);
  const offer = (x: number, y: number) => {
    if (label.at(x, y) !== 0) return;
    const v = scores.at(x, y);
    if (v >= floor) label.put(x, y, 1), heap.push(y * width + x, v);
  };
  while (heap.size && c.cells.length < maxCells) {
    const v = heap.topScore();
    const i = heap.pop();
    const x = i % width;
    const y = (i - x) / width;
    c.cells.push(i);
    c.minX = Math.min(c.minX, x);
    c.maxX = Math.max(c.maxX, x);
    c.minY = Math.min(c.minY, y);
    c.maxY = Math.max(c.maxY, y);
    c.sum += v;
    c.max = Math.max(c.max, v);
    if (x > 0) offer(x - 1, y);
    if (x < width - 1) offer(x + 1, y);
    if (y > 0) offer(x, y - 1);
    if (y < height - 1) offer(x, y + 1);
  }
  while (heap.size) label.set(heap.pop(), 0);
  return { ...c, cells: Int32Array.from(c.cells) };
}

/** A binary max-heap of cells by score (ties to the lower index), so best-first growth is the same every run. */
class CellHeap {
  private readonly idx: number[] = [];
  private readonly val: number[] = [];
  get size(): number {
    return this.idx.length;
  }
  topScore(): number {
    return this.val[0];
  }
  push(i: number, v: number): void {
    let k = this.idx.length;
    this.idx.push(i);
    this.val.push(v);
    while (k > 0) {
      const up = (k - 1) >> 1;
      if (!this.before(k, up)) break;
      this.swap(k, up);
      k = up;
    }
  }
  pop(): number {
    const top = this.idx[0];
    const lastI = this.idx.pop()!;
    const lastV = this.val.pop()!;
    if (this.idx.length) {
      this.idx[0] = lastI;
      this.val[0] = lastV;
      for (let k = 0; ; ) {
        const l = 2 * k + 1;
        const r = l + 1;
        let m = k;
        if (l < this.idx.length && this.before(l, m)) m = l;
        if (r < this.idx.length && this.before(r, m)) m = r;
        if (m === k) break;
        this.swap(k, m);
        k = m;
      }
    }
    return top;
  }
  private before(a: number, b: number): boolean {
    return this.val[a] > this.val[b] || (this.val[a] === this.val[b] && this.idx[a] < this.idx[b]);
  }
  private swap(a: number, b: number): void {
    [this.idx[a], this.idx[b]] = [this.idx[b], this.idx[a]];
    [this.val[a], this.val[b]] = [this.val[b], this.val[a]];
  }
}

/** The component's bounding box with a one-cell margin: which cells are the plot, and which background is outside (reachable from the margin). */
interface Box {
  bw: number;
  bh: number;
  filled: Uint8Array;
  outside: Uint8Array;
}

function filledBox(cells: ArrayLike<number>, c: Bounds, width: number): Box {
  const bw = c.maxX - c.minX + 3;
  const bh = c.maxY - c.minY + 3;
  const [filled, outside] = boxScratch.take(bw * bh);
  // The plot's cells are the component's, all inside its bounding box (never the margin).
  for (let k = 0; k < cells.length; k++) {
    const i = cells[k];
    const x = i % width;
    filled[((i - x) / width - c.minY + 1) * bw + (x - c.minX + 1)] = 1;
  }
  // Background reachable from the margin (4-connected) is outside; the rest of the background is holes. Read from
  // `filled`, not the paged labels, and with no array a neighbour: this ran for every cell of every candidate's box.
  const q = boxQueue;
  q.length = 0;
  q.push(0);
  outside[0] = 1;
  const visit = (j: number) => {
    if (outside[j] || filled[j]) return;
    outside[j] = 1;
    q.push(j);
  };
  while (q.length) {
    const i = q.pop();
    const bx = i % bw;
    if (bx > 0) visit(i - 1);
    if (bx < bw - 1) visit(i + 1);
    if (i >= bw) visit(i - bw);
    if (i < bw * (bh - 1)) visit(i + bw);
  }
  return { bw, bh, filled, outside };
}

/**
 * The box's three byte grids (filled, outside, holes seen), zeroed, in one buffer reused from box to box (regrown
 * when a box outgrows it): a box a component, three arrays each, were a million buffers of garbage on 6.4 Gpx of REAL
 * forest (320 000 components). A box's grids are valid until the next box is taken.
 */
class BoxScratch {
  private buf = new Uint8Array(3 * 4096);
  take(n: number): [Uint8Array, Uint8Array, Uint8Array] {
    if (3 * n > this.buf.length) this.buf = new Uint8Array(Math.max(3 * n, 2 * this.buf.length));
    else this.buf.fill(0, 0, 3 * n);
    return [this.buf.subarray(0, n), this.buf.subarray(n, 2 * n), this.buf.subarray(2 * n, 3 * n)];
  }
  /** The third grid of the box last taken (`n` cells). */
  third(n: number): Uint8Array {
    return this.buf.subarray(2 * n, 3 * n);
  }
}

const boxScratch = new BoxScratch();
/** filledBox's queue, and fillSmallHoles' hole and queue (see {@link CellList}). */
const boxQueue = new CellList();
const holeCells = new CellList();
const holeQueue = new CellList();

/** Fills the holes of fewer than `minCells` cells into `box.filled`. @returns the cells filled. */
function fillSmallHoles(box: Box, minCells: number): number {
  const { bw, bh, filled, outside } = box;
  let added = 0;
  const seenHole = boxScratch.third(bw * bh);
  for (let i = 0; i < bw * bh; i++) {
    if (outside[i] || filled[i] || seenHole[i]) continue;
    const hole = holeCells;
    const hq = holeQueue;
    hole.length = 0;
    hq.length = 0;
    hq.push(i);
    seenHole[i] = 1;
    while (hq.length) {
      const j = hq.pop();
      hole.push(j);
      // Left, right, up, down. A hole never touches the margin (outside), so its neighbours are inside the box.
      for (let d = 0; d < 4; d++) {
        const k = d === 0 ? j - 1 : d === 1 ? j + 1 : d === 2 ? j - bw : j + bw;
        if (outside[k] || filled[k] || seenHole[k]) continue;
        seenHole[k] = 1;
        hq.push(k);
      }
    }
    if (hole.length < minCells) {
      for (const j of hole.view()) filled[j] = 1;
      added += hole.length;
    }
  }
  return added;
}

/** The bounding box of cells (inclusive), in cells; x1 < 0 when there are none. */
export interface CellBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** The bounding box of row-major cell indices in a grid `width` cells wide. */
export function cellBox(cells: ArrayLike<number>, width: number): CellBox {
  let x0 = Infinity,
    y0 = Infinity,
    x1 = -1,
    y1 = -1;
  for (let k = 0; k < cells.length; k++) {
    const x = cells[k] % width,
      y = (cells[k] - x) / width;
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  return { x0, y0, x1, y1 };
}

/**
 * A plot's cells as a bitmap over its bounding box, for "is a cell of it within reach" asked of every cell of a
 * neighbour: a Set of cell indices, looked up (2 reach + 1)² times a cell, cost half of tracing a 1.6-Gpx scan's
 * heatmap (a distance map over the box instead cost more to build than it saved). A box much larger than its cells
 * (a long diagonal plot) keeps the Set.
 */
export class CellMask {
  private readonly box: CellBox;
  private readonly bits?: Uint8Array;
  private readonly set?: Set<number>;
  private readonly bw: number;

  constructor(
    cells: ArrayLike<number>,
    private readonly width: number,
  ) {
    const box = (this.box = cellBox(cells, width));
    this.bw = box.x1 - box.x0 + 1;
    const area = this.bw * (box.y1 - box.y0 + 1);
    if (area > 16 * cells.length + 4096) {
      this.set = new Set(Array.from(cells));
      return;
    }
    this.bits = new Uint8Array(area);
    for (let k = 0; k < cells.length; k++) {
      const x = cells[k] % width;
      this.bits[((cells[k] - x) / width - box.y0) * this.bw + x - box.x0] = 1;
    }
  }

  /** Whether some cell of `a` (row-major indices, ascending) lies within `reach` cells (Chebyshev) of one of this plot's. */
  within(a: Int32Array, reach: number): boolean {
    const { x0, y0, x1, y1 } = this.box;
    const { width, bits, bw } = this;
    // Only the box holds the plot's cells: a's cells in rows farther than `reach` from it have none within reach.
    for (let k = firstAtLeast(a, Math.max(0, y0 - reach) * width), end = (y1 + reach + 1) * width; k < a.length && a[k] < end; k++) {
      const x = a[k] % width,
        y = (a[k] - x) / width;
      if (x < x0 - reach || x > x1 + reach) continue;
      const xa = Math.max(x0, x - reach),
        xb = Math.min(x1, x + reach);
      for (let yy = Math.max(y0, y - reach), yb = Math.min(y1, y + reach); yy <= yb; yy++) {
        if (bits) {
          const row = (yy - y0) * bw - x0;
          for (let xx = xa; xx <= xb; xx++) if (bits[row + xx] === 1) return true;
        } else for (let xx = xa; xx <= xb; xx++) if (this.set!.has(yy * width + xx)) return true;
      }
    }
    return false;
  }

  /** Whether (x, y) is one of this plot's cells. */
  has(x: number, y: number): boolean {
    const { x0, y0, x1, y1 } = this.box;
    if (x < x0 || x > x1 || y < y0 || y > y1) return false;
    return this.bits ? this.bits[(y - y0) * this.bw + x - x0] === 1 : this.set!.has(y * this.width + x);
  }

  /**
   * Its cells with a 4-connected neighbour not its own, ascending: another plot's nearest cells are among them (from any
   * cell of it, step along x then y towards a cell outside: the Chebyshev distance never grows, and the last cell
   * before leaving it is such a cell).
   */
  edgeCells(cells: ArrayLike<number>): Int32Array {
    const out: number[] = [];
    const w = this.width;
    for (let k = 0; k < cells.length; k++) {
      const x = cells[k] % w,
        y = (cells[k] - x) / w;
      if (!(this.has(x - 1, y) && this.has(x + 1, y) && this.has(x, y - 1) && this.has(x, y + 1))) out.push(cells[k]);
    }
    return Int32Array.from(out).sort();
  }

  /** The smallest Chebyshev distance (1 to `max`) from a cell of `a` to one of this plot's, or Infinity beyond `max`. */
  gap(a: Int32Array, max: number): number {
    for (let r = 1; r <= max; r++) if (this.within(a, r)) return r;
    return Infinity;
  }
}

/** The first index of ascending `a` holding a value of at least `v` (a.length when none). */
function firstAtLeast(a: Int32Array, v: number): number {
  let lo = 0,
    hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Each plot's mask and edge cells ({@link CellMask.edgeCells}), made when first asked for, and let go by `forget`. */
function plotMasks(plots: GridPlot[], width: number): { maskOf: (i: number) => CellMask; edgeOf: (i: number) => Int32Array; forget: (i: number) => void } {
  const masks = new Map<number, CellMask>();
  const edges = new Map<number, Int32Array>();
  const maskOf = (i: number) => masks.get(i) ?? masks.set(i, new CellMask(plots[i].cellIndices, width)).get(i)!;
  const edgeOf = (i: number) => edges.get(i) ?? edges.set(i, maskOf(i).edgeCells(plots[i].cellIndices)).get(i)!;
  const forget = (i: number) => void (masks.delete(i), edges.delete(i));
  return { maskOf, edgeOf, forget };
}

/**
 * Joins plots separated by at most `gap` cells into one: a plot whose score dips under the growth threshold along a
 * line of cells (or touches another only at a corner) is one place to visit, not several, and the verifier then
 * judges it by all of its windows. Each joined plot keeps its parts' outlines, the first part's seed (so its id),
 * the highest score and the cell-weighted mean; plots stay in seed order.
 */
export function mergeNearPlots(plots: GridPlot[], width: number, gap: number, join: MergeJoin = 'chain'): GridPlot[] {
  if (join !== 'chain') return joinToHosts(plots, width, gap + 1, join === 'pair' ? 1 : Infinity);
  const reach = gap + 1;
  const boxes = plots.map((p) => cellBox(p.cellIndices, width));
  const parent = plots.map((_, i) => i);
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i])));
  const { maskOf, edgeOf, forget } = plotMasks(plots, width);
  const byTop = plots.map((_, i) => i).sort((a, b) => boxes[a].y0 - boxes[b].y0 || a - b);
  // Plots by their box's bottom: once a plot ends farther than `reach` above the next top, no pair left includes it,
  // and its mask goes (held for every plot at once they were the largest part of merging 1.6 Gpx of REAL forest).
  const byBottom = plots.map((_, i) => i).sort((a, b) => boxes[a].y1 - boxes[b].y1);
  let done = 0;
  for (let k = 0; k < byTop.length; k++) {
    const i = byTop[k];
    for (; done < byBottom.length && boxes[byBottom[done]].y1 + reach < boxes[i].y0; done++) forget(byBottom[done]);
    for (let m = k + 1; m < byTop.length && boxes[byTop[m]].y0 <= boxes[i].y1 + reach; m++) {
      const j = byTop[m];
      if (boxes[j].x0 > boxes[i].x1 + reach || boxes[i].x0 > boxes[j].x1 + reach || root(i) === root(j)) continue;
      const [small, big] = plots[i].cellIndices.length <= plots[j].cellIndices.length ? [i, j] : [j, i];
      if (maskOf(big).within(edgeOf(small), reach)) parent[root(j)] = root(i);
    }
  }
  const groups = new Map<number, GridPlot[]>();
  plots.forEach((p, i) => {
    const group = groups.get(root(i));
    if (group) group.push(p);
    else groups.set(root(i), [p]);
  });
  return [...groups.values()].map(joinPlots).sort((a, b) => a.seed - b.seed);
}

/** One plot of several: their outlines, cells and scores together, the earliest seed. */
export function joinPlots(parts: GridPlot[]): GridPlot {
  if (parts.length === 1) return parts[0];
  const ordered = [...parts].sort((a, b) => a.seed - b.seed);
  const partCells = ordered.flatMap((p) => p.partCells ?? [p.cellIndices]);
  const grown = partCells.reduce((n, c) => n + c.length, 0);
  return {
    polygons: ordered.flatMap((p) => p.polygons),
    cells: ordered.reduce((n, p) => n + p.cells, 0),
    // Not Math.max(...): a group of noise can join hundreds of thousands of parts, more arguments than a call takes.
    scoreMax: ordered.reduce((m, p) => Math.max(m, p.scoreMax), -Infinity),
    scoreMean: ordered.reduce((s, p) => s + p.scoreMean * p.cellIndices.length, 0) / grown,
    seed: ordered[0].seed,
    // Made when read: the scan reads a joined plot's cells part by part, and a copy of them all held beside the
    // parts was a third of what tracing 1.6 Gpx of REAL forest held (bench/HISTORY.md).
    get cellIndices() {
      return concatenated(partCells);
    },
    partCells,
  };
}

/** The arrays one after another in one. */
function concatenated(arrays: Int32Array[]): Int32Array {
  const out = new Int32Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) out.set(a, (at += a.length) - a.length);
  return out;
}

/**
 * Joins without chains: plots are taken from the largest down, and each joins the nearest larger plot within
 * `reach` that has joined nothing itself (its host; ties to the larger, then the earlier seed) while that host has
 * taken fewer than `maxGuests`; otherwise it is a host. A group is then one host and plots near it, never a run.
 */
function joinToHosts(plots: GridPlot[], width: number, reach: number, maxGuests: number): GridPlot[] {
  const boxes = plots.map((p) => cellBox(p.cellIndices, width));
  const order = plots.map((_, i) => i).sort((a, b) => plots[b].cellIndices.length - plots[a].cellIndices.length || plots[a].seed - plots[b].seed);
  const rank = new Int32Array(plots.length);
  order.forEach((i, k) => (rank[i] = k));
  const guests = new Map<number, number[]>();
  const { maskOf, edgeOf } = plotMasks(plots, width);
  // Hosts by 64-cell bucket of their box, so a plot looks only at hosts near it (a scan traces thousands).
  const buckets = new Map<number, number[]>();
  const bucketsOf = (b: CellBox, pad: number) => {
    const keys: number[] = [];
    for (let by = Math.max(0, b.y0 - pad) >> 6; by <= (b.y1 + pad) >> 6; by++)
      for (let bx = Math.max(0, b.x0 - pad) >> 6; bx <= (b.x1 + pad) >> 6; bx++) keys.push(by * 65536 + bx);
    return keys;
  };
  for (const i of order) {
    let host = -1;
    let hostGap = Infinity;
    const near = new Set(bucketsOf(boxes[i], reach).flatMap((k) => buckets.get(k) ?? []));
    // Hosts in the order they became hosts (larger first), so ties go to the larger.
    for (const h of [...near].sort((a, b) => rank[a] - rank[b])) {
      if (guests.get(h)!.length >= maxGuests || boxGap(boxes[i], boxes[h]) > reach) continue;
      const g = maskOf(h).gap(edgeOf(i), Math.min(reach, hostGap - 1));
      if (g < hostGap) (host = h), (hostGap = g);
    }
    if (host >= 0) guests.get(host)!.push(i);
    else {
      guests.set(i, []);
      for (const k of bucketsOf(boxes[i], 0)) {
        const bucket = buckets.get(k);
        if (bucket) bucket.push(i);
        else buckets.set(k, [i]);
      }
    }
  }
  return [...guests.entries()].map(([h, list]) => joinPlots([plots[h], ...list.map((g) => plots[g])])).sort((a, b) => a.seed - b.seed);
}

/** Chebyshev gap between two cell boxes (1 when adjacent, 0 when overlapping). */
export function boxGap(a: CellBox, b: CellBox): number {
  return Math.max(0, a.x0 - b.x1, b.x0 - a.x1, a.y0 - b.y1, b.y0 - a.y1);
}

/**
 * The outlines of a set of cells, traced as {@link tracePlots} traces a plot (holes under `minCells` filled, the
 * same simplification), each 4-connected group of at least `minCells` cells one polygon or more.
 */
export function traceCells(cells: ArrayLike<number>, width: number, minCells: number, simplifyCells?: number): GridPolygon[] {
  const { x0, y0, x1, y1 } = cellBox(cells, width);
  if (x1 < 0) return [];
  const w = x1 - x0 + 1;
  const grid = new Float32Array(w * (y1 - y0 + 1));
  for (let k = 0; k < cells.length; k++) {
    const x = cells[k] % width;
    grid[((cells[k] - x) / width - y0) * w + x - x0] = 1;
  }
  const shift = (r: Ring): Ring => r.map(([x, y]) => [x + x0, y + y0]);
  return tracePlots(grid, w, y1 - y0 + 1, { high: 0.5, low: 0.5, minCells, simplifyCells })
    .flatMap((p) => p.polygons)
    .map((p) => ({ outer: shift(p.outer), holes: p.holes.map(shift) }));
}
