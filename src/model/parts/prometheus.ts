import { NO_MANIFESTS, pinnedChart } from './chart-ref';
import { scrapeTimeout, tempoReceivesIntoPrometheus } from './metrics/prometheus-common';
import { checkServerConfigMapSize } from './metrics/standalone-configmap';
import { MetricsFlavor } from '../../options/options';
import { ResolvedOptions } from '../../options/resolve';
import { alertmanagerConfig, alertmanagerSecretMounts } from '../alerts/alertmanager';
import { prometheusServerFiles } from '../alerts/standalone';
import { prometheusExtraScrapeConfigs } from '../alerts/standalone-scrape';
import { PartDefinition, SyncWave } from '../stack';

/**
 * The standalone prometheus chart (MetricsFlavor.STANDALONE): Prometheus, Alertmanager, node-exporter, kube-state-metrics.
 *
 * Prometheus is configured from the chart's prometheus.yml (its jobs, with
 * annotation-based `prometheus.io/scrape` discovery) and our jobs in
 * `extraScrapeConfigs` (the stack's components and the services, in place of
 * ServiceMonitors: there is no operator and no ServiceMonitor CRD in this flavor).
 */
export const prometheus: PartDefinition = {
  name: 'prometheus',
  build: (options) => {
    if (!options.metrics.enabled || options.metrics.flavor !== MetricsFlavor.STANDALONE) return undefined;
    const { metrics } = options;
    // Rule files and scrape jobs share the server ConfigMap: refused when they would not fit.
    const serverFiles = prometheusServerFiles(options);
    const extraScrapeConfigs = prometheusExtraScrapeConfigs(options);
    checkServerConfigMapSize(options, serverFiles, extraScrapeConfigs);
    return {
      name: 'prometheus',
      description: 'Prometheus server, Alertmanager, node-exporter and kube-state-metrics (standalone prometheus chart)',
      area: 'metrics',
      chart: pinnedChart('prometheus'),
      namespace: metrics.namespace,
      wave: SyncWave.STACKS,
      // The server ConfigMap carries every rule and scrape job (up to ~1 MiB, see
      // standalone-configmap.ts): far over client-side apply's 256 KiB annotation.
      serverSideApply: true,
      values: {
        'server': serverValues(options),
        'alertmanager': metrics.alertmanager ? alertmanagerValues(options) : { enabled: false },
        'prometheus-node-exporter': { enabled: metrics.nodeExporter },
        'kube-state-metrics': { enabled: metrics.kubeStateMetrics },
        'prometheus-pushgateway': { enabled: false },
        ...serverFilesValues(serverFiles),
        ...extraScrapeConfigsValues(extraScrapeConfigs),
      },
      clusterValues: (cluster) => ({
        server: { global: { external_labels: { cluster: cluster.name } } },
      }),
      manifests: NO_MANIFESTS,
      clusterResources: [
        // Prometheus' service discovery and kube-state-metrics read the whole cluster.
        { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
        { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
      ],
    };
  },
};

/**
 * The alertmanager subchart (prometheus-community/alertmanager 1.42.0, Alertmanager v0.34.0).
 * More than one replica: the chart starts Alertmanager as a gossip cluster
 * (--cluster.peer for every pod) and Prometheus sends alerts to every pod.
 * `config` (src/model/alerts/alertmanager.ts) becomes the subchart's ConfigMap; Helm merges it
 * over the default config, and it sets every key the default has. `extraSecretMounts` mounts each
 * receiver's Secret read-only at /etc/alertmanager-secrets/<secret>/, where the config's `*_file`
 * fields point.
 */
function alertmanagerValues(o: ResolvedOptions): Record<string, unknown> {
  const mounts = alertmanagerSecretMounts(o);
  return {
    enabled: true,
    replicaCount: o.metrics.alertmanagerReplicas,
    config: alertmanagerConfig(o),
    ...(mounts.length > 0 ? {
      extraSecretMounts: mounts.map((m) => ({
        name: m.volumeName,
        mountPath: m.mountPath,
        // The template renders subPath and readOnly unconditionally: set both.
        subPath: '',
        secretName: m.secretName,
        readOnly: true,
      })),
    } : {}),
  };
}

function serverValues(o: ResolvedOptions): Record<string, unknown> {
  const m = o.metrics;
  const tempo = tempoReceivesIntoPrometheus(o);
  return {
    // Always a StatefulSet, even with one replica: each replica gets its own volume
    // (volumeClaimTemplates), and raising prometheusReplicas later keeps the data
    // instead of switching from a Deployment's single PVC.
    statefulSet: { enabled: true },
    replicaCount: m.prometheusReplicas,
    retention: m.retention,
    ...(m.retentionSize ? { retentionSize: m.retentionSize } : {}),
    persistentVolume: {
      enabled: true,
      accessModes: ['ReadWriteOnce'],
      size: m.storage.size,
      ...(m.storage.storageClassName ? { storageClass: m.storage.storageClassName } : {}),
    },
    ...(m.resources ? { resources: m.resources } : {}),
    global: {
      scrape_interval: m.scrapeInterval,
      scrape_timeout: scrapeTimeout(m.scrapeInterval),
      evaluation_interval: m.scrapeInterval,
    },
    ...(tempo ? {
      // The list replaces the chart's default, so it repeats web.enable-lifecycle
      // (the config reloader POSTs to /-/reload). Tempo's metrics-generator
      // remote-writes span metrics and service graphs with trace-id exemplars.
      extraFlags: ['web.enable-lifecycle', 'web.enable-remote-write-receiver', 'enable-feature=exemplar-storage'],
    } : {}),
  };
}

/** The stack's alert and recording rules as the chart's rule files (loaded by its default prometheus.yml). */
function serverFilesValues(files: Record<string, unknown>): Record<string, unknown> {
  return Object.keys(files).length > 0 ? { serverFiles: files } : {};
}

/** Scrape jobs of the stack's components and of the user's services (the chart appends this YAML to scrape_configs). */
function extraScrapeConfigsValues(extra: string): Record<string, unknown> {
  return extra ? { extraScrapeConfigs: extra } : {};
}
