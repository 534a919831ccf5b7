import { pointInRing } from '@tiandi/geo';

/** A closed ring of grid-corner vertices [x, y] (first vertex not repeated), y pointing down. */
export type Ring = [number, number][];

/** A polygon in grid coordinates: an outer ring (clockwise on screen) and its holes. */
export interface GridPolygon {
  outer: Ring;
  holes: Ring[];
}

/** Shoelace area with y down: positive for clockwise-on-screen rings. */
export function ringArea(r: Ring): number {
  let s = 0;
  for (let i = 0; i < r.length; i++) {
    const a = r[i];
    const b = r[(i + 1) % r.length];
    s += a[0] * b[1] - b[0] * a[1];
  }
  return s / 2;
}

/** Edge directions, y down: right, down, left, up. */
const DX = [1, 0, -1, 0];
const DY = [0, 1, 0, -1];

/**
 * Which cells are inside: a test a cell, or a row at a time (`out[x − x0 + 1]` = 1 for each inside cell x of row y in
 * [x0, x1), 0 otherwise), which a grid held in pages fills from its page arrays (a test a cell cost a footprint of a
 * 1.6-Gpx image ~0.35 s of the scanning thread, beside a second stage waiting for it).
 */
export type InsideCells = ((x: number, y: number) => boolean) | { fillRow(y: number, x0: number, x1: number, out: Uint8Array): void };

/**
 * Traces the outlines of the cells where `inside(x, y)` within [x0, x1) × [y0, y1) along cell edges.
 * Rings follow the cell boundary, turning towards the interior at pinch vertices so every ring is simple;
 * collinear vertices are dropped. Holes are attached to the outer ring that contains them.
 */
export function outlineRings(inside: InsideCells, x0: number, y0: number, x1: number, y1: number): GridPolygon[] {
  const W = x1 - x0 + 1;
  const out = boundaryEdges(inside, x0, y0, x1, y1);
  const rings: Ring[] = [];
  const pts: number[] = [];
  for (;;) {
    const start = out.entries().next();
    if (start.done) break;
    let k = start.value[0];
    let d = (start.value[1] & 7) - 1;
    pts.length = 0;
    for (;;) {
      // Take edge (k, d) out; the vertex's other edge, if any, becomes its first.
      const v = out.get(k)!;
      const rest = (v & 7) - 1 === d ? v >> 3 : v & 7;
      if (rest) out.set(k, rest);
      else out.delete(k);
      const x = (k % W) + x0;
      const y = ((k / W) | 0) + y0;
      pts.push(x, y);
      const nk = (y + DY[d] - y0) * W + (x + DX[d] - x0);
      const next = out.get(nk);
      if (next === undefined) break;
      // The edge turning most to the left (largest cross product), the first on a tie.
      let best = (next & 7) - 1;
      const second = (next >> 3) - 1;
      if (second >= 0 && DX[d] * DY[second] - DY[d] * DX[second] > DX[d] * DY[best] - DY[d] * DX[best]) best = second;
      k = nk;
      d = best;
    }
    const clean = dropCollinear(pts);
    if (clean.length >= 4) rings.push(clean);
  }
  const outers = rings.filter((r) => ringArea(r) > 0).map((outer) => ({ outer, holes: [] as Ring[] }));
  for (const h of rings.filter((r) => ringArea(r) < 0)) {
    // A hole's first edge midpoint lies strictly inside its outer ring.
    const mx = (h[0][0] + h[1][0]) / 2 + (h[1][1] - h[0][1]) * 0.25;
    const my = (h[0][1] + h[1][1]) / 2 - (h[1][0] - h[0][0]) * 0.25;
    const owner = outers.find((o) => pointInRing(mx, my, o.outer)) ?? outers[0];
    owner?.holes.push(h);
  }
  return outers;
}

/**
 * The boundary of the inside cells as directed edges, keyed by start vertex ((y − y0)·W + x − x0) in the order first
 * met; a vertex has at most two (a pinch), packed in the order added as 1 + direction, the second shifted by 3 bits.
 * Each cell is asked once, a row ahead, and no array is made an edge: tracing's garbage once came mostly from here.
 */
function boundaryEdges(inside: InsideCells, x0: number, y0: number, x1: number, y1: number): Map<number, number> {
  const W = x1 - x0 + 1;
  const out = new Map<number, number>();
  const add = (k: number, dir: number) => {
    const v = out.get(k);
    out.set(k, v === undefined ? dir + 1 : v | ((dir + 1) << 3));
  };
  // Rows of inside flags with a cell of margin each side: above, this one, below.
  let above = new Uint8Array(x1 - x0 + 2);
  let row = new Uint8Array(x1 - x0 + 2);
  let below = new Uint8Array(x1 - x0 + 2);
  const fill =
    typeof inside === 'function'
      ? (r: Uint8Array, y: number) => {
          for (let x = x0; x < x1; x++) r[x - x0 + 1] = inside(x, y) ? 1 : 0;
        }
      : (r: Uint8Array, y: number) => inside.fillRow(y, x0, x1, r);
  if (y0 < y1) fill(row, y0);
  for (let y = y0; y < y1; y++) {
    if (y + 1 < y1) fill(below, y + 1);
    else below.fill(0);
    const k = (y - y0) * W - x0;
    for (let x = x0; x < x1; x++) {
      const i = x - x0 + 1;
      if (!row[i]) continue;
      if (!above[i]) add(k + x, 0);
      if (!row[i + 1]) add(k + x + 1, 1);
      if (!below[i]) add(k + W + x + 1, 2);
      if (!row[i - 1]) add(k + W + x, 3);
    }
    const t = above;
    above = row;
    row = below;
    below = t;
  }
  return out;
}

/** The ring of vertices `pts` (x, y flat) without its collinear ones. */
function dropCollinear(pts: number[]): Ring {
  const n = pts.length / 2;
  const clean: Ring = [];
  for (let i = 0; i < n; i++) {
    const p = (i - 1 + n) % n;
    const q = (i + 1) % n;
    const cx = pts[2 * i];
    const cy = pts[2 * i + 1];
    if ((cx - pts[2 * p]) * (pts[2 * q + 1] - cy) - (cy - pts[2 * p + 1]) * (pts[2 * q] - cx) !== 0) clean.push([cx, cy]);
  }
  return clean;
}
