import { routeSchedule } from './route-schedule';
import type { VrpProblem } from './vrp-problem';

/**
 * Intra-route 2-opt and Or-opt (segments of 1–3 jobs moved in the same orientation, so valid for
 * asymmetric costs) on vehicle `v`'s route, first improvement, until no move helps or `maxPasses`
 * moves were made. Cost deltas are O(1) from prefix sums of the forward and backward leg costs;
 * an improving move is kept only if the route stays feasible (windows, shift, stops, capacity).
 * @returns a better order, or the same array if none was found.
 */
export function improveRouteOrder(p: VrpProblem, v: number, route: number[], maxPasses = 1000): number[] {
  const C = p.cost;
  const n = p.n;
  const veh = p.vehicles[v];
  let cur = route;
  for (let pass = 0; pass < maxPasses; pass++) {
    const m = cur.length;
    if (m < 2) break;
    const N = new Int32Array(m + 2);
    N[0] = veh.startNode;
    for (let i = 0; i < m; i++) N[i + 1] = p.jobs[cur[i]].node;
    N[m + 1] = veh.endNode;
    const F = new Float64Array(m + 2);
    const B = new Float64Array(m + 2);
    for (let i = 0; i <= m; i++) {
      F[i + 1] = F[i] + C[N[i] * n + N[i + 1]];
      B[i + 1] = B[i] + C[N[i + 1] * n + N[i]];
    }
    const ok = (cand: number[]): boolean => routeSchedule(p, v, cand).ok;
    let next: number[] | null = null;
    outer: for (let i = 1; i < m; i++) {
      for (let j = i + 1; j <= m; j++) {
        const old = C[N[i - 1] * n + N[i]] + (F[j] - F[i]) + C[N[j] * n + N[j + 1]];
        const nw = C[N[i - 1] * n + N[j]] + (B[j] - B[i]) + C[N[i] * n + N[j + 1]];
        if (nw < old - 1e-9) {
          const cand = cur.slice(0, i - 1).concat(cur.slice(i - 1, j).reverse(), cur.slice(j));
          if (ok(cand)) {
            next = cand;
            break outer;
          }
        }
      }
    }
    if (!next) {
      outer2: for (let L = 1; L <= 3 && L < m; L++) {
        for (let i = 1; i + L - 1 <= m; i++) {
          const a = N[i - 1],
            s1 = N[i],
            s2 = N[i + L - 1],
            b = N[i + L];
          const rem = C[a * n + s1] + C[s2 * n + b] - C[a * n + b];
          if (rem <= 1e-9) continue;
          for (let q = 0; q <= m; q++) {
            if (q >= i - 1 && q <= i + L - 1) continue;
            const ins = C[N[q] * n + s1] + C[s2 * n + N[q + 1]] - C[N[q] * n + N[q + 1]];
            if (ins - rem < -1e-9) {
              const seg = cur.slice(i - 1, i - 1 + L);
              const rest = cur.slice(0, i - 1).concat(cur.slice(i - 1 + L));
              const at = q < i ? q : q - L;
              const cand = rest.slice(0, at).concat(seg, rest.slice(at));
              if (ok(cand)) {
                next = cand;
                break outer2;
              }
            }
          }
        }
      }
    }
    if (!next) break;
    cur = next;
  }
  return cur;
}
