import { NO_CLUSTER_VALUES, NO_MANIFESTS, pinnedChart, storageClassField } from './chart-ref';
import { LogsBackend } from '../../options/options';
import { ResolvedOptions } from '../../options/resolve';
import { ELASTICSEARCH_CERTS_SECRET, ELASTICSEARCH_CREDENTIALS_SECRET } from '../endpoints';
import { PartDefinition, SyncWave } from '../stack';

/**
 * Elasticsearch (LogsBackend.ELASTICSEARCH) from the archived elastic chart
 * 8.5.1: a single node (StatefulSet `elasticsearch-master`, Service
 * `elasticsearch-master:9200`, HTTPS and security on) with its data on a
 * PersistentVolume.
 *
 * Credentials and certificates: the chart generates the `elastic` user's
 * password (Secret `elasticsearch-master-credentials`) and a self-signed CA
 * and server certificate (Secret `elasticsearch-master-certs`); nothing
 * secret is in Git. The chart renders new random values on every manifest
 * generation (Argo CD renders with `helm template`, where Helm's `lookup` of
 * the existing Secret returns nothing), so both Secrets' data is ignored in
 * diffs and, with RespectIgnoreDifferences, never overwritten after creation:
 * Elasticsearch, the collectors and Kibana keep using the first values. The
 * certificates are valid for 365 days and nothing renews them: to rotate,
 * delete Secret `elasticsearch-master-certs`, sync, and restart Elasticsearch,
 * Kibana and the collectors.
 *
 * Retention: the chart has no retention setting. The collectors write daily
 * `logstash-YYYY.MM.DD` indices; deleting them after logs.retention needs an
 * index lifecycle (ILM) policy on `logstash-*` (Kibana > Stack Management >
 * Index Lifecycle Policies, or the _ilm API), which this library does not
 * create. Until then indices grow until the volume is full.
 */
export const elasticsearch: PartDefinition = {
  name: 'elasticsearch',
  build: (options) => {
    const { logs } = options;
    if (!logs.enabled || logs.backend !== LogsBackend.ELASTICSEARCH) return undefined;
    return {
      name: 'elasticsearch',
      description: `Elasticsearch 8.5 (archived chart), single node, ${logs.storage.size} volume; retention needs an ILM policy (not created)`,
      area: 'logs',
      chart: pinnedChart('elasticsearch'),
      namespace: logs.namespace,
      wave: SyncWave.STACKS,
      // A StatefulSet with a volumeClaimTemplate: server-side diffing avoids
      // perpetual OutOfSync on the fields the API server defaults there.
      serverSideApply: true,
      syncOptions: ['RespectIgnoreDifferences=true'],
      ignoreDifferences: generatedSecretsIgnoreDifferences(options),
      values: elasticsearchValues(options),
      clusterValues: NO_CLUSTER_VALUES,
      manifests: NO_MANIFESTS,
      // StatefulSet, Services, Secrets, PodDisruptionBudget: all namespaced
      // (rbac.create and podSecurityPolicy.create stay false).
      clusterResources: [],
    };
  },
};

/** Helm values of the elasticsearch chart. */
export function elasticsearchValues(options: ResolvedOptions): Record<string, unknown> {
  const { logs } = options;
  return {
    // One master/data node: nothing to form a quorum with.
    replicas: 1,
    minimumMasterNodes: 1,
    // Readiness waits for this cluster health on first start. A single node
    // cannot allocate replica shards, so the cluster is yellow at best.
    clusterHealthCheckParams: 'wait_for_status=yellow&timeout=1s',
    volumeClaimTemplate: {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: logs.storage.size } },
      ...storageClassField(logs.storage.storageClassName),
    },
    // A Helm test pod; Argo CD never runs Helm tests.
    tests: { enabled: false },
  };
}

/**
 * The chart-generated Secrets: random on every render, so their data is
 * ignored (see the part's comment). Kept in this Application with
 * RespectIgnoreDifferences=true so a sync never replaces the live values.
 */
export function generatedSecretsIgnoreDifferences(options: ResolvedOptions): Record<string, unknown>[] {
  return [ELASTICSEARCH_CREDENTIALS_SECRET, ELASTICSEARCH_CERTS_SECRET].map((name) => ({
    group: '',
    kind: 'Secret',
    name,
    namespace: options.logs.namespace,
    jsonPointers: ['/data'],
  }));
}
