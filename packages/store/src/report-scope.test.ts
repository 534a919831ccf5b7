import type { Target } from '@tiandi/geo';
import { describe, expect, it } from 'vitest';
import { flagOutOfScope, matchReportInScope } from './report-scope';

const square = (id: string, lon: number, lat: number, d = 0.0002): Target => ({
  id,
  status: 'planned',
  origin: 'scan',
  missedByScan: false,
  scoreMax: 0.9,
  areaM2: 400,
  sources: [id],
  review: null,
  eradicatedAt: null,
  reportIds: [],
  geometry: {
    type: 'Polygon',
    coordinates: [
      [
        [lon, lat],
        [lon + d, lat],
        [lon + d, lat + d],
        [lon, lat + d],
        [lon, lat],
      ],
    ],
  },
});

describe('matchReportInScope', () => {
  const mine = square('mine', 100.0, 25.0);
  const theirs = square('theirs', 100.0003, 25.0);
  const at = (lon: number, lat: number) => ({ targetId: null, position: [lon, lat] as [number, number], accuracyM: 5 });

  it('matches as before without a scope, and by position within the team scope', () => {
    expect(matchReportInScope(at(100.00035, 25.0001), [mine, theirs], 10)).toMatchObject({ kind: 'by_position', targetId: 'theirs' });
    expect(matchReportInScope(at(100.0001, 25.0001), [mine, theirs], 10, new Set(['mine']))).toMatchObject({ kind: 'by_position', targetId: 'mine' });
  });

  it("prefers the team's own target in reach over a nearer one of another team", () => {
    expect(matchReportInScope(at(100.00027, 25.0001), [mine, theirs], 10, new Set(['mine']))).toMatchObject({ kind: 'by_position', targetId: 'mine' });
  });

  it("answers out_of_scope when only another team's target is in reach", () => {
    expect(matchReportInScope(at(100.0004, 25.0001), [square('mine', 100.01, 25.0), theirs], 10, new Set(['mine']))).toMatchObject({
      kind: 'out_of_scope',
      targetId: 'theirs',
    });
    expect(matchReportInScope(at(100.0004, 25.0001), [theirs], 10, new Set())).toMatchObject({ kind: 'out_of_scope', targetId: 'theirs' });
  });

  it('flags the target for review and keeps its status and an earlier reason', () => {
    const r = { reportId: 'r9', team: 'T1', verdict: 'nothing_found' as const };
    const f = flagOutOfScope(theirs, r);
    expect(f.target.status).toBe('planned');
    expect(f.target.review).toEqual({ reason: f.reason, reportIds: ['r9'] });
    const again = flagOutOfScope({ ...theirs, review: { reason: 'contradiction', reportIds: ['r1'] } }, r);
    expect(again.target.review).toEqual({ reason: 'contradiction', reportIds: ['r1', 'r9'] });
  });
});
