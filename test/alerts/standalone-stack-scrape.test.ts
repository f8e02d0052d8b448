import { spawnSync } from 'child_process';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as YAML from 'yaml';
import { helmBinary } from '../../scripts/lib/helm-binary.cjs';
import { LogsBackend, MetricsBackend, MetricsFlavor, ObjectStorageProvider, Profile, TracesBackend } from '../../src';
import { prometheusExtraScrapeConfigs } from '../../src/model/alerts/standalone-scrape';
import { stackScrapeConfigs } from '../../src/model/alerts/standalone-stack-scrape';
import { resolveOptions } from '../../src/options/resolve';
import { BASE, fleetOf, synthFiles } from '../util';

/*
 * The standalone flavor's scrape jobs of the stack's own components
 * (src/model/alerts/standalone-stack-scrape.ts): one per component that runs,
 * equivalent to the ServiceMonitor kube-prometheus-stack would use, so the
 * stack-pack alerts and the stack-health dashboard have the same series in
 * both flavors.
 */

const REPO = 'https://github.com/acme/observability.git';
const STANDALONE = { flavor: MetricsFlavor.STANDALONE };

function resolved(options: Record<string, unknown> = {}) {
  return resolveOptions({ ...BASE, gitRepoUrl: REPO, ...options } as any);
}

/** The scrape jobs of values/prometheus.yaml's extraScrapeConfigs, by job_name. */
function jobsOf(values: Record<string, any> | undefined): Record<string, any> {
  const text = values?.extraScrapeConfigs;
  if (text === undefined || text === null) return {};
  return Object.fromEntries((YAML.parse(text) as any[]).map((j) => [j.job_name, j]));
}

// ---------------------------------------------------------------------------
// A Prometheus relabeling engine (keep, drop, replace; anchored regexes), to
// run the generated jobs on the targets that service discovery (role
// endpointslice) would find for the Services the charts render.
// ---------------------------------------------------------------------------

type Labels = Record<string, string>;

function relabel(labels: Labels, configs: any[]): Labels | undefined {
  let out = { ...labels };
  for (const c of configs) {
    const action = c.action ?? 'replace';
    const value = (c.source_labels ?? []).map((l: string) => out[l] ?? '').join(c.separator ?? ';');
    const match = new RegExp(`^(?:${c.regex ?? '(.*)'})$`).exec(value);
    if (action === 'keep' && !match) return undefined;
    if (action === 'drop' && match) return undefined;
    if (action === 'replace' && match) {
      const replaced = (c.replacement ?? '$1').replace(/\$\{?(\d+)\}?/g, (_: string, n: string) => match[Number(n)] ?? '');
      out = { ...out };
      if (replaced === '') delete out[c.target_label]; else out[c.target_label] = replaced;
    }
  }
  return out;
}

/** A Service as the chart renders it: its name, labels and port names. */
interface FakeService { readonly name: string; readonly labels: Labels; readonly ports: readonly string[] }

/** The targets discovery finds for a Service (one pod behind it), as meta labels. */
function discovered(namespace: string, svc: FakeService): Labels[] {
  const serviceLabels: Labels = {};
  for (const [k, v] of Object.entries(svc.labels)) {
    const name = k.replace(/[^a-zA-Z0-9_]/g, '_');
    serviceLabels[`__meta_kubernetes_service_label_${name}`] = v;
    serviceLabels[`__meta_kubernetes_service_labelpresent_${name}`] = 'true';
  }
  return svc.ports.map((port, i) => ({
    __address__: `10.0.0.1:${9000 + i}`,
    __meta_kubernetes_namespace: namespace,
    __meta_kubernetes_service_name: svc.name,
    __meta_kubernetes_endpointslice_port_name: port,
    __meta_kubernetes_pod_name: `${svc.name}-0`,
    __meta_kubernetes_pod_container_name: 'main',
    ...serviceLabels,
  }));
}

