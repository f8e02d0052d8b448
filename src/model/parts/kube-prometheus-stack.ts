import { NO_MANIFESTS, pinnedChart, storageClassField } from './chart-ref';
import {
  grafanaAdminValues, grafanaCommunityDashboardsValues, grafanaDashboardsSidecar, grafanaEnvValues, grafanaExposureValues, grafanaPersistenceValues,
} from './metrics/grafana-values';
import { tempoReceivesIntoPrometheus } from './metrics/prometheus-common';
import { MetricsBackend, Profile } from '../../options/fleet';
import { MetricsFlavor } from '../../options/options';
import { ResolvedCluster, ResolvedOptions } from '../../options/resolve';
import { alertmanagerConfig, alertmanagerSecretMounts } from '../alerts/alertmanager';
import { allRuleGroups } from '../alerts/index';
import { kubePrometheusStackRulesReplaced } from '../alerts/packs';
import { chartRuleOverrideValues } from '../alerts/rule-overrides';
import { centralAuthOf, remoteWriteAuth } from '../central-auth';
import { DatasourceUid, mimirPushUrl } from '../endpoints';
import { backendDatasources, datasourceBackends, exemplarTraceIdDestinations, prometheusDatasource } from '../grafana-datasources';
import { THANOS_OBJSTORE_SECRET } from '../object-storage';
import { PartDefinition, SyncWave } from '../stack';

/**
 * kube-prometheus-stack: prometheus-operator, Prometheus, Alertmanager, Grafana,
 * node-exporter and kube-state-metrics.
 */
