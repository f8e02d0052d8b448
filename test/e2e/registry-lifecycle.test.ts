/**
 * The whole lifecycle against a real npm registry (Verdaccio on loopback, a
 * fresh storage and npm cache): publish version N of the packed library, run the
 * real `projen new --from obs-gitops-template` against the registry (no `file:`),
 * publish N+1 whose chart catalog bumps kube-prometheus-stack one patch, then
 * run the generated repository's upgrade workflow, step by step (but the steps
 * that need GitHub or apt): record the pins, `npx projen upgrade`, re-sync,
 * validate, `obs-gitops pins-diff`. The Application's targetRevision moves and
 * the pull request body names the move.
 *
 * Verdaccio serves obs-gitops-template only from what this test publishes and
 * proxies everything else (projen, ts-node, typescript, npm-check-updates) to the
 * npm registry this machine uses. Needs the compiled library (`npx projen compile`).
 */
import { ChildProcess, execFileSync, spawn } from 'child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'fs';
import { createServer } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import * as YAML from 'yaml';
import { ROOT, mustRun as mustRunAsUser, packLibrary, run as userShell } from './user-shell';
import { repackageChart, validateToolsEnv } from './validate-tools';

const PROJEN = join(ROOT, 'node_modules', '.bin', 'projen');
const PROJEN_VERSION: string = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'projen', 'package.json'), 'utf-8')).version;
const VERDACCIO = join(ROOT, 'node_modules', 'verdaccio', 'bin', 'verdaccio');
const CHART = 'kube-prometheus-stack';
const APP = 'argocd/apps/in-cluster/kube-prometheus-stack.yaml';
const N = '0.1.0';
const N1 = '0.1.1';

jest.setTimeout(600_000);

let work: string;
let registry: string;
let verdaccio: ChildProcess | undefined;
/** npm's environment for everything the user runs: the loopback registry, an empty cache of its own. */
let npmEnv: Record<string, string>;
/** The .npmrc with the publisher's token (installs stay anonymous, as a user's). */
let publishNpmrc: string;
let packed: string;
let repo: string;
let pinned: string;
let bumped: string;

/** As a user's shell, with npm on the loopback registry. */
function run(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}): { status: number; out: string } {
  return userShell(cmd, args, cwd, { ...npmEnv, ...env });
}