/** What a job scrapes among these Services: `service/port` → the target's labels (without meta labels). */
function scraped(job: any, namespace: string, services: readonly FakeService[]): Record<string, Labels> {
  const out: Record<string, Labels> = {};
  for (const svc of services) {
    for (const target of discovered(namespace, svc)) {
      const labels = relabel(target, job.relabel_configs);
      if (labels) {
        out[`${svc.name}/${target.__meta_kubernetes_endpointslice_port_name}`] =
          Object.fromEntries(Object.entries(labels).filter(([k]) => !k.startsWith('__')));
      }
    }
  }
  return out;
}

/** The labels kube-prometheus-stack's ServiceMonitor path gives a target (plus `container` = the fake pod's). */
function expected(namespace: string, service: string, job: string, extra: Labels = {}): Labels {
  return { namespace, service, pod: `${service}-0`, container: 'main', job, ...extra };
}

// Services of the charts at the pinned versions (their templates' names, labels and port names).

/** loki 18.11.0, monolithic, release `loki` (templates/_service.tpl, gateway/, service-memberlist.yaml). */
const LOKI = { 'app.kubernetes.io/name': 'loki', 'app.kubernetes.io/instance': 'loki', 'helm.sh/chart': 'loki-18.11.0' };
const LOKI_SERVICES: FakeService[] = [
  { name: 'loki', labels: { ...LOKI, 'app.kubernetes.io/component': 'single-binary' }, ports: ['http-metrics', 'grpc', 'grpclb'] },
  {
    name: 'loki-headless',
    labels: { ...LOKI, 'app.kubernetes.io/component': 'single-binary', 'prometheus.io/service-monitor': 'false', 'variant': 'headless' },
    ports: ['http-metrics', 'grpc', 'grpclb'],
  },
  { name: 'loki-memberlist', labels: LOKI, ports: ['tcp'] },
  { name: 'loki-gateway', labels: { ...LOKI, 'app.kubernetes.io/component': 'gateway', 'prometheus.io/service-monitor': 'false' }, ports: ['http'] },
  { name: 'loki-gateway-exporter', labels: { ...LOKI, 'app.kubernetes.io/component': 'gateway' }, ports: ['http-metrics'] },
];

/** prometheus 29.27.0 and its alertmanager 1.42.0 subchart, release `prometheus`. */
const PROMETHEUS_SERVICES: FakeService[] = [
  { name: 'prometheus-alertmanager', labels: { 'app.kubernetes.io/name': 'alertmanager', 'app.kubernetes.io/instance': 'prometheus' }, ports: ['http'] },
  {
    name: 'prometheus-alertmanager-headless',
    labels: { 'app.kubernetes.io/name': 'alertmanager', 'app.kubernetes.io/instance': 'prometheus' },
    ports: ['http', 'cluster-tcp', 'cluster-udp'],
  },
  { name: 'prometheus-server', labels: { 'app.kubernetes.io/name': 'prometheus', 'app.kubernetes.io/instance': 'prometheus' }, ports: ['http'] },
];

/** tempo 2.2.4, release `tempo` (templates/service.yaml, _ports.tpl). */
const TEMPO_SERVICES: FakeService[] = [
  { name: 'tempo', labels: { 'app.kubernetes.io/name': 'tempo', 'app.kubernetes.io/instance': 'tempo' }, ports: ['tempo-prom-metrics', 'grpc-tempo-otlp', 'tempo-otlp-http'] },
];

/** The services opentelemetry-operator 0.158 makes for the `gateway` OpenTelemetryCollector. */
const OPERATOR = {
  'app.kubernetes.io/managed-by': 'opentelemetry-operator',
  'app.kubernetes.io/instance': 'tracing.gateway',
  'app.kubernetes.io/part-of': 'opentelemetry',
  'app.kubernetes.io/component': 'opentelemetry-collector',
};
const GATEWAY_SERVICES: FakeService[] = [
  { name: 'gateway-collector', labels: { ...OPERATOR, 'operator.opentelemetry.io/collector-service-type': 'base' }, ports: ['otlp-grpc', 'otlp-http'] },
  { name: 'gateway-collector-headless', labels: { ...OPERATOR, 'operator.opentelemetry.io/collector-service-type': 'headless' }, ports: ['otlp-grpc'] },
  {
    name: 'gateway-collector-monitoring',
    labels: { ...OPERATOR, 'operator.opentelemetry.io/collector-service-type': 'monitoring', 'operator.opentelemetry.io/collector-monitoring-service': 'Exists' },
    ports: ['monitoring'],
  },
  { name: 'gateway-collector-extension', labels: { ...OPERATOR, 'operator.opentelemetry.io/collector-service-type': 'extension' }, ports: ['health-check'] },
];

