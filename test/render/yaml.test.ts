import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { JsonPatch, Project, Testing, YamlFile } from 'projen';
// eslint-disable-next-line import/no-extraneous-dependencies -- projen's own resolve, which GeneratedYamlFile stands in for
import { resolve } from 'projen/lib/_resolve';
import * as YAML from 'yaml';
import { SloKind } from '../../src';
import { GeneratedYamlFile } from '../../src/components/generated-yaml-file';
import { LIBRARY_OPTIONS, fastStringifyYaml, stringifyYaml } from '../../src/render/yaml';
import { mulberry32, synthRaw } from '../util';

/*
 * src/render/yaml.ts must write exactly what `YAML.stringify(value, LIBRARY_OPTIONS)` writes
 * (projen's YamlFile options, which the generated files used before, with strings quoted for
 * YAML 1.1 readers as well, since Helm reads values with go-yaml). Compared on random data
 * with awkward strings (seeded PRNG) and on every YAML file of a generated repository.
 */

const LIBRARY = (v: unknown) => YAML.stringify(v, LIBRARY_OPTIONS);

// Pieces that exercise every quoting rule: indicators, type look-alikes, newlines, blanks, quotes,
// document markers, control characters, surrogates, non-ASCII.
const PIECES = [
  'a', 'b', 'svc-1', 'rate(x[5m])', ' ', '  ', '\n', '\n\n', '\t', ':', ': ', ' :', '#', ' #', '-', '- ', '?', '? ', ',',
  '[', ']', '{', '}', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`', '---', '...', '\n---\n', '\n...', '\n%',
  'true', 'False', 'NULL', '~', 'null', '0', '12', '-3', '+4', '0o17', '0x1F', '1.5', '.5', '1e3', '-2.5E-3', '.inf', '.NaN',
  'yes', 'No', 'ON', 'off', 'y', 'N', 'Yes', 'OFF', '0b101', '1_000', '1:20', '2024-01-31', '2024-1-1 10:00:00', '0777', '_', '.',
  '\u0000', '\u0007', '\u001b', '\u0085', '\u00a0', '\u2028', '\ud83d\ude00', '\ud800', 'é', '\\', '\\n', '{{ $labels.pod }}',
  'x'.repeat(300),
];

function randomString(rnd: () => number): string {
  const n = Math.floor(rnd() * 5);
  let s = '';
  for (let i = 0; i < n; i++) s += PIECES[Math.floor(rnd() * PIECES.length)];
  return s;
}

class Point { constructor(public x = 1) {} }

// What projen's resolve and JSON transform: undefined, functions, toJSON, dates, class instances, NaN, -0.
const UNRESOLVED = [
  undefined, () => 'from a function', () => ({ a: [1, null] }), { toJSON: () => 'token' }, new Date(0), NaN, -Infinity, -0,
  new Point(), new Map([['m', 1]]), new Set(['s']),
];

function randomValue(rnd: () => number, depth: number, unresolved = false): unknown {
  const r = rnd();
  if (depth > 3 || r < 0.45) {
    const s = rnd();
    if (unresolved && s < 0.08) return UNRESOLVED[Math.floor(rnd() * UNRESOLVED.length)];
    if (s < 0.7) return randomString(rnd);
    if (s < 0.8) return [0, -1, 1.5, 1e21, 1e-7, 42, -0.25][Math.floor(rnd() * 7)];
    if (s < 0.9) return rnd() < 0.5;
    return null;
  }
  if (r < 0.7) return Array.from({ length: Math.floor(rnd() * 4) }, () => randomValue(rnd, depth + 1, unresolved));
  const o: Record<string, unknown> = {};
  const n = Math.floor(rnd() * 4);
  for (let i = 0; i < n; i++) o[rnd() < 0.6 ? `k${Math.floor(rnd() * 20)}` : randomString(rnd)] = randomValue(rnd, depth + 1, unresolved);
  return o;
}

describe('stringifyYaml', () => {
  test('matches the yaml library on random data', () => {
    const rnd = mulberry32(0x9a41);
    let fast = 0;
    for (let i = 0; i < 20_000; i++) {
      const root = rnd() < 0.5 ? { root: randomValue(rnd, 0) } : [randomValue(rnd, 0), randomValue(rnd, 1)];
      const expected = LIBRARY(root);
      const got = stringifyYaml(root);
      if (got !== expected) throw new Error(`case ${i}: ${JSON.stringify(root)}\n--- expected\n${expected}\n--- got\n${got}`);
      if (fastStringifyYaml(root) !== undefined) fast++;
    }
    // most cases take the fast path; the rest are the library's by construction
    expect(fast).toBeGreaterThan(5_000);
  });

  test('renders an unresolved ObjectFile object as projen would after resolving it (or leaves it to projen)', () => {
    const rnd = mulberry32(0x7e501);
    let fast = 0;
    for (let i = 0; i < 20_000; i++) {
      const root = { root: randomValue(rnd, 0, true), list: [randomValue(rnd, 1, true), null, randomValue(rnd, 1, true)] };
      let expected: string | undefined;
      try {
        expected = LIBRARY(JSON.parse(JSON.stringify(resolve(root))));
      } catch {
        expected = undefined; // projen rejects it (a class instance): so must the fast path
      }
      const direct = fastStringifyYaml(root, true);
      if (expected === undefined) expect(direct).toBeUndefined();
      if (direct !== undefined) {
        fast++;
        if (direct !== expected) throw new Error(`case ${i}: ${String(root)}\n--- expected\n${expected}\n--- got\n${direct}`);
      }
    }
    expect(fast).toBeGreaterThan(5_000);
  });

  test.each([
    ['empty collections', { a: {}, b: [], c: [{}, []], d: [[1, [2]], []] }],
    ['all-null map', { a: null, b: null }],
    ['literal blocks', { a: 'x\ny', b: 'x\n\ny\n', c: ['(\n  sum(x)\n)', 'a\tb\nc'], d: { e: 'one\ntwo' } }],
    ['blocks yaml writes otherwise', { a: 'x\n ', b: 'x\n\n', c: ' x\ny', d: '\nx', e: 'x \ny', f: '\n' }],
    ['quoting', { 200: 'true', k: 'x: y', q: '"a"', r: 'it\'s', s: '\'"', t: '', u: '- a', v: '#x', w: 'a #b' }],
    ['keys', { 'a b': 1, '-': 2, ':x': 3, 'x:': 4, '---': 5, '%k': 6, 'k\nl': 7, [`${'k'.repeat(1100)}`]: 8 }],
    ['numbers', [0, -0, 1.5, 1e21, -1e-7, 123456789012345680000]],
    ['root sequence', ['a', ['b'], { c: 'd' }]],
    ['root empty map', {}],
  ])('matches the yaml library: %s', (_name, value) => {
    expect(stringifyYaml(value)).toBe(LIBRARY(value));
  });

  test('GeneratedYamlFile writes what projen\'s YamlFile writes, overrides and patches included', () => {
    // An explicit outdir: without one, projen synthesizes into the working directory when that is
    // under the temp folder (a clone in /tmp), and Testing.synth then deletes it.
    const project = new Project({ name: 'yaml-files', outdir: mkdtempSync(join(tmpdir(), 'obs-gitops-yaml-')) });
    const obj = () => ({ a: { b: [1, null, 'x: y'], c: undefined, d: () => 'lazy' }, e: 'multi\nline\n' });
    const pairs: Array<[string, (f: YamlFile) => void]> = [
      ['plain', () => undefined],
      ['override', (f) => f.addOverride('a.b', ['over'])],
      ['deletion', (f) => f.addDeletionOverride('e')],
      ['array', (f) => f.addToArray('a.b', 'more')],
      ['patch', (f) => f.patch(JsonPatch.add('/f', 'patched'))],
    ];
    for (const [name, change] of pairs) {
      change(new YamlFile(project, `projen/${name}.yaml`, { obj: obj() }));
      change(new GeneratedYamlFile(project, `generated/${name}.yaml`, { obj: obj() }));
    }
    const out = Testing.synth(project);
    for (const [name] of pairs) expect([name, out[`generated/${name}.yaml`]]).toEqual([name, out[`projen/${name}.yaml`]]);
  });

  test('matches the yaml library on every YAML file of a generated repository, on the fast path', () => {
    const files = synthRaw({
      services: [
        { name: 'checkout', namespace: 'shop', port: 'http-metrics', slos: [{ kind: SloKind.AVAILABILITY, objective: 99.9 }, { kind: SloKind.LATENCY, objective: 99, latencyThresholdSeconds: 0.5 }] },
        { name: 'cart', namespace: 'shop', port: 'http' },
      ],
    });
    let checked = 0;
    for (const [file, content] of Object.entries(files)) {
      if (!file.endsWith('.yaml') || file.startsWith('.github/') || typeof content !== 'string') continue;
      const value = YAML.parse(content);
      if (value === null || typeof value !== 'object') continue;
      expect(stringifyYaml(value)).toBe(LIBRARY(value));
      if (/^(tests\/rules|manifests)\//.test(file)) expect([file, fastStringifyYaml(value) !== undefined]).toEqual([file, true]);
      checked++;
    }
    expect(checked).toBeGreaterThan(30);
  });
});
