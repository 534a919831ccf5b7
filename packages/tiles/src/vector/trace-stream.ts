import { PagedCells } from '../scan/paged-cells';
import {
  bounded,
  boxGap,
  CellMask,
  CellSlab,
  cellBox,
  joinPlots,
  pagedCopy,
  traceRow,
  tracePlots,
  type CellBox,
  type GridPlot,
  type TraceOptions,
  type Tracing,
} from './trace-plots';

/** Labels beyond tracing's 0 (unvisited), 1 (growing) and 2 (traced): a region above `low` with no seed, and one flooded to see whether it has one. */
const SEEDLESS = 3;
const LOOKED_AT = 4;
/** Rows traced between looks at which groups are final. */
const CHECK_ROWS = 8;

/**
 * {@link tracePlots} handing on its plots as they become final: yields batches of plots (joined as `mergeNearPlots`
 * joins them), each batch in seed order, and every plot exactly once; all batches sorted by seed are what
 * {@link tracePlots} returns. A group of plots is final once no cell at or above `low` that no plot has taken lies
 * within the merge gap of it: no plot traced later can join it then. So a scan holds the plots of the rows being
 * traced, not the whole heatmap's (bench/HISTORY.md: 6.4 Gpx of REAL forest held 320 000 parts at once).
 * Bounded growth and joins other than "chain" need every plot first: those are yielded in one batch at the end.
 * Closes its labels when done or when the caller stops early (`return()`).
 */
export function* tracePlotsStreamed(grid: Float32Array | PagedCells<Float32Array>, width: number, height: number, o: TraceOptions): Generator<GridPlot[]> {
  if (bounded(o) || (o.mergeGapCells && (o.mergeJoin ?? 'chain') !== 'chain')) {
    yield tracePlots(grid, width, height, o);
    return;
  }
  const scores = grid instanceof Float32Array ? pagedCopy(grid, width, height) : grid;
  const label = new PagedCells(Uint8Array, width, height, o.labels);
  try {
    const groups = new OpenGroups(scores, label, width, height, o);
    const t: Tracing = { ...o, slab: new CellSlab() };
    const take = (p: GridPlot) => groups.add(p);
    for (let y = 0; y < height; y++) {
      traceRow(scores, width, height, label, y, t, take);
      if ((y + 1) % CHECK_ROWS === 0) {
        const final = groups.takeFinal(y + 1);
        if (final.length) yield final;
      }
    }
    const rest = groups.takeAll();
    if (rest.length) yield rest;
  } finally {
    label.close();
  }
}

/**
 * The plots traced so far whose group may still grow, joined as `mergeNearPlots` "chain" joins them (a plot within
 * the gap of any plot of a group joins it), found near each other through 64-cell buckets of their boxes.
 */
class OpenGroups {
  private readonly reach: number;
  /**
   * The plots of open groups by number (in the order traced), each with its box and its parent in the union-find;
   * a group's plots leave when it is handed on, so this holds the open groups' plots, not every plot traced.
   */
  private readonly open = new Map<number, { plot: GridPlot; box: CellBox; parent: number }>();
  private traced = 0;
  /** Per group (by root): its plots, lowest row, and the scan position before which it is not looked at again. */
  private readonly members = new Map<number, number[]>();
  private readonly bottom = new Map<number, number>();
  private readonly waitUntil = new Map<number, number>();
  private readonly buckets = new Map<number, number[]>();
  private readonly masks = new Map<number, CellMask>();
  private readonly edges = new Map<number, Int32Array>();
  /** Cells labelled {@link LOOKED_AT} during a look, given back to tracing (0) after it. */
  private looked: number[] = [];
  /**
   * The earliest seed of the regions flooded during this look: a group stopped by one of their cells waits until
   * then (at most that region's own seed, so it is looked at again no later than it could change).
   */
  private roundSeed = Infinity;

  constructor(
    private readonly scores: PagedCells<Float32Array>,
    private readonly label: PagedCells<Uint8Array>,
    private readonly width: number,
    private readonly height: number,
    private readonly o: TraceOptions,
  ) {
    this.reach = o.mergeGapCells ? o.mergeGapCells + 1 : 0;
  }

  add(plot: GridPlot): void {
    const i = this.traced++;
    const box = cellBox(plot.cellIndices, this.width);
    this.open.set(i, { plot, box, parent: i });
    this.members.set(i, [i]);
    this.bottom.set(i, box.y1);
    if (!this.reach) return;
    for (const j of this.near(box)) {
      if (this.root(i) === this.root(j) || boxGap(box, this.at(j).box) > this.reach) continue;
      const [small, big] = plot.cellIndices.length <= this.at(j).plot.cellIndices.length ? [i, j] : [j, i];
      if (this.maskOf(big).within(this.edgeOf(small), this.reach)) this.union(i, j);
    }
    for (const k of this.bucketsOf(box, 0)) {
      const b = this.buckets.get(k);
      if (b) b.push(i);
      else this.buckets.set(k, [i]);
    }
  }

