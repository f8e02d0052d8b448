#!/usr/bin/env node
/**
 * Benchmark: how long a full `npx projen` re-sync of a generated repository
 * takes, against the re-sync of a bare `projen new typescript` project.
 *
 *   npx projen bench            (or: node scripts/bench.mjs)
 *   BENCH_RUNS=7 BENCH_SERVICES=1,10,100,500 BENCH_FLEET=3x100,5x100 npx projen bench
 *
 * It packs the library, scaffolds one repository per configuration with the
 * real `projen new --from` (not timed), then times `npx projen` in every
 * repository, interleaved round by round so machine noise spreads evenly,
 * and prints medians, ratios to the bare project and the cost per service.
 * BENCH_FLEET adds fleets: `<clusters>x<services>`, the clusters spread over
 * the environments dev, staging and prod (round robin).
 * Results also go to bench/results.json.
 *
 * Then it times `npx projen validate --no-cache` (obs-gitops validate with the
 * real promtool, amtool and kubectl, every promtool run cold) in the stack
 * repositories with BENCH_VALIDATE_SERVICES services (default 0,100,500; empty
 * skips it), BENCH_VALIDATE_RUNS interleaved rounds (default 3), and reports
 * each against the default scaffold's (0 services); once more with the cache
 * warm (a re-run on unchanged files). The goal: 500 services within 12x.
 * validate includes the render stage (the real Helm v4.1.4 from the devDependency,
 * charts from test/fixtures/chart-packages, offline); a third series with
 * --no-render shows what rendering costs.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
/** How validate renders in the benchmark: the tests' Helm and chart packages, never the network. */
const RENDER_ARGS = ['--helm', require('./lib/helm-binary.cjs').helmBinary(), '--charts', path.join(ROOT, 'test', 'fixtures', 'chart-packages'), '--offline'];
const PROJEN = path.join(ROOT, 'node_modules', '.bin', 'projen');
const PROJEN_VERSION = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', 'projen', 'package.json'), 'utf8')).version;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SERVICES = (process.env.BENCH_SERVICES ?? '0,1,10,100,500').split(',').map(Number);
const FLEET = (process.env.BENCH_FLEET ?? '3x100,5x100').split(',').filter(Boolean).map((c) => c.split('x').map(Number));
const VALIDATE_SERVICES = (process.env.BENCH_VALIDATE_SERVICES ?? '0,100,500').split(',').filter(Boolean).map(Number);
const VALIDATE_RUNS = Number(process.env.BENCH_VALIDATE_RUNS ?? 3);

const env = { ...process.env };
for (const v of ['CI', 'PROJEN_DISABLE_POST', 'NODE_ENV']) delete env[v];