/** tempo-distributed 3.3.0, release `tempo` (one Service per component; the discovery ones opt out). */
const TEMPO_D = { 'app.kubernetes.io/name': 'tempo', 'app.kubernetes.io/instance': 'tempo' };
const TEMPO_DISTRIBUTED_SERVICES: FakeService[] = [
  ...['distributor', 'querier', 'query-frontend', 'backend-scheduler', 'backend-worker', 'block-builder', 'live-store', 'metrics-generator']
    .map((component) => ({ name: `tempo-${component}`, labels: { ...TEMPO_D, 'app.kubernetes.io/component': component }, ports: ['http-metrics', 'grpc'] })),
  {
    name: 'tempo-distributor-discovery',
    labels: { ...TEMPO_D, 'app.kubernetes.io/component': 'distributor', 'prometheus.io/service-monitor': 'false' },
    ports: ['http-metrics'],
  },
  { name: 'tempo-query-frontend-discovery', labels: { ...TEMPO_D, 'app.kubernetes.io/component': 'query-frontend' }, ports: ['http', 'grpc'] },
  { name: 'tempo-gossip-ring', labels: { ...TEMPO_D, 'app.kubernetes.io/component': 'gossip-ring' }, ports: ['gossip-ring'] },
];

/** argo-cd 10.1.1, release `argo-cd`, fullnameOverride `argocd`. */
const ARGOCD_SERVICES: FakeService[] = [
  {
    name: 'argocd-application-controller-metrics',
    labels: { 'app.kubernetes.io/name': 'argocd-metrics', 'app.kubernetes.io/instance': 'argo-cd', 'app.kubernetes.io/component': 'application-controller' },
    ports: ['http-metrics'],
  },
  {
    name: 'argocd-server-metrics',
    labels: { 'app.kubernetes.io/name': 'argocd-server-metrics', 'app.kubernetes.io/instance': 'argo-cd', 'app.kubernetes.io/component': 'server' },
    ports: ['http-metrics'],
  },
  { name: 'argocd-server', labels: { 'app.kubernetes.io/name': 'argocd-server', 'app.kubernetes.io/instance': 'argo-cd', 'app.kubernetes.io/component': 'server' }, ports: ['http', 'https'] },
];

/** loki-stack 2.10.3's loki 2.16 sub-chart, release `loki-stack` (templates/service.yaml, service-headless.yaml). */
const LOKI_STACK = { app: 'loki', release: 'loki-stack', chart: 'loki-2.16.0', heritage: 'Helm' };
const LOKI_STACK_SERVICES: FakeService[] = [
  { name: 'loki-stack', labels: LOKI_STACK, ports: ['http-metrics'] },
  { name: 'loki-stack-headless', labels: { ...LOKI_STACK, variant: 'headless' }, ports: ['http-metrics'] },
  { name: 'loki-stack-memberlist', labels: LOKI_STACK, ports: ['http'] },
];

