import { TwRoute } from './tw-route';
import type { VrpModel } from './vrp-model';

/**
 * A solution under search: one {@link TwRoute} per vehicle, where each job is (route and position),
 * the jobs in no route, and the makespan. Changes go through {@link insert} and {@link remove},
 * which remember each touched route's previous order so that a rejected ruin-and-recreate step
 * can be undone with {@link rollback} (or kept with {@link commit}).
 */
export class VrpState {
  readonly routes: TwRoute[];
  /** Route of each job, −1 when unassigned. */
  readonly routeOf: Int32Array;
  /** Position of each job in its route (0-based), valid while it is assigned. */
  readonly idxOf: Int32Array;
  /** The longest route's finish (see {@link TwRoute.finishS}); kept only when the makespan counts. */
  maxFinishS = 0;
  /** Jobs in no route: the ones a ruin removed, waiting for recreate, then those it left out. */
  readonly unassigned: number[] = [];
  /** 1 for jobs removed by the current ruin and not yet offered to recreate. */
  readonly fresh: Uint8Array;
  /** Previous order of each route touched since the last commit, in the order touched. */
  private readonly saved = new Map<number, number[]>();
  private readonly isSaved: Uint8Array;
  /** Where the scan for an empty vehicle of each class starts (rotating, amortised O(1)). */
  private readonly emptyPtr: Int32Array;

  constructor(readonly model: VrpModel) {
    const nj = model.jobNode.length;
    const nv = model.vehicles.length;
    this.routes = Array.from({ length: nv }, (_, r) => new TwRoute(model, r));
    this.routeOf = new Int32Array(nj).fill(-1);
    this.idxOf = new Int32Array(nj);
    this.fresh = new Uint8Array(nj);
    this.isSaved = new Uint8Array(nv);
    this.emptyPtr = new Int32Array(model.classMembers.length);
    for (let r = 0; r < nv; r++) this.refresh(r);
  }

  /** Recomputes route `r`'s schedule and costs, its jobs' positions and the makespan. */
  refresh(r: number): void {
    const route = this.routes[r];
    const before = route.finishS;
    route.refresh();
    route.jobs.forEach((j, i) => {
      this.idxOf[j] = i;
      this.routeOf[j] = r;
    });
    if (this.model.spanW > 0) this.updateMaxFinish(before, route.finishS);
  }

  private updateMaxFinish(before: number, after: number): void {
    if (after >= this.maxFinishS) this.maxFinishS = after;
    else if (before >= this.maxFinishS) {
      this.maxFinishS = 0;
      for (const q of this.routes) if (q.finishS > this.maxFinishS) this.maxFinishS = q.finishS;
    }
  }

  /** Replaces route `r`'s order (jobs it drops are not marked unassigned: the caller knows where they go). */
  setRoute(r: number, jobs: number[]): void {
    this.routes[r].jobs = jobs;
    this.refresh(r);
  }

  /** Inserts job `u` into route `r` at position `i`. */
  insert(u: number, r: number, i: number): void {
    this.touch(r);
    this.routes[r].jobs.splice(i, 0, u);
    this.refresh(r);
  }

  /** Takes job `u` out of its route (it does not join {@link unassigned}: the caller decides). */
  remove(u: number): void {
    const r = this.routeOf[u];
    this.touch(r);
    this.routes[r].jobs.splice(this.idxOf[u], 1);
    this.routeOf[u] = -1;
    this.refresh(r);
  }

  /** Whether route `r` changed since the last commit. */
  isTouched(r: number): boolean {
    return this.isSaved[r] === 1;
  }

  /** The routes changed since the last commit, in the order first changed. */
  touchedRoutes(): IterableIterator<number> {
    return this.saved.keys();
  }

  private touch(r: number): void {
    if (!this.isSaved[r]) {
      this.saved.set(r, this.routes[r].jobs.slice());
      this.isSaved[r] = 1;
    }
  }

  /** Keeps the changes since the last commit. */
  commit(): void {
    for (const r of this.saved.keys()) this.isSaved[r] = 0;
    this.saved.clear();
  }

  /** Undoes the changes since the last commit; `unassignedBefore` is what {@link unassigned} was then. */
  rollback(unassignedBefore: readonly number[]): void {
    for (const [r, jobs] of this.saved) {
      for (const u of this.routes[r].jobs) this.routeOf[u] = -1;
      this.routes[r].jobs = jobs;
    }
    for (const u of this.unassigned) this.routeOf[u] = -1;
    for (const [r] of this.saved) this.refresh(r);
    this.unassigned.length = 0;
    this.unassigned.push(...unassignedBefore);
    this.commit();
  }

  /** Some empty vehicle of class `c`, or −1 when all of them have work. */
  emptyRouteOfClass(c: number): number {
    const list = this.model.classMembers[c];
    for (let k = 0; k < list.length; k++) {
      const q = (this.emptyPtr[c] + k) % list.length;
      if (this.routes[list[q]].jobs.length === 0) {
        this.emptyPtr[c] = q;
        return list[q];
      }
    }
    return -1;
  }

  /** The objective: route costs, penalties of the unassigned jobs and the makespan term. */
  totalCost(): number {
    let s = 0;
    for (const route of this.routes) s += route.cost;
    for (const u of this.unassigned) s += this.model.penalty[u];
    return s + this.model.spanW * this.maxFinishS;
  }

  /** Total travel cost over all routes. */
  travel(): number {
    let s = 0;
    for (const route of this.routes) s += route.travel;
    return s;
  }

  /** Mean travel per routed job (1 when nothing is routed): the scale of the annealing temperature. */
  travelPerJob(): number {
    let s = 0;
    let m = 0;
    for (const route of this.routes) {
      s += route.travel;
      m += route.jobs.length;
    }
    return m ? s / m : 1;
  }

  /** Copies of the routes' job orders. */
  routeOrders(): number[][] {
    return this.routes.map((r) => r.jobs.slice());
  }
}
