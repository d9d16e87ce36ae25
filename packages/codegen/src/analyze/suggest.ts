/** "did you mean …?" for misspelt tags, option keys and values. */

/**
 * Edit distance between two strings: insertions, deletions, substitutions and swaps of two adjacent
 * letters (Levenshtein with transpositions), since `hihg` is one slip of the fingers from `high`.
 */
export function levenshtein(a: string, b: string): number {
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min(rows[i - 1][j] + 1, row[j - 1] + 1, rows[i - 1][j - 1] + cost));
      const swapped = i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1];
      if (swapped) row[j] = Math.min(row[j], rows[i - 2][j - 2] + 1);
    }
    rows.push(row);
  }
  return rows[a.length][b.length];
}

/** The closest candidate when it is close enough to be a typo (case ignored); else undefined. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const limit = Math.max(1, Math.floor(word.length / 3));
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = levenshtein(word.toLowerCase(), candidate.toLowerCase());
    if (distance <= limit && (!best || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

/** ": did you mean X?" or "" — for appending to a message. */
export function didYouMean(word: string, candidates: readonly string[], prefix = ""): string {
  const match = closest(word, candidates);
  return match === undefined ? "" : `: did you mean ${prefix}${match}?`;
}