function sh(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

function timeSync(cwd) {
  const start = process.hrtime.bigint();
  sh('npx', ['projen'], cwd);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function timeValidate(cwd, args) {
  const start = process.hrtime.bigint();
  sh('npx', ['projen', 'validate', ...args], cwd);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Medians of `npx projen validate` (cold: --no-cache; warm: cache filled by the cold runs), against the default scaffold. */
function benchValidate(configs) {
  const targets = configs.filter((c) => c.clusters === 1 && VALIDATE_SERVICES.includes(c.services));
  if (targets.length === 0) return undefined;
  if (spawnSync('promtool', ['--version']).error) {
    console.log('bench: promtool is not installed: validate not timed');
    return undefined;
  }
  const cold = new Map(targets.map((c) => [c.name, []]));
  const warm = new Map(targets.map((c) => [c.name, []]));
  const noRender = new Map(targets.map((c) => [c.name, []]));
  for (let round = 1; round <= VALIDATE_RUNS; round++) {
    for (const c of targets) cold.get(c.name).push(timeValidate(c.dir, ['--no-cache', ...RENDER_ARGS]));
    for (const c of targets) warm.get(c.name).push(timeValidate(c.dir, RENDER_ARGS));
    for (const c of targets) noRender.get(c.name).push(timeValidate(c.dir, ['--no-cache', '--no-render']));
    process.stdout.write(`bench: validate round ${round}/${VALIDATE_RUNS} done\n`);
  }
  const base = targets.find((c) => c.services === 0) ?? targets[0];
  const baseMs = median(cold.get(base.name));
  const rows = targets.map((c) => ({
    name: c.name, services: c.services, medianMs: Math.round(median(cold.get(c.name))),
    ratio: +(median(cold.get(c.name)) / baseMs).toFixed(2),
    warmMedianMs: Math.round(median(warm.get(c.name))),
    noRenderMedianMs: Math.round(median(noRender.get(c.name))),
    runsMs: cold.get(c.name).map(Math.round), warmRunsMs: warm.get(c.name).map(Math.round), noRenderRunsMs: noRender.get(c.name).map(Math.round),
  }));
  console.log(`\n| configuration | median \`npx projen validate --no-cache\` (render stage included) | × ${base.name} | warm cache | without the render stage |`);
  console.log('| --- | --- | --- | --- | --- |');
  for (const r of rows) {
    console.log(`| ${r.name} | ${(r.medianMs / 1000).toFixed(2)} s | ${r.ratio} | ${(r.warmMedianMs / 1000).toFixed(2)} s | ${(r.noRenderMedianMs / 1000).toFixed(2)} s |`);
  }
  return { runs: VALIDATE_RUNS, baseline: base.name, rows };
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

/** A `.projenrc.ts` services list: n services in 10 namespaces, each with an availability and a latency SLO. */
function servicesLiteral(n) {
  const items = [];
  for (let i = 0; i < n; i++) {
    items.push(`    { name: 'svc-${i}', namespace: 'team-${i % 10}', port: 'http-metrics', ` +
      "slos: [{ kind: SloKind.AVAILABILITY, objective: 99.9 }, { kind: SloKind.LATENCY, objective: 99, latencyThresholdSeconds: 0.5 }] },");
  }
  return `[\n${items.join('\n')}\n  ]`;
}

/** Environments and clusters for `.projenrc.ts`: n clusters spread round robin over dev, staging and prod. */
function fleetLiteral(n) {
  const envs = ['dev', 'staging', 'prod'].slice(0, Math.min(3, n));
  const clusters = [];
  for (let i = 0; i < n; i++) clusters.push(`    { name: 'c${i}', environment: '${envs[i % envs.length]}', server: 'https://c${i}.example.com' },`);
  return `environments: [${envs.map((e) => `{ name: '${e}' }`).join(', ')}],\n  clusters: [\n${clusters.join('\n')}\n  ],`;
}

function main() {
  console.log(`bench: packing the library (runs per configuration: ${RUNS})`);
  sh('npx', ['projen', 'compile'], ROOT);
  const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'obs-bench-pack-'));
  const tgz = path.join(packDir, sh('npm', ['pack', '--silent', '--pack-destination', packDir], ROOT).trim().split('\n').pop());
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'obs-bench-'));

  const configs = [];
  const bare = path.join(base, 'bare-typescript');
  fs.mkdirSync(bare);
  console.log('bench: scaffolding a bare projen TypeScript project');
  sh(PROJEN, ['new', 'typescript', '--no-git', '--projen-version', PROJEN_VERSION], bare);
  configs.push({ name: 'bare typescript', dir: bare, services: null });

  for (const [clusters, n] of [...SERVICES.map((n) => [1, n]), ...FLEET]) {
    const dir = path.join(base, `stack-${clusters}x${n}`);
    fs.mkdirSync(dir);
    console.log(`bench: scaffolding the default stack with ${clusters} clusters and ${n} services`);
    sh(PROJEN, ['new', '--from', `obs-gitops-template@file:${tgz}`, '--no-git', '--projen-version', PROJEN_VERSION], dir);
    const rc = path.join(dir, '.projenrc.ts');
    let text = fs.readFileSync(rc, 'utf8')
      .replace(/import \{ ObservabilityGitOpsProject \} from (["'])obs-gitops-template\1;/,
        "import { ObservabilityGitOpsProject, SloKind } from 'obs-gitops-template';")
      .replace('new ObservabilityGitOpsProject({',
        `new ObservabilityGitOpsProject({\n  gitRepoUrl: 'https://git.example.com/sre/observability.git',\n  services: ${servicesLiteral(n)},` +
        (clusters > 1 ? `\n  ${fleetLiteral(clusters)}` : ''));
    fs.writeFileSync(rc, text);
    const name = clusters > 1 ? `fleet, ${clusters} clusters, ${n} services` : `stack, ${n} services`;
    configs.push({ name, dir, services: n, clusters });
  }

  // warm-up: first syncs install nothing new but fill OS and npm caches
  for (const c of configs) timeSync(c.dir);

  const times = new Map(configs.map((c) => [c.name, []]));
  for (let round = 1; round <= RUNS; round++) {
    for (const c of configs) times.get(c.name).push(timeSync(c.dir));
    process.stdout.write(`bench: round ${round}/${RUNS} done\n`);
  }

  const bareMedian = median(times.get('bare typescript'));
  const rows = configs.map((c) => {
    const m = median(times.get(c.name));
    const files = c.services === null ? null : JSON.parse(fs.readFileSync(path.join(c.dir, '.projen', 'files.json'), 'utf8')).files.length;
    return {
      name: c.name, services: c.services, clusters: c.clusters ?? null, medianMs: Math.round(m), ratio: +(m / bareMedian).toFixed(2), files,
      runsMs: times.get(c.name).map(Math.round),
    };
  });

  // cost per service: least-squares slope over the one-cluster stack configurations
  const serviceFit = fit(rows.filter((r) => r.services !== null && r.clusters === 1).map((r) => [r.services, r.medianMs]));

  console.log('\n| configuration | files | median `npx projen` | × bare |');
  console.log('| --- | --- | --- | --- |');
  for (const r of rows) console.log(`| ${r.name} | ${r.files ?? '-'} | ${(r.medianMs / 1000).toFixed(2)} s | ${r.ratio} |`);
  console.log(`\nlinear fit over services: ${serviceFit.intercept.toFixed(0)} ms + ${serviceFit.slope.toFixed(2)} ms/service (R² ${serviceFit.r2.toFixed(3)})`);
  // fleets: cost against clusters × services, over every stack configuration
  const all = rows.filter((r) => r.services !== null);
  const fleetFit = fit(all.map((r) => [r.clusters * r.services, r.medianMs]));
  if (FLEET.length > 0) {
    console.log(`linear fit over clusters × services: ${fleetFit.intercept.toFixed(0)} ms + ${fleetFit.slope.toFixed(2)} ms per cluster-service (R² ${fleetFit.r2.toFixed(3)})`);
  }
  console.log(`node ${process.version}, ${os.cpus().length} cores, ${RUNS} interleaved runs per configuration`);

  const validate = benchValidate(configs);

  fs.mkdirSync(path.join(ROOT, 'bench'), { recursive: true });
  fs.writeFileSync(path.join(ROOT, 'bench', 'results.json'), JSON.stringify({
    date: new Date().toISOString(), node: process.version, cores: os.cpus().length, runs: RUNS, rows,
    fit: { interceptMs: +serviceFit.intercept.toFixed(1), msPerService: +serviceFit.slope.toFixed(3), r2: +serviceFit.r2.toFixed(4) },
    fleetFit: { interceptMs: +fleetFit.intercept.toFixed(1), msPerClusterService: +fleetFit.slope.toFixed(3), r2: +fleetFit.r2.toFixed(4) },
    ...(validate ? { validate } : {}),
  }, null, 2) + '\n');
  if (!process.env.BENCH_KEEP) fs.rmSync(base, { recursive: true, force: true });
}

/** Least-squares line through [x, y] points. */
function fit(points) {
  const mx = points.reduce((a, [x]) => a + x, 0) / points.length;
  const my = points.reduce((a, [, y]) => a + y, 0) / points.length;
  const slope = points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0) / points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  const intercept = my - slope * mx;
  const ssTot = points.reduce((a, [, y]) => a + (y - my) ** 2, 0);
  const ssRes = points.reduce((a, [x, y]) => a + (y - (intercept + slope * x)) ** 2, 0);
  return { slope, intercept, r2: 1 - ssRes / ssTot };
}

main();
