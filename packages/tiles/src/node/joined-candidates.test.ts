import { beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeFixtures, PLOTS, type Fixtures } from '../../scripts/make-fixtures';
import { scanImages } from './scan-images';
import { openGeoTiffSource } from '../read/open-geotiff-source';
import { localDistanceM } from '../read/georef';
import type { VerifierWindow } from './verify-candidates';
import { cellsUnderWindows } from './finish-image';

const MODELS = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/models');
const readJson = (p: string) => JSON.parse(readFileSync(p, 'utf8'));
let fx: Fixtures;
let dir: string;

/** The redness segmentation model with the redness classifier as verifier (and prefilter), its thresholds as given. */
function model(
  name: string,
  o: { mergeGapCells?: number; verifier: number; prefilter?: number; outline?: string; thresholds?: Record<string, number> },
): string {
  const d = join(dir, name);
  mkdirSync(d, { recursive: true });
  cpSync(join(MODELS, 'redness-seg'), d, { recursive: true });
  cpSync(join(MODELS, 'redness-cls'), join(d, 'verifier'), { recursive: true });
  if (o.prefilter !== undefined) cpSync(join(MODELS, 'redness-cls'), join(d, 'prefilter'), { recursive: true });
  const card = readJson(join(MODELS, 'redness-seg/model.json'));
  writeFileSync(
    join(d, 'model.json'),
    JSON.stringify({
      ...card,
      thresholds: {
        ...card.thresholds,
        ...(o.mergeGapCells !== undefined ? { merge_gap_cells: o.mergeGapCells } : {}),
        ...(o.outline ? { outline: o.outline } : {}),
        ...o.thresholds,
      },
      verifier: {
        model: 'verifier',
        threshold: o.verifier,
        ...(o.prefilter !== undefined ? { prefilter: { model: 'prefilter', threshold: o.prefilter, max_windows: 4 } } : {}),
      },
    }),
  );
  return d;
}

type Feature = { geometry: { type: string; coordinates: unknown[] }; properties: { id: string; score_verify: number; area_m2: number } };

async function scan(name: string, o: Parameters<typeof model>[1]) {
  const windows: VerifierWindow[] = [];
  const out = join(dir, `${name}-out`);
  const s = await scanImages({ images: [fx.files.base], modelDir: model(name, o), outDir: out, workers: 0, onVerifierWindow: (w) => windows.push(w) });
  return { s, windows, features: readJson(join(out, 'candidates.geojson')).features as Feature[] };
}

beforeAll(async () => {
  fx = await makeFixtures();
  dir = mkdtempSync(join(tmpdir(), 'tiandi-joined-'));
}, 120_000);

