import { NO_MANIFESTS, pinnedChart } from './chart-ref';
import { ClusterTarget, PartDefinition } from '../stack';
import { COLLECTOR_CLUSTER_RBAC, EVERY_NODE_TOLERATIONS, collectorEnabled, collectorWave, namespaceFilterSummary } from './logs/common';
import {
  PROMTAIL_READINESS_PROBE, promtailClients, promtailClusterClients, promtailCommonRelabelConfigs,
  promtailCredentialVolumes, promtailNamespaceFilter,
} from './logs/promtail-config';
import { serviceMonitorsAvailable } from './metrics/prometheus-common';
import { LogCollector } from '../../options/options';
import { ResolvedOptions } from '../../options/resolve';

/**
 * Promtail as the log collector (LogCollector.PROMTAIL, deprecated: end of
 * life 2026-03-02, use Alloy): a DaemonSet tailing /var/log/pods on every
 * node and pushing to Loki. The chart's scrape config and CRI pipeline are
 * kept; only the labels, the namespace filter and the client change.
 */
export const promtail: PartDefinition = {
  name: 'promtail',
  build: (options) => {
    if (!collectorEnabled(options, LogCollector.PROMTAIL)) return undefined;
    return {
      name: 'promtail',
      description: `Promtail DaemonSet (deprecated): container logs of every node to Loki${namespaceFilterSummary(options)}`,
      area: 'logs',
      chart: pinnedChart('promtail'),
      namespace: options.logs.namespace,
      wave: collectorWave(options),
      serverSideApply: false,
      values: promtailValues(options),
      clusterValues: (cluster: ClusterTarget) => ({ config: { clients: promtailClusterClients(options, cluster) } }),
      manifests: NO_MANIFESTS,
      // ClusterRole/ClusterRoleBinding to discover pods (PodSecurityPolicy stays off: rbac.pspEnabled defaults to false).
      clusterResources: COLLECTOR_CLUSTER_RBAC,
    };
  },
};

/** Helm values of the promtail chart. */
export function promtailValues(options: ResolvedOptions): Record<string, unknown> {
  return {
    config: {
      clients: promtailClients(options),
      snippets: {
        common: promtailCommonRelabelConfigs(),
        extraRelabelConfigs: promtailNamespaceFilter(options),
      },
    },
    // The chart tolerates only the control-plane taints.
    readinessProbe: PROMTAIL_READINESS_PROBE,
    ...promtailCredentialVolumes(options),
    tolerations: EVERY_NODE_TOLERATIONS,
    // Only kube-prometheus-stack has the ServiceMonitor CRD (and selects every ServiceMonitor).
    serviceMonitor: { enabled: serviceMonitorsAvailable(options) },
  };
}
