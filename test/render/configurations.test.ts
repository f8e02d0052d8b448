import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import {
  FleetMode, GrafanaExposure, LogCollector, LogsBackend, LokiMode, MetricsBackend, MetricsFlavor, ObjectStorageProvider,
  ObservabilityGitOpsProject, ObservabilityGitOpsProjectOptions, Profile, TempoMode, TracesBackend, ApplicationSetGenerator,
} from '../../src';
import { formatResults, validate } from '../../src/validate/run';
import { README_FLEET, README_OPTIONS, README_OPTIONS_LINES } from '../support/readme-examples';
import { renderOptions, renderProblems } from '../support/render';
import { BASE, synthToDisk } from '../util';

/*
 * Rendered as Argo CD renders them, with the real Helm over the vendored chart
 * packages: the README's examples, and every flavor, log collector, backend,
 * profile and fleet mode (the scenarios in test/scenarios.test.ts render too).
 * Every check of validate must pass; only mimir-distributed, which has no
 * package here, may stay unrendered.
 */

jest.setTimeout(300_000);

const S3 = { provider: ObjectStorageProvider.S3, region: 'eu-west-1', secretName: 'obs-s3' };

const CONFIGURATIONS: Array<[string, Partial<ObservabilityGitOpsProjectOptions>]> = [
  ['the README\'s options example', README_OPTIONS],
  ['the README\'s fleet example (ApplicationSets, Mimir, Tempo 3)', README_FLEET],
  ['Fluent Bit into Loki, Grafana behind an Ingress', { logs: { collectors: [LogCollector.FLUENT_BIT] }, grafana: { exposure: GrafanaExposure.INGRESS, ingressHost: 'grafana.example.com', ingressTlsSecretName: 'grafana-tls' } }],
  ['loki-stack (its own Promtail), traces off', { logs: { backend: LogsBackend.LOKI_STACK }, traces: { enabled: false } }],
  ['Thanos with object storage, HA', { profile: Profile.HA, metrics: { backend: MetricsBackend.THANOS }, objectStorage: S3 }],
  ['single node, traces to an external OTLP endpoint', { profile: Profile.SINGLE_NODE, traces: { backend: TracesBackend.OTLP_ENDPOINT, otlpEndpoint: 'otel.example.com:4317' } }],
  ['Loki simple scalable and Tempo distributed on object storage', {
    objectStorage: S3, logs: { mode: LokiMode.SIMPLE_SCALABLE }, traces: { mode: TempoMode.DISTRIBUTED, kafkaAddress: 'kafka.streaming.svc:9092' },
  }],
  ['self-managed Argo CD, kube-prometheus-stack', { argocd: { selfManaged: true } }],
  ['an ApplicationSet cluster generator over three clusters', {
    environments: [{ name: 'prod' }],
    clusters: [
      { name: 'eu', environment: 'prod', server: 'https://eu.example.com' },
      { name: 'us', environment: 'prod', server: 'https://us.example.com' },
      { name: 'ap', environment: 'prod', server: 'https://ap.example.com' },
    ],
    argocd: { fleetMode: FleetMode.APPLICATION_SETS, applicationSetGenerator: ApplicationSetGenerator.CLUSTERS },
  }],
  ['standalone flavor, Fluent Bit, traces off', { metrics: { flavor: MetricsFlavor.STANDALONE }, logs: { collectors: [LogCollector.FLUENT_BIT] }, traces: { enabled: false } }],
];

const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

test('the README still shows the examples tested here', () => {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf-8');
  for (const line of README_OPTIONS_LINES) expect(readme).toContain(line);
});

test.each(CONFIGURATIONS)('%s', async (_, options) => {
  const root = mkdtempSync(join(tmpdir(), 'obs-gitops-render-config-'));
  roots.push(root);
  synthToDisk(new ObservabilityGitOpsProject({ ...BASE, outdir: root, gitRepoUrl: 'https://github.com/acme/obs.git', ...options } as ObservabilityGitOpsProjectOptions));
  const results = await validate(root, renderOptions());
  const bad = results.filter((r) => r.status === 'fail' || (r.status === 'not-run' && renderProblems([r]).length > 0));
  if (bad.length > 0) throw new Error(formatResults(results));
  // The render stage ran and rendered something on every cluster.
  expect(results.find((r) => r.name === 'render' && r.status === 'pass')?.summary).toMatch(/^\d+ Applications into \d+ objects/);
});
