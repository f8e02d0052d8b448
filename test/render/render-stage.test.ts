import { execFileSync } from 'child_process';
import { cpSync, readFileSync, readdirSync, writeFileSync } from 'fs';
import { createServer, Server } from 'http';
import { AddressInfo } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import * as YAML from 'yaml';
import { helmBinary } from '../../scripts/lib/helm-binary.cjs';
import { ObservabilityGitOpsProject, ObservabilityGitOpsProjectOptions } from '../../src';
import { CheckResult } from '../../src/validate/checks';
import { main } from '../../src/validate/cli';
import { renderStage } from '../../src/validate/render';
import { findAddresses } from '../../src/validate/render/wiring';
import { readRepo } from '../../src/validate/repo';
import { formatResults } from '../../src/validate/run';
import { FIXTURE_CHARTS, renderOptions, tempDirs, renderProblems, renderResults } from '../support/render';
import { BASE, synthToDisk } from '../util';

/*
 * The render stage of `obs-gitops validate` with the real Helm and the real
 * chart packages: each check passes on a generated repository and fails, naming
 * the Application, the object and the rule, on one broken on purpose.
 */

jest.setTimeout(180_000);

const dirs = tempDirs();
const tempDir = (prefix: string): string => dirs.make(prefix);

function synthRepo(options: Partial<ObservabilityGitOpsProjectOptions> = {}): string {
  const outdir = tempDir('obs-gitops-render-');
  synthToDisk(new ObservabilityGitOpsProject({ ...BASE, outdir, gitRepoUrl: 'https://github.com/acme/obs.git', ...options } as ObservabilityGitOpsProjectOptions));
  return outdir;
}

let template: string;
beforeAll(() => {
  template = synthRepo();
});

/** A copy of the default scaffold to break. */
function freshRepo(): string {
  const d = tempDir('obs-gitops-render-copy-');
  cpSync(template, d, { recursive: true });
  return d;
}

function byName(results: readonly CheckResult[], name: string): CheckResult {
  const found = results.filter((r) => r.name === name);
  if (found.length === 0) throw new Error(`no ${name} check in:\n${formatResults(results)}`);
  return found.find((r) => r.status === 'fail') ?? found[0];
}

function edit(file: string, change: (doc: any) => void): void {
  const doc = YAML.parse(readFileSync(file, 'utf-8'));
  change(doc);
  writeFileSync(file, YAML.stringify(doc));
}

const APPS = 'argocd/apps/in-cluster';

test('the default scaffold renders, every object valid, owned once, within its limits and wired', async () => {
  const results = await renderResults(template);
  expect(renderProblems(results)).toEqual([]);
  const out = formatResults(results);
  // (10 parts and the root Application, whose directory source renders the child Applications)
  expect(out).toMatch(/^ok {3}render: 11 Applications into \d{3} objects with Helm v4\.1\.4 for Kubernetes 1\.35\.0 \(6 helm template runs; charts: 6 from charts dir\)$/m);
  expect(out).toMatch(/^ok {3}ownership: \d+ objects on 1 cluster, each owned by one Application$/m);
  // The stack's own wiring was looked at: Grafana's datasources, Alloy's push URL, the collector's exporters.
  expect(Number(/ok {3}wiring: (\d+) configured/.exec(out)?.[1])).toBeGreaterThanOrEqual(5);
});