  /** Groups no plot seeded at or after row `scanRow` can join, each joined into one plot, in seed order; they are let go. */
  takeFinal(scanRow: number): GridPlot[] {
    const at = scanRow * this.width;
    const final: GridPlot[] = [];
    for (const r of [...this.members.keys()]) {
      if (this.reach && (this.bottom.get(r)! + this.reach >= scanRow || (this.waitUntil.get(r) ?? 0) > at || !this.settled(r))) continue;
      final.push(this.take(r));
    }
    for (const c of this.looked) this.label.set(c, 0);
    this.looked = [];
    this.roundSeed = Infinity;
    return final.sort((a, b) => a.seed - b.seed);
  }

  /** Every group left (tracing is done: nothing can join them), in seed order. */
  takeAll(): GridPlot[] {
    return [...this.members.keys()].map((r) => this.take(r)).sort((a, b) => a.seed - b.seed);
  }

  private take(r: number): GridPlot {
    const ids = this.members.get(r)!;
    const parts = ids.map((m) => this.at(m).plot);
    for (const m of ids) {
      this.open.delete(m);
      this.masks.delete(m);
      this.edges.delete(m);
    }
    this.members.delete(r);
    this.bottom.delete(r);
    this.waitUntil.delete(r);
    return joinPlots(parts);
  }

  /**
   * Whether no untaken cell at or above `low` lies within reach of group `r`'s cells. Such a cell in a region with
   * no seed is marked {@link SEEDLESS} (it never starts a plot); one in a region with a seed makes the group wait
   * until the scan has passed that seed. A plot's box (with the reach
   * around it) is looked through whole when it is not much larger than its cells: a cell there out of reach of the
   * plot may make it wait longer than it must, never less.
   */
  private settled(r: number): boolean {
    const { width, height, reach } = this;
    for (const m of this.members.get(r)!) {
      const b = this.at(m).box;
      const x0 = Math.max(0, b.x0 - reach),
        y0 = Math.max(0, b.y0 - reach),
        x1 = Math.min(width - 1, b.x1 + reach),
        y1 = Math.min(height - 1, b.y1 + reach);
      const compact = (x1 - x0 + 1) * (y1 - y0 + 1) <= 16 * (this.at(m).plot.cellIndices.length + 64);
      if (compact ? this.waitsForBox(r, x0, y0, x1, y1) : this.waitsForEdges(r, m)) return false;
    }
    return true;
  }

  /** Whether an untaken cell at or above `low` in columns x0..x1 of rows y0..y1 makes group `r` wait (read a page row at a time). */
  private waitsForBox(r: number, x0: number, y0: number, x1: number, y1: number): boolean {
    const { label, scores, width } = this;
    const low = this.o.low;
    const E = scores.pageEdge;
    if (label.pageEdge !== E) return this.waitsForCells(r, x0, y0, x1, y1);
    for (let y = y0; y <= y1; y++) {
      const py = (y / E) | 0,
        row = (y & (E - 1)) * E;
      for (let x = x0; x <= x1; ) {
        const px = (x / E) | 0,
          end = Math.min(x1, px * E + E - 1);
        let lp = label.page(px, py),
          sp = scores.page(px, py);
        for (; x <= end; x++) {
          const i = row + (x & (E - 1));
          const l = lp[i];
          if (l === LOOKED_AT) return this.wait(r, this.roundSeed + 1);
          if (l !== 0 || !(sp[i] >= low)) continue;
          if (this.waitsFor(r, y * width + x)) return true;
          // The flood read other pages: these may have left memory.
          (lp = label.page(px, py)), (sp = scores.page(px, py));
        }
      }
    }
    return false;
  }

