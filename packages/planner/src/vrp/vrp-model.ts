import { jobNeighbours } from './job-neighbours';
import type { VrpProblem, VrpVehicle } from './vrp-problem';

/** How many nearest jobs form each job's granular neighbourhood (ruin seeds and insertion spots). */
const NEIGHBOURS = 40;

/**
 * A {@link VrpProblem} laid out for the search: job fields in flat typed arrays, each job's nearest
 * jobs, and vehicles grouped into classes of interchangeable ones. Built once per solve, never changed.
 */
export interface VrpModel {
  readonly problem: VrpProblem;
  /** Matrix size and the row-major travel cost. */
  readonly n: number;
  readonly cost: ArrayLike<number>;
  readonly vehicles: readonly VrpVehicle[];
  readonly jobNode: Int32Array;
  readonly serviceS: Float64Array;
  readonly demand: Float64Array;
  readonly earliestS: Float64Array;
  readonly latestS: Float64Array;
  readonly penalty: Float64Array;
  readonly weight: Float64Array;
  /** Weight of Σ work² per second (the problem's balanceWeight ÷ 3600). */
  readonly balanceW: number;
  /** Weight of the longest route's finish (makespan). */
  readonly spanW: number;
  /** Neighbours per job; job u's list is `neighbours[u * k .. u * k + k - 1]`, nearest first. */
  readonly k: number;
  readonly neighbours: Int32Array;
  /** Class of each vehicle: vehicles of one class are interchangeable while empty. */
  readonly vehicleClass: Int32Array;
  /** The vehicles of each class, in index order. */
  readonly classMembers: readonly number[][];
}

/** Lays out a problem for the search (O(jobs²) for the neighbour lists). */
export function vrpModel(p: VrpProblem): VrpModel {
  const jobs = p.jobs;
  const jobNode = Int32Array.from(jobs, (j) => j.node);
  const k = Math.min(NEIGHBOURS, Math.max(0, jobs.length - 1));
  const { vehicleClass, classMembers } = vehicleClasses(p.vehicles);
  return {
    problem: p,
    n: p.n,
    cost: p.cost,
    vehicles: p.vehicles,
    jobNode,
    serviceS: Float64Array.from(jobs, (j) => j.serviceS),
    demand: Float64Array.from(jobs, (j) => j.demand),
    earliestS: Float64Array.from(jobs, (j) => j.earliestS),
    latestS: Float64Array.from(jobs, (j) => j.latestS),
    penalty: Float64Array.from(jobs, (j) => j.penalty),
    weight: Float64Array.from(jobs, (j) => j.weight),
    balanceW: (p.balanceWeight ?? 0) / 3600,
    spanW: p.makespanWeight ?? 0,
    k,
    neighbours: jobNeighbours(p.cost, p.n, jobNode, k),
    vehicleClass,
    classMembers,
  };
}

/** Groups vehicles with identical parameters: an empty one of a class stands for all its empty siblings. */
function vehicleClasses(vehicles: readonly VrpVehicle[]): { vehicleClass: Int32Array; classMembers: number[][] } {
  const vehicleClass = new Int32Array(vehicles.length);
  const keys = new Map<string, number>();
  vehicles.forEach((v, i) => {
    const key = `${v.startNode}|${v.endNode}|${v.shiftStartS}|${v.shiftEndS}|${v.capacity}|${v.maxStops}|${v.jobCost ?? 0}`;
    if (!keys.has(key)) keys.set(key, keys.size);
    vehicleClass[i] = keys.get(key)!;
  });
  const classMembers: number[][] = Array.from({ length: keys.size }, () => []);
  vehicleClass.forEach((c, r) => classMembers[c].push(r));
  return { vehicleClass, classMembers };
}
