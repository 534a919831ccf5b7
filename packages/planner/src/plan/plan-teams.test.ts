import { describe, expect, it } from 'vitest';
import { planTeams, teamId } from './plan-teams';

describe('planTeams', () => {
  it('names teams T1, T2 … as field accounts do, with the shift and stops given', () => {
    expect(teamId(0)).toBe('T1');
    expect(planTeams(2, { start: [100, 25], shiftS: 28_800 })).toEqual([
      { id: 'T1', name: '第 1 组 Team 1', start: [100, 25], shiftS: 28_800 },
      { id: 'T2', name: '第 2 组 Team 2', start: [100, 25], shiftS: 28_800 },
    ]);
    expect(planTeams(1, { start: [100, 25], shiftS: 3600, shiftStartS: 7 * 3600, maxStops: 12, name: (n) => `Team ${n}` })).toEqual([
      { id: 'T1', name: 'Team 1', start: [100, 25], shiftS: 3600, shiftStartS: 25_200, maxStops: 12 },
    ]);
  });
});