describe('joined candidates (thresholds.merge_gap_cells)', () => {
  it('a gap narrower than the key joins the two plots into one candidate, each part judged on its own windows', async () => {
    // The rectangle and the disc lie about 110 px (5.5 m, ~7 cells of 0.8 m) apart at their nearest.
    const apart = await scan('apart', { verifier: 0 });
    expect(apart.features.length).toBe(2);
    const near = await scan('near', { verifier: 0, mergeGapCells: 3 });
    expect(near.features.map((f) => f.properties.id)).toEqual(apart.features.map((f) => f.properties.id));
    const joined = await scan('joined', { verifier: 0, mergeGapCells: 8 });
    expect(joined.s.candidates).toBe(1);
    const [j] = joined.features;
    expect(j.geometry.type).toBe('MultiPolygon');
    expect(j.geometry.coordinates).toEqual(apart.features.map((f) => f.geometry.coordinates));
    // The first part's id, the best part's score, both parts' area; the same windows as the two candidates had.
    expect(j.properties.id).toBe(apart.features[0].properties.id);
    expect(j.properties.score_verify).toBe(Math.max(...apart.features.map((f) => f.properties.score_verify)));
    expect(j.properties.area_m2).toBeCloseTo(apart.features[0].properties.area_m2 + apart.features[1].properties.area_m2, 1);
    expect(joined.windows.map((w) => w.lonLat)).toEqual(expect.arrayContaining(apart.windows.map((w) => w.lonLat)));
    expect(joined.windows.length).toBe(apart.windows.length);
  });

  it('the verifier is shown only the parts the prefilter passed', async () => {
    const apart = await scan('apart-2', { verifier: 0 });
    const [rect, disc] = apart.features.map((f) => f.properties.score_verify);
    expect(rect).toBeGreaterThan(disc);
    const cut = (rect + disc) / 2;
    const joined = await scan('joined-pre', { verifier: 0, prefilter: cut, mergeGapCells: 8 });
    expect(joined.s.candidates).toBe(1);
    expect(joined.features[0].geometry.type).toBe('MultiPolygon');
    const src = await openGeoTiffSource(fx.files.base);
    const r = PLOTS.rect;
    const rectAt = src.pixelToWgs84((r[0] + r[2]) / 2, (r[1] + r[3]) / 2);
    const discAt = src.pixelToWgs84(PLOTS.disc[0], PLOTS.disc[1]);
    await src.close();
    expect(joined.windows.length).toBeGreaterThan(0);
    for (const w of joined.windows) expect(localDistanceM(w.lonLat, rectAt)).toBeLessThan(localDistanceM(w.lonLat, discAt));
    // A prefilter ruling out both parts rules out the joined candidate.
    const none = await scan('joined-none', { verifier: 0, prefilter: rect + 1e-3, mergeGapCells: 8 });
    expect(none.s.candidates).toBe(0);
  });

  it('thresholds.outline: a judged candidate keeps only the parts the verifier kept (kept_parts, seen_parts, kept_windows)', async () => {
    const apart = await scan('apart-3', { verifier: 0 });
    const [rect, disc] = apart.features;
    const cut = (rect.properties.score_verify + disc.properties.score_verify) / 2;
    // Traced (the default): the disc's part, which the verifier rules out, rides along with the rectangle's.
    const traced = await scan('traced', { verifier: cut, mergeGapCells: 8 });
    expect(traced.features.length).toBe(1);
    expect(traced.features[0].geometry.type).toBe('MultiPolygon');
    for (const outline of ['kept_parts', 'seen_parts', 'kept_windows']) {
      const kept = await scan(`kept-${outline}`, { verifier: cut, mergeGapCells: 8, outline });
      expect(kept.features.length).toBe(1);
      const [k] = kept.features;
      // The rectangle's part alone, traced as it was (a window of 6.4 m covers all of its 4 × 3 m); the same id and score.
      expect(k.geometry).toEqual(rect.geometry);
      expect(k.properties.area_m2).toBe(rect.properties.area_m2);
      expect(k.properties.id).toBe(traced.features[0].properties.id);
      expect(k.properties.score_verify).toBe(rect.properties.score_verify);
    }
    // Both parts kept by the verifier: both stay.
    const both = await scan('kept-both', { verifier: 0, mergeGapCells: 8, outline: 'kept_parts' });
    expect(both.features[0].geometry.coordinates).toEqual(apart.features.map((f) => f.geometry.coordinates));
  });
});

describe('bounded growth (thresholds.max_part_m2)', () => {
  it('splits a plot larger than the cap into parts of at most that area, which joining makes one candidate again', async () => {
    const apart = await scan('uncapped', { verifier: 0 });
    const rect = apart.features.find((f) => f.properties.area_m2 > 10)!;
    expect(rect.properties.area_m2).toBeGreaterThan(11);
    const capped = await scan('capped', { verifier: 0, thresholds: { max_part_m2: 4 } });
    const parts = capped.features.filter((f) => localDistanceM(centre(f), centre(rect)) < 4);
    expect(parts.length).toBeGreaterThanOrEqual(3);
    for (const f of parts) expect(f.properties.area_m2).toBeLessThanOrEqual(4.2);
    // Joined within the gap: the rectangle's parts are one candidate again, with the rectangle's id.
    const joined = await scan('capped-joined', { verifier: 0, mergeGapCells: 1, thresholds: { max_part_m2: 4 } });
    expect(joined.features.filter((f) => localDistanceM(centre(f), centre(rect)) < 4).length).toBe(1);
  });
});

/** The mean of a candidate's outer-ring vertices, lon/lat (enough to tell the rectangle from the disc, 14 m apart). */
function centre(f: Feature): [number, number] {
  const rings = (
    f.geometry.type === 'MultiPolygon' ? (f.geometry.coordinates as number[][][][]).map((p) => p[0]) : [(f.geometry.coordinates as number[][][])[0]]
  ).flat();
  return [rings.reduce((a, v) => a + v[0], 0) / rings.length, rings.reduce((a, v) => a + v[1], 0) / rings.length];
}

describe('cellsUnderWindows', () => {
  it('keeps the cells whose centres lie within half a window of a kept window centre, part by part', () => {
    // A 10-cell-wide grid; one part along row 0 (cells 0-9), one at row 5; a window centred on cell 2 with half 1.5.
    const row0 = Array.from({ length: 10 }, (_, x) => x);
    const row5 = [50, 51];
    expect(cellsUnderWindows([row0, row5], [2], 10, 1.5)).toEqual([1, 2, 3]);
    expect(cellsUnderWindows([row0, row5], [2, 41], 10, 1.5)).toEqual([1, 2, 3, 50, 51]);
    expect(cellsUnderWindows([row0, row5], [], 10, 1.5)).toEqual([]);
  });
});
