import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Workspace, decideTriage, importScanDir, listTriage, setSeason, verifiedCandidates } from '@tiandi/store';
import { loadModelCard, scanImages } from '@tiandi/tiles/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFixtures, type Fixtures } from '../../../../packages/tiles/scripts/make-fixtures';
import { tiandi } from '../../../../test/helpers/run-tiandi';

const MODELS = path.resolve(import.meta.dirname, '../../../../packages/tiles/fixtures/models');
let fx: Fixtures;
let dir: string;
beforeAll(async () => {
  fx = await makeFixtures();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiandi-adapt-cli-'));
}, 120_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The redness segmentation model with the redness classifier as its verifier, keeping every candidate. */
function twoStage(): string {
  const d = path.join(dir, 'redness');
  fs.cpSync(path.join(MODELS, 'redness-seg'), d, { recursive: true });
  fs.cpSync(path.join(MODELS, 'redness-cls'), path.join(d, 'verifier'), { recursive: true });
  const card = JSON.parse(fs.readFileSync(path.join(MODELS, 'redness-seg/model.json'), 'utf8'));
  fs.writeFileSync(path.join(d, 'model.json'), JSON.stringify({ ...card, verifier: { model: 'verifier', threshold: 0, max_windows: 2 } }));
  return d;
}

function scoresOf(file: string): number[] {
  const ws = Workspace.open(file);
  try {
    return verifiedCandidates(ws).map((c) => c.score_verify);
  } finally {
    ws.close();
  }
}

describe('tiandi adapt and tiandi model', () => {
  it('reads each desk label’s window from its image (found by content), writes a new model version, says when it cannot show it is better; adopting re-scores the stored candidates, restore puts the scores back', async () => {
    const model = twoStage();
    const images = path.join(dir, 'imagery');
    fs.mkdirSync(images);
    const renamed = path.join(images, 'renamed-by-the-office.tif'); // found by sha256, whatever its name
    fs.copyFileSync(fx.files.base, renamed);
    await scanImages({ images: [fx.files.base], modelDir: model, outDir: path.join(dir, 'scan'), workers: 0 });
    const file = path.join(dir, 'w.gpkg');
    const ws = Workspace.create(file);
    setSeason(ws, { id: '2026', year: 2026 }, 'lead');
    await importScanDir(ws, path.join(dir, 'scan'), 'op');
    const items = listTriage(ws).items;
    expect(items.length).toBe(2);
    for (const t of items) decideTriage(ws, { targetId: t.targetId, decision: 'not_poppy', reason: 'roof' }, 'op-li');
    ws.close();

    const out = path.join(dir, 'redness-adapted-1');
    const r = await tiandi(dir, 'adapt', '--workspace', file, '--images', images, '--model', model, '--out', out);
    expect(r.err).not.toMatch(/not in --images/);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/New model version 0\.0\.1-adapted\.1/);
    expect(r.out).toMatch(/desk \+0\/−2/);
    expect(r.out).toMatch(/Not adopted — no held-out labels/); // one image: nothing to hold out
    const rec = JSON.parse(fs.readFileSync(path.join(out, 'adaptation.json'), 'utf8'));
    expect(rec.labels.by_source).toEqual({ desk: { positive: 0, negative: 2 } });
    expect((await loadModelCard(out)).version).toBe('0.0.1-adapted.1');

    const again = await tiandi(dir, 'adapt', '--workspace', file, '--images', images, '--model', model, '--out', out);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/exists: choose a new folder/);
    // Adoption re-scores the stored candidates from their images, no rescan; refused when not shown better.
    const refused = await tiandi(dir, 'model', 'adopt', out, '--workspace', file, '--images', images);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/not adopted: no held-out labels .*--force/);
    const before = scoresOf(file);
    const adopted = await tiandi(dir, 'model', 'adopt', out, '--workspace', file, '--images', images, '--force', '--actor', 'mgr-zhao');
    expect(adopted.code).toBe(0);
    expect(adopted.out).toMatch(/Adopted redness-adapted-1 0\.0\.1-adapted\.1 .*: 2 candidates re-scored/);
    const after = scoresOf(file);
    expect(after).toHaveLength(2);
    expect(after).not.toEqual(before);
    expect((await tiandi(dir, 'model', 'status', '--workspace', file)).out).toMatch(/In force: redness-adapted-1 0\.0\.1-adapted\.1/);
    const restored = await tiandi(dir, 'model', 'restore', '--workspace', file, '--actor', 'mgr-zhao');
    expect(restored.out).toMatch(/Restored 2 candidates' scores/);
    expect(scoresOf(file)).toEqual(before);
    const noImages = await tiandi(dir, 'adapt', '--workspace', file, '--images', path.join(dir, 'nowhere'), '--model', model);
    expect(noImages.code).toBe(2);
    expect(noImages.err).toMatch(/--images must be a readable folder/);
  }, 120_000);
});
