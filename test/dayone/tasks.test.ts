import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { installBins } from './child';
import { newProject, synthToDisk } from '../util';

/*
 * The generated repository's tasks, run by projen's own task runner (`npx projen <task>`), not by
 * bash: `test:rules` runs promtool (and says how to install it when it is missing), `test` runs
 * validate, and validate warns about the placeholder gitRepoUrl (--strict, as CI runs it, fails).
 */

jest.setTimeout(300_000);

const SERVICE = { name: 'checkout', namespace: 'shop', port: 'http-metrics', slos: [{ kind: 'availability', objective: 99.9 }] };

let repo: string;
let bin: string;
beforeAll(() => {
  // the default scaffold: no gitRepoUrl
  const project = newProject({ gitRepoUrl: undefined, services: [SERVICE] as any });
  repo = synthToDisk(project);
  bin = installBins(repo);
});
afterAll(() => fs.rmSync(repo, { recursive: true, force: true }));

/** `npx projen <args>` in the repository, with PATH as npx sets it (the repository's node_modules/.bin first). */
function projen(args: string[], pathRest = process.env.PATH): { status: number | null; out: string } {
  const r = spawnSync('npx', ['projen', ...args], {
    cwd: repo, encoding: 'utf-8', env: { ...process.env, PATH: `${bin}:${pathRest}` }, maxBuffer: 64 * 1024 * 1024,
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

test('npx projen test:rules runs promtool through projen\'s task runner', () => {
  const r = projen(['test:rules']);
  expect(r.out).not.toContain('command not found');
  expect(r.out).toMatch(/SUCCESS: \d+ rules found/);
  expect(r.out).toMatch(/Unit Testing: {2}tests\/rules\/workloads\.test\.yaml\s+SUCCESS/);
  expect(r.status).toBe(0);
});

test('npx projen test:rules fails on a broken rule file', () => {
  const file = path.join(repo, 'tests/rules/broken.rules.yaml');
  fs.writeFileSync(file, 'groups:\n  - name: broken\n    rules:\n      - alert: Broken\n        expr: rate(up[5m]\n');
  try {
    const r = projen(['test:rules']);
    expect(r.status).not.toBe(0);
    expect(r.out).toMatch(/broken\.rules\.yaml/);
  } finally {
    fs.rmSync(file);
  }
});

test('without promtool, npx projen test:rules says which tool is missing and how to install it', () => {
  // PATH with node and npx only (no promtool)
  const tools = fs.mkdtempSync(path.join(os.tmpdir(), 'obs-tools-'));
  for (const t of ['node', 'npx', 'npm', 'sh', 'env']) {
    const where = spawnSync('bash', ['-c', `command -v ${t}`], { encoding: 'utf-8' }).stdout.trim();
    fs.symlinkSync(fs.realpathSync(where), path.join(tools, t));
  }
  // npx is a script that finds npm's own files next to it
  fs.rmSync(path.join(tools, 'npx'));
  fs.symlinkSync(spawnSync('bash', ['-c', 'command -v npx'], { encoding: 'utf-8' }).stdout.trim(), path.join(tools, 'npx'));
  const r = projen(['test:rules'], tools);
  expect(r.status).not.toBe(0);
  expect(r.out).toContain('FAIL test-rules: promtool is missing. Install it: Debian/Ubuntu: sudo apt-get install prometheus; macOS: brew install prometheus');
  fs.rmSync(tools, { recursive: true, force: true });
});

test('npx projen test runs validate, which warns about the placeholder gitRepoUrl; --strict fails on it', () => {
  const tasks = JSON.parse(fs.readFileSync(path.join(repo, '.projen/tasks.json'), 'utf-8')).tasks;
  expect(tasks.test.steps).toContainEqual({ spawn: 'validate' });
  expect(tasks.build.steps).toContainEqual({ spawn: 'test' });

  const test = projen(['test']);
  expect(test.out).toMatch(/^ok {3}schemas: /m);
  expect(test.out).toMatch(/^WARN repository URL: gitRepoUrl is not set: \d+ Argo CD file\(s\) point at the placeholder https:\/\/github\.com\/my-org\//m);
  // (no Helm on this PATH: the render stage is NOT CHECKED, which fails only with --require-tools)
  expect(test.out).toMatch(/^\d+ passed, 0 failed, 1 not run \(tool or chart missing\), 1 warning$/m);
  expect(test.status).toBe(0);

  const strict = projen(['validate', '--strict']);
  expect(strict.out).toMatch(/^WARN repository URL: /m);
  expect(strict.status).not.toBe(0);
});

test('with gitRepoUrl set, validate has no warning', () => {
  const dir = synthToDisk(newProject({ services: [SERVICE] as any }));
  const r = spawnSync(path.join(__dirname, 'obs-gitops-from-src.js'), ['validate', dir, '--strict'], { encoding: 'utf-8' });
  expect(r.stdout).toMatch(/^ok {3}repository URL: /m);
  expect(r.stdout).not.toMatch(/^WARN/m);
  fs.rmSync(dir, { recursive: true, force: true });
});
