/** A uniform grid over segments in a local metric plane, for nearest-segment and overlap queries. */
export class SegmentGrid {
  private readonly cells = new Map<number, number[]>();
  constructor(
    readonly cellM: number,
    /** Segment endpoints: ax, ay, bx, by per segment. */
    readonly coords: Float64Array,
  ) {
    const n = coords.length / 4;
    for (let s = 0; s < n; s++) {
      const [x0, y0, x1, y1] = this.cellBox(s);
      for (let cx = x0; cx <= x1; cx++)
        for (let cy = y0; cy <= y1; cy++) {
          const k = key(cx, cy);
          let list = this.cells.get(k);
          if (!list) this.cells.set(k, (list = []));
          list.push(s);
        }
    }
  }

  /** Every pair of segments sharing a cell, each pair once (a < b), in a deterministic order. */
  *pairs(): Generator<[number, number]> {
    const seen = new Set<number>();
    const n = this.coords.length / 4;
    for (const list of this.cells.values()) {
      for (let i = 0; i < list.length; i++)
        for (let j = i + 1; j < list.length; j++) {
          const a = Math.min(list[i], list[j]);
          const b = Math.max(list[i], list[j]);
          const k = a * n + b;
          if (seen.has(k)) continue;
          seen.add(k);
          yield [a, b];
        }
    }
  }

  cellBox(s: number): [number, number, number, number] {
    const c = this.coords;
    const f = (v: number): number => Math.floor(v / this.cellM);
    return [
      f(Math.min(c[4 * s], c[4 * s + 2])),
      f(Math.min(c[4 * s + 1], c[4 * s + 3])),
      f(Math.max(c[4 * s], c[4 * s + 2])),
      f(Math.max(c[4 * s + 1], c[4 * s + 3])),
    ];
  }

  /** Segments sharing a cell with segment `s` or with the box around (x, y) of radius r. */
  near(x: number, y: number, r: number, out: Set<number> = new Set()): Set<number> {
    const f = (v: number): number => Math.floor(v / this.cellM);
    for (let cx = f(x - r); cx <= f(x + r); cx++)
      for (let cy = f(y - r); cy <= f(y + r); cy++) {
        const list = this.cells.get(key(cx, cy));
        if (list) for (const s of list) out.add(s);
      }
    return out;
  }

  /** Nearest segment to (x, y) within `maxR` accepted by `accept`: [segment, t along it, distance], or null. */
  nearest(x: number, y: number, maxR: number, accept: (s: number) => boolean = () => true): [number, number, number] | null {
    let best: [number, number, number] | null = null;
    for (let r = this.cellM; ; r *= 2) {
      const rr = Math.min(r, maxR);
      for (const s of this.near(x, y, rr)) {
        if (!accept(s)) continue;
        const [t, d] = projectOnSegment(this.coords, s, x, y);
        if (d <= maxR && (!best || d < best[2] || (d === best[2] && s < best[0]))) best = [s, t, d];
      }
      if ((best && best[2] <= rr) || rr >= maxR) return best;
    }
  }
}

function key(cx: number, cy: number): number {
  return (cx + 1_048_576) * 2_097_152 + (cy + 1_048_576);
}

/** Projection of (x, y) on segment s: [t in 0..1, distance]. */
export function projectOnSegment(c: Float64Array, s: number, x: number, y: number): [number, number] {
  const ax = c[4 * s],
    ay = c[4 * s + 1],
    bx = c[4 * s + 2],
    by = c[4 * s + 3];
  const dx = bx - ax,
    dy = by - ay;
  const L2 = dx * dx + dy * dy;
  let t = L2 > 0 ? ((x - ax) * dx + (y - ay) * dy) / L2 : 0;
  t = Math.max(0, Math.min(1, t));
  return [t, Math.hypot(ax + t * dx - x, ay + t * dy - y)];
}
