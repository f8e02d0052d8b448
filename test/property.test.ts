import { mkdtempSync, readdirSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as YAML from 'yaml';
import {
  ApplicationSetGenerator, FleetMode, GrafanaExposure, InstrumentationLanguage, LogCollector, LogsBackend, MetricsBackend, MetricsFlavor,
  MonitorKind, ObjectStorageProvider, ObservabilityGitOpsProject, ObservabilityGitOpsProjectOptions, Profile, ReceiverType, RulePack,
  Severity, SloKind, TempoMode, TracesBackend,
} from '../src';
import { renderOptions, renderProblems } from './support/render';
import { BASE, RECEIVER, fleetOf, mulberry32 } from './util';
import {
  CheckResult, checkExpressions, checkHelmValues, checkParse, checkSchemas, checkSecrets, checkSyncWaves,
} from '../src/validate/checks';
import { renderStage } from '../src/validate/render';
import { readRepo } from '../src/validate/repo';
import { formatResults, validateRepo } from '../src/validate/run';
import { InvalidOptionError } from '../src/validation/errors';

/*
 * Property test: random VALID option sets, from a seeded PRNG, each
 * synthesized to disk and validated with the in-process checks of
 * `obs-gitops validate` (parse, schemas, helm values, sync waves,
 * expressions, secrets). A deterministic sample also runs promtool, amtool
 * and kubectl kustomize (every check of `validateRepo`), and a few sets get
 * a deliberately invalid variant that must throw InvalidOptionError before
 * anything is written.
 *
 * The generator follows the rules of src/options/resolve.ts (and the
 * option checks of the stack model): it never draws a combination that is
 * invalid by design. A failure prints the seed, the index and the option set;
 * replay one set with PROPERTY_SEED=<seed> PROPERTY_ONLY=<index>.
 */

const SEED = Number(process.env.PROPERTY_SEED ?? 0x5eed2024);
const COUNT = Number(process.env.PROPERTY_COUNT ?? 300);
const ONLY = process.env.PROPERTY_ONLY === undefined ? undefined : Number(process.env.PROPERTY_ONLY);
/** Every TOOL_EVERY-th set also runs the external tools (~10 of 300; PROPERTY_TOOL_EVERY=1 runs them on all). */
const TOOL_EVERY = Number(process.env.PROPERTY_TOOL_EVERY ?? 30);
/** Every this many sets are rendered with the real Helm too (the render stage of validate). */
const RENDER_EVERY = Number(process.env.PROPERTY_RENDER_EVERY ?? 25);
/** Every INVALID_EVERY-th set (offset 7) also gets an invalid variant. */
const INVALID_EVERY = 25;

// ---------------------------------------------------------------------------
// A seeded PRNG (mulberry32, in test/util.ts) and helpers
// ---------------------------------------------------------------------------

// Seeds are bit arithmetic: the one place these rules do not fit.
/* eslint-disable no-bitwise */
/** The seed of option set `i`: each set has its own stream, so one set replays alone. */
function setSeed(seed: number, i: number): number {
  return (seed ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0;
}
/* eslint-enable no-bitwise */

class Rng {
  private readonly next: () => number;
  constructor(seed: number) { this.next = mulberry32(seed); }
  /** true with probability p. */
  bool(p = 0.5): boolean { return this.next() < p; }
  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number { return lo + Math.floor(this.next() * (hi - lo + 1)); }
  pick<T>(items: readonly T[]): T { return items[Math.floor(this.next() * items.length)]; }
  /** A random subset (order kept), of at least `min` items. */
  subset<T>(items: readonly T[], min = 0): T[] {
    for (;;) {
      const out = items.filter(() => this.bool());
      if (out.length >= min) return out;
    }
  }
  /** `value` with probability p, else undefined (the option is left out). */
  maybe<T>(p: number, value: () => T): T | undefined { return this.bool(p) ? value() : undefined; }
}

/** Drop undefined fields, so a printed option set shows only what was set. */
function clean<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}

// ---------------------------------------------------------------------------
// The generator
// ---------------------------------------------------------------------------

type Options = Partial<ObservabilityGitOpsProjectOptions>;

const NAMESPACE_POOL = ['shop', 'payments', 'search', 'kube-system', 'default', 'media', 'accounts', 'batch'];
/** Services may also run in the stack's own namespace (their monitors then need no extra destination). */
const SERVICE_NAMESPACES = ['shop', 'payments', 'search', 'default', 'media', 'monitoring'];
const SERVICE_NAMES = ['checkout', 'cart', 'api', 'web', 'worker', 'billing', 'gateway', 'auth'];
const QUANTITY_CPU = ['100m', '250m', '500m', '1', '2'];
const QUANTITY_MEM = ['256Mi', '512Mi', '1Gi', '2Gi', '4Gi'];
/** Bucket bounds a typical duration histogram has (a latency SLO's threshold must be one). */
const LE_BOUNDS = [0.05, 0.1, 0.25, 0.3, 0.5, 1, 2.5, 5];
const VALID_CUSTOM_EXPRS = [
  'sum(rate(http_requests_total{code=~"5.."}[5m])) by (namespace) > 1',
  'absent(up{job="checkout"})',
  'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[5m]))) > 2',
  'max_over_time(queue_depth[10m]) > 1000',
];

function storage(r: Rng): { size?: string; storageClassName?: string } | undefined {
  return r.maybe(0.4, () => clean({
    size: r.maybe(0.8, () => `${r.int(1, 200)}Gi`),
    storageClassName: r.maybe(0.5, () => r.pick(['standard', 'gp3', 'fast-ssd', 'longhorn'])),
  }));
}

function genMetrics(r: Rng): NonNullable<Options['metrics']> {
  const alertmanager = r.bool(0.8);
  const flavor = r.maybe(0.5, () => r.pick(Object.values(MetricsFlavor)));
  const retention = r.maybe(0.4, () => r.pick(['7d', '15d', '30d', '48h', '2w']));
  const retentionGb = r.maybe(0.3, () => r.int(5, 45));
  const volume = storage(r);
  // A retention size must fit the volume (a larger one is refused): kept only with a volume size
  // given (sizing may pick the default), at most 90% of it. Drawn as before, so the seed's sets stay.
  const volumeGi = volume?.size ? parseInt(volume.size, 10) : undefined;
  const retentionSize = retentionGb === undefined || volumeGi === undefined ? undefined
    : `${Math.max(1, Math.min(retentionGb, Math.floor(volumeGi * 0.9)))}GB`;
  return clean({
    enabled: true,
    flavor,
    retention,
    retentionSize,
    storage: volume,
    resources: r.maybe(0.3, () => clean({
      cpuRequest: r.maybe(0.7, () => r.pick(QUANTITY_CPU)),
      memoryRequest: r.maybe(0.7, () => r.pick(QUANTITY_MEM)),
      cpuLimit: r.maybe(0.4, () => '4'),
      memoryLimit: r.maybe(0.4, () => '8Gi'),
    })),
    // Services inherit it; every rule's 5m windows must span 4 scrapes: at most every 1m15s.
    scrapeInterval: r.maybe(0.4, () => r.pick(['10s', '15s', '30s', '1m', '1m15s'])),
    prometheusReplicas: r.maybe(0.3, () => r.int(1, 3)),
    alertmanager: alertmanager ? r.maybe(0.5, () => true) : false,
    alertmanagerReplicas: alertmanager ? r.maybe(0.3, () => r.int(1, 3)) : undefined,
    nodeExporter: r.maybe(0.3, () => r.bool(0.6)),
    kubeStateMetrics: r.maybe(0.3, () => r.bool(0.6)),
    metricsServer: r.maybe(0.3, () => r.bool()),
  });
}

function genGrafana(r: Rng): Options['grafana'] {
  const exposure = r.pick(Object.values(GrafanaExposure));
  return r.maybe(0.7, () => clean({
    exposure: exposure === GrafanaExposure.CLUSTER_IP && r.bool() ? undefined : exposure,
    nodePort: exposure === GrafanaExposure.NODE_PORT ? r.maybe(0.7, () => r.int(30000, 32767)) : undefined,
    ingressHost: exposure === GrafanaExposure.INGRESS ? r.pick(['grafana.example.com', 'grafana.ops.acme.io', 'g.internal']) : undefined,
    ingressClassName: exposure === GrafanaExposure.INGRESS ? r.maybe(0.5, () => r.pick(['nginx', 'traefik'])) : undefined,
    ingressTlsSecretName: exposure === GrafanaExposure.INGRESS ? r.maybe(0.5, () => 'grafana-tls') : undefined,
    adminSecretName: r.maybe(0.2, () => 'grafana-admin'),
    adminUserKey: r.maybe(0.2, () => 'user'),
    adminPasswordKey: r.maybe(0.2, () => 'password'),
    persistence: r.maybe(0.3, () => clean({ size: r.maybe(0.7, () => `${r.int(1, 20)}Gi`) })),
  }));
}

function genLogs(r: Rng): Options['logs'] {
  if (r.bool(0.2)) return { enabled: false };
  const backend = r.pick(Object.values(LogsBackend));
  let collectors: LogCollector[] | undefined;
  if (backend === LogsBackend.ELASTICSEARCH) {
    collectors = r.maybe(0.6, () => r.subset([LogCollector.FLUENTD, LogCollector.FLUENT_BIT], 1));
  } else if (backend === LogsBackend.LOKI) {
    collectors = r.maybe(0.7, () => r.subset(Object.values(LogCollector), 1).slice(0, 2));
  } // loki-stack bundles Promtail: no collectors
  const namespaces = r.subset(NAMESPACE_POOL);
  const split = r.int(0, namespaces.length);
  return clean({
    backend: backend === LogsBackend.LOKI && r.bool() ? undefined : backend,
    collectors,
    retention: r.maybe(0.4, () => r.pick(['24h', '3d', '7d', '14d', '720h'])),
    storage: storage(r),
    includeNamespaces: r.maybe(0.4, () => namespaces.slice(0, split)),
    excludeNamespaces: r.maybe(0.4, () => namespaces.slice(split)),
  });
}

function genTraces(r: Rng): NonNullable<Options['traces']> {
  if (r.bool(0.25)) return { enabled: false };
  const otlp = r.bool(0.3);
  return clean({
    backend: otlp ? TracesBackend.OTLP_ENDPOINT : r.maybe(0.5, () => TracesBackend.TEMPO),
    otlpEndpoint: otlp ? r.pick(['otel-gateway.example.com:4317', 'collector.observability.svc:4317', 'tempo.acme.io:443']) : undefined,
    retention: otlp ? undefined : r.maybe(0.4, () => r.pick(['72h', '168h', '336h', '720h'])),
    storage: otlp ? undefined : storage(r),
    samplerRatio: r.maybe(0.5, () => r.pick([0, 0.01, 0.1, 0.25, 0.5, 1])),
    instrumentationLanguages: r.maybe(0.5, () => r.subset(Object.values(InstrumentationLanguage), 1)),
  });
}

function genServices(r: Rng, traces: NonNullable<Options['traces']>): Options['services'] {
  const count = r.int(0, 5);
  if (count === 0) return r.bool(0.2) ? [] : undefined;
  const tracesOn = traces.enabled !== false;
  const languages = traces.instrumentationLanguages ?? Object.values(InstrumentationLanguage);
  const used = new Set<string>();
  const services: NonNullable<Options['services']> = [];
  while (services.length < count) {
    const name = r.pick(SERVICE_NAMES);
    const namespace = r.pick(SERVICE_NAMESPACES);
    if (used.has(`${namespace}/${name}`)) continue;
    used.add(`${namespace}/${name}`);
    const kinds = r.subset([SloKind.AVAILABILITY, SloKind.LATENCY]).slice(0, r.int(0, 2));
    services.push(clean({
      name,
      namespace,
      port: r.pick(['http-metrics', 'metrics', 'http', 'prom']),
      metricsPath: r.maybe(0.3, () => r.pick(['/metrics', '/actuator/prometheus', '/stats/prometheus'])),
      // Within the 1m15s limit (4 scrapes in a 5m window) whatever metrics.scrapeInterval is.
      scrapeInterval: r.maybe(0.3, () => r.pick(['15s', '30s', '1m', '1m15s'])),
      selector: r.maybe(0.3, () => ({ 'app': name, 'app.kubernetes.io/part-of': namespace })),
      monitor: r.maybe(0.5, () => r.pick(Object.values(MonitorKind))),
      language: tracesOn ? r.maybe(0.4, () => r.pick(languages)) : undefined,
      requestsMetric: r.maybe(0.3, () => r.pick(['http_server_requests_total', 'requests_total', 'grpc_server_handled_total'])),
      durationMetric: r.maybe(0.3, () => r.pick(['http_server_duration_seconds', 'request_latency_seconds'])),
      statusLabel: r.maybe(0.3, () => r.pick(['status', 'status_code', 'grpc_code'])),
      errorRateThreshold: r.maybe(0.3, () => r.pick([0, 0.01, 0.05, 0.2, 1])),
      latencyThresholdSeconds: r.maybe(0.3, () => r.pick([0.2, 0.5, 1, 3])),
      slos: kinds.length === 0 && r.bool(0.7) ? undefined : kinds.map((kind) => clean({
        kind,
        objective: r.pick([90, 95, 99, 99.5, 99.9, 99.95, 99.99]),
        window: r.maybe(0.4, () => r.pick(['3d', '7d', '28d', '30d', '4w'])),
        latencyThresholdSeconds: kind === SloKind.LATENCY ? r.maybe(0.7, () => r.pick(LE_BOUNDS)) : undefined,
      })),
    }));
  }
  return services;
}

/** Receiver i of a type: the shared fixture with its own name, key and optional fields varied. */
const RECEIVER_OF: Record<ReceiverType, (i: number) => NonNullable<NonNullable<Options['alerting']>['receivers']>[number]> = {
  [ReceiverType.PAGERDUTY]: (i) => ({ ...RECEIVER.oncall, name: `pager-${i}`, secretKey: `routing-key-${i}` }),
  [ReceiverType.SLACK]: (i) => clean({ ...RECEIVER.slack, name: `slack-${i}`, secretKey: `slack-${i}`, channel: i % 2 ? '#alerts' : undefined }),
  [ReceiverType.MSTEAMS]: (i) => ({ ...RECEIVER.teams, name: `teams-${i}`, secretKey: `teams-${i}` }),
  [ReceiverType.WEBHOOK]: (i) => ({ ...RECEIVER.hook, name: `hook-${i}` }),
  [ReceiverType.EMAIL]: (i) => clean({ ...RECEIVER.mail, name: `mail-${i}`, authUsername: i % 2 ? 'alertmanager' : undefined }),
};

function genAlerting(r: Rng, alertmanager: boolean): Options['alerting'] {
  if (r.bool(0.3)) return undefined;
  const receivers = alertmanager
    ? r.maybe(0.7, () => r.subset(Object.values(ReceiverType), 1).map((type, i) => RECEIVER_OF[type](i)))
    : undefined;
  const names = (receivers ?? []).map((x) => x.name);
  const customRules = r.maybe(0.2, () => Array.from({ length: r.int(1, 2) }, (_, i) => clean({
    alert: `CustomAlert${i}`,
    expr: r.pick(VALID_CUSTOM_EXPRS),
    for: r.maybe(0.5, () => r.pick(['2m', '10m', '1h'])), // at least the evaluation interval (scrapeInterval, up to 1m15s)
    severity: r.maybe(0.5, () => r.pick(Object.values(Severity))),
    summary: `Custom alert ${i} fired.`,
    runbookUrl: r.maybe(0.3, () => `https://wiki.example.com/runbooks/custom-${i}`),
  })));
  return clean({
    rulePacks: r.maybe(0.5, () => r.subset(Object.values(RulePack))),
    receivers,
    pagingReceiver: names.length > 0 ? r.maybe(0.3, () => r.pick(names)) : undefined,
    chatReceiver: names.length > 0 ? r.maybe(0.3, () => r.pick(names)) : undefined,
    customRules,
    groupBy: r.maybe(0.2, () => r.pick([['alertname'], ['alertname', 'namespace'], ['...']])),
    groupWait: r.maybe(0.2, () => r.pick(['10s', '1m'])),
    groupInterval: r.maybe(0.2, () => r.pick(['1m', '10m'])),
    repeatInterval: r.maybe(0.2, () => r.pick(['1h', '12h'])),
  });
}

function genClusters(r: Rng): Options['clusters'] {
  const n = r.int(1, 3);
  if (n === 1 && r.bool()) return undefined;
  const names = ['prod-eu-1', 'prod-us-1', 'staging', 'in-cluster', 'dev'];
  const chosen = r.subset(names).slice(0, n);
  while (chosen.length < n) {
    const c = r.pick(names);
    if (!chosen.includes(c)) chosen.push(c);
  }
  return chosen.map((name, i) => clean({
    name,
    server: i === 0 && r.bool() ? undefined : `https://${name}.k8s.example.com:6443`,
  }));
}

/**
 * A fleet over a valid set (about one set in three): environments, a
 * profile, the fleet mode and, distributed, object storage and the URLs edge
 * clusters ship through (src/options/environments.ts). Its own PRNG stream,
 * so the rest of the set is drawn as without it.
 */
function withFleet(r: Rng, o: Options): Options {
  if (!r.bool(0.35)) return o;
  const metricsOn = o.metrics?.enabled !== false;
  const profile = r.pick(metricsOn ? Object.values(Profile) : [Profile.SINGLE_NODE, Profile.HA]);
  const envs = r.subset(['dev', 'staging', 'prod'], 1);
  const n = r.int(envs.length, envs.length + 2);
  const distributed = profile === Profile.DISTRIBUTED;
  const backend = distributed ? r.pick(Object.values(MetricsBackend).filter((b) => b !== MetricsBackend.PROMETHEUS)) : undefined;
  const clusters = Array.from({ length: n }, (_, i) => clean({
    name: `c${i}`,
    environment: envs[i % envs.length],
    // The first cluster of each environment is its central one (distributed).
    central: distributed && i < envs.length ? true : undefined,
    server: i === 0 ? undefined : `https://c${i}.k8s.example.com:6443`,
    region: r.maybe(0.4, () => r.pick(['eu-west-1', 'us-east-1'])),
    prometheusUrl: backend === MetricsBackend.FEDERATION && i >= envs.length ? `https://prometheus.c${i}.example.com` : undefined,
    thanosSidecarAddress: backend === MetricsBackend.THANOS && i >= envs.length && r.bool() ? `thanos-sidecar.c${i}.example.com:10901` : undefined,
  }));
  const fleetMode = r.maybe(0.6, () => r.pick(Object.values(FleetMode)));
  const out: Options = {
    ...o,
    profile: r.bool(0.2) && profile === Profile.SINGLE_NODE ? undefined : profile,
    clusters,
    environments: envs.map((name) => clean({
      name,
      traces: o.traces?.enabled !== false ? r.maybe(0.4, () => ({ samplerRatio: r.pick([0.05, 0.5, 1]) })) : undefined,
      metrics: metricsOn ? r.maybe(0.4, () => ({ retention: r.pick(['3d', '30d']) })) : undefined,
    })),
    argocd: clean({
      fleetMode,
      applicationSetGenerator: fleetMode === FleetMode.APPLICATION_SETS
        ? r.maybe(0.5, () => r.pick(Object.values(ApplicationSetGenerator))) : undefined,
    }),
    sizing: r.maybe(0.3, () => clean({
      activeSeries: r.pick([50_000, 1_000_000]), logGbPerDay: r.maybe(0.5, () => 80), spansPerSecond: r.maybe(0.5, () => 5000),
    })),
  };
  if (!distributed) return out;
  // Distributed: kube-prometheus-stack, Loki for the edges, object storage and the edges' URLs.
  const logsOn = o.logs?.enabled !== false;
  const tracesToTempo = o.traces?.enabled !== false && o.traces?.backend !== TracesBackend.OTLP_ENDPOINT;
  const monolithicTempo = r.bool(0.4);
  return {
    ...out,
    objectStorage: r.pick([
      { provider: ObjectStorageProvider.S3, region: 'eu-west-1', secretName: 'obs-s3' },
      { provider: ObjectStorageProvider.S3, endpoint: 'minio.storage.svc:9000', insecure: true },
      { provider: ObjectStorageProvider.GCS, secretName: 'obs-gcs' },
      { provider: ObjectStorageProvider.AZURE, azureAccountName: 'obsstore', secretName: 'obs-azure' },
    ]),
    metrics: clean({
      ...o.metrics,
      flavor: MetricsFlavor.KUBE_PROMETHEUS_STACK,
      backend,
      remoteWriteUrl: backend === MetricsBackend.MIMIR ? 'https://mimir.example.com/api/v1/push' : undefined,
      // Mimir takes one Prometheus per cluster (a pair is an error, see fleet.test.ts).
      prometheusReplicas: backend === MetricsBackend.MIMIR ? undefined : o.metrics?.prometheusReplicas,
    }),
    logs: logsOn ? clean({ ...o.logs, backend: LogsBackend.LOKI, collectors: [LogCollector.ALLOY], pushUrl: 'https://loki.example.com/loki/api/v1/push' }) : o.logs,
    traces: clean({
      ...o.traces,
      ...(tracesToTempo ? {
        mode: monolithicTempo ? TempoMode.MONOLITHIC : undefined,
        kafkaAddress: monolithicTempo ? undefined : 'kafka.streaming.svc:9092',
        otlpEndpoint: 'tempo.example.com:4317',
      } : {}),
    }),
  };
}

/** One random valid option set. */
function generate(r: Rng): Options {
  const set = generateOne(r);
  return withFleet(new Rng(r.int(0, 2 ** 31)), set);
}

function generateOne(r: Rng): Options {
  const metricsOn = r.bool(0.85);
  const traces = genTraces(r);
  if (!metricsOn) {
    // Without metrics: no Grafana, no services, no alerting (resolve.ts).
    return clean({ metrics: { enabled: false }, logs: genLogs(r), traces, clusters: genClusters(r) });
  }
  const metrics = genMetrics(r);
  const clusters = genClusters(r);
  const singleInCluster = clusters === undefined || (clusters.length === 1 && clusters[0].server === undefined);
  return clean({
    metrics,
    grafana: genGrafana(r),
    logs: genLogs(r),
    traces,
    services: genServices(r, traces),
    alerting: genAlerting(r, metrics.alertmanager !== false),
    // Self-management only with the single cluster Argo CD runs in (parts/argo-cd.ts).
    argocd: singleInCluster ? r.maybe(0.5, () => ({ selfManaged: r.bool(0.7) })) : undefined,
    clusters,
  });
}

// ---------------------------------------------------------------------------
// Invalid variants: one rule of resolve.ts broken on purpose
// ---------------------------------------------------------------------------

interface Variant { readonly option: RegExp; readonly apply: (o: Options) => Options }

/** The first variant that applies to a set breaks exactly one rule. */
function invalidVariants(o: Options): Variant[] {
  const out: Variant[] = [];
  const metricsOn = o.metrics?.enabled !== false;
  if (o.clusters && o.clusters.length > 1) {
    out.push({ option: /"argocd\.selfManaged"/, apply: (x) => ({ ...x, argocd: { selfManaged: true } }) });
  }
  if (metricsOn && (o.services?.length ?? 0) > 0) {
    out.push({
      option: /"services\[\d+\]\.name".*duplicate/,
      apply: (x) => ({ ...x, services: [...x.services!, x.services![0]] }),
    });
    out.push({
      option: /"services\[0\]\.slos\[0\]\.objective"/,
      apply: (x) => ({ ...x, services: [{ ...x.services![0], slos: [{ kind: SloKind.AVAILABILITY, objective: 100 }] }, ...x.services!.slice(1)] }),
    });
  }
  if (!metricsOn) {
    out.push({ option: /"alerting"/, apply: (x) => ({ ...x, alerting: { rulePacks: [RulePack.NODES] } }) });
  }
  if (metricsOn && o.grafana?.exposure !== GrafanaExposure.NODE_PORT) {
    out.push({ option: /"grafana\.nodePort"/, apply: (x) => ({ ...x, grafana: { ...x.grafana, nodePort: 30080 } }) });
  }
  if (o.traces?.enabled !== false) {
    out.push({ option: /"traces\.otlpEndpoint"/, apply: (x) => ({ ...x, traces: { ...x.traces, backend: TracesBackend.OTLP_ENDPOINT, otlpEndpoint: undefined } }) });
  }
  if (o.logs?.enabled !== false) {
    out.push({ option: /"logs\.collectors\[1\]"/, apply: (x) => ({ ...x, logs: { ...x.logs, backend: LogsBackend.ELASTICSEARCH, collectors: [LogCollector.FLUENTD, LogCollector.ALLOY], retention: undefined } }) });
    out.push({ option: /"logs\.retention"/, apply: (x) => ({ ...x, logs: { ...x.logs, backend: LogsBackend.LOKI, collectors: undefined, retention: '12h' } }) });
  }
  if (metricsOn && o.metrics?.alertmanager === false) {
    out.push({ option: /"alerting\.receivers"/, apply: (x) => ({ ...x, alerting: { receivers: [RECEIVER_OF[ReceiverType.WEBHOOK](0)] } }) });
  }
  return out;
}

// ---------------------------------------------------------------------------
// Synthesis and checks
// ---------------------------------------------------------------------------

function newProject(outdir: string, options: Options): ObservabilityGitOpsProject {
  return new ObservabilityGitOpsProject({
    ...BASE, outdir, gitRepoUrl: 'https://github.com/acme/obs.git', ...options,
  } as ObservabilityGitOpsProjectOptions);
}

function synthTo(outdir: string, options: Options): void {
  const project = newProject(outdir, options);
  project.synth();
}

/** The in-process checks of `obs-gitops validate` (validateRepo without the external tools). */
function inProcessChecks(root: string): CheckResult[] {
  const repo = readRepo(root);
  return [checkParse(repo), checkSchemas(repo), checkHelmValues(repo), checkSyncWaves(repo), checkExpressions(repo), checkSecrets(repo)];
}

/** A problem line with the names and numbers that vary between sets blurred, to group failures by kind. */
function blur(problem: string): string {
  return problem.split('\n').filter((l) => !/^\s*(Checking|amtool: error)/.test(l)).join(' ').replace(/\s+/g, ' ')
    .replace(/\/tmp\/[^\s:]+/g, '<tmp file>')
    .replace(/manifests\/[^\s:]+/g, 'manifests/<path>')
    .replace(/argocd\/apps\/[^/]+\/[^:\s]+/g, 'argocd/apps/<cluster>/<part>')
    .replace(/values\/clusters\/[^/]+\/[^\s:]+/g, 'values/clusters/<cluster>/<part>')
    .replace(/Application [\w-]+/g, 'Application <name>')
    .replace(/\d+(\.\d+)?/g, 'N')
    .slice(0, 300);
}

function describeSet(i: number, options: Options): string {
  return `seed 0x${SEED.toString(16)}, set #${i} (replay: PROPERTY_SEED=${SEED} PROPERTY_ONLY=${i})\noptions: ${JSON.stringify(options, null, 2)}`;
}

/** The option sets, each from its own PRNG stream so one set replays alone. */
function optionSets(): Array<[number, Options]> {
  const indexes = ONLY === undefined ? Array.from({ length: COUNT }, (_, i) => i) : [ONLY];
  return indexes.map((i) => [i, generate(new Rng(setSeed(SEED, i)))]);
}

describe(`property: ${COUNT} random valid option sets (seed 0x${SEED.toString(16)})`, () => {
  let previousPost: string | undefined;
  let warn: jest.SpyInstance;
  beforeAll(() => {
    previousPost = process.env.PROJEN_DISABLE_POST;
    process.env.PROJEN_DISABLE_POST = 'true';
    // Configuration warnings (two collectors, Fluentd to Loki...) are expected here; keep the output readable.
    warn = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterAll(() => {
    if (previousPost === undefined) delete process.env.PROJEN_DISABLE_POST; else process.env.PROJEN_DISABLE_POST = previousPost;
    warn.mockRestore();
  });

  const sets = optionSets();

  test('the generator covers every branch it is meant to', () => {
    const all = sets.map(([, o]) => o);
    const count = (f: (o: Options) => boolean) => all.filter(f).length;
    if (ONLY !== undefined) return;
    // Not a property of the library: a guard that the generator keeps drawing broadly.
    expect(count((o) => o.metrics?.enabled === false)).toBeGreaterThan(10);
    expect(count((o) => o.metrics?.flavor === MetricsFlavor.STANDALONE)).toBeGreaterThan(30);
    expect(count((o) => o.logs?.backend === LogsBackend.ELASTICSEARCH)).toBeGreaterThan(20);
    expect(count((o) => o.logs?.backend === LogsBackend.LOKI_STACK)).toBeGreaterThan(20);
    expect(count((o) => o.traces?.backend === TracesBackend.OTLP_ENDPOINT)).toBeGreaterThan(20);
    expect(count((o) => o.grafana?.exposure === GrafanaExposure.INGRESS)).toBeGreaterThan(20);
    expect(count((o) => o.grafana?.exposure === GrafanaExposure.NODE_PORT)).toBeGreaterThan(20);
    expect(count((o) => (o.services ?? []).some((s) => (s.slos ?? []).length === 2))).toBeGreaterThan(20);
    expect(count((o) => (o.clusters ?? []).length === 3)).toBeGreaterThan(20);
    expect(count((o) => o.argocd?.selfManaged === true)).toBeGreaterThan(10);
    expect(count((o) => (o.environments ?? []).length === 3)).toBeGreaterThan(10);
    expect(count((o) => o.profile === Profile.DISTRIBUTED)).toBeGreaterThan(15);
    expect(count((o) => o.profile === Profile.HA)).toBeGreaterThan(15);
    expect(count((o) => o.argocd?.fleetMode === FleetMode.APPLICATION_SETS)).toBeGreaterThan(15);
    for (const type of Object.values(ReceiverType)) {
      expect(count((o) => (o.alerting?.receivers ?? []).some((x) => x.type === type))).toBeGreaterThan(20);
    }
  });

  test('every set synthesizes and passes the in-process checks; a sample passes every check, the tools and the render stage included', async () => {
    // Failures are grouped by kind (the problem with names and numbers blurred),
    // so one run shows every distinct problem, each with its first option set.
    const kinds = new Map<string, { count: number; example: string }>();
    let toolRuns = 0;
    let renders = 0;
    for (const [i, options] of sets) {
      const outdir = mkdtempSync(join(tmpdir(), 'obs-gitops-property-'));
      const fail = (kind: string, detail: string) => {
        const k = kinds.get(kind) ?? { count: 0, example: `${describeSet(i, options)}\n${detail}` };
        k.count++;
        kinds.set(kind, k);
      };
      try {
        synthTo(outdir, options);
        const withTools = i % TOOL_EVERY === 0 || ONLY !== undefined;
        const results = withTools ? validateRepo(outdir) : inProcessChecks(outdir);
        if (withTools) toolRuns++;
        if (i % RENDER_EVERY === 0 || ONLY !== undefined) {
          renders++;
          // Only mimir-distributed (no chart package here) may stay unrendered.
          results.push(...(await renderStage(readRepo(outdir), renderOptions())).filter((r) => r.status === 'pass' || renderProblems([r]).length > 0));
        }
        const bad = results.filter((r) => r.status !== 'pass');
        const kindsHere = new Set(bad.flatMap((r) => (r.problems.length > 0 ? r.problems : [r.summary]).map((p) => `${r.name}: ${blur(p)}`)));
        for (const kind of kindsHere) fail(kind, formatResults(results));
      } catch (e) {
        fail(`threw: ${blur((e as Error).message.split('\n')[0])}`, `threw: ${(e as Error).stack ?? e}`);
      } finally {
        rmSync(outdir, { recursive: true, force: true });
      }
    }
    if (kinds.size > 0) {
      const report = [...kinds.entries()].map(([kind, k], n) => `--- problem ${n + 1} of ${kinds.size}, in ${k.count} of ${sets.length} sets: ${kind}\n${k.example}`);
      throw new Error(`${kinds.size} kinds of failure (seed 0x${SEED.toString(16)}):\n\n${report.join('\n\n')}`);
    }
    expect(toolRuns).toBe(ONLY === undefined ? Math.ceil(COUNT / TOOL_EVERY) : 1);
    expect(renders).toBe(ONLY === undefined ? Math.ceil(COUNT / RENDER_EVERY) : 1);
  }, 1_800_000);

  test('an invalid variant of a few sets throws InvalidOptionError naming the option, before anything is written', () => {
    let checked = 0;
    const rules = new Set<string>();
    for (const [i, options] of sets) {
      if (i % INVALID_EVERY !== 7 && ONLY === undefined) continue;
      const variants = invalidVariants(options);
      expect(variants.length).toBeGreaterThan(0);
      const variant = variants[i % variants.length];
      const invalid = variant.apply(options);
      const outdir = mkdtempSync(join(tmpdir(), 'obs-gitops-property-invalid-'));
      try {
        let error: unknown;
        try {
          synthTo(outdir, invalid);
        } catch (e) {
          error = e;
        }
        const context = `${describeSet(i, invalid)}\nexpected InvalidOptionError matching ${variant.option}`;
        if (!(error instanceof InvalidOptionError)) throw new Error(`${context}\ngot: ${error === undefined ? 'no error' : (error as Error).stack}`);
        if (!variant.option.test(error.message)) throw new Error(`${context}\ngot: ${error.message}`);
        expect(readdirSync(outdir)).toEqual([]);
        checked++;
        rules.add(variant.option.source);
      } finally {
        rmSync(outdir, { recursive: true, force: true });
      }
    }
    expect(checked).toBeGreaterThanOrEqual(ONLY === undefined ? Math.floor(COUNT / INVALID_EVERY) : 1);
    if (ONLY === undefined) expect(rules.size).toBeGreaterThanOrEqual(5); // several different rules broken, not one
  });

  test('standalone flavor: each group\'s Prometheus scrapes exactly the stack components the group runs, in their namespaces', () => {
    let checked = 0;
    for (const [i, options] of sets) {
      if (options.metrics?.flavor !== MetricsFlavor.STANDALONE || options.metrics?.enabled === false) continue;
      const fleet = fleetOf({ ...options, gitRepoUrl: 'https://github.com/acme/obs.git' });
      for (const group of fleet.groups) {
        const part = (name: string) => group.model.parts.find((p) => p.name === name);
        const prometheus = part('prometheus')!;
        // What the model deploys to the group's clusters: component of the job -> namespace of the part.
        const runs: Record<string, string | undefined> = {
          'alertmanager': (prometheus.values.alertmanager as any).enabled ? prometheus.namespace : undefined,
          'loki': part('loki')?.namespace,
          'loki-stack': part('loki-stack')?.namespace,
          'tempo': part('tempo')?.namespace,
          'gateway-collector': part('opentelemetry-resources')?.namespace,
          'argocd-application-controller': part('argo-cd')?.namespace,
          // The log agents, by pod.
          'alloy': part('alloy')?.namespace,
          'fluent-bit': part('fluent-bit')?.namespace,
          'fluentd': part('fluentd')?.namespace,
          'promtail': part('promtail')?.namespace,
          // Argo CD from the upstream manifests (not self-managed): scraped in every group.
          'argocd-metrics': part('argo-cd') ? undefined : group.model.argocd.namespace,
        };
        const want = Object.entries(runs).filter(([, ns]) => ns !== undefined).map(([c, ns]) => `stack/${ns}/${c}`).sort();
        const text = prometheus.values.extraScrapeConfigs as string | undefined;
        const got = (text ? YAML.parse(text) as Array<{ job_name: string }> : []).map((j) => j.job_name).filter((n) => n.startsWith('stack/')).sort();
        if (JSON.stringify(got) !== JSON.stringify(want)) {
          throw new Error(`${describeSet(i, options)}\ngroup ${group.environment ?? '-'}/${group.role}: jobs ${JSON.stringify(got)}, components ${JSON.stringify(want)}`);
        }
      }
      checked++;
    }
    if (ONLY === undefined) expect(checked).toBeGreaterThan(30);
  });
});
