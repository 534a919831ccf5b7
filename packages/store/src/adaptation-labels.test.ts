import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Workspace } from './workspace';
import { importZones } from './import-zones';
import { setSeason } from './set-season';
import { importScanDir } from './import-scan-dir';
import { decideTriage, listTriage } from './triage';
import { adaptationPoints, ringCentre } from './adaptation-labels';
import { SEASON, VILLAGES, rect, tmp, writeScanDir } from './test-world.test-util';

async function world() {
  const dir = tmp();
  const ws = Workspace.create(join(dir, 'ws.gpkg'));
  importZones(ws, VILLAGES, { level: 'village' }, 'lead');
  setSeason(ws, SEASON, 'lead');
  const cands = [0, 1, 2, 3].map((i) => ({ id: `c${i}`, image: i < 3 ? 'a.tif' : 'b.tif', poly: rect(100.001 + i * 0.003, 25.002, 100.0013 + i * 0.003, 25.0023), score: [0.3, 0.5, 0.7, 0.9][i] }));
  await importScanDir(ws, writeScanDir(join(dir, 's'), [{ image: 'a.tif', poly: rect(99.99, 24.99, 100.03, 25.02) }, { image: 'b.tif', poly: rect(100.005, 24.99, 100.03, 25.02) }], cands), 'op');
  return ws;
}

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
