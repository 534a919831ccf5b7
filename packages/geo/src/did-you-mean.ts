/** How near a word must be to count as a likely typo of a known one. */
export interface ClosestWordOptions {
  /** Largest edit distance accepted. Default 2. */
  maxDistance?: number;
  /** Count a known word that starts with `word` (4+ letters) as distance 1: a key cut short. Default false. */
  prefixes?: boolean;
}

/**
 * The known word closest to `word` by Levenshtein distance, ignoring case (the first of equals),
 * or undefined when none is within `maxDistance`.
 * @example closestWord('flowring_window', ['flowering_window', 'policy']) // 'flowering_window'
 */
export function closestWord(word: string, known: readonly string[], options: ClosestWordOptions = {}): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const kk = k.toLowerCase();
    const d = options.prefixes && w.length >= 4 && kk.startsWith(w) ? 1 : editDistance(w, kk);
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return bestD <= (options.maxDistance ?? 2) ? best : undefined;
}

/** ` (did you mean 'x'?)` when a known word is within edit distance 2 of `word` or extends it, else ''. */
export function didYouMean(word: string, known: readonly string[]): string {
  const best = closestWord(word, known, { prefixes: true });
  return best ? ` (是否为 did you mean '${best}'?)` : '';
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}