function mustRun(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}): string {
  return mustRunAsUser(cmd, args, cwd, { ...npmEnv, ...env });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitForRegistry(url: string, log: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (verdaccio?.exitCode !== null && verdaccio?.exitCode !== undefined) break;
    try {
      if ((await fetch(`${url}-/ping`)).ok) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`Verdaccio did not start on ${url}:\n${existsSync(log) ? readFileSync(log, 'utf-8') : ''}`);
}

/** The packed library, unpacked, at another version (and optionally changed), published to the registry. */
function publish(version: string, change?: (dir: string) => void): string {
  const dir = mkdtempSync(join(work, `pkg-${version}-`));
  execFileSync('tar', ['xzf', packed, '-C', dir]);
  const pkgDir = join(dir, 'package');
  const pkgFile = join(pkgDir, 'package.json');
  writeFileSync(pkgFile, JSON.stringify({ ...JSON.parse(readFileSync(pkgFile, 'utf-8')), version }, null, 2));
  change?.(pkgDir);
  mustRun('npm', ['publish', pkgDir, '--tag', 'latest'], work, { npm_config_userconfig: publishNpmrc });
  return pkgDir;
}

/** Chart name → version, as the generated repository pins them (obs-gitops pins). */
function pins(): Record<string, string> {
  return JSON.parse(mustRun('npx', ['obs-gitops', 'pins'], repo).split('\n').filter((l) => !l.startsWith('npm warn')).join('\n'));
}

function targetRevision(): string {
  return YAML.parse(readFileSync(join(repo, APP), 'utf-8')).spec.sources[0].targetRevision;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'obs-gitops-registry-'));
  const upstream = execFileSync('npm', ['config', 'get', 'registry'], { encoding: 'utf-8' }).trim();
  const port = await freePort();
  registry = `http://127.0.0.1:${port}/`;
  const config = join(work, 'verdaccio.yaml');
  writeFileSync(config, YAML.stringify({
    storage: join(work, 'storage'),
    auth: { htpasswd: { file: join(work, 'htpasswd'), max_users: 10 } },
    uplinks: { upstream: { url: upstream, timeout: '60s' } },
    packages: {
      // only what this test publishes: never the real package of that name
      'obs-gitops-template': { access: '$all', publish: '$authenticated' },
      '**': { access: '$all', proxy: 'upstream' },
    },
    log: { type: 'stdout', format: 'pretty', level: 'warn' },
  }));
  const log = join(work, 'verdaccio.log');
  const fd = openSync(log, 'a');
  verdaccio = spawn(process.execPath, [VERDACCIO, '--config', config, '--listen', `127.0.0.1:${port}`], { stdio: ['ignore', fd, fd] });
  await waitForRegistry(registry, log);

  // a user, for npm publish (npm refuses to publish without a token)
  const res = await fetch(`${registry}-/user/org.couchdb.user:e2e`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'e2e', password: 'e2e-loopback-only', type: 'user', roles: [] }),
  });
  const { token } = await res.json() as { token?: string };
  if (!token) throw new Error(`Verdaccio did not create a user (${res.status})`);
  const npmrc = join(work, 'npmrc');
  writeFileSync(npmrc, `registry=${registry}\n`);
  publishNpmrc = join(work, 'publish-npmrc');
  writeFileSync(publishNpmrc, `registry=${registry}\n//127.0.0.1:${port}/:_authToken=${token}\n`);
  const cache = join(work, 'npm-cache');
  mkdirSync(cache);
  npmEnv = { npm_config_userconfig: npmrc, npm_config_registry: registry, npm_config_cache: cache, npm_config_audit: 'false', npm_config_fund: 'false' };

  packed = packLibrary(work);
  repo = join(work, 'observability');
  mkdirSync(repo);
});

afterAll(async () => {
  if (verdaccio?.pid !== undefined && verdaccio.exitCode === null) {
    const exited = new Promise((r) => verdaccio!.once('exit', r));
    process.kill(verdaccio.pid, 'SIGTERM');
    await exited;
  }
});

test(`version ${N} is published and projen new --from obs-gitops-template scaffolds from the registry`, () => {
  publish(N);
  expect(JSON.parse(mustRun('npm', ['view', 'obs-gitops-template', 'version', '--json'], work))).toBe(N);

  // with the repository's own URL, as a real repository has: the upgrade workflow validates with
  // --strict, on which the placeholder gitRepoUrl fails
  mustRun(PROJEN, ['new', '--from', 'obs-gitops-template', '--no-git', '--projen-version', PROJEN_VERSION,
    '--git-repo-url', 'https://github.com/acme/observability.git'], repo);
  const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf-8'));
  // an ordinary semver range, nothing vendored
  expect(pkg.devDependencies['obs-gitops-template']).toBe(`^${N}`);
  expect(existsSync(join(repo, 'vendor'))).toBe(false);
  expect(mustRun('npm', ['view', `obs-gitops-template@${N}`, 'dist.tarball'], work).trim()).toBe(`${registry}obs-gitops-template/-/obs-gitops-template-${N}.tgz`);
  expect(JSON.parse(readFileSync(join(repo, 'package-lock.json'), 'utf-8')).packages['node_modules/obs-gitops-template'].version).toBe(N);
  expect(readFileSync(join(repo, '.projenrc.ts'), 'utf-8')).toMatch(/devDeps: \["obs-gitops-template"\]/);
  pinned = pins()[CHART];
  expect(targetRevision()).toBe(pinned);

  const git = (...args: string[]) => mustRun('git', ['-c', 'user.name=e2e', '-c', 'user.email=e2e@example.invalid', ...args], repo);
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'scaffold');
});

