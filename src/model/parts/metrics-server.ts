import { NO_CLUSTER_VALUES, NO_MANIFESTS, pinnedChart } from './chart-ref';
import { PartDefinition, SyncWave } from '../stack';

/** metrics-server runs beside the other cluster add-ons. */
const KUBE_SYSTEM = 'kube-system';

/**
 * metrics-server (metrics.metricsServer), in kube-system: the resource
 * metrics API (`metrics.k8s.io`) behind `kubectl top` and
 * HorizontalPodAutoscalers. It serves an API, not Prometheus data, so it is
 * deployed whenever the option is on, independently of the Prometheus flavor.
 *
 * The chart's defaults are kept: its own self-signed serving certificate
 * (the APIService skips verification of it) and kubelets verified with the
 * cluster CA. Clusters whose kubelet serving certificates are not signed by
 * the cluster CA (kind, k3s, some kubeadm setups) need
 * `args: [--kubelet-insecure-tls]` in values/overrides/metrics-server.yaml;
 * it is not the default because it turns off kubelet certificate checks.
 */
export const metricsServer: PartDefinition = {
  name: 'metrics-server',
  build: (options) => {
    if (!options.metrics.metricsServer) return undefined;
    return {
      name: 'metrics-server',
      description: 'metrics-server: resource metrics API for kubectl top and HorizontalPodAutoscalers (kube-system)',
      area: 'metrics',
      chart: pinnedChart('metrics-server'),
      namespace: KUBE_SYSTEM,
      wave: SyncWave.INFRASTRUCTURE,
      serverSideApply: false,
      values: {},
      clusterValues: NO_CLUSTER_VALUES,
      manifests: NO_MANIFESTS,
      clusterResources: [
        // v1beta1.metrics.k8s.io, served by metrics-server through the API aggregation layer.
        { group: 'apiregistration.k8s.io', kind: 'APIService' },
        // system:metrics-server, system:metrics-server-aggregated-reader, system:auth-delegator binding.
        { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
        { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
      ],
    };
  },
};
