import { describe, expect, it } from 'vitest';
import { importPlan } from './import-plan';
import { latestTeamPlan, listPlanTeams, readPlanStops, teamHasTarget, teamTargetIds } from './plan-reads';
import { imagesOfTarget, listScans, targetModelLookup } from './survey-reads';
import { readTargets } from './rows';
import { fourCandidateWorld } from './test-world.test-util';

describe('plan reads', () => {
  it('lists plans per team, their stops in order, the latest route per team, and which targets a team may report on', async () => {
    const ws = await fourCandidateWorld();
    const [t0, t1, t2] = readTargets(ws).map((t) => t.id);
    importPlan(
      ws,
      {
        planId: 'p1',
        teams: [
          {
            team: 'T1',
            route: {
              type: 'LineString',
              coordinates: [
                [100, 25],
                [100.01, 25.002],
              ],
            },
            durationS: 600,
            stops: [
              { targetId: t0, position: [100.001, 25.002], arriveS: 30600 },
              { targetId: t1, position: [100.004, 25.002] },
            ],
          },
        ],
      },
      'planner',
    );
    importPlan(
      ws,
      {
        planId: 'p2',
        teams: [
          { team: 'T1', route: null, stops: [{ targetId: t2, position: [100.007, 25.002] }] },
          { team: 'T2', route: null, stops: [] },
        ],
      },
      'planner',
    );

    expect(listPlanTeams(ws).map((p) => [p.planId, p.team, p.stopCount])).toEqual([
      ['p1', 'T1', 2],
      ['p2', 'T1', 1],
      ['p2', 'T2', 0],
    ]);
    expect(listPlanTeams(ws, 'p1')[0]).toMatchObject({ durationS: 600, distanceM: null });
    expect(readPlanStops(ws, 'p1')).toEqual([
      { team: 'T1', seq: 1, targetId: t0, arriveS: 30600, lonLat: [100.001, 25.002] },
      { team: 'T1', seq: 2, targetId: t1, arriveS: null, lonLat: [100.004, 25.002] },
    ]);
    expect(readPlanStops(ws, 'p2', 'T2')).toEqual([]);
    expect(latestTeamPlan(ws, 'T1')).toMatchObject({ planId: 'p2', route: null });
    expect(latestTeamPlan(ws, 'T3')).toBeNull();
    // A team keeps the targets of earlier plans (a report written offline still counts).
    expect(teamHasTarget(ws, 'T1', t0)).toBe(true);
    expect(teamHasTarget(ws, 'T2', t0)).toBe(false);
    expect([...teamTargetIds(ws, 'T1')].sort()).toEqual([t0, t1, t2].sort());
    ws.close();
  });

  it('names the images and the best model behind a target, and lists scans', async () => {
    const ws = await fourCandidateWorld();
    const best = readTargets(ws).find((t) => t.scoreMax === 0.9)!;
    expect(imagesOfTarget(ws, best.id)).toEqual(['b.tif']);
    expect(targetModelLookup(ws)(best.id)).toEqual({ model: 'poppy-synth', modelVersion: '1.0.0' });
    expect(targetModelLookup(ws)('no-such-target')).toBeNull();
    expect(listScans(ws).map((s) => s.candidates)).toEqual([3, 1]);
    ws.close();
  });
});