  /** {@link waitsForBox} a cell at a time (labels paged unlike scores). */
  private waitsForCells(r: number, x0: number, y0: number, x1: number, y1: number): boolean {
    for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) if (this.waitsAt(r, x, y)) return true;
    return false;
  }

  /** Whether an untaken cell at or above `low` within reach of an edge cell of plot `m` makes group `r` wait (a plot whose box is mostly empty). */
  private waitsForEdges(r: number, m: number): boolean {
    const { width, height, reach } = this;
    const cells = this.edgeOf(m);
    for (let k = 0; k < cells.length; k++) {
      const x = cells[k] % width,
        y = (cells[k] - x) / width;
      for (let yy = Math.max(0, y - reach); yy <= Math.min(height - 1, y + reach); yy++)
        for (let xx = Math.max(0, x - reach); xx <= Math.min(width - 1, x + reach); xx++) if (this.waitsAt(r, xx, yy)) return true;
    }
    return false;
  }

  private waitsAt(r: number, x: number, y: number): boolean {
    const l = this.label.at(x, y);
    if (l === LOOKED_AT) return this.wait(r, this.roundSeed + 1);
    return l === 0 && this.scores.at(x, y) >= this.o.low && this.waitsFor(r, y * this.width + x);
  }

  /** Floods untaken cell `s`'s region: a seedless one is marked and nothing waits; else group `r` waits for its seed. */
  private waitsFor(r: number, s: number): boolean {
    const seed = this.floodUntaken(s);
    if (seed < 0) return false;
    this.roundSeed = Math.min(this.roundSeed, seed);
    return this.wait(r, seed + 1);
  }

  private wait(r: number, until: number): true {
    this.waitUntil.set(r, until);
    return true;
  }

  /**
   * Floods the untaken region above `low` of cell `s`: returns its first cell at or above `high` (the seed the scan
   * will trace it from), its cells labelled {@link LOOKED_AT} until the look ends; or -1, its cells then {@link SEEDLESS}.
   */
  private floodUntaken(s: number): number {
    const { width, height, label, scores } = this;
    const { low, high } = this.o;
    const cells: number[] = [s];
    label.set(s, LOOKED_AT);
    let seed = Infinity;
    for (let k = 0; k < cells.length; k++) {
      const i = cells[k];
      const x = i % width,
        y = (i - x) / width;
      if (scores.at(x, y) >= high && i < seed) seed = i;
      // Its 4 neighbours, as tracing grows a plot (no closure a cell: this runs once a scan, before the JIT warms up).
      for (let n = 0; n < 4; n++) {
        const xx = n === 0 ? x - 1 : n === 1 ? x + 1 : x,
          yy = n === 2 ? y - 1 : n === 3 ? y + 1 : y;
        if (xx < 0 || xx >= width || yy < 0 || yy >= height) continue;
        if (label.at(xx, yy) === 0 && scores.at(xx, yy) >= low) label.put(xx, yy, LOOKED_AT), cells.push(yy * width + xx);
      }
    }
    if (seed === Infinity) {
      for (const c of cells) label.set(c, SEEDLESS);
      return -1;
    }
    for (const c of cells) this.looked.push(c);
    return seed;
  }

  private near(box: CellBox): number[] {
    const out = new Set<number>();
    for (const k of this.bucketsOf(box, this.reach)) {
      const b = this.buckets.get(k);
      if (!b) continue;
      // Plots already handed on leave their buckets here, when next looked through.
      let w = 0;
      for (const j of b) if (this.open.has(j)) (b[w++] = j), out.add(j);
      if (w) b.length = w;
      else this.buckets.delete(k);
    }
    return [...out];
  }

  private bucketsOf(b: CellBox, pad: number): number[] {
    const keys: number[] = [];
    for (let by = Math.max(0, b.y0 - pad) >> 6; by <= (b.y1 + pad) >> 6; by++)
      for (let bx = Math.max(0, b.x0 - pad) >> 6; bx <= (b.x1 + pad) >> 6; bx++) keys.push(by * 65536 + bx);
    return keys;
  }

  private root(i: number): number {
    for (let o = this.at(i); o.parent !== i; o = this.at(i)) i = o.parent = this.at(o.parent).parent;
    return i;
  }

  /** Joins the groups of `a` and `b`: the larger list of plots takes the other's. */
  private union(a: number, b: number): void {
    let ra = this.root(a),
      rb = this.root(b);
    if (ra === rb) return;
    if (this.members.get(ra)!.length < this.members.get(rb)!.length) [ra, rb] = [rb, ra];
    this.at(rb).parent = ra;
    const into = this.members.get(ra)!;
    for (const m of this.members.get(rb)!) into.push(m);
    this.bottom.set(ra, Math.max(this.bottom.get(ra)!, this.bottom.get(rb)!));
    this.waitUntil.delete(ra);
    this.members.delete(rb);
    this.bottom.delete(rb);
    this.waitUntil.delete(rb);
  }

  private at(i: number): { plot: GridPlot; box: CellBox; parent: number } {
    return this.open.get(i)!;
  }

  private maskOf(i: number): CellMask {
    return this.masks.get(i) ?? this.masks.set(i, new CellMask(this.at(i).plot.cellIndices, this.width)).get(i)!;
  }

  private edgeOf(i: number): Int32Array {
    return this.edges.get(i) ?? this.edges.set(i, this.maskOf(i).edgeCells(this.at(i).plot.cellIndices)).get(i)!;
  }
}
