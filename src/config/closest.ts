// Spelling suggestions for unknown keys and kinds: the known name closest by edit distance, so an
// error can say "did you mean 'port'?" instead of only listing what is allowed.

/** Levenshtein distance (insert, delete, substitute; transposition counts as two), case-insensitive. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const cur = [i];
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
    }
    prev = cur;
  }
  return prev[t.length];
}

/**
 * The known name nearest to `name`, or null when none is near enough: within max(2, ⌊length/3⌋)
 * edits, or a name that contains it / is contained in it (`burst` → `burst_interval_ms`).
 * Ties go to the earlier name in `known`.
 */
export function closestName(name: string, known: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  const limit = Math.max(2, Math.floor(name.length / 3));
  for (const candidate of known) {
    const d = editDistance(name, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  if (best !== null && bestDistance <= limit) return best;
  const lower = name.toLowerCase();
  if (lower.length >= 3) {
    const partial = known.find((k) => k.toLowerCase().includes(lower) || lower.includes(k.toLowerCase()));
    if (partial !== undefined) return partial;
  }
  return null;
}