describe('standalone flavor: a scrape job per stack component, as its ServiceMonitor', () => {
  const files = synthFiles({ metrics: STANDALONE, argocd: { selfManaged: true } });
  const jobs = jobsOf(files['values/prometheus.yaml']);

  test('the generated values have a job for Alertmanager, Loki, Tempo, the gateway collector and Argo CD', () => {
    expect(Object.keys(jobs)).toEqual([
      'stack/monitoring/alertmanager', 'stack/logging/loki', 'stack/tracing/tempo', 'stack/tracing/gateway-collector',
      'stack/argocd/argocd-application-controller', 'stack/logging/alloy',
    ]);
    // The components behind a Service (the log agents are scraped by pod: see the last describe).
    for (const [name, job] of Object.entries(jobs).filter(([n]) => n !== 'stack/logging/alloy')) {
      const namespace = name.split('/')[1];
      // Discovery of EndpointSlices in the component's namespace only, as the chart's own jobs discover Services.
      expect(job.kubernetes_sd_configs).toEqual([{ role: 'endpointslice', namespaces: { names: [namespace] } }]);
      expect(job.metrics_path).toBe('/metrics');
      // The labels prometheus-operator sets on a ServiceMonitor's targets.
      for (const label of ['namespace', 'pod', 'container', 'service', 'job']) {
        expect(job.relabel_configs.some((r: any) => r.target_label === label)).toBe(true);
      }
    }
  });

  test('Alertmanager: the main Service of the alertmanager subchart (not its headless twin), port http', () => {
    expect(scraped(jobs['stack/monitoring/alertmanager'], 'monitoring', PROMETHEUS_SERVICES)).toEqual({
      'prometheus-alertmanager/http': expected('monitoring', 'prometheus-alertmanager', 'prometheus-alertmanager'),
    });
  });

  test('Loki: every Service of the release with port http-metrics, not the opted-out ones; job <namespace>/<Service>, 15s', () => {
    const job = jobs['stack/logging/loki'];
    expect(job).toMatchObject({ scrape_interval: '15s', scrape_timeout: '10s' });
    expect(scraped(job, 'logging', LOKI_SERVICES)).toEqual({
      'loki/http-metrics': expected('logging', 'loki', 'logging/loki', { app_instance: 'loki' }),
      'loki-gateway-exporter/http-metrics': expected('logging', 'loki-gateway-exporter', 'logging/loki-gateway-exporter', { app_instance: 'loki' }),
    });
  });

  test('Tempo (monolithic): the tempo Service, port tempo-prom-metrics, job tempo', () => {
    const job = jobs['stack/tracing/tempo'];
    expect(job.scrape_interval).toBeUndefined();
    expect(scraped(job, 'tracing', [...TEMPO_SERVICES, ...GATEWAY_SERVICES])).toEqual({
      'tempo/tempo-prom-metrics': expected('tracing', 'tempo', 'tempo'),
    });
  });

  test('gateway collector: the operator\'s monitoring Service, port monitoring', () => {
    expect(scraped(jobs['stack/tracing/gateway-collector'], 'tracing', [...GATEWAY_SERVICES, ...TEMPO_SERVICES])).toEqual({
      'gateway-collector-monitoring/monitoring': expected('tracing', 'gateway-collector-monitoring', 'gateway-collector-monitoring'),
    });
    // Without the operator's prometheus.io/scrape pod annotations: the chart's kubernetes-pods job would scrape it again.
    const collector = files['manifests/in-cluster/opentelemetry-resources/opentelemetrycollector-gateway.yaml'];
    expect(collector.spec.observability.metrics).toEqual({ enableMetrics: false, disablePrometheusAnnotations: true });
  });

  test('Argo CD (self-managed): the application controller\'s metrics Service, port http-metrics, 30s', () => {
    const job = jobs['stack/argocd/argocd-application-controller'];
    expect(job).toMatchObject({ scrape_interval: '30s', scrape_timeout: '10s' });
    expect(scraped(job, 'argocd', ARGOCD_SERVICES)).toEqual({
      'argocd-application-controller-metrics/http-metrics':
        expected('argocd', 'argocd-application-controller-metrics', 'argocd-application-controller-metrics'),
    });
  });

  test('a job only for what runs: Argo CD from the upstream manifests unless self-managed, nothing for components turned off', () => {
    const jobsHere = jobsOf(synthFiles({ metrics: STANDALONE })['values/prometheus.yaml']);
    expect(Object.keys(jobsHere)).not.toContain('stack/argocd/argocd-application-controller');
    // Argo CD installed from the upstream manifests: its argocd-metrics Service, port "metrics".
    expect(YAML.stringify(jobsHere['stack/argocd/argocd-metrics'])).toContain('argocd-metrics');
    expect(jobsHere['stack/argocd/argocd-metrics'].relabel_configs).toContainEqual(expect.objectContaining({ regex: 'metrics', action: 'keep' }));
    const few = synthFiles({
      metrics: { ...STANDALONE, alertmanager: false }, logs: { backend: LogsBackend.ELASTICSEARCH }, traces: { enabled: false },
    });
    expect(Object.keys(jobsOf(few['values/prometheus.yaml']))).toEqual(['stack/argocd/argocd-metrics', 'stack/logging/fluentd']);
    const otlp = synthFiles({
      metrics: STANDALONE, logs: { enabled: false }, traces: { backend: TracesBackend.OTLP_ENDPOINT, otlpEndpoint: 'otlp.example.com:4317' },
    });
    expect(Object.keys(jobsOf(otlp['values/prometheus.yaml']))).toEqual(['stack/monitoring/alertmanager', 'stack/tracing/gateway-collector',
      'stack/argocd/argocd-metrics']);
  });

  test('namespaces follow the options', () => {
    const names = Object.keys(jobsOf(synthFiles({
      metrics: { ...STANDALONE, namespace: 'obs' },
      logs: { namespace: 'obs-logs' },
      traces: { namespace: 'obs-traces' },
      argocd: { selfManaged: true },
    })['values/prometheus.yaml']));
    expect(names).toEqual(['stack/obs/alertmanager', 'stack/obs-logs/loki', 'stack/obs-traces/tempo', 'stack/obs-traces/gateway-collector',
      'stack/argocd/argocd-application-controller', 'stack/obs-logs/alloy']);
  });

  test('kube-prometheus-stack: ServiceMonitors, no jobs, no change to the collector or loki-stack values', () => {
    const kps = synthFiles({ logs: { backend: LogsBackend.LOKI_STACK }, argocd: { selfManaged: true } });
    expect(kps['values/prometheus.yaml']).toBeUndefined();
    expect(stackScrapeConfigs(resolved({ argocd: { selfManaged: true } }))).toEqual([]);
    expect(kps['manifests/in-cluster/opentelemetry-resources/opentelemetrycollector-gateway.yaml'].spec.observability.metrics).toEqual({ enableMetrics: true });
    expect(kps['values/loki-stack.yaml'].loki.podAnnotations).toBeUndefined();
    expect(kps['values/loki-stack.yaml'].loki.serviceMonitor).toEqual({ enabled: true });
  });
});

