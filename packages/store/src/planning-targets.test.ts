import { describe, expect, it } from 'vitest';
import { planningTargets } from './planning-targets';
import { readTargets, writeTarget as writeTargetForTest } from './rows';
import { setTargetStatus } from './targets';
import { decideTriage } from './triage';
import { fourCandidateWorld } from './test-world.test-util';

describe('planningTargets', () => {
  it('plans open targets at or above the minimum score (a confirmed plot still gets a visit), by village, or exactly the ones named', async () => {
    const ws = await fourCandidateWorld();
    const byScore = new Map(readTargets(ws).map((t) => [t.scoreMax, t.id]));
    setTargetStatus(ws, { targetId: byScore.get(0.7)!, status: 'confirmed', reason: 'ground report' }, 'lead');
    decideTriage(ws, { targetId: byScore.get(0.9)!, decision: 'not_poppy', reason: 'tarp' }, 'op-li');

    const open = planningTargets(ws, { minScore: 0.4 });
    expect(open.fc.features.map((f) => f.properties.score_max).sort()).toEqual([0.5, 0.7]);
    expect([open.below, open.closed]).toEqual([1, 1]);
    expect(open.fc.features[0].properties).toMatchObject({ village: '上寨村', model: 'poppy-synth', model_version: '1.0.0' });
    expect(planningTargets(ws, { minScore: 0, zoneId: 'V02' }).fc.features).toEqual([]);
    expect(planningTargets(ws, { minScore: 0, zoneId: 'V01' }).fc.features).toHaveLength(3);
    // A planner's own selection is planned whatever its status or score.
    expect(planningTargets(ws, { minScore: 1, targetIds: [byScore.get(0.9)!] }).fc.features.map((f) => f.properties.id)).toEqual([byScore.get(0.9)]);
    ws.close();
  });

  it('plans a desk dismissal drawn for a ground audit (a team must go), and leaves the others out', async () => {
    const ws = await fourCandidateWorld();
    const byScore = new Map(readTargets(ws).map((t) => [t.scoreMax, t.id]));
    decideTriage(ws, { targetId: byScore.get(0.9)!, decision: 'not_poppy', reason: 'tarp' }, 'op-li');
    decideTriage(ws, { targetId: byScore.get(0.7)!, decision: 'not_poppy', reason: 'roof' }, 'op-li');
    const drawn = readTargets(ws).find((t) => t.id === byScore.get(0.9))!;
    writeTargetForTest(ws, { ...drawn, groundAudit: true });
    const open = planningTargets(ws, { minScore: 0.4 });
    expect(open.fc.features.map((f) => f.properties.score_max).sort()).toEqual([0.5, 0.9]);
    expect(open.closed).toBe(1);
    ws.close();
  });
});