test(`version ${N1} bumps ${CHART} one patch; the generated upgrade workflow moves the Application and its pull request body names it`, () => {
  const [major, minor, patch] = pinned.split('.').map(Number);
  bumped = `${major}.${minor}.${patch + 1}`;
  publish(N1, (dir) => {
    const catalog = join(dir, 'lib', 'catalog', 'charts.js');
    const text = readFileSync(catalog, 'utf-8');
    const line = `name: '${CHART}', repoUrl: PROMETHEUS_COMMUNITY, version: '${pinned}'`;
    expect(text).toContain(line);
    writeFileSync(catalog, text.replace(line, line.replace(pinned, bumped)));
    // a patch release with the same values: its key catalog and defaults as the derive step would write them
    for (const kind of ['keys', 'defaults']) {
      const from = join(dir, 'reference', 'charts', CHART, `${pinned}.${kind}.json`);
      cpSync(from, join(dir, 'reference', 'charts', CHART, `${bumped}.${kind}.json`));
    }
  });

  // the upgrade workflow, step by step, as the runner would run it; Helm and the chart packages
  // (the bumped one built with helm package) stand in for setup-helm and the chart repositories
  const tools = validateToolsEnv();
  repackageChart(CHART, pinned, bumped, tools.chartCache);
  const runnerTemp = mkdtempSync(join(work, 'runner-'));
  const githubOutput = join(runnerTemp, 'github-output');
  writeFileSync(githubOutput, '');
  const skip: Record<string, string> = {
    'Install promtool and amtool': 'installed by .ci/run with apt-get',
    'Open a pull request': 'needs GitHub',
  };
  const workflow = YAML.parse(readFileSync(join(repo, '.github/workflows/upgrade.yml'), 'utf-8'));
  const ran: string[] = [];
  const seconds: string[] = [];
  for (const step of workflow.jobs.upgrade.steps) {
    if (step.uses || skip[step.name]) continue; // checkout, setup-node, setup-helm: this folder and this machine stand in
    const started = Date.now();
    const r = run('bash', ['-eo', 'pipefail', '-c', step.run], repo, {
      RUNNER_TEMP: runnerTemp, GITHUB_OUTPUT: githubOutput, PATH: tools.PATH, XDG_CACHE_HOME: tools.XDG_CACHE_HOME, ...(step.env ?? {}),
    });
    if (r.status !== 0) throw new Error(`upgrade.yml: step "${step.name}" failed:\n${r.out}`);
    ran.push(step.name);
    seconds.push(`${step.name} ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  console.log(`upgrade.yml steps: ${seconds.join(', ')}`);
  expect(ran).toEqual(['Install', 'Record the chart pins', 'Upgrade obs-gitops-template and projen, re-synthesize',
    'Check for changes', 'Validate', 'Describe the chart changes', 'Describe the rendered changes']);

  expect(JSON.parse(readFileSync(join(runnerTemp, 'pins-before.json'), 'utf-8'))[CHART]).toBe(pinned);
  expect(readFileSync(githubOutput, 'utf-8')).toBe('changed=true\n');
  const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf-8'));
  expect(pkg.devDependencies['obs-gitops-template']).toBe(`^${N1}`);
  expect(JSON.parse(readFileSync(join(repo, 'node_modules', 'obs-gitops-template', 'package.json'), 'utf-8')).version).toBe(N1);

  // the Application moved, and only that chart did
  expect(targetRevision()).toBe(bumped);
  const after = pins();
  expect(after[CHART]).toBe(bumped);
  const changed = mustRun('git', ['status', '--porcelain'], repo).split('\n').filter(Boolean).map((l) => l.slice(3)).sort();
  expect(changed).toEqual(expect.arrayContaining([APP, 'package.json', 'package-lock.json']));

  const body = readFileSync(join(runnerTemp, 'pr-body.md'), 'utf-8');
  expect(body).toContain(`| \`${CHART}\` | \`${pinned}\` | \`${bumped}\` |  |`);
  expect(body.match(/^\| `[^`]+` \| `/gm)).toHaveLength(1);
  // and what that move changes in the cluster, rendered with the real Helm before and after
  expect(body).toContain('## What changes in the clusters');
  expect(body).toMatch(new RegExp(`^\\| \`in-cluster-${CHART}\` \\| ${CHART}@${pinned.replace(/\./g, '\\.')} → ${CHART}@${bumped.replace(/\./g, '\\.')} \\|.*\\d+ .*\\|$`, 'm'));
});
