import {
  ClusterOptions, GrafanaExposure, InstrumentationLanguage, LogCollector, LogsBackend, MetricsFlavor,
  ObservabilityGitOpsProjectOptions, TracesBackend,
} from './options';
import { InvalidOptionError } from '../validation/errors';
import {
  checkArray, checkBoolean, checkDnsLabel, checkDnsLabelList, checkDnsSubdomain, checkEnum, checkGitRepoUrl,
  checkGitRevision, checkGoDuration, checkHostPort, checkHttpUrl, checkInteger, checkNumberInRange, checkPromDuration,
  checkPromSize, checkQuantity, checkString, checkStruct, checkUnique,
} from '../validation/option-checks';

/** The in-cluster API server, as Argo CD names the cluster it runs in. */
export const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';

/** A volume: size and optional class. */
export interface ResolvedStorage {
  readonly size: string;
  readonly storageClassName?: string;
}

/** Kubernetes `resources` (requests/limits), only the fields that were set. */
export interface ResolvedResources {
  readonly requests?: { readonly cpu?: string; readonly memory?: string };
  readonly limits?: { readonly cpu?: string; readonly memory?: string };
}

/**
 * Every option validated and with its default filled in. Internal: the stack
 * model is built from this, never from the raw options.
 */
export interface ResolvedOptions {
  readonly repo: { readonly url: string; readonly revision: string; readonly isPlaceholder: boolean };
  readonly argocd: { readonly namespace: string; readonly project: string; readonly selfManaged: boolean };
  readonly clusters: ReadonlyArray<{ readonly name: string; readonly server: string }>;
  readonly metrics: {
    readonly enabled: boolean;
    readonly flavor: MetricsFlavor;
    readonly namespace: string;
    readonly retention: string;
    readonly retentionSize?: string;
    readonly storage: ResolvedStorage;
    readonly resources?: ResolvedResources;
    readonly scrapeInterval: string;
    readonly prometheusReplicas: number;
    readonly alertmanager: boolean;
    readonly alertmanagerReplicas: number;
    readonly nodeExporter: boolean;
    readonly kubeStateMetrics: boolean;
    readonly metricsServer: boolean;
  };
  readonly grafana: {
    readonly enabled: boolean;
    readonly adminSecretName: string;
    readonly adminUserKey: string;
    readonly adminPasswordKey: string;
    readonly exposure: GrafanaExposure;
    readonly nodePort: number;
    readonly ingress?: { readonly host: string; readonly className?: string; readonly tlsSecretName?: string };
    readonly persistence?: ResolvedStorage;
  };
  readonly logs: {
    readonly enabled: boolean;
    readonly backend: LogsBackend;
    /** The collectors; empty with loki-stack, which bundles Promtail. */
    readonly collectors: readonly LogCollector[];
    readonly namespace: string;
    readonly retention: string;
    readonly storage: ResolvedStorage;
    readonly includeNamespaces: readonly string[];
    readonly excludeNamespaces: readonly string[];
  };
  readonly traces: {
    readonly enabled: boolean;
    readonly backend: TracesBackend;
    readonly otlpEndpoint?: string;
    readonly namespace: string;
    readonly operatorNamespace: string;
    readonly retention: string;
    readonly storage: ResolvedStorage;
    readonly samplerRatio: number;
    readonly instrumentationLanguages: readonly InstrumentationLanguage[];
  };
  readonly chartVersions: Readonly<Record<string, string>>;
  readonly valuesOverrides: Readonly<Record<string, Record<string, unknown>>>;
  readonly generatedReadme: boolean;
}

const FIELDS = {
  cluster: ['name', 'server'],
  storage: ['size', 'storageClassName'],
  resources: ['cpuRequest', 'memoryRequest', 'cpuLimit', 'memoryLimit'],
  argocd: ['selfManaged'],
  metrics: ['enabled', 'flavor', 'namespace', 'retention', 'retentionSize', 'storage', 'resources', 'scrapeInterval',
    'prometheusReplicas', 'alertmanager', 'alertmanagerReplicas', 'nodeExporter', 'kubeStateMetrics', 'metricsServer'],
  grafana: ['enabled', 'adminSecretName', 'adminUserKey', 'adminPasswordKey', 'exposure', 'nodePort', 'ingressHost',
    'ingressClassName', 'ingressTlsSecretName', 'persistence'],
  logs: ['enabled', 'backend', 'collectors', 'namespace', 'retention', 'storage', 'includeNamespaces', 'excludeNamespaces'],
  traces: ['enabled', 'backend', 'otlpEndpoint', 'namespace', 'operatorNamespace', 'retention', 'storage', 'samplerRatio',
    'instrumentationLanguages'],
};

