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
export function tracePlots(scores: Float32Array, width: number, height: number, o: TraceOptions): GridPlot[] {
  const n = width * height;
  // 0 unvisited, 1 in the component being traced, 2 in a finished component (1 byte a cell, not 4).
  const label = new Uint8Array(n);
  const plots: GridPlot[] = [];
  const stack: number[] = [];
  for (let s = 0; s < n; s++) {
    if (label[s] !== 0 || !(scores[s] >= o.high)) continue;
    const next = 1;
    const cells: number[] = [];
    label[s] = next;
    stack.push(s);
    let minX = width, minY = height, maxX = -1, maxY = -1;
    let sum = 0;
    let max = 0;
    while (stack.length) {
      const i = stack.pop()!;
      cells.push(i);
      const x = i % width;
      const y = (i - x) / width;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
      const v = scores[i];
      sum += v;
      if (v > max) max = v;
      if (x > 0 && label[i - 1] === 0 && scores[i - 1] >= o.low) (label[i - 1] = next), stack.push(i - 1);
      if (x < width - 1 && label[i + 1] === 0 && scores[i + 1] >= o.low) (label[i + 1] = next), stack.push(i + 1);
      if (y > 0 && label[i - width] === 0 && scores[i - width] >= o.low) (label[i - width] = next), stack.push(i - width);
      if (y < height - 1 && label[i + width] === 0 && scores[i + width] >= o.low) (label[i + width] = next), stack.push(i + width);
    }
    const id = 1;
    // Holes: background inside the bounding box not reachable from its border (4-connected).
    const bw = maxX - minX + 3;
    const bh = maxY - minY + 3;
    const outside = new Uint8Array(bw * bh);
    const isPlot = (bx: number, by: number) => {
      const x = bx + minX - 1;
      const y = by + minY - 1;
      return x >= 0 && y >= 0 && x < width && y < height && label[y * width + x] === id;
    };
    const q: number[] = [0];
    outside[0] = 1;
    while (q.length) {
      const i = q.pop()!;
      const bx = i % bw;
      const by = (i - bx) / bw;
      const nb = [[bx - 1, by], [bx + 1, by], [bx, by - 1], [bx, by + 1]];
      for (const [nx, ny] of nb) {
        if (nx < 0 || ny < 0 || nx >= bw || ny >= bh) continue;
        const j = ny * bw + nx;
        if (outside[j] || isPlot(nx, ny)) continue;
        outside[j] = 1;
        q.push(j);
      }
    }
    const filled = new Uint8Array(bw * bh);
    for (let by = 0; by < bh; by++) for (let bx = 0; bx < bw; bx++) if (isPlot(bx, by)) filled[by * bw + bx] = 1;
    let area = cells.length;
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
        for (const [nx, ny] of [[bx - 1, by], [bx + 1, by], [bx, by - 1], [bx, by + 1]]) {
          const k = ny * bw + nx;
          if (outside[k] || filled[k] || seenHole[k]) continue;
          seenHole[k] = 1;
          hq.push(k);
        }
      }
      if (hole.length < o.minCells) {
        for (const j of hole) filled[j] = 1;
        area += hole.length;
      }
    }
    if (area < o.minCells) {
      for (const c of cells) label[c] = 2;
      continue;
    }
    const tol = o.simplifyCells ?? 0.5;
    const polygons = outlineRings((x, y) => filled[(y - minY + 1) * bw + (x - minX + 1)] === 1, minX, minY, maxX + 1, maxY + 1).map((p) => ({
      outer: simplifyRing(p.outer, tol),
      holes: p.holes.map((h) => simplifyRing(h, tol)),
    }));
    for (const c of cells) label[c] = 2;
    plots.push({ polygons, cells: area, scoreMax: max, scoreMean: sum / cells.length, seed: s, cellIndices: Int32Array.from(cells) });
  }
  return plots;
}