export const kubePrometheusStack: PartDefinition = {
  name: 'kube-prometheus-stack',
  build: (options) => {
    if (!options.metrics.enabled || options.metrics.flavor !== MetricsFlavor.KUBE_PROMETHEUS_STACK) return undefined;
    const { metrics } = options;
    return {
      name: 'kube-prometheus-stack',
      description: 'Prometheus, Alertmanager, Grafana, node-exporter and kube-state-metrics (prometheus-operator)',
      area: 'metrics',
      chart: pinnedChart('kube-prometheus-stack'),
      namespace: metrics.namespace,
      wave: SyncWave.STACKS,
      // Grafana dashboards ConfigMaps exceed the client-side last-applied annotation limit.
      serverSideApply: true,
      // The CRDs come from the prometheus-operator-crds Application (wave 0), their one owner.
      // Charts before the `crds` sub-chart (45.x and older) ship them in their own crds/
      // folder, which no value turns off: Argo CD's helm.skipCrds leaves every crds/ folder
      // out (`helm template --skip-crds`), whatever version chartVersions pins.
      skipCrds: true,
      values: {
        // Newer charts (56.x and later) ship the CRDs in the `crds` sub-chart: turned off.
        crds: { enabled: false },
        prometheus: {
          prometheusSpec: prometheusSpec(options),
          podDisruptionBudget: { enabled: ha(options) },
          // The sidecar's gRPC Service, for a Thanos Query to find the sidecars.
          ...(metrics.backend === MetricsBackend.THANOS ? { thanosService: { enabled: true } } : {}),
        },
        alertmanager: alertmanagerValues(options),
        nodeExporter: { enabled: metrics.nodeExporter },
        kubeStateMetrics: { enabled: metrics.kubeStateMetrics },
        grafana: grafanaValues(options),
        ...defaultRulesValues(options),
      },
      clusterValues: (cluster) => ({
        prometheus: { prometheusSpec: { externalLabels: externalLabels(cluster), ...remoteWriteWithTenant(options, cluster) } },
      }),
      manifests: NO_MANIFESTS,
      // The chart scrapes the control plane through Services it creates in kube-system.
      additionalNamespaces: ['kube-system'],
      // The operator's admission webhooks get their caBundle patched in by the
      // chart's certgen Job after sync; without this Argo CD shows them OutOfSync forever.
      ignoreDifferences: [
        { group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration', jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'] },
        { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration', jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'] },
      ],
      clusterResources: [
        { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
        { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
        { group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration' },
        { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration' },
      ],
    };
  },
};

/**
 * The labels every series of a cluster carries when it leaves Prometheus
 * (remote write, federation, Thanos, alerts): the cluster, its environment,
 * region and own labels. Dashboards' cluster variable and alert routing use `cluster`.
 */
export function externalLabels(cluster: ResolvedCluster): Record<string, string> {
  return {
    ...cluster.labels,
    ...(cluster.region !== undefined ? { region: cluster.region } : {}),
    ...(cluster.environment !== undefined ? { environment: cluster.environment } : {}),
    cluster: cluster.name,
  };
}

/**
 * HA (and distributed) profiles: PodDisruptionBudgets and pod anti-affinity.
 * The values set the same keys in every profile (only the values differ), so
 * an environment's layer never has to delete a key.
 */
function ha(o: ResolvedOptions): boolean {
  return o.profile !== Profile.SINGLE_NODE;
}

/** The Prometheus custom resource's spec. */
function prometheusSpec(o: ResolvedOptions): Record<string, unknown> {
  const m = o.metrics;
  const tempo = tempoReceivesIntoPrometheus(o);
  return {
    replicas: m.prometheusReplicas,
    // HA: the pair on different nodes; otherwise spread where possible (the chart's default).
    podAntiAffinity: ha(o) ? 'hard' : 'soft',
    ...centralBackendSpec(o),
    retention: m.retention,
    ...(m.retentionSize ? { retentionSize: m.retentionSize } : {}),
    scrapeInterval: m.scrapeInterval,
    evaluationInterval: m.scrapeInterval,
    // Without a storageSpec the operator runs Prometheus on an emptyDir.
    storageSpec: {
      volumeClaimTemplate: {
        spec: {
          ...storageClassField(m.storage.storageClassName),
          accessModes: ['ReadWriteOnce'],
          resources: { requests: { storage: m.storage.size } },
        },
      },
    },
    ...(m.resources ? { resources: m.resources } : {}),
    ...(tempo ? {
      // Tempo's metrics-generator remote-writes span metrics and service graphs
      // (with trace-id exemplars) to /api/v1/write.
      enableRemoteWriteReceiver: true,
      enableFeatures: ['exemplar-storage'],
    } : {}),
    // Select ServiceMonitors, PodMonitors, Probes, ScrapeConfigs and rules
    // from every namespace, not only those labelled with this release.
    serviceMonitorSelectorNilUsesHelmValues: false,
    podMonitorSelectorNilUsesHelmValues: false,
    probeSelectorNilUsesHelmValues: false,
    scrapeConfigSelectorNilUsesHelmValues: false,
    ruleSelectorNilUsesHelmValues: false,
  };
}

/**
 * How the cluster's metrics reach the central backend: remote write to Mimir
 * (from one Prometheus per cluster: resolveMetrics rejects a pair, whose copies
 * Mimir would store twice), the Thanos sidecar uploading blocks (Thanos
 * deduplicates a pair on `prometheus_replica`), or, on the central cluster,
 * federation of the others.
 */
function centralBackendSpec(o: ResolvedOptions): Record<string, unknown> {
  const m = o.metrics;
  switch (m.backend) {
    case MetricsBackend.MIMIR:
      // With centralAuth the list is per cluster (tenant header): see remoteWriteWithTenant.
      return centralAuthOf(o) !== undefined ? {} : { remoteWrite: [{ url: mimirPushUrl(o) }] };
    case MetricsBackend.THANOS:
      return { thanos: { objectStorageConfig: { existingSecret: { ...THANOS_OBJSTORE_SECRET } } } };
    case MetricsBackend.FEDERATION: {
      const edges = o.role === 'central' ? o.edgeClusters : [];
      if (edges.length === 0) return {};
      return {
        additionalScrapeConfigs: edges.map((c) => {
          const url = new URL(c.prometheusUrl!);
          return {
            job_name: `federate-${c.name}`,
            honor_labels: true,
            metrics_path: `${url.pathname.replace(/\/$/, '')}/federate`,
            scheme: url.protocol.replace(':', ''),
            // Recording rules (level:metric:operation), alerts and up: the
            // aggregated view, not every raw series.
            params: { 'match[]': ['{__name__=~"[a-z_]+:[a-z0-9_]+:[a-z0-9_]+"}', '{__name__="ALERTS"}', '{__name__="up"}'] },
            static_configs: [{ targets: [url.host] }],
          };
        }),
      };
    }
    default:
      return {};
  }
}

/**
 * Remote write to Mimir in a distributed environment: the cluster's tenant
 * header and, from an edge cluster, the credentials from the Secret of
 * `centralAuth` (src/model/central-auth.ts). Per cluster, as the tenant may
 * be the cluster's name.
 */
function remoteWriteWithTenant(o: ResolvedOptions, cluster: ResolvedCluster): Record<string, unknown> {
  if (!o.metrics.enabled || o.metrics.backend !== MetricsBackend.MIMIR || centralAuthOf(o) === undefined) return {};
  return { remoteWrite: [{ url: mimirPushUrl(o), ...remoteWriteAuth(o, cluster) }] };
}

/**
 * Alertmanager; with more than one replica the operator forms a gossip cluster (HA, deduplicated notifications).
 * `config` (routing and receivers, src/model/alerts/alertmanager.ts) is Helm-merged over the chart's default
 * config: it sets every key the default has, so the default's routes, receivers and inhibit rules are replaced.
 * The receivers' Secrets are mounted by the operator at /etc/alertmanager/secrets/<secret>/, where the
 * config's `*_file` fields point.
 */
function alertmanagerValues(o: ResolvedOptions): Record<string, unknown> {
  if (!o.metrics.alertmanager) return { enabled: false };
  const secrets = alertmanagerSecretMounts(o).map((m) => m.secretName);
  return {
    enabled: true,
    config: alertmanagerConfig(o),
    podDisruptionBudget: { enabled: ha(o) },
    alertmanagerSpec: {
      replicas: o.metrics.alertmanagerReplicas,
      ...(secrets.length > 0 ? { secrets } : {}),
    },
  };
}

/** The grafana sub-chart: the chart's own Prometheus / Alertmanager datasources plus the stack's other backends. */
function grafanaValues(o: ResolvedOptions): Record<string, unknown> {
  if (!o.grafana.enabled) return { enabled: false };
  const backends = datasourceBackends(o);
  const exemplars = exemplarTraceIdDestinations(backends);
  // With a central Mimir or Thanos, Grafana's Prometheus datasource queries it
  // (every cluster's series) instead of the chart's local one.
  const central = o.metrics.backend === MetricsBackend.MIMIR || o.metrics.backend === MetricsBackend.THANOS;
  const additional = [...(central ? [prometheusDatasource(o, backends)] : []), ...backendDatasources(o, backends)];
  const exposure = grafanaExposureValues(o.grafana);
  // HA: two Grafana replicas (dashboards and datasources are provisioned, so
  // they are stateless) unless they keep state on a volume.
  return {
    enabled: true,
    replicas: ha(o) && !o.grafana.persistence ? 2 : 1,
    // One pod at a time may go (node drains): keeps one of two, never blocks a single one.
    podDisruptionBudget: { maxUnavailable: 1 },
    // Admin credentials come from an existing Secret, never from Git.
    ...grafanaAdminValues(o.grafana),
    ...exposure,
    ...grafanaPersistenceValues(o.grafana),
    ...grafanaEnvValues(o),
    sidecar: {
      dashboards: grafanaDashboardsSidecar(),
      datasources: {
        // kube-prometheus-stack writes the Prometheus and Alertmanager datasources itself.
        defaultDatasourceEnabled: !central,
        uid: DatasourceUid.PROMETHEUS,
        // The chart's `exemplarTraceIdDestinations` takes a single label; jsonData takes a list,
        // so both trace-id labels (OpenTelemetry SDKs and Tempo's metrics-generator) link to Tempo.
        ...(exemplars.length > 0 ? { extraJsonData: { exemplarTraceIdDestinations: exemplars } } : {}),
        alertmanager: o.metrics.alertmanager
          ? { enabled: true, uid: DatasourceUid.ALERTMANAGER, implementation: 'prometheus' }
          : { enabled: false },
      },
    },
    ...(additional.length > 0 ? { additionalDataSources: additional } : {}),
    ...grafanaCommunityDashboardsValues(o),
  };
}

/**
 * Turn off the chart's default rules that the stack's rule packs replace, so
 * one problem does not notify twice under two names.
 */
function defaultRulesValues(o: ResolvedOptions): Record<string, unknown> {
  // alerting.ruleOverrides of the chart's own rules: disabled, or `for` / severity through customRules.
  const ours = new Set(allRuleGroups(o).flatMap((g) => g.rules.flatMap((r) => (r.alert !== undefined ? [r.alert] : []))));
  const overrides = chartRuleOverrideValues(o, ours);
  const disabled = [...new Set([...kubePrometheusStackRulesReplaced(o), ...overrides.disabled])].sort();
  return {
    ...(disabled.length > 0 ? { defaultRules: { disabled: Object.fromEntries(disabled.map((n) => [n, true])) } } : {}),
    ...(Object.keys(overrides.customRules).length > 0 ? { customRules: overrides.customRules } : {}),
  };
}
