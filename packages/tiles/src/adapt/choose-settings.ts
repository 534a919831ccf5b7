/**
 * Choosing local adaptation's pull toward the shipped layer (lambda) and how far its threshold may rise, from the
 * labels themselves: cross-validation over the FIT groups (never the held-out ones, which stay for the adopt verdict).
 * Pure; no I/O.
 */
import { fitLogisticHead, headScore, heldOutMetrics, splitGroups, thresholdKeepingRecall, type LogisticHead } from './fit-head';

/** The settings an adaptation fits with. */
export interface AdaptSettings {
  lambda: number;
  /** How far the threshold may rise toward the lowest fit positive it keeps: 0 never above the shipped one, 0.5 halfway, 0.75 three quarters. */
  raise: number;
}

/** How the settings were reached, for adaptation.json. */
export interface SettingsChoice extends AdaptSettings {
  chosen_by: 'given' | 'cross-validation on the fit labels' | 'default: too few labels to choose';
  /** Each setting tried: its cross-validated recall and false-positive rate over the fit labels. */
  tried: { lambda: number; raise: number; recall: number | null; false_positive_rate: number | null; log_loss: number; feasible: boolean }[];
}

export const DEFAULT_SETTINGS: AdaptSettings = { lambda: 0.05, raise: 0 };
/** Tried in this order, most conservative first: a later one is kept only when strictly better. */
export const LAMBDAS = [0.05, 0.015, 0.005];
export const RAISES = [0, 0.5, 0.75];

/**
 * The adapted threshold: the highest keeping, on the fit positives' adapted scores, the recall the shipped verifier had
 * there, never above the shipped one unless `raise` > 0 (then `raise` of the way up to it).
 */
export function adaptedThreshold(fitPositiveScores: number[], recallKept: number, shipped: number, raise: number): number {
  const keep = thresholdKeepingRecall(fitPositiveScores, recallKept, shipped);
  return keep <= shipped ? keep : shipped + raise * (keep - shipped);
}

/** One labelled window's embedding, its label, item (scored by its best window) and group (split unit). */
export interface EmbeddedWindow {
  x: ArrayLike<number>;
  label: 0 | 1;
  item: string;
  group: string;
  /** The shipped verifier's score for the window. */
  shipped: number;
}

/** Best window score per item and the item's label, for windows `idx`. */
export function itemBest(ws: EmbeddedWindow[], idx: number[], score: (i: number) => number): { s: number[]; y: number[] } {
  const best = new Map<string, { s: number; y: number }>();
  for (const i of idx) {
    const v = score(i),
      b = best.get(ws[i].item);
    if (!b || v > b.s) best.set(ws[i].item, { s: v, y: ws[i].label });
  }
  return { s: [...best.values()].map((b) => b.s), y: [...best.values()].map((b) => b.y) };
}

/** Fits a head on windows `idx` and its threshold (keeping the shipped recall on those windows' positives). */
export function fitWithSettings(
  ws: EmbeddedWindow[],
  idx: number[],
  prior: LogisticHead,
  shipped: number,
  s: AdaptSettings,
): { head: LogisticHead; threshold: number; recallKept: number } {
  const head = fitLogisticHead(
    idx.map((i) => ws[i].x),
    idx.map((i) => ws[i].label),
    prior,
    { lambda: s.lambda },
  );
  const before = itemBest(ws, idx, (i) => ws[i].shipped),
    after = itemBest(ws, idx, (i) => headScore(head, ws[i].x));
  const recallKept = heldOutMetrics(before.s, before.y, shipped).recall ?? 1;
  return {
    head,
    threshold: adaptedThreshold(
      after.s.filter((_, k) => after.y[k]),
      recallKept,
      shipped,
      s.raise,
    ),
    recallKept,
  };
}

/** The fit groups dealt into `k` folds in a seeded order (each fold a list of group names). */
export function foldsOf(groups: string[], k: number, seed: number): string[][] {
  const order = [...splitGroups(groups, 1 - 1e-9, seed)];
  const rest = groups.filter((g) => !order.includes(g)).sort();
  return Array.from({ length: k }, (_, f) => [...order, ...rest].filter((_, i) => i % k === f));
}

/**
 * Picks lambda and the threshold's rise by cross-validation over the FIT groups (3 folds, seeded; the held-out
 * groups stay for the adopt verdict): each setting is fitted without one fold and judged on it, so every fit label
 * is judged once, as the adopt verdict judges on the held-out labels. Feasible: recall over the folds no lower than
 * the shipped verifier's (one positive per 50 of slack); among those, the best by {@link better} (fewest false
 * positives, then recall, then out-of-fold log loss, then the higher threshold). Fixed parts of `given` are not searched. Too few groups, or
 * no positive or negative to judge: the defaults.
 */
