import { NO_CLUSTER_VALUES, NO_MANIFESTS, pinnedChart } from './chart-ref';
import { serviceMonitorsAvailable } from './metrics/prometheus-common';
import { LokiMode } from '../../options/fleet';
import { LogsBackend } from '../../options/options';
import { ResolvedOptions } from '../../options/resolve';
import { lokiSize } from '../../options/sizing';
import { centralAuthOf, gatewayAuthOn, gatewayBasicAuth, tenancyOn } from '../central-auth';
import { lokiStorage, needsExpandEnv, storageCredentials } from '../object-storage';
import { PartDefinition, SyncWave } from '../stack';

/**
 * The first day of the Loki schema below. A fresh install has no data before
 * it; changing it later would orphan stored chunks (add a new entry instead).
 */
export const LOKI_SCHEMA_FROM = '2024-04-01';

/**
 * Loki (LogsBackend.LOKI): the grafana-community `loki` chart in monolithic
 * mode — one `loki` StatefulSet running every target, chunks and TSDB index on
 * its PersistentVolume, retention applied by the built-in compactor — behind
 * the chart's nginx gateway (Service `loki-gateway`, port 80), which is the
 * address Grafana and the collectors use (`lokiUrl` in endpoints.ts).
 */
export const loki: PartDefinition = {
  name: 'loki',
  build: (options) => {
    const { logs } = options;
    if (!lokiRuns(options)) return undefined;
    return {
      name: 'loki',
      description: logs.mode === LokiMode.SINGLE_BINARY
        ? `Grafana Loki (monolithic, filesystem): ${logs.retention} retention, ${logs.storage.size} volume, gateway loki-gateway:80`
        : `Grafana Loki (${logs.mode}, object storage): ${logs.retention} retention, gateway loki-gateway:80`,
      area: 'logs',
      chart: pinnedChart('loki'),
      namespace: logs.namespace,
      wave: SyncWave.STACKS,
      // A StatefulSet with a volumeClaimTemplate: server-side diffing avoids
      // perpetual OutOfSync on the fields the API server defaults there.
      serverSideApply: true,
      values: withLokiCentralAuth(options, lokiValues(options)),
      clusterValues: NO_CLUSTER_VALUES,
      manifests: NO_MANIFESTS,
      // With rbac.namespaced and the rules sidecar off the chart creates no
      // RBAC at all (by default it binds a ClusterRole that reads every
      // Secret and ConfigMap in the cluster, for the rules sidecar).
      clusterResources: [],
    };
  },
};

/**
 * With `centralAuth` (a distributed environment's central Loki): one tenant
 * per cluster or environment (`auth_enabled`, the tenant from each writer's
 * `X-Scope-OrgID`, which the gateway passes on), queries across tenants
 * (`a|b`) for Grafana, and basic auth at the gateway against the htpasswd
 * Secret (the gateway is where the edges' `logs.pushUrl` leads).
 */
export function withLokiCentralAuth(options: ResolvedOptions, values: Record<string, unknown>): Record<string, unknown> {
  if (centralAuthOf(options) === undefined) return values;
  const tenancy = tenancyOn(options);
  return {
    ...values,
    loki: {
      ...(values.loki as Record<string, unknown>),
      auth_enabled: tenancy,
      ...(tenancy ? { querier: { multi_tenant_queries_enabled: true } } : {}),
    },
    gateway: {
      ...(values.gateway as Record<string, unknown>),
      ...(gatewayAuthOn(options) ? { basicAuth: gatewayBasicAuth(options) } : {}),
    },
  };
}

/** Whether the clusters of these options run Loki (edge clusters ship to the central Loki). */
export function lokiRuns(options: ResolvedOptions): boolean {
  const { logs } = options;
  return logs.enabled && logs.backend === LogsBackend.LOKI && options.role !== 'edge';
}

/** Helm values of the loki chart. */
export function lokiValues(options: ResolvedOptions): Record<string, unknown> {
  const { logs, objectStorage } = options;
  const size = options.sizing.logGbPerDay !== undefined ? lokiSize(options.sizing.logGbPerDay, logs.retention) : undefined;
  const ingesterResources = size
    ? { requests: { cpu: size.ingester.cpu, memory: size.ingester.memory }, limits: { memory: size.ingester.memory } }
    : {};
  const base = monolithicValues(options, ingesterResources);
  if (logs.mode === LokiMode.SINGLE_BINARY || objectStorage === undefined) return base;
  const credentials = storageCredentials(objectStorage);
  const baseLoki = base.loki as Record<string, unknown>;
  const scalable: Record<string, unknown> = {
    ...base,
    deploymentMode: logs.mode === LokiMode.SIMPLE_SCALABLE ? 'SimpleScalable' : 'Distributed',
    loki: {
      ...baseLoki,
      // Three copies of every stream across the ingesters (or write targets).
      commonConfig: { replication_factor: 3 },
      storage: lokiStorage(objectStorage),
      schemaConfig: {
        configs: [{ from: LOKI_SCHEMA_FROM, store: 'tsdb', object_store: objectStorage.provider, schema: 'v13', index: { prefix: 'loki_index_', period: '24h' } }],
      },
      compactor: { retention_enabled: true, delete_request_store: objectStorage.provider },
    },
    // Every component's replica count stays explicit in every mode, so an
    // environment in another mode changes only numbers (no key disappears).
    singleBinary: { ...(base.singleBinary as Record<string, unknown>), replicas: 0 },
    // Credentials from the user's Secret (never in Git), on every Loki pod.
    defaults: {
      ...(needsExpandEnv(objectStorage) ? { extraArgs: ['-config.expand-env=true'] } : {}),
      ...(credentials.envFrom.length > 0 ? { extraEnvFrom: credentials.envFrom } : {}),
      ...(credentials.env.length > 0 ? { extraEnv: credentials.env } : {}),
      ...(credentials.volumes.length > 0 ? { extraVolumes: credentials.volumes, extraVolumeMounts: credentials.volumeMounts } : {}),
    },
  };
  if (logs.mode === LokiMode.SIMPLE_SCALABLE) {
    return { ...scalable, read: { replicas: 3 }, write: { replicas: 3 }, backend: { replicas: 3 } };
  }
  return {
    ...scalable,
    ...distributedComponents({
      ingesters: size?.ingester.replicas ?? 3,
      distributors: size?.distributorReplicas ?? 2,
      queriers: size?.querierReplicas ?? 2,
      ingesterResources,
    }),
  };
}

