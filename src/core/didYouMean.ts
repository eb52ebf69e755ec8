/** Levenshtein distance between two strings (insertions, deletions and substitutions cost 1). */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}

/**
 * The known names closest to `name` (case-insensitive): those containing it or contained in it, then those within
 * an edit distance of a third of its length (at least 2); at most `limit` (default 3), nearest first.
 */
export function closestNames(name: string, known: readonly string[], limit = 3): string[] {
  const n = name.toLowerCase();
  const scored = known
    .map((k) => {
      const kl = k.toLowerCase();
      const d = kl.includes(n) || n.includes(kl) ? 0.5 : editDistance(n, kl);
      return { k, d };
    })
    .filter(({ d }) => d <= Math.max(2, Math.floor(n.length / 3)))
    .sort((x, y) => x.d - y.d || (x.k < y.k ? -1 : 1));
  return scored.slice(0, limit).map(({ k }) => k);
}

/** A hint: "did you mean X, Y?" or the fallback when nothing is close. */
export function didYouMean(name: string, known: readonly string[], fallback: string): string {
  const close = closestNames(name, known);
  return close.length > 0 ? `did you mean ${close.join(', ')}?` : fallback;
}
