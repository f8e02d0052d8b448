import { compareCodePoints } from '../compare';

/*
 * projen sorts what it writes (.projen/files.json, tasks.json, deps.json, .gitattributes,
 * package.json's dependencies) with `localeCompare`, whose order follows the machine's locale:
 * under LANG=da_DK "aa" sorts after "z", so a developer in Denmark re-synthesized a different
 * `.gitattributes` and `.projen/files.json` than CI, and CI's drift check failed. For the duration of a
 * synth, `String.prototype.localeCompare` called without a locale (the machine's locale) compares by
 * code point, as this library's own code does (src/compare.ts); a call that names its locale is
 * left alone.
 *
 * Internal module: not exported from src/index.ts.
 */

/** Runs `synth` with locale-less `localeCompare` calls answered in code point order. */
export function withCodePointOrder(synth: () => void): void {
  const original = String.prototype.localeCompare;
  const patched = function (this: string, that: string, locales?: string | string[], options?: Intl.CollatorOptions): number {
    if (locales === undefined && options === undefined) return compareCodePoints(String(this), String(that));
    return original.call(this, that, locales, options);
  };
  Object.defineProperty(String.prototype, 'localeCompare', { value: patched, writable: true, configurable: true, enumerable: false });
  try {
    synth();
  } finally {
    Object.defineProperty(String.prototype, 'localeCompare', { value: original, writable: true, configurable: true, enumerable: false });
  }
}
