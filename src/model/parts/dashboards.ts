import { NO_CLUSTER_VALUES, NO_MANIFESTS } from './chart-ref';
import { ResolvedOptions } from '../../options/resolve';
import { stackComponents } from '../dashboards/render';
import { PartDefinition, StackPart, SyncWave } from '../stack';

/**
 * The library's Grafana dashboards, as ConfigMaps the Grafana dashboards
 * sidecar loads (label `grafana_dashboard: "1"`, folder from the
 * `grafana_folder` annotation).
 *
 * The part has no chart and no `manifests()`: its folder
 * `manifests/<cluster>/dashboards/` is a Kustomize directory written by the
 * DashboardFiles component (src/components/dashboard-files.ts): the
 * dashboards as plain JSON files, and a `kustomization.yaml` whose
 * configMapGenerator makes one ConfigMap per Grafana folder. `kustomizeDir`
 * tells the Application renderer to sync that folder from Git anyway.
 */

/** Part name: the Application name suffix and the folder under `manifests/<cluster>/`. */
export const DASHBOARDS_PART = 'dashboards';

/** Whether the library's dashboards are generated: metrics, Grafana and `dashboards.enabled` on. */
export function dashboardsEnabled(o: ResolvedOptions): boolean {
  return o.metrics.enabled && o.grafana.enabled && o.dashboards.enabled;
}

export const dashboards: PartDefinition = {
  name: DASHBOARDS_PART,
  build: (options) => {
    if (!dashboardsEnabled(options)) return undefined;
    const part: StackPart = {
      name: DASHBOARDS_PART,
      description: `Grafana dashboards: ${dashboardKinds(options).join(', ')} (ConfigMaps per Grafana folder, loaded by the Grafana sidecar)`,
      area: 'grafana',
      namespace: options.metrics.namespace,
      // After Grafana (and the stacks whose metrics they show).
      wave: SyncWave.CONFIGURATION,
      // A folder's ConfigMap easily exceeds the 256 KiB last-applied annotation of client-side apply.
      serverSideApply: true,
      values: {},
      clusterValues: NO_CLUSTER_VALUES,
      manifests: NO_MANIFESTS,
      kustomizeDir: true,
      clusterResources: [],
    };
    return part;
  },
};

/** What the dashboards cover, for the README line. */
function dashboardKinds(o: ResolvedOptions): string[] {
  const has = stackComponents(o);
  return [
    ...(has.has('kube-state-metrics') ? ['cluster overview'] : []),
    ...(has.has('node-exporter') ? ['nodes (USE)'] : []),
    ...(o.services.length > 0 ? [`${o.services.length} service${o.services.length === 1 ? '' : 's'} (golden signals)`] : []),
    ...(has.has('loki') ? ['logs'] : []),
    ...(has.has('tempo') ? ['traces and service graph'] : []),
    'stack health',
  ];
}
