import { NO_CLUSTER_VALUES, NO_MANIFESTS, pinnedChart, storageClassField } from './chart-ref';
import { MetricsFlavor, TracesBackend } from '../../options/options';
import { ResolvedOptions } from '../../options/resolve';
import { prometheusUrl } from '../endpoints';
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
    if (!traces.enabled || traces.backend !== TracesBackend.TEMPO) return undefined;
    return {
      name: 'tempo',
      description: `Grafana Tempo (monolithic): OTLP gRPC 4317 / HTTP 4318, ${traces.retention} retention, ${traces.storage.size} local storage`,
      area: 'traces',
      chart: pinnedChart('tempo'),
      namespace: traces.namespace,
      wave: SyncWave.STACKS,
      serverSideApply: false,
      values: tempoValues(options),
      clusterValues: NO_CLUSTER_VALUES,
      manifests: NO_MANIFESTS,
      // ServiceAccount, ConfigMap, Services, StatefulSet, ServiceMonitor: all namespaced.
      clusterResources: [],
    };
  },
};

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
    },
    // Traces (/var/tempo/traces) and the WAL (/var/tempo/wal) live on this
    // volume. It is a volumeClaimTemplate: Kubernetes does not let a sync
    // change its size or class later (resize the PVC by hand instead).
    persistence: {
      enabled: true,
      size: traces.storage.size,
      ...storageClassField(traces.storage.storageClassName),
    },
    // Only kube-prometheus-stack has the ServiceMonitor CRD (and selects every ServiceMonitor).
    serviceMonitor: { enabled: metrics.enabled && metrics.flavor === MetricsFlavor.KUBE_PROMETHEUS_STACK },
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
