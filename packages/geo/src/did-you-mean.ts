/** ` (did you mean 'x'?)` when a known word is within edit distance 2 of `word` or extends it, else ''. */
export function didYouMean(word: string, known: readonly string[]): string {
  let best = '';
  let bestD = 3;
  for (const k of known) {
    const w = word.toLowerCase(), kk = k.toLowerCase();
    const d = w.length >= 4 && kk.startsWith(w) ? 1 : editDistance(w, kk);
    if (d < bestD) { bestD = d; best = k; }
  }
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
