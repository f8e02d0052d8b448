import {
  ClusterOptions, GrafanaExposure, InstrumentationLanguage, LogCollector, LogsBackend, MetricsFlavor, MonitorKind,
  ObservabilityGitOpsProjectOptions, ReceiverType, RulePack, Severity, SloKind, TracesBackend,
} from './options';
import { InvalidOptionError, didYouMeanHint } from '../validation/errors';
import {
  checkArray, checkBoolean, checkDnsLabel, checkDnsLabelList, checkDnsSubdomain, checkEnum, checkGitRepoUrl,
  checkGitRevision, checkGoDuration, checkHostPort, checkHttpUrl, checkInteger, checkNumberInRange, checkPromDuration,
  checkPromSize, checkQuantity, promDurationMs, checkString, checkStruct, checkUnique,
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
  readonly services: readonly ResolvedService[];
  readonly alerting: ResolvedAlerting;
  readonly dashboards: {
    readonly enabled: boolean;
    readonly community: ReadonlyArray<{ readonly gnetId: number; readonly revision: number; readonly datasource: string }>;
  };
  readonly chartVersions: Readonly<Record<string, string>>;
  readonly valuesOverrides: Readonly<Record<string, Record<string, unknown>>>;
  readonly generatedReadme: boolean;
}

/** A service of the user's, validated. */
export interface ResolvedService {
  readonly name: string;
  readonly namespace: string;
  readonly port: string;
  readonly metricsPath: string;
  readonly scrapeInterval: string;
  readonly selector: Readonly<Record<string, string>>;
  readonly monitor: MonitorKind;
  readonly language?: InstrumentationLanguage;
  readonly requestsMetric: string;
  readonly durationMetric: string;
  readonly statusLabel: string;
  readonly errorRateThreshold: number;
  readonly latencyThresholdSeconds: number;
  readonly slos: ReadonlyArray<{
    readonly kind: SloKind;
    readonly objective: number;
    readonly window: string;
    readonly latencyThresholdSeconds: number;
  }>;
}

/** A receiver, validated. */
export interface ResolvedReceiver {
  readonly name: string;
  readonly type: ReceiverType;
  readonly secretName: string;
  readonly secretKey: string;
  readonly channel?: string;
  readonly to?: string;
  readonly from?: string;
  readonly smarthost?: string;
  readonly authUsername?: string;
}

/** A user's alert rule, validated (its expression is parsed when rules are rendered). */
export interface ResolvedCustomRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly severity: Severity;
  readonly summary: string;
  readonly description: string;
  readonly runbookUrl?: string;
}

