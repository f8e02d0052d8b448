import { javascript } from 'projen';
import type { CentralAuthOptions } from './central-auth';
import {
  ApplicationSetGenerator, EnvironmentOptions, FleetMode, LokiMode, MetricsBackend, ObjectStorageOptions, Profile, SizingOptions, TempoMode,
} from './fleet';
import { HeartbeatOptions } from './heartbeat';
import type { UpgradeWorkflowOptions } from './upgrade-workflow-options';

/**
 * A Kubernetes cluster the stack is deployed to, as Argo CD knows it.
 *
 * The stack is modelled as a list of clusters from the start: one cluster is
 * the common case, a fleet is the same model with more entries.
 */
export interface ClusterOptions {
  /**
   * Name of the cluster (DNS-1123 label). It becomes the `cluster` external
   * label of its metrics and names its folder under `argocd/apps/`.
   */
  readonly name: string;

  /**
   * The Kubernetes API server URL Argo CD deploys to (`destination.server`).
   *
   * Two clusters cannot share a destination (URLs compared with scheme and
   * host in lower case, without the default port and trailing slash; an
   * unset `server` counts as the default): at most one cluster may leave both
   * `server` and `destinationName` unset.
   * @default "https://kubernetes.default.svc" (the cluster Argo CD runs in)
   */
  readonly server?: string;

  /**
   * The cluster's name in Argo CD (`destination.name`), instead of `server`.
   *
   * Unique among the clusters; `"in-cluster"` is Argo CD's name of
   * "https://kubernetes.default.svc".
   * @default - `server` is used
   */
  readonly destinationName?: string;

  /**
   * The environment the cluster belongs to (one of `environments`).
   * @default - required when `environments` are declared; none otherwise
   */
  readonly environment?: string;

  /**
   * Region, for example "eu-west-1". Becomes the `region` external label of
   * its metrics and an ApplicationSet parameter.
   * @default - none
   */
  readonly region?: string;

  /**
   * Further labels of the cluster: external labels of its metrics and
   * ApplicationSet parameters.
   * @default - none
   */
  readonly labels?: { [key: string]: string };

  /**
   * With the distributed profile: this cluster runs the environment's central
   * backends (Mimir or Thanos, Loki, Tempo) and Grafana; the other clusters
   * of the environment ship their data to it.
   * @default - the only cluster of its environment is central
   */
  readonly central?: boolean;

  /**
   * URL of this cluster's Prometheus as the central cluster reaches it, for
   * `MetricsBackend.FEDERATION` (for example `https://prometheus.eu-1.example.com`).
   * @default - none (required for non-central clusters with federation)
   */
  readonly prometheusUrl?: string;

  /**
   * `host:port` of this cluster's Thanos sidecar gRPC endpoint (port 10901 in
   * the cluster) as the central cluster reaches it, for
   * `MetricsBackend.THANOS` (for example `thanos-sidecar.eu-1.example.com:10901`).
   * The central Thanos Query adds it to its endpoints, so the last two hours
   * of this cluster (not yet uploaded to the bucket) show in Grafana. Exposing
   * the sidecar (kube-prometheus-stack's `prometheus.thanosServiceExternal`,
   * or an Ingress with TLS) is yours to set up.
   * @default - none: the cluster's metrics reach Grafana through the bucket only, up to two hours late (the synth warns)
   */
  readonly thanosSidecarAddress?: string;
}

/**
 * A persistent volume claim: size and storage class.
 */
export interface StorageOptions {
  /**
   * Size of the volume, a Kubernetes quantity such as `50Gi`.
   * @default - depends on the part (see its option)
   */
  readonly size?: string;

  /**
   * Storage class of the volume.
   * @default - the cluster's default storage class
   */
  readonly storageClassName?: string;
}

/**
 * CPU and memory requests and limits of a workload (Kubernetes quantities).
 */
export interface ResourcesOptions {
  /**
   * CPU request, e.g. `500m`.
   * @default - none
   */
  readonly cpuRequest?: string;
  /**
   * Memory request, e.g. `2Gi`.
   * @default - none
   */
  readonly memoryRequest?: string;
  /**
   * CPU limit, e.g. `2`.
   * @default - none
   */
  readonly cpuLimit?: string;
  /**
   * Memory limit, e.g. `4Gi`.
   * @default - none
   */
  readonly memoryLimit?: string;
}

