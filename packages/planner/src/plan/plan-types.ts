import type { StopInfo } from '@tiandi/api';
import type { LonLat } from '@tiandi/geo';
import type { RoadNetwork } from '../network/build-network';
import type { UnassignedReason } from '../errors';
import type { ElevationAt } from '../network/terrain';

/** A place to inspect. Times are seconds after local midnight of the day it is visited. */
export interface PlanTarget {
  id: string;
  /** Where the team goes: the point, or the plot's centroid. */
  lonLat: LonLat;
  /** The plot's outer ring, if a polygon: the access point is where the plot is nearest to the network. */
  outline?: LonLat[];
  /** Larger is more urgent; unserved priority is what the plan minimises first. */
  priority: number;
  /** Time on site (s). */
  serviceS: number;
  /** Optional time window for starting the inspection (s after midnight). */
  earliestS?: number;
  latestS?: number;
  areaM2?: number;
  /** What the team is told about the place (village, score, model, what to look for). */
  info?: Partial<StopInfo>;
}

/** What a team needs to know at a stop, beyond where and when: the API's contract, which the phone reads. */
export type { StopInfo } from '@tiandi/api';

/** A ground team: where it starts and ends each day and how long it works. */
export interface PlanTeam {
  id: string;
  name?: string;
  start: LonLat;
  /** Default: back at `start`. */
  end?: LonLat;
  /** Shift start, seconds after midnight. Default 8:00 (28 800). */
  shiftStartS?: number;
  /** Shift length including travel, service and the break (s). */
  shiftS: number;
  /** Most stops per day. */
  maxStops?: number;
}

/** How teams travel. */
export interface TravelSettings {
  /** Walking speed off the network and on footpaths (km/h). Default 4. */
  walkKmh?: number;
  /** Farthest walk from the network to a plot or depot (m). Default 2000. */
  maxWalkM?: number;
  /** Longest straight walk between two places instead of the network (m). Default 300. */
  maxDirectWalkM?: number;
  /** Ground heights (a DEM, see `elevationFromHgt`/`elevationFromGeoTiff` in the CLI): walks follow Tobler's hiking function. Not cloneable: set it in the worker. */
  elevation?: ElevationAt;
  /** Without a network: straight-line distance × this factor. Default 1.3. */
  detourFactor?: number;
  /** Without a network: the single travel speed (km/h). Default 30. */
  speedKmh?: number;
}

/** The midday break: `durationS` taken at the first stop reached after `earliestS`. */
export interface BreakSettings {
  earliestS: number;
  durationS: number;
}

/** Everything {@link planRoutes} needs. */
export interface PlanProblem {
  targets: PlanTarget[];
  teams: PlanTeam[];
  /** Working days; each day's routes start and end at the depots. Default 1. */
  days?: number;
  /** Daylight window applied to every target (s after midnight), unless the target has its own. */
  daylight?: { earliestS: number; latestS: number };
  break?: BreakSettings;
  /** Road and track network; without it travel is geodesic × detour at one speed. */
  network?: RoadNetwork;
  travel?: TravelSettings;
  /** Ids already inspected: left out of the plan. */
  visited?: string[];
  /** Re-planning: keep each team's remaining order from this plan where possible. */
  previous?: Plan;
  /** Calendar date of day 0 (YYYY-MM-DD), written into the plan. */
  date?: string;
}

/** Options of {@link planRoutes}. */
export interface PlanOptions {
  seed?: number;
  /** Optimisation time limit (ms). Default 1500. */
  timeLimitMs?: number;
  /** Iteration limit, for deterministic results. */
  maxIterations?: number;
  /** Weight of workload balance between teams. Default 0.01 (Σ work² / 3600 s). */
  balanceWeight?: number;
  /**
   * 'makespan' (default): finish soonest — the latest team's return counts as much as all teams'
   * travel together, so every team gets work; 'total': least total travel time (idle teams allowed).
   * Serving the most priority always comes first.
   */
  objective?: 'makespan' | 'total';
  onProgress?: (stage: 'matrix' | 'optimise' | 'geometry', fraction: number) => void;
  /** Ends the optimisation early; the best plan found so far is returned. */
  signal?: AbortSignal;
}

/** One stop of a route. Times in seconds after midnight of the route's day. */
export interface PlanStop {
  targetId: string;
  lon: number;
  lat: number;
  /** Where to leave the network, and the walk from there. */
  accessLonLat: LonLat | null;
  walkM: number;
  arrivalS: number;
  startS: number;
  departureS: number;
  priority: number;
  serviceS: number;
  /** Gaode (amap) navigation link; coordinates converted to GCJ-02 as the app expects. */
  amapUriGcj02: string;
  /** Village, area, score, model and what to look for. */
  info: StopInfo;
}

/** One team's route on one day. */
export interface PlanRoute {
  teamId: string;
  teamName?: string;
  /** 0-based day of the survey. */
  day: number;
  date?: string;
  start: LonLat;
  end: LonLat;
  departS: number;
  returnS: number;
  durationS: number;
  travelS: number;
  serviceS: number;
  distanceM: number;
  break: { startS: number; durationS: number } | null;
  stops: PlanStop[];
  /** The way driven and walked, [lon, lat] WGS 84. */
  path: LonLat[];
}

/** A target left out, with why. */
export interface PlanUnassigned {
  targetId: string;
  lon: number;
  lat: number;
  priority: number;
  reason: UnassignedReason;
  message: string;
}

/** The result of {@link planRoutes}: what `plan.json` holds. */
export interface Plan {
  version: 1;
  date?: string;
  objective: {
    servedPriority: number;
    unservedPriority: number;
    totalDurationS: number;
    totalTravelS: number;
    totalDistanceM: number;
    /** Longest minus shortest route duration among routes with stops. */
    imbalanceS: number;
    /** Which objective the plan was optimised for. */
    kind?: 'makespan' | 'total';
    /** The latest return: the longest route's duration (s). */
    makespanS?: number;
    /** No plan serving the same stops with the same teams and days can have a shorter longest route (s). */
    lowerBoundS?: number;
    /** This plan's total work ÷ its team-days: the makespan of a perfectly even split (s). */
    evenSplitS?: number;
    /** makespanS / lowerBoundS − 1. */
    gapToLowerBound?: number;
    served: number;
    unserved: number;
  };
  routes: PlanRoute[];
  unassigned: PlanUnassigned[];
  /** Ids skipped because they were already visited. */
  visited: string[];
  stats: { matrixMs: number; solveMs: number; iterations: number; locations: number; travel: 'network' | 'geodesic' };
}
