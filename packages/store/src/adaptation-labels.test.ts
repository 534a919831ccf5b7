import { describe, expect, it } from 'vitest';
import { decideTriage, listTriage } from './triage';
import { adaptationPoints, ringCentre } from './adaptation-labels';
import { fourCandidateWorld } from './test-world.test-util';

const world = fourCandidateWorld;

describe('labels for local adaptation', () => {
  it('a desk "not poppy" is a negative read at its candidate in its own image; a desk "poppy-like" is no label', async () => {
    const ws = await world();
    expect(adaptationPoints(ws)).toEqual([]);
    const [top, second] = listTriage(ws).items;
    decideTriage(ws, { targetId: top.targetId, decision: 'not_poppy', reason: 'tarp' }, 'op-li');
    decideTriage(ws, { targetId: second.targetId, decision: 'poppy_like' }, 'op-wang');
    const pts = adaptationPoints(ws);
    expect(pts).toHaveLength(1);
    expect(pts[0]).toMatchObject({ target_id: top.targetId, label: 0, source: 'desk', image_id: 'b.tif' });
    expect(pts[0].lonLat[0]).toBeCloseTo(100.01015, 6); // centre of candidate c3
    expect(pts[0].lonLat[1]).toBeCloseTo(25.00215, 6);
  });

  it('a desk dismissal made with `tiandi targets dismiss` (no triage row) is a negative too', async () => {
    const ws = await world();
    const { dismissTargetAtDesk } = await import('./desk-decisions');
    const [top] = listTriage(ws).items;
    dismissTargetAtDesk(ws, { targetId: top.targetId, reason: '屋顶 roof' }, 'op-li');
    expect(adaptationPoints(ws).map((p) => [p.target_id, p.label, p.source, p.image_id])).toEqual([[top.targetId, 0, 'desk', 'b.tif']]);
  });

  it('takes a polygon’s centre from its outer ring, without the closing vertex', () => {
    expect(ringCentre({ type: 'Polygon', coordinates: [[[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]] })).toEqual([1, 1]);
  });
});