/** Which charts run Prometheus and Grafana. */
export enum MetricsFlavor {
  /** kube-prometheus-stack: prometheus-operator, Prometheus, Alertmanager, Grafana, node-exporter, kube-state-metrics. */
  KUBE_PROMETHEUS_STACK = 'kube-prometheus-stack',
  /**
   * The standalone `prometheus` chart (with its Alertmanager, node-exporter, kube-state-metrics) and the standalone `grafana` chart.
   * The chart keeps every rule and scrape job in one ConfigMap (at most 1 MiB): about 50 services with two SLOs each
   * fit; synth refuses more (use KUBE_PROMETHEUS_STACK, whose PrometheusRule objects are split by size).
   */
  STANDALONE = 'standalone',
}

/**
 * Metrics: Prometheus, Alertmanager, node-exporter, kube-state-metrics,
 * optionally metrics-server.
 */
export interface MetricsOptions {
  /**
   * Deploy the metrics stack.
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * Which charts run Prometheus.
   * @default MetricsFlavor.KUBE_PROMETHEUS_STACK
   */
  readonly flavor?: MetricsFlavor;

  /**
   * Namespace the metrics stack (and Grafana) runs in.
   * @default "monitoring"
   */
  readonly namespace?: string;

  /**
   * How long Prometheus keeps samples (a Prometheus duration such as `15d`).
   * @default "15d"
   */
  readonly retention?: string;

  /**
   * Maximum size of Prometheus' TSDB before the oldest blocks are deleted
   * (Prometheus size units: `B`, `KB`, `MB`, `GB`, `TB`, `PB`, e.g. `45GB`).
   * Keep it below the volume size.
   * @default - no size limit
   */
  readonly retentionSize?: string;

  /**
   * Prometheus' persistent volume.
   * @default - 50Gi on the default storage class
   */
  readonly storage?: StorageOptions;

  /**
   * Prometheus' CPU and memory.
   * @default - the chart's defaults (none)
   */
  readonly resources?: ResourcesOptions;

  /**
   * Default scrape interval (a Prometheus duration).
   * @default "30s"
   */
  readonly scrapeInterval?: string;

  /**
   * Number of Prometheus replicas. Must be 1 with `MetricsBackend.MIMIR`:
   * Mimir would store each replica's copy of every series (its HA tracker,
   * which drops the copies, needs Consul or etcd).
   * @default - 2 with the HA profile (unless the backend is Mimir), 1 otherwise
   */
  readonly prometheusReplicas?: number;

  /**
   * Deploy Alertmanager.
   * @default true
   */
  readonly alertmanager?: boolean;

  /**
   * Number of Alertmanager replicas; more than one forms an HA cluster.
   * @default 1
   */
  readonly alertmanagerReplicas?: number;

  /**
   * Deploy node-exporter.
   * @default true
   */
  readonly nodeExporter?: boolean;

  /**
   * Deploy kube-state-metrics.
   * @default true
   */
  readonly kubeStateMetrics?: boolean;

  /**
   * Deploy metrics-server (resource metrics for `kubectl top` and HPAs), in kube-system.
   * @default false
   */
  readonly metricsServer?: boolean;

  /**
   * Where metrics go beyond each cluster's Prometheus.
   * @default - MetricsBackend.MIMIR with the distributed profile, MetricsBackend.PROMETHEUS otherwise
   */
  readonly backend?: MetricsBackend;

  /**
   * Remote-write URL of the central Mimir as the non-central clusters reach it
   * (http or https), for example `https://mimir.example.com/api/v1/push`.
   * @default - none (required when an environment has clusters that are not central)
   */
  readonly remoteWriteUrl?: string;
}

/** How Grafana is reached from outside the cluster. */
export enum GrafanaExposure {
  /** A ClusterIP Service only (use `kubectl port-forward`). */
  CLUSTER_IP = 'cluster-ip',
  /** A NodePort Service on `grafana.nodePort`. */
  NODE_PORT = 'node-port',
  /** An Ingress on `grafana.ingressHost`, with TLS from `grafana.ingressTlsSecretName`. */
  INGRESS = 'ingress',
}

/**
 * Grafana: datasources for every backend of the stack, wired to each other.
 */
export interface GrafanaOptions {
  /**
   * Deploy Grafana (needs metrics on).
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * Name of an existing Kubernetes Secret (in the metrics namespace) that holds
   * the Grafana admin user and password. Credentials are never written to Git.
   * @default "grafana-admin-credentials"
   */
  readonly adminSecretName?: string;

