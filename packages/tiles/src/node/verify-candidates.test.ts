import { beforeAll, describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { makeFixtures, PLOTS, type Fixtures } from '../../scripts/make-fixtures';
import { scanImages } from './scan-images';
import { openGeoTiffSource } from '../read/open-geotiff-source';
import { localDistanceM } from '../read/georef';
import { loadModelCard } from './load-model';
import { parseModelCard, type ModelCard } from '../model/model-card';
import type { RgbRaster } from '../read/resample-area';
import {
  calibrate,
  loadVerifier,
  mapConcurrent,
  readingOrder,
  readingSwathBlocks,
  readVerifierWindow,
  scoreCentres,
  scoreWindows,
  verifierCannotJudge,
  VERIFY_CACHE_BYTES,
  verifyCacheBytes,
  type Verifier,
  type VerifierWindow,
} from './verify-candidates';

const MODELS = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/models');
let fx: Fixtures;
let dir: string;
const readJson = (p: string) => JSON.parse(readFileSync(p, 'utf8'));

/**
 * The redness segmentation model with the redness classifier as its verifier (threshold and folder as given), and as
 * its prefilter too when the verifier block names one (in folder `prefilter`).
 */
function twoStage(name: string, verifier: Record<string, unknown>, verifierFolder = 'redness-cls', prefilterFolder = 'redness-cls'): string {
  const d = join(dir, name);
  mkdirSync(d, { recursive: true });
  cpSync(join(MODELS, 'redness-seg'), d, { recursive: true });
  cpSync(join(MODELS, verifierFolder), join(d, 'verifier'), { recursive: true });
  if (verifier.prefilter) cpSync(join(MODELS, prefilterFolder), join(d, 'prefilter'), { recursive: true });
  writeFileSync(join(d, 'model.json'), JSON.stringify({ ...readJson(join(MODELS, 'redness-seg/model.json')), verifier: { model: 'verifier', ...verifier } }));
  return d;
}

beforeAll(async () => {
  fx = await makeFixtures();
  dir = mkdtempSync(join(tmpdir(), 'tiandi-verify-'));
}, 120_000);

describe('the verifier (second stage)', () => {
  it('scores every candidate from windows centred on it, and reports the windows', async () => {
    const windows: VerifierWindow[] = [];
    const out = join(dir, 'keep-all');
    const s = await scanImages({
      images: [fx.files.base],
      modelDir: twoStage('keep-all', { threshold: 0 }),
      outDir: out,
      workers: 0,
      onVerifierWindow: (w) => windows.push(w),
    });
    expect(s.candidates).toBe(2);
    expect(s.verifier).toEqual({ model: 'verifier', threshold: 0, images_verified: 1, candidates_rejected: 0, skipped: [] });
    const c = readJson(join(out, 'candidates.geojson')).features.map((f: { properties: Record<string, number> }) => f.properties);
    // The rectangle (12 m²) fills more of a 6.4-m window with red than the disc (7 m²) does.
    expect(c[0].score_verify).toBeGreaterThan(c[1].score_verify);
    expect(c[1].score_verify).toBeGreaterThan(0);
    // Windows: 64 × 64 px at the verifier's 0.1 m, at most max_windows (default 4) per candidate, on the plots.
    expect(windows.length).toBeGreaterThanOrEqual(2);
    expect(windows.length).toBeLessThanOrEqual(8);
    const src = await openGeoTiffSource(fx.files.base);
    const r = PLOTS.rect;
    const rect = src.pixelToWgs84((r[0] + r[2]) / 2, (r[1] + r[3]) / 2),
      disc = src.pixelToWgs84(PLOTS.disc[0], PLOTS.disc[1]);
    await src.close();
    for (const w of windows) {
      expect([w.raster.width, w.raster.height]).toEqual([64, 64]);
      expect(Math.min(localDistanceM(w.lonLat, rect), localDistanceM(w.lonLat, disc))).toBeLessThan(2.5);
      expect(w.score).toBeGreaterThanOrEqual(0);
    }
    const best = Math.max(...windows.filter((w) => w.candidateId === c[0].id).map((w) => w.score!));
    expect(best).toBeCloseTo(c[0].score_verify, 3);
    // Judged by the verifier: not unverified, and the window it scored best saved beside the candidates.
    expect(s.candidates_unverified).toBe(0);
    for (const p of c) {
      expect(p.unverified).toBe(false);
      expect(p.chip).toBe(`chips/${p.id}.png`);
      const png = readFileSync(join(out, p.chip));
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([64, 64]);
    }
    const bestWindow = windows.filter((w) => w.candidateId === c[0].id).sort((a, b) => b.score! - a.score!)[0];
    const { data } = await sharp(join(out, c[0].chip)).raw().toBuffer({ resolveWithObject: true });
    expect(Buffer.compare(data, Buffer.from(bestWindow.raster.rgb))).toBe(0);
  });

  it('on a long job (worker threads) scores on two models threads that write the tensors, and finds the same', async () => {
    // A prefilter and views, so both stages and the views' transforms run on the models' threads.
    const d = twoStage('long-job', {
      threshold: 0,
      prefilter: { model: 'prefilter', threshold: 0 },
      views: { views: ['as_read', 'low_pass', 'flip_y'], combine: 'min' },
    });
    const one = join(dir, 'long-job-1');
    const two = join(dir, 'long-job-2');
    await scanImages({ images: [fx.files.base], modelDir: d, outDir: one, workers: 1 });
    const s = await scanImages({ images: [fx.files.base], modelDir: d, outDir: two, workers: 2, inThisThread: false });
    expect(s.candidates).toBe(2);
    // (heatmap.tif differs in float rounding between thread counts, as rows are added in another order.)
    for (const f of ['candidates.geojson', 'footprint.geojson']) expect(readFileSync(join(two, f)).equals(readFileSync(join(one, f)))).toBe(true);
    const c = readJson(join(two, 'candidates.geojson')).features.map((f: { properties: Record<string, unknown> }) => f.properties);
    for (const p of c) {
      expect(p.score_verify).toBeGreaterThan(0);
      expect(readFileSync(join(two, p.chip as string)).equals(readFileSync(join(one, p.chip as string)))).toBe(true);
    }
  });

  it('drops the candidates its threshold rejects, and keeps the rest unchanged', async () => {
    const all = readJson(join(dir, 'keep-all/candidates.geojson')).features;
    const cut = (all[0].properties.score_verify + all[1].properties.score_verify) / 2;
    const out = join(dir, 'cut');
    const s = await scanImages({ images: [fx.files.base], modelDir: twoStage('cut', { threshold: cut }), outDir: out, workers: 0 });
    expect(s.candidates).toBe(1);
    expect(s.verifier).toMatchObject({ images_verified: 1, candidates_rejected: 1 });
    const kept = readJson(join(out, 'candidates.geojson')).features;
    expect(kept.map((f: { properties: { id: string } }) => f.properties.id)).toEqual([all[0].properties.id]);
    expect(kept[0].geometry).toEqual(all[0].geometry);
  });

  it('a prefilter rules candidates out before the verifier reads their windows', async () => {
    const all = readJson(join(dir, 'keep-all/candidates.geojson')).features;
    const cut = (all[0].properties.score_verify + all[1].properties.score_verify) / 2;
    const withPrefilter = (name: string, threshold: number) => twoStage(name, { threshold: 0, prefilter: { model: 'prefilter', threshold } });
    const totals: number[] = [];
    const out = join(dir, 'prefilter-cut');
    const s = await scanImages({
      images: [fx.files.base],
      modelDir: withPrefilter('prefilter-cut', cut),
      outDir: out,
      workers: 0,
      onProgress: (p) => p.phase === 'verify' && totals.push(p.windowsTotal),
    });
    expect(s.candidates).toBe(1);
    expect(s.verifier).toMatchObject({ model: 'verifier', candidates_rejected: 1, prefilter: { model: 'prefilter', threshold: cut, candidates_rejected: 1 } });
    const kept = readJson(join(out, 'candidates.geojson')).features;
    expect(kept.map((f: { properties: { id: string } }) => f.properties.id)).toEqual([all[0].properties.id]);
    // The same model on the same windows as the keep-all verifier: the same score, now as the prefilter's.
    expect(kept[0].properties.score_prefilter).toBeCloseTo(all[0].properties.score_verify, 3);
    expect(kept[0].properties.score_verify).toBeCloseTo(all[0].properties.score_verify, 3);
    // Windows: the prefilter's on both candidates, then the verifier's on the one kept only.
    expect(totals.at(-1)).toBeGreaterThan(totals[0]);
    expect(totals.at(-1)! - totals[0]).toBeLessThan(totals[0]);
    // A prefilter keeping everything changes nothing but adds its score.
    const open = await scanImages({ images: [fx.files.base], modelDir: withPrefilter('prefilter-open', 0), outDir: join(dir, 'prefilter-open'), workers: 0 });
    expect(open.candidates).toBe(2);
    expect(open.verifier?.prefilter?.candidates_rejected).toBe(0);
    // prefilter: false sends every candidate to the verifier, as a card without one would.
    const off = await scanImages({
      images: [fx.files.base],
      modelDir: withPrefilter('prefilter-off', cut),
      outDir: join(dir, 'prefilter-off'),
      workers: 0,
      prefilter: false,
    });
    expect(off.candidates).toBe(2);
    expect(off.verifier).toMatchObject({ candidates_rejected: 0 });
    expect(off.verifier?.prefilter).toBeUndefined();
    expect(readJson(join(dir, 'prefilter-off/candidates.geojson')).features[0].properties.score_prefilter).toBeUndefined();
  });

  it('narrow: the verifier looks only inside the prefilter windows that passed, the same verdicts for fewer windows', async () => {
    // Every window's score on a keep-all run: the cut passes the best candidate's best window and not its next.
    const seen: VerifierWindow[] = [];
    const opts = { images: [fx.files.base], outDir: join(dir, 'narrow-all'), workers: 0 };
    await scanImages({ ...opts, modelDir: twoStage('narrow-all', { threshold: 0, max_windows: 16 }), onVerifierWindow: (w) => seen.push(w) });
    const scores = seen.map((w) => w.score!).sort((a, b) => b - a);
    expect(scores.length).toBeGreaterThan(2);
    const cut = (scores[0] + scores[1]) / 2;
    const scan = async (name: string, narrow: boolean) => {
      const d = twoStage(name, { threshold: 0, max_windows: 16, prefilter: { model: 'prefilter', threshold: cut, max_windows: 16, narrow } });
      const totals: number[] = [];
      const s = await scanImages({
        images: [fx.files.base],
        modelDir: d,
        outDir: join(dir, name),
        workers: 0,
        onProgress: (p) => p.phase === 'verify' && totals.push(p.windowsTotal),
      });
      const verifierWindows = totals.at(-1)! - totals[0];
      return { s, verifierWindows, kept: readJson(join(dir, name, 'candidates.geojson')).features };
    };
    const wide = await scan('narrow-off', false);
    const narrow = await scan('narrow-on', true);
    expect(narrow.s.candidates).toBe(1);
    expect(narrow.kept.map((f: { properties: { id: string } }) => f.properties.id)).toEqual(
      wide.kept.map((f: { properties: { id: string } }) => f.properties.id),
    );
    // Prefilter and verifier are one model at one GSD: the verifier's best window is the prefilter's, seen either way.
    expect(narrow.kept[0].properties.score_verify).toBeCloseTo(wide.kept[0].properties.score_verify, 5);
    // One window passed the prefilter: the verifier reads it alone, not every window of the candidate.
    expect(narrow.verifierWindows).toBe(1);
    expect(wide.verifierWindows).toBeGreaterThan(1);
  });

  it('judged one candidate at a time (secondStageBand: 1), the same verdicts, scores, chips and windows as all at once', async () => {
    const all = readJson(join(dir, 'keep-all/candidates.geojson')).features;
    const cut = (all[0].properties.score_verify + all[1].properties.score_verify) / 2;
    const d = twoStage('banded', { threshold: cut, prefilter: { model: 'prefilter', threshold: 0 } });
    const scan = async (name: string, secondStageBand?: number) => {
      const done: number[] = [];
      const summary = await scanImages({
        images: [fx.files.base],
        modelDir: d,
        outDir: join(dir, name),
        workers: 0,
        secondStageBand,
        onProgress: (p) => p.phase === 'verify' && done.push(p.windowsDone),
      });
      return { summary, done };
    };
    const whole = await scan('banded-whole');
    const banded = await scan('banded-one', 1);
    // Two candidates, one rejected by the verifier: in bands of one, the second band's windows count on from the first's.
    expect(banded.summary.candidates).toBe(1);
    expect(banded.summary.verifier).toEqual(whole.summary.verifier);
    expect(banded.summary.verifier).toMatchObject({ candidates_rejected: 1, prefilter: { candidates_rejected: 0 } });
    const kept = readFileSync(join(dir, 'banded-one/candidates.geojson'));
    expect(kept.equals(readFileSync(join(dir, 'banded-whole/candidates.geojson')))).toBe(true);
    const [c] = readJson(join(dir, 'banded-one/candidates.geojson')).features;
    expect(c.properties.id).toBe(all[0].properties.id);
    expect(readFileSync(join(dir, 'banded-one', c.properties.chip)).equals(readFileSync(join(dir, 'banded-whole', c.properties.chip)))).toBe(true);
    expect(Math.max(...banded.done)).toBe(Math.max(...whole.done));
  });

  it("reports progress over the tile rows, then over the verifier's windows", async () => {
    const phases: Array<[string, number, number]> = [];
    const s = await scanImages({
      images: [fx.files.base],
      modelDir: twoStage('progress', { threshold: 0.5 }),
      outDir: join(dir, 'progress'),
      workers: 0,
      onProgress: (p) => phases.push([p.phase, p.phase === 'tiles' ? p.tilesDone : p.windowsDone, p.phase === 'tiles' ? p.tilesTotal : p.windowsTotal]),
    });
    expect(s.verifier?.images_verified).toBe(1);
    const firstVerify = phases.findIndex((p) => p[0] === 'verify');
    expect(firstVerify).toBeGreaterThan(0);
    // Every tile row is reported before the first window, and the windows count up to their total.
    expect(phases.slice(0, firstVerify).every((p) => p[0] === 'tiles')).toBe(true);
    expect(phases[firstVerify - 1][1]).toBe(phases[firstVerify - 1][2]);
    const verify = phases.slice(firstVerify);
    expect(verify.every((p) => p[0] === 'verify')).toBe(true);
    expect(verify[0][1]).toBe(0);
    expect(verify.at(-1)![1]).toBe(verify.at(-1)![2]);
    expect(verify.at(-1)![2]).toBeGreaterThanOrEqual(2);
  });

  it('verify: false skips the second stage', async () => {
    const out = join(dir, 'off');
    const s = await scanImages({ images: [fx.files.base], modelDir: twoStage('off', { threshold: 1 }), outDir: out, workers: 0, verify: false });
    expect(s.candidates).toBe(2);
    const f = readJson(join(out, 'candidates.geojson')).features[0].properties;
    expect(f.score_verify).toBeUndefined();
    expect(f).toMatchObject({ unverified: true, unverified_reason: expect.stringContaining('--no-verify') });
    expect(f.chip).toBeUndefined();
    expect(s.verifier).toBeUndefined();
    expect(s.candidates_unverified).toBe(2);
  });

  it("a one-stage model's candidates are unverified, and say why", async () => {
    const out = join(dir, 'one-stage');
    const s = await scanImages({ images: [fx.files.base], modelDir: join(MODELS, 'redness-seg'), outDir: out, workers: 0 });
    expect(s.candidates_unverified).toBe(s.candidates);
    expect(readJson(join(out, 'candidates.geojson')).features[0].properties).toMatchObject({
      unverified: true,
      unverified_reason: expect.stringContaining('no second stage'),
    });
  });

  it("calibrates the verifier's score into p_poppy when its card says how", async () => {
    const out = join(dir, 'calibrated');
    await scanImages({
      images: [fx.files.base],
      modelDir: twoStage('calibrated', { threshold: 0, calibration: { method: 'isotonic', scores: [0, 1], probabilities: [0, 0.5] } }),
      outDir: out,
      workers: 0,
    });
    for (const { properties: p } of readJson(join(out, 'candidates.geojson')).features) expect(p.p_poppy).toBeCloseTo(p.score_verify / 2, 2);
  });

  it('refuses imagery coarser than its limit by default: the file is named with the reason and the way out, nothing is written', async () => {
    const d = twoStage('fine-verifier-refused', { threshold: 1 });
    const vc = readJson(join(d, 'verifier/model.json'));
    writeFileSync(join(d, 'verifier/model.json'), JSON.stringify({ ...vc, gsd_m: 0.01 }));
    const out = join(dir, 'coarse-refused');
    const s = await scanImages({ images: [fx.files.base], modelDir: d, outDir: out, workers: 0 });
    expect(s.failed).toEqual([
      {
        image: fx.files.base,
        code: 'TIANDI_E_GSD_TOO_COARSE',
        message: expect.stringMatching(/coarser than the verifier can judge \(≤ 0\.025 m\), so it was not scanned: fly lower, or scan with --allow-unverified/),
      },
    ]);
    expect(s.candidates).toBe(0);
    expect(existsSync(out)).toBe(false);
    // Without a second stage every candidate is unverified anyway: nothing to refuse.
    expect((await scanImages({ images: [fx.files.base], modelDir: d, outDir: join(dir, 'coarse-no-verify'), workers: 0, verify: false })).failed).toEqual([]);
  });

  it('with allowUnverified, does not judge imagery coarser than its limit: keeps every candidate, marked unverified, and says why', async () => {
    const d = twoStage('fine-verifier', { threshold: 1 });
    const vc = readJson(join(d, 'verifier/model.json'));
    writeFileSync(join(d, 'verifier/model.json'), JSON.stringify({ ...vc, gsd_m: 0.01 }));
    const out = join(dir, 'coarse');
    const s = await scanImages({ images: [fx.files.base], modelDir: d, outDir: out, workers: 0, allowUnverified: true });
    expect(s.candidates).toBe(2);
    expect(s.candidates_unverified).toBe(2);
    expect(s.verifier).toMatchObject({
      images_verified: 0,
      candidates_rejected: 0,
      skipped: [{ image: 'base.tif', reason: expect.stringContaining('coarser than the verifier can judge (≤ 0.025 m)') }],
    });
    for (const { properties: p } of readJson(join(out, 'candidates.geojson')).features) {
      expect(p).toMatchObject({ unverified: true, unverified_reason: expect.stringContaining('coarser than the verifier can judge') });
      expect(p.score_verify).toBeUndefined();
    }
  });

  it("judges imagery a hair over its GSD limit, and up to the card's max_gsd_m", async () => {
    const gsd = await openGeoTiffSource(fx.files.base).then(async (src) => {
      const g = Math.max(src.gsdM.x, src.gsdM.y);
      await src.close();
      return g;
    });
    // A verifier whose limit (2.5 × its GSD) lies 0.3 ‰ under the imagery's GSD: as 0.10003-m imagery in UTM for a 0.1-m limit.
    const d = twoStage('hair', { threshold: 0 });
    const vc = readJson(join(d, 'verifier/model.json'));
    writeFileSync(join(d, 'verifier/model.json'), JSON.stringify({ ...vc, gsd_m: gsd / 1.0003 / 2.5 }));
    const s = await scanImages({ images: [fx.files.base], modelDir: d, outDir: join(dir, 'hair'), workers: 0 });
    expect(s.verifier).toMatchObject({ images_verified: 1, skipped: [] });
    expect(s.candidates_unverified).toBe(0);
    // The card's max_gsd_m moves the limit either way.
    const wide = twoStage('wide', { threshold: 0, max_gsd_m: gsd * 1.2 });
    writeFileSync(join(wide, 'verifier/model.json'), JSON.stringify({ ...vc, gsd_m: gsd / 4 }));
    expect((await scanImages({ images: [fx.files.base], modelDir: wide, outDir: join(dir, 'wide'), workers: 0 })).verifier).toMatchObject({
      images_verified: 1,
    });
    const narrow = twoStage('narrow', { threshold: 0, max_gsd_m: gsd / 1.5 });
    const scanNarrow = { images: [fx.files.base], modelDir: narrow, outDir: join(dir, 'narrow'), workers: 0, allowUnverified: true };
    expect((await scanImages(scanNarrow)).verifier).toMatchObject({
      images_verified: 0,
    });
  });

  it('refuses a prefilter that is not a tile-classifier', async () => {
    const d = twoStage('seg-prefilter', { threshold: 0.5, prefilter: { model: 'prefilter', threshold: 0.5 } }, 'redness-cls', 'redness-seg');
    await expect(scanImages({ images: [fx.files.base], modelDir: d, outDir: join(dir, 'x0'), workers: 0 })).rejects.toMatchObject({
      code: 'TIANDI_E_BAD_MODEL_CARD',
      message: expect.stringContaining("verifier.prefilter 'prefilter' must be a tile-classifier"),
    });
  });

  it('refuses a verifier that is not a tile-classifier, or is missing, before reading any image', async () => {
    await expect(
      scanImages({ images: [fx.files.base], modelDir: twoStage('seg-verifier', { threshold: 0.5 }, 'redness-seg'), outDir: join(dir, 'x1'), workers: 0 }),
    ).rejects.toMatchObject({ code: 'TIANDI_E_BAD_MODEL_CARD', message: expect.stringContaining('must be a tile-classifier') });
    const d = join(dir, 'no-verifier');
    mkdirSync(d, { recursive: true });
    cpSync(join(MODELS, 'redness-seg'), d, { recursive: true });
    writeFileSync(
      join(d, 'model.json'),
      JSON.stringify({ ...readJson(join(MODELS, 'redness-seg/model.json')), verifier: { model: 'stage2', threshold: 0.5 } }),
    );
    await expect(scanImages({ images: [fx.files.base], modelDir: d, outDir: join(dir, 'x2'), workers: 0 })).rejects.toMatchObject({
      code: 'TIANDI_E_BAD_MODEL_CARD',
    });
  });

  it('scores windows in chunks as it would one by one, in the order given', async () => {
    const d = twoStage('chunks', { threshold: 0.5 });
    const v = (await loadVerifier(d, await loadModelCard(d)))!;
    const src = await openGeoTiffSource(fx.files.base);
    try {
      // 300 windows (more than one chunk of 256), on and off the plots, in no particular order.
      const r = PLOTS.rect;
      const spots = [
        [(r[0] + r[2]) / 2, (r[1] + r[3]) / 2],
        [PLOTS.disc[0], PLOTS.disc[1]],
        [40, 40],
        [src.width - 40, src.height / 2],
      ];
      const centres = new Float64Array(600);
      for (let i = 0; i < 300; i++) centres.set([spots[i % 4][0] + (i % 7) - 3, spots[i % 4][1] + (i % 5) - 2], 2 * i);
      const scores = await scoreCentres(v, src, centres);
      expect(scores.length).toBe(300);
      const one = async (i: number) => (await scoreWindows(v, [await readVerifierWindow(src, v.card, centres[2 * i], centres[2 * i + 1])]))[0];
      for (const i of [0, 1, 2, 3, 255, 256, 257, 299]) expect(scores[i]).toBeCloseTo(await one(i), 5);
      // On the plots the redness classifier scores higher than on bare field.
      expect(scores[0]).toBeGreaterThan(scores[2]);
      expect(scores[1]).toBeGreaterThan(scores[3]);
    } finally {
      await src.close();
      await v.model?.release();
    }
  });
});

describe('readVerifierWindow', () => {
  it('puts a window spanning whole source pixels on the pixel grid (an exact copy), and others where asked', async () => {
    const src = await openGeoTiffSource(fx.files.base);
    try {
      const card = await loadModelCard(join(MODELS, 'redness-cls'));
      const gsd = (src.gsdM.x + src.gsdM.y) / 2;
      // At the source's own GSD (within 0.2 %): the 64 source pixels whose corner is nearest the asked one.
      const same = await readVerifierWindow(src, { ...card, gsd_m: gsd * 1.001 }, 100.3, 80.6);
      const grid = await src.readWindow([68, 49, 132, 113], 64, 64);
      expect(Buffer.compare(Buffer.from(same.rgb), Buffer.from(grid.rgb))).toBe(0);
      const shifted = await src.readWindow([68.3, 48.6, 132.3, 112.6], 64, 64);
      expect(Buffer.compare(Buffer.from(same.rgb), Buffer.from(shifted.rgb))).not.toBe(0);
      // 1.37 source pixels per window pixel (87.7 a window): no whole extent, the window stays centred where asked.
      const wx = (64 * gsd * 1.37) / src.gsdM.x,
        wy = (64 * gsd * 1.37) / src.gsdM.y;
      const coarse = await readVerifierWindow(src, { ...card, gsd_m: gsd * 1.37 }, 100.3, 80.6);
      const asked = await src.readWindow([100.3 - wx / 2, 80.6 - wy / 2, 100.3 + wx / 2, 80.6 + wy / 2], 64, 64);
      expect(Buffer.compare(Buffer.from(coarse.rgb), Buffer.from(asked.rgb))).toBe(0);
    } finally {
      await src.close();
    }
  });
});

describe('verifierCannotJudge and calibrate', () => {
  const v = (gsd: number, max?: number) => ({ card: { gsd_m: gsd }, threshold: 0.5, maxWindows: 4, maxGsdM: max }) as unknown as Verifier;
  it('a 5-cm verifier judges 2-12 cm and 0.1-m imagery measured a hair coarse in UTM, not 0.25 m', () => {
    for (const g of [0.02, 0.03, 0.05, 0.08, 0.1, 0.10003, 0.1003, 0.12, 0.125, 0.126]) expect(verifierCannotJudge(v(0.05), { x: g, y: g })).toBeUndefined();
    expect(verifierCannotJudge(v(0.05), { x: 0.25, y: 0.25 })).toContain('0.250 m is coarser than the verifier can judge (≤ 0.125 m)');
    expect(verifierCannotJudge(v(0.05), { x: 0.1, y: 0.13 })).toContain('0.130 m');
    expect(verifierCannotJudge(v(0.05, 0.3), { x: 0.25, y: 0.25 })).toBeUndefined();
  });
  it('maps a score through the calibration points, clamped at the ends', () => {
    const c = { scores: [0.2, 0.5, 0.9], probabilities: [0, 0.4, 0.8] };
    expect([0, 0.2, 0.35, 0.5, 0.7, 0.9, 1].map((x) => Math.round(calibrate(c, x) * 1000) / 1000)).toEqual([0, 0, 0.2, 0.4, 0.6, 0.8, 0.8]);
    expect(calibrate({ scores: [0, 0.5, 0.5, 1], probabilities: [0, 0.1, 0.9, 1] }, 0.5)).toBeCloseTo(0.1, 5);
  });
});

describe('mapConcurrent', () => {
  it('keeps results in index order and never has more than `limit` calls pending', async () => {
    let pending = 0,
      most = 0;
    const out = await mapConcurrent(20, 3, async (i) => {
      pending++;
      most = Math.max(most, pending);
      await new Promise((res) => setTimeout(res, (i * 7) % 5));
      pending--;
      return i * i;
    });
    expect(out).toEqual(Array.from({ length: 20 }, (_, i) => i * i));
    expect(most).toBe(3);
    expect(await mapConcurrent(0, 3, async () => 1)).toEqual([]);
  });
});

describe('readingOrder', () => {
  // Centres (x, y): two candidates far apart whose windows alternate in candidate order.
  const centres = Float64Array.from([100, 100, 9000, 120, 300, 700, 9100, 90, 200, 600]);
  it('reads a tiled file swath by swath of block columns, block row by block row in each, left to right', () => {
    const tiled = { layout: { tiled: true, blockWidth: 512, blockHeight: 512 } } as never;
    // 32 MB holds 32 blocks of 512² with validity: swaths of 8 columns (4 096 px), three block rows and a column either side fit.
    expect(readingSwathBlocks({ blockWidth: 512, blockHeight: 512 })).toBe(8);
    expect(Array.from(readingOrder(tiled, centres))).toEqual([0, 4, 2, 1, 3]);
    // Swaths as wide as the cache allows: 256² blocks, 128 in the cache.
    expect(readingSwathBlocks({ blockWidth: 256, blockHeight: 256 })).toBe(40);
    expect(Array.from(readingOrder({ layout: { tiled: true, blockWidth: 256, blockHeight: 256 } } as never, centres))).toEqual([0, 1, 3, 4, 2]);
  });
  it('reads a striped file top to bottom', () => {
    const striped = { layout: { tiled: false, blockWidth: 40000, blockHeight: 1 } } as never;
    expect(Array.from(readingOrder(striped, centres))).toEqual([3, 0, 1, 4, 2]);
  });
});

describe('verifyCacheBytes', () => {
  const card = (gsd: number) => ({ gsd_m: gsd, input: { size: 64 } }) as never;
  const file = (tiled: boolean, blockWidth: number, blockHeight: number, gsd = 0.05) =>
    ({ layout: { tiled, blockWidth, blockHeight }, gsdM: { x: gsd, y: gsd } }) as never;
  it('holds every band a window spans on a striped file, with a validity byte a pixel', () => {
    // 256-row strips of a 40 000-px file: a 128-row prefilter window (0.1 m from 5 cm) or a 64-row verifier window
    // spans at most two strips, 41 MB each; 32 MB held one, and each window read its strips again.
    expect(verifyCacheBytes(file(false, 40000, 256), card(0.1))).toBe(2 * 256 * 40000 * 4);
    expect(verifyCacheBytes(file(false, 40000, 256), card(0.05))).toBe(2 * 256 * 40000 * 4);
    // 64-row strips at 3 cm: a 214-row prefilter window spans up to five.
    expect(verifyCacheBytes(file(false, 40000, 64, 0.03), card(0.1))).toBe(5 * 64 * 40000 * 4);
  });
  it('holds the two by two blocks a window may straddle on a file of large tiles', () => {
    expect(verifyCacheBytes(file(true, 2048, 2048), card(0.1))).toBe(4 * 2048 * 2048 * 4);
  });
  it('stays at VERIFY_CACHE_BYTES where that holds a window: tiles, one-row strips read in bands of 32 rows, narrow files', () => {
    expect(verifyCacheBytes(file(true, 1024, 1024), card(0.1))).toBe(VERIFY_CACHE_BYTES);
    expect(verifyCacheBytes(file(true, 512, 512), card(0.05))).toBe(VERIFY_CACHE_BYTES);
    // Five bands of 32 one-row strips: 25.6 MB.
    expect(verifyCacheBytes(file(false, 40000, 1), card(0.1))).toBe(VERIFY_CACHE_BYTES);
    expect(verifyCacheBytes(file(false, 8000, 256), card(0.1))).toBe(VERIFY_CACHE_BYTES);
  });
});

describe("the verifier's test-time views (card verifier.views)", () => {
  const DEFAULT_MODEL = join(dirname(fileURLToPath(import.meta.url)), '../../../../models/poppy-synth');

  /** Seeded 64-px windows: stripes of two colours at a slant with noise (a mirror image differs), one partly no-data. */
  function windows(n: number): RgbRaster[] {
    let s = 7;
    const rnd = () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
    return Array.from({ length: n }, (_, i) => {
      const rgb = new Uint8Array(64 * 64 * 3),
        valid = new Uint8Array(64 * 64).fill(1);
      const a = [rnd() * 255, rnd() * 255, rnd() * 255],
        b = [rnd() * 255, rnd() * 255, rnd() * 255];
      for (let p = 0; p < 64 * 64; p++) {
        const x = p % 64,
          y = (p - x) / 64;
        const col = (x + 2 * y + i) % 9 < 3 ? a : b;
        for (let c = 0; c < 3; c++) rgb[p * 3 + c] = Math.max(0, Math.min(255, col[c] + (rnd() - 0.5) * 60));
      }
      if (i === n - 1) valid.fill(0, 0, 64 * 6);
      return { width: 64, height: 64, rgb, valid, allValid: i !== n - 1 };
    });
  }
  const mirrored = (r: RgbRaster): RgbRaster => {
    const rgb = new Uint8Array(r.rgb.length),
      valid = new Uint8Array(r.valid.length);
    for (let p = 0; p < valid.length; p++) {
      const x = p % 64,
        q = p - x + 63 - x;
      valid[p] = r.valid[q];
      rgb.set(r.rgb.subarray(q * 3, q * 3 + 3), p * 3);
    }
    return { ...r, rgb, valid };
  };

  it('scores each window in every view the card lists and keeps the lowest, or the mean logit', async () => {
    const card = await loadModelCard(DEFAULT_MODEL);
    const withViews = (views: unknown) => twoStageCopy(card, views);
    // The default card's own views taken out: each window scored once, as read.
    const plain = (await loadVerifier(DEFAULT_MODEL, await twoStageCopy(card, undefined)))!;
    const ws = windows(6);
    const asRead = await scoreWindows(plain, ws);
    const flipped = await scoreWindows(plain, ws.map(mirrored));
    // The mirror image scores lower on some windows by over 0.05, so the views decide something here.
    expect(Math.max(...asRead.map((v, i) => v - flipped[i]))).toBeGreaterThan(0.05);
    const min = (await loadVerifier(DEFAULT_MODEL, await withViews({ views: ['as_read', 'flip_x'], combine: 'min' })))!;
    // At threshold 0 (a scan that keeps every candidate to read its scores) every window is scored in every view.
    min.threshold = 0;
    const mean = (await loadVerifier(DEFAULT_MODEL, await withViews({ views: ['as_read', 'flip_x'], combine: 'mean_logit' })))!;
    expect(min.views).toEqual({ views: ['as_read', 'flip_x'], combine: 'min' });
    const byMin = await scoreWindows(min, ws);
    const byMean = await scoreWindows(mean, ws);
    const logit = (p: number) => Math.log(p / (1 - p));
    for (let i = 0; i < ws.length; i++) {
      expect(byMin[i]).toBeCloseTo(Math.min(asRead[i], flipped[i]), 5);
      expect(logit(byMean[i])).toBeCloseTo((logit(asRead[i]) + logit(flipped[i])) / 2, 3);
    }
    // A card without views scores the window as read, once; the default card (since 1.3.0) has four.
    expect(plain.views).toBeUndefined();
    expect(card.verifier?.views).toEqual({ views: ['as_read', 'low_pass', 'flip_x', 'flip_y'], combine: 'min' });
    for (const v of [plain, min, mean]) await v.model?.release();
  });

  it('with min, scores the other views only for windows whose as-read score reaches the threshold', async () => {
    const card = await loadModelCard(DEFAULT_MODEL);
    const plain = (await loadVerifier(DEFAULT_MODEL, await twoStageCopy(card, undefined)))!;
    const ws = windows(6);
    const asRead = await scoreWindows(plain, ws);
    const flipped = await scoreWindows(plain, ws.map(mirrored));
    const v = (await loadVerifier(DEFAULT_MODEL, await twoStageCopy(card, { views: ['as_read', 'flip_x'], combine: 'min' })))!;
    // A threshold between the windows' as-read scores: some reach it, some do not.
    v.threshold = [...asRead].sort((a, b) => a - b)[3];
    const lazy = await scoreWindows(v, ws);
    const reach = asRead.map((s) => s >= v.threshold);
    expect(reach.filter(Boolean).length).toBe(3);
    for (let i = 0; i < ws.length; i++) {
      // Below the threshold the lowest view is below it too (the candidate is not kept on this window): as read.
      if (reach[i]) expect(lazy[i]).toBeCloseTo(Math.min(asRead[i], flipped[i]), 5);
      else expect(lazy[i]).toBeCloseTo(asRead[i], 5);
    }
    // Which windows keep their candidate is what scoring every view decides.
    for (let i = 0; i < ws.length; i++) expect(lazy[i] >= v.threshold).toBe(Math.min(asRead[i], flipped[i]) >= v.threshold);
    for (const m of [plain, v]) await m.model?.release();
  });

  it('refuses an unknown view or combination, naming the key', async () => {
    const card = await loadModelCard(DEFAULT_MODEL);
    await expect(twoStageCopy(card, { views: ['as_read', 'rotate_45'], combine: 'min' })).rejects.toMatchObject({ code: 'TIANDI_E_BAD_MODEL_CARD' });
    await expect(twoStageCopy(card, { views: ['as_read'], combine: 'max' })).rejects.toThrow(/verifier\.views\.combine/);
  });

  /** The default model's card with `verifier.views` set, parsed as a card file would be. */
  async function twoStageCopy(card: ModelCard, views: unknown): Promise<ModelCard> {
    const { views: _shipped, ...verifier } = card.verifier ?? { model: 'verifier', threshold: 0.5 };
    return parseModelCard({ ...card, verifier: views === undefined ? verifier : { ...verifier, views } });
  }
});
