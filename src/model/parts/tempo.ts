import { NO_CLUSTER_VALUES, NO_MANIFESTS, pinnedChart, storageClassField } from './chart-ref';
import { serviceMonitorsAvailable } from './metrics/prometheus-common';
import { TempoMode } from '../../options/fleet';
import { TracesBackend } from '../../options/options';
import { ResolvedOptions } from '../../options/resolve';
import { tempoSize } from '../../options/sizing';
import { centralAuthOf, gatewayAuthOn, gatewayBasicAuth, tenancyOn } from '../central-auth';
import { prometheusUrl } from '../endpoints';
import { needsExpandEnv, storageCredentials, tempoTraceStorage } from '../object-storage';
import { PartDefinition, SyncWave } from '../stack';

/**
 * Grafana Tempo in monolithic mode (the grafana-community `tempo` chart, a
 * single-replica StatefulSet): OTLP gRPC 4317 and HTTP 4318, the query API on
 * 3200 (Service `tempo`), blocks on a local PersistentVolume.
 */
export const tempo: PartDefinition = {
  name: 'tempo',
  build: (options) => {
    const { traces } = options;
    if (!tempoRuns(options)) return undefined;
    const distributed = traces.mode === TempoMode.DISTRIBUTED;
    const storage = options.objectStorage ? 'object storage' : `${traces.storage.size} local storage`;
    return {
      name: 'tempo',
      description: distributed
        ? `Grafana Tempo 3 (distributed, Kafka ingest): OTLP gRPC 4317 / HTTP 4318 on tempo-distributor, ${traces.retention} retention, object storage`
        : `Grafana Tempo (monolithic): OTLP gRPC 4317 / HTTP 4318, ${traces.retention} retention, ${storage}`,
      area: 'traces',
      chart: pinnedChart(distributed ? 'tempo-distributed' : 'tempo'),
      namespace: traces.namespace,
      wave: SyncWave.STACKS,
      serverSideApply: false,
      values: withTempoCentralAuth(options, distributed ? tempoDistributedValues(options) : tempoValues(options)),
      clusterValues: NO_CLUSTER_VALUES,
      manifests: NO_MANIFESTS,
      // ServiceAccount, ConfigMap, Services, StatefulSet, ServiceMonitor: all namespaced.
      clusterResources: [],
    };
  },
};

/**
 * With `centralAuth` (a distributed environment's central Tempo): one tenant
 * per cluster or environment (`multitenancy_enabled`; Grafana reads across
 * tenants with `a|b`), and with TempoMode.DISTRIBUTED the chart's gateway
 * with basic auth against the htpasswd Secret: point the edges'
 * `traces.otlpEndpoint` (an Ingress or LoadBalancer) at `tempo-gateway`, which
 * proxies OTLP gRPC to the distributor. The monolithic chart has no gateway:
 * put an authenticating proxy in front of it.
 */
export function withTempoCentralAuth(options: ResolvedOptions, values: Record<string, unknown>): Record<string, unknown> {
  if (centralAuthOf(options) === undefined) return values;
  const tenancy = tenancyOn(options);
  if (options.traces.mode === TempoMode.DISTRIBUTED) {
    return {
      ...values,
      multitenancyEnabled: tenancy,
      ...(gatewayAuthOn(options) ? { gateway: { enabled: true, basicAuth: gatewayBasicAuth(options) } } : {}),
    };
  }
  return { ...values, tempo: { ...(values.tempo as Record<string, unknown>), multitenancyEnabled: tenancy } };
}

/** Whether the clusters of these options run Tempo (edge clusters export to the central Tempo). */
export function tempoRuns(options: ResolvedOptions): boolean {
  const { traces } = options;
  return traces.enabled && traces.backend === TracesBackend.TEMPO && options.role !== 'edge';
}

/** Helm values of the tempo chart. */
export function tempoValues(options: ResolvedOptions): Record<string, unknown> {
  const { traces, metrics } = options;
  return {
    tempo: {
      // Rendered as compactor.compaction.block_retention.
      retention: traces.retention,
      // The chart's own defaults bind 0.0.0.0 too; set explicitly because recent
      // Tempo releases follow the OpenTelemetry collector (0.104+) and bind OTLP
      // receivers to localhost when no endpoint is given, which the gateway
      // collector could not reach. The chart's default jaeger receivers stay: its
      // Service template dereferences them, so removing them with null would fail
      // to render.
      receivers: {
        otlp: {
          protocols: {
            grpc: { endpoint: '0.0.0.0:4317' },
            http: { endpoint: '0.0.0.0:4318' },
          },
        },
      },
      ...(metrics.enabled ? metricsGeneratorValues(options) : {}),
      ...objectStorageValues(options),
    },
    ...(options.objectStorage && storageCredentials(options.objectStorage).volumes.length > 0
      ? { extraVolumes: storageCredentials(options.objectStorage).volumes } : {}),
    // Traces (/var/tempo/traces) and the WAL (/var/tempo/wal) live on this
    // volume. It is a volumeClaimTemplate: Kubernetes does not let a sync
    // change its size or class later (resize the PVC by hand instead).
    persistence: {
      enabled: true,
      size: traces.storage.size,
      ...storageClassField(traces.storage.storageClassName),
    },
    // Only kube-prometheus-stack has the ServiceMonitor CRD (and selects every ServiceMonitor).
    serviceMonitor: { enabled: serviceMonitorsAvailable(options) },
  };
}

