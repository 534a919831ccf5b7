/**
 * Pure fitting of a verifier's last layer on its embeddings: an L2-regularised logistic regression pulled toward
 * the shipped layer (so a few hundred office labels adjust it rather than replace it), a threshold that keeps
 * recall, and the held-out metrics that decide whether the result is adopted. No I/O.
 */

/** A logistic head: p = sigmoid(w · x + b). */
export interface LogisticHead {
  w: Float64Array;
  b: number;
}

export interface FitHeadOptions {
  /** Pull toward the prior weights, per unit of feature variance (larger: closer to the shipped layer). */
  lambda?: number;
  /** Newton steps (each solves a (D+1)² system). */
  iterations?: number;
}

const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** The head's probability for one embedding. */
export function headScore(h: LogisticHead, x: ArrayLike<number>): number {
  let z = h.b;
  for (let d = 0; d < h.w.length; d++) z += h.w[d] * x[d];
  return sigmoid(z);
}

/** Per-feature variance (plus a floor), so the pull toward the prior does not depend on each feature's scale. */
function featureVariance(xs: ArrayLike<number>[], D: number): Float64Array {
  const mean = new Float64Array(D),
    v = new Float64Array(D);
  for (const x of xs) for (let d = 0; d < D; d++) mean[d] += x[d] / xs.length;
  for (const x of xs) for (let d = 0; d < D; d++) v[d] += (x[d] - mean[d]) ** 2 / xs.length;
  for (let d = 0; d < D; d++) v[d] += 1e-6;
  return v;
}

/** Solves A x = g for symmetric positive-definite A (n × n, row-major; overwritten) by Cholesky. */
export function solveSpd(A: Float64Array, g: Float64Array, n: number): Float64Array {
  for (let j = 0; j < n; j++) {
    let s = A[j * n + j];
    for (let k = 0; k < j; k++) s -= A[j * n + k] ** 2;
    const ljj = Math.sqrt(Math.max(s, 1e-12));
    A[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let t = A[i * n + j];
      for (let k = 0; k < j; k++) t -= A[i * n + k] * A[j * n + k];
      A[i * n + j] = t / ljj;
    }
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let t = g[i];
    for (let k = 0; k < i; k++) t -= A[i * n + k] * y[k];
    y[i] = t / A[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let t = y[i];
    for (let k = i + 1; k < n; k++) t -= A[k * n + i] * y[k];
    y[i] = t / A[i * n + i];
  }
  return y;
}

/**
 * Fits p = sigmoid(w · x + b) to labels y (1 poppy, 0 not) by Newton's method, minimising the class-balanced
 * log loss plus lambda · Σ var_d (w_d − prior_d)² (and a light pull on b): with no labels it returns the prior.
 */
export function fitLogisticHead(xs: ArrayLike<number>[], ys: ArrayLike<number>, prior: LogisticHead, o: FitHeadOptions = {}): LogisticHead {
  const D = prior.w.length,
    n = D + 1,
    N = xs.length;
  const lambda = o.lambda ?? 0.05,
    iterations = o.iterations ?? 12;
  const h: LogisticHead = { w: Float64Array.from(prior.w), b: prior.b };
  if (!N) return h;
  let nPos = 0;
  for (let i = 0; i < N; i++) nPos += ys[i] ? 1 : 0;
  const nNeg = N - nPos;
  // Each class weighs half when both are present, so thousands of desk negatives do not drown a few positives.
  const weight = (y: number) => (nPos && nNeg ? 0.5 / (y ? nPos : nNeg) : 1 / N);
  const pull = featureVariance(xs, D).map((v) => 2 * lambda * v);
  const biasPull = 2 * lambda * 1e-3;
  for (let it = 0; it < iterations; it++) {
    const H = new Float64Array(n * n),
      g = new Float64Array(n);
    for (let i = 0; i < N; i++) {
      const x = xs[i],
        p = headScore(h, x),
        s = weight(ys[i]);
      const r = s * (p - ys[i]),
        c = s * Math.max(p * (1 - p), 1e-9);
      for (let a = 0; a < D; a++) {
        g[a] += r * x[a];
        const cxa = c * x[a];
        for (let b = 0; b <= a; b++) H[a * n + b] += cxa * x[b];
        H[D * n + a] += cxa;
      }
      g[D] += r;
      H[D * n + D] += c;
    }
    for (let a = 0; a < D; a++) {
      g[a] += pull[a] * (h.w[a] - prior.w[a]);
      H[a * n + a] += pull[a];
    }
    g[D] += biasPull * (h.b - prior.b);
    H[D * n + D] += biasPull;
    for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) H[a * n + b] = H[b * n + a];
    const step = solveSpd(H, g, n);
    // Backtracking: a full Newton step from a saturated start (every score near 1) overshoots.
    const f0 = objective(h);
    let t = 1,
      trial: LogisticHead = h;
    for (let k = 0; k < 30; k++, t /= 2) {
      trial = { w: h.w.map((v, a) => v - t * step[a]), b: h.b - t * step[D] };
      if (objective(trial) <= f0) break;
    }
    const moved = Math.sqrt(step.reduce((a, v) => a + v * v, 0)) * t;
    h.w = trial.w;
    h.b = trial.b;
    if (moved < 1e-7) break;
  }
  return h;

  function objective(c: LogisticHead): number {
    let f = 0;
    for (let i = 0; i < N; i++) {
      let z = c.b;
      for (let d = 0; d < D; d++) z += c.w[d] * xs[i][d];
      // log(1 + e^-z) for a positive, log(1 + e^z) for a negative, without overflow
      const m = ys[i] ? -z : z;
      f += weight(ys[i]) * (m > 0 ? m + Math.log1p(Math.exp(-m)) : Math.log1p(Math.exp(m)));
    }
    for (let d = 0; d < D; d++) f += (pull[d] / 2) * (c.w[d] - prior.w[d]) ** 2;
    return f + (biasPull / 2) * (c.b - prior.b) ** 2;
  }
}

