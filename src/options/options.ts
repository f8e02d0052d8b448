import { javascript } from 'projen';

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
   * @default "https://kubernetes.default.svc" (the cluster Argo CD runs in)
   */
  readonly server?: string;
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
  /** The standalone `prometheus` chart (with its Alertmanager, node-exporter, kube-state-metrics) and the standalone `grafana` chart. */
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
   * Number of Prometheus replicas.
   * @default 1
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
  JAVA = 'java',
  NODEJS = 'nodejs',
  PYTHON = 'python',
  DOTNET = 'dotnet',
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
   * Generate and keep README.md in sync with the stack. Set to false to own
   * README.md yourself.
   * @default true
   */
  readonly generatedReadme?: boolean;
}
