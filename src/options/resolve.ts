import { checkDistinctDestinations } from './destinations';
import { ApplicationSetGenerator, FleetMode, LokiMode, MetricsBackend, ObjectStorageProvider, Profile, TempoMode } from './fleet';
import {
  ClusterOptions, GrafanaExposure, InstrumentationLanguage, LogCollector, LogsBackend, MetricsFlavor, MonitorKind,
  ObservabilityGitOpsProjectOptions, ReceiverType, RulePack, Severity, SloKind, TracesBackend,
} from './options';
import { ResolvedCentralAuth, resolveCentralAuth } from './resolve-central-auth';
import { ResolvedHeartbeat, resolveHeartbeat } from './resolve-heartbeat';
import { ResolvedRuleOverride, resolveRuleOverrides } from './rule-overrides';
import { lokiSize, prometheusSize, tempoSize } from './sizing';
import { checkHistogramBuckets, checkLatencySeconds, checkObjective, checkQuantileThreshold, checkThresholdIsBucket } from './slo-checks';
import { looksLikeSecretValue, REDACTED } from '../validation/credentials';
import { InvalidOptionError, didYouMeanHint } from '../validation/errors';
import { findExpressionProblem } from '../validation/expressions';
import { checkFreeText } from '../validation/free-text';
import {
  MAX_VOLUME_BYTES, checkDurationBounds, checkRequestWithinLimit, quantityValue, checkResourceAmount, checkRetentionSize, checkSizedPrometheus,
  checkVolumeSize, goDurationMs,
} from '../validation/limits';
import {
  checkArray, checkBoolean, checkDnsLabel, checkDnsLabelList, checkDnsSubdomain, checkEnum, checkGitRepoUrl,
  checkGitRevision, checkGoDuration, checkHostPort, checkHttpUrl, checkInteger, checkNumberInRange, checkPromDuration,
  checkPromSize, checkQuantity, promDurationMs, checkString, checkStruct, checkUnique,
} from '../validation/option-checks';
import { checkOptionData } from '../validation/option-data';

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
  readonly argocd: {
    readonly namespace: string;
    readonly project: string;
    readonly selfManaged: boolean;
    readonly fleetMode: FleetMode;
    readonly applicationSetGenerator: ApplicationSetGenerator;
  };
  /** The clusters these options apply to: every cluster, or one group's (see resolveFleet). */
  readonly clusters: readonly ResolvedCluster[];
  /** Names of the declared environments (empty: none). */
  readonly environments: readonly string[];
  /** The environment these options are for (undefined: project-wide, or no environments). */
  readonly environment?: string;
  /**
   * What the clusters of these options run: the whole stack (`all-in-one`),
   * the central backends of a distributed environment (`central`), or only
   * the agents that ship to it (`edge`).
   */
  readonly role: ClusterRole;
  /** With role `central`: the environment's edge clusters, which ship to it. */
  readonly edgeClusters: readonly ResolvedCluster[];
  readonly profile: Profile;
  readonly objectStorage?: ResolvedObjectStorage;
  /** Authentication and tenancy towards the central backends (only with Profile.DISTRIBUTED). */
  readonly centralAuth?: ResolvedCentralAuth;
  readonly sizing: ResolvedSizing;
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
    readonly backend: MetricsBackend;
    readonly remoteWriteUrl?: string;
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
    readonly mode: LokiMode;
    readonly pushUrl?: string;
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
    readonly mode: TempoMode;
    readonly kafkaAddress?: string;
  };
  readonly services: readonly ResolvedService[];
  readonly alerting: ResolvedAlerting;
  readonly dashboards: {
    readonly enabled: boolean;
    readonly community: ReadonlyArray<{ readonly gnetId: number; readonly revision: number; readonly datasource: string }>;
  };
  readonly chartVersions: Readonly<Record<string, string>>;
  readonly valuesOverrides: Readonly<Record<string, Record<string, unknown>>>;
  /** Per part, the sections `valuesOverrides` deletes on purpose (with a null), each with the option that listed it. */
  readonly valuesOverridesDeletions: Readonly<Record<string, readonly ValuesOverridesDeletion[]>>;
  readonly generatedReadme: boolean;
}

/** An entry of `valuesOverridesDeletions`: the dotted path, and where it was set (for errors). */
export interface ValuesOverridesDeletion {
  readonly path: string;
  /** The option that lists it, for example `valuesOverridesDeletions.grafana[0]` or `environments[1].valuesOverridesDeletions.loki[0]`. */
  readonly option: string;
}

/** What a group of clusters runs (see `ResolvedOptions.role`). */
export type ClusterRole = 'all-in-one' | 'central' | 'edge';

/** A cluster, validated. */
export interface ResolvedCluster {
  readonly name: string;
  /** `destination.server` (undefined when the cluster is given by its Argo CD name). */
  readonly server?: string;
  /** `destination.name`. */
  readonly destinationName?: string;
  readonly environment?: string;
  readonly region?: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Explicitly marked central (undefined: not said). */
  readonly central?: boolean;
  readonly prometheusUrl?: string;
  readonly thanosSidecarAddress?: string;
}

/** Object storage, validated. */
export interface ResolvedObjectStorage {
  readonly provider: ObjectStorageProvider;
  readonly buckets: { readonly metrics: string; readonly logs: string; readonly traces: string };
  readonly endpoint?: string;
  readonly region?: string;
  readonly insecure: boolean;
  readonly azureAccountName?: string;
  readonly secretName?: string;
}

/** Expected load, validated. */
export interface ResolvedSizing {
  readonly activeSeries?: number;
  readonly logGbPerDay?: number;
  readonly spansPerSecond?: number;
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
  /** The duration histogram's bucket bounds, when declared. */
  readonly histogramBuckets?: readonly number[];
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
  /** Per-alert overrides (src/model/alerts/rule-overrides.ts). */
  readonly ruleOverrides: readonly ResolvedRuleOverride[];
  readonly receivers: readonly ResolvedReceiver[];
  readonly pagingReceiver?: string;
  readonly chatReceiver?: string;
  readonly groupBy: readonly string[];
  readonly groupWait: string;
  readonly groupInterval: string;
  readonly repeatInterval: string;
  /** The dead man's switch: where Watchdog goes (alerting.heartbeat). */
  readonly heartbeat?: ResolvedHeartbeat;
}

