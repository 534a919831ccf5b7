import { cpSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { TilesError } from '../errors';
import { adaptedIsBetter, headScore, heldOutMetrics, splitGroups, type HeldOutMetrics, type LogisticHead } from '../adapt/fit-head';
import { chooseSettings, fitWithSettings, type EmbeddedWindow, type SettingsChoice } from '../adapt/choose-settings';
import type { ModelCard } from '../model/model-card';
import type { RgbRaster } from '../read/resample-area';
import { toWgs84 } from '@tiandi/geo/crs';
import { invertGeoTransform } from '../read/georef';
import { openGeoTiffSource } from '../read/open-geotiff-source';
import { loadModelCard } from './load-model';
import { loadVerifier, readVerifierWindow, scoreWindows } from './verify-candidates';
import { loadEmbeddingModel, withHeadWeights, type ClassifierHead } from './verifier-embeddings';

/** One verifier window with its label. Windows of one candidate share `item`; split and metrics go by `group`. */
export interface LabelWindow {
  raster: RgbRaster;
  /** 1: poppy, 0: not poppy. */
  label: 0 | 1;
  /** The candidate (or target) the window belongs to: its score is its best window's, as in the scan. */
  item: string;
  /** Image or spatial block: whole groups go to fit or held-out, so neighbouring windows never straddle the split. */
  group: string;
  /** Where the label came from, e.g. 'desk', 'ground', 'missed_by_scan', 'synthetic'. */
  source: string;
}

/** What `adaptation.json` beside the adapted card records. */
export interface AdaptationRecord {
  from: { model: string; version: string; dir: string };
  version: string;
  created_at: string;
  seed: number;
  labels: {
    by_source: Record<string, { positive: number; negative: number }>;
    windows: number;
    items: number;
    fit_items: number;
    held_out_items: number;
    held_out_groups: string[];
  };
  threshold: { before: number; after: number; recall_kept: number };
  /** The pull toward the shipped layer and the threshold's rise used, and how they were chosen (absent before they were). */
  settings?: SettingsChoice;
  held_out: { before: HeldOutMetrics; after: HeldOutMetrics };
  adopt: boolean;
  why: string;
  seconds: number;
}

export interface AdaptVerifierOptions {
  modelDir: string;
  windows: LabelWindow[];
  /** The new model folder (must not exist). */
  outDir: string;
  seed?: number;
  /** Share of groups held out (default 0.3). */
  heldOut?: number;
  /** Pull toward the shipped layer; absent: chosen by cross-validation on the fit labels (0.05, 0.015 or 0.005). */
  lambda?: number;
  /**
   * Let the threshold rise above the shipped one, halfway to the lowest fit positive it keeps (true), or never
   * (false); absent: the rise (0, 1/2 or 3/4 of the way) is chosen by cross-validation with lambda.
   */
  raiseThreshold?: boolean;
  threads?: number;
  onProgress?: (what: string) => void;
}

/** The shipped head as one logistic: K = 1 with a sigmoid, or K = 2 (positive logit minus the other). */
function binaryHead(card: ModelCard, h: ClassifierHead): LogisticHead {
  if (h.classes === 1 && card.output.activation === 'sigmoid') return { w: Float64Array.from(h.weight), b: h.bias[0] };
  if (h.classes === 2 && card.output.activation !== 'none') {
    const p = card.classes.indexOf(card.positive_class),
      q = 1 - p,
      D = h.dim;
    return { w: Float64Array.from({ length: D }, (_, d) => h.weight[p * D + d] - h.weight[q * D + d]), b: h.bias[p] - h.bias[q] };
  }
  throw new TilesError(
    'TIANDI_E_MODEL_MISMATCH',
    `模型无法适配 cannot adapt: the verifier's last layer has ${h.classes} logits with activation '${card.output.activation}' (needs 1 with sigmoid, or 2)`,
  );
}

/** The fitted logistic written back as the graph's K × D layer (K = 2: the positive row carries it, the other is zero). */
function layerOf(card: ModelCard, h: ClassifierHead, fit: LogisticHead): { weight: Float32Array; bias: Float32Array } {
  if (h.classes === 1) return { weight: Float32Array.from(fit.w), bias: Float32Array.of(fit.b) };
  const p = card.classes.indexOf(card.positive_class),
    D = h.dim;
  const weight = new Float32Array(2 * D),
    bias = new Float32Array(2);
  weight.set(fit.w, p * D);
  bias[p] = fit.b;
  return { weight, bias };
}

/** Each item's score: the best of its windows (the scan keeps a candidate when its best window passes). */
function itemScores(items: string[], scores: ArrayLike<number>): Map<string, number> {
  const best = new Map<string, number>();
  items.forEach((it, i) => best.set(it, Math.max(best.get(it) ?? -Infinity, scores[i])));
  return best;
}

/** The next free `<base>-adapted-N` version string for a card version. */
export function adaptedVersion(version: string, n: number): string {
  return `${version.replace(/[-+].*$/, '')}-adapted.${n}`;
}

/**
 * Fits a new last layer for a two-stage model's verifier on labelled windows, re-chooses its threshold to keep
 * the recall it had on the fit positives, measures both on held-out groups, and writes a new model folder
 * (`outDir`: the model copied, the verifier's graph with the new layer, cards with the new version and
 * threshold, `adaptation.json`). The record says whether it should be adopted (it is not adopted here).
 * @throws TilesError `TIANDI_E_BAD_MODEL_CARD` (no verifier), `TIANDI_E_MODEL_MISMATCH` (a head it cannot adapt),
 * `TIANDI_E_BAD_ADAPT_INPUT` (no labels, or outDir exists).
 */
export async function adaptVerifier(o: AdaptVerifierOptions): Promise<AdaptationRecord> {
  const t0 = performance.now();
  const modelDir = resolve(o.modelDir),
    outDir = resolve(o.outDir);
  const card = await loadModelCard(modelDir);
  if (!card.verifier)
    throw new TilesError(
      'TIANDI_E_BAD_MODEL_CARD',
      `模型没有复核阶段 ${modelDir}/model.json has no verifier: adaptation fits the verifier's last layer`,
      join(modelDir, 'model.json'),
    );
  if (!o.windows.length)
    throw new TilesError('TIANDI_E_BAD_ADAPT_INPUT', '没有标注 no labelled windows: decide some candidates at the desk or import ground reports first');
  if (existsSync(outDir)) throw new TilesError('TIANDI_E_BAD_ADAPT_INPUT', `目标已存在 ${outDir} exists: choose a new folder for the adapted model`, outDir);
  const seed = o.seed ?? 1;
  o.onProgress?.(`嵌入 embedding ${o.windows.length} windows`);
  const { em, scores, embeddings } = await embedWindows(resolve(modelDir, card.verifier.model), o.windows, o.threads ?? 2);
  const prior = binaryHead(em.card, em.head);
  const held = splitGroups(
    o.windows.map((w) => w.group),
    o.heldOut ?? 0.3,
    seed,
  );
  const isHeld = o.windows.map((w) => held.has(w.group));
  const fitIdx = o.windows.map((_, i) => i).filter((i) => !isHeld[i]);
  const t = card.verifier.threshold;
  const ew: EmbeddedWindow[] = o.windows.map((w, i) => ({ x: embeddings[i], label: w.label, item: w.item, group: w.group, shipped: scores[i] }));
  o.onProgress?.(`选择参数 choosing lambda and threshold by cross-validation on ${fitIdx.length} fit windows`);
  const settings = chooseSettings(ew, fitIdx, prior, t, seed, {
    lambda: o.lambda,
    raise: o.raiseThreshold === undefined ? undefined : o.raiseThreshold ? 0.5 : 0,
  });
  o.onProgress?.(`拟合 fitting on ${fitIdx.length} windows (lambda ${settings.lambda}, threshold rise ${settings.raise}: ${settings.chosen_by})`);
  // The new threshold keeps, on the fit positives, the recall the shipped verifier had there (rising only as chosen).
  const { head, threshold: tNew, recallKept } = fitWithSettings(ew, fitIdx, prior, t, settings);
  const after = embeddings.map((x) => headScore(head, x));
  const cmp = compareHeldOut(o.windows, isHeld, held.size, scores, after, { before: t, after: tNew });
  const n = 1 + Number(/-adapted\.(\d+)$/.exec(card.version)?.[1] ?? 0);
  const version = adaptedVersion(card.version, n);
  const record: AdaptationRecord = {
    from: { model: card.name, version: card.version, dir: modelDir },
    version,
    created_at: new Date().toISOString(),
    seed,
    labels: {
      by_source: labelsBySource(o.windows, cmp.labelOf),
      windows: o.windows.length,
      items: cmp.labelOf.size,
      fit_items: cmp.fitItems,
      held_out_items: cmp.heldOutItems,
      held_out_groups: [...held].sort(),
    },
    threshold: { before: t, after: tNew, recall_kept: recallKept },
    settings,
    held_out: { before: cmp.before, after: cmp.after },
    adopt: cmp.verdict.better,
    why: cmp.verdict.why,
    seconds: 0,
  };
  writeAdaptedModel(modelDir, outDir, card, em, layerOf(em.card, em.head, head), record);
  record.seconds = (performance.now() - t0) / 1000;
  writeFileSync(join(outDir, 'adaptation.json'), JSON.stringify(record, null, 2) + '\n');
  return record;
}

/** The shipped verifier's score and embedding of every window; the model is released after, its head and graph kept. */
async function embedWindows(vdir: string, windows: LabelWindow[], threads: number) {
  const em = await loadEmbeddingModel(vdir, { threads });
  let scores: Float32Array, embeddings: Float32Array[];
  try {
    ({ scores, embeddings } = await em.embed(windows.map((w) => w.raster)));
  } finally {
    await em.release();
  }
  return { em, scores, embeddings };
}

/**
 * Item scores (best window) before and after on the held-out items, each at its own threshold, and whether the
 * adapted head is better there; a verdict of "not better" when nothing, or no positive, is held out.
 */
function compareHeldOut(
  windows: LabelWindow[],
  isHeld: boolean[],
  heldGroups: number,
  scores: ArrayLike<number>,
  after: ArrayLike<number>,
  threshold: { before: number; after: number },
) {
  const items = windows.map((w) => w.item);
  const labelOf = new Map(windows.map((w) => [w.item, w.label]));
  const heldItem = new Map(windows.map((w, i) => [w.item, isHeld[i]]));
  const sBefore = itemScores(items, scores),
    sAfter = itemScores(items, after);
  const pick = (m: Map<string, number>, heldOut: boolean) => {
    const ids = [...m.keys()].filter((k) => heldItem.get(k) === heldOut);
    return { s: ids.map((k) => m.get(k)!), y: ids.map((k) => labelOf.get(k)!) };
  };
  const fitB = pick(sBefore, false);
  const hb = pick(sBefore, true),
    ha = pick(sAfter, true);
  const before = heldOutMetrics(hb.s, hb.y, threshold.before),
    afterM = heldOutMetrics(ha.s, ha.y, threshold.after);
  const verdict = !heldGroups
    ? { better: false, why: 'no held-out labels (one image or block only): cannot show it is better 无留出标注' }
    : !before.positives
      ? {
          better: false,
          why: 'no held-out positives: cannot show it keeps recall 无留出阳性标注 — add ground-confirmed plots, or synthetic positives (tiandi adapt --synthetic 6)',
        }
      : adaptedIsBetter(before, afterM);
  return { labelOf, fitItems: fitB.s.length, heldOutItems: hb.s.length, before, after: afterM, verdict };
}

/** Positive and negative items per label source (an item's source is that of its first window). */
function labelsBySource(windows: LabelWindow[], labelOf: Map<string, 0 | 1>): AdaptationRecord['labels']['by_source'] {
  const bySource: AdaptationRecord['labels']['by_source'] = {};
  for (const [item, label] of labelOf) {
    const src = windows.find((w) => w.item === item)!.source;
    const e = (bySource[src] ??= { positive: 0, negative: 0 });
    label ? e.positive++ : e.negative++;
  }
  return bySource;
}

/** Copies the model folder and writes the adapted verifier and cards into it, through a temporary folder renamed at the end. */
function writeAdaptedModel(
  modelDir: string,
  outDir: string,
  card: ModelCard,
  em: Awaited<ReturnType<typeof loadEmbeddingModel>>,
  layer: { weight: Float32Array; bias: Float32Array },
  record: AdaptationRecord,
): void {
  const tmp = `${outDir}.partial-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  try {
    cpSync(modelDir, tmp, { recursive: true, filter: (p) => !basename(p).startsWith('.') && !/\.(py|sh)$/.test(p) && basename(p) !== 'adaptation.json' });
    const vdir = join(tmp, card.verifier!.model);
    writeFileSync(join(vdir, 'model.onnx'), withHeadWeights(em.proto, em.head, layer.weight, layer.bias));
    const vjson = JSON.parse(readFileSync(join(vdir, 'model.json'), 'utf8'));
    writeFileSync(
      join(vdir, 'model.json'),
      JSON.stringify({ ...vjson, version: adaptedVersion(vjson.version, Number(record.version.split('.').pop())) }, null, 2) + '\n',
    );
    const json = JSON.parse(readFileSync(join(modelDir, 'model.json'), 'utf8'));
    const { calibration: _stale, ...verifier } = json.verifier; // the shipped calibration maps the old scores, not these
    const note = `Adapted locally from ${card.name} ${card.version} on ${record.labels.items} office labels (adaptation.json). 本地适配。`;
    writeFileSync(
      join(tmp, 'model.json'),
      JSON.stringify(
        {
          ...json,
          name: basename(outDir),
          version: record.version,
          verifier: { ...verifier, threshold: record.threshold.after },
          ...(json.training ? { training: { ...json.training, data: `${json.training.data}; ${note}` } } : {}),
        },
        null,
        2,
      ) + '\n',
    );
    writeFileSync(join(tmp, 'adaptation.json'), JSON.stringify(record, null, 2) + '\n');
    renameSync(tmp, outDir);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

/** A labelled place to read a window at: WGS 84 [lon, lat] in one image file. */
export interface LabelPoint {
  lonLat: [number, number];
  label: 0 | 1;
  item: string;
  source: string;
}

/**
 * Reads the verifier's window (as the scan reads it: same reader, same GSD, same grid snapping) centred on each
 * point of one image. Points outside the image are skipped and counted.
 */
export async function readLabelWindows(
  modelDir: string,
  imagePath: string,
  group: string,
  points: LabelPoint[],
): Promise<{ windows: LabelWindow[]; outside: number }> {
  const card = await loadModelCard(resolve(modelDir));
  if (!card.verifier) throw new TilesError('TIANDI_E_BAD_MODEL_CARD', `${modelDir}/model.json has no verifier`, join(modelDir, 'model.json'));
  const vcard = await loadModelCard(resolve(modelDir, card.verifier.model));
  const src = await openGeoTiffSource(imagePath);
  try {
    const fromWgs = toWgs84(src.crs);
    const windows: LabelWindow[] = [];
    let outside = 0;
    for (const p of points) {
      const [px, py] = invertGeoTransform(src.geoTransform, ...fromWgs.inverse(p.lonLat));
      if (!(px >= 0 && py >= 0 && px < src.width && py < src.height)) {
        outside++;
        continue;
      }
      windows.push({ raster: await readVerifierWindow(src, vcard, px, py), label: p.label, item: p.item, group, source: p.source });
    }
    return { windows, outside };
  } finally {
    await src.close();
  }
}

/** Window centres over a box (WGS 84 [minLon, minLat, maxLon, maxLat]) a quarter window apart, at most `max`, centre first. */
export function windowCentres(box: [number, number, number, number], windowM: number, max: number): [number, number][] {
  const [x0, y0, x1, y1] = box;
  const lat = (y0 + y1) / 2;
  const mPerLon = 111_320 * Math.cos((lat * Math.PI) / 180),
    mPerLat = 110_574;
  const step = windowM / 4;
  const cells = (m: number) => Math.max(1, Math.ceil(m / step - 1e-6)); // a box of exactly k steps needs k cells, not k + 1
  const nx = cells((x1 - x0) * mPerLon),
    ny = cells((y1 - y0) * mPerLat);
  const pts: [number, number][] = [[(x0 + x1) / 2, lat]];
  for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) pts.push([x0 + ((i + 0.5) * (x1 - x0)) / nx, y0 + ((j + 0.5) * (y1 - y0)) / ny]);
  if (pts.length <= max) return pts;
  const keep = [pts[0]];
  for (let k = 1; k < max; k++) keep.push(pts[1 + Math.floor(((k - 1) * (pts.length - 1)) / (max - 1))]);
  return keep;
}

/** Window centres over each traced part of a candidate (its parts' centres first), at most `max` in all. */
export function candidateCentres(boxes: [number, number, number, number][], windowM: number, max: number): [number, number][] {
  const per = boxes.map((b) => windowCentres(b, windowM, max));
  const out: [number, number][] = per.map((p) => p[0]);
  const rest = per.flatMap((p) => p.slice(1));
  const room = Math.max(0, max - out.length);
  for (let k = 0; k < Math.min(room, rest.length); k++) out.push(rest[Math.floor((k * rest.length) / Math.min(room, rest.length))]);
  return out.slice(0, Math.max(max, 1));
}

/**
 * Re-scores candidates of one image with a model's verifier, without rescanning: windows over each traced part of a
 * candidate (a quarter window apart, at most the card's max_windows), its score the best window's, as in the scan.
 * The scan chose its windows at the strongest heatmap cells; a grid over the plot covers the same ground.
 */
export async function rescoreCandidates(
  modelDir: string,
  imagePath: string,
  cands: { id: string; boxes: [number, number, number, number][] }[],
): Promise<Map<string, number>> {
  const card = await loadModelCard(resolve(modelDir));
  const v = await loadVerifier(resolve(modelDir), card, { prefilter: false, threads: 2 });
  if (!v) throw new TilesError('TIANDI_E_BAD_MODEL_CARD', `${modelDir}/model.json has no verifier`, join(modelDir, 'model.json'));
  const windowM = v.card.input.size * v.card.gsd_m;
  const out = new Map<string, number>();
  try {
    const points: LabelPoint[] = cands.flatMap((c) =>
      candidateCentres(c.boxes, windowM, v.maxWindows).map((lonLat) => ({ lonLat, label: 0 as const, item: c.id, source: 'rescore' })),
    );
    const { windows } = await readLabelWindows(modelDir, imagePath, imagePath, points);
    const scores = await scoreWindows(
      v,
      windows.map((w) => w.raster),
    );
    windows.forEach((w, i) => out.set(w.item, Math.max(out.get(w.item) ?? 0, scores[i])));
  } finally {
    await v.model?.release();
  }
  return out;
}
