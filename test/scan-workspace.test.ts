import { describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeGeoTiff } from '../apps/server/src/testing/make-geotiff';
import { REDNESS_MODEL_DIR, RED_PLOTS } from '../apps/server/src/testing/test-model';
import { tiandi } from './helpers/run-tiandi';

// `tiandi scan --workspace` records what it found, once, and refuses a missing workspace before scanning.
describe('tiandi scan --workspace', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tiandi-scan-ws-'));
  const image = join(dir, 'DJI_0101.tif');
  writeFileSync(image, makeGeoTiff({ width: 1000, height: 800, epsg: 32648, origin: [500_000, 3_090_000], pixelSize: 0.1, redPlots: RED_PLOTS }));
  const ws = join(dir, 'survey.gpkg');

  it('records images, footprints and candidates as targets; scanning again adds nothing', async () => {
    expect((await tiandi(dir, 'init', ws)).code).toBe(0);
    const first = await tiandi(dir, 'scan', image, '--model', REDNESS_MODEL_DIR, '--out', 'scan-a', '--workers', '0', '--workspace', ws, '--json');
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    const s = JSON.parse(first.out);
    expect(s.candidates).toBe(RED_PLOTS.length);
    expect(s.workspace.imagesAdded).toHaveLength(1);
    expect(s.workspace.targetsCreated).toHaveLength(RED_PLOTS.length);

    const again = await tiandi(dir, 'scan', image, '--model', REDNESS_MODEL_DIR, '--out', 'scan-b', '--workers', '0', '--workspace', ws);
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/already holds this imagery: nothing scanned/);
    // The same file under another name is recognised by content, and says which image it is.
    copyFileSync(image, join(dir, 'block-1 copy.tif'));
    const copy = await tiandi(dir, 'scan', 'block-1 copy.tif', '--model', REDNESS_MODEL_DIR, '--out', 'scan-d', '--workers', '0', '--workspace', ws);
    expect(copy.code).toBe(0);
    expect(copy.err).toMatch(/block-1 copy\.tif: .*same imagery as workspace image 'DJI_0101\.tif' \(by file sha256\)/);
    expect(existsSync(join(dir, 'scan-d'))).toBe(false);
    const targets = JSON.parse((await tiandi(dir, 'targets', 'list', '--json', '--workspace', ws)).out);
    expect(targets).toHaveLength(RED_PLOTS.length);
  });

  it('refuses a workspace that does not exist before scanning anything', async () => {
    const r = await tiandi(dir, 'scan', image, '--model', REDNESS_MODEL_DIR, '--out', 'scan-c', '--workspace', 'nope.gpkg');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^tiandi: nope\.gpkg: .*tiandi init/);
    expect(existsSync(join(dir, 'scan-c'))).toBe(false);
  });
});
