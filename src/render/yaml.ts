import * as YAML from 'yaml';

/*
 * YAML text of JSON data, exactly as `YAML.stringify(value, LIBRARY_OPTIONS)` (yaml 2.x: what
 * projen's YamlFile writes, with strings quoted for YAML 1.1 readers too), without building a YAML document first: the
 * library's document model made YAML rendering the largest cost of a synth with hundreds of
 * services (25 MB of rules and promtool tests at 500 services).
 *
 * The fast path covers block maps and sequences, empty collections, numbers, booleans, null,
 * and strings written plain, single-quoted, double-quoted (one line) or as `|`/`|-` literal
 * blocks. Anything else (a root scalar, control characters, a multi-line string yaml would
 * quote or chomp with `+`, a key that is multi-line, very long or looks like a document
 * marker) falls back to the yaml library for the whole document, so the output is always the
 * library's. test/render/yaml.test.ts compares both on generated files and random data.
 *
 * Internal module: not exported from src/index.ts.
 */

/**
 * YAML 1.2's `0o17` octal, which the 1.1 schema reads as a string: added to the 1.1 schema so a
 * string that either reader takes for a number is quoted (never used to write a number).
 */
const CORE_OCTAL: YAML.ScalarTag = {
  identify: () => false,
  default: true,
  tag: 'tag:yaml.org,2002:int',
  format: 'OCT',
  test: /^0o[0-7]+$/,
  resolve: (s: string) => parseInt(s.slice(2), 8),
};

/**
 * Options of the library call this reproduces: projen's YamlFile (indent 2, lineWidth 0), with
 * strings quoted for YAML 1.1 readers as well as 1.2 ones. Helm, Argo CD and Prometheus read
 * YAML with go-yaml (YAML 1.1 rules): an unquoted `yes`, `no`, `on`, `off`, `y`, `n`, `1_000`,
 * `1:20` or `2024-01-31` would reach them as a boolean, a number or a timestamp.
 */
export const LIBRARY_OPTIONS: YAML.DocumentOptions & YAML.SchemaOptions & YAML.ToStringOptions = {
  indent: 2, lineWidth: 0, version: '1.1', customTags: (tags) => [...tags, CORE_OCTAL],
};

/** Thrown (and caught below) when a value is outside the fast path. */
class Unsupported extends Error {}
const UNSUPPORTED = new Unsupported('outside the fast YAML path');

/** YAML text of JSON-compatible data, identical to `YAML.stringify(value, LIBRARY_OPTIONS)`. */
export function stringifyYaml(value: unknown): string {
  return fastStringifyYaml(value) ?? YAML.stringify(value, LIBRARY_OPTIONS);
}

/**
 * The fast path alone: undefined where the library must render (exported for tests).
 *
 * With `asProjenResolves`, `value` is a projen ObjectFile's object before projen resolves it
 * and round-trips it through JSON: the text is the same as for that result (undefined fields
 * and null or undefined array items are left out, as projen's resolve does), and anything
 * resolve or JSON would transform (functions, `toJSON`, class instances, non-finite numbers,
 * -0) returns undefined instead.
 */
export function fastStringifyYaml(value: unknown, asProjenResolves = false): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  try {
    return `${node(value, '', asProjenResolves)}\n`;
  } catch (e) {
    if (e === UNSUPPORTED) return undefined;
    throw e;
  }
}

// Characters yaml writes double-quoted with escapes (control characters, unpaired surrogates);
// the first, cheaper test also matches paired surrogates, which the second clears.
const MAYBE_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]/;
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u;
// yaml's plainString: what a plain scalar cannot start with, contain or end with.
const INDICATOR = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
const DOCUMENT_MARKER = /^(%|---|\.\.\.)/m;
// Strings the core schema (YAML 1.2) or the YAML 1.1 schema would read as something else
// (null, bool, int, float, timestamp) are quoted. The 1.1 patterns are the yaml library's
// yaml-1.1 schema tests.
const MAYBE_OTHER_TYPE = /^(?:[~nNtTfFyYoO0-9+\-.]|$)/;
const OTHER_TYPES = [
  /^(?:Y|y|[Yy]es|YES|[Oo]n|ON|N|n|[Nn]o|NO|[Oo]ff|OFF)$/,
  /^[-+]?0b[0-1_]+$/,
  /^[-+]?0[0-7_]+$/,
  /^[-+]?[0-9][0-9_]*$/,
  /^[-+]?0x[0-9a-fA-F_]+$/,
  /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/,
  /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/,
  /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/,
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:t|T|[ \t]+)[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]+)?(?:[ \t]*(?:Z|[-+][012]?[0-9](?::[0-9]{2})?))?)?$/,
  /^(?:~|[Nn]ull|NULL)?$/,
  /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/,
  /^0o[0-7]+$/,
  /^[-+]?[0-9]+$/,
  /^0x[0-9a-fA-F]+$/,
  /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/,
];
const TRAILING_BLANK_LINE = /\n[\t ]+$/;

