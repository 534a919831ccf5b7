import { describe, expect, it } from 'vitest';
import { decideTriage, listTriage } from './triage';
import { adaptationPoints, ringCentre } from './adaptation-labels';
import { fourCandidateWorld } from './test-world.test-util';
import { importReports } from './import-reports';
import type { GroundReport } from '@tiandi/geo';

/** A team's report at a point (WGS 84), observed on 20 April 2026. */
const report = (
  reportId: string,
  targetId: string | null,
  verdict: GroundReport['verdict'],
  position: [number, number],
  more: Partial<GroundReport> = {},
): GroundReport => ({
  reportId,
  targetId,
  verdict,
  what: verdict === 'not_poppy' ? '油菜 rapeseed' : null,
  position,
  accuracyM: 3,
  observedAt: '2026-04-20T10:00:00+08:00',
  team: 'A',
  plantCount: null,
  areaM2: null,
  photos: [],
  notes: null,
  ...more,
});

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

  it('ground verdicts: confirmed and eradicated are positives, a ground negative a negative, each read at its candidates in their images', async () => {
    const ws = await world();
    const [t90, t70, t50, t30] = listTriage(ws).items.map((i) => i.targetId);
    importReports(
      ws,
      [
        { row: 2, report: report('r1', t90, 'confirmed_poppy', [100.01015, 25.00215]) },
        { row: 3, report: report('r2', t70, 'eradicated', [100.00715, 25.00215]) },
        { row: 4, report: report('r3', t50, 'not_poppy', [100.00415, 25.00215]) },
        { row: 5, report: report('r4', t30, 'inaccessible', [100.00115, 25.00215]) },
      ],
      'field-a',
    );
    const pts = adaptationPoints(ws)
      .map((p) => [p.target_id, p.label, p.source, p.image_id])
      .sort();
    // The inaccessible one says nothing about the plot: no label.
    expect(pts).toEqual(
      [
        [t90, 1, 'ground', 'b.tif'],
        [t70, 1, 'ground', 'a.tif'],
        [t50, 0, 'ground', 'a.tif'],
      ].sort(),
    );
  });

  it('a plot the scan missed (missed_by_scan) is a positive with its chip read from every image that covers it', async () => {
    const ws = await world();
    // Found on foot where a.tif and b.tif both overlap (100.005–100.03) and no candidate is: 36 m² of poppy.
    const r = importReports(ws, [{ row: 2, report: report('m1', null, 'confirmed_poppy', [100.0085, 25.006], { areaM2: 36 }) }], 'field-a');
    expect(r.newTargets).toHaveLength(1);
    const pts = adaptationPoints(ws);
    expect(pts.map((p) => [p.label, p.source, p.image_id]).sort()).toEqual([
      [1, 'missed_by_scan', 'a.tif'],
      [1, 'missed_by_scan', 'b.tif'],
    ]);
    for (const p of pts) {
      expect(p.lonLat[0]).toBeCloseTo(100.0085, 6);
      expect(p.lonLat[1]).toBeCloseTo(25.006, 6);
    }
    // A finding outside every image gives no window (nothing to read it from).
    importReports(ws, [{ row: 3, report: report('m2', null, 'confirmed_poppy', [100.5, 25.5]) }], 'field-a');
    expect(adaptationPoints(ws)).toHaveLength(2);
  });

  it('takes a polygon’s centre from its outer ring, without the closing vertex', () => {
    expect(
      ringCentre({
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [2, 0],
            [2, 2],
            [0, 2],
            [0, 0],
          ],
        ],
      }),
    ).toEqual([1, 1]);
  });
});