/**
 * Validate every option of the project type and fill in defaults. Throws
 * `InvalidOptionError` on the first invalid option; nothing has been written
 * at that point.
 */
export function resolveOptions(options: ObservabilityGitOpsProjectOptions): ResolvedOptions {
  const projectName = checkString('name', options.name);
  const placeholderUrl = `https://github.com/my-org/${slug(projectName)}.git`;
  const repoUrl = options.gitRepoUrl === undefined ? placeholderUrl : checkGitRepoUrl('gitRepoUrl', options.gitRepoUrl);
  const argocd = options.argocd === undefined ? {} : checkStruct('argocd', options.argocd, FIELDS.argocd);

  const metrics = resolveMetrics(options.metrics);
  const grafana = resolveGrafana(options.grafana, metrics.enabled);
  const logs = resolveLogs(options.logs);
  const traces = resolveTraces(options.traces);

  return {
    repo: {
      url: repoUrl,
      revision: options.gitRevision === undefined ? 'main' : checkGitRevision('gitRevision', options.gitRevision),
      isPlaceholder: repoUrl === placeholderUrl,
    },
    argocd: {
      namespace: opt(options.argocdNamespace, 'argocd', (v) => checkDnsLabel('argocdNamespace', v)),
      project: opt(options.appProjectName, 'observability', (v) => checkDnsSubdomain('appProjectName', v)),
      selfManaged: opt(argocd.selfManaged, false, (v) => checkBoolean('argocd.selfManaged', v)),
    },
    clusters: resolveClusters(options.clusters),
    metrics,
    grafana,
    logs,
    traces,
    chartVersions: resolveStringMap('chartVersions', options.chartVersions),
    valuesOverrides: resolveValuesOverrides(options.valuesOverrides),
    generatedReadme: opt(options.generatedReadme, true, (v) => checkBoolean('generatedReadme', v)),
  };
}

function resolveClusters(value: ClusterOptions[] | undefined): ResolvedOptions['clusters'] {
  if (value === undefined) {
    return [{ name: 'in-cluster', server: IN_CLUSTER_SERVER }];
  }
  const list = checkArray('clusters', value);
  if (list.length === 0) {
    throw new InvalidOptionError('clusters', value, 'is empty: list at least one cluster, or leave the option out for the cluster Argo CD runs in');
  }
  const clusters = list.map((raw, i) => {
    const c = checkStruct(`clusters[${i}]`, raw, FIELDS.cluster);
    if (c.name === undefined) {
      throw new InvalidOptionError(`clusters[${i}].name`, undefined, 'is required: every cluster needs a DNS-1123 name such as "prod-eu-1"');
    }
    return {
      name: checkDnsLabel(`clusters[${i}].name`, c.name),
      server: opt(c.server, IN_CLUSTER_SERVER, (v) => checkHttpUrl(`clusters[${i}].server`, v)),
    };
  });
  checkUnique('clusters', clusters.map((c) => c.name));
  return clusters;
}