  /**
   * Key of the admin user name in the admin Secret.
   * @default "admin-user"
   */
  readonly adminUserKey?: string;

  /**
   * Key of the admin password in the admin Secret.
   * @default "admin-password"
   */
  readonly adminPasswordKey?: string;

  /**
   * How Grafana is exposed.
   * @default GrafanaExposure.CLUSTER_IP
   */
  readonly exposure?: GrafanaExposure;

  /**
   * Node port with `GrafanaExposure.NODE_PORT` (30000-32767).
   * @default 30300
   */
  readonly nodePort?: number;

  /**
   * Host name of the Ingress; required with `GrafanaExposure.INGRESS`.
   * @default - none
   */
  readonly ingressHost?: string;

  /**
   * Ingress class of the Ingress.
   * @default - the cluster's default ingress class
   */
  readonly ingressClassName?: string;

  /**
   * Name of an existing TLS Secret for the Ingress host.
   * @default - no TLS
   */
  readonly ingressTlsSecretName?: string;

  /**
   * Grafana's persistent volume (SQLite database, plugins).
   * @default - no persistence: dashboards and datasources are provisioned from Git
   */
  readonly persistence?: StorageOptions;
}

/** Where logs are stored. */
export enum LogsBackend {
  /** Grafana Loki (the `loki` chart, single binary on a filesystem volume). */
  LOKI = 'loki',
  /** Elasticsearch and Kibana (archived elastic charts), fed by Fluentd. */
  ELASTICSEARCH = 'elasticsearch',
  /** The legacy `loki-stack` chart (deprecated), for existing users. */
  LOKI_STACK = 'loki-stack',
}

/** Which agent ships the nodes' container logs. */
export enum LogCollector {
  /** Grafana Alloy (replaces Promtail and Grafana Agent). */
  ALLOY = 'alloy',
  /** Fluent Bit. */
  FLUENT_BIT = 'fluent-bit',
  /** Fluentd. */
  FLUENTD = 'fluentd',
  /** Promtail (deprecated, end of life 2026-03-02). */
  PROMTAIL = 'promtail',
}

/**
 * Logs: a backend and a collector on every node.
 */
export interface LogsOptions {
  /**
   * Deploy the logs stack.
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * Where logs are stored.
   * @default LogsBackend.LOKI
   */
  readonly backend?: LogsBackend;

  /**
   * Which agents ship the nodes' container logs. Usually one; two (for example
   * Fluentd and Promtail while migrating) each ship every collected namespace,
   * so expect duplicates unless their backends differ.
   * @default - [LogCollector.ALLOY] for Loki, [LogCollector.FLUENTD] for Elasticsearch, none for loki-stack (it bundles Promtail)
   */
  readonly collectors?: LogCollector[];

  /**
   * Namespace the logs stack runs in.
   * @default "logging"
   */
  readonly namespace?: string;

  /**
   * How long logs are kept (a duration such as `7d` or `168h`).
   * @default "7d"
   */
  readonly retention?: string;

  /**
   * The backend's persistent volume.
   * @default - 10Gi on the default storage class (30Gi for Elasticsearch)
   */
  readonly storage?: StorageOptions;

  /**
   * Collect logs only from these namespaces.
   * @default - every namespace
   */
  readonly includeNamespaces?: string[];

  /**
   * Never collect logs from these namespaces.
   * @default - none
   */
  readonly excludeNamespaces?: string[];

  /**
   * How Loki runs.
   * @default - LokiMode.DISTRIBUTED with the distributed profile, LokiMode.SINGLE_BINARY otherwise
   */
  readonly mode?: LokiMode;

  /**
   * Push URL of the central Loki as the non-central clusters reach it, for
   * example `https://loki.example.com/loki/api/v1/push`.
   * @default - none (required with the distributed profile when an environment has non-central clusters)
   */
  readonly pushUrl?: string;
}

/** Where traces are sent. */
export enum TracesBackend {
  /** Grafana Tempo in the cluster (the `tempo` chart, local storage). */
  TEMPO = 'tempo',
  /** An existing OTLP endpoint (`traces.otlpEndpoint`). */
  OTLP_ENDPOINT = 'otlp-endpoint',
}

