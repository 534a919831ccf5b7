/**
 * A tour stored as an array of cities plus each city's position, with 2-opt moves done by
 * reversing the shorter side of the cycle (so a move costs at most n/2 swaps).
 */
export class ArrayTour {
  readonly n: number;
  readonly tour: Int32Array;
  readonly pos: Int32Array;

  constructor(order: ArrayLike<number>) {
    this.n = order.length;
    this.tour = Int32Array.from(order);
    this.pos = new Int32Array(this.n);
    for (let i = 0; i < this.n; i++) this.pos[this.tour[i]] = i;
  }

  succ(c: number): number {
    const p = this.pos[c] + 1;
    return this.tour[p === this.n ? 0 : p];
  }

  pred(c: number): number {
    const p = this.pos[c];
    return this.tour[p === 0 ? this.n - 1 : p - 1];
  }

  /** Reverses the forward path from city `from` to city `to` (or, equivalently, its complement). */
  reversePath(from: number, to: number): void {
    const n = this.n;
    const tour = this.tour;
    const pos = this.pos;
    let i = pos[from];
    let j = pos[to];
    let len = j - i;
    if (len < 0) len += n;
    len += 1;
    if (2 * len > n) {
      const ni = j + 1 === n ? 0 : j + 1;
      j = i === 0 ? n - 1 : i - 1;
      i = ni;
      len = n - len;
    }
    for (let k = len >> 1; k > 0; k--) {
      const ci = tour[i];
      const cj = tour[j];
      tour[i] = cj;
      pos[cj] = i;
      tour[j] = ci;
      pos[ci] = j;
      i = i + 1 === n ? 0 : i + 1;
      j = j === 0 ? n - 1 : j - 1;
    }
  }

  /**
   * Replaces edges (a,b) and (c,d) by (a,c) and (b,d). `b` must follow `a` and `d` follow `c`
   * in the same direction (both successors or both predecessors).
   */
  move2opt(a: number, b: number, c: number, d: number): void {
    if (this.succ(a) === b) this.reversePath(b, c);
    else this.reversePath(c, b);
    void d;
  }

  /** Copies another tour's state into this one (same n). */
  copyFrom(other: ArrayTour): void {
    this.tour.set(other.tour);
    this.pos.set(other.pos);
  }

  /** The cities in tour order starting at `start`. */
  order(start = this.tour[0]): number[] {
    const out: number[] = [];
    let p = this.pos[start];
    for (let k = 0; k < this.n; k++) {
      out.push(this.tour[p]);
      p = p + 1 === this.n ? 0 : p + 1;
    }
    return out;
  }
}
