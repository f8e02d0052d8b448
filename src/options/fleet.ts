import type { AlertingOptions, GrafanaOptions, LogsOptions, MetricsOptions, TracesOptions } from './options';

/*
 * Options for growing past one cluster: environments, how Argo CD gets the
 * fleet, profiles, object storage and sizing. Public (jsii) structs and enums.
 */

/**
 * Defaults by size. A profile only picks defaults: every option set
 * explicitly still wins.
 */
export enum Profile {
  /**
   * One small cluster (k3s-friendly): one Prometheus (requesting 100m CPU and
   * 512Mi), single-binary Loki and Tempo on local disk. The embedded defaults.
   */
  SINGLE_NODE = 'single-node',
  /**
   * High availability on every cluster: two Prometheus replicas, an
   * Alertmanager cluster of three, two Grafana replicas,
   * PodDisruptionBudgets and pod anti-affinity.
   */
  HA = 'ha',
  /**
   * Distributed backends on object storage, run on each environment's
   * central cluster: Grafana Mimir (or Thanos, or federation) for metrics,
   * Loki in distributed mode, Tempo distributed. The other clusters ship
   * their metrics, logs and spans to it. Needs `objectStorage`.
   */
  DISTRIBUTED = 'distributed',
}

/**
 * How the Argo CD Applications of a fleet are generated.
 */
export enum FleetMode {
  /** One Application per part and cluster, in one folder per cluster (`argocd/<env>/apps/<cluster>/`). */
  APPLICATIONS = 'applications',
  /** One ApplicationSet per part (and environment) that generates the per-cluster Applications. */
  APPLICATION_SETS = 'application-sets',
}

/**
 * Which ApplicationSet generator lists the clusters (with `FleetMode.APPLICATION_SETS`).
 */
export enum ApplicationSetGenerator {
  /** A list generator: the clusters of `.projenrc.ts`, written into each ApplicationSet. */
  LIST = 'list',
  /**
   * Argo CD's cluster generator: every cluster registered in Argo CD whose
   * cluster Secret carries the label `obs-gitops.io/environment: <env>` (and
   * `obs-gitops.io/cluster: <name>`). The clusters must still be listed in
   * `clusters`: their values and manifests folders are generated from it.
   */
  CLUSTERS = 'clusters',
}

/**
 * An environment (for example dev, staging, prod): a group of clusters with
 * its own Argo CD root Application and AppProject, and overrides of the
 * project-wide options.
 *
 * Overrides are deep-merged over the project-wide option of the same name:
 * `metrics: { retention: '3d' }` changes the retention and keeps everything
 * else. Lists replace the project-wide list.
 */
export interface EnvironmentOptions {
  /** Name of the environment (DNS-1123 label), for example "prod". */
  readonly name: string;

  /**
   * Profile of this environment.
   * @default - the project's `profile`
   */
  readonly profile?: Profile;

  /**
   * Metrics overrides (retention, replicas, resources, ...).
   * @default - the project's `metrics`
   */
  readonly metrics?: MetricsOptions;

  /**
   * Grafana overrides.
   * @default - the project's `grafana`
   */
  readonly grafana?: GrafanaOptions;

  /**
   * Logs overrides.
   * @default - the project's `logs`
   */
  readonly logs?: LogsOptions;

  /**
   * Traces overrides (for example `samplerRatio: 0.1` in prod).
   * @default - the project's `traces`
   */
  readonly traces?: TracesOptions;

  /**
   * Alert routing overrides: `receivers`, `pagingReceiver`, `chatReceiver`,
   * `groupBy`, `groupWait`, `groupInterval`, `repeatInterval`. Rule packs,
   * thresholds, `for` durations and custom rules are project-wide, so every
   * environment runs the same unit-tested rules.
   * @default - the project's `alerting`
   */
  readonly alerting?: AlertingOptions;

  /**
   * Object storage of this environment's distributed backends.
   * @default - the project's `objectStorage`
   */
  readonly objectStorage?: ObjectStorageOptions;

  /**
   * Expected load of this environment, for the sizing helper.
   * @default - the project's `sizing`
   */
  readonly sizing?: SizingOptions;

  /**
   * Helm values overrides for this environment, keyed by part name, merged
   * over the project-wide `valuesOverrides`. Keys are checked against the chart.
   * @default - none
   */
  readonly valuesOverrides?: { [part: string]: any };

  /**
   * Sections this environment's `valuesOverrides` delete on purpose (a null on
   * a key that holds a map), keyed by part name, added to the project-wide
   * `valuesOverridesDeletions` (see there). Each path must name a null in the
   * environment's merged `valuesOverrides` of that part.
   * @default - the project's `valuesOverridesDeletions`
   */
  readonly valuesOverridesDeletions?: { [part: string]: string[] };

