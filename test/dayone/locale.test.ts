import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readTree, synthInChild } from './child';
import { compareCodePoints } from '../../src/compare';
import { withCodePointOrder } from '../../src/components/code-point-order';

/*
 * The same options give the same bytes on every machine: a synth under a Danish locale (where
 * "aa" sorts after "z", and lower case before upper case) writes exactly what a synth under the C
 * locale writes, and every list projen and this library sort is in code point order.
 */

const DANISH = { ...process.env, LANG: 'da_DK.UTF-8', LC_ALL: 'da_DK.UTF-8' };
const C = { ...process.env, LANG: 'C', LC_ALL: 'C' };

/** Names whose order differs between Danish collation, the root collation and code points. */
const SERVICES = ['zz-cart', 'aa-pay', 'ab-search', 'a-b', 'a.b', 'z9'];
const OPTIONS = {
  name: 'obs-locale',
  defaultReleaseBranch: 'main',
  gitRepoUrl: 'https://github.com/acme/observability.git',
  services: SERVICES.map((name, i) => ({ name: name.replace('.', '-dot-'), namespace: i % 2 ? 'aa-shop' : 'zz-shop', port: 'http-metrics' })),
  environments: [{ name: 'zz-prod' }, { name: 'aa-dev' }],
  clusters: [{ name: 'zz-prod-1', environment: 'zz-prod' }, { name: 'aa-dev-1', environment: 'aa-dev', server: 'https://aa-dev-1.example.com' }],
};

test('Node on this machine really sorts differently under da_DK (else this test proves nothing)', () => {
  const sortIn = (env: NodeJS.ProcessEnv) => spawnSync(process.execPath,
    ['-e', 'process.stdout.write(JSON.stringify(["z", "aa", "b", "Z"].sort((a, b) => a.localeCompare(b))))'],
    { env, encoding: 'utf-8' }).stdout;
  expect(JSON.parse(sortIn(DANISH))).toEqual(['b', 'Z', 'z', 'aa']);
  expect(JSON.parse(sortIn(C))).toEqual(['aa', 'b', 'z', 'Z']);
});

describe('a synth under LC_ALL=da_DK.UTF-8 and under LC_ALL=C', () => {
  let tmp: string;
  let danish: Map<string, Buffer>;
  let c: Map<string, Buffer>;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'obs-locale-'));
    for (const [name, env] of [['da', DANISH], ['c', C]] as const) {
      const r = synthInChild(path.join(tmp, name), OPTIONS, env);
      if (r.status !== 0) throw new Error(`synth under ${name} failed (${r.status} ${r.signal}):\n${r.stderr}`);
    }
    danish = readTree(path.join(tmp, 'da'));
    c = readTree(path.join(tmp, 'c'));
  }, 600_000);
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test('write the same files, byte for byte', () => {
    expect(danish.size).toBeGreaterThan(100);
    expect([...danish.keys()].sort()).toEqual([...c.keys()].sort());
    const differing = [...danish.keys()].filter((f) => !danish.get(f)!.equals(c.get(f)!));
    expect(differing).toEqual([]);
  });

  test('in code point order: projen\'s file manifest, .gitattributes and tasks, and the AppProject', () => {
    const inOrder = (list: string[]) => expect(list).toEqual([...list].sort(compareCodePoints));
    const files: string[] = JSON.parse(danish.get('.projen/files.json')!.toString()).files;
    expect(files).toContain('docs/services/aa-shop/aa-pay.md');
    inOrder(files);
    inOrder(danish.get('.gitattributes')!.toString().split('\n').filter((l) => l.startsWith('/')).map((l) => l.split(' ')[0]));
    inOrder(Object.keys(JSON.parse(danish.get('.projen/tasks.json')!.toString()).tasks));
  });
});

describe('withCodePointOrder', () => {
  test('answers locale-less localeCompare by code point during the synth only, and leaves explicit locales alone', () => {
    const before = String.prototype.localeCompare;
    let during: number[] = [];
    withCodePointOrder(() => {
      during = ['aa'.localeCompare('z'), 'b'.localeCompare('Z'), 'ä'.localeCompare('z', 'de'), 'x'.localeCompare('x')];
    });
    expect(during).toEqual([-1, 1, -1, 0]);
    expect(String.prototype.localeCompare).toBe(before);
    expect('b'.localeCompare('Z', 'en')).toBe(-1);
  });

  test('restores localeCompare when the synth throws', () => {
    const before = String.prototype.localeCompare;
    expect(() => withCodePointOrder(() => { throw new Error('boom'); })).toThrow('boom');
    expect(String.prototype.localeCompare).toBe(before);
  });
});

test('compareCodePoints orders by code point, astral characters after the rest of the BMP', () => {
  expect(['z', 'aa', 'Z', 'å', '\u{1F600}', '\uFFFD', 'a'].sort(compareCodePoints)).toEqual(['Z', 'a', 'aa', 'z', 'å', '\uFFFD', '\u{1F600}']);
  expect(compareCodePoints('abc', 'abc')).toBe(0);
  expect(compareCodePoints('ab', 'abc')).toBe(-1);
});