/** Languages the OpenTelemetry operator can auto-instrument. */
export enum InstrumentationLanguage {
  /** Java: the OpenTelemetry Java agent (annotation `instrumentation.opentelemetry.io/inject-java`). */
  JAVA = 'java',
  /** Node.js: the OpenTelemetry Node.js auto-instrumentation (`inject-nodejs`). */
  NODEJS = 'nodejs',
  /** Python: the OpenTelemetry Python auto-instrumentation (`inject-python`). */
  PYTHON = 'python',
  /** .NET: the OpenTelemetry .NET auto-instrumentation (`inject-dotnet`). */
  DOTNET = 'dotnet',
  /**
   * Go: eBPF-based auto-instrumentation (`inject-go`); the operator adds a
   * privileged sidecar, so enable it only for Go services that need it.
   */
  GO = 'go',
}

/**
 * Traces: Tempo, the OpenTelemetry operator, a gateway collector and
 * auto-instrumentation.
 */
export interface TracesOptions {
  /**
   * Deploy the traces stack.
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * Where traces go.
   * @default TracesBackend.TEMPO
   */
  readonly backend?: TracesBackend;

  /**
   * OTLP gRPC endpoint (`host:port`) traces are exported to with `TracesBackend.OTLP_ENDPOINT`.
   * @default - none
   */
  readonly otlpEndpoint?: string;

  /**
   * Namespace Tempo and the gateway collector run in.
   * @default "tracing"
   */
  readonly namespace?: string;

  /**
   * Namespace of the OpenTelemetry operator.
   * @default "opentelemetry-operator-system"
   */
  readonly operatorNamespace?: string;

  /**
   * How long Tempo keeps traces (a Go duration such as `336h`; no `d` unit).
   * @default "336h"
   */
  readonly retention?: string;

  /**
   * Tempo's persistent volume.
   * @default - 10Gi on the default storage class
   */
  readonly storage?: StorageOptions;

  /**
   * Fraction of traces sampled by auto-instrumented workloads (0..1), parent-based.
   * @default 1
   */
  readonly samplerRatio?: number;

  /**
   * Languages of the generated Instrumentation resource.
   * @default - all: java, nodejs, python, dotnet, go
   */
  readonly instrumentationLanguages?: InstrumentationLanguage[];

  /**
   * How Tempo runs.
   * @default - TempoMode.DISTRIBUTED with the distributed profile, TempoMode.MONOLITHIC otherwise
   */
  readonly mode?: TempoMode;

  /**
   * Kafka brokers (`host:port`) Tempo 3 distributed ingests through (`TempoMode.DISTRIBUTED`).
   * @default - none (required with TempoMode.DISTRIBUTED)
   */
  readonly kafkaAddress?: string;
}

/** How Prometheus discovers a service's pods. */
export enum MonitorKind {
  /** A ServiceMonitor on the Kubernetes Service (the port is a Service port name). */
  SERVICE_MONITOR = 'service-monitor',
  /** A PodMonitor on the pods (the port is a container port name). */
  POD_MONITOR = 'pod-monitor',
}

/** What an SLO measures. */
export enum SloKind {
  /** The share of requests that do not fail (status code not 5xx). */
  AVAILABILITY = 'availability',
  /** The share of requests faster than `latencyThresholdSeconds`. */
  LATENCY = 'latency',
}

/**
 * A service level objective of a service, alerted on with multi-window,
 * multi-burn-rate alerts (Google SRE workbook): page on a fast burn, ticket
 * on a slow burn.
 */
export interface SloOptions {
  /** What the SLO measures. */
  readonly kind: SloKind;

  /**
   * Target in percent, strictly between 50 and 100 (e.g. 99.9; not the
   * fraction 0.999).
   */
  readonly objective: number;

  /**
   * SLO window (a Prometheus duration).
   * @default "30d"
   */
  readonly window?: string;

  /**
   * With `SloKind.LATENCY`: requests faster than this count as good, in
   * seconds (at most 60). Must be an upper bound (`le`) of the service's
   * duration histogram (checked against `histogramBuckets` when declared).
   * @default 0.3
   */
  readonly latencyThresholdSeconds?: number;
}

/**
 * A service of yours that the stack watches: scraped, dashboarded, alerted on.
 */
export interface ServiceOptions {
  /** Service name (DNS-1123 label), as its Kubernetes Service / app label. */
  readonly name: string;

  /** Namespace the service runs in. */
  readonly namespace: string;

  /** Name of the port that serves metrics (a Service port name, or a container port name with `MonitorKind.POD_MONITOR`). */
  readonly port: string;