  /**
   * Chart versions for this environment, merged over the project-wide
   * `chartVersions`: try a new chart in dev before prod (for example
   * `{ loki: '18.12.0' }`).
   * @default - the project's chart versions
   */
  readonly chartVersions?: { [chart: string]: string };
}

/**
 * Object storage providers the distributed backends can use.
 */
export enum ObjectStorageProvider {
  /** Amazon S3 or an S3-compatible store (MinIO, Ceph RGW, R2) with `endpoint`. */
  S3 = 's3',
  /** Google Cloud Storage. */
  GCS = 'gcs',
  /** Azure Blob Storage. */
  AZURE = 'azure',
}

/**
 * Object storage for Mimir/Thanos, Loki and Tempo. Credentials are never
 * written to Git: they come from a Kubernetes Secret you create in each
 * backend's namespace, by reference.
 *
 * The Secret's keys by provider: S3 `AWS_ACCESS_KEY_ID` and
 * `AWS_SECRET_ACCESS_KEY`, Azure `AZURE_STORAGE_ACCOUNT_KEY` (passed to the
 * backends as environment variables); GCS `gcs.json`, the service account
 * key (mounted as a file, named by `GOOGLE_APPLICATION_CREDENTIALS`). Leave
 * `secretName` out to use workload identity (IRSA, GKE Workload Identity,
 * Azure Workload Identity) instead. Thanos reads its own `thanos-objstore`
 * Secret (see the generated README).
 */
export interface ObjectStorageOptions {
  /** The provider. */
  readonly provider: ObjectStorageProvider;

  /**
   * Bucket (container, for Azure) of the metrics backend.
   * @default "obs-metrics"
   */
  readonly metricsBucket?: string;

  /**
   * Bucket of the logs backend (Loki chunks and index; the ruler uses `<bucket>-ruler`).
   * @default "obs-logs"
   */
  readonly logsBucket?: string;

  /**
   * Bucket of the traces backend.
   * @default "obs-traces"
   */
  readonly tracesBucket?: string;

  /**
   * S3 endpoint host (and port), for S3-compatible stores, for example
   * `minio.storage.svc:9000`; leave out for AWS.
   * @default - the AWS endpoint of `region`
   */
  readonly endpoint?: string;

  /**
   * S3 region.
   * @default - none (required for AWS S3)
   */
  readonly region?: string;

  /**
   * Plain HTTP to an S3-compatible endpoint.
   * @default false
   */
  readonly insecure?: boolean;

  /**
   * Azure storage account name.
   * @default - none (required with ObjectStorageProvider.AZURE)
   */
  readonly azureAccountName?: string;

  /**
   * Name of the Secret with the credentials (see the struct's description for its keys).
   * @default - no Secret: workload identity
   */
  readonly secretName?: string;
}

/**
 * Expected load, from which the sizing helper derives replicas, resources
 * and storage (formulas in the README). The result is visible in the
 * generated values files.
 */
export interface SizingOptions {
  /**
   * Active series across one cluster's Prometheus (or, distributed, across
   * the environment's clusters in Mimir).
   * @default - not sized: the profile's defaults
   */
  readonly activeSeries?: number;

  /**
   * Log volume per day, in GiB (the environment's total, distributed).
   * @default - not sized
   */
  readonly logGbPerDay?: number;

  /**
   * Spans per second (the environment's total, distributed).
   * @default - not sized
   */
  readonly spansPerSecond?: number;
}

/**
 * Where each cluster's metrics go beyond its own Prometheus.
 */
export enum MetricsBackend {
  /** Each cluster's Prometheus keeps its own metrics (the default outside the distributed profile). */
  PROMETHEUS = 'prometheus',
  /** Prometheus remote-writes to a central Grafana Mimir on object storage. */
  MIMIR = 'mimir',
  /** The Thanos sidecar uploads blocks to object storage; a central Thanos queries them. */
  THANOS = 'thanos',
  /** The central Prometheus federates (`/federate`) the other clusters' Prometheus. */
  FEDERATION = 'federation',
}

/**
 * How Loki runs.
 */
export enum LokiMode {
  /** One binary on a persistent volume. */
  SINGLE_BINARY = 'single-binary',
  /** Read, write and backend targets on object storage. */
  SIMPLE_SCALABLE = 'simple-scalable',
  /** Every component separately (microservices) on object storage. */
  DISTRIBUTED = 'distributed',
}

/**
 * How Tempo runs.
 */
export enum TempoMode {
  /** One binary (the `tempo` chart): blocks on a volume, or on object storage with the distributed profile. */
  MONOLITHIC = 'monolithic',
  /**
   * Every component separately (the `tempo-distributed` chart, Tempo 3) on
   * object storage. Tempo 3 ingests through Kafka: needs `traces.kafkaAddress`.
   */
  DISTRIBUTED = 'distributed',
}