describe('standalone flavor: loki-stack', () => {
  const files = synthFiles({ metrics: STANDALONE, logs: { backend: LogsBackend.LOKI_STACK }, traces: { enabled: false } });

  test('the headless Service its ServiceMonitor selects; the pods\' prometheus.io/scrape annotation off', () => {
    const jobs = jobsOf(files['values/prometheus.yaml']);
    expect(Object.keys(jobs)).toEqual(['stack/monitoring/alertmanager', 'stack/logging/loki-stack', 'stack/argocd/argocd-metrics']);
    expect(scraped(jobs['stack/logging/loki-stack'], 'logging', LOKI_STACK_SERVICES)).toEqual({
      'loki-stack-headless/http-metrics': expected('logging', 'loki-stack-headless', 'loki-stack-headless'),
    });
    // The sub-chart's default pod annotations would have the chart's kubernetes-pods job scrape every container port.
    expect(files['values/loki-stack.yaml'].loki.podAnnotations).toEqual({ 'prometheus.io/scrape': 'false' });
    expect(files['values/loki-stack.yaml'].loki.serviceMonitor).toEqual({ enabled: false });
  });
});

describe('standalone flavor, distributed profile: only what a cluster runs is scraped there', () => {
  const options = {
    profile: Profile.DISTRIBUTED,
    objectStorage: {
      provider: ObjectStorageProvider.S3,
      region: 'eu-west-1',
      secretName: 'obs-s3',
      metricsBucket: 'obs-metrics',
      logsBucket: 'obs-logs',
      tracesBucket: 'obs-traces',
    },
    metrics: { ...STANDALONE, backend: MetricsBackend.PROMETHEUS },
    logs: { pushUrl: 'https://loki.example.com/loki/api/v1/push' },
    traces: { otlpEndpoint: 'tempo.example.com:4317', kafkaAddress: 'kafka.streaming.svc:9092' },
    clusters: [{ name: 'hub', central: true }, { name: 'edge-1', server: 'https://edge-1.example.com' }],
  };
  const files = synthFiles(options as any);
  const fleet = fleetOf({ ...options, gitRepoUrl: REPO } as any);

  test('the central cluster scrapes distributed Loki and Tempo 3; the edge cluster\'s layer drops their jobs', () => {
    const central = jobsOf(files['values/prometheus.yaml']);
    expect(Object.keys(central)).toEqual(['stack/monitoring/alertmanager', 'stack/logging/loki', 'stack/tracing/tempo', 'stack/tracing/gateway-collector',
      'stack/argocd/argocd-metrics', 'stack/logging/alloy']);
    const edge = jobsOf(files['values/edge/prometheus.yaml']);
    // Argo CD's job is everywhere: it selects nothing on a cluster Argo CD does not run in.
    // The edge's Alloy pushes to the central Loki: its job stays (AlloyLogsPushFailing watches that link).
    expect(Object.keys(edge)).toEqual(['stack/monitoring/alertmanager', 'stack/tracing/gateway-collector', 'stack/argocd/argocd-metrics', 'stack/logging/alloy']);
    // The same from the model: each group's Prometheus scrapes the parts that group runs.
    for (const group of fleet.groups) {
      const parts = group.model.parts.map((p) => p.name);
      const names = Object.keys(jobsOf(group.model.parts.find((p) => p.name === 'prometheus')!.values));
      expect(names.some((n) => n.endsWith('/loki'))).toBe(parts.includes('loki'));
      expect(names.some((n) => n.endsWith('/tempo'))).toBe(parts.includes('tempo'));
      expect(group.role === 'edge').toBe(!parts.includes('loki'));
    }
  });

  test('distributed Loki: each component\'s Service, job <namespace>/<Service>', () => {
    const job = jobsOf(files['values/prometheus.yaml'])['stack/logging/loki'];
    const component = (name: string) => ({ name: `loki-${name}`, labels: { ...LOKI, 'app.kubernetes.io/component': name }, ports: ['http-metrics', 'grpc', 'grpclb'] });
    const headless = (name: string) => ({
      name: `loki-${name}-headless`,
      labels: { ...LOKI, 'app.kubernetes.io/component': name, 'prometheus.io/service-monitor': 'false' },
      ports: ['http-metrics'],
    });
    expect(Object.keys(scraped(job, 'logging', [component('distributor'), headless('distributor'), component('ingester'), headless('ingester')])))
      .toEqual(['loki-distributor/http-metrics', 'loki-ingester/http-metrics']);
    expect(scraped(job, 'logging', [component('querier')])['loki-querier/http-metrics'].job).toBe('logging/loki-querier');
  });

  test('Tempo 3 (tempo-distributed): the components with a ServiceMonitor, job <namespace>/<component>', () => {
    const job = jobsOf(files['values/prometheus.yaml'])['stack/tracing/tempo'];
    const got = scraped(job, 'tracing', TEMPO_DISTRIBUTED_SERVICES);
    expect(Object.fromEntries(Object.entries(got).map(([k, v]) => [k, v.job]))).toEqual({
      'tempo-distributor/http-metrics': 'tracing/distributor',
      'tempo-querier/http-metrics': 'tracing/querier',
      'tempo-query-frontend/http-metrics': 'tracing/query-frontend',
      'tempo-backend-scheduler/http-metrics': 'tracing/backend-scheduler',
      'tempo-backend-worker/http-metrics': 'tracing/backend-worker',
      'tempo-block-builder/http-metrics': 'tracing/block-builder',
      'tempo-live-store/http-metrics': 'tracing/live-store',
      'tempo-metrics-generator/http-metrics': 'tracing/metrics-generator',
    });
    expect(got['tempo-distributor/http-metrics']).toEqual(expected('tracing', 'tempo-distributor', 'tracing/distributor'));
  });
});