  /**
   * Path of the metrics endpoint.
   * @default "/metrics"
   */
  readonly metricsPath?: string;

  /**
   * Scrape interval (a Prometheus duration).
   * @default - metrics.scrapeInterval
   */
  readonly scrapeInterval?: string;

  /**
   * Labels that select the service's Service (or pods).
   * @default - { "app.kubernetes.io/name": name }
   */
  readonly selector?: { [label: string]: string };

  /**
   * ServiceMonitor or PodMonitor.
   * @default MonitorKind.SERVICE_MONITOR
   */
  readonly monitor?: MonitorKind;

  /**
   * Opt the service into OpenTelemetry auto-instrumentation for this language.
   * @default - not instrumented
   */
  readonly language?: InstrumentationLanguage;

  /**
   * Counter of HTTP requests.
   * @default "http_requests_total"
   */
  readonly requestsMetric?: string;

  /**
   * Histogram of HTTP request durations in seconds (base name, without `_bucket`).
   * @default "http_request_duration_seconds"
   */
  readonly durationMetric?: string;

  /**
   * Label of the requests metric that carries the HTTP status code.
   * @default "code"
   */
  readonly statusLabel?: string;

  /**
   * Error ratio (0..1) above which the service's error-rate alert fires.
   * @default 0.05
   */
  readonly errorRateThreshold?: number;

  /**
   * p99 latency in seconds above which the service's latency alert fires
   * (at most 60; below the largest of `histogramBuckets` when declared).
   * @default 1
   */
  readonly latencyThresholdSeconds?: number;

  /**
   * Upper bounds (`le`, in seconds, without +Inf) of the buckets of
   * `durationMetric`, as the service exposes them, e.g. the Prometheus Go
   * client's defaults [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10].
   * When declared, every latency SLO's threshold must be one of them and the
   * p99 alert's threshold must be below the largest.
   * @default - not declared: thresholds are not checked against the buckets
   */
  readonly histogramBuckets?: number[];

  /**
   * Service level objectives.
   * @default - none
   */
  readonly slos?: SloOptions[];
}

/** A pack of alert rules the library generates. */
export enum RulePack {
  /** Per service: error rate and latency (and the SLO burn-rate alerts). */
  GOLDEN_SIGNALS = 'golden-signals',
  /** Crash looping, OOMKilled, pods not ready, replicas mismatch, memory near limits. */
  WORKLOADS = 'workloads',
  /** Disk running out, memory and CPU pressure, node not ready. */
  NODES = 'nodes',
  /** The stack itself: Prometheus, Alertmanager, Loki, Tempo, the collector, Argo CD. */
  STACK = 'stack',
  /**
   * The telemetry pipelines, where they run: log agents failing to push (Alloy, Fluent Bit,
   * Fluentd, Promtail), Loki's compactor, Tempo's storage, compaction and Kafka ingest,
   * Mimir, Thanos, object storage.
   */
  PIPELINES = 'pipelines',
  /**
   * The cluster where kube-prometheus-stack's default rules do not run (MetricsFlavor.STANDALONE):
   * API server, kubelets and their certificates, volumes, DaemonSets, Jobs, CronJobs, HPAs,
   * predicted disk fill, Prometheus and Alertmanager failures, and the Watchdog heartbeat.
   * Generates nothing with kube-prometheus-stack, whose mixin rules cover the same.
   */
  CLUSTER = 'cluster',
}

/** Where Alertmanager sends notifications. */
export enum ReceiverType {
  /** Slack incoming webhook (the Secret key holds the webhook URL; `channel` picks the channel). */
  SLACK = 'slack',
  /** Email over SMTP (the Secret key holds the SMTP password when `authUsername` is set). */
  EMAIL = 'email',
  /** PagerDuty Events API v2 (the Secret key holds the routing key). */
  PAGERDUTY = 'pagerduty',
  /** A generic webhook (the Secret key holds the URL, read by Alertmanager as `url_file`). */
  WEBHOOK = 'webhook',
  /** Microsoft Teams incoming webhook (the Secret key holds the webhook URL). */
  MSTEAMS = 'msteams',
}

/**
 * An Alertmanager receiver. Its credential (Slack or Teams webhook URL,
 * PagerDuty routing key, webhook URL, SMTP password) is read from a key of
 * an existing Kubernetes Secret mounted into Alertmanager: never from Git.
 */
export interface ReceiverOptions {
  /** Receiver name (used in routes). */
  readonly name: string;