const FIELDS = {
  cluster: ['name', 'server', 'destinationName', 'environment', 'region', 'labels', 'central', 'prometheusUrl', 'thanosSidecarAddress'],
  environment: ['name', 'profile', 'metrics', 'grafana', 'logs', 'traces', 'alerting', 'objectStorage', 'sizing', 'valuesOverrides',
    'valuesOverridesDeletions', 'chartVersions'],
  environmentAlerting: ['receivers', 'pagingReceiver', 'chatReceiver', 'groupBy', 'groupWait', 'groupInterval', 'repeatInterval',
    'heartbeat'],
  objectStorage: ['provider', 'metricsBucket', 'logsBucket', 'tracesBucket', 'endpoint', 'region', 'insecure', 'azureAccountName', 'secretName'],
  sizing: ['activeSeries', 'logGbPerDay', 'spansPerSecond'],
  storage: ['size', 'storageClassName'],
  resources: ['cpuRequest', 'memoryRequest', 'cpuLimit', 'memoryLimit'],
  argocd: ['selfManaged', 'fleetMode', 'applicationSetGenerator'],
  metrics: ['enabled', 'flavor', 'namespace', 'retention', 'retentionSize', 'storage', 'resources', 'scrapeInterval',
    'prometheusReplicas', 'alertmanager', 'alertmanagerReplicas', 'nodeExporter', 'kubeStateMetrics', 'metricsServer', 'backend',
    'remoteWriteUrl'],
  grafana: ['enabled', 'adminSecretName', 'adminUserKey', 'adminPasswordKey', 'exposure', 'nodePort', 'ingressHost',
    'ingressClassName', 'ingressTlsSecretName', 'persistence'],
  logs: ['enabled', 'backend', 'collectors', 'namespace', 'retention', 'storage', 'includeNamespaces', 'excludeNamespaces', 'mode',
    'pushUrl'],
  service: ['name', 'namespace', 'port', 'metricsPath', 'scrapeInterval', 'selector', 'monitor', 'language', 'requestsMetric',
    'durationMetric', 'statusLabel', 'errorRateThreshold', 'latencyThresholdSeconds', 'histogramBuckets', 'slos'],
  slo: ['kind', 'objective', 'window', 'latencyThresholdSeconds'],
  alerting: ['customRules', 'rulePacks', 'thresholds', 'forDurations', 'ruleOverrides', 'receivers', 'pagingReceiver', 'chatReceiver', 'groupBy',
    'groupWait', 'groupInterval', 'repeatInterval', 'heartbeat'],
  customRule: ['alert', 'expr', 'for', 'severity', 'summary', 'description', 'runbookUrl'],
  receiver: ['name', 'type', 'secretName', 'secretKey', 'channel', 'to', 'from', 'smarthost', 'authUsername'],
  dashboards: ['enabled', 'community'],
  communityDashboard: ['gnetId', 'revision', 'datasource'],
  traces: ['enabled', 'backend', 'otlpEndpoint', 'namespace', 'operatorNamespace', 'retention', 'storage', 'samplerRatio',
    'instrumentationLanguages', 'mode', 'kafkaAddress'],
};

/**
 * Validate every option of the project type and fill in defaults. Throws
 * `InvalidOptionError` on the first invalid option; nothing has been written
 * at that point.
 */
export function resolveOptions(options: ObservabilityGitOpsProjectOptions): ResolvedOptions {
  // First: a pasted credential is reported (masked) before any other check could echo it.
  checkOptionData(options);
  const projectName = checkFreeText('name', 'name', options.name);
  const placeholderUrl = `https://github.com/my-org/${slug(projectName)}.git`;
  const repoUrl = options.gitRepoUrl === undefined ? placeholderUrl
    : checkFreeText('gitRepoUrl', 'gitRepoUrl', checkGitRepoUrl('gitRepoUrl', options.gitRepoUrl));
  const argocd = options.argocd === undefined ? {} : checkStruct('argocd', options.argocd, FIELDS.argocd);
  const profile = opt(options.profile, Profile.SINGLE_NODE, (v) => checkEnum('profile', v, Profile));
  const objectStorage = resolveObjectStorage('objectStorage', options.objectStorage);
  if (profile === Profile.DISTRIBUTED && objectStorage === undefined) {
    throw new InvalidOptionError('objectStorage', undefined,
      'is required by profile Profile.DISTRIBUTED: Mimir/Thanos, Loki and Tempo keep their data in object storage (set objectStorage with a provider and buckets)');
  }
  const environments = resolveEnvironmentNames(options.environments);
  const sizing = resolveSizing('sizing', options.sizing);

  const metrics = resolveMetrics(options.metrics, profile, sizing);
  const grafana = resolveGrafana(options.grafana, metrics.enabled);
  const logs = resolveLogs(options.logs, profile, sizing);
  const traces = resolveTraces(options.traces, profile, sizing);
  checkObjectStorageNeeds(metrics, logs, traces, objectStorage);

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
      fleetMode: opt(argocd.fleetMode, FleetMode.APPLICATIONS, (v) => checkEnum('argocd.fleetMode', v, FleetMode)),
      applicationSetGenerator: opt(argocd.applicationSetGenerator, ApplicationSetGenerator.LIST,
        (v) => checkEnum('argocd.applicationSetGenerator', v, ApplicationSetGenerator)),
    },
    clusters: resolveClusters(options.clusters, environments),
    environments,
    role: profile === Profile.DISTRIBUTED ? 'central' : 'all-in-one',
    edgeClusters: [],
    profile,
    objectStorage,
    centralAuth: resolveCentralAuth(options.centralAuth, profile, options),
    sizing,
    metrics,
    grafana,
    logs,
    traces,
    services: resolveServices(options.services, metrics, traces),
    alerting: resolveAlerting(options.alerting, metrics),
    dashboards: resolveDashboards(options.dashboards),
    chartVersions: resolveStringMap('chartVersions', options.chartVersions),
    valuesOverrides: resolveValuesOverrides(options.valuesOverrides),
    valuesOverridesDeletions: resolveValuesOverridesDeletions('valuesOverridesDeletions', options.valuesOverridesDeletions),
    generatedReadme: opt(options.generatedReadme, true, (v) => checkBoolean('generatedReadme', v)),
  };
}

