#!/usr/bin/env node
/**
 * Benchmark: how long a full `npx projen` re-sync of a generated repository
 * takes, against the re-sync of a bare `projen new typescript` project.
 *
 *   npx projen bench            (or: node scripts/bench.mjs)
 *   BENCH_RUNS=7 BENCH_SERVICES=1,10,100,500 npx projen bench
 *
 * It packs the library, scaffolds one repository per configuration with the
 * real `projen new --from` (not timed), then times `npx projen` in every
 * repository, interleaved round by round so machine noise spreads evenly,
 * and prints medians, ratios to the bare project and the cost per service.
 * Results also go to bench/results.json.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PROJEN = path.join(ROOT, 'node_modules', '.bin', 'projen');
const PROJEN_VERSION = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', 'projen', 'package.json'), 'utf8')).version;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SERVICES = (process.env.BENCH_SERVICES ?? '0,1,10,100,500').split(',').map(Number);

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

  for (const n of SERVICES) {
    const dir = path.join(base, `stack-${n}`);
    fs.mkdirSync(dir);
    console.log(`bench: scaffolding the default stack with ${n} services`);
    sh(PROJEN, ['new', '--from', `obs-gitops-template@file:${tgz}`, '--no-git', '--projen-version', PROJEN_VERSION], dir);
    const rc = path.join(dir, '.projenrc.ts');
    let text = fs.readFileSync(rc, 'utf8')
      .replace(/import \{ ObservabilityGitOpsProject \} from (["'])obs-gitops-template\1;/,
        "import { ObservabilityGitOpsProject, SloKind } from 'obs-gitops-template';")
      .replace('new ObservabilityGitOpsProject({',
        `new ObservabilityGitOpsProject({\n  gitRepoUrl: 'https://git.example.com/sre/observability.git',\n  services: ${servicesLiteral(n)},`);
    fs.writeFileSync(rc, text);
    configs.push({ name: `stack, ${n} services`, dir, services: n });
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
    return { name: c.name, services: c.services, medianMs: Math.round(m), ratio: +(m / bareMedian).toFixed(2), files, runsMs: times.get(c.name).map(Math.round) };
  });

  // cost per service: least-squares slope over the stack configurations
  const pts = rows.filter((r) => r.services !== null);
  const mx = pts.reduce((a, r) => a + r.services, 0) / pts.length;
  const my = pts.reduce((a, r) => a + r.medianMs, 0) / pts.length;
  const slope = pts.reduce((a, r) => a + (r.services - mx) * (r.medianMs - my), 0) / pts.reduce((a, r) => a + (r.services - mx) ** 2, 0);
  const intercept = my - slope * mx;
  const ssTot = pts.reduce((a, r) => a + (r.medianMs - my) ** 2, 0);
  const ssRes = pts.reduce((a, r) => a + (r.medianMs - (intercept + slope * r.services)) ** 2, 0);

  console.log('\n| configuration | files | median `npx projen` | × bare |');
  console.log('| --- | --- | --- | --- |');
  for (const r of rows) console.log(`| ${r.name} | ${r.files ?? '-'} | ${(r.medianMs / 1000).toFixed(2)} s | ${r.ratio} |`);
  console.log(`\nlinear fit over services: ${intercept.toFixed(0)} ms + ${slope.toFixed(2)} ms/service (R² ${(1 - ssRes / ssTot).toFixed(3)})`);
  console.log(`node ${process.version}, ${os.cpus().length} cores, ${RUNS} interleaved runs per configuration`);

  fs.mkdirSync(path.join(ROOT, 'bench'), { recursive: true });
  fs.writeFileSync(path.join(ROOT, 'bench', 'results.json'), JSON.stringify({
    date: new Date().toISOString(), node: process.version, cores: os.cpus().length, runs: RUNS, rows,
    fit: { interceptMs: +intercept.toFixed(1), msPerService: +slope.toFixed(3), r2: +(1 - ssRes / ssTot).toFixed(4) },
  }, null, 2) + '\n');
  if (!process.env.BENCH_KEEP) fs.rmSync(base, { recursive: true, force: true });
}

main();