/**
 * With the distributed profile, the monolithic Tempo keeps its blocks in
 * object storage (the WAL stays on the volume), credentials from the Secret.
 */
function objectStorageValues(options: ResolvedOptions): Record<string, unknown> {
  const os = options.objectStorage;
  if (os === undefined || options.role !== 'central') return {};
  const credentials = storageCredentials(os);
  return {
    storage: { trace: tempoTraceStorage(os) },
    ...(needsExpandEnv(os) ? { extraArgs: { 'config.expand-env': 'true' } } : {}),
    ...(credentials.envFrom.length > 0 ? { extraEnvFrom: credentials.envFrom } : {}),
    ...(credentials.env.length > 0 ? { extraEnv: credentials.env } : {}),
    ...(credentials.volumeMounts.length > 0 ? { extraVolumeMounts: credentials.volumeMounts } : {}),
  };
}

/**
 * Tempo 3 distributed (tempo-distributed 3.x): distributors write spans to
 * Kafka; block-builders (one per partition) cut blocks into object storage;
 * live-stores serve recent data; the backend scheduler and workers compact and
 * apply retention. Services are named `tempo-<component>` (fullnameOverride),
 * so Grafana queries `tempo-query-frontend:3200` and collectors send OTLP to
 * `tempo-distributor:4317`.
 */
export function tempoDistributedValues(options: ResolvedOptions): Record<string, unknown> {
  const { traces, metrics } = options;
  const os = options.objectStorage!;
  const size = tempoSize(options.sizing.spansPerSecond ?? 0, traces.retention);
  const credentials = storageCredentials(os);
  return {
    fullnameOverride: 'tempo',
    ingest: { kafka: { address: traces.kafkaAddress, auto_create_topic_default_partitions: size.partitions } },
    // The replica counts must equal the partition count.
    blockBuilder: { replicas: size.partitions },
    liveStore: { replicas: size.partitions },
    distributor: { replicas: size.distributorReplicas },
    traces: { otlp: { grpc: { enabled: true }, http: { enabled: true } } },
    storage: { trace: tempoTraceStorage(os) },
    backendScheduler: { config: { provider: { compaction: { compaction: { block_retention: traces.retention } } } } },
    global: {
      ...(needsExpandEnv(os) ? { extraArgs: ['-config.expand-env=true'] } : {}),
      ...(credentials.envFrom.length > 0 ? { extraEnvFrom: credentials.envFrom } : {}),
      ...(credentials.env.length > 0 ? { extraEnv: credentials.env } : {}),
    },
    ...(credentials.volumes.length > 0 ? { defaults: { extraVolumes: credentials.volumes, extraVolumeMounts: credentials.volumeMounts } } : {}),
    ...(metrics.enabled ? {
      metricsGenerator: {
        enabled: true,
        config: { storage: { remote_write: [{ url: `${prometheusUrl(options)}/api/v1/write`, send_exemplars: true }] } },
      },
      overrides: { defaults: { metrics_generator: { processors: ['service-graphs', 'span-metrics'] } } },
    } : {}),
    metaMonitoring: { serviceMonitor: { enabled: serviceMonitorsAvailable(options) } },
  };
}

/**
 * The metrics-generator: service-graph and span-metrics series (what Grafana's
 * service map and the RED panels of the Tempo datasource query), remote-written
 * to Prometheus. Prometheus must accept remote write and store exemplars
 * (kube-prometheus-stack: `prometheus.prometheusSpec.enableRemoteWriteReceiver`
 * and `enableFeatures: [exemplar-storage]`; prometheus chart: `server.extraFlags`
 * `web.enable-remote-write-receiver` and `enable-feature=exemplar-storage`).
 */
function metricsGeneratorValues(options: ResolvedOptions): Record<string, unknown> {
  return {
    metricsGenerator: {
      enabled: true,
      storage: {
        // On the persistent volume (the chart's default is an emptyDir under /tmp),
        // so samples not yet sent survive a restart.
        path: '/var/tempo/generator/wal',
        // A full remote_write list rather than the chart's `remoteWriteUrl`, which
        // cannot send exemplars: span metrics carry `traceID` exemplars that
        // Grafana links to the trace (Prometheus needs exemplar storage for them).
        remote_write: [{ url: `${prometheusUrl(options)}/api/v1/write`, send_exemplars: true }],
      },
      traces_storage: { path: '/var/tempo/generator/traces' },
    },
    // The generator runs no processor unless the overrides enable it (per tenant;
    // `defaults` applies to all, Tempo runs single-tenant here).
    overrides: {
      defaults: { metrics_generator: { processors: ['service-graphs', 'span-metrics'] } },
    },
  };
}
