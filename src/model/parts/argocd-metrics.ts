import { NO_CLUSTER_VALUES } from './chart-ref';
import { serviceMonitorsAvailable } from './metrics/prometheus-common';
import { ResolvedOptions } from '../../options/resolve';
import { KubeObject, PartDefinition, SyncWave } from '../stack';

/** Name of the part, its Application and its ServiceMonitor. */
export const ARGOCD_METRICS_PART = 'argocd-metrics';

/**
 * Argo CD's application-controller metrics (argocd_app_info: the sync and
 * health status of every Application, which the ArgoCd* alerts and the
 * stack-health dashboard read) when Argo CD is NOT self-managed, with
 * kube-prometheus-stack: a ServiceMonitor in Argo CD's namespace.
 *
 * It selects the Service every Argo CD install has for these metrics, by the
 * label both carry: `argocd-metrics` (port `metrics`, 8082) of the upstream
 * install manifests (what scripts/bootstrap.sh installs), and
 * `argocd-application-controller-metrics` (port `http-metrics`) of the argo-cd
 * chart with `controller.metrics.enabled`. On a cluster where Argo CD does not
 * run it selects nothing. A self-managed Argo CD brings its own ServiceMonitor
 * (argo-cd.ts); the standalone flavor scrapes the same Service with a job of
 * prometheus.yml (standalone-stack-scrape.ts).
 */
export const argoCdMetrics: PartDefinition = {
  name: ARGOCD_METRICS_PART,
  build: (options) => {
    if (options.argocd.selfManaged || !serviceMonitorsAvailable(options)) return undefined;
    return {
      name: ARGOCD_METRICS_PART,
      description: `ServiceMonitor of Argo CD's application-controller metrics (Service argocd-metrics in ${options.argocd.namespace}): Application sync and health for the ArgoCd* alerts`,
      area: 'gitops',
      namespace: options.argocd.namespace,
      wave: SyncWave.CONFIGURATION,
      serverSideApply: false,
      // The monitoring.coreos.com CRDs come from another Application of the same root sync.
      syncOptions: ['SkipDryRunOnMissingResource=true'],
      values: {},
      clusterValues: NO_CLUSTER_VALUES,
      manifests: () => [argoCdServiceMonitor(options)],
      clusterResources: [],
    };
  },
};

/** The ServiceMonitor (exported for tests). */
export function argoCdServiceMonitor(o: ResolvedOptions): KubeObject {
  const endpoint = (port: string) => ({ port, path: '/metrics', interval: '30s' });
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: {
      name: ARGOCD_METRICS_PART,
      namespace: o.argocd.namespace,
      labels: { 'app.kubernetes.io/name': ARGOCD_METRICS_PART, 'app.kubernetes.io/part-of': o.argocd.project },
    },
    spec: {
      selector: { matchLabels: { 'app.kubernetes.io/name': 'argocd-metrics' } },
      // Upstream manifests name the port `metrics`, the chart `http-metrics`: one endpoint each,
      // the one a Service does not have selects nothing.
      endpoints: [endpoint('metrics'), endpoint('http-metrics')],
    },
  };
}
