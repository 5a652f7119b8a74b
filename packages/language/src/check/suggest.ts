/** "Did you mean" suggestions by edit distance. */

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions), capped at `limit + 1`. */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const prev = rows[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      }
      row.push(best);
    }
    rows.push(row);
  }
  return (rows[a.length] as number[])[b.length] as number;
}

/** The word with case and look-alike characters folded: `H1OO`, `h100` and `HlOO` all fold to `h100`. */
function fold(word: string): string {
  return word.toLowerCase().replace(/o/g, "0").replace(/[il]/g, "1");
}

/**
 * The closest candidate within a distance that grows with the word's length
 * (1 for short words, up to a third of the length); ties go to the first candidate
 * in sorted order, so suggestions are deterministic. Differences only in case or in
 * look-alike characters (O and 0, I, l and 1) count as 0.5.
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(1, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  const sorted = [...new Set(candidates)].sort();
  for (const candidate of sorted) {
    if (candidate === word) continue;
    let score: number;
    if (fold(candidate) === fold(word)) score = 0.5;
    else score = editDistance(word, candidate, limit);
    if (score <= limit && score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}
