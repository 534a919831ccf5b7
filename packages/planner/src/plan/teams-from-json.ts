import { didYouMean, type LonLat } from '@tiandi/geo';
import { PlannerError } from '../errors';
import type { PlanTeam } from './plan-types';

const KEYS = ['id', 'name', 'start', 'end', 'shift_s', 'shift_start', 'max_stops'] as const;

/**
 * Reads teams from JSON: `{ "teams": [ { "id": "A", "name": "一组", "start": [lon, lat], "end": [lon, lat],
 * "shift_s": 28800, "shift_start": "08:00", "max_stops": 20 } ] }` (or the bare array). Only `id` and
 * `start` are required; `defaults` fill the rest. Unknown keys are rejected with a "did you mean" hint.
 * @throws PlannerError TIANDI_E_PLAN_INPUT naming the team and field at fault.
 */
export function teamsFromJson(json: unknown, defaults: { shiftS: number; shiftStartS?: number; maxStops?: number }): PlanTeam[] {
  const list = Array.isArray(json) ? json : (json as { teams?: unknown })?.teams;
  if (!Array.isArray(list) || list.length === 0)
    throw new PlannerError('TIANDI_E_PLAN_INPUT', '小组文件应含非空 teams 数组 the teams file needs a non-empty "teams" array', 'teams');
  if (!Array.isArray(json)) {
    const extra = Object.keys(json as object).filter((k) => k !== 'teams');
    if (extra.length) throw new PlannerError('TIANDI_E_PLAN_INPUT', `未知字段 unknown key '${extra[0]}'${didYouMean(extra[0], ['teams'])}`, extra[0]);
  }
  const ids = new Set<string>();
  return list.map((raw, i) => {
    const where = `teams[${i}]`;
    if (!raw || typeof raw !== 'object') throw new PlannerError('TIANDI_E_PLAN_INPUT', `${where}: 应为对象 must be an object`, where);
    const t = raw as Record<string, unknown>;
    for (const k of Object.keys(t))
      if (!(KEYS as readonly string[]).includes(k))
        throw new PlannerError('TIANDI_E_PLAN_INPUT', `${where}: 未知字段 unknown key '${k}'${didYouMean(k, KEYS)}`, `${where}.${k}`);
    if (typeof t.id !== 'string' || !t.id) throw new PlannerError('TIANDI_E_PLAN_INPUT', `${where}: 需要 id (字符串) needs a string "id"`, `${where}.id`);
    if (ids.has(t.id)) throw new PlannerError('TIANDI_E_PLAN_INPUT', `${where}: 小组编号重复 duplicate team id '${t.id}'`, `${where}.id`);
    ids.add(t.id);
    const point = (k: 'start' | 'end'): LonLat => {
      const p = t[k];
      if (!Array.isArray(p) || p.length !== 2 || !p.every(Number.isFinite) || Math.abs(p[0]) > 180 || Math.abs(p[1]) > 90)
        throw new PlannerError('TIANDI_E_PLAN_INPUT', `${where}: ${k} 应为 [经度, 纬度] must be [lon, lat] in degrees`, `${where}.${k}`);
      return [p[0], p[1]];
    };
    const team: PlanTeam = { id: t.id, start: point('start'), shiftS: defaults.shiftS };
    if (t.name !== undefined) team.name = String(t.name);
    if (t.end !== undefined) team.end = point('end');
    if (t.shift_s !== undefined) {
      if (typeof t.shift_s !== 'number' || !(t.shift_s > 0))
        throw new PlannerError('TIANDI_E_PLAN_INPUT', `${where}: shift_s 应为正的秒数 must be a positive number of seconds`, `${where}.shift_s`);
      team.shiftS = t.shift_s;
    }
    const startClock = t.shift_start;
    if (startClock !== undefined) {
      const m = typeof startClock === 'string' ? /^(\d{1,2}):(\d{2})$/.exec(startClock) : null;
      if (!m) throw new PlannerError('TIANDI_E_PLAN_INPUT', `${where}: shift_start 格式 "HH:MM" must look like "08:00"`, `${where}.shift_start`);
      team.shiftStartS = Number(m[1]) * 3600 + Number(m[2]) * 60;
    } else if (defaults.shiftStartS !== undefined) team.shiftStartS = defaults.shiftStartS;
    const ms = t.max_stops ?? defaults.maxStops;
    if (ms !== undefined) {
      if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < 1)
        throw new PlannerError('TIANDI_E_PLAN_INPUT', `${where}: max_stops 应为正整数 must be a positive integer`, `${where}.max_stops`);
      team.maxStops = ms;
    }
    return team;
  });
}
