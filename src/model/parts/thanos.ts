import { NO_CLUSTER_VALUES, NO_MANIFESTS, pinnedChart } from './chart-ref';
import { MetricsBackend } from '../../options/fleet';
import { ResolvedOptions } from '../../options/resolve';
import { THANOS_OBJSTORE_SECRET } from '../object-storage';
import { PartDefinition, SyncWave } from '../stack';

/**
 * A central Thanos (stevehipwell's `thanos` chart) with MetricsBackend.THANOS:
 * Query (what Grafana reads, `thanos-query:10902`) over the local sidecar and
 * the Store Gateway, which serves every cluster's blocks from the bucket; the
 * Compactor downsamples and applies retention. The objstore configuration
 * comes from the user's Secret `thanos-objstore` (key `objstore.yml`; the
 * generated README shows its content), also mounted by every sidecar.
 *
 * Query also asks the sidecars of the edge clusters that give
 * `thanosSidecarAddress`, for their last two hours (not yet uploaded); the
 * others' metrics arrive through the bucket only (configurationWarnings says so).
 */
export const thanos: PartDefinition = {
  name: 'thanos',
  build: (options) => {
    const { metrics } = options;
    if (!metrics.enabled || metrics.backend !== MetricsBackend.THANOS || options.role === 'edge') return undefined;
    return {
      name: 'thanos',
      description: 'Thanos Query, Store Gateway and Compactor over the metrics bucket (thanos-query:10902)',
      area: 'metrics',
      chart: pinnedChart('thanos'),
      namespace: metrics.namespace,
      wave: SyncWave.STACKS,
      serverSideApply: false,
      values: thanosValues(options),
      clusterValues: NO_CLUSTER_VALUES,
      manifests: NO_MANIFESTS,
      clusterResources: [],
    };
  },
};

export function thanosValues(options: ResolvedOptions): Record<string, unknown> {
  const ns = options.metrics.namespace;
  return {
    objstoreConfig: { create: false, name: THANOS_OBJSTORE_SECRET.name, key: THANOS_OBJSTORE_SECRET.key },
    // kube-prometheus-stack's sidecars (prometheus.thanosService), found by DNS SRV, then the edges' sidecars.
    additionalEndpoints: [
      `dnssrv+_grpc._tcp.kube-prometheus-stack-thanos-discovery.${ns}.svc.cluster.local`,
      ...options.edgeClusters.flatMap((c) => (c.thanosSidecarAddress !== undefined ? [c.thanosSidecarAddress] : [])),
    ],
    // The HA pair of Prometheus differ only in this label: deduplicate on it.
    additionalReplicaLabels: ['prometheus_replica'],
    query: { enabled: true },
    storeGateway: { enabled: true },
    compact: {
      enabled: true,
      // Blocks in the bucket are kept as long as metrics.retention says.
      extraArgs: ['raw', '5m', '1h'].map((r) => `--retention.resolution-${r}=${options.metrics.retention}`),
    },
    serviceMonitor: { enabled: true },
  };
}
