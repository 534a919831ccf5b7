import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pointToPolygonDistanceM, type Polygonal } from '@tiandi/geo';
import { ensureDemoImagery } from '@tiandi/synth/node';
import { describe, expect, it } from 'vitest';
import { tiandi } from './helpers/run-tiandi';

// The README's "season from the command line", exactly as written there: every `npx tiandi …` line of
// its block runs in a fresh folder that sees the repository's seeds/ and models/. The one input a
// person brings — reports.csv, what the teams send back — is written from the plan and the demo's
// ground truth, as the teams would report it.

const root = fileURLToPath(new URL('..', import.meta.url));

/** The commands of the README's command-line season block, comments dropped, as argv after `npx tiandi`. */
function readmeSeason(): string[][] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const at = readme.indexOf('A season from the command line');
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(at))![1];
  return block
    .split('\n')
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter(Boolean)
    .map((l) => {
      const argv = l.split(/\s+/);
      expect(argv.slice(0, 2)).toEqual(['npx', 'tiandi']);
      return argv.slice(2);
    });
}

describe("the README's command-line season", () => {
  it('runs end to end as written: plan straight from the workspace, reports, certification', async () => {
    const images = await ensureDemoImagery();
    const dir = mkdtempSync(join(tmpdir(), 'tiandi-readme-'));
    symlinkSync(join(root, 'seeds'), join(dir, 'seeds'));
    symlinkSync(join(root, 'models'), join(dir, 'models'));
    const commands = readmeSeason();
    expect(commands.map((c) => c[0])).toEqual(['init', 'zones', 'season', 'scan', 'plan', 'reports', 'certify']);
    const truth = JSON.parse(readFileSync(images.find((b) => b.village === 'v1')!.truthPath, 'utf8')) as {
      features: { properties: { class: string }; geometry: Polygonal }[];
    };
    const poppy = truth.features.filter((f) => f.properties.class === 'poppy').map((f) => f.geometry);
    for (const argv of commands) {
      if (argv[0] === 'reports')
        writeFileSync(join(dir, 'reports.csv'), reportsFromPlan(JSON.parse(readFileSync(join(dir, 'plan1/plan.json'), 'utf8')), poppy));
      const r = await tiandi(dir, ...argv);
      const line = `tiandi ${argv.join(' ')}`;
      if (argv[0] === 'certify') {
        // A certificate only when every rule passes: the rule table either way, exit 1 when refused.
        expect([0, 1], `${line}\n${r.err}`).toContain(r.code);
        expect(r.out).toMatch(/花期影像覆盖 flowering-season imagery coverage/);
      } else expect(r.code, `${line}\n${r.err}`).toBe(0);
      if (argv[0] === 'plan') {
        expect(r.out).toMatch(/已记入工作区 Recorded in survey\.gpkg: plan plan-/);
        const planned = JSON.parse((await tiandi(dir, 'targets', 'list', '--json', '--workspace', 'survey.gpkg')).out) as { status: string }[];
        expect(planned.length).toBeGreaterThan(0);
        expect(planned.every((t) => t.status === 'planned')).toBe(true);
      }
      if (argv[0] === 'reports') expect(r.out).toMatch(/条已保存 stored, 0 条已存在 already stored, 0 条被拒 rejected/);
    }
  }, 600_000); // first use generates the demo imagery
});

/** One report per stop, from the stop itself: poppy where the ground truth has it, else nothing found. */
function reportsFromPlan(plan: { routes: { teamId: string; stops: { targetId: string; lon: number; lat: number }[] }[] }, poppy: Polygonal[]): string {
  const rows = ['report_id,target_id,verdict,what,lon,lat,accuracy_m,observed_at,team,plant_count,area_m2,photos,notes'];
  for (const r of plan.routes)
    r.stops.forEach((s, i) => {
      const verdict = poppy.some((g) => pointToPolygonDistanceM([s.lon, s.lat], g) < 5) ? 'confirmed_poppy' : 'nothing_found';
      rows.push(`r-${r.teamId}-${i + 1},${s.targetId},${verdict},,${s.lon.toFixed(8)},${s.lat.toFixed(8)},3,2026-04-20T10:00:00+08:00,${r.teamId},,,,`);
    });
  return rows.join('\n') + '\n';
}
