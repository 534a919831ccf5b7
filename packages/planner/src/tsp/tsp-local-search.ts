import type { ArrayTour } from './array-tour';

const EPS = 1e-9;

/**
 * 2-opt and Or-opt (segments of 1–3 cities, both orientations) on an {@link ArrayTour}, over
 * neighbour lists with don't-look bits: only cities in the queue are tried, and a city joins the
 * queue when a move touches it. First improvement; symmetric costs.
 */
export class TspLocalSearch {
  private readonly queue: Int32Array;
  private readonly inQ: Uint8Array;
  private qHead = 0;
  private qLen = 0;

  /**
   * @param D the cost matrix, `D[i * n + j]`
   * @param neigh each city's `k` nearest, `neigh[i * k .. i * k + k − 1]`
   */
  constructor(
    private readonly cur: ArrayTour,
    private readonly D: ArrayLike<number>,
    private readonly n: number,
    private readonly neigh: Int32Array,
    private readonly k: number,
  ) {
    this.queue = new Int32Array(n);
    this.inQ = new Uint8Array(n);
  }

  /** Queues city `c` to be tried (once while queued). */
  push(c: number): void {
    if (this.inQ[c]) return;
    this.inQ[c] = 1;
    this.queue[(this.qHead + this.qLen) % this.n] = c;
    this.qLen++;
  }

  /** Improves until no queued city has an improving move. @returns the change in tour cost (≤ 0). */
  run(): number {
    let total = 0;
    while (this.qLen > 0) {
      const a = this.queue[this.qHead];
      this.qHead = (this.qHead + 1) % this.n;
      this.qLen--;
      this.inQ[a] = 0;
      for (;;) {
        let d = this.improve2opt(a);
        if (d === 0) d = this.improveOr(a);
        if (d === 0) break;
        total += d;
      }
    }
    return total;
  }

  /** The first improving 2-opt move at city `a`, made; its delta, or 0. */
  private improve2opt(a: number): number {
    const { cur, D, n, neigh, k } = this;
    for (let dir = 0; dir < 2; dir++) {
      const b = dir === 0 ? cur.succ(a) : cur.pred(a);
      const dab = D[a * n + b];
      for (let t = 0; t < k; t++) {
        const c = neigh[a * k + t];
        const dac = D[a * n + c];
        if (dac >= dab - EPS) break;
        const d = dir === 0 ? cur.succ(c) : cur.pred(c);
        if (c === b || d === a) continue;
        const delta = dac + D[b * n + d] - dab - D[c * n + d];
        if (delta < -EPS) {
          cur.move2opt(a, b, c, d);
          this.push(a);
          this.push(b);
          this.push(c);
          this.push(d);
          return delta;
        }
      }
    }
    return 0;
  }

  /** The first improving Or-opt move of a 1–3-city segment starting at `a`, made; its delta, or 0. */
  private improveOr(a: number): number {
    const { cur, D, n } = this;
    for (let dir = 0; dir < 2; dir++) {
      let s2 = a;
      let mid = -1;
      for (let len = 1; len <= 3 && len + 3 <= n; len++) {
        if (len > 1) {
          if (len === 3) mid = s2;
          s2 = dir === 0 ? cur.succ(s2) : cur.pred(s2);
        }
        const s1 = a;
        const p = dir === 0 ? cur.pred(s1) : cur.succ(s1);
        const nx = dir === 0 ? cur.succ(s2) : cur.pred(s2);
        if (nx === p) break;
        const gain = D[p * n + s1] + D[s2 * n + nx] - D[p * n + nx];
        if (gain <= EPS) continue;
        const delta = this.reinsertSegment(p, s1, s2, nx, mid, gain);
        if (delta < 0) return delta;
      }
    }
    return 0;
  }

  /** Moves the segment s1..s2 (between p and nx; `gain` saved by cutting it out) next to a neighbour of one of its ends if that pays. */
  private reinsertSegment(p: number, s1: number, s2: number, nx: number, mid: number, gain: number): number {
    const { cur, D, n, neigh, k } = this;
    for (let end = 0; end < 2; end++) {
      const x = end === 0 ? s1 : s2; // the segment end joined to c
      const y = end === 0 ? s2 : s1;
      for (let t = 0; t < k; t++) {
        const c = neigh[x * k + t];
        const dxc = D[x * n + c];
        if (dxc >= gain - EPS) break;
        if (c === s1 || c === s2 || c === mid || c === p || c === nx) continue;
        for (let side = 0; side < 2; side++) {
          const e = side === 0 ? cur.succ(c) : cur.pred(c);
          if (e === s1 || e === s2 || e === mid || e === p || e === nx) continue;
          const delta = dxc + D[y * n + e] - D[c * n + e] - gain;
          if (delta < -EPS) {
            this.orMove(p, s1, s2, nx, c, e, x === s1);
            this.push(p);
            this.push(nx);
            this.push(s1);
            this.push(s2);
            this.push(c);
            this.push(e);
            return delta;
          }
        }
      }
    }
    return 0;
  }

  /** The Or-opt move as two or three 2-opt moves (the array tour's only primitive). */
  private orMove(p: number, s1: number, s2: number, nx: number, c: number, e: number, cToS1: boolean): void {
    const cur = this.cur;
    const fwd = cur.succ(p) === s1;
    if ((fwd && cur.succ(c) === e) || (!fwd && cur.pred(c) === e)) {
      cur.move2opt(p, s1, c, e);
      cur.move2opt(p, c, nx, s2);
      if (cToS1) cur.move2opt(c, s2, s1, e);
    } else {
      cur.move2opt(nx, s2, c, e);
      cur.move2opt(nx, c, p, s1);
      if (!cToS1) cur.move2opt(c, s1, s2, e);
    }
  }
}