/** Alerting, validated. */
export interface ResolvedAlerting {
  readonly rulePacks: readonly RulePack[];
  readonly customRules: readonly ResolvedCustomRule[];
  readonly thresholds: Readonly<Record<string, number>>;
  readonly forDurations: Readonly<Record<string, string>>;
  readonly receivers: readonly ResolvedReceiver[];
  readonly pagingReceiver?: string;
  readonly chatReceiver?: string;
  readonly groupBy: readonly string[];
  readonly groupWait: string;
  readonly groupInterval: string;
  readonly repeatInterval: string;
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
  service: ['name', 'namespace', 'port', 'metricsPath', 'scrapeInterval', 'selector', 'monitor', 'language', 'requestsMetric',
    'durationMetric', 'statusLabel', 'errorRateThreshold', 'latencyThresholdSeconds', 'slos'],
  slo: ['kind', 'objective', 'window', 'latencyThresholdSeconds'],
  alerting: ['customRules', 'rulePacks', 'thresholds', 'forDurations', 'receivers', 'pagingReceiver', 'chatReceiver', 'groupBy',
    'groupWait', 'groupInterval', 'repeatInterval'],
  customRule: ['alert', 'expr', 'for', 'severity', 'summary', 'description', 'runbookUrl'],
  receiver: ['name', 'type', 'secretName', 'secretKey', 'channel', 'to', 'from', 'smarthost', 'authUsername'],
  dashboards: ['enabled', 'community'],
  communityDashboard: ['gnetId', 'revision', 'datasource'],
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
    services: resolveServices(options.services, metrics, traces),
    alerting: resolveAlerting(options.alerting, metrics),
    dashboards: resolveDashboards(options.dashboards),
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

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function checkPattern(option: string, value: unknown, re: RegExp, what: string): string {
  const s = checkString(option, value);
  if (!re.test(s)) throw new InvalidOptionError(option, value, `is not ${what}`);
  return s;
}

function resolveServices(value: unknown, metrics: ResolvedOptions['metrics'], traces: ResolvedOptions['traces']): ResolvedService[] {
  if (value === undefined) return [];
  const list = checkArray('services', value);
  if (list.length > 0 && !metrics.enabled) {
    throw new InvalidOptionError('services', `${list.length} services`, 'need metrics: services are scraped by Prometheus (set metrics.enabled to true)');
  }
  const services = list.map((raw, i) => {
    const o = `services[${i}]`;
    const v = checkStruct(o, raw, FIELDS.service);
    for (const required of ['name', 'namespace', 'port']) {
      if (v[required] === undefined) {
        const hint = required === 'port' ? 'the name of the port that serves metrics (for example "http-metrics")' : 'a DNS-1123 label';
        throw new InvalidOptionError(`${o}.${required}`, undefined, `is required: ${hint}`);
      }
    }
    const name = checkDnsLabel(`${o}.name`, v.name);
    const selector = v.selector === undefined ? { 'app.kubernetes.io/name': name } : resolveLabelMap(`${o}.selector`, v.selector);
    const language = opt(v.language, undefined, (x) => checkEnum(`${o}.language`, x, InstrumentationLanguage));
    if (language !== undefined && !traces.enabled) {
      throw new InvalidOptionError(`${o}.language`, language, 'asks for auto-instrumentation, but traces are off (set traces.enabled to true)');
    }
    if (language !== undefined && !traces.instrumentationLanguages.includes(language)) {
      throw new InvalidOptionError(`${o}.language`, language, `is not in traces.instrumentationLanguages (${traces.instrumentationLanguages.join(', ')})`);
    }
    const slos = v.slos === undefined ? [] : checkArray(`${o}.slos`, v.slos).map((rawSlo, j) => {
      const so = `${o}.slos[${j}]`;
      const slo = checkStruct(so, rawSlo, FIELDS.slo);
      if (slo.kind === undefined) throw new InvalidOptionError(`${so}.kind`, undefined, `is required: one of ${Object.values(SloKind).join(', ')}`);
      if (slo.objective === undefined) throw new InvalidOptionError(`${so}.objective`, undefined, 'is required: a percentage such as 99.9');
      const objective = slo.objective;
      if (typeof objective !== 'number' || !(objective > 0 && objective < 100)) {
        throw new InvalidOptionError(`${so}.objective`, objective, 'is outside (0, 100): an SLO objective is a percentage strictly between 0 and 100, such as 99.9');
      }
      return {
        kind: checkEnum(`${so}.kind`, slo.kind, SloKind),
        objective,
        window: opt(slo.window, '30d', (x) => checkPromDuration(`${so}.window`, x)),
        latencyThresholdSeconds: opt(slo.latencyThresholdSeconds, 0.3, (x) => checkNumberInRange(`${so}.latencyThresholdSeconds`, x, 0.001, 3600)),
      };
    });
    return {
      name,
      namespace: checkDnsLabel(`${o}.namespace`, v.namespace),
      port: checkDnsLabel(`${o}.port`, v.port),
      metricsPath: opt(v.metricsPath, '/metrics', (x) => checkPattern(`${o}.metricsPath`, x, /^\/[^\s]*$/, 'a URL path starting with "/"')),
      scrapeInterval: opt(v.scrapeInterval, metrics.scrapeInterval, (x) => checkPromDuration(`${o}.scrapeInterval`, x)),
      selector,
      monitor: opt(v.monitor, MonitorKind.SERVICE_MONITOR, (x) => checkEnum(`${o}.monitor`, x, MonitorKind)),
      language,
      requestsMetric: opt(v.requestsMetric, 'http_requests_total', (x) => checkPattern(`${o}.requestsMetric`, x, METRIC_NAME, 'a Prometheus metric name')),
      durationMetric: opt(v.durationMetric, 'http_request_duration_seconds', (x) => checkPattern(`${o}.durationMetric`, x, METRIC_NAME, 'a Prometheus metric name')),
      statusLabel: opt(v.statusLabel, 'code', (x) => checkPattern(`${o}.statusLabel`, x, LABEL_NAME, 'a Prometheus label name')),
      errorRateThreshold: opt(v.errorRateThreshold, 0.05, (x) => checkNumberInRange(`${o}.errorRateThreshold`, x, 0, 1)),
      latencyThresholdSeconds: opt(v.latencyThresholdSeconds, 1, (x) => checkNumberInRange(`${o}.latencyThresholdSeconds`, x, 0.001, 3600)),
      slos,
    };
  });
  const seen = new Map<string, number>();
  services.forEach((svc, i) => {
    const key = `${svc.namespace}/${svc.name}`;
    if (seen.has(key)) throw new InvalidOptionError(`services[${i}].name`, svc.name, `is a duplicate: services[${seen.get(key)}] is also ${key}`);
    seen.set(key, i);
  });
  return services;
}

function resolveLabelMap(option: string, value: unknown): Record<string, string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidOptionError(option, value, 'is not a map of Kubernetes labels');
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) throw new InvalidOptionError(option, value, 'is empty: it would select every Service in the namespace');
  for (const [k, v] of entries) {
    if (!/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(k) || k.length > 316) {
      throw new InvalidOptionError(`${option}.${k}`, k, 'is not a Kubernetes label key');
    }
    if (typeof v !== 'string' || !/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(v) || v.length > 63) {
      throw new InvalidOptionError(`${option}.${k}`, v, 'is not a Kubernetes label value (at most 63 letters, digits, "-", "_", ".")');
    }
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

function resolveAlerting(value: unknown, metrics: ResolvedOptions['metrics']): ResolvedAlerting {
  const a = value === undefined ? {} : checkStruct('alerting', value, FIELDS.alerting);
  if (value !== undefined && !metrics.enabled) {
    throw new InvalidOptionError('alerting', value, 'needs metrics: alerts are evaluated by Prometheus (set metrics.enabled to true)');
  }
  if (a.receivers !== undefined && !metrics.alertmanager) {
    throw new InvalidOptionError('alerting.receivers', a.receivers, 'are set, but metrics.alertmanager is false: nothing would send to them');
  }
  const rulePacks = a.rulePacks === undefined ? Object.values(RulePack)
    : checkArray('alerting.rulePacks', a.rulePacks).map((v, i) => checkEnum(`alerting.rulePacks[${i}]`, v, RulePack));
  const customRules = a.customRules === undefined ? [] : checkArray('alerting.customRules', a.customRules).map((raw, i) => {
    const o = `alerting.customRules[${i}]`;
    const r = checkStruct(o, raw, FIELDS.customRule);
    for (const required of ['alert', 'expr', 'summary']) {
      if (r[required] === undefined) throw new InvalidOptionError(`${o}.${required}`, undefined, 'is required');
    }
    const summary = checkString(`${o}.summary`, r.summary);
    return {
      alert: checkPattern(`${o}.alert`, r.alert, /^[A-Za-z_][A-Za-z0-9_]*$/, 'an alert name (letters, digits and "_", such as "CheckoutQueueBacklog")'),
      expr: checkString(`${o}.expr`, r.expr),
      for: opt(r.for, '5m', (x) => checkPromDuration(`${o}.for`, x)),
      severity: opt(r.severity, Severity.WARNING, (x) => checkEnum(`${o}.severity`, x, Severity)),
      summary,
      description: opt(r.description, summary, (x) => checkString(`${o}.description`, x)),
      runbookUrl: opt(r.runbookUrl, undefined, (x) => checkHttpUrl(`${o}.runbookUrl`, x)),
    };
  });
  customRules.forEach((r, i) => {
    const first = customRules.findIndex((x) => x.alert === r.alert);
    if (first !== i) throw new InvalidOptionError(`alerting.customRules[${i}].alert`, r.alert, `is a duplicate alert name (also alerting.customRules[${first}])`);
  });
  const receivers = a.receivers === undefined ? [] : checkArray('alerting.receivers', a.receivers).map((raw, i) => {
    const o = `alerting.receivers[${i}]`;
    const r = checkStruct(o, raw, FIELDS.receiver);
    for (const required of ['name', 'type', 'secretName', 'secretKey']) {
      if (r[required] === undefined) throw new InvalidOptionError(`${o}.${required}`, undefined, 'is required (credentials come from a key of an existing Secret)');
    }
    const type = checkEnum(`${o}.type`, r.type, ReceiverType);
    if (type === ReceiverType.EMAIL) {
      for (const required of ['to', 'from', 'smarthost']) {
        if (r[required] === undefined) throw new InvalidOptionError(`${o}.${required}`, undefined, 'is required for an email receiver');
      }
    }
    return {
      name: checkPattern(`${o}.name`, r.name, /^[A-Za-z0-9][-A-Za-z0-9_.]*$/, 'a receiver name (letters, digits, "-", "_", ".")'),
      type,
      secretName: checkDnsSubdomain(`${o}.secretName`, r.secretName),
      secretKey: checkSecretKey(`${o}.secretKey`, r.secretKey),
      channel: opt(r.channel, undefined, (x) => checkString(`${o}.channel`, x)),
      to: opt(r.to, undefined, (x) => checkPattern(`${o}.to`, x, /^[^\s@]+@[^\s@]+$/, 'an email address')),
      from: opt(r.from, undefined, (x) => checkPattern(`${o}.from`, x, /^[^\s@]+@[^\s@]+$/, 'an email address')),
      smarthost: opt(r.smarthost, undefined, (x) => checkHostPort(`${o}.smarthost`, x)),
      authUsername: opt(r.authUsername, undefined, (x) => checkString(`${o}.authUsername`, x)),
    };
  });
  receivers.forEach((r, i) => {
    const first = receivers.findIndex((x) => x.name === r.name);
    if (first !== i) throw new InvalidOptionError(`alerting.receivers[${i}].name`, r.name, 'is a duplicate receiver name');
  });
  const names = receivers.map((r) => r.name);
  const pick = (option: string, v: unknown, fallback: string | undefined) => {
    if (v === undefined) return fallback;
    const n = checkString(option, v);
    if (!names.includes(n)) {
      throw new InvalidOptionError(option, n, `is not a receiver of alerting.receivers${didYouMeanHint(n, names)} (receivers: ${names.join(', ') || 'none'})`);
    }
    return n;
  };
  const firstOf = (...types: ReceiverType[]) => receivers.find((r) => types.includes(r.type))?.name;
  const thresholds: Record<string, number> = {};
  for (const [alert, v] of Object.entries(a.thresholds === undefined ? {} : checkStruct('alerting.thresholds', a.thresholds, Object.keys(Object(a.thresholds))))) {
    if (typeof v !== 'number' || Number.isNaN(v)) throw new InvalidOptionError(`alerting.thresholds.${alert}`, v, 'is not a number');
    thresholds[alert] = v;
  }
  const forDurations: Record<string, string> = {};
  for (const [alert, v] of Object.entries(a.forDurations === undefined ? {} : checkStruct('alerting.forDurations', a.forDurations, Object.keys(Object(a.forDurations))))) {
    forDurations[alert] = checkPromDuration(`alerting.forDurations.${alert}`, v);
  }
  return {
    rulePacks: [...new Set(rulePacks)],
    customRules,
    thresholds,
    forDurations,
    receivers,
    pagingReceiver: pick('alerting.pagingReceiver', a.pagingReceiver, firstOf(ReceiverType.PAGERDUTY)),
    chatReceiver: pick('alerting.chatReceiver', a.chatReceiver, firstOf(ReceiverType.SLACK, ReceiverType.MSTEAMS)),
    groupBy: a.groupBy === undefined ? ['alertname', 'cluster', 'namespace']
      : checkArray('alerting.groupBy', a.groupBy).map((x, i) => checkPattern(`alerting.groupBy[${i}]`, x, /^(\.\.\.|[a-zA-Z_][a-zA-Z0-9_]*)$/, 'a label name (or "...")')),
    groupWait: opt(a.groupWait, '30s', (x) => checkPromDuration('alerting.groupWait', x)),
    groupInterval: opt(a.groupInterval, '5m', (x) => checkPromDuration('alerting.groupInterval', x)),
    repeatInterval: opt(a.repeatInterval, '4h', (x) => checkPromDuration('alerting.repeatInterval', x)),
  };
}

function resolveDashboards(value: unknown): ResolvedOptions['dashboards'] {
  const d = value === undefined ? {} : checkStruct('dashboards', value, FIELDS.dashboards);
  const community = d.community === undefined ? [] : checkArray('dashboards.community', d.community).map((raw, i) => {
    const o = `dashboards.community[${i}]`;
    const c = checkStruct(o, raw, FIELDS.communityDashboard);
    if (c.gnetId === undefined || c.revision === undefined) {
      throw new InvalidOptionError(`${o}.${c.gnetId === undefined ? 'gnetId' : 'revision'}`, undefined, 'is required: a grafana.com dashboard is pinned by id and revision (for example 1860, revision 37)');
    }
    return {
      gnetId: checkInteger(`${o}.gnetId`, c.gnetId, 1, 10_000_000),
      revision: checkInteger(`${o}.revision`, c.revision, 1, 100_000),
      datasource: opt(c.datasource, 'prometheus', (x) => checkString(`${o}.datasource`, x)),
    };
  });
  community.forEach((c, i) => {
    if (community.findIndex((x) => x.gnetId === c.gnetId) !== i) {
      throw new InvalidOptionError(`dashboards.community[${i}].gnetId`, c.gnetId, 'is listed twice');
    }
  });
  return { enabled: opt(d.enabled, true, (x) => checkBoolean('dashboards.enabled', x)), community };
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
  if (backend !== LogsBackend.ELASTICSEARCH && promDurationMs(s) < 24 * 3_600_000) {
    throw new InvalidOptionError(option, value, 'is shorter than 24h: Loki deletes whole 24h index periods (use "24h" or more, for example "7d")');
  }
  return s;
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
