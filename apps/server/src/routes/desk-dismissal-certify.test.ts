import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { importScanDir, importZones, setSeason, Workspace } from '@tiandi/store';
import { signedInServer } from '../testing/signed-in';
import { boxPolygon } from '@tiandi/geo';

// The demo path of issue 17, end to end over HTTP on the demo seeds (zones, season): 阿都村 (v1) fully flown,
// its only target (≈ 2 167 m², score 0.72) dismissed from the office by the operator, then the manager certifies.
const root = fileURLToPath(new URL('../../../../', import.meta.url));
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

const CENTRE = [102.2755, 27.9166] as const;

async function aduWorkspace(dir: string, season: unknown): Promise<string> {
  const file = path.join(dir, 'demo.gpkg');
  const ws = Workspace.create(file);
  try {
    importZones(ws, JSON.parse(fs.readFileSync(path.join(root, 'seeds/zones.geojson'), 'utf8')), {}, 'test');
    setSeason(ws, season, 'test');
    const scan = path.join(dir, 'scan');
    fs.mkdirSync(scan);
    fs.writeFileSync(path.join(scan, 'footprint.geojson'), JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', geometry: boxPolygon(102.274, 27.915, 102.277, 27.918), properties: { image: 'block-1.tif', gsd_m: 0.05, crs: 'EPSG:4522', width: 4608, height: 4608, acquired: '2026-04-15T03:00:00Z' } }] }));
    const [x, y] = CENTRE;
    const plot = boxPolygon(x - 0.000233, y - 0.00021, x + 0.000233, y + 0.00021);
    fs.writeFileSync(path.join(scan, 'candidates.geojson'), JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', geometry: plot, properties: { id: 'c1', score_max: 0.72, score_mean: 0.5, area_m2: 2167, image: 'block-1.tif', model: 'poppy-synth', model_version: '3.0.0' } }] }));
    fs.writeFileSync(path.join(scan, 'summary.json'), '{}');
    await importScanDir(ws, scan, 'test');
  } finally {
    ws.close();
  }
  return file;
}

async function setup(season: unknown) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiandi-desk-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  const s = await signedInServer({ workspacePath: await aduWorkspace(dir, season), runJobs: false });
  cleanups.unshift(s.cleanup);
  const post = (url: string, payload: unknown, who: { authorization: string }) => s.app.inject({ method: 'POST', url, payload: payload as object, headers: who });
  const get = (url: string, who: { authorization: string }) => s.app.inject({ url, headers: who });
  return { ...s, post, get };
}

const groundReport = (targetId: string, verdict: string) => [
  'report_id,target_id,verdict,what,lon,lat,accuracy_m,observed_at,team,plant_count,area_m2,photos,notes',
  `r-${verdict},${targetId},${verdict},${verdict === 'not_poppy' ? '屋顶 roof' : ''},${CENTRE[0]},${CENTRE[1]},4,2026-04-20T09:00:00+08:00,一组,,,,`,
].join('\n');

describe('the 阿都村 demo path: a desk dismissal is not a ground inspection', () => {
  for (const [name, file] of [['seeds/season.json', 'seeds/season.json'], ['the default policy', null]] as const) {
    it(`refuses to certify v1 on the operator's desk dismissal (${name}), and certifies once a team has been`, async () => {
      const season = file ? JSON.parse(fs.readFileSync(path.join(root, file), 'utf8')) : { id: 'yiluo-2026', year: 2026 };
      const { get, post, as } = await setup(season);
      const [target] = (await get('/api/targets?zone=v1', as.operator)).json().features;
      expect(target.properties).toMatchObject({ score_max: 0.72, status: 'detected' });
      expect(target.properties.area_m2).toBeCloseTo(2167, -2);

      const dismissed = await post(`/api/targets/${encodeURIComponent(target.id)}/decision`, { decision: 'dismiss', reason: '彩钢屋顶 painted roof' }, as.operator);
      expect(dismissed.json().properties).toMatchObject({ status: 'dismissed_desk', desk_by: 'operator' });

      const refused = await post('/api/manager/zones/v1/certify', {}, as.manager);
      expect(refused.statusCode).toBe(409);
      const rules = Object.fromEntries((refused.json().rules as { id: string; pass: boolean; failing: { id: string; properties: { why: string } }[] }[]).map((r) => [r.id, r]));
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
