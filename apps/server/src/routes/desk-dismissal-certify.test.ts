import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { signedInServer } from '../testing/signed-in';
import { boxPolygon } from '@tiandi/geo';
import { surveyWorkspace } from '../../../../packages/store/src/test-world.test-util';

// The demo path of issue 17, end to end over HTTP on the demo seeds (zones, season): 阿都村 (v1) fully flown,
// its only target (≈ 2 167 m², score 0.72) dismissed from the office by the operator, then the manager certifies.
const root = fileURLToPath(new URL('../../../../', import.meta.url));
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

const CENTRE = [102.2755, 27.9166] as const;

/** The shared survey world's steps over the demo's seeds: their zones, `season`, and one block flying 阿都村 with its one plot. */
async function aduWorkspace(dir: string, season: unknown): Promise<string> {
  const file = path.join(dir, 'demo.gpkg');
  const [x, y] = CENTRE;
  const ws = await surveyWorkspace(file, {
    zones: JSON.parse(fs.readFileSync(path.join(root, 'seeds/zones.geojson'), 'utf8')),
    season,
    scanDir: path.join(dir, 'scan'),
    images: [{ image: 'block-1.tif', poly: boxPolygon(102.274, 27.915, 102.277, 27.918), acquired: '2026-04-15T03:00:00Z' }],
    cands: [
      {
        id: 'c1',
        image: 'block-1.tif',
        poly: boxPolygon(x - 0.000233, y - 0.00021, x + 0.000233, y + 0.00021),
        score: 0.72,
        scoreMean: 0.5,
        areaM2: 2167,
        modelVersion: '3.0.0',
      },
    ],
  });
  ws.close();
  return file;
}

async function setup(season: unknown) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiandi-desk-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  const s = await signedInServer({ workspacePath: await aduWorkspace(dir, season), runJobs: false });
  cleanups.unshift(s.cleanup);
  const post = (url: string, payload: unknown, who: { authorization: string }) =>
    s.app.inject({ method: 'POST', url, payload: payload as object, headers: who });
  const get = (url: string, who: { authorization: string }) => s.app.inject({ url, headers: who });
  return { ...s, post, get };
}

const groundReport = (targetId: string, verdict: string) =>
  [
    'report_id,target_id,verdict,what,lon,lat,accuracy_m,observed_at,team,plant_count,area_m2,photos,notes',
    `r-${verdict},${targetId},${verdict},${verdict === 'not_poppy' ? '屋顶 roof' : ''},${CENTRE[0]},${CENTRE[1]},4,2026-04-20T09:00:00+08:00,一组,,,,`,
  ].join('\n');

describe('the 阿都村 demo path: a desk dismissal is not a ground inspection', () => {
  for (const [name, file] of [
    ['seeds/season.json', 'seeds/season.json'],
    ['the default policy', null],
  ] as const) {
    it(`refuses to certify v1 on the operator's desk dismissal (${name}), and certifies once a team has been`, async () => {
      const season = file ? JSON.parse(fs.readFileSync(path.join(root, file), 'utf8')) : { id: 'yiluo-2026', year: 2026 };
      const { get, post, as } = await setup(season);
      const [target] = (await get('/api/targets?zone=v1', as.operator)).json().features;
      expect(target.properties).toMatchObject({ score_max: 0.72, status: 'detected' });
      expect(target.properties.area_m2).toBeCloseTo(2167, -2);

      const dismissed = await post(
        `/api/targets/${encodeURIComponent(target.id)}/decision`,
        { decision: 'dismiss', reason: '彩钢屋顶 painted roof' },
        as.operator,
      );
      expect(dismissed.json().properties).toMatchObject({ status: 'dismissed_desk', desk_by: 'operator' });

      const refused = await post('/api/manager/zones/v1/certify', {}, as.manager);
      expect(refused.statusCode).toBe(409);
      const rules = Object.fromEntries(
        (refused.json().rules as { id: string; pass: boolean; failing: { id: string; properties: { why: string } }[] }[]).map((r) => [r.id, r]),
      );
      expect(rules.targets_resolved.pass).toBe(true);
      expect(rules.desk_dismissals.pass).toBe(false);
      expect(rules.desk_dismissals.failing.map((f) => f.id)).toEqual([target.id]);
      expect(rules.desk_dismissals.failing[0].properties.why).toMatch(file ? /above the desk limit 0.5/ : /does not accept desk dismissals/);
      expect((await get('/api/certifications?zone=v1', as.manager)).json().certificates).toEqual([]);
      // The manager's zone tree says so too: one open item, a desk dismissal, not certifiable.
      const tree = (await get('/api/manager/zones?season=yiluo-2026', as.manager)).json();
      const v1 = (Array.isArray(tree) ? tree : tree.zones).find((z: { zoneId: string }) => z.zoneId === 'v1');
      expect(v1).toMatchObject({ openItems: 1, targetsByStatus: { dismissed_desk: 1 }, certifiable: false, failingRules: ['desk_dismissals'] });

      // A team goes and finds a roof: now it is a ground inspection, and the certificate says so.
      const imported = await post('/api/field/reports/import', { fileName: 'day1.csv', text: groundReport(target.id, 'not_poppy') }, as.manager);
      expect(imported.statusCode).toBe(200);
      const issued = await post('/api/manager/zones/v1/certify', {}, as.manager);
      expect(issued.statusCode).toBe(201);
      const [cert] = (await get('/api/certifications?zone=v1', as.manager)).json().certificates;
      expect(cert.deskDecisions).toMatchObject({ dismissed: 0, groundInspected: 1 });
      expect(cert.targets).toMatchObject([{ id: target.id, status: 'inspected_negative', deskBy: 'operator' }]);
      const page = await get(`/api/manager/certificates/${encodeURIComponent(cert.certId)}/page`, as.manager);
      expect(page.body).toMatch(/实地核查 Inspected on the ground<\/td><td>1</);
      expect(page.body).toMatch(/案头排除 Dismissed at the desk \(not visited\)<\/td><td>0</);
    });
  }
});
