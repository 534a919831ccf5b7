import { describe, expect, it } from 'vitest';
import type { Plan } from '@tiandi/planner';
import { PLAN_EXPORTS, teamTotals } from './plan-result';

describe('plan exports in the web app', () => {
  it('writes the CSV with exactly one byte-order mark', () => {
    const plan = { version: 1, objective: { served: 0, unserved: 0 }, routes: [], unassigned: [], visited: [], stats: {} } as unknown as Plan;
    const csv = PLAN_EXPORTS.find((x) => x.key === 'csv')!.write(plan);
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv.charCodeAt(1)).not.toBe(0xfeff);
  });

  it('totals a team over all its days, and gives zeros to a team without routes', () => {
    const route = (teamId: string, day: number, stops: number, durationS: number, distanceM: number) => ({
      teamId,
      day,
      stops: Array.from({ length: stops }, (_, i) => ({ targetId: `t${i}` })),
      durationS,
      distanceM,
    });
    const plan = { routes: [route('T1', 0, 3, 3600, 5200), route('T1', 1, 2, 1800, 2500), route('T2', 0, 1, 600, 900)] } as unknown as Plan;
    expect(teamTotals(plan, 'T1')).toEqual({ stops: 5, durationS: 5400, distanceM: 7700 });
    expect(teamTotals(plan, 'T2')).toEqual({ stops: 1, durationS: 600, distanceM: 900 });
    expect(teamTotals(plan, 'T3')).toEqual({ stops: 0, durationS: 0, distanceM: 0 });
  });
});
