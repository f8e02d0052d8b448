import { NO_MANIFESTS, pinnedChart } from './chart-ref';
import { MetricsFlavor } from '../../options/options';
import { PartDefinition, SyncWave } from '../stack';

/**
 * kube-prometheus-stack: prometheus-operator, Prometheus, Alertmanager, Grafana,
 * node-exporter and kube-state-metrics.
 */
export const kubePrometheusStack: PartDefinition = {
  name: 'kube-prometheus-stack',
  build: (options) => {
    if (!options.metrics.enabled || options.metrics.flavor !== MetricsFlavor.KUBE_PROMETHEUS_STACK) return undefined;
    const { grafana, metrics } = options;
    return {
      name: 'kube-prometheus-stack',
      description: 'Prometheus, Alertmanager, Grafana, node-exporter and kube-state-metrics (prometheus-operator)',
      area: 'metrics',
      chart: pinnedChart('kube-prometheus-stack'),
      namespace: metrics.namespace,
      wave: SyncWave.STACKS,
      // Grafana dashboards ConfigMaps exceed the client-side last-applied annotation limit.
      serverSideApply: true,
      values: {
        // The CRDs come from the prometheus-operator-crds Application (wave 0).
        crds: { enabled: false },
        prometheus: {
          prometheusSpec: {
            retention: metrics.retention,
            // Select ServiceMonitors, PodMonitors, Probes, ScrapeConfigs and rules
            // from every namespace, not only those labelled with this release.
            serviceMonitorSelectorNilUsesHelmValues: false,
            podMonitorSelectorNilUsesHelmValues: false,
            probeSelectorNilUsesHelmValues: false,
            scrapeConfigSelectorNilUsesHelmValues: false,
            ruleSelectorNilUsesHelmValues: false,
          },
        },
        grafana: {
          // Admin credentials come from an existing Secret, never from Git.
          admin: {
            existingSecret: grafana.adminSecretName,
            userKey: grafana.adminUserKey,
            passwordKey: grafana.adminPasswordKey,
          },
        },
      },
      clusterValues: (cluster) => ({
        prometheus: { prometheusSpec: { externalLabels: { cluster: cluster.name } } },
      }),
      manifests: NO_MANIFESTS,
      clusterResources: [
        { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
        { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
        { group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration' },
        { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration' },
      ],
    };
  },
};