  /** Kind of receiver. */
  readonly type: ReceiverType;

  /** Existing Secret (in the metrics namespace) that holds the credential. */
  readonly secretName: string;

  /** Key of the credential in the Secret. */
  readonly secretKey: string;

  /**
   * Slack channel (`#alerts`).
   * @default - the webhook's default channel
   */
  readonly channel?: string;

  /**
   * Email: recipient address. Required for `ReceiverType.EMAIL`.
   * @default - none
   */
  readonly to?: string;

  /**
   * Email: sender address. Required for `ReceiverType.EMAIL`.
   * @default - none
   */
  readonly from?: string;

  /**
   * Email: SMTP server `host:port`. Required for `ReceiverType.EMAIL`.
   * @default - none
   */
  readonly smarthost?: string;

  /**
   * Email: SMTP user name (the password is the Secret's key).
   * @default - no authentication
   */
  readonly authUsername?: string;
}

/** Severity of an alert: routes critical to paging, warning to chat. */
export enum Severity {
  /** Someone must act now: routed to the paging receiver. */
  CRITICAL = 'critical',
  /** Needs attention soon: routed to the chat receiver. */
  WARNING = 'warning',
  /** For context only: visible in Alertmanager and Grafana, never sent. */
  INFO = 'info',
}

/**
 * A change to one default alert (`alerting.ruleOverrides`).
 */
export interface AlertRuleOverride {
  /** Name of the alert (a rule pack's, a per-service alert, or a kube-prometheus-stack default rule). */
  readonly alert: string;

  /**
   * Turn the alert off (for the chart's rules: `defaultRules.disabled`).
   * @default false
   */
  readonly disabled?: boolean;

  /**
   * How long the condition must hold before the alert fires (a Prometheus
   * duration; for the chart's rules: `customRules.<alert>.for`).
   * @default - the alert's default
   */
  readonly for?: string;

  /**
   * Severity label (for the chart's rules: `customRules.<alert>.severity`).
   * @default - the alert's default
   */
  readonly severity?: Severity;

  /**
   * Threshold, for an alert that has one (see its runbook for the unit and
   * range). The chart's rules and the per-service alerts take none here.
   * @default - the alert's default
   */
  readonly threshold?: number;
}

/** An alert rule of your own, added to the generated rules (its expression is parsed at synth). */
export interface CustomRuleOptions {
  /** Alert name (UpperCamelCase by convention); unique among all alerts. */
  readonly alert: string;
  /** PromQL expression. */
  readonly expr: string;
  /**
   * How long the expression must hold before the alert fires.
   * @default "5m"
   */
  readonly for?: string;
  /**
   * Severity label.
   * @default Severity.WARNING
   */
  readonly severity?: Severity;
  /** One-line summary annotation. */
  readonly summary: string;
  /**
   * Description annotation (may use `{{ $labels.x }}` and `{{ $value }}`).
   * @default - the summary
   */
  readonly description?: string;
  /**
   * Runbook URL.
   * @default - none
   */
  readonly runbookUrl?: string;
}

/**
 * Alert rules and Alertmanager routing.
 */
export interface AlertingOptions {
  /**
   * Alert rules of your own.
   * @default - none
   */
  readonly customRules?: CustomRuleOptions[];

  /**
   * Rule packs to generate.
   * @default - all packs
   */
  readonly rulePacks?: RulePack[];

  /**
   * Threshold overrides keyed by alert name, e.g. `{ NodeFilesystemRunningOut: 0.1 }`
   * (see the runbooks for each alert's threshold and unit).
   * @default - each alert's documented default
   */
  readonly thresholds?: { [alert: string]: number };

  /**
   * `for` duration overrides keyed by alert name, e.g. `{ KubePodCrashLooping: '10m' }`.
   * @default - each alert's documented default
   */
  readonly forDurations?: { [alert: string]: string };

  /**
   * Per-alert changes to the default rules: the stack's own (rule packs and
   * per-service alerts) and, with kube-prometheus-stack, the chart's default
   * (kubernetes-mixin) rules, e.g.
   * `[{ alert: 'KubePodCrashLooping', for: '30m' }, { alert: 'CPUThrottlingHigh', disabled: true }]`.
   * One entry per alert; unknown names are refused with a did-you-mean.
   * @default - none
   */
  readonly ruleOverrides?: AlertRuleOverride[];