describe('promtool check config: prometheus.yml with the chart\'s jobs and every stack job', () => {
  function promtool(args: string[], cwd: string) {
    const r = spawnSync('promtool', args, { cwd, encoding: 'utf8' });
    if (r.error) throw new Error(`promtool could not run (${r.error.message}): install the Debian package "prometheus"`);
    return { status: r.status, output: `${r.stdout}${r.stderr}` };
  }

  test.each([
    ['single cluster, self-managed Argo CD', { metrics: STANDALONE, argocd: { selfManaged: true } }],
    ['loki-stack, Tempo 3', {
      metrics: STANDALONE,
      logs: { backend: LogsBackend.LOKI_STACK },
      objectStorage: { provider: ObjectStorageProvider.S3, region: 'eu-west-1', secretName: 'obs-s3', metricsBucket: 'obs-metrics', logsBucket: 'obs-logs', tracesBucket: 'obs-traces' },
      traces: { mode: 'distributed', kafkaAddress: 'kafka.streaming.svc:9092' },
    }],
  ])('%s', (_, options) => {
    const o = resolved(options);
    const jobs = YAML.parse(prometheusExtraScrapeConfigs(o));
    expect(jobs.length).toBeGreaterThanOrEqual(4);
    // Debian's promtool is built without Kubernetes service discovery ("field kubernetes_sd_configs
    // not found"): a static target in its place; the rest (intervals, relabel actions, regexes) is checked.
    const checkable = jobs.map((j: any) => {
      const { kubernetes_sd_configs: sd, ...rest } = j;
      expect(sd).toHaveLength(1);
      return { ...rest, static_configs: [{ targets: ['localhost:8080'] }] };
    });
    const dir = mkdtempSync(join(tmpdir(), 'obs-stack-scrape-'));
    writeFileSync(join(dir, 'prometheus.yml'), YAML.stringify({
      global: { scrape_interval: '30s', scrape_timeout: '10s' },
      scrape_configs: [{ job_name: 'prometheus', static_configs: [{ targets: ['localhost:9090'] }] }, ...checkable],
    }, { lineWidth: 0 }));
    const r = promtool(['check', 'config', '--syntax-only', 'prometheus.yml'], dir);
    expect(r).toEqual({ status: 0, output: expect.stringContaining('SUCCESS') });
  });
});