/**
 * The highest threshold at which at least `recall` of the positive scores pass (score ≥ threshold);
 * `fallback` when there are no positives.
 */
export function thresholdKeepingRecall(positiveScores: ArrayLike<number>, recall: number, fallback: number): number {
  const s = Array.from(positiveScores).sort((a, b) => b - a);
  if (!s.length) return fallback;
  const k = Math.max(1, Math.ceil(recall * s.length - 1e-9));
  return s[k - 1];
}

/** Recall on positives and the share of negatives still passing (false-positive rate) at a threshold. */
export interface HeldOutMetrics {
  positives: number;
  negatives: number;
  recall: number | null;
  false_positive_rate: number | null;
  threshold: number;
}

export function heldOutMetrics(scores: ArrayLike<number>, ys: ArrayLike<number>, threshold: number): HeldOutMetrics {
  let pos = 0,
    neg = 0,
    tp = 0,
    fp = 0;
  for (let i = 0; i < ys.length; i++) {
    const pass = scores[i] >= threshold;
    if (ys[i]) pos++, (tp += pass ? 1 : 0);
    else neg++, (fp += pass ? 1 : 0);
  }
  return { positives: pos, negatives: neg, recall: pos ? tp / pos : null, false_positive_rate: neg ? fp / neg : null, threshold };
}

/**
 * Whether the adapted metrics are at least as good as the current ones on the same held-out labels: recall no
 * lower (one positive of slack per 50) and false positives no higher, and better in one of them.
 */
export function adaptedIsBetter(before: HeldOutMetrics, after: HeldOutMetrics): { better: boolean; why: string } {
  const slack = before.positives ? 1 / Math.max(50, before.positives) : 0;
  if (before.recall !== null && after.recall !== null && after.recall < before.recall - slack - 1e-12) {
    return { better: false, why: `召回率下降 recall on held-out positives falls from ${before.recall.toFixed(3)} to ${after.recall.toFixed(3)}` };
  }
  const fb = before.false_positive_rate,
    fa = after.false_positive_rate;
  if (fb !== null && fa !== null && fa > fb + 1e-12) {
    return { better: false, why: `误报增加 false-positive rate on held-out negatives rises from ${fb.toFixed(3)} to ${fa.toFixed(3)}` };
  }
  if (fb !== null && fa !== null && fa === fb && (after.recall ?? 0) <= (before.recall ?? 0)) {
    return { better: false, why: 'no better on held-out labels 留出标注上没有改进' };
  }
  return {
    better: true,
    why: `held-out false-positive rate ${fb?.toFixed(3) ?? '–'} → ${fa?.toFixed(3) ?? '–'}, recall ${before.recall?.toFixed(3) ?? '–'} → ${after.recall?.toFixed(3) ?? '–'}`,
  };
}

/** A seeded split of groups (images or spatial blocks) into fit and held-out: about `heldOut` of the groups held out. */
export function splitGroups(groups: string[], heldOut: number, seed: number): Set<string> {
  const uniq = [...new Set(groups)].sort();
  let s = seed >>> 0 || 1;
  const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  for (let i = uniq.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [uniq[i], uniq[j]] = [uniq[j], uniq[i]];
  }
  const k = uniq.length > 1 ? Math.max(1, Math.round(heldOut * uniq.length)) : 0;
  return new Set(uniq.slice(0, k));
}
