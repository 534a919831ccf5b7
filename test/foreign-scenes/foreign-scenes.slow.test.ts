import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readTruthFile } from '@tiandi/synth/node';
import { tiandi } from '../helpers/run-tiandi';
import { foreignUnavailable, generateForeignScenes } from './foreign-scenes';

const missing = foreignUnavailable();
if (missing) process.stderr.write(`\n[foreign-scenes] NOTICE: ${missing} — the foreign-generator end-to-end case is SKIPPED.\n\n`);

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'tiandi-foreign-test-'));
  dirs.push(d);
  return d;
};

describe.skipIf(!!missing)('foreign scene generator → tiandi eval --labelled', () => {
  it('writes the same scene for the same seed, with its truth in the image CRS, and eval scores every plot on it', async () => {
    const a = tmp(),
      b = tmp();
    generateForeignScenes(a, { scenes: 1, seed: 500, sizeM: 80 });
    generateForeignScenes(b, { scenes: 1, seed: 500, sizeM: 80 });
    const truthA = readFileSync(join(a, 'foreign-500.truth.geojson'), 'utf8');
    expect(readFileSync(join(b, 'foreign-500.truth.geojson'), 'utf8')).toBe(truthA);
    expect(readFileSync(join(b, 'foreign-500.tif')).equals(readFileSync(join(a, 'foreign-500.tif')))).toBe(true);
    const scene = JSON.parse(readFileSync(join(a, 'scenes.json'), 'utf8')).scenes[0];
    const truth = JSON.parse(truthA);
    expect(truth.crs.properties.name).toBe(`urn:ogc:def:crs:EPSG::${scene.crs.slice(5)}`);
    expect(truth.features.length).toBe(scene.plots);
    expect(scene.plots).toBeGreaterThanOrEqual(3);

    const r = await tiandi(a, 'eval', '--labelled', '.', '--json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const t = JSON.parse(r.out).labelled;
    expect(t.files).toHaveLength(1);
    expect(t.files[0]).toMatchObject({ file: 'foreign-500.tif', crs: scene.crs });
    expect(t.files[0].gsdM).toBeCloseTo(scene.gsd_m, 3);
    // 80 m square on the ground whatever the CRS (in Web Mercator too): 0.0064 km².
    expect(t.overall.areaKm2).toBeCloseTo(0.0064, 4);
    // Every plot lies on the image (a misplaced truth would leave them outside), each counted found or missed.
    expect(t.outside).toEqual([]);
    expect(t.overall.plots).toBe(scene.plots);
    expect(t.overall.plotsFound + t.missed.length).toBe(scene.plots);
    // Seed 500 is drawn in Web Mercator: the generator's own areas (pixels × GSD², the GSD set from the sphere's
    // scale cos φ) agree to 1 % with the areas measured on the ellipsoid from the truth's 3857 coordinates (on the
    // ellipsoid a north-south metre there is 0.5 % shorter than the sphere's); a CRS mix-up would be off by 7 %.
    expect(scene.crs).toBe('EPSG:3857');
    const plots = readTruthFile(join(a, 'foreign-500.truth.geojson'));
    for (const [k, p] of plots.entries()) expect(Math.abs(p.areaM2 / truth.features[k].properties.area_m2 - 1)).toBeLessThan(0.01);
  });
});