  /**
   * Receivers. Critical alerts go to `pagingReceiver`, warnings to `chatReceiver`.
   * @default - none: notifications go to a receiver that drops them
   */
  readonly receivers?: ReceiverOptions[];

  /**
   * Receiver of critical alerts.
   * @default - the first PagerDuty receiver, else none
   */
  readonly pagingReceiver?: string;

  /**
   * Receiver of warnings.
   * @default - the first Slack or Teams receiver, else none
   */
  readonly chatReceiver?: string;

  /**
   * Labels alerts are grouped by.
   * @default ["alertname", "cluster", "namespace"]
   */
  readonly groupBy?: string[];

  /**
   * How long Alertmanager waits after the first alert of a new group before
   * notifying, so alerts that fire together arrive in one notification
   * (Alertmanager `route.group_wait`).
   *
   * @default "30s"
   */
  readonly groupWait?: string;

  /**
   * How long Alertmanager waits before notifying about new alerts added to a
   * group that has already notified (Alertmanager `route.group_interval`).
   *
   * @default "5m"
   */
  readonly groupInterval?: string;

  /**
   * How often a notification is sent again while its alerts keep firing
   * (Alertmanager `route.repeat_interval`).
   *
   * @default "4h"
   */
  readonly repeatInterval?: string;

  /**
   * The dead man's switch: Alertmanager sends the always-firing `Watchdog`
   * alert to this heartbeat monitor every `repeatInterval`; the monitor alarms
   * when the pings stop (Prometheus, Alertmanager or the path between them is
   * down). The URL comes from a key of an existing Secret.
   * @default - none: Watchdog goes nowhere and a dead alerting pipeline goes unnoticed (the README says so)
   */
  readonly heartbeat?: HeartbeatOptions;
}

/** A dashboard from grafana.com, by id and pinned revision. */
export interface CommunityDashboard {
  /** grafana.com dashboard id (e.g. 1860 for Node Exporter Full). */
  readonly gnetId: number;
  /** Pinned revision. */
  readonly revision: number;
  /**
   * Datasource the dashboard's `DS_PROMETHEUS`-style input maps to.
   * @default "prometheus"
   */
  readonly datasource?: string;
}

/**
 * Dashboards.
 */
export interface DashboardsOptions {
  /**
   * Generate the library's dashboards (cluster, nodes, logs, traces, stack health, per service).
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * grafana.com dashboards to provision through the Grafana chart.
   * @default - none
   */
  readonly community?: CommunityDashboard[];
}

/**
 * Argo CD itself.
 */
export interface ArgoCdOptions {
  /**
   * Let Argo CD manage itself with the argo-cd chart (an Application like any
   * other part), and generate `scripts/bootstrap.sh` for the first install.
   * @default false
   */
  readonly selfManaged?: boolean;

  /**
   * How the Applications of the fleet are generated.
   * @default FleetMode.APPLICATIONS
   */
  readonly fleetMode?: FleetMode;

  /**
   * Which generator the ApplicationSets use (with `FleetMode.APPLICATION_SETS`).
   * @default ApplicationSetGenerator.LIST
   */
  readonly applicationSetGenerator?: ApplicationSetGenerator;
}

/**
 * Options of `ObservabilityGitOpsProject`.
 */
export interface ObservabilityGitOpsProjectOptions extends javascript.NodeProjectOptions {
  /**
   * URL of the Git repository this project lives in. Argo CD reads the values
   * files and child Applications from it.
   *
   * @default - a placeholder, https://github.com/my-org/<name>.git: set it
   * @featured
   */
  readonly gitRepoUrl?: string;

  /**
   * Branch, tag or commit of the Git repository Argo CD tracks.
   * @default "main"
   * @featured
   */
  readonly gitRevision?: string;

  /**
   * Namespace Argo CD runs in (where the Application objects live).
   * @default "argocd"
   */
  readonly argocdNamespace?: string;

  /**
   * Name of the Argo CD AppProject of the stack.
   * @default "observability"
   */
  readonly appProjectName?: string;

  /**
   * Argo CD itself.
   * @default - Argo CD is installed by hand, not self-managed
   */
  readonly argocd?: ArgoCdOptions;

  /**
   * Clusters the stack is deployed to.
   * @default - one cluster "in-cluster" at https://kubernetes.default.svc
   */
  readonly clusters?: ClusterOptions[];

  /**
   * Environments (for example dev, staging, prod), each with its clusters,
   * its own root Application and AppProject, and overrides of these options.
   * @default - no environments: one root for every cluster
   */
  readonly environments?: EnvironmentOptions[];

