/**
 * End to end, as a user: pack the library, run the real `projen new --from`
 * on the tarball in an empty folder, then edit `.projenrc.ts` and re-sync with
 * `npx projen`. Needs the compiled library (`npx projen build` compiles first).
 */
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, relative } from 'path';
import * as YAML from 'yaml';
import { ROOT, mustRun, packLibrary, run } from './user-shell';
import { validateToolsEnv } from './validate-tools';

const PROJEN = join(ROOT, 'node_modules', '.bin', 'projen');
const PROJEN_VERSION: string = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'projen', 'package.json'), 'utf-8')).version;

jest.setTimeout(600_000);

/** Every file under dir (but node_modules and .git) with a hash of its content. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      if (name === 'node_modules' || name === '.git') continue;
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

let tgz: string;
let repo: string;

beforeAll(() => {
  tgz = packLibrary();
  repo = mkdtempSync(join(tmpdir(), 'obs-gitops-e2e-'));
});

test('projen new --from the packed tarball scaffolds the repo', () => {
  const out = mustRun(PROJEN, ['new', '--from', `obs-gitops-template@file:${tgz}`, '--no-git', '--projen-version', PROJEN_VERSION], repo);
  expect(out).toMatch(/gitRepoUrl is not set/);

  const rc = readFileSync(join(repo, '.projenrc.ts'), 'utf-8');
  expect(rc).toMatch(/import \{ ObservabilityGitOpsProject \} from ["']obs-gitops-template["'];/);
  expect(rc).toMatch(/\/\/ gitRepoUrl: /); // @featured options are hinted

  // the default is the integrated stack: metrics, logs, traces and Grafana
  const files = tree(repo);
  const apps = Object.keys(files).filter((f) => f.startsWith('argocd/apps/in-cluster/')).sort();
  expect(apps).toEqual(['alert-rules', 'alloy', 'argocd-metrics', 'dashboards', 'kube-prometheus-stack', 'loki', 'opentelemetry-operator',
    'opentelemetry-resources', 'prometheus-operator-crds', 'tempo'].map((p) => `argocd/apps/in-cluster/${p}.yaml`));
  for (const f of ['argocd/root.yaml', 'argocd/apps/project.yaml', 'values/kube-prometheus-stack.yaml', 'values/loki.yaml',
    'values/tempo.yaml', 'manifests/in-cluster/opentelemetry-resources/opentelemetrycollector-gateway.yaml',
    'scripts/bootstrap.sh', 'README.md', 'package.json']) {
    expect(Object.keys(files)).toContain(f);
  }
  expect(() => accessSync(join(repo, 'scripts/bootstrap.sh'), constants.X_OK)).not.toThrow();
  const app = YAML.parse(readFileSync(join(repo, 'argocd/apps/in-cluster/kube-prometheus-stack.yaml'), 'utf-8'));
  expect(app.spec.sources[0]).toMatchObject({ chart: 'kube-prometheus-stack', targetRevision: '88.5.3' });

  const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf-8'));
  expect(pkg.devDependencies['obs-gitops-template']).toBe(`file:${tgz}`);
  expect(pkg.devDependencies.typescript).toMatch(/^~5\.9/);
  expect(existsSync(join(repo, 'node_modules', 'ts-node'))).toBe(true);
  // bundled dependencies made it into the installed package
  for (const dep of ['yaml', 'semver', 'ajv']) {
    expect(existsSync(join(repo, 'node_modules', 'obs-gitops-template', 'node_modules', dep))).toBe(true);
  }
});

test('editing .projenrc.ts and re-running npx projen applies the change, deletes removed parts, keeps user files', () => {
  // user-owned files
  mkdirSync(join(repo, 'dashboards', 'custom'), { recursive: true });
  writeFileSync(join(repo, 'dashboards', 'custom', 'team.json'), '{"title":"mine"}\n');
  writeFileSync(join(repo, 'values', 'overrides', 'kube-prometheus-stack.yaml'), 'alertmanager:\n  enabled: false\n');

  const rcPath = join(repo, '.projenrc.ts');
  const original = readFileSync(rcPath, 'utf-8');
  writeFileSync(rcPath, original.replace('new ObservabilityGitOpsProject({',
    "new ObservabilityGitOpsProject({\n  gitRepoUrl: 'https://git.example.com/sre/observability.git',\n  metrics: { enabled: false },\n  traces: { enabled: false },"));
  const out = mustRun('npx', ['projen'], repo);
  expect(out).not.toMatch(/gitRepoUrl is not set/);

  const root = YAML.parse(readFileSync(join(repo, 'argocd/root.yaml'), 'utf-8'));
  expect(root.spec.source.repoURL).toBe('https://git.example.com/sre/observability.git');
  expect(existsSync(join(repo, 'argocd/apps/in-cluster/kube-prometheus-stack.yaml'))).toBe(false);
  expect(existsSync(join(repo, 'values/kube-prometheus-stack.yaml'))).toBe(false);
  expect(existsSync(join(repo, 'argocd/apps/in-cluster/tempo.yaml'))).toBe(false);
  expect(existsSync(join(repo, 'manifests/in-cluster/opentelemetry-resources/opentelemetrycollector-gateway.yaml'))).toBe(false);
  expect(existsSync(join(repo, 'argocd/apps/in-cluster/loki.yaml'))).toBe(true);
  expect(readFileSync(join(repo, 'dashboards', 'custom', 'team.json'), 'utf-8')).toBe('{"title":"mine"}\n');
  expect(readFileSync(join(repo, 'values', 'overrides', 'kube-prometheus-stack.yaml'), 'utf-8')).toContain('alertmanager');
  expect(existsSync(join(repo, 'values', 'overrides', 'README.md'))).toBe(true);

  // another flavor of the full stack: standalone prometheus + grafana, Fluent Bit and Promtail, traces back on
  writeFileSync(rcPath, readFileSync(rcPath, 'utf-8')
    .replace(/import \{ ObservabilityGitOpsProject \} from (["'])obs-gitops-template\1;/,
      "import { LogCollector, MetricsFlavor, ObservabilityGitOpsProject } from 'obs-gitops-template';")
    .replace('metrics: { enabled: false },', "metrics: { namespace: 'obs', flavor: MetricsFlavor.STANDALONE },")
    .replace('traces: { enabled: false },', 'logs: { collectors: [LogCollector.FLUENT_BIT, LogCollector.PROMTAIL] },'));
  const out2 = mustRun('npx', ['projen'], repo);
  expect(out2).toMatch(/expect every line twice/);
  expect(out2).toMatch(/promtail is deprecated/);
  const apps = readdirSync(join(repo, 'argocd/apps/in-cluster')).sort();
  expect(apps).toEqual(['dashboards', 'fluent-bit', 'grafana', 'loki', 'opentelemetry-operator', 'opentelemetry-resources', 'prometheus', 'promtail', 'tempo']
    .map((p) => `${p}.yaml`));
  const app = YAML.parse(readFileSync(join(repo, 'argocd/apps/in-cluster/prometheus.yaml'), 'utf-8'));
  expect(app.spec.destination.namespace).toBe('obs');
  expect(existsSync(join(repo, 'values/alloy.yaml'))).toBe(false);
});

test('a second npx projen changes nothing', () => {
  const before = tree(repo);
  mustRun('npx', ['projen'], repo);
  expect(tree(repo)).toEqual(before);
});

test('a bad option fails the synth with a clear error and writes nothing', () => {
  const rcPath = join(repo, '.projenrc.ts');
  const good = readFileSync(rcPath, 'utf-8');
  const before = tree(repo);

  writeFileSync(rcPath, good.replace("metrics: { namespace: 'obs',", "metrics: { namespace: 'Obs Space',"));
  const bad = run('npx', ['projen'], repo);
  expect(bad.status).not.toBe(0);
  expect(bad.out).toContain('Invalid option "metrics.namespace": "Obs Space" is not a DNS-1123 label');

  // a typo in an option name is a type error: .projenrc.ts is type-checked
  writeFileSync(rcPath, good.replace("metrics: { namespace: 'obs',", "metrcs: { namespace: 'obs',"));
  const typo = run('npx', ['projen'], repo);
  expect(typo.status).not.toBe(0);
  expect(typo.out).toMatch(/TS2561|TS2353/);

  writeFileSync(rcPath, good);
  const after = tree(repo);
  expect(after).toEqual(before);
});

test('a bad option is one message naming the option path, not a stack trace into node_modules (OBS_GITOPS_DEBUG=1 shows it)', () => {
  const rcPath = join(repo, '.projenrc.ts');
  const good = readFileSync(rcPath, 'utf-8');
  const before = tree(repo);
  writeFileSync(rcPath, good.replace('new ObservabilityGitOpsProject({',
    "new ObservabilityGitOpsProject({\n  alerting: { customRules: [{ alert: 'Backlog', expr: 'rate(queue_depth[5m) > 0', summary: 'Backlog' }] },"));

  const bad = run('npx', ['projen'], repo);
  expect(bad.status).not.toBe(0);
  // the option path (not a generated file), the value, the position with a caret
  expect(bad.out).toContain('Error in .projenrc.ts: Invalid option "alerting.customRules[0].expr": "rate(queue_depth[5m) > 0" is not valid PromQL (line 1, column');
  expect(bad.out).toMatch(/^ {4}rate\(queue_depth\[5m\) > 0\n {4} *\^$/m);
  expect(bad.out).toContain('OBS_GITOPS_DEBUG=1');
  expect(bad.out).not.toMatch(/^\s+at /m); // no stack frames
  expect(bad.out).not.toMatch(/node_modules\/obs-gitops-template/);
  expect(bad.out.split('Invalid option').length).toBe(2); // said once

  const debug = run('npx', ['projen'], repo, { OBS_GITOPS_DEBUG: '1' });
  expect(debug.status).not.toBe(0);
  expect(debug.out).toContain('Invalid option "alerting.customRules[0].expr"');
  expect(debug.out).toMatch(/^\s+at .*obs-gitops-template/m);

  writeFileSync(rcPath, good);
  expect(tree(repo)).toEqual(before);
});

test('the generated workflows run locally, but for the steps that need GitHub or the registry', () => {
  const git = (...args: string[]) => mustRun('git', ['-c', 'user.name=e2e', '-c', 'user.email=e2e@example.invalid', ...args], repo);
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'scaffold');
  const runnerTemp = mkdtempSync(join(tmpdir(), 'obs-gitops-runner-'));
  const githubOutput = join(runnerTemp, 'github-output');
  writeFileSync(githubOutput, '');
  // Helm and the chart packages stand in for setup-helm and the chart repositories
  const tools = validateToolsEnv();
  const skipped: string[] = [];
  const runSteps = (file: string, skip: Record<string, string>) => {
    const wf = YAML.parse(readFileSync(join(repo, file), 'utf-8'));
    for (const job of Object.values<any>(wf.jobs)) {
      for (const step of job.steps) {
        if (step.uses) continue; // checkout, setup-node, setup-helm: this folder and this machine stand in for them
        if (step.if === "steps.changes.outputs.changed == 'true'" && !readFileSync(githubOutput, 'utf-8').includes('changed=true')) {
          skipped.push(`${file}: ${step.name} (nothing changed)`);
          continue;
        }
        if (skip[step.name]) {
          skipped.push(`${file}: ${step.name} (${skip[step.name]})`);
          continue;
        }
        const r = spawnSync('bash', ['-eo', 'pipefail', '-c', step.run], {
          cwd: repo,
          encoding: 'utf-8',
          env: {
            ...process.env,
            CI: undefined,
            NODE_ENV: undefined,
            RUNNER_TEMP: runnerTemp,
            GITHUB_OUTPUT: githubOutput,
            PATH: tools.PATH,
            XDG_CACHE_HOME: tools.XDG_CACHE_HOME,
            ...(step.env ?? {}),
          },
        });
        if (r.status !== 0) throw new Error(`${file}: step "${step.name}" failed:\n${r.stdout}\n${r.stderr}`);
      }
    }
  };
  runSteps('.github/workflows/validate.yml', {
    'Install promtool and amtool': 'installed by .ci/run with apt-get',
  });
  runSteps('.github/workflows/upgrade.yml', {
    'Upgrade obs-gitops-template and projen, re-synthesize': 'needs the registry to have a newer obs-gitops-template',
  });
  // nothing changed: as on GitHub, validate, the pull request body and the pull request are skipped
  expect(readFileSync(githubOutput, 'utf-8')).toBe('changed=false\n');
  expect(skipped).toEqual([
    '.github/workflows/validate.yml: Install promtool and amtool (installed by .ci/run with apt-get)',
    '.github/workflows/upgrade.yml: Upgrade obs-gitops-template and projen, re-synthesize (needs the registry to have a newer obs-gitops-template)',
    '.github/workflows/upgrade.yml: Install promtool and amtool (nothing changed)',
    '.github/workflows/upgrade.yml: Validate (nothing changed)',
    '.github/workflows/upgrade.yml: Describe the chart changes (nothing changed)',
    '.github/workflows/upgrade.yml: Describe the rendered changes (nothing changed)',
    '.github/workflows/upgrade.yml: Open a pull request (nothing changed)',
  ]);
  expect(JSON.parse(readFileSync(join(runnerTemp, 'pins-before.json'), 'utf-8'))).toMatchObject({ loki: '18.11.0', tempo: '2.2.4' });
  expect(existsSync(join(runnerTemp, 'pr-body.md'))).toBe(false);
});

test('the repo grows into a fleet: environments, the distributed profile and ApplicationSets, from the same .projenrc.ts', () => {
  const rcPath = join(repo, '.projenrc.ts');
  writeFileSync(rcPath, readFileSync(rcPath, 'utf-8')
    .replace(/import \{ LogCollector, MetricsFlavor, ObservabilityGitOpsProject \} from (["'])obs-gitops-template\1;/,
      "import { FleetMode, ObjectStorageProvider, ObservabilityGitOpsProject, Profile } from 'obs-gitops-template';")
    .replace("metrics: { namespace: 'obs', flavor: MetricsFlavor.STANDALONE },", [
      'profile: Profile.DISTRIBUTED,',
      "  objectStorage: { provider: ObjectStorageProvider.S3, endpoint: 'minio.storage.svc:9000', insecure: true, secretName: 'obs-s3' },",
      "  metrics: { remoteWriteUrl: 'https://mimir.example.com/api/v1/push' },",
      "  traces: { kafkaAddress: 'kafka.streaming.svc:9092', otlpEndpoint: 'tempo.example.com:4317' },",
      '  argocd: { fleetMode: FleetMode.APPLICATION_SETS },',
      "  environments: [{ name: 'dev', profile: Profile.SINGLE_NODE }, { name: 'prod' }],",
      "  clusters: [{ name: 'dev-1', environment: 'dev', server: 'https://dev-1.example.com' }, { name: 'hub', environment: 'prod', central: true },",
      "    { name: 'edge-1', environment: 'prod', server: 'https://edge-1.example.com' }],",
    ].join('\n'))
    .replace('logs: { collectors: [LogCollector.FLUENT_BIT, LogCollector.PROMTAIL] },', "logs: { pushUrl: 'https://loki.example.com/loki/api/v1/push' },"));
  mustRun('npx', ['projen'], repo);
  // the single-cluster layout is gone, each environment has its root and ApplicationSets
  expect(existsSync(join(repo, 'argocd/root.yaml'))).toBe(false);
  expect(existsSync(join(repo, 'argocd/apps/in-cluster/loki.yaml'))).toBe(false);
  for (const env of ['dev', 'prod']) expect(existsSync(join(repo, `argocd/${env}/root.yaml`))).toBe(true);
  expect(readdirSync(join(repo, 'argocd/prod/apps/applicationsets'))).toEqual(expect.arrayContaining(['mimir.yaml', 'edge-alloy.yaml']));
  // user files survive
  expect(readFileSync(join(repo, 'dashboards', 'custom', 'team.json'), 'utf-8')).toBe('{"title":"mine"}\n');
  expect(run('npx', ['projen', 'validate'], repo).status).toBe(0);

  const good = readFileSync(rcPath, 'utf-8');
  const before = tree(repo);
  writeFileSync(rcPath, good.replace("{ name: 'edge-1', environment: 'prod',", "{ name: 'edge-1', environment: 'prd',"));
  const bad = run('npx', ['projen'], repo);
  expect(bad.status).not.toBe(0);
  expect(bad.out).toContain('Invalid option "clusters[2].environment": "prd" is not an environment (did you mean "prod"?)');
  writeFileSync(rcPath, good);
  expect(tree(repo)).toEqual(before);
});
