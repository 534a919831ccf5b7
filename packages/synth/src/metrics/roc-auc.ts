/**
 * Area under the ROC curve from scores and binary labels (Mann–Whitney U with ties counted as ½).
 * Returns null when either class is empty.
 * @example rocAuc([0.9, 0.8, 0.3, 0.1], [1, 0, 1, 0]) // 0.75
 */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number | boolean>): number | null {
  const n = scores.length;
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let nPos = 0;
  for (let i = 0; i < n; i++) if (labels[i]) nPos++;
  const nNeg = n - nPos;
  if (!nPos || !nNeg) return null;
  let rankSumPos = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[idx[j + 1]] === scores[idx[i]]) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (labels[idx[k]]) rankSumPos += avgRank;
    i = j + 1;
  }
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/**
 * The highest threshold at which at least `recall` of the positives score at or above it, from each
 * positive's best score (e.g. the maximum heatmap value inside each true plot). Null without positives.
 * @example thresholdAtRecall([0.9, 0.8, 0.5, 0.2], 0.75) // 0.5
 */
export function thresholdAtRecall(positiveScores: number[], recall = 0.95): number | null {
  if (!positiveScores.length) return null;
  const s = [...positiveScores].sort((a, b) => b - a);
  const k = Math.max(1, Math.ceil(recall * s.length - 1e-9));
  return s[k - 1];
}
