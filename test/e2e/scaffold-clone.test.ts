/**
 * End to end, as a new user on a second machine: the real `npx projen scaffold`
 * script (scripts/scaffold.sh, given the packed library) commits a repository
 * that carries its own copy of the library; a clone of it installs with `npm ci`
 * and an empty npm cache, re-syncs without drift and validates. Without the
 * vendored tarball, the workflows' first step says how to fix it.
 * Needs the compiled library (`npx projen compile`).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as YAML from 'yaml';
import { ROOT, mustRun, packLibrary, run } from './user-shell';
import { validateToolsEnv } from './validate-tools';

const VERSION: string = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf-8')).version;
const VENDORED = `vendor/obs-gitops-template-${VERSION}.tgz`;

jest.setTimeout(600_000);

let tgz: string;
let scaffolded: string;
let clone: string;

beforeAll(() => {
  tgz = packLibrary();
  const base = mkdtempSync(join(tmpdir(), 'obs-gitops-scaffold-'));
  scaffolded = join(base, 'observability');
  clone = join(base, 'clone');
});

test('npx projen scaffold commits a repository that carries the library and depends on it by a relative path', () => {
  const out = mustRun('bash', [join(ROOT, 'scripts', 'scaffold.sh'), scaffolded], ROOT, { OBS_GITOPS_TARBALL: tgz });
  expect(out).toContain(`committed as ${VENDORED}`);

  const pkg = JSON.parse(readFileSync(join(scaffolded, 'package.json'), 'utf-8'));
  expect(pkg.devDependencies['obs-gitops-template']).toBe(`file:${VENDORED}`);
  expect(readFileSync(join(scaffolded, '.projenrc.ts'), 'utf-8')).toContain(`"obs-gitops-template@file:${VENDORED}"`);
  // an active Node LTS: engines and the workflows
  expect(pkg.engines.node).toBe('>= 22.0.0');
  for (const wf of ['validate', 'upgrade']) {
    const text = readFileSync(join(scaffolded, `.github/workflows/${wf}.yml`), 'utf-8');
    expect(text).toContain('node-version: "24"');
    expect(text).not.toMatch(/node-version: "?20/);
  }
  // projen new committed everything, the tarball included (*.tgz is otherwise ignored)
  expect(mustRun('git', ['ls-files', 'vendor'], scaffolded).trim()).toBe(VENDORED);
  expect(mustRun('git', ['status', '--porcelain'], scaffolded).trim()).toBe('');
  expect(mustRun('git', ['check-ignore', '-v', '--no-index', 'other.tgz'], scaffolded)).toMatch(/\*\.tgz/);
});

test('a clone installs with npm ci and an empty npm cache, without engine warnings from dependencies, re-syncs without drift and validates', () => {
  mustRun('git', ['clone', '-q', scaffolded, clone], tmpdir());
  const cache = mkdtempSync(join(tmpdir(), 'obs-gitops-npm-cache-'));
  const install = mustRun('npm', ['ci'], clone, { npm_config_cache: cache });
  // No dependency asks for a newer Node.js than the repository's engines (>= 22). On an end-of-life
  // Node.js (this machine may run 20) npm warns about obs-gitops-template's own engines, and only that.
  const warned = [...install.matchAll(/EBADENGINE\s+package: '([^']+)@[^']*'/g)].map((m) => m[1]);
  expect([...new Set(warned)]).toEqual(Number(process.versions.node.split('.')[0]) < 22 ? ['obs-gitops-template'] : []);
  expect(existsSync(join(clone, 'node_modules', 'obs-gitops-template', 'lib', 'index.js'))).toBe(true);

  mustRun('npx', ['projen'], clone);
  expect(mustRun('git', ['status', '--porcelain'], clone).trim()).toBe('');

  // every check, the render stage included (Helm and the chart packages as a runner would have them)
  const tools = validateToolsEnv();
  const validate = run('npx', ['projen', 'validate', '--require-tools'], clone, { PATH: tools.PATH, XDG_CACHE_HOME: tools.XDG_CACHE_HOME });
  expect(validate.out).not.toMatch(/\bFAIL\b/);
  expect(validate.status).toBe(0);
});

test('without the vendored tarball, the workflows say how to fix it before npm ci fails', () => {
  const wf = YAML.parse(readFileSync(join(clone, '.github/workflows/validate.yml'), 'utf-8'));
  const steps: any[] = wf.jobs.validate.steps;
  const check = steps.find((s) => s.name === 'Check the vendored obs-gitops-template');
  expect(steps.indexOf(check)).toBeLessThan(steps.findIndex((s) => s.run === 'npm ci'));
  const upgradeSteps: any[] = YAML.parse(readFileSync(join(clone, '.github/workflows/upgrade.yml'), 'utf-8')).jobs.upgrade.steps;
  expect(upgradeSteps.map((s) => s.run)).toContain(check.run);

  // with the tarball the check passes
  expect(run('bash', ['-eo', 'pipefail', '-c', check.run], clone).status).toBe(0);

  rmSync(join(clone, VENDORED));
  rmSync(join(clone, 'node_modules'), { recursive: true, force: true });
  const r = run('bash', ['-eo', 'pipefail', '-c', check.run], clone);
  expect(r.status).toBe(1);
  expect(r.out).toContain(`::error file=package.json::obs-gitops-template is installed from ${VENDORED}, which is not in this repository.`);
  expect(r.out).toContain(`git add -f ${VENDORED}`);
  expect(r.out).toContain('devDeps: ["obs-gitops-template@^<version>"]');
  // what it spares the user: npm's own failure
  const npm = run('npm', ['ci'], clone, { npm_config_cache: mkdtempSync(join(tmpdir(), 'obs-gitops-npm-cache-')) });
  expect(npm.status).not.toBe(0);
  expect(npm.out).toMatch(/ENOENT/);
});