  /**
   * Defaults by size: single node, HA, or distributed backends.
   * @default Profile.SINGLE_NODE
   */
  readonly profile?: Profile;

  /**
   * Object storage for the distributed backends (required by `Profile.DISTRIBUTED`
   * and by Loki's scalable modes).
   * @default - none
   */
  readonly objectStorage?: ObjectStorageOptions;

  /**
   * Expected load, from which replicas, resources and storage are derived.
   * @default - not sized: the profile's defaults
   */
  readonly sizing?: SizingOptions;

  /**
   * With `Profile.DISTRIBUTED`: how the clusters authenticate to the central
   * Loki, Mimir and Tempo (credentials from a Secret, never in Git) and which
   * tenant (`X-Scope-OrgID`) each writes as.
   * @default - tenant per cluster, basic auth from the Secret "obs-central-auth" (keys "username" and "password")
   */
  readonly centralAuth?: CentralAuthOptions;

  /**
   * Metrics stack settings.
   * @default - kube-prometheus-stack in "monitoring"
   */
  readonly metrics?: MetricsOptions;

  /**
   * Grafana settings.
   * @default - Grafana on, admin credentials from Secret "grafana-admin-credentials", ClusterIP
   */
  readonly grafana?: GrafanaOptions;

  /**
   * Logs stack settings.
   * @default - Loki with Grafana Alloy in "logging"
   */
  readonly logs?: LogsOptions;

  /**
   * Traces stack settings.
   * @default - Tempo, the OpenTelemetry operator, a gateway collector and auto-instrumentation in "tracing"
   */
  readonly traces?: TracesOptions;

  /**
   * Your services: each gets a ServiceMonitor or PodMonitor, a golden-signals
   * dashboard, alert rules, SLOs and, when asked, auto-instrumentation.
   * @default - none
   */
  readonly services?: ServiceOptions[];

  /**
   * Alert rules and Alertmanager routing.
   * @default - every rule pack, no receivers
   */
  readonly alerting?: AlertingOptions;

  /**
   * Dashboards.
   * @default - the library's dashboards, no community dashboards
   */
  readonly dashboards?: DashboardsOptions;

  /**
   * Chart versions that replace the catalog's pins, keyed by chart name (for
   * example `{ loki: '18.12.0' }`). Must be exact versions; a downgrade or a
   * new major version warns at synth.
   * @default - the catalog's pins
   */
  readonly chartVersions?: { [chart: string]: string };

  /**
   * Helm values deep-merged over the generated values of a stack part, keyed
   * by part name (for example `{ 'kube-prometheus-stack': { alertmanager: { enabled: false } } }`).
   * Every key is checked against the pinned chart's own values.
   *
   * For larger changes, add a user-owned file `values/overrides/<part>.yaml`:
   * Argo CD layers it after the generated one, and re-sync never touches it.
   *
   * @default - no overrides
   */
  readonly valuesOverrides?: { [part: string]: any };

  /**
   * Sections of a chart's values that `valuesOverrides` deletes on purpose, keyed by part name.
   *
   * Each entry is the dotted path of a key set to null in `valuesOverrides`
   * (keys joined with a dot, as written). A null on a key that holds a map (in
   * the chart's defaults or the generated values) deletes everything beneath
   * it when Helm merges the values, so it is refused unless listed here. For
   * example, to drop Grafana's whole `[analytics]` section:
   * `valuesOverrides: { grafana: { 'grafana.ini': { analytics: null } } }` with
   * `valuesOverridesDeletions: { grafana: ['grafana.ini.analytics'] }`.
   * Every path must name a null in `valuesOverrides` of that part.
   *
   * @default - no section may be deleted (a null is allowed on single values only)
   */
  readonly valuesOverridesDeletions?: { [part: string]: string[] };

  /**
   * Generate and keep README.md in sync with the stack. Set to false to own
   * README.md yourself.
   * @default true
   */
  readonly generatedReadme?: boolean;

  /**
   * How the weekly upgrade workflow opens its pull request: a token secret or a
   * GitHub App, so that `validate` runs on the pull request too.
   * @default - GITHUB_TOKEN (validate does not run on the pull request; needs the
   * repository setting "Allow GitHub Actions to create and approve pull requests")
   */
  readonly upgradeWorkflow?: UpgradeWorkflowOptions;
}