/**
 * The distributed-mode components. Every mode sets the same keys (0 replicas
 * when off), so an environment in another mode changes values, never drops a
 * key (which Helm would read as "delete the chart's default").
 */
function distributedComponents(n: { ingesters: number; distributors: number; queriers: number; ingesterResources: Record<string, unknown> }):
Record<string, unknown> {
  const on = n.ingesters > 0;
  return {
    ingester: {
      replicas: n.ingesters,
      // One StatefulSet across the nodes rather than one per zone: zone-aware
      // replication needs nodes labelled with zones (enable it with valuesOverrides).
      zoneAwareReplication: { enabled: false },
      resources: n.ingesterResources,
    },
    distributor: { replicas: n.distributors, maxUnavailable: 1 },
    querier: { replicas: n.queriers, maxUnavailable: 1 },
    queryFrontend: { replicas: on ? 2 : 0, maxUnavailable: 1 },
    queryScheduler: { replicas: on ? 2 : 0 },
    indexGateway: { replicas: on ? 2 : 0 },
    compactor: { replicas: on ? 1 : 0 },
    // The simple-scalable targets.
    read: { replicas: 0 },
    write: { replicas: 0 },
    backend: { replicas: 0 },
  };
}

/** The monolithic (single binary) values; the scalable modes start from them. */
function monolithicValues(options: ResolvedOptions, ingesterResources: Record<string, unknown>): Record<string, unknown> {
  const { logs } = options;
  return {
    deploymentMode: 'Monolithic',
    loki: {
      // One tenant ("fake"): no X-Scope-OrgID header needed by collectors or
      // Grafana. Loki is reachable only in-cluster through the gateway; put
      // authentication in front of it before exposing it.
      auth_enabled: false,
      // Single replica: no ring replication.
      commonConfig: { replication_factor: 1 },
      // Chunks and rules on the local volume (common.storage.filesystem,
      // /var/loki/chunks and /var/loki/rules); no object storage.
      storage: { type: 'filesystem' },
      schemaConfig: {
        configs: [{
          from: LOKI_SCHEMA_FROM,
          store: 'tsdb',
          object_store: 'filesystem',
          schema: 'v13',
          index: { prefix: 'loki_index_', period: '24h' },
        }],
      },
      // Retention is the compactor's job: it deletes chunks older than
      // limits_config.retention_period (its working directory defaults to
      // /var/loki/compactor, on the volume). delete_request_store is required
      // once retention is enabled.
      compactor: {
        retention_enabled: true,
        delete_request_store: 'filesystem',
      },
      limits_config: {
        // A Prometheus-style duration ("7d", "168h"), as Loki parses it.
        retention_period: logs.retention,
      },
    },
    singleBinary: {
      // The filesystem store allows exactly one replica (the chart refuses more).
      replicas: 1,
      persistence: {
        enabled: true,
        size: logs.storage.size,
        ...(logs.storage.storageClassName ? { storageClass: logs.storage.storageClassName } : {}),
      },
    },
    // The simple-scalable targets and the distributed components need object storage: none of them.
    ...distributedComponents({ ingesters: 0, distributors: 0, queriers: 0, ingesterResources }),
    // The memcached caches request 8 GiB (chunks) and 1 GiB (results) by
    // default; a single binary caches in-process, which is plenty here.
    chunksCache: { enabled: false },
    resultsCache: { enabled: false },
    // The canary is a DaemonSet pushing synthetic lines into Loki from every
    // node, only useful with alerting on its metrics; the Helm test needs it
    // and Argo CD never runs Helm tests anyway. The collectors' own traffic
    // shows whether ingestion works.
    lokiCanary: { enabled: false },
    test: { enabled: false },
    // The gateway is the Service the stack talks to (loki-gateway:80).
    gateway: { enabled: true },
    // No rules sidecar (it would need to read every Secret and ConfigMap),
    // hence no ClusterRole; RBAC stays namespaced (and empty).
    sidecar: { rules: { enabled: false } },
    rbac: { namespaced: true },
    // Only kube-prometheus-stack has the ServiceMonitor CRD (and selects every ServiceMonitor).
    monitoring: { serviceMonitor: { enabled: serviceMonitorsAvailable(options) } },
  };
}
