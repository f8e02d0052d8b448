/**
 * The two glob dialects Argo CD matches with, as regular expressions.
 */

const escape = (c: string) => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** A `[...]` class starting at `pattern[i]`: its regular expression and the index of its `]`, or undefined. */
function charClass(pattern: string, i: number): { re: string; end: number } | undefined {
  const end = pattern.indexOf(']', i + 2);
  if (end < 0) return undefined;
  const body = pattern.slice(i + 1, end);
  const negated = body.startsWith('!') || body.startsWith('^');
  return { re: `[${negated ? '^' : ''}${(negated ? body.slice(1) : body).replace(/\\/g, '\\\\')}]`, end };
}

/** What sets the two dialects apart: what `*` and `?` match, and whether `{a,b}` alternates. */
interface Dialect {
  /** One character `*` and `?` match (any, or any but the separator). */
  readonly char: string;
  readonly braces: boolean;
}

function globRegExp(pattern: string, dialect: Dialect): RegExp {
  let re = '';
  let braces = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    const cls = c === '[' ? charClass(pattern, i) : undefined;
    if (c === '*') {
      re += `${dialect.char}*`;
    } else if (c === '?') {
      re += dialect.char;
    } else if (dialect.braces && c === '{') {
      re += '(?:';
      braces++;
    } else if (dialect.braces && c === '}' && braces > 0) {
      re += ')';
      braces--;
    } else if (dialect.braces && c === ',' && braces > 0) {
      re += '|';
    } else if (cls) {
      re += cls.re;
      i = cls.end;
    } else if (c === '\\' && i + 1 < pattern.length) {
      re += escape(pattern[++i]);
    } else {
      re += escape(c);
    }
  }
  return new RegExp(`^${re}$`);
}

/**
 * A directory source's `include` / `exclude` (github.com/gobwas/glob without
 * separators, matched against the file's path relative to the folder): `*`
 * and `**` match any characters, `/` included; `?` one; `{a,b}` either; `[...]`
 * a class; `\` escapes.
 */
export function argoGlob(pattern: string): RegExp {
  return globRegExp(pattern, { char: '.', braces: true });
}

/**
 * An AppProject's group or kind pattern (Go's `filepath.Match`): `*` matches
 * any characters but `/`, `?` one, `[...]` a class, `\` escapes.
 */
export function projectGlob(pattern: string): RegExp {
  return globRegExp(pattern, { char: '[^/]', braces: false });
}