function resolveClusters(value: ClusterOptions[] | undefined, environments: readonly string[]): readonly ResolvedCluster[] {
  if (value === undefined) {
    if (environments.length > 0) {
      throw new InvalidOptionError('clusters', undefined,
        `is required with environments: list the clusters of ${environments.join(', ')}, each with its environment`);
    }
    return [{ name: 'in-cluster', server: IN_CLUSTER_SERVER, labels: {} }];
  }
  const list = checkArray('clusters', value);
  if (list.length === 0) {
    throw new InvalidOptionError('clusters', value, 'is empty: list at least one cluster, or leave the option out for the cluster Argo CD runs in');
  }
  const clusters = list.map((raw, i): ResolvedCluster => {
    const o = `clusters[${i}]`;
    const c = checkStruct(o, raw, FIELDS.cluster);
    if (c.name === undefined) {
      throw new InvalidOptionError(`${o}.name`, undefined, 'is required: every cluster needs a DNS-1123 name such as "prod-eu-1"');
    }
    if (c.server !== undefined && c.destinationName !== undefined) {
      throw new InvalidOptionError(`${o}.destinationName`, c.destinationName,
        `is set together with ${o}.server: Argo CD takes a destination by server URL or by name, not both`);
    }
    const destinationName = opt(c.destinationName, undefined, (v) => checkDnsSubdomain(`${o}.destinationName`, v));
    let environment: string | undefined;
    if (environments.length > 0) {
      if (c.environment === undefined) {
        throw new InvalidOptionError(`${o}.environment`, undefined, `is required with environments: one of ${environments.join(', ')}`);
      }
      environment = checkString(`${o}.environment`, c.environment);
      if (!environments.includes(environment)) {
        throw new InvalidOptionError(`${o}.environment`, environment,
          `is not an environment${didYouMeanHint(environment, environments)}; environments: ${environments.join(', ')}`);
      }
    } else if (c.environment !== undefined) {
      throw new InvalidOptionError(`${o}.environment`, c.environment, 'is set, but no environments are declared (add it to environments)');
    }
    return {
      name: checkDnsLabel(`${o}.name`, c.name),
      server: destinationName !== undefined ? undefined : opt(c.server, IN_CLUSTER_SERVER, (v) => checkFreeText('clusters[].server', `${o}.server`, checkHttpUrl(`${o}.server`, v))),
      ...(destinationName !== undefined ? { destinationName } : {}),
      ...(environment !== undefined ? { environment } : {}),
      ...(c.region !== undefined ? { region: checkLabelValue(`${o}.region`, c.region) } : {}),
      labels: c.labels === undefined ? {} : resolveLabelMap(`${o}.labels`, c.labels),
      ...(c.central !== undefined ? { central: checkBoolean(`${o}.central`, c.central) } : {}),
      ...(c.prometheusUrl !== undefined ? { prometheusUrl: checkFreeText('clusters[].prometheusUrl', `${o}.prometheusUrl`, checkHttpUrl(`${o}.prometheusUrl`, c.prometheusUrl)) } : {}),
      ...(c.thanosSidecarAddress !== undefined ? {
        thanosSidecarAddress: checkHostPort(`${o}.thanosSidecarAddress`, c.thanosSidecarAddress, 'thanos-sidecar.eu-1.example.com:10901'),
      } : {}),
    };
  });
  checkUnique('clusters', clusters.map((c) => c.name));
  checkDistinctDestinations(clusters, list as ReadonlyArray<{ server?: unknown; destinationName?: unknown }>);
  for (const env of environments) {
    if (!clusters.some((c) => c.environment === env)) {
      const i = environments.indexOf(env);
      throw new InvalidOptionError(`environments[${i}]`, env, 'has no clusters: set environment on at least one of clusters, or remove the environment');
    }
  }
  return clusters;
}

/** A Kubernetes label value: at most 63 letters, digits, "-", "_" and ".", alphanumeric at both ends. */
function checkLabelValue(option: string, value: unknown): string {
  if (typeof value !== 'string' || !/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(value) || value.length > 63) {
    throw new InvalidOptionError(option, value, 'is not a Kubernetes label value (at most 63 letters, digits, "-", "_", ".")');
  }
  return value;
}

/** Names of the environments (each entry's own options are resolved per environment, see resolveFleet). */
function resolveEnvironmentNames(value: unknown): string[] {
  if (value === undefined) return [];
  const names = checkArray('environments', value).map((raw, i) => {
    const e = checkStruct(`environments[${i}]`, raw, FIELDS.environment);
    if (e.name === undefined) throw new InvalidOptionError(`environments[${i}].name`, undefined, 'is required: a DNS-1123 label such as "prod"');
    if (e.alerting !== undefined) {
      const a = checkStruct(`environments[${i}].alerting`, e.alerting, Object.keys(Object(e.alerting)));
      const global = Object.keys(a).find((k) => !FIELDS.environmentAlerting.includes(k));
      if (global) {
        throw new InvalidOptionError(`environments[${i}].alerting.${global}`, a[global],
          `is project-wide (every environment runs the same unit-tested rules): set it in alerting; an environment may set ${FIELDS.environmentAlerting.join(', ')}`);
      }
    }
    return checkDnsLabel(`environments[${i}].name`, e.name);
  });
  checkUnique('environments', names);
  return names;
}