test('a chart that does not render is named with Helm\'s message', async () => {
  const root = freshRepo();
  // Loki on S3 without bucket names: the chart's own `fail` says what is missing.
  writeFileSync(join(root, 'values/overrides/loki.yaml'), 'loki:\n  storage:\n    type: s3\n');
  const render = byName(await renderResults(root), 'render');
  expect(render.status).toBe('fail');
  expect(render.problems.join('\n')).toMatch(/^Application in-cluster-loki \(argocd\/apps\/in-cluster\/loki\.yaml\): chart loki 18\.11\.0: helm template failed: Error: execution error at \(loki\/templates\/.+\): Please define loki\.storage\.bucketNames\.chunks \(a `required` or `fail` in the chart/m);
});

test('an object owned by two Applications on one cluster', async () => {
  const root = freshRepo();
  // A second Application for the same manifests: every object gets two owners.
  edit(join(root, `${APPS}/alert-rules.yaml`), () => undefined);
  const copy = YAML.parse(readFileSync(join(root, `${APPS}/alert-rules.yaml`), 'utf-8'));
  copy.metadata.name = 'in-cluster-alert-rules-copy';
  writeFileSync(join(root, `${APPS}/alert-rules-copy.yaml`), YAML.stringify(copy));
  const ownership = byName(await renderResults(root), 'ownership');
  expect(ownership.status).toBe('fail');
  expect(ownership.problems).toHaveLength(1);
  expect(ownership.problems[0]).toMatch(
    /^cluster https:\/\/kubernetes\.default\.svc: \d+ objects owned twice: Applications in-cluster-alert-rules \(argocd\/apps\/in-cluster\/alert-rules\.yaml\) and in-cluster-alert-rules-copy \(argocd\/apps\/in-cluster\/alert-rules-copy\.yaml\): monitoring\.coreos\.com\/PrometheusRule monitoring\/alert-rules-/);
});

test('the same server spelled two ways is one cluster', async () => {
  const root = freshRepo();
  const copy = YAML.parse(readFileSync(join(root, `${APPS}/tempo.yaml`), 'utf-8'));
  copy.metadata.name = 'other-tempo';
  copy.spec.destination.server = 'https://Kubernetes.default.svc:443/';
  writeFileSync(join(root, `${APPS}/other-tempo.yaml`), YAML.stringify(copy));
  const ownership = byName(await renderResults(root), 'ownership');
  expect(ownership.problems.join('\n')).toMatch(/Applications in-cluster-tempo .* and other-tempo .*: ServiceAccount tracing\/tempo/);
});

test('objects over their size limits, and a large one applied client-side', async () => {
  const root = freshRepo();
  const dir = join(root, 'manifests/in-cluster/alert-rules');
  const rule = (i: number) => ({ alert: `Big${i}`, expr: `up{job="${'x'.repeat(200)}"} == 0`, labels: { severity: 'warning' } });
  const big = { apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: { name: 'too-big', namespace: 'monitoring' }, spec: { groups: [{ name: 'big', rules: Array.from({ length: 2600 }, (_, i) => rule(i)) }] } };
  writeFileSync(join(dir, 'too-big.yaml'), YAML.stringify(big));
  const medium = { ...big, metadata: { name: 'medium', namespace: 'monitoring' }, spec: { groups: [{ name: 'medium', rules: big.spec.groups[0].rules.slice(0, 1300) }] } };
  writeFileSync(join(dir, 'medium.yaml'), YAML.stringify(medium));
  const sizes = byName(await renderResults(root), 'object sizes');
  const text = sizes.problems.join('\n');
  expect(text).toMatch(/PrometheusRule monitoring\/too-big .*: \d{3}\.\d KiB, over the 512\.0 KiB prometheus-operator accepts for a rule object: split it/);
  // alert-rules is applied server-side (issue 11), so only the rule-object limit applies to it.
  if (/ServerSideApply=true/.test(readFileSync(join(root, `${APPS}/alert-rules.yaml`), 'utf-8'))) {
    expect(text).not.toMatch(/medium/);
  } else {
    expect(text).toMatch(/PrometheusRule monitoring\/medium .*: 3\d\d\.\d KiB applied client-side, whose last-applied annotation holds at most 256\.0 KiB/);
  }
});

test('a configured address that names no Service, or a port the Service lacks', async () => {
  const root = freshRepo();
  const file = join(root, 'values/kube-prometheus-stack.yaml');
  const text = readFileSync(file, 'utf-8');
  const loki = /http:\/\/(loki[-a-z]*)\.logging\.svc(?:\.cluster\.local)?(?::(\d+))?/.exec(text);
  expect(loki).not.toBeNull();
  writeFileSync(file, text.replace(loki![0], 'http://loki-gatewya.logging.svc.cluster.local:80')
    .replace(/http:\/\/tempo\.tracing\.svc(?:\.cluster\.local)?:3200/, 'http://tempo.tracing.svc.cluster.local:3201'));
  const wiring = byName(await renderResults(root), 'wiring');
  const problems = wiring.problems.join('\n');
  expect(problems).toMatch(/Application in-cluster-kube-prometheus-stack .*: values \(values\/kube-prometheus-stack\.yaml\): http:\/\/loki-gatewya\.logging\.svc\.cluster\.local:80 names Service logging\/loki-gatewya, which no Application on this cluster provides/);
  expect(problems).toMatch(/tempo\.tracing\.svc\.cluster\.local:3201: Service tracing\/tempo \(from Application in-cluster-tempo\) has no port 3201 \(ports: .*3200/);
});

test('addresses: FQDN, short, pod-of-headless-service and dnssrv forms; only owned namespaces for the short form', () => {
  const ns = new Set(['logging', 'monitoring']);
  const found = (s: string) => findAddresses(s, ns).map((a) => `${a.namespace}/${a.service}:${a.port ?? '-'}`);
  expect(found('url = "http://loki-gateway.logging.svc.cluster.local/loki/api/v1/push"')).toEqual(['logging/loki-gateway:80']);
  expect(found('https://a.b.svc')).toEqual(['b/a:443']);
  expect(found('alertmanager-0.alertmanager-headless.monitoring.svc:9094')).toEqual(['monitoring/alertmanager-headless:9094']);
  expect(found('dnssrv+_grpc._tcp.thanos-store.monitoring.svc')).toEqual(['monitoring/thanos-store:-']);
  expect(found('loki.logging:3100 and tempo.example.com:4317')).toEqual(['logging/loki:3100']);
});

test('a rendered object that breaks its schema names the object and the field', async () => {
  const root = freshRepo();
  const dir = join(root, 'manifests/in-cluster/alert-rules');
  const file = readdirSync(dir).find((f) => f.endsWith('.yaml'))!;
  edit(join(dir, file), (d) => { d.spec.groups[0].rules[0].fro = '5m'; });
  const objects = byName(await renderResults(root), 'rendered objects');
  expect(objects.status).toBe('fail');
  expect(objects.problems.join('\n')).toMatch(/Application in-cluster-alert-rules .*: PrometheusRule monitoring\/.+ \[manifests\/in-cluster\/alert-rules\/.+\]: \/spec\/groups\/0\/rules\/0: unknown field "fro" \(did you mean "for"\?\)/);
});

test('a pin current Helm cannot render is named, with why', async () => {
  const root = synthRepo({ chartVersions: { 'opentelemetry-operator': '0.91.1' } });
  const render = byName(await renderResults(root), 'render');
  expect(render.status).toBe('fail');
  expect(render.problems.join('\n')).toMatch(/Application in-cluster-opentelemetry-operator .*: chart opentelemetry-operator 0\.91\.1: helm template failed: .*metaschema.* \(the chart's own values\.schema\.json at opentelemetry-operator 0\.91\.1 is rejected by current Helm: pin a version whose schema is fixed\)/);
});

describe('when it cannot render', () => {
  test('no Helm: NOT CHECKED with how to get it; --require-tools fails', async () => {
    const results = await renderStage(readRepo(template), { ...renderOptions(), helm: join(tempDir('no-helm-'), 'helm') });
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ name: 'render', status: 'not-run' });
    expect(results[0].summary).toMatch(/^NOT CHECKED: --helm .*\/helm does not run/);
  });

  test('a chart not in --charts or the cache, offline: NOT CHECKED naming the chart', async () => {
    const charts = tempDir('obs-gitops-some-charts-');
    for (const f of readdirSync(FIXTURE_CHARTS).filter((x) => x.endsWith('.tgz') && !x.startsWith('tempo-'))) cpSync(join(FIXTURE_CHARTS, f), join(charts, f));
    const results = await renderStage(readRepo(template), { ...renderOptions(), chartsDir: charts });
    const skipped = results.find((r) => r.name === 'render' && r.status === 'not-run')!;
    expect(skipped.problems).toEqual([expect.stringMatching(/^Application in-cluster-tempo \(argocd\/apps\/in-cluster\/tempo\.yaml\): chart tempo 2\.2\.4: tempo 2\.2\.4 is not in .* or the cache \(.*\), and --offline forbids helm pull$/)]);
    expect(results.find((r) => r.name === 'render' && r.status !== 'not-run')!.status).toBe('pass');
  });
});

describe('charts pulled from a Helm repository', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    // A real Helm repository on loopback: the packages and an index.yaml written by `helm repo index`.
    const repoDir = tempDir('obs-gitops-helm-repo-');
    for (const f of ['tempo-2.2.4.tgz']) cpSync(join(FIXTURE_CHARTS, f), join(repoDir, f));
    server = createServer((req, res) => {
      try {
        res.end(readFileSync(join(repoDir, decodeURIComponent(new URL(req.url!, 'http://x').pathname).replace(/^\/+/, ''))));
      } catch {
        res.statusCode = 404;
        res.end('not found');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    execFileSync(helmBinary(), ['repo', 'index', repoDir, '--url', url]);
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('helm pull from the Application\'s repoURL into the cache, by name and version; then from the cache', async () => {
    const root = freshRepo();
    edit(join(root, `${APPS}/tempo.yaml`), (d) => { d.spec.sources[0].repoURL = url; });
    const cache = tempDir('obs-gitops-cache-');
    const charts = tempDir('obs-gitops-no-tempo-');
    for (const f of readdirSync(FIXTURE_CHARTS).filter((x) => x.endsWith('.tgz') && !x.startsWith('tempo-'))) cpSync(join(FIXTURE_CHARTS, f), join(charts, f));
    const online = await renderStage(readRepo(root), { ...renderOptions(), chartsDir: charts, cacheDir: cache, offline: false });
    expect(renderProblems(online)).toEqual([]);
    expect(byName(online, 'render').summary).toMatch(/charts: 5 from charts dir, 1 from pulled\)$/);
    expect(readdirSync(cache).filter((f) => f.endsWith('.tgz'))).toEqual(['tempo-2.2.4.tgz']);
    const offline = await renderStage(readRepo(root), { ...renderOptions(), chartsDir: charts, cacheDir: cache, offline: true });
    expect(byName(offline, 'render').summary).toMatch(/charts: 1 from cache, 5 from charts dir\)$/);
  });

  test('a version the repository does not have: NOT CHECKED with Helm\'s reason', async () => {
    const root = freshRepo();
    edit(join(root, `${APPS}/tempo.yaml`), (d) => { d.spec.sources[0].repoURL = url; d.spec.sources[0].targetRevision = '9.9.9'; });
    const results = await renderStage(readRepo(root), { ...renderOptions(), cacheDir: tempDir('obs-gitops-cache-'), offline: false });
    const skipped = results.find((r) => r.name === 'render' && r.status === 'not-run')!;
    expect(skipped.problems.join('\n')).toMatch(/chart tempo 9\.9\.9: helm pull tempo 9\.9\.9 from http:\/\/127\.0\.0\.1:\d+ failed: .*9\.9\.9/);
  });
});

describe('the CLI', () => {
  async function cli(argv: string[]): Promise<{ code: number; out: string }> {
    const chunks: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((c: any) => { chunks.push(String(c)); return true; });
    try {
      return { code: await main(argv), out: chunks.join('') };
    } finally {
      spy.mockRestore();
    }
  }

  test('validate prints the render lines after the file checks', async () => {
    const { code, out } = await cli(['validate', template, '--helm', helmBinary(), '--charts', FIXTURE_CHARTS, '--offline']);
    const names = out.trimEnd().split('\n').filter((l) => /^(ok  |FAIL|SKIP) /.test(l)).map((l) => l.slice(5).split(':')[0]);
    expect(names.slice(-6)).toEqual(['render', 'rendered objects', 'ownership', 'object sizes', 'project permissions', 'wiring']);
    expect({ code, out }).toMatchObject({ code: 0 });
  });

  test('bad flags exit 2 with the reason', async () => {
    const err: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((c: any) => { err.push(String(c)); return true; });
    try {
      expect(await main(['validate', template, '--kube-version', 'latest'])).toBe(2);
      expect(await main(['validate', template, '--charts', join(tmpdir(), 'obs-gitops-no-such-charts')])).toBe(2);
      expect(await main(['validate', template, '--helmm', 'x'])).toBe(2);
    } finally {
      spy.mockRestore();
    }
    expect(err.join('')).toMatch(/--kube-version latest is not a version such as 1\.35\.0[\s\S]*--charts .* does not exist[\s\S]*unknown option --helmm/);
  });
});

test('--charts may hold an unpacked chart folder (a chart under development) instead of a package', async () => {
  const charts = tempDir('obs-gitops-unpacked-');
  for (const f of readdirSync(FIXTURE_CHARTS).filter((x) => x.endsWith('.tgz') && !x.startsWith('tempo-'))) cpSync(join(FIXTURE_CHARTS, f), join(charts, f));
  execFileSync('tar', ['xzf', join(FIXTURE_CHARTS, 'tempo-2.2.4.tgz'), '-C', charts]);
  const results = await renderStage(readRepo(template), { ...renderOptions(), chartsDir: charts });
  expect(renderProblems(results)).toEqual([]);
  expect(byName(results, 'render').summary).toMatch(/charts: 6 from charts dir\)$/);
});