function resolveMetrics(value: unknown): ResolvedOptions['metrics'] {
  const m = value === undefined ? {} : checkStruct('metrics', value, FIELDS.metrics);
  const alertmanager = opt(m.alertmanager, true, (v) => checkBoolean('metrics.alertmanager', v));
  const alertmanagerReplicas = opt(m.alertmanagerReplicas, 1, (v) => checkInteger('metrics.alertmanagerReplicas', v, 1, 9));
  if (!alertmanager && m.alertmanagerReplicas !== undefined) {
    throw new InvalidOptionError('metrics.alertmanagerReplicas', m.alertmanagerReplicas, 'is set, but metrics.alertmanager is false');
  }
  return {
    enabled: opt(m.enabled, true, (v) => checkBoolean('metrics.enabled', v)),
    flavor: opt(m.flavor, MetricsFlavor.KUBE_PROMETHEUS_STACK, (v) => checkEnum('metrics.flavor', v, MetricsFlavor)),
    namespace: opt(m.namespace, 'monitoring', (v) => checkDnsLabel('metrics.namespace', v)),
    retention: opt(m.retention, '15d', (v) => checkPromDuration('metrics.retention', v)),
    retentionSize: opt(m.retentionSize, undefined, (v) => checkPromSize('metrics.retentionSize', v)),
    storage: resolveStorage('metrics.storage', m.storage, '50Gi'),
    resources: m.resources === undefined ? undefined : resolveResources('metrics.resources', m.resources),
    scrapeInterval: opt(m.scrapeInterval, '30s', (v) => checkPromDuration('metrics.scrapeInterval', v)),
    prometheusReplicas: opt(m.prometheusReplicas, 1, (v) => checkInteger('metrics.prometheusReplicas', v, 1, 9)),
    alertmanager,
    alertmanagerReplicas,
    nodeExporter: opt(m.nodeExporter, true, (v) => checkBoolean('metrics.nodeExporter', v)),
    kubeStateMetrics: opt(m.kubeStateMetrics, true, (v) => checkBoolean('metrics.kubeStateMetrics', v)),
    metricsServer: opt(m.metricsServer, false, (v) => checkBoolean('metrics.metricsServer', v)),
  };
}

function resolveGrafana(value: unknown, metricsEnabled: boolean): ResolvedOptions['grafana'] {
  const g = value === undefined ? {} : checkStruct('grafana', value, FIELDS.grafana);
  const enabled = opt(g.enabled, metricsEnabled, (v) => checkBoolean('grafana.enabled', v));
  if (enabled && !metricsEnabled) {
    throw new InvalidOptionError('grafana.enabled', true, 'needs metrics: Grafana is deployed with the metrics stack (set metrics.enabled to true)');
  }
  const exposure = opt(g.exposure, GrafanaExposure.CLUSTER_IP, (v) => checkEnum('grafana.exposure', v, GrafanaExposure));
  if (g.nodePort !== undefined && exposure !== GrafanaExposure.NODE_PORT) {
    throw new InvalidOptionError('grafana.nodePort', g.nodePort, `is set, but grafana.exposure is "${exposure}" (use GrafanaExposure.NODE_PORT)`);
  }
  const nodePort = opt(g.nodePort, 30300, (v) => checkInteger('grafana.nodePort', v, 30000, 32767));
  const ingressFields = ['ingressHost', 'ingressClassName', 'ingressTlsSecretName'].filter((f) => g[f] !== undefined);
  let ingress: ResolvedOptions['grafana']['ingress'];
  if (exposure === GrafanaExposure.INGRESS) {
    if (g.ingressHost === undefined) {
      throw new InvalidOptionError('grafana.ingressHost', undefined,
        'is required with grafana.exposure GrafanaExposure.INGRESS: the host name the Ingress serves (for example "grafana.example.com")');
    }
    ingress = {
      host: checkDnsSubdomain('grafana.ingressHost', g.ingressHost),
      className: opt(g.ingressClassName, undefined, (v) => checkDnsSubdomain('grafana.ingressClassName', v)),
      tlsSecretName: opt(g.ingressTlsSecretName, undefined, (v) => checkDnsSubdomain('grafana.ingressTlsSecretName', v)),
    };
  } else if (ingressFields.length > 0) {
    throw new InvalidOptionError(`grafana.${ingressFields[0]}`, g[ingressFields[0]],
      `is set, but grafana.exposure is "${exposure}" (use GrafanaExposure.INGRESS)`);
  }
  return {
    enabled,
    adminSecretName: opt(g.adminSecretName, 'grafana-admin-credentials', (v) => checkDnsSubdomain('grafana.adminSecretName', v)),
    adminUserKey: opt(g.adminUserKey, 'admin-user', (v) => checkSecretKey('grafana.adminUserKey', v)),
    adminPasswordKey: opt(g.adminPasswordKey, 'admin-password', (v) => checkSecretKey('grafana.adminPasswordKey', v)),
    exposure,
    nodePort,
    ingress,
    persistence: g.persistence === undefined ? undefined : resolveStorage('grafana.persistence', g.persistence, '10Gi'),
  };
}

