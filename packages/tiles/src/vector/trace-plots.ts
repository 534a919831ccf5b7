import { PagedCells, type PagedCellsOptions } from '../scan/paged-cells';
import { outlineRings, type GridPolygon } from './outline-rings';
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
}

/** A score grid read cell by cell (row-major index): an array, or a paged grid. */
export interface CellReader {
  get(i: number): number;
}

/** One traced plot in heatmap-cell coordinates. */
export interface GridPlot {
  polygons: GridPolygon[];
  /** Cells of the plot (holes filled), i.e. its area in cells. */
  cells: number;
  scoreMax: number;
  scoreMean: number;
  /** Row-major index of the plot's first cell: stable for the same heatmap. */
  seed: number;
  /** Row-major indices of the cells above the growth threshold (holes not included). */
  cellIndices: Int32Array;
}

/**
 * Traces candidate plots on a score grid (NaN = no data): hysteresis thresholds, 4-connected components,
 * specks below `minCells` dropped, small holes filled, outlines traced and simplified.
 */
export function tracePlots(grid: Float32Array | CellReader, width: number, height: number, o: TraceOptions): GridPlot[] {
  const n = width * height;
  const scores: CellReader = grid instanceof Float32Array ? { get: (i) => grid[i] } : grid;
  // 0 unvisited, 1 in the component being traced, 2 in a finished component (1 byte a cell, not 4).
  const label = new PagedCells(Uint8Array, width, height, o.labels);
  try {
    return traceAll(scores, width, height, label, n, o);
  } finally {
    label.close();
  }
}

function traceAll(scores: CellReader, width: number, height: number, label: PagedCells<Uint8Array>, n: number, o: TraceOptions): GridPlot[] {
  const plots: GridPlot[] = [];
  for (let s = 0; s < n; s++) {
    // The score first: most cells are under the seed threshold, and a paged label costs a page lookup a cell.
    if (!(scores.get(s) >= o.high) || label.get(s) !== 0) continue;
    const c = growComponent(scores, width, height, label, s, o.low);
    const box = filledBox(c, label);
    const area = c.cells.length + fillSmallHoles(box, o.minCells);
    for (const cell of c.cells) label.set(cell, 2);
    if (area < o.minCells) continue;
    const tol = o.simplifyCells ?? 0.5;
    const polygons = outlineRings((x, y) => box.filled[(y - c.minY + 1) * box.bw + (x - c.minX + 1)] === 1, c.minX, c.minY, c.maxX + 1, c.maxY + 1).map(
      (p) => ({
        outer: simplifyRing(p.outer, tol),
        holes: p.holes.map((h) => simplifyRing(h, tol)),
      }),
    );
    plots.push({ polygons, cells: area, scoreMax: c.max, scoreMean: c.sum / c.cells.length, seed: s, cellIndices: Int32Array.from(c.cells) });
  }
  return plots;
}

/** A 4-connected component grown from a seed: its cells (in visiting order), bounding box and score sum and maximum. */
interface Component {
  cells: number[];
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  sum: number;
  max: number;
}

/** Grows the component of cell `s` through 4-connected cells scoring at least `low`, labelling them 1. */
function growComponent(scores: CellReader, width: number, height: number, label: PagedCells<Uint8Array>, s: number, low: number): Component {
  const next = 1;
  const c: Component = { cells: [], minX: width, minY: height, maxX: -1, maxY: -1, sum: 0, max: 0 };
  const stack: number[] = [s];
  const grow = (j: number) => {
    if (label.get(j) === 0 && scores.get(j) >= low) label.set(j, next), stack.push(j);
  };
  label.set(s, next);
  while (stack.length) {
    const i = stack.pop()!;
    c.cells.push(i);
    const x = i % width;
    const y = (i - x) / width;
    if (x < c.minX) c.minX = x;
    if (x > c.maxX) c.maxX = x;
    if (y < c.minY) c.minY = y;
    if (y > c.maxY) c.maxY = y;
    const v = scores.get(i);
    c.sum += v;
    if (v > c.max) c.max = v;
    if (x > 0) grow(i - 1);
    if (x < width - 1) grow(i + 1);
    if (y > 0) grow(i - width);
    if (y < height - 1) grow(i + width);
  }
  return c;
}

/** The component's bounding box with a one-cell margin: which cells are the plot, and which background is outside (reachable from the margin). */
interface Box {
  bw: number;
  bh: number;
  filled: Uint8Array;
  outside: Uint8Array;
}

function filledBox(c: Component, label: PagedCells<Uint8Array>): Box {
  const bw = c.maxX - c.minX + 3;
  const bh = c.maxY - c.minY + 3;
  // The plot's cells: label 1 marks the component being traced, all inside its bounding box (never the margin).
  const filled = new Uint8Array(bw * bh);
  for (let by = 1; by < bh - 1; by++) {
    for (let bx = 1; bx < bw - 1; bx++) if (label.at(bx + c.minX - 1, by + c.minY - 1) === 1) filled[by * bw + bx] = 1;
  }
  // Background reachable from the margin (4-connected) is outside; the rest of the background is holes. Read from
  // `filled`, not the paged labels, and with no array a neighbour: this ran for every cell of every candidate's box.
  const outside = new Uint8Array(bw * bh);
  const q: number[] = [0];
  outside[0] = 1;
  const visit = (j: number) => {
    if (outside[j] || filled[j]) return;
    outside[j] = 1;
    q.push(j);
  };
  while (q.length) {
    const i = q.pop()!;
    const bx = i % bw;
    if (bx > 0) visit(i - 1);
    if (bx < bw - 1) visit(i + 1);
    if (i >= bw) visit(i - bw);
    if (i < bw * (bh - 1)) visit(i + bw);
  }
  return { bw, bh, filled, outside };
}

/** Fills the holes of fewer than `minCells` cells into `box.filled`. @returns the cells filled. */
function fillSmallHoles(box: Box, minCells: number): number {
  const { bw, bh, filled, outside } = box;
  let added = 0;
  const seenHole = new Uint8Array(bw * bh);
  for (let i = 0; i < bw * bh; i++) {
    if (outside[i] || filled[i] || seenHole[i]) continue;
    const hole: number[] = [];
    const hq = [i];
    seenHole[i] = 1;
    while (hq.length) {
      const j = hq.pop()!;
      hole.push(j);
      const bx = j % bw;
      const by = (j - bx) / bw;
      for (const [nx, ny] of [
        [bx - 1, by],
        [bx + 1, by],
        [bx, by - 1],
        [bx, by + 1],
      ]) {
        const k = ny * bw + nx;
        if (outside[k] || filled[k] || seenHole[k]) continue;
        seenHole[k] = 1;
        hq.push(k);
      }
    }
    if (hole.length < minCells) {
      for (const j of hole) filled[j] = 1;
      added += hole.length;
    }
  }
  return added;
}