/** A value at `indent` (the context indent yaml gives it: its map's or sequence's item indent). */
function node(value: unknown, indent: string, resolving: boolean): string {
  switch (typeof value) {
    case 'string':
      return scalar(value, indent, false);
    case 'number':
      if (resolving && (!isFinite(value) || Object.is(value, -0))) throw UNSUPPORTED; // JSON writes null, 0
      if (!isFinite(value)) return isNaN(value) ? '.nan' : value < 0 ? '-.inf' : '.inf';
      return Object.is(value, -0) ? '-0' : JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      break;
    default:
      throw UNSUPPORTED; // undefined, functions, bigint, symbols: not JSON
  }
  if (value === null) return 'null';
  if (resolving && (value as { toJSON?: unknown }).toJSON !== undefined) throw UNSUPPORTED;
  const inner = indent + '  ';
  if (Array.isArray(value)) {
    let out = '';
    for (const item of value) {
      if (resolving && item == null) continue; // projen's resolve drops null and undefined items
      if (out !== '') out += '\n' + indent;
      out += '- ' + node(item, inner, resolving);
    }
    return out === '' ? '[]' : out;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) throw UNSUPPORTED;
  let out = '';
  for (const k of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[k];
    if (v === undefined) {
      if (resolving) continue; // projen's resolve drops undefined fields
      throw UNSUPPORTED;
    }
    if (k === '__proto__') throw UNSUPPORTED;
    if (out !== '') out += '\n' + indent;
    const key = scalar(k, inner, true);
    if (key.length > 1024) throw UNSUPPORTED; // yaml writes an explicit `? key`
    const text = node(v, inner, resolving);
    // a non-empty collection starts on the next line; scalars and `{}`/`[]` follow the key
    out += v !== null && typeof v === 'object' && text !== '[]' && text !== '{}' ? key + ':\n' + inner + text : key + ': ' + text;
  }
  return out === '' ? '{}' : out;
}

/** A string scalar, as yaml's stringifyString writes it with the default (plain) string type. */
function scalar(value: string, indent: string, isKey: boolean): string {
  // Keys and short values repeat across a file (`expr`, `severity`, a namespace): a one-line
  // scalar is written the same way wherever it is, so it is worked out once.
  const cache = isKey ? keyCache : valueCache;
  const short = value.length <= CACHED_LENGTH;
  if (short) {
    const known = cache.get(value);
    if (known !== undefined) return known;
  }
  if (MAYBE_CONTROL.test(value) && CONTROL.test(value)) throw UNSUPPORTED;
  const multiLine = value.includes('\n');
  if (isKey && (multiLine || DOCUMENT_MARKER.test(value))) throw UNSUPPORTED;
  if (multiLine) return literalBlock(value, indent);
  let text = value;
  if (INDICATOR.test(value) || (MAYBE_OTHER_TYPE.test(value) && OTHER_TYPES.some((re) => re.test(value)))) text = quoted(value);
  if (short) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(value, text);
  }
  return text;
}

const CACHED_LENGTH = 200;
const CACHE_LIMIT = 100_000;
const keyCache = new Map<string, string>();
const valueCache = new Map<string, string>();

/** A one-line string yaml must quote: single quotes when it has double quotes only, else JSON. */
function quoted(value: string): string {
  if (value.includes('"') && !value.includes('\'')) return `'${value}'`;
  return JSON.stringify(value);
}

/** A multi-line string as a literal block (`|` keeps one final newline, `|-` none). */
function literalBlock(value: string, indent: string): string {
  if (TRAILING_BLANK_LINE.test(value)) throw UNSUPPORTED; // yaml double-quotes it
  let end = value.length;
  while (end > 0 && (value[end - 1] === '\n' || value[end - 1] === ' ' || value[end - 1] === '\t')) end--;
  let chomp: string;
  let body = value;
  if (end === value.length) {
    chomp = '-';
  } else if (end === value.length - 1 && value[end] === '\n' && end > 0) {
    chomp = '';
    body = value.slice(0, end);
  } else {
    throw UNSUPPORTED; // `|+`, trailing blanks or a whitespace-only string
  }
  if (body[0] === ' ' || body[0] === '\n') throw UNSUPPORTED; // needs an indentation indicator
  return `|${chomp}\n${indent}${body.replace(/\n+/g, `$&${indent}`)}`;
}
