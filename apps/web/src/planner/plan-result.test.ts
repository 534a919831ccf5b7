import { describe, expect, it } from 'vitest';
import type { Plan } from '@tiandi/planner';
import { PLAN_EXPORTS } from './plan-result';

describe('plan exports in the web app', () => {
  it('writes the CSV with exactly one byte-order mark', () => {
    const plan = { version: 1, objective: { served: 0, unserved: 0 }, routes: [], unassigned: [], visited: [], stats: {} } as unknown as Plan;
    const csv = PLAN_EXPORTS.find((x) => x.key === 'csv')!.write(plan);
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv.charCodeAt(1)).not.toBe(0xfeff);
  });
});