function resolveObjectStorage(option: string, value: unknown): ResolvedObjectStorage | undefined {
  if (value === undefined) return undefined;
  const s = checkStruct(option, value, FIELDS.objectStorage);
  if (s.provider === undefined) {
    throw new InvalidOptionError(`${option}.provider`, undefined, `is required: one of ${Object.values(ObjectStorageProvider).join(', ')}`);
  }
  const provider = checkEnum(`${option}.provider`, s.provider, ObjectStorageProvider);
  const bucket = (field: string, fallback: string) => opt(s[field], fallback, (v) => checkPattern(`${option}.${field}`, v,
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'a bucket name (3 to 63 lowercase letters, digits, "-" and ".")'));
  const onlyFor = (field: string, p: ObjectStorageProvider) => {
    if (s[field] !== undefined && provider !== p) {
      throw new InvalidOptionError(`${option}.${field}`, s[field], `is only for ObjectStorageProvider.${p.toUpperCase()}, but ${option}.provider is "${provider}"`);
    }
  };
  onlyFor('endpoint', ObjectStorageProvider.S3);
  onlyFor('region', ObjectStorageProvider.S3);
  onlyFor('insecure', ObjectStorageProvider.S3);
  onlyFor('azureAccountName', ObjectStorageProvider.AZURE);
  if (provider === ObjectStorageProvider.AZURE && s.azureAccountName === undefined) {
    throw new InvalidOptionError(`${option}.azureAccountName`, undefined, 'is required with ObjectStorageProvider.AZURE: the storage account of the containers');
  }
  if (provider === ObjectStorageProvider.S3 && s.endpoint === undefined && s.region === undefined) {
    throw new InvalidOptionError(`${option}.region`, undefined,
      'is required for AWS S3 (or set objectStorage.endpoint for an S3-compatible store such as MinIO)');
  }
  return {
    provider,
    buckets: { metrics: bucket('metricsBucket', 'obs-metrics'), logs: bucket('logsBucket', 'obs-logs'), traces: bucket('tracesBucket', 'obs-traces') },
    ...(s.endpoint !== undefined ? { endpoint: checkHostPort(`${option}.endpoint`, s.endpoint) } : {}),
    ...(s.region !== undefined ? { region: checkLabelValue(`${option}.region`, s.region) } : {}),
    insecure: opt(s.insecure, false, (v) => checkBoolean(`${option}.insecure`, v)),
    ...(s.azureAccountName !== undefined ? { azureAccountName: checkFreeText('objectStorage.azureAccountName', `${option}.azureAccountName`, s.azureAccountName) } : {}),
    ...(s.secretName !== undefined ? { secretName: checkDnsSubdomain(`${option}.secretName`, s.secretName) } : {}),
  };
}

function resolveSizing(option: string, value: unknown): ResolvedSizing {
  if (value === undefined) return {};
  const s = checkStruct(option, value, FIELDS.sizing);
  const positive = (field: string, max: number) => opt(s[field], undefined, (v) => {
    const n = checkNumberInRange(`${option}.${field}`, v, 0, max);
    if (n === 0) throw new InvalidOptionError(`${option}.${field}`, v, `is zero: give the expected load (above 0, at most ${max}), or leave it out`);
    return n;
  });
  return {
    ...(s.activeSeries !== undefined ? { activeSeries: positive('activeSeries', 1e9) } : {}),
    ...(s.logGbPerDay !== undefined ? { logGbPerDay: positive('logGbPerDay', 1e6) } : {}),
    ...(s.spansPerSecond !== undefined ? { spansPerSecond: positive('spansPerSecond', 1e8) } : {}),
  };
}

/** Distributed backends and Loki's scalable modes keep their data in object storage. */
function checkObjectStorageNeeds(metrics: ResolvedOptions['metrics'], logs: ResolvedOptions['logs'],
  traces: ResolvedOptions['traces'], objectStorage: ResolvedObjectStorage | undefined): void {
  if (objectStorage !== undefined) return;
  if (metrics.enabled && (metrics.backend === MetricsBackend.MIMIR || metrics.backend === MetricsBackend.THANOS)) {
    throw new InvalidOptionError('metrics.backend', metrics.backend, 'needs objectStorage: Mimir and Thanos keep their blocks in object storage');
  }
  if (traces.enabled && traces.backend === TracesBackend.TEMPO && traces.mode === TempoMode.DISTRIBUTED) {
    throw new InvalidOptionError('traces.mode', traces.mode, 'needs objectStorage: distributed Tempo keeps its blocks in object storage');
  }
  if (logs.enabled && logs.backend === LogsBackend.LOKI && logs.mode !== LokiMode.SINGLE_BINARY) {
    throw new InvalidOptionError('logs.mode', logs.mode, 'needs objectStorage: Loki\'s scalable modes keep chunks and index in object storage');
  }
}

