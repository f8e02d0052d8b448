import { NO_CLUSTER_VALUES, NO_MANIFESTS, pinnedChart } from './chart-ref';
import {
  grafanaAdminValues, grafanaCommunityDashboardsValues, grafanaDashboardsSidecar, grafanaEnvValues, grafanaExposureValues,
  grafanaPersistenceValues,
} from './metrics/grafana-values';
import { MetricsFlavor } from '../../options/options';
import { allDatasources } from '../grafana-datasources';
import { PartDefinition, SyncWave } from '../stack';

/**
 * The standalone grafana chart (MetricsFlavor.STANDALONE) with the stack's datasources.
 * With kube-prometheus-stack, Grafana is its sub-chart instead (same chart version).
 */
export const grafana: PartDefinition = {
  name: 'grafana',
  build: (options) => {
    if (!options.grafana.enabled || !options.metrics.enabled || options.metrics.flavor !== MetricsFlavor.STANDALONE) return undefined;
    const g = options.grafana;
    return {
      name: 'grafana',
      description: 'Grafana with provisioned, cross-linked datasources for Prometheus, Alertmanager, logs and traces',
      area: 'grafana',
      chart: pinnedChart('grafana'),
      namespace: options.metrics.namespace,
      wave: SyncWave.STACKS,
      serverSideApply: false,
      values: {
        // Admin credentials come from an existing Secret, never from Git.
        ...grafanaAdminValues(g),
        ...grafanaExposureValues(g),
        ...grafanaPersistenceValues(g),
        ...grafanaEnvValues(options),
        datasources: {
          'datasources.yaml': {
            apiVersion: 1,
            datasources: allDatasources(options),
          },
        },
        sidecar: { dashboards: grafanaDashboardsSidecar() },
        ...grafanaCommunityDashboardsValues(options),
      },
      clusterValues: NO_CLUSTER_VALUES,
      manifests: NO_MANIFESTS,
      clusterResources: [
        // The dashboards sidecar watches ConfigMaps and Secrets in every namespace.
        { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
        { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
      ],
    };
  },
};
