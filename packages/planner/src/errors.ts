/**
 * Typed errors of @tiandi/planner. Every error carries a stable code (`TIANDI_E_*`) that scripts
 * match on; the message is for people (Chinese first, English beside it). docs/errors/planner.md
 * lists every code and a test keeps the two in sync.
 */
import { defineErrorCodes, TiandiError } from '@tiandi/geo';

export const PLANNER_ERROR_CODES = defineErrorCodes({
  TIANDI_E_PLAN_INPUT: { status: 400, summary: '规划输入无效 invalid planning input (GeoJSON, options or teams)' },
  TIANDI_E_NO_TARGETS: { status: 400, summary: '没有可规划的目标 no targets to plan' },
  TIANDI_E_DEPOT_OFF_NETWORK: { status: 400, summary: '驻地离路网太远 depot is farther from the road network than the walking range' },
  TIANDI_E_SHIFT_TOO_SHORT: { status: 400, summary: '班次短于最近目标的往返 shift shorter than the round trip to the nearest target' },
  TIANDI_E_ROADS: { status: 400, summary: '路网数据无效 invalid road network (GeoJSON or OSM extract)' },
  TIANDI_E_DEM: { status: 400, summary: '高程数据无效 invalid elevation model (SRTM .hgt or GeoTIFF)' },
});

export type PlannerErrorCode = keyof typeof PLANNER_ERROR_CODES;

/** Why a target was left out of a plan (stable codes in plan.json `unassigned[].reason`). */
export const UNASSIGNED_REASONS = {
  UNREACHABLE_FAR: '离路网超出步行范围 farther from any road or path than the walking range',
  UNREACHABLE_DISCONNECTED: '所在路网与驻地不连通 on a part of the network not connected to the depot',
  DOES_NOT_FIT: '单独前往也超出班次或时间窗 cannot be served within any shift or time window even alone',
  NO_CAPACITY: '班次时间不足，已安排总优先级最高的一组目标 not enough team time (or stops); the plan serves the highest total priority that fits',
  VISITED: '已核查 already visited',
} as const;

export type UnassignedReason = keyof typeof UNASSIGNED_REASONS;

/** An error from the planner with a stable `code` and, where known, the offending `field` and the file it was read from (`path`). */
export class PlannerError extends TiandiError<PlannerErrorCode> {
  override readonly name = 'PlannerError';
  constructor(code: PlannerErrorCode, message: string, field?: string, path?: string) {
    super(code, message, PLANNER_ERROR_CODES[code].status, { field, ...(path === undefined ? {} : { path }) });
  }
}