function resolveMetrics(value: unknown, profile: Profile, sizing: ResolvedSizing): ResolvedOptions['metrics'] {
  const m = value === undefined ? {} : checkStruct('metrics', value, FIELDS.metrics);
  // HA runs a Prometheus pair; distributed keeps one per cluster (the central backend is the HA store).
  const ha = profile === Profile.HA;
  const alertmanager = opt(m.alertmanager, true, (v) => checkBoolean('metrics.alertmanager', v));
  const alertmanagerReplicas = opt(m.alertmanagerReplicas, profile !== Profile.SINGLE_NODE ? 3 : 1, (v) => checkInteger('metrics.alertmanagerReplicas', v, 1, 9));
  if (!alertmanager && m.alertmanagerReplicas !== undefined) {
    throw new InvalidOptionError('metrics.alertmanagerReplicas', m.alertmanagerReplicas, 'is set, but metrics.alertmanager is false');
  }
  const metricsEnabled = opt(m.enabled, true, (v) => checkBoolean('metrics.enabled', v));
  const flavor = opt(m.flavor, MetricsFlavor.KUBE_PROMETHEUS_STACK, (v) => checkEnum('metrics.flavor', v, MetricsFlavor));
  const retention = opt(m.retention, '15d', (v) => checkRetention('metrics.retention', checkPromDuration('metrics.retention', v), 2 * HOUR,
    'Prometheus writes 2h blocks and needs a retention of at least 2h (and at most 100y), for example "15d"'));
  const scrapeInterval = opt(m.scrapeInterval, '30s', (v) => checkScrapeInterval('metrics.scrapeInterval', v));
  // The sizing helper picks the defaults of resources and volume (sizing.ts).
  const size = sizing.activeSeries !== undefined ? prometheusSize(sizing.activeSeries, scrapeInterval, retention) : undefined;
  if (size && sizing.activeSeries !== undefined) checkSizedPrometheus(size.memory, size.storage, sizing.activeSeries);
  const backend = opt(m.backend, profile === Profile.DISTRIBUTED ? MetricsBackend.MIMIR : MetricsBackend.PROMETHEUS,
    (v) => checkEnum('metrics.backend', v, MetricsBackend));
  if (backend !== MetricsBackend.PROMETHEUS && flavor !== MetricsFlavor.KUBE_PROMETHEUS_STACK) {
    throw new InvalidOptionError('metrics.backend', backend,
      'needs metrics.flavor MetricsFlavor.KUBE_PROMETHEUS_STACK (remote write, the Thanos sidecar and federation are set through the operator)');
  }
  if (m.remoteWriteUrl !== undefined && backend !== MetricsBackend.MIMIR) {
    throw new InvalidOptionError('metrics.remoteWriteUrl', m.remoteWriteUrl, `is set, but metrics.backend is "${backend}" (use MetricsBackend.MIMIR)`);
  }
  // A Prometheus pair remote-writing to Mimir stores every series twice (told apart by
  // prometheus_replica), and sums over Mimir would count both. Mimir's HA tracker removes the
  // copies, but it needs Consul or etcd (memberlist is not supported), which this stack does not
  // run: with Mimir, Mimir's replication is the HA of the stored metrics and each cluster runs one
  // Prometheus. (Thanos deduplicates on prometheus_replica at query time.)
  const mimir = metricsEnabled && backend === MetricsBackend.MIMIR;
  const prometheusReplicas = opt(m.prometheusReplicas, ha && !mimir ? 2 : 1, (v) => checkInteger('metrics.prometheusReplicas', v, 1, 9));
  if (mimir && prometheusReplicas > 1) {
    throw new InvalidOptionError('metrics.prometheusReplicas', prometheusReplicas,
      'must be 1 with metrics.backend MetricsBackend.MIMIR: each replica would remote-write its own copy of every series, ' +
      'and Mimir\'s HA tracker, which drops the copies, needs Consul or etcd, which this stack does not run ' +
      '(use MetricsBackend.THANOS, which deduplicates replicas at query time, for a Prometheus pair)');
  }
  const storage = resolveStorage('metrics.storage', m.storage, size?.storage ?? '50Gi');
  return {
    enabled: metricsEnabled,
    flavor,
    namespace: opt(m.namespace, 'monitoring', (v) => checkDnsLabel('metrics.namespace', v)),
    retention,
    retentionSize: opt(m.retentionSize, undefined, (v) => checkRetentionSize('metrics.retentionSize', checkPromSize('metrics.retentionSize', v),
      storage.size, 'metrics.storage.size')),
    storage,
    resources: m.resources !== undefined ? resolveResources('metrics.resources', m.resources)
      : size ? { requests: { cpu: size.cpu, memory: size.memory }, limits: { memory: size.memory } }
        // Single node (k3s-friendly): small requests, so the scheduler places it on a small node.
        : profile === Profile.SINGLE_NODE ? { requests: { cpu: '100m', memory: '512Mi' } } : undefined,
    scrapeInterval,
    prometheusReplicas,
    alertmanager,
    alertmanagerReplicas,
    nodeExporter: opt(m.nodeExporter, true, (v) => checkBoolean('metrics.nodeExporter', v)),
    kubeStateMetrics: opt(m.kubeStateMetrics, true, (v) => checkBoolean('metrics.kubeStateMetrics', v)),
    metricsServer: opt(m.metricsServer, false, (v) => checkBoolean('metrics.metricsServer', v)),
    backend,
    remoteWriteUrl: opt(m.remoteWriteUrl, undefined, (v) => checkFreeText('metrics.remoteWriteUrl', 'metrics.remoteWriteUrl', checkHttpUrl('metrics.remoteWriteUrl', v))),
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

function resolveLogs(value: unknown, profile: Profile, sizing: ResolvedSizing): ResolvedOptions['logs'] {
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
  const retention = opt(l.retention, '7d', (v) => checkLokiRetention('logs.retention', v, backend));
  const mode = opt(l.mode, profile === Profile.DISTRIBUTED && backend === LogsBackend.LOKI ? LokiMode.DISTRIBUTED : LokiMode.SINGLE_BINARY,
    (v) => checkEnum('logs.mode', v, LokiMode));
  if (mode !== LokiMode.SINGLE_BINARY && backend !== LogsBackend.LOKI) {
    throw new InvalidOptionError('logs.mode', mode, `is for LogsBackend.LOKI, but logs.backend is "${backend}"`);
  }
  if (l.pushUrl !== undefined && backend !== LogsBackend.LOKI) {
    throw new InvalidOptionError('logs.pushUrl', l.pushUrl, `is for LogsBackend.LOKI, but logs.backend is "${backend}"`);
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
    retention,
    storage: resolveStorage('logs.storage', l.storage,
      backend === LogsBackend.ELASTICSEARCH ? '30Gi' : sizing.logGbPerDay !== undefined ? lokiSize(sizing.logGbPerDay, retention).singleBinaryStorage : '10Gi',
      sizing.logGbPerDay !== undefined && mode === LokiMode.SINGLE_BINARY ? 'sizing.logGbPerDay' : undefined),
    includeNamespaces,
    excludeNamespaces,
    mode,
    pushUrl: opt(l.pushUrl, undefined, (v) => checkFreeText('logs.pushUrl', 'logs.pushUrl', checkHttpUrl('logs.pushUrl', v))),
  };
}

function resolveTraces(value: unknown, profile: Profile, sizing: ResolvedSizing): ResolvedOptions['traces'] {
  const t = value === undefined ? {} : checkStruct('traces', value, FIELDS.traces);
  const enabled = opt(t.enabled, true, (v) => checkBoolean('traces.enabled', v));
  const backend = opt(t.backend, TracesBackend.TEMPO, (v) => checkEnum('traces.backend', v, TracesBackend));
  const otlpEndpoint = opt(t.otlpEndpoint, undefined, (v) => checkHostPort('traces.otlpEndpoint', v));
  if (enabled && backend === TracesBackend.OTLP_ENDPOINT && otlpEndpoint === undefined) {
    throw new InvalidOptionError('traces.otlpEndpoint', undefined,
      'is required with traces.backend TracesBackend.OTLP_ENDPOINT: traces are on but have nowhere to go (set it, or use TracesBackend.TEMPO)');
  }
  if (backend === TracesBackend.TEMPO && otlpEndpoint !== undefined && profile !== Profile.DISTRIBUTED) {
    throw new InvalidOptionError('traces.otlpEndpoint', otlpEndpoint,
      'is set, but traces.backend is TracesBackend.TEMPO (use TracesBackend.OTLP_ENDPOINT; with Profile.DISTRIBUTED it is the central Tempo as the other clusters reach it)');
  }
  const retention = opt(t.retention, '336h', (v) => checkTempoRetention('traces.retention', checkGoDuration('traces.retention', v)));
  const mode = opt(t.mode, profile === Profile.DISTRIBUTED ? TempoMode.DISTRIBUTED : TempoMode.MONOLITHIC, (v) => checkEnum('traces.mode', v, TempoMode));
  const kafkaAddress = opt(t.kafkaAddress, undefined, (v) => checkHostPort('traces.kafkaAddress', v));
  if (enabled && backend === TracesBackend.TEMPO && mode === TempoMode.DISTRIBUTED && kafkaAddress === undefined) {
    throw new InvalidOptionError('traces.kafkaAddress', undefined,
      'is required with traces.mode TempoMode.DISTRIBUTED: Tempo 3 (tempo-distributed 3.x) ingests spans through Kafka. ' +
      'Give your Kafka brokers as host:port, or set traces.mode to TempoMode.MONOLITHIC (one Tempo on object storage)');
  }
  if (kafkaAddress !== undefined && mode !== TempoMode.DISTRIBUTED) {
    throw new InvalidOptionError('traces.kafkaAddress', kafkaAddress, 'is set, but traces.mode is not TempoMode.DISTRIBUTED');
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
    retention,
    storage: resolveStorage('traces.storage', t.storage, sizing.spansPerSecond !== undefined ? tempoSize(sizing.spansPerSecond, retention).monolithicStorage : '10Gi',
      sizing.spansPerSecond !== undefined && mode === TempoMode.MONOLITHIC ? 'sizing.spansPerSecond' : undefined),
    samplerRatio: opt(t.samplerRatio, 1, (v) => checkNumberInRange('traces.samplerRatio', v, 0, 1)),
    instrumentationLanguages: [...new Set(languages)],
    mode,
    kafkaAddress,
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
    const selector = v.selector === undefined ? { 'app.kubernetes.io/name': name } : resolveSelector(`${o}.selector`, v.selector);
    const language = opt(v.language, undefined, (x) => checkEnum(`${o}.language`, x, InstrumentationLanguage));
    if (language !== undefined && !traces.enabled) {
      throw new InvalidOptionError(`${o}.language`, language, 'asks for auto-instrumentation, but traces are off (set traces.enabled to true)');
    }
    if (language !== undefined && !traces.instrumentationLanguages.includes(language)) {
      throw new InvalidOptionError(`${o}.language`, language, `is not in traces.instrumentationLanguages (${traces.instrumentationLanguages.join(', ')})`);
    }
    const histogramBuckets = opt(v.histogramBuckets, undefined, (x) => checkHistogramBuckets(`${o}.histogramBuckets`, x));
    const latencyThreshold = opt(v.latencyThresholdSeconds, 1, (x) => checkLatencySeconds(`${o}.latencyThresholdSeconds`, x));
    if (histogramBuckets !== undefined) {
      checkQuantileThreshold(`${o}.latencyThresholdSeconds`, latencyThreshold, histogramBuckets, `${o}.histogramBuckets`);
    }
    const slos = v.slos === undefined ? [] : checkArray(`${o}.slos`, v.slos).map((rawSlo, j) => {
      const so = `${o}.slos[${j}]`;
      const slo = checkStruct(so, rawSlo, FIELDS.slo);
      if (slo.kind === undefined) throw new InvalidOptionError(`${so}.kind`, undefined, `is required: one of ${Object.values(SloKind).join(', ')}`);
      if (slo.objective === undefined) throw new InvalidOptionError(`${so}.objective`, undefined, 'is required: a percentage such as 99.9');
      const objective = checkObjective(`${so}.objective`, slo.objective);
      const kind = checkEnum(`${so}.kind`, slo.kind, SloKind);
      const latencyThresholdSeconds = opt(slo.latencyThresholdSeconds, 0.3, (x) => checkLatencySeconds(`${so}.latencyThresholdSeconds`, x));
      if (kind === SloKind.LATENCY && histogramBuckets !== undefined) {
        checkThresholdIsBucket(`${so}.latencyThresholdSeconds`, latencyThresholdSeconds, histogramBuckets, `${o}.histogramBuckets`);
      }
      return {
        kind,
        objective,
        window: opt(slo.window, '30d', (x) => checkPromDuration(`${so}.window`, x)),
        latencyThresholdSeconds,
      };
    });
    return {
      name,
      namespace: checkDnsLabel(`${o}.namespace`, v.namespace),
      port: checkDnsLabel(`${o}.port`, v.port),
      metricsPath: opt(v.metricsPath, '/metrics', (x) => checkFreeText('services[].metricsPath', `${o}.metricsPath`,
        checkPattern(`${o}.metricsPath`, x, /^\/[^\s]*$/, 'a URL path starting with "/"'))),
      scrapeInterval: opt(v.scrapeInterval, metrics.scrapeInterval, (x) => checkScrapeInterval(`${o}.scrapeInterval`, x)),
      selector,
      monitor: opt(v.monitor, MonitorKind.SERVICE_MONITOR, (x) => checkEnum(`${o}.monitor`, x, MonitorKind)),
      language,
      requestsMetric: opt(v.requestsMetric, 'http_requests_total', (x) => checkPattern(`${o}.requestsMetric`, x, METRIC_NAME, 'a Prometheus metric name')),
      durationMetric: opt(v.durationMetric, 'http_request_duration_seconds', (x) => checkPattern(`${o}.durationMetric`, x, METRIC_NAME, 'a Prometheus metric name')),
      statusLabel: opt(v.statusLabel, 'code', (x) => checkPattern(`${o}.statusLabel`, x, LABEL_NAME, 'a Prometheus label name')),
      errorRateThreshold: opt(v.errorRateThreshold, 0.05, (x) => checkNumberInRange(`${o}.errorRateThreshold`, x, 0, 1)),
      latencyThresholdSeconds: latencyThreshold,
      ...(histogramBuckets !== undefined ? { histogramBuckets } : {}),
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

/** A label selector: a label map that is not empty. */
function resolveSelector(option: string, value: unknown): Record<string, string> {
  const labels = resolveLabelMap(option, value);
  if (Object.keys(labels).length === 0) throw new InvalidOptionError(option, value, 'is empty: it would select every Service in the namespace');
  return labels;
}

function resolveLabelMap(option: string, value: unknown): Record<string, string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidOptionError(option, value, 'is not a map of Kubernetes labels');
  }
  const entries = Object.entries(value as Record<string, unknown>);
  for (const [k, v] of entries) {
    if (!/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(k) || k.length > 316) {
      throw new InvalidOptionError(`${option}.${k}`, k, 'is not a Kubernetes label key');
    }
    checkLabelValue(`${option}.${k}`, v);
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
    const summary = checkFreeText('alerting.customRules[].summary', `${o}.summary`, r.summary);
    return {
      alert: checkPattern(`${o}.alert`, r.alert, /^[A-Za-z_][A-Za-z0-9_]*$/, 'an alert name (letters, digits and "_", such as "CheckoutQueueBacklog")'),
      expr: checkPromQL(`${o}.expr`, checkFreeText('alerting.customRules[].expr', `${o}.expr`, r.expr)),
      for: opt(r.for, '5m', (x) => checkPromDuration(`${o}.for`, x)),
      severity: opt(r.severity, Severity.WARNING, (x) => checkEnum(`${o}.severity`, x, Severity)),
      summary,
      description: opt(r.description, summary, (x) => checkFreeText('alerting.customRules[].description', `${o}.description`, x)),
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
      channel: opt(r.channel, undefined, (x) => checkFreeText('alerting.receivers[].channel', `${o}.channel`, x)),
      to: opt(r.to, undefined, (x) => checkPattern(`${o}.to`, checkFreeText('alerting.receivers[].to', `${o}.to`, x), /^[^\s@]+@[^\s@]+$/, 'an email address')),
      from: opt(r.from, undefined, (x) => checkPattern(`${o}.from`, checkFreeText('alerting.receivers[].from', `${o}.from`, x), /^[^\s@]+@[^\s@]+$/, 'an email address')),
      smarthost: opt(r.smarthost, undefined, (x) => checkHostPort(`${o}.smarthost`, x)),
      authUsername: opt(r.authUsername, undefined, (x) => checkFreeText('alerting.receivers[].authUsername', `${o}.authUsername`, x)),
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
    ruleOverrides: resolveRuleOverrides(a.ruleOverrides, thresholds, forDurations),
    receivers,
    pagingReceiver: pick('alerting.pagingReceiver', a.pagingReceiver, firstOf(ReceiverType.PAGERDUTY)),
    chatReceiver: pick('alerting.chatReceiver', a.chatReceiver, firstOf(ReceiverType.SLACK, ReceiverType.MSTEAMS)),
    groupBy: a.groupBy === undefined ? ['alertname', 'cluster', 'namespace']
      : checkArray('alerting.groupBy', a.groupBy).map((x, i) => checkPattern(`alerting.groupBy[${i}]`, x, /^(\.\.\.|[a-zA-Z_][a-zA-Z0-9_]*)$/, 'a label name (or "...")')),
    groupWait: opt(a.groupWait, '30s', (x) => checkMaxDuration('alerting.groupWait', checkPromDuration('alerting.groupWait', x), DAY,
      'Alertmanager waits this long before the first notification of a group; at most 1d, for example "30s"')),
    groupInterval: opt(a.groupInterval, '5m', (x) => checkDurationBounds('alerting.groupInterval', checkPromDuration('alerting.groupInterval', x),
      1000, 7 * DAY, 'Alertmanager rejects a zero group_interval; use 1s to 7d, for example "5m"')),
    repeatInterval: opt(a.repeatInterval, '4h', (x) => checkDurationBounds('alerting.repeatInterval', checkPromDuration('alerting.repeatInterval', x),
      60_000, 365 * DAY, 'Alertmanager rejects a zero repeat_interval; use 1m to 1y, for example "4h"')),
    heartbeat: resolveHeartbeat('alerting.heartbeat', a.heartbeat, metrics.alertmanager),
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
      datasource: opt(c.datasource, 'prometheus', (x) => checkFreeText('dashboards.community[].datasource', `${o}.datasource`, x)),
    };
  });
  community.forEach((c, i) => {
    if (community.findIndex((x) => x.gnetId === c.gnetId) !== i) {
      throw new InvalidOptionError(`dashboards.community[${i}].gnetId`, c.gnetId, 'is listed twice');
    }
  });
  return { enabled: opt(d.enabled, true, (x) => checkBoolean('dashboards.enabled', x)), community };
}

function resolveStorage(option: string, value: unknown, defaultSize: string, sizedBy?: string): ResolvedStorage {
  const s = value === undefined ? {} : checkStruct(option, value, FIELDS.storage);
  if (s.size === undefined && sizedBy !== undefined && quantityValue(defaultSize) > MAX_VOLUME_BYTES) {
    throw new InvalidOptionError(sizedBy, `${defaultSize} of storage`,
      `needs more than one volume can hold (64Ti) at this retention: shorten the retention, lower the load, or set ${option}.size yourself`);
  }
  const storageClassName = opt(s.storageClassName, undefined, (v) => checkDnsSubdomain(`${option}.storageClassName`, v));
  return {
    size: opt(s.size, defaultSize, (v) => checkVolumeSize(`${option}.size`, checkQuantity(`${option}.size`, v))),
    ...(storageClassName ? { storageClassName } : {}),
  };
}

function resolveResources(option: string, value: unknown): ResolvedResources {
  const r = checkStruct(option, value, FIELDS.resources);
  const q = (field: string, kind: 'cpu' | 'memory') => opt(r[field], undefined,
    (v) => checkResourceAmount(`${option}.${field}`, checkQuantity(`${option}.${field}`, v), kind));
  const requests = compact({ cpu: q('cpuRequest', 'cpu'), memory: q('memoryRequest', 'memory') });
  const limits = compact({ cpu: q('cpuLimit', 'cpu'), memory: q('memoryLimit', 'memory') });
  checkRequestWithinLimit(`${option}.cpuRequest`, requests?.cpu as string | undefined, limits?.cpu as string | undefined, `${option}.cpuLimit`);
  checkRequestWithinLimit(`${option}.memoryRequest`, requests?.memory as string | undefined, limits?.memory as string | undefined, `${option}.memoryLimit`);
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
 * `valuesOverridesDeletions` (project-wide or an environment's, `option` says
 * which): a map from part name to a list of dotted paths. Whether each path
 * names a null in `valuesOverrides` (and the part exists) is checked when the
 * stack is built, where the parts and the merged overrides are known.
 */
export function resolveValuesOverridesDeletions(option: string, value: unknown): ResolvedOptions['valuesOverridesDeletions'] {
  if (value === undefined) return {};
  const shape = 'is not a map from part name to a list of dotted paths of the sections valuesOverrides sets to null ' +
    '(for example { grafana: ["grafana.ini.analytics"] }; set it in .projenrc.ts)';
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new InvalidOptionError(option, value, shape);
  const result: Record<string, ValuesOverridesDeletion[]> = {};
  for (const [part, paths] of Object.entries(value)) {
    if (!Array.isArray(paths)) {
      throw new InvalidOptionError(`${option}.${part}`, paths, 'is not a list of dotted paths (for example ["grafana.ini.analytics"])');
    }
    result[part] = paths.map((p, i) => {
      if (typeof p !== 'string' || p === '' || p.startsWith('.') || p.endsWith('.')) {
        throw new InvalidOptionError(`${option}.${part}[${i}]`, p,
          'is not a dotted path of a key in valuesOverrides (keys joined with ".", for example "grafana.ini.analytics")');
      }
      return { path: p, option: `${option}.${part}[${i}]` };
    });
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
  return checkRetention(option, s, HOUR, 'logs are kept at least 1h (Loki: 24h) and at most 100y, for example "7d"');
}


/** A key of a Secret's data: alphanumerics, "-", "_" and ".". */
function checkSecretKey(option: string, value: unknown): string {
  const s = checkString(option, value);
  if (!/^[-._a-zA-Z0-9]+$/.test(s) || s.length > 253) {
    throw new InvalidOptionError(option, value, 'is not a valid Secret key: use letters, digits, "-", "_" and "." (for example "admin-password")');
  }
  if (looksLikeSecretValue(s)) {
    throw new InvalidOptionError(option, REDACTED,
      'looks like a secret, not the name of a key in a Secret: give the key under which the Secret holds the credential (for example "url" or "routing-key"), and put the credential itself in the Secret');
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

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MAX_RETENTION = 100 * 365 * DAY;

/** A retention: at least `min`, at most 100 years (Prometheus durations overflow past ~292y). */
function checkRetention(option: string, duration: string, min: number, why: string): string {
  return checkDurationBounds(option, duration, min, MAX_RETENTION, why);
}

/**
 * A scrape interval: at least 1s, and at most 5m: Prometheus looks back 5m for the last sample
 * of a series (the lookback delta), so with a longer interval every series is absent between
 * scrapes and every query and alert sees gaps.
 */
function checkScrapeInterval(option: string, value: unknown): string {
  return checkDurationBounds(option, checkPromDuration(option, value), 1000, 5 * 60_000,
    'Prometheus scrapes every 1s at most and forgets a series 5m after its last sample (the lookback delta), so use 1s to 5m, for example "30s"');
}

/** A duration that may be zero, at most `max`. */
function checkMaxDuration(option: string, duration: string, max: number, why: string): string {
  if (promDurationMs(duration) > max) throw new InvalidOptionError(option, duration, `is too long: ${why}`);
  return duration;
}

/** Tempo's block retention: at least 1h (its compaction window), at most 100y. */
function checkTempoRetention(option: string, duration: string): string {
  const ms = goDurationMs(duration);
  if (ms < HOUR || ms > MAX_RETENTION) {
    throw new InvalidOptionError(option, duration, `is ${ms === 0 ? 'zero' : ms < HOUR ? 'under 1h' : 'over 100 years'}: Tempo keeps blocks from 1h to 100y (876000h), for example "336h" for 14 days`);
  }
  return duration;
}

/** A PromQL expression that parses; the error points at the option and puts a caret under the problem. */
function checkPromQL(option: string, expr: string): string {
  const problem = findExpressionProblem('promql', expr);
  if (problem) {
    const excerpt = problem.excerpt.split('\n').map((l) => `    ${l}`).join('\n');
    throw new InvalidOptionError(option, expr, `is not valid PromQL (line ${problem.line}, column ${problem.column}):\n${excerpt}`);
  }
  return expr;
}