export function chooseSettings(
  ws: EmbeddedWindow[],
  fitIdx: number[],
  prior: LogisticHead,
  shipped: number,
  seed: number,
  given: Partial<AdaptSettings> = {},
): SettingsChoice {
  const lambdas = given.lambda !== undefined ? [given.lambda] : LAMBDAS,
    raises = given.raise !== undefined ? [given.raise] : RAISES;
  const fallback = { lambda: given.lambda ?? DEFAULT_SETTINGS.lambda, raise: given.raise ?? DEFAULT_SETTINGS.raise };
  if (lambdas.length * raises.length === 1) return { ...fallback, chosen_by: 'given', tried: [] };
  const groups = [...new Set(fitIdx.map((i) => ws[i].group))].sort();
  const folds = foldsOf(groups, 3, seed + 7919).map((f) => new Set(f));
  const shippedItems = itemBest(ws, fitIdx, (i) => ws[i].shipped);
  const base = heldOutMetrics(shippedItems.s, shippedItems.y, shipped);
  const trainable = folds.every((f) => fitIdx.some((i) => !f.has(ws[i].group) && ws[i].label) && fitIdx.some((i) => !f.has(ws[i].group) && !ws[i].label));
  if (groups.length < 4 || !base.positives || !base.negatives || !trainable) return { ...fallback, chosen_by: 'default: too few labels to choose', tried: [] };
  const slack = 1 / Math.max(50, base.positives);
  const tried: SettingsChoice['tried'] = [];
  let best: Ranked | null = null;
  for (const lambda of lambdas) {
    for (const raise of raises) {
      const m = crossValidated(ws, fitIdx, folds, prior, shipped, { lambda, raise });
      const feasible = (m.recall ?? 0) >= (base.recall ?? 0) - slack - 1e-12;
      tried.push({ lambda, raise, recall: m.recall, false_positive_rate: m.false_positive_rate, log_loss: m.log_loss, feasible });
      if (!feasible) continue;
      const cand = { s: { lambda, raise }, fpr: m.false_positive_rate ?? 1, recall: m.recall ?? 0, loss: m.log_loss };
      if (!best || better(cand, best)) best = cand;
    }
  }
  return best ? { ...best.s, chosen_by: 'cross-validation on the fit labels', tried } : { ...fallback, chosen_by: 'cross-validation on the fit labels', tried };
}

interface Ranked {
  s: AdaptSettings;
  fpr: number;
  recall: number;
  loss: number;
}

/**
 * Fewer cross-validated false positives first, then higher recall; then, where the labels cannot tell them apart by
 * pass/fail (few false candidates left to count), the lower out-of-fold log loss (how well the head separates the
 * labels it never saw), and at last the higher threshold (out-of-fold scores run lower than fit ones, so the fit
 * threshold errs low). Ties within 1e-9 keep the earlier, more conservative setting.
 */
function better(a: Ranked, b: Ranked): boolean {
  const eps = 1e-9;
  if (Math.abs(a.fpr - b.fpr) > eps) return a.fpr < b.fpr;
  if (Math.abs(a.recall - b.recall) > eps) return a.recall > b.recall;
  if (Math.abs(a.loss - b.loss) > 1e-3 * Math.max(a.loss, b.loss)) return a.loss < b.loss;
  return a.s.raise > b.s.raise + eps;
}

/**
 * Each fold judged by a head fitted on the others (with its own threshold): pass/fail pooled over the folds, and the
 * class-balanced log loss of the items' best-window scores.
 */
function crossValidated(ws: EmbeddedWindow[], fitIdx: number[], folds: Set<string>[], prior: LogisticHead, shipped: number, s: AdaptSettings) {
  let pos = 0,
    neg = 0,
    tp = 0,
    fp = 0,
    lossPos = 0,
    lossNeg = 0;
  for (const fold of folds) {
    const fit = fitWithSettings(
      ws,
      fitIdx.filter((i) => !fold.has(ws[i].group)),
      prior,
      shipped,
      s,
    );
    const v = itemBest(
      ws,
      fitIdx.filter((i) => fold.has(ws[i].group)),
      (i) => headScore(fit.head, ws[i].x),
    );
    v.s.forEach((x, k) => {
      const p = Math.min(Math.max(x, 1e-7), 1 - 1e-7);
      if (v.y[k]) pos++, (tp += x >= fit.threshold ? 1 : 0), (lossPos -= Math.log(p));
      else neg++, (fp += x >= fit.threshold ? 1 : 0), (lossNeg -= Math.log(1 - p));
    });
  }
  return { recall: pos ? tp / pos : null, false_positive_rate: neg ? fp / neg : null, log_loss: (pos ? lossPos / pos : 0) / 2 + (neg ? lossNeg / neg : 0) / 2 };
}
