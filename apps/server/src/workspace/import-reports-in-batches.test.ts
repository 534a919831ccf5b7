import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseGroundReport } from '@tiandi/geo';
import { importReports, listTargets, Workspace } from '@tiandi/store';
import { afterAll, describe, expect, it } from 'vitest';
import { makeSurveyWorkspace } from '../testing/survey-fixture';
import { importReportsInBatches } from './import-reports-in-batches';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiandi-batches-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function rows(n: number) {
  return Array.from({ length: n }, (_, i) => {
    const lon = 100.0045 + (i % 30) * 0.0002,
      lat = 25.005 + Math.floor(i / 30) * 0.0002;
    const p = parseGroundReport(
      {
        report_id: `b-${i}`,
        verdict: i % 3 === 0 ? 'confirmed_poppy' : 'nothing_found',
        accuracy_m: 5,
        observed_at: '2026-04-20T10:00:00+08:00',
        team: 'T1',
        plant_count: i % 3 === 0 ? 10 : null,
        area_m2: null,
      },
      [lon, lat],
    );
    if (!p.ok) throw new Error(p.message);
    return { row: i + 2, report: p.report };
  });
}

describe('importReportsInBatches', () => {
  it('stores the same reports and targets as one importReports call, letting the event loop run between batches', async () => {
    const a = Workspace.open(await makeSurveyWorkspace(fs.mkdtempSync(path.join(dir, 'a-'))));
    const b = Workspace.open(await makeSurveyWorkspace(fs.mkdtempSync(path.join(dir, 'b-'))));
    try {
      const input = rows(1200);
      let ticks = 0;
      const timer = setInterval(() => ticks++, 0);
      const batched = await importReportsInBatches(a, input, 'test', { source: 'x.csv' }, 1);
      clearInterval(timer);
      const whole = importReports(b, input, 'test', { source: 'x.csv' });
      expect(ticks).toBeGreaterThan(0);
      expect(batched.added.length).toBe(1200);
      expect(batched.added.map((x) => [x.reportId, x.match, x.to])).toEqual(whole.added.map((x) => [x.reportId, x.match, x.to]));
      expect(batched.newTargets.length).toBe(whole.newTargets.length);
      const statuses = (ws: Workspace) =>
        listTargets(ws)
          .map((t) => t.status)
          .sort();
      expect(statuses(a)).toEqual(statuses(b));
      const again = await importReportsInBatches(a, input, 'test');
      expect(again.unchanged).toHaveLength(1200);
      expect(again.added).toEqual([]);
    } finally {
      a.close();
      b.close();
    }
  }, 60_000);
});