function resolveLogs(value: unknown): ResolvedOptions['logs'] {
  const l = value === undefined ? {} : checkStruct('logs', value, FIELDS.logs);
  const backend = opt(l.backend, LogsBackend.LOKI, (v) => checkEnum('logs.backend', v, LogsBackend));
  const defaultCollectors = backend === LogsBackend.ELASTICSEARCH ? [LogCollector.FLUENTD]
    : backend === LogsBackend.LOKI_STACK ? [] : [LogCollector.ALLOY];
  const collectors = l.collectors === undefined ? defaultCollectors
    : checkArray('logs.collectors', l.collectors).map((v, i) => checkEnum(`logs.collectors[${i}]`, v, LogCollector));
  collectors.forEach((c, i) => {
    if (collectors.indexOf(c) !== i) throw new InvalidOptionError(`logs.collectors[${i}]`, c, 'is listed twice');
  });
  if (backend === LogsBackend.LOKI_STACK && collectors.length > 0) {
    throw new InvalidOptionError('logs.collectors', l.collectors,
      'is set, but the loki-stack backend bundles its own Promtail: leave logs.collectors out, or use LogsBackend.LOKI');
  }
  if (backend !== LogsBackend.LOKI_STACK && collectors.length === 0) {
    throw new InvalidOptionError('logs.collectors', l.collectors,
      `is empty: nothing would ship logs to ${backend}; list at least one of ${Object.values(LogCollector).join(', ')}`);
  }
  if (backend === LogsBackend.ELASTICSEARCH) {
    const i = collectors.findIndex((c) => c !== LogCollector.FLUENTD && c !== LogCollector.FLUENT_BIT);
    if (i >= 0) {
      throw new InvalidOptionError(`logs.collectors[${i}]`, collectors[i],
        'cannot ship to Elasticsearch: use LogCollector.FLUENTD or LogCollector.FLUENT_BIT with LogsBackend.ELASTICSEARCH');
    }
  }
  const includeNamespaces = opt(l.includeNamespaces, [] as string[], (v) => checkDnsLabelList('logs.includeNamespaces', v));
  const excludeNamespaces = opt(l.excludeNamespaces, [] as string[], (v) => checkDnsLabelList('logs.excludeNamespaces', v));
  const both = includeNamespaces.find((n) => excludeNamespaces.includes(n));
  if (both) {
    throw new InvalidOptionError('logs.excludeNamespaces', both, 'is also in logs.includeNamespaces: a namespace is either collected or not');
  }
  return {
    enabled: opt(l.enabled, true, (v) => checkBoolean('logs.enabled', v)),
    backend,
    collectors,
    namespace: opt(l.namespace, 'logging', (v) => checkDnsLabel('logs.namespace', v)),
    retention: opt(l.retention, '7d', (v) => checkLokiRetention('logs.retention', v, backend)),
    storage: resolveStorage('logs.storage', l.storage, backend === LogsBackend.ELASTICSEARCH ? '30Gi' : '10Gi'),
    includeNamespaces,
    excludeNamespaces,
  };
}

function resolveTraces(value: unknown): ResolvedOptions['traces'] {
  const t = value === undefined ? {} : checkStruct('traces', value, FIELDS.traces);
  const enabled = opt(t.enabled, true, (v) => checkBoolean('traces.enabled', v));
  const backend = opt(t.backend, TracesBackend.TEMPO, (v) => checkEnum('traces.backend', v, TracesBackend));
  const otlpEndpoint = opt(t.otlpEndpoint, undefined, (v) => checkHostPort('traces.otlpEndpoint', v));
  if (enabled && backend === TracesBackend.OTLP_ENDPOINT && otlpEndpoint === undefined) {
    throw new InvalidOptionError('traces.otlpEndpoint', undefined,
      'is required with traces.backend TracesBackend.OTLP_ENDPOINT: traces are on but have nowhere to go (set it, or use TracesBackend.TEMPO)');
  }
  if (backend === TracesBackend.TEMPO && otlpEndpoint !== undefined) {
    throw new InvalidOptionError('traces.otlpEndpoint', otlpEndpoint, 'is set, but traces.backend is TracesBackend.TEMPO (use TracesBackend.OTLP_ENDPOINT)');
  }
  const languages = t.instrumentationLanguages === undefined
    ? Object.values(InstrumentationLanguage)
    : checkArray('traces.instrumentationLanguages', t.instrumentationLanguages)
      .map((v, i) => checkEnum(`traces.instrumentationLanguages[${i}]`, v, InstrumentationLanguage));
  return {
    enabled,
    backend,
    otlpEndpoint,
    namespace: opt(t.namespace, 'tracing', (v) => checkDnsLabel('traces.namespace', v)),
    operatorNamespace: opt(t.operatorNamespace, 'opentelemetry-operator-system', (v) => checkDnsLabel('traces.operatorNamespace', v)),
    retention: opt(t.retention, '336h', (v) => checkGoDuration('traces.retention', v)),
    storage: resolveStorage('traces.storage', t.storage, '10Gi'),
    samplerRatio: opt(t.samplerRatio, 1, (v) => checkNumberInRange('traces.samplerRatio', v, 0, 1)),
    instrumentationLanguages: [...new Set(languages)],
  };
}

