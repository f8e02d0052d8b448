/**
 * `valuesOverrides` values against the type of what they replace: the value
 * the library generates at that path, else the pinned chart's default
 * (reference/charts/<chart>/<version>.defaults.json). A chart reads
 * `enabled: "yes"` as a non-empty string (true in a template's `if`, but
 * rejected by a schema or written into a config as "yes"), a map replaced by
 * a scalar breaks every template under it, and `null` on a whole section
 * deletes all of the chart's defaults beneath it: refused unless the section's
 * path is listed in `valuesOverridesDeletions` (see `nullPaths`).
 *
 * Internal module: not exported from src/index.ts.
 */

type Kind = 'boolean' | 'number' | 'string' | 'list' | 'map' | 'null';

function kindOf(v: unknown): Kind | undefined {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'list';
  switch (typeof v) {
    case 'boolean': return 'boolean';
    case 'number': return 'number';
    case 'string': return 'string';
    case 'object': return 'map';
    default: return undefined;
  }
}

const A: Record<Kind, string> = { boolean: 'a boolean', number: 'a number', string: 'a string', list: 'a list', map: 'a map', null: 'null' };

/** Where a section may be deleted: the part and the dotted paths listed for it in `valuesOverridesDeletions`. */
export interface AllowedDeletions {
  readonly part: string;
  readonly paths: readonly string[];
}

/**
 * Problems of `override` against `generated` (the library's values of the
 * part) and `defaults` (the chart's default leaves), one line each, with the
 * dotted path inside the part's values. A null on a whole section is a
 * problem unless its dotted path is in `deletions.paths`.
 */
export function valuesTypeProblems(override: Record<string, unknown>, generated: unknown, defaults: unknown,
  deletions: AllowedDeletions = { part: '<part>', paths: [] }): string[] {
  const out: string[] = [];
  walk(override, generated, defaults, [], out, deletions);
  return out;
}

/**
 * The dotted path of every key `override` sets to null (maps only, not list
 * items), in the override's order: what an entry of `valuesOverridesDeletions`
 * must name. Keys are joined with "." as written, so `{ 'grafana.ini':
 * { analytics: null } }` gives "grafana.ini.analytics".
 */
export function nullPaths(override: unknown, at: string[] = []): string[] {
  if (!isMap(override)) return [];
  return Object.entries(override).flatMap(([key, value]) =>
    value === null ? [[...at, key].join('.')] : nullPaths(value, [...at, key]));
}

function walk(override: unknown, generated: unknown, defaults: unknown, at: string[], out: string[], deletions: AllowedDeletions): void {
  if (kindOf(override) !== 'map') return;
  for (const [key, value] of Object.entries(override as Record<string, unknown>)) {
    const path = [...at, key];
    const g = isMap(generated) ? generated[key] : undefined;
    const d = isMap(defaults) ? defaults[key] : undefined;
    const reference = g !== undefined && g !== null ? g : d;
    const expected = kindOf(reference);
    const got = kindOf(value);
    if (expected === undefined || expected === 'null' || got === undefined) continue;
    const where = `"${path.join('.')}"`;
    const source = g !== undefined && g !== null ? 'the generated value' : 'the chart\'s default';
    if (got === 'null') {
      if (expected === 'map' && Object.keys(reference as object).length > 0 && !deletions.paths.includes(path.join('.'))) {
        out.push(`${where} is null, which deletes the whole section (${plural(Object.keys(reference as object).length, 'key')} of ${source}, such as ` +
          `${Object.keys(reference as object).slice(0, 3).map((k) => `"${k}"`).join(', ')}): set the keys you mean to null one by one, ` +
          'or turn the component off with its own switch (for example enabled: false); to delete the whole section on purpose, ' +
          `list it in valuesOverridesDeletions: { ${JSON.stringify(deletions.part)}: [${JSON.stringify(path.join('.'))}] }`);
      }
      continue;
    }
    if (expected === 'map' && got === 'map') {
      walk(value, g, d, path, out, deletions);
      continue;
    }
    if (got === expected) continue;
    // A number where the chart has a string is how many charts take ports, sizes and versions
    // ("8080", "2"): Helm writes it unquoted in either case. Everything else is a different type.
    if (expected === 'string' && got === 'number') continue;
    const hint = expected === 'boolean' && got === 'string' && /^(yes|no|on|off|y|n|true|false)$/i.test(String(value))
      ? ` (write ${/^(yes|on|y|true)$/i.test(String(value)) ? 'true' : 'false'} without quotes)` : '';
    out.push(`${where} is ${A[got]} (${JSON.stringify(value)?.slice(0, 60)}), but ${source} is ${A[expected]} (${JSON.stringify(reference)?.slice(0, 60)})${hint}`);
  }
}

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
