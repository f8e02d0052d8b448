/**
 * Thrown when an option of `ObservabilityGitOpsProject` is invalid. Raised in
 * the constructor, before any file is written.
 *
 * The message names the option (as a path, e.g. `clusters[1].name`), the value
 * it got and what would be valid.
 */
export class InvalidOptionError extends Error {
  /** The option path, e.g. `metrics.namespace`. */
  public readonly option: string;

  constructor(option: string, value: unknown, expected: string) {
    super(`Invalid option "${option}": ${describeValue(value)} ${expected}`);
    this.name = 'InvalidOptionError';
    this.option = option;
  }
}

/** Render a value for an error message: strings quoted, objects as JSON. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value);
  try {
    const json = JSON.stringify(value);
    return json.length > 120 ? `${json.slice(0, 117)}...` : json;
  } catch {
    return String(value);
  }
}

/** Levenshtein distance, case-insensitive. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const prev = Array.from({ length: t.length + 1 }, (_, i) => i);
  for (let i = 1; i <= s.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= t.length; j++) {
      const above = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (s[i - 1] === t[j - 1] ? 0 : 1));
      diag = above;
    }
  }
  return prev[t.length];
}

/**
 * Up to `max` candidates close to `word`: edit distance at most a third of its
 * length (at least 2), or starting with it.
 */
export function didYouMean(word: string, candidates: Iterable<string>, max = 3): string[] {
  const limit = Math.max(2, Math.floor(word.length / 3));
  const w = word.toLowerCase();
  return [...candidates]
    // a candidate that starts with the word (a truncated name) counts as close
    .map((c) => ({ c, d: w.length >= 4 && c.toLowerCase().startsWith(w) ? 1 : editDistance(word, c) }))
    .filter(({ d }) => d <= limit)
    .sort((x, y) => x.d - y.d || x.c.localeCompare(y.c))
    .slice(0, max)
    .map(({ c }) => c);
}

/** " (did you mean "a" or "b"?)" or "" */
export function didYouMeanHint(word: string, candidates: Iterable<string>): string {
  const close = didYouMean(word, candidates);
  if (close.length === 0) return '';
  return ` (did you mean ${close.map((c) => `"${c}"`).join(' or ')}?)`;
}
