import type { LonLat } from '@tiandi/geo';
import type { PlanTeam } from './plan-types';

/**
 * The id of the i-th team (0-based) of a plan: `T1`, `T2` … Field accounts carry the same id
 * (`tiandi user add --team T1`), so a plan's routes reach the phones of the teams they name.
 */
export function teamId(index: number): string {
  return `T${index + 1}`;
}

/**
 * `count` teams starting (and ending) at `start`, ids from {@link teamId}, named `第 n 组 Team n` unless
 * `name` words it otherwise (the web names them in the UI's language). What the CLI, the server and the
 * web planner all plan with when no teams file is given.
 */
export function planTeams(
  count: number,
  base: { start: LonLat; shiftS: number; shiftStartS?: number; maxStops?: number; name?: (n: number) => string },
): PlanTeam[] {
  const name = base.name ?? ((n: number) => `第 ${n} 组 Team ${n}`);
  return Array.from({ length: count }, (_, i) => ({
    id: teamId(i),
    name: name(i + 1),
    start: base.start,
    shiftS: base.shiftS,
    ...(base.shiftStartS !== undefined ? { shiftStartS: base.shiftStartS } : {}),
    ...(base.maxStops ? { maxStops: base.maxStops } : {}),
  }));
}
