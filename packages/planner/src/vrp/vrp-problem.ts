/**
 * The index-based vehicle-routing problem solved by {@link solveVrp}: jobs at nodes of a dense
 * travel-cost matrix (seconds, or any additive unit; may be asymmetric), vehicles with their
 * own start and end nodes, shift, capacity and stop limit. Unserved jobs cost their `penalty`.
 */
export interface VrpJob {
  /** Row/column of the matrix. */
  node: number;
  /** Service duration at the job (same unit as the matrix). */
  serviceS: number;
  /** Load taken by the job (capacity dimension); 0 for inspections. */
  demand: number;
  /** Earliest service start (absolute, same clock as the vehicles' shifts). */
  earliestS: number;
  /** Latest service start. */
  latestS: number;
  /** Cost added to the objective when the job is not served (priority × a big constant). */
  penalty: number;
  /** Cost per unit of {@link VrpVehicle.jobCost} when served by a vehicle (e.g. priority × day). */
  weight: number;
}

/** One route's vehicle: a team on one day. */
export interface VrpVehicle {
  startNode: number;
  endNode: number;
  shiftStartS: number;
  /** Latest arrival back at `endNode`. */
  shiftEndS: number;
  capacity: number;
  maxStops: number;
  /** Extra objective cost per unit of job weight served on this vehicle (e.g. later days cost more). Default 0. */
  jobCost?: number;
  /** Added to this vehicle's route duration when the makespan is measured (e.g. its day × 24 h, so finishing a day earlier counts most). Default 0. */
  makespanOffsetS?: number;
}

/** A problem for {@link solveVrp}. */
export interface VrpProblem {
  /** Matrix size. */
  n: number;
  /** Travel cost/time, row-major `cost[i * n + j]`. */
  cost: ArrayLike<number>;
  jobs: VrpJob[];
  vehicles: VrpVehicle[];
  /** Weight of Σ (route work)² / 3600, which spreads work over vehicles. Default 0. */
  balanceWeight?: number;
  /** Weight of the longest route's duration (makespan: the latest return), added to the objective. Default 0. */
  makespanWeight?: number;
}

/** Options of {@link solveVrp}. */
export interface VrpOptions {
  seed?: number;
  /** Wall-clock limit (ms). Default 2000. */
  timeLimitMs?: number;
  /** Iteration limit (deterministic runs). */
  maxIterations?: number;
  /** Start from these routes (job indices per vehicle) instead of constructing. */
  initialRoutes?: number[][];
  /** Skip ruin-and-recreate: only insert jobs missing from `initialRoutes` (keeps the order stable). */
  insertOnly?: boolean;
  /** Also polish the routes changed by each ruin-and-recreate with intra-route 2-opt/Or-opt (the final routes always are). Default false: on CVRPLIB more iterations pay better. */
  intraRouteSearch?: boolean;
  /** Stops the search early (the best solution so far is returned). */
  signal?: AbortSignal;
  /** Called every ~200 iterations with the fraction done (0..1) and the best cost. */
  onProgress?: (fraction: number, bestCost: number) => void;
}

/** Result of {@link solveVrp}. */
export interface VrpSolution {
  /** Job indices per vehicle, in visiting order. */
  routes: number[][];
  /** Jobs not served. */
  unassigned: number[];
  /** Objective: travel + penalties + job costs + balance. */
  cost: number;
  /** Total travel cost over all routes. */
  travel: number;
  iterations: number;
}
