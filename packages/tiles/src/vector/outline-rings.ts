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

/**
 * Traces the outlines of the cells where `inside(x, y)` within [x0, x1) × [y0, y1) along cell edges.
 * Rings follow the cell boundary, turning towards the interior at pinch vertices so every ring is simple;
 * collinear vertices are dropped. Holes are attached to the outer ring that contains them.
 */
export function outlineRings(inside: (x: number, y: number) => boolean, x0: number, y0: number, x1: number, y1: number): GridPolygon[] {
  const W = x1 - x0 + 1;
  const key = (x: number, y: number) => (y - y0) * W + (x - x0);
  // Directed edges keyed by start vertex; up to two per vertex (pinch).
  const out = new Map<number, [number, number, number, number][]>();
  const add = (ax: number, ay: number, bx: number, by: number) => {
    const k = key(ax, ay);
    const l = out.get(k);
    if (l) l.push([ax, ay, bx, by]);
    else out.set(k, [[ax, ay, bx, by]]);
  };
  const at = (x: number, y: number) => x >= x0 && x < x1 && y >= y0 && y < y1 && inside(x, y);
  for (let y = y0; y < y1; y++)
    for (let x = x0; x < x1; x++) {
      if (!at(x, y)) continue;
      if (!at(x, y - 1)) add(x, y, x + 1, y);
      if (!at(x + 1, y)) add(x + 1, y, x + 1, y + 1);
      if (!at(x, y + 1)) add(x + 1, y + 1, x, y + 1);
      if (!at(x - 1, y)) add(x, y + 1, x, y);
    }
  const rings: Ring[] = [];
  for (;;) {
    const startList = out.values().next();
    if (startList.done) break;
    const first = startList.value[0];
    const ring: Ring = [];
    let e = first;
    for (;;) {
      const k = key(e[0], e[1]);
      const l = out.get(k)!;
      l.splice(l.indexOf(e), 1);
      if (l.length === 0) out.delete(k);
      ring.push([e[0], e[1]]);
      const nk = key(e[2], e[3]);
      const next = out.get(nk);
      if (!next) break;
      const dx = e[2] - e[0];
      const dy = e[3] - e[1];
      let best = next[0];
      let bestCross = -Infinity;
      for (const c of next) {
        const cross = dx * (c[3] - c[1]) - dy * (c[2] - c[0]);
        if (cross > bestCross) {
          bestCross = cross;
          best = c;
        }
      }
      e = best;
    }
    // Drop collinear vertices.
    const clean: Ring = [];
    for (let i = 0; i < ring.length; i++) {
      const p = ring[(i - 1 + ring.length) % ring.length];
      const c = ring[i];
      const n = ring[(i + 1) % ring.length];
      if ((c[0] - p[0]) * (n[1] - c[1]) - (c[1] - p[1]) * (n[0] - c[0]) !== 0) clean.push(c);
    }
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
