import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import {
  InstrumentationLanguage, LogCollector, LogsBackend, MetricsBackend, MetricsFlavor, MonitorKind, ObjectStorageProvider,
  ObservabilityGitOpsProject, ObservabilityGitOpsProjectOptions, Profile, SloKind,
} from '../src';
import { renderOptions } from './support/render';
import { BASE, RECEIVER, synthToDisk } from './util';
import { CheckResult } from '../src/validate/checks';
import { formatResults, validate } from '../src/validate/run';

/*
 * Scaffolds that must validate clean: each scenario is synthesized to a temp
 * folder (as `projen new` would write it) and put through every check of
 * `obs-gitops validate`, the real tools included: promtool, amtool, kubectl,
 * and the render stage with the real Helm over the vendored chart packages.
 * They are installed here and in CI: a check that could not run (its tool is
 * missing) fails the test and names the package to install.
 */

/** Synthesize a repo into a temp folder and return its path. */
function synthRepo(options: Partial<ObservabilityGitOpsProjectOptions>): string {
  const outdir = mkdtempSync(join(tmpdir(), 'obs-gitops-scenario-'));
  const project = new ObservabilityGitOpsProject({
    ...BASE, outdir, gitRepoUrl: 'https://github.com/acme/obs.git', ...options,
  } as ObservabilityGitOpsProjectOptions);
  synthToDisk(project);
  return outdir;
}

/** Every check passed; otherwise a message with the formatted results (and the package of any missing tool). */
function expectClean(results: readonly CheckResult[]): void {
  const bad = results.filter((r) => r.status !== 'pass');
  const missing = results.filter((r) => r.status === 'not-run').map((r) => `${r.name}: ${r.summary}`);
  const message = bad.length === 0 ? '' : [
    `${bad.length} checks did not pass: ${bad.map((r) => `${r.name} (${r.status})`).join(', ')}`,
    ...(missing.length > 0 ? ['A tool is missing; install its package:', ...missing.map((m) => `  ${m}`)] : []),
    '',
    formatResults(results),
  ].join('\n');
  if (message) throw new Error(message);
}

/** Names of every check `obs-gitops validate` runs, in order. */
const ALL_CHECKS = [
  'parse', 'schemas', 'helm values', 'sync waves', 'expressions', 'promtool check rules', 'promtool test rules',
  'amtool check-config', 'kubectl kustomize', 'secrets', 'repository URL', 'render', 'rendered objects', 'ownership', 'object sizes', 'project permissions', 'wiring',
];

/** The tool checks: each scenario has rules, rule tests, an Alertmanager config and a dashboards kustomization. */
const TOOL_CHECKS = ['promtool check rules', 'promtool test rules', 'amtool check-config', 'kubectl kustomize'];

const RECEIVERS = [RECEIVER.oncall, RECEIVER.slack, RECEIVER.mail];

/** 40 services across 5 namespaces, each with an availability and a latency SLO. */
function manyServices(): NonNullable<ObservabilityGitOpsProjectOptions['services']> {
  const namespaces = ['shop', 'payments', 'search', 'accounts', 'media'];
  return Array.from({ length: 40 }, (_, i) => ({
    name: `svc-${String(i).padStart(2, '0')}`,
    namespace: namespaces[i % namespaces.length],
    port: 'http-metrics',
    monitor: i % 4 === 3 ? MonitorKind.POD_MONITOR : MonitorKind.SERVICE_MONITOR,
    slos: [
      { kind: SloKind.AVAILABILITY, objective: i % 2 === 0 ? 99.9 : 99.5 },
      { kind: SloKind.LATENCY, objective: 99, latencyThresholdSeconds: i % 3 === 0 ? 0.5 : 0.25 },
    ],
  }));
}

const SCENARIOS: Array<[string, Partial<ObservabilityGitOpsProjectOptions>]> = [
  ['the default scaffold', {}],
  ['metrics only (logs and traces off)', { logs: { enabled: false }, traces: { enabled: false } }],
  ['metrics + logs + traces with two services, SLOs and receivers', {
    services: [
      {
        name: 'checkout',
        namespace: 'shop',
        port: 'http-metrics',
        language: InstrumentationLanguage.JAVA,
        slos: [{ kind: SloKind.AVAILABILITY, objective: 99.9 }, { kind: SloKind.LATENCY, objective: 99, latencyThresholdSeconds: 0.5 }],
      },
      {
        name: 'payments',
        namespace: 'payments',
        port: 'metrics',
        monitor: MonitorKind.POD_MONITOR,
        language: InstrumentationLanguage.NODEJS,
        requestsMetric: 'http_server_requests_total',
        durationMetric: 'http_server_duration_seconds',
        statusLabel: 'status',
        slos: [{ kind: SloKind.AVAILABILITY, objective: 99.5, window: '28d' }],
      },
    ],
    // Every receiver type: Teams (msteamsv2_configs) and webhook (url_file) are newer than Debian's amtool 0.25.
    alerting: {
      receivers: [
        ...RECEIVERS,
        RECEIVER.teams,
        RECEIVER.hook,
      ],
      pagingReceiver: 'oncall',
      chatReceiver: 'team-slack',
    },
    metrics: { alertmanagerReplicas: 2 },
  }],
  ['standalone prometheus + grafana with Fluentd and Promtail', {
    metrics: { flavor: MetricsFlavor.STANDALONE },
    logs: { collectors: [LogCollector.FLUENTD, LogCollector.PROMTAIL] },
    traces: { enabled: false },
  }],
  ['standalone prometheus + grafana, every stack component scraped (Loki, Tempo, the collector, a self-managed Argo CD)', {
    metrics: { flavor: MetricsFlavor.STANDALONE },
    argocd: { selfManaged: true },
  }],
  ['standalone prometheus, distributed profile: Loki and Tempo 3 on the central cluster, an edge cluster', {
    profile: Profile.DISTRIBUTED,
    objectStorage: { provider: ObjectStorageProvider.S3, region: 'eu-west-1', secretName: 'obs-s3' },
    metrics: { flavor: MetricsFlavor.STANDALONE, backend: MetricsBackend.PROMETHEUS },
    logs: { pushUrl: 'https://loki.example.com/loki/api/v1/push' },
    traces: { otlpEndpoint: 'tempo.example.com:4317', kafkaAddress: 'kafka.streaming.svc:9092' },
    clusters: [{ name: 'hub', central: true }, { name: 'edge-1', server: 'https://edge-1.example.com' }],
  }],
  ['Fluentd to Elasticsearch + Kibana', {
    logs: { backend: LogsBackend.ELASTICSEARCH },
    traces: { enabled: false },
  }],
  ['40 services across 5 namespaces, each with availability and latency SLOs', {
    services: manyServices(),
    alerting: { receivers: RECEIVERS },
  }],
];

describe('scaffolds validate clean with every check, the real tools included', () => {
  const roots: string[] = [];
  afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

  // The 40-service scenario runs promtool on ~1,400 rules: allow for a slow CI runner.
  test.each(SCENARIOS)('%s', async (_, options) => {
    const root = synthRepo(options);
    roots.push(root);
    const results = await validate(root, renderOptions());
    expect(results.map((r) => r.name)).toEqual(ALL_CHECKS);
    expectClean(results);
    // Each tool looked at something: a check with nothing to check would pass vacuously.
    for (const name of TOOL_CHECKS) {
      expect(`${name}: ${results.find((r) => r.name === name)!.summary}`).not.toMatch(/nothing to check/);
    }
  }, 180_000);
});