function resolveStorage(option: string, value: unknown, defaultSize: string): ResolvedStorage {
  const s = value === undefined ? {} : checkStruct(option, value, FIELDS.storage);
  const storageClassName = opt(s.storageClassName, undefined, (v) => checkDnsSubdomain(`${option}.storageClassName`, v));
  return {
    size: opt(s.size, defaultSize, (v) => checkQuantity(`${option}.size`, v)),
    ...(storageClassName ? { storageClassName } : {}),
  };
}

function resolveResources(option: string, value: unknown): ResolvedResources {
  const r = checkStruct(option, value, FIELDS.resources);
  const q = (field: string) => opt(r[field], undefined, (v) => checkQuantity(`${option}.${field}`, v));
  const requests = compact({ cpu: q('cpuRequest'), memory: q('memoryRequest') });
  const limits = compact({ cpu: q('cpuLimit'), memory: q('memoryLimit') });
  return compact({ requests, limits }) as ResolvedResources;
}

function resolveStringMap(option: string, value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidOptionError(option, value, 'is not a map of strings (set it in .projenrc.ts)');
  }
  const result: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) result[key] = checkString(`${option}.${key}`, v);
  return result;
}

function resolveValuesOverrides(value: unknown): ResolvedOptions['valuesOverrides'] {
  if (value === undefined) return {};
  if (typeof value === 'string') {
    throw new InvalidOptionError('valuesOverrides', value,
      'arrived as a raw string, but it is a map of Helm values per part: set it in .projenrc.ts');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidOptionError('valuesOverrides', value, 'is not a map from part name to Helm values');
  }
  const result: Record<string, Record<string, unknown>> = {};
  for (const [part, values] of Object.entries(value)) {
    if (values === null || typeof values !== 'object' || Array.isArray(values)) {
      throw new InvalidOptionError(`valuesOverrides.${part}`, values, 'is not a map of Helm values');
    }
    result[part] = values as Record<string, unknown>;
  }
  return result;
}

/**
 * Loki deletes by whole index periods (24h with schema v13), so its
 * compactor needs a retention of at least 24h.
 */
function checkLokiRetention(option: string, value: unknown, backend: LogsBackend): string {
  const s = checkPromDuration(option, value);
  if (backend !== LogsBackend.ELASTICSEARCH && promDurationSeconds(s) < 24 * 3600) {
    throw new InvalidOptionError(option, value, 'is shorter than 24h: Loki deletes whole 24h index periods (use "24h" or more, for example "7d")');
  }
  return s;
}

/** Seconds in a Prometheus duration (already validated). */
function promDurationSeconds(duration: string): number {
  const unit: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };
  let total = 0;
  for (const m of duration.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)) total += Number(m[1]) * unit[m[2]];
  return total;
}

/** A key of a Secret's data: alphanumerics, "-", "_" and ".". */
function checkSecretKey(option: string, value: unknown): string {
  const s = checkString(option, value);
  if (!/^[-._a-zA-Z0-9]+$/.test(s) || s.length > 253) {
    throw new InvalidOptionError(option, value, 'is not a valid Secret key: use letters, digits, "-", "_" and "." (for example "admin-password")');
  }
  return s;
}

function opt<T>(value: unknown, fallback: T, check: (v: unknown) => T): T {
  return value === undefined ? fallback : check(value);
}

/** Drop undefined fields and empty objects; undefined when nothing is left. */
function compact(obj: Record<string, unknown>): Record<string, unknown> | undefined {
  const entries = Object.entries(obj).filter(([, v]) => v !== undefined);
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'observability-gitops';
}
