/*
 * One string order for everything this library writes: by Unicode code point, the same on every
 * machine. `localeCompare` (and Intl.Collator) follow the process's locale (LANG / LC_ALL): under
 * da_DK "aa" sorts after "z" (Danish treats it as å), so a repository synthesized in Denmark came
 * out in a different order than in CI, which failed its drift check.
 *
 * Internal module: not exported from src/index.ts.
 */

/** Compares two strings by Unicode code point (not UTF-16 code unit, not locale): for `Array.sort`. */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++; // both strings hold the same surrogate pair here
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}
