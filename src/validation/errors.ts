import { maskCredentials } from './credentials';

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
  /** The value it got. */
  public readonly value: unknown;
  /** What is wrong and what would be valid. */
  public readonly expected: string;

  constructor(option: string, value: unknown, expected: string) {
    // A credential in the value (or anywhere in the message) is never echoed: an error
    // message ends up in CI logs and issue reports.
    super(maskCredentials(`Invalid option "${option}": ${describeValue(value)} ${expected}`));
    this.name = 'InvalidOptionError';
    this.option = maskCredentials(option);
    this.value = typeof value === 'string' ? maskCredentials(value) : containsCredential(value) ? '***(redacted)' : value;
    this.expected = maskCredentials(expected);
  }
}

function containsCredential(value: unknown): boolean {
  try {
    const json = JSON.stringify(value);
    return json !== undefined && maskCredentials(json) !== json;
  } catch {
    return false;
  }
}

/** Render a value for an error message: strings quoted, objects as JSON. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  // masked before shortening: a token cut in half would no longer be recognised
  if (typeof value === 'string') return JSON.stringify(maskCredentials(value));
  try {
    const json = maskCredentials(JSON.stringify(value));
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
 * Up to `max` candidates close to `word`: the same name in another case if
 * there is one; else names that start with it (a name typed short, such as
 * "kube-prometheus"), then names within an edit distance of a third of its
 * length (at least 2).
 */
export function didYouMean(word: string, candidates: Iterable<string>, max = 3): string[] {
  const all = [...candidates];
  const w = word.toLowerCase();
  const same = all.filter((c) => c.toLowerCase() === w);
  if (same.length > 0) return same.slice(0, max);
  const limit = Math.max(2, Math.floor(word.length / 3));
  const prefixed = w.length >= 4 ? all.filter((c) => c.toLowerCase().startsWith(w)).sort() : [];
  const close = all
    .map((c) => ({ c, d: editDistance(word, c) }))
    .filter(({ d }) => d <= limit)
    .sort((x, y) => x.d - y.d || x.c.localeCompare(y.c))
    .map(({ c }) => c);
  return [...new Set([...prefixed, ...close])].slice(0, max);
}

/** " (did you mean "a" or "b"?)" or "" */
export function didYouMeanHint(word: string, candidates: Iterable<string>): string {
  const close = didYouMean(word, candidates);
  if (close.length === 0) return '';
  return ` (did you mean ${close.map((c) => `"${c}"`).join(' or ')}?)`;
}