describe('standalone flavor: the log agents are scraped by pod, like their charts\' ServiceMonitors', () => {
  test('one job per agent that runs, on the chart\'s metrics port and path; their alerts are generated', () => {
    const values = synthFiles({ metrics: STANDALONE, logs: { collectors: ['ALLOY', 'FLUENT_BIT', 'FLUENTD', 'PROMTAIL'] } } as any)['values/prometheus.yaml'];
    const jobs = jobsOf(values);
    expect(Object.keys(jobs).filter((n) => /alloy|fluent|promtail/.test(n)))
      .toEqual(['stack/logging/alloy', 'stack/logging/fluent-bit', 'stack/logging/fluentd', 'stack/logging/promtail']);
    expect(jobs['stack/logging/fluent-bit'].metrics_path).toBe('/api/v2/metrics/prometheus');
    expect(jobs['stack/logging/alloy'].relabel_configs).toContainEqual({ source_labels: ['__meta_kubernetes_pod_container_port_name'], regex: 'http-metrics', action: 'keep' });
    expect(jobs['stack/logging/alloy'].relabel_configs).toContainEqual({ target_label: 'job', replacement: 'alloy' });
    expect(Object.keys(jobsOf(synthFiles({ metrics: STANDALONE })['values/prometheus.yaml']))).toContain('stack/logging/alloy');
  });

  test('the selected labels and ports are those of the pinned charts\' pods (rendered with Helm)', () => {
    const charts: Record<string, [string, string]> = {
      'alloy': ['alloy-1.11.1', 'http-metrics'], 'fluent-bit': ['fluent-bit-0.58.1', 'http'], 'fluentd': ['fluentd-0.6.0', 'metrics'], 'promtail': ['promtail-6.17.1', 'http-metrics'],
    };
    for (const [name, [pkg, port]] of Object.entries(charts)) {
      const r = spawnSync(helmBinary(), ['template', name, join(__dirname, '..', 'fixtures', 'chart-packages', `${pkg}.tgz`), '-n', 'logging'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      expect(r.status).toBe(0);
      const ds = YAML.parseAllDocuments(r.stdout).map((d) => d.toJS()).find((d) => d?.kind === 'DaemonSet');
      expect(ds.spec.template.metadata.labels).toMatchObject({ 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': name });
      expect(ds.spec.template.spec.containers.flatMap((c: any) => (c.ports ?? []).map((p: any) => p.name))).toContain(port);
    }
  });
});
