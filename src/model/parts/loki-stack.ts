import { NO_MANIFESTS, pinnedChart } from './chart-ref';
import { ClusterTarget, PartDefinition, SyncWave } from '../stack';
import { COLLECTOR_CLUSTER_RBAC, EVERY_NODE_TOLERATIONS } from './logs/common';
import {
  PROMTAIL_READINESS_PROBE, promtailClients, promtailClusterClients, promtailCommonRelabelConfigs,
  promtailNamespaceFilter,
} from './logs/promtail-config';
import { serviceMonitorsAvailable, standaloneScrapesStack } from './metrics/prometheus-common';
import { LogsBackend } from '../../options/options';
import { ResolvedOptions } from '../../options/resolve';

/**
 * The legacy loki-stack chart (LogsBackend.LOKI_STACK, deprecated): Loki 2.6
 * from the old single-binary `loki` sub-chart (2.16.x: one StatefulSet,
 * boltdb-shipper index and chunks on its volume, Service `loki-stack:3100`)
 * plus the bundled Promtail DaemonSet pushing to it. For existing users; new
 * installs should use LogsBackend.LOKI.
 */
export const lokiStack: PartDefinition = {
  name: 'loki-stack',
  build: (options) => {
    const { logs } = options;
    if (!lokiStackRuns(options)) return undefined;
    return {
      name: 'loki-stack',
      description: `loki-stack (deprecated): Loki 2.x with its bundled Promtail, ${logs.retention} retention, ${logs.storage.size} volume`,
      area: 'logs',
      chart: pinnedChart('loki-stack'),
      namespace: logs.namespace,
      wave: SyncWave.STACKS,
      serverSideApply: false,
      values: lokiStackValues(options),
      clusterValues: (cluster: ClusterTarget) => ({
        promtail: { config: { clients: promtailClusterClients(options, cluster) } },
      }),
      manifests: NO_MANIFESTS,
      // Promtail's ClusterRole/ClusterRoleBinding (pods, nodes, services,
      // endpoints); Loki's own Role is namespaced and its PodSecurityPolicy is off.
      clusterResources: COLLECTOR_CLUSTER_RBAC,
    };
  },
};

/** Whether the clusters of these options run loki-stack (only without edge clusters: it cannot ship from them). */
export function lokiStackRuns(options: ResolvedOptions): boolean {
  return options.logs.enabled && options.logs.backend === LogsBackend.LOKI_STACK;
}

/** Helm values of the loki-stack chart. */
export function lokiStackValues(options: ResolvedOptions): Record<string, unknown> {
  const { logs } = options;
  const serviceMonitor = { enabled: serviceMonitorsAvailable(options) };
  return {
    loki: {
      // The sub-chart renders a policy/v1beta1 PodSecurityPolicy by default,
      // an API removed in Kubernetes 1.25.
      rbac: { pspEnabled: false },
      persistence: {
        enabled: true,
        size: logs.storage.size,
        ...(logs.storage.storageClassName ? { storageClassName: logs.storage.storageClassName } : {}),
      },
      // Merged into the sub-chart's Loki configuration (Helm merges maps).
      // Retention by the compactor on the boltdb-shipper/filesystem store the
      // sub-chart configures; limits_config.retention_period takes a
      // Prometheus-style duration ("7d", "168h").
      config: {
        compactor: { retention_enabled: true },
        limits_config: { retention_period: logs.retention },
      },
      serviceMonitor,
      // The sub-chart annotates Loki's pods with prometheus.io/scrape (on every container
      // port: prometheus.io/port is a name, which the annotation-based job cannot use). The
      // standalone Prometheus scrapes Loki with a job of its own (standalone-stack-scrape.ts).
      ...(standaloneScrapesStack(options) ? { podAnnotations: { 'prometheus.io/scrape': 'false' } } : {}),
    },
    promtail: {
      config: {
        clients: promtailClients(options),
        snippets: {
          common: promtailCommonRelabelConfigs(),
          extraRelabelConfigs: promtailNamespaceFilter(options),
        },
      },
      readinessProbe: PROMTAIL_READINESS_PROBE,
      tolerations: EVERY_NODE_TOLERATIONS,
      serviceMonitor,
    },
    // Grafana datasources are provisioned by the stack's Grafana (with stable
    // uids); without this the chart adds a ConfigMap that Grafana sidecars
    // pick up as a second, default "Loki" datasource.
    grafana: { sidecar: { datasources: { enabled: false } } },
    // A Helm test pod; Argo CD never runs Helm tests.
    test_pod: { enabled: false },
  };
}
