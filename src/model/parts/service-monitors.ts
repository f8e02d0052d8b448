import { NO_CLUSTER_VALUES } from './chart-ref';
import { scrapeTimeout } from './metrics/prometheus-common';
import { MetricsFlavor, MonitorKind } from '../../options/options';
import { ResolvedOptions, ResolvedService } from '../../options/resolve';
import { SERVICE_LABEL } from '../alerts/services';
import { KubeObject, PartDefinition, SyncWave } from '../stack';

/**
 * A ServiceMonitor or PodMonitor per service (`services`), with the
 * kube-prometheus-stack flavor: plain manifests in each service's own
 * namespace, synced after the stack (the CRDs come from the
 * prometheus-operator-crds Application). The Prometheus custom resource
 * selects monitors in every namespace (kube-prometheus-stack.ts).
 *
 * Every target gets `service="<services[i].name>"` by relabeling, so the
 * rules and dashboards select `{namespace="<ns>", service="<name>"}` whatever
 * the monitor kind: prometheus-operator sets `service` to the Kubernetes
 * Service's name for a ServiceMonitor (our relabeling, applied after the
 * operator's own, replaces it with the configured name) and sets none for a
 * PodMonitor.
 */
export const serviceMonitors: PartDefinition = {
  name: 'service-monitors',
  build: (options) => {
    const { metrics, services } = options;
    if (!metrics.enabled || metrics.flavor !== MetricsFlavor.KUBE_PROMETHEUS_STACK || services.length === 0) return undefined;
    const namespaces = [...new Set(services.map((s) => s.namespace))].filter((n) => n !== metrics.namespace).sort();
    const kinds = [...new Set(services.map((s) => (s.monitor === MonitorKind.POD_MONITOR ? 'PodMonitor' : 'ServiceMonitor')))].sort();
    return {
      name: 'service-monitors',
      description: `${kinds.join(' and ')} of your services (${services.map((s) => `${s.namespace}/${s.name}`).join(', ')}), each labelling its series with service="<name>"`,
      area: 'metrics',
      namespace: metrics.namespace,
      // The services' namespaces are theirs: the monitors go there (AppProject destinations).
      ...(namespaces.length > 0 ? { additionalNamespaces: namespaces } : {}),
      wave: SyncWave.CONFIGURATION,
      serverSideApply: false,
      // The monitoring.coreos.com CRDs come from another Application of the same root sync.
      syncOptions: ['SkipDryRunOnMissingResource=true'],
      values: {},
      clusterValues: NO_CLUSTER_VALUES,
      manifests: () => serviceMonitorManifests(options),
      clusterResources: [],
    };
  },
};

/** The relabeling that sets the `service` label of every target to the service's configured name. */
export function serviceLabelRelabeling(svc: Pick<ResolvedService, 'name'>): Record<string, unknown> {
  return { action: 'replace', targetLabel: SERVICE_LABEL, replacement: svc.name };
}

/** `monitoring.coreos.com/v1` ServiceMonitor or PodMonitor of every service, in the service's namespace. */
export function serviceMonitorManifests(o: ResolvedOptions): KubeObject[] {
  return o.services.map((svc) => monitorOf(o, svc));
}

function monitorOf(o: ResolvedOptions, svc: ResolvedService): KubeObject {
  const endpoint = {
    // A Service port name (ServiceMonitor) or a container port name (PodMonitor).
    port: svc.port,
    path: svc.metricsPath,
    interval: svc.scrapeInterval,
    // Prometheus rejects a timeout longer than the interval; the global 10s would be, below 10s.
    scrapeTimeout: scrapeTimeout(svc.scrapeInterval),
    relabelings: [serviceLabelRelabeling(svc)],
  };
  const pod = svc.monitor === MonitorKind.POD_MONITOR;
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: pod ? 'PodMonitor' : 'ServiceMonitor',
    metadata: {
      name: svc.name,
      namespace: svc.namespace,
      labels: {
        'app.kubernetes.io/name': svc.name,
        'app.kubernetes.io/part-of': o.argocd.project,
      },
    },
    spec: {
      // No namespaceSelector: a monitor selects in its own namespace, the service's.
      selector: { matchLabels: { ...svc.selector } },
      ...(pod ? { podMetricsEndpoints: [endpoint] } : { endpoints: [endpoint] }),
    },
  };
}
