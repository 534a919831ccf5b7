import type { VrpModel } from './vrp-model';
import type { VrpVehicle } from './vrp-problem';

/**
 * One vehicle's route with its schedule cached, in the manner of VROOM's `TWRoute`: for every
 * position the earliest service start (forward pass) and the latest start that keeps every later
 * stop on time (backward pass), plus the load, travel, work and cost. With both cached, whether a
 * job fits between two stops, and what it costs, is O(1). Positions: 0 is the departure from the
 * start node, 1..m the jobs, m + 1 the arrival at the end node.
 */
export class TwRoute {
  /** Job indices in visiting order. Call {@link refresh} after changing them. */
  jobs: number[] = [];
  /** Earliest service start per position. */
  earliest = new Float64Array(2);
  /** Latest service start per position that keeps the rest of the route on time; the slack is `latest − earliest`. */
  latest = new Float64Array(2);
  /** Total demand served. */
  load = 0;
  /** Total travel cost. */
  travel = 0;
  /** Travel + service + job costs of a non-empty route (0 when empty): the quantity the balance term squares. */
  work = 0;
  /** The route's share of the objective: travel, balance term and job costs. */
  cost = 0;
  /** Duration plus the vehicle's makespan offset (0 when empty); kept only when the makespan counts. */
  finishS = 0;
  private readonly v: VrpVehicle;
  private readonly jobCost: number;

  constructor(
    private readonly model: VrpModel,
    readonly vehicle: number,
  ) {
    this.v = model.vehicles[vehicle];
    this.jobCost = this.v.jobCost ?? 0;
  }

  /** The matrix node at position `i`. */
  nodeAt(i: number): number {
    if (i === 0) return this.v.startNode;
    if (i > this.jobs.length) return this.v.endNode;
    return this.model.jobNode[this.jobs[i - 1]];
  }

  /** Recomputes the schedule, load and costs from {@link jobs}. */
  refresh(): void {
    const { cost: C, n, jobNode, serviceS, demand, earliestS, weight, balanceW, spanW } = this.model;
    const route = this.jobs;
    const v = this.v;
    const m = route.length;
    if (this.earliest.length !== m + 2) {
      this.earliest = new Float64Array(m + 2);
      this.latest = new Float64Array(m + 2);
    }
    const S = this.earliest;
    let t = v.shiftStartS;
    let node = v.startNode;
    let tr = 0;
    let ld = 0;
    let w = 0;
    let sumWeight = 0;
    S[0] = t;
    for (let i = 0; i < m; i++) {
      const j = route[i];
      const c = C[node * n + jobNode[j]];
      tr += c;
      t = Math.max(t + c, earliestS[j]);
      S[i + 1] = t;
      t += serviceS[j];
      ld += demand[j];
      w += serviceS[j] + weight[j] * this.jobCost;
      sumWeight += weight[j];
      node = jobNode[j];
    }
    const c = C[node * n + v.endNode];
    tr += c;
    S[m + 1] = t + c;
    this.refreshLatest();
    this.load = ld;
    this.travel = tr;
    this.work = m === 0 ? 0 : tr + w;
    this.cost = tr + (m === 0 ? 0 : balanceW * (tr + w) * (tr + w)) + sumWeight * this.jobCost;
    if (spanW > 0) this.finishS = m === 0 ? 0 : S[m + 1] - v.shiftStartS + (v.makespanOffsetS ?? 0);
  }

  /** The backward pass: latest starts from the shift's end back to the departure. */
  private refreshLatest(): void {
    const { cost: C, n, jobNode, serviceS, latestS } = this.model;
    const route = this.jobs;
    const m = route.length;
    const Lt = this.latest;
    Lt[m + 1] = this.v.shiftEndS;
    for (let i = m; i >= 1; i--) {
      const j = route[i - 1];
      Lt[i] = Math.min(latestS[j], Lt[i + 1] - serviceS[j] - C[jobNode[j] * n + this.nodeAt(i + 1)]);
    }
    Lt[0] = Lt[1] - C[this.v.startNode * n + this.nodeAt(1)];
  }

  /**
   * Objective increase of inserting job `u` between positions `i` and `i + 1` (0 ≤ i ≤ m), or
   * Infinity when the stop limit, capacity, the job's window or a later stop's window forbids it.
   * `maxFinishS` is the current makespan (the longest route's finish over all routes).
   */
  insertionDelta(u: number, i: number, maxFinishS: number): number {
    const { cost: C, n, jobNode, serviceS, demand, earliestS, latestS, weight, balanceW, spanW } = this.model;
    const route = this.jobs;
    const v = this.v;
    if (route.length >= v.maxStops || this.load + demand[u] > v.capacity + 1e-9) return Infinity;
    const a = this.nodeAt(i);
    const b = this.nodeAt(i + 1);
    const nu = jobNode[u];
    const cau = C[a * n + nu];
    const cub = C[nu * n + b];
    const S = this.earliest;
    const depart = i === 0 ? S[0] : S[i] + serviceS[route[i - 1]];
    const su = Math.max(depart + cau, earliestS[u]);
    if (su > latestS[u] + 1e-6) return Infinity;
    const arrB = su + serviceS[u] + cub;
    const sb = i + 1 > route.length ? arrB : Math.max(arrB, earliestS[route[i]]);
    if (sb > this.latest[i + 1] + 1e-6) return Infinity;
    const dTravel = cau + cub - C[a * n + b];
    let delta = dTravel + weight[u] * this.jobCost;
    if (balanceW > 0) {
      const w0 = this.work;
      const w1 = (route.length === 0 ? this.travel : w0) + dTravel + serviceS[u] + weight[u] * this.jobCost;
      delta += balanceW * (w1 * w1 - w0 * w0);
    }
    if (spanW > 0) {
      // The route's new duration, waiting aside: only growth beyond the current longest route costs.
      const d1 = (route.length === 0 ? (v.makespanOffsetS ?? 0) : this.finishS) + dTravel + serviceS[u];
      if (d1 > maxFinishS) delta += spanW * (d1 - maxFinishS);
    }
    return delta;
  }

  /** Whether the cached schedule keeps the stop limit, the capacity, every window and the shift. */
  isFeasible(): boolean {
    if (this.jobs.length > this.v.maxStops || this.load > this.v.capacity + 1e-9) return false;
    for (let i = 1; i <= this.jobs.length + 1; i++) if (this.earliest[i] > this.latest[i] + 1e-6) return false;
    return true;
  }
}
