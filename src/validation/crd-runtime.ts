/*
 * What the CRD validators need at run time besides ajv's own runtime: the formats and the
 * RegExp engine. Shared by validators compiled at synth (src/validation/crd-schema.ts) and
 * the ones compiled at build time into lib/validation/crd-validators/ (which `require` this
 * module by the name in STANDALONE_REQUIRE), so both behave the same.
 *
 * Internal module: not exported from src/index.ts.
 */

/** How a precompiled validator module (lib/validation/crd-validators/*.js) requires this one. */
export const STANDALONE_REQUIRE = '../../crd-runtime';

const int32 = (n: number) => Number.isInteger(n) && n >= -2147483648 && n <= 2147483647;

/** The formats the API server checks (others are registered as "anything" per schema). */
export const CRD_FORMATS = {
  'int32': { type: 'number' as const, validate: int32 },
  'int64': { type: 'number' as const, validate: (n: number) => Number.isInteger(n) },
  'float': { type: 'number' as const, validate: () => true },
  'double': { type: 'number' as const, validate: () => true },
  'date-time': /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/,
  'byte': /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/,
};

/**
 * RegExp engine for CRD patterns, which are Go RE2 syntax: an inline `(?i)` becomes the `i`
 * flag; a pattern JavaScript cannot compile is not enforced rather than failing the compile.
 * `code` is how ajv's standalone code refers to it.
 */
export const goRegExp = Object.assign(
  (pattern: string, flags: string): { test: (s: string) => boolean } => {
    let p = pattern;
    let f = flags;
    if (p.includes('(?i)')) {
      p = p.split('(?i)').join('');
      if (!f.includes('i')) f += 'i';
    }
    try {
      return new RegExp(p, f);
    } catch {
      return { test: () => true };
    }
  },
  { code: `require(${JSON.stringify(STANDALONE_REQUIRE)}).goRegExp` },
);
