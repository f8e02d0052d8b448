import { NO_CLUSTER_VALUES, NO_MANIFESTS, pinnedChart } from './chart-ref';
import { MetricsBackend } from '../../options/fleet';
import { ResolvedOptions } from '../../options/resolve';
import { mimirSize } from '../../options/sizing';
import { gatewayAuthOn, gatewayBasicAuth, tenancyOn } from '../central-auth';
import { mimirCommonStorage, storageCredentials } from '../object-storage';
import { PartDefinition, SyncWave } from '../stack';

/**
 * Grafana Mimir (`mimir-distributed`) on the central cluster: every cluster's
 * Prometheus remote-writes to it, Grafana queries it. Blocks, ruler and
 * Alertmanager state in the metrics bucket under their own prefixes.
 *
 * The chart's values.yaml at 6.2.0 was not available when the key catalogs
 * were derived (see reference/PROVENANCE.md): these keys are not checked
 * against the chart, and the synth says so.
 */
export const mimir: PartDefinition = {
  name: 'mimir',
  build: (options) => {
    const { metrics } = options;
    if (!metrics.enabled || metrics.backend !== MetricsBackend.MIMIR || options.role === 'edge' || !options.objectStorage) return undefined;
    return {
      name: 'mimir',
      description: 'Grafana Mimir (distributed) on object storage: remote-write target of every cluster, queried by Grafana (mimir-query-frontend:8080/prometheus)',
      area: 'metrics',
      chart: pinnedChart('mimir-distributed'),
      namespace: metrics.namespace,
      wave: SyncWave.STACKS,
      serverSideApply: true,
      values: mimirValues(options),
      clusterValues: NO_CLUSTER_VALUES,
      manifests: NO_MANIFESTS,
      // Mimir's own RBAC is namespaced; the rollout-operator (zone-aware rollouts) is off.
      clusterResources: [],
    };
  },
};

/** Active series Mimir holds: `sizing.activeSeries` is per cluster, Mimir holds the whole environment's. */
export function mimirSeries(options: ResolvedOptions): number | undefined {
  return options.sizing.activeSeries !== undefined ? options.sizing.activeSeries * (1 + options.edgeClusters.length) : undefined;
}

export function mimirValues(options: ResolvedOptions): Record<string, unknown> {
  const os = options.objectStorage!;
  const credentials = storageCredentials(os);
  const series = mimirSeries(options);
  const size = series !== undefined ? mimirSize(series, options.metrics.scrapeInterval) : undefined;
  const resources = (c: { cpu: string; memory: string }) => ({ requests: { cpu: c.cpu, memory: c.memory }, limits: { memory: c.memory } });
  return {
    // Release "mimir": Services mimir-distributor, mimir-query-frontend, ...
    mimir: {
      structuredConfig: {
        // With centralAuth's tenancy: one tenant per cluster or environment (each
        // Prometheus sends X-Scope-OrgID), Grafana reads them all with `a|b`
        // (tenant federation). Without it one tenant ("anonymous").
        multitenancy_enabled: tenancyOn(options),
        ...(tenancyOn(options) ? { tenant_federation: { enabled: true } } : {}),
        common: { storage: mimirCommonStorage(os) },
        blocks_storage: { storage_prefix: 'blocks' },
        ruler_storage: { storage_prefix: 'ruler' },
        alertmanager_storage: { storage_prefix: 'alertmanager' },
        ...(series !== undefined ? { limits: { max_global_series_per_user: Math.ceil(series * 1.5) } } : {}),
      },
    },
    // Object storage is the user's; the chart's bundled MinIO is for trials.
    minio: { enabled: false },
    // Alerting stays with each cluster's Prometheus and Alertmanager.
    alertmanager: { enabled: false },
    ruler: { enabled: false },
    // One StatefulSet per component rather than one per zone (no zone labels needed).
    ingester: {
      zoneAwareReplication: { enabled: false },
      ...(size ? { replicas: size.ingester.replicas, resources: resources(size.ingester) } : {}),
    },
    store_gateway: { zoneAwareReplication: { enabled: false } },
    rollout_operator: { enabled: false },
    ...(size ? { distributor: { replicas: size.distributor.replicas, resources: resources(size.distributor) } } : {}),
    ...(credentials.envFrom.length + credentials.env.length + credentials.volumes.length > 0 ? {
      global: {
        ...(credentials.envFrom.length > 0 ? { extraEnvFrom: credentials.envFrom } : {}),
        ...(credentials.env.length > 0 ? { extraEnv: credentials.env } : {}),
        ...(credentials.volumes.length > 0 ? { extraVolumes: credentials.volumes, extraVolumeMounts: credentials.volumeMounts } : {}),
      },
    } : {}),
    metaMonitoring: { serviceMonitor: { enabled: true } },
    // With basic auth (centralAuth): the chart's nginx gateway (Service mimir-gateway),
    // where the edges' metrics.remoteWriteUrl leads, checks the htpasswd Secret.
    ...(gatewayAuthOn(options) ? { gateway: { enabled: true, nginx: { basicAuth: gatewayBasicAuth(options) } } } : {}),
  };
}
