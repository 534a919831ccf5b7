import { describe, expect, it } from 'vitest';
import { teamsFromJson } from './teams-from-json';

describe('teamsFromJson', () => {
  it('reads teams with their own depots and shifts, filling defaults', () => {
    const teams = teamsFromJson(
      {
        teams: [
          { id: 'A', name: '一组', start: [102.3, 27.9], end: [102.31, 27.91], shift_s: 21600, shift_start: '07:30', max_stops: 12 },
          { id: 'B', start: [102.28, 27.88] },
        ],
      },
      { shiftS: 28800, shiftStartS: 8 * 3600 },
    );
    expect(teams).toEqual([
      { id: 'A', name: '一组', start: [102.3, 27.9], end: [102.31, 27.91], shiftS: 21600, shiftStartS: 7.5 * 3600, maxStops: 12 },
      { id: 'B', start: [102.28, 27.88], shiftS: 28800, shiftStartS: 8 * 3600 },
    ]);
  });

  it('rejects unknown keys with a hint, bad points and duplicates', () => {
    expect(() => teamsFromJson([{ id: 'A', start: [102, 27], max_stop: 3 }], { shiftS: 1 })).toThrow(/max_stops/);
    expect(() => teamsFromJson([{ id: 'A', start: [200, 27] }], { shiftS: 1 })).toThrow(
      expect.objectContaining({ code: 'TIANDI_E_PLAN_INPUT', field: 'teams[0].start' }),
    );
    expect(() =>
      teamsFromJson(
        [
          { id: 'A', start: [102, 27] },
          { id: 'A', start: [102, 27] },
        ],
        { shiftS: 1 },
      ),
    ).toThrow(/duplicate/);
    expect(() => teamsFromJson({ teams: [] }, { shiftS: 1 })).toThrow(expect.objectContaining({ field: 'teams' }));
  });
});
