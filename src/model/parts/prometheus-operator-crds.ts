import { NO_CLUSTER_VALUES, NO_MANIFESTS, pinnedChart } from './chart-ref';
import { MetricsFlavor } from '../../options/options';
import { PartDefinition, SyncWave } from '../stack';

/**
 * The prometheus-operator CRDs as their own Application, synced first and with
 * server-side apply: Helm never upgrades CRDs, and client-side apply fails on
 * CRDs this large (the last-applied annotation exceeds 256 KiB).
 */
export const prometheusOperatorCrds: PartDefinition = {
  name: 'prometheus-operator-crds',
  build: (options) => {
    if (!options.metrics.enabled || options.metrics.flavor !== MetricsFlavor.KUBE_PROMETHEUS_STACK) return undefined;
    return {
      name: 'prometheus-operator-crds',
      description: 'prometheus-operator CustomResourceDefinitions (ServiceMonitor, PodMonitor, PrometheusRule, ...), synced first',
      area: 'metrics',
      chart: pinnedChart('prometheus-operator-crds'),
      namespace: options.metrics.namespace,
      wave: SyncWave.CRDS,
      serverSideApply: true,
      values: {},
      clusterValues: NO_CLUSTER_VALUES,
      manifests: NO_MANIFESTS,
      clusterResources: [{ group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' }],
    };
  },
};
