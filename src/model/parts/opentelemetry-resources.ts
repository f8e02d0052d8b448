import { NO_CLUSTER_VALUES } from './chart-ref';
import { gatewayCollector, gatewayRbac } from './traces/gateway';
import { instrumentation, instrumentationReadmeLines as readmeLines } from './traces/instrumentation';
import { ResolvedOptions } from '../../options/resolve';
import { ClusterTarget, KubeObject, PartDefinition, SyncWave } from '../stack';

/**
 * The gateway OpenTelemetryCollector and the Instrumentation resource (plain
 * manifests, one set per cluster: the gateway labels spans with its cluster's
 * name). The OpenTelemetry operator (wave 10) turns them into a Deployment and
 * a Service, and injects the SDKs into pods that opt in.
 */
export const opentelemetryResources: PartDefinition = {
  name: 'opentelemetry-resources',
  build: (options) => {
    if (!options.traces.enabled) return undefined;
    return {
      name: 'opentelemetry-resources',
      description: `Gateway OpenTelemetryCollector (OTLP in, k8s.cluster.name added, export to the traces backend) and the Instrumentation for auto-instrumentation (${options.traces.instrumentationLanguages.join(', ') || 'no language'})`,
      area: 'traces',
      namespace: options.traces.namespace,
      wave: SyncWave.CONFIGURATION,
      serverSideApply: false,
      // The opentelemetry.io CRDs come from the operator's Application in the
      // same root sync: without this, the dry run fails until they exist.
      syncOptions: ['SkipDryRunOnMissingResource=true'],
      values: {},
      clusterValues: NO_CLUSTER_VALUES,
      manifests: (cluster: ClusterTarget): KubeObject[] => [
        ...gatewayRbac(options),
        gatewayCollector(options, cluster),
        instrumentation(options),
      ],
      // The k8s_attributes processor's read access to pods, namespaces and replicasets.
      clusterResources: [
        { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
        { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
      ],
    };
  },
};

/**
 * README section on auto-instrumentation: how a workload opts in (one
 * annotation per enabled language on the pod template) and the Go caveats.
 * Markdown lines starting with a `##` heading; empty when traces are off.
 */
export function instrumentationReadmeLines(options: ResolvedOptions): string[] {
  return readmeLines(options);
}
