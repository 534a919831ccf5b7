import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFixtures, type Fixtures } from '../../../../packages/tiles/scripts/make-fixtures';
import { tiandi } from '../../../../test/helpers/run-tiandi';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));
const model = path.join(repo, 'packages/tiles/fixtures/models/redness-seg');
let fx: Fixtures;
let dir: string;
beforeAll(async () => {
  fx = await makeFixtures();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiandi-scan-season-'));
}, 120_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A workspace with one season; `policy` is merged into the season file's policy. */
async function workspace(name: string, policy: Record<string, unknown>, window = { start: '2026-03-01', end: '2026-05-31' }): Promise<string> {
  const ws = path.join(dir, `${name}.gpkg`);
  expect((await tiandi(dir, 'init', ws)).code).toBe(0);
  fs.writeFileSync(path.join(dir, `${name}.season.json`), JSON.stringify({ id: `s-${name}`, flowering_window: window, policy }));
  const r = await tiandi(dir, 'season', 'set', `${name}.season.json`, '--workspace', ws);
  expect(r.code, r.err).toBe(0);
  return ws;
}

describe('tiandi scan against the workspace season', () => {
  it('names an image coarser than max_gsd_m, or taken outside the flowering window (base.tif: 0.05 m, 2026-04-12)', async () => {
    const coarse = await workspace('fine', { max_gsd_m: 0.04 });
    const r = await tiandi(dir, 'scan', fx.files.base, '--model', model, '--out', 'fine-out', '--workers', '0', '--workspace', coarse);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/^tiandi: 注意 note: base\.tif: .*GSD 0\.05 m is coarser than season s-fine's max_gsd_m 0\.04 m/m);
    expect(r.err).not.toMatch(/flowering window/);
    const late = await workspace('late', {}, { start: '2026-05-01', end: '2026-06-30' });
    const l = await tiandi(dir, 'scan', fx.files.base, '--model', model, '--out', 'late-out', '--workers', '0', '--workspace', late);
    expect(l.err).toMatch(/base\.tif: .*acquired 2026-04-12, outside season s-late's flowering window/);
    expect(l.err).not.toMatch(/coarser/);
  });

  it('takes policy.imagery_quality: enabled false judges nothing', async () => {
    const ws = await workspace('off', { imagery_quality: { enabled: false } });
    const r = await tiandi(dir, 'scan', fx.files.base, '--model', model, '--out', 'off-out', '--workers', '0', '--workspace', ws, '--json');
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out).quality).toBeUndefined();
    const on = await tiandi(dir, 'scan', fx.files['crs-4326'], '--model', model, '--out', 'on-out', '--workers', '0', '--json');
    expect(JSON.parse(on.out).quality.thresholds.minSharpness).toBe(0.3);
  });
});
