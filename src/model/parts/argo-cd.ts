import { NO_CLUSTER_VALUES, NO_MANIFESTS, pinnedChart } from './chart-ref';
import { serviceMonitorsAvailable } from './metrics/prometheus-common';
import { IN_CLUSTER_SERVER, ResolvedOptions } from '../../options/resolve';
import { InvalidOptionError } from '../../validation/errors';
import { PartDefinition, SyncWave } from '../stack';

/**
 * Sync wave of Argo CD itself: right after the AppProject (-10) and before
 * everything else of the stack, CRDs (0) included. Argo CD upgrades itself
 * first; the rest of the stack then syncs on the upgraded controller, and the
 * root Application only moves on once this Application is healthy.
 */
export const ARGO_CD_WAVE = SyncWave.PROJECT + 1;

/**
 * Release name (and part name) of Argo CD. The bootstrap script installs the
 * first release under this name, so the Application adopts it unchanged.
 */
export const ARGO_CD_PART = 'argo-cd';

/**
 * Health check of `argoproj.io/Application`, verbatim from the Argo CD docs
 * (operator-manual/health.md, "Argocd App"). Argo CD removed the built-in
 * check in 1.8; without it a child Application is healthy as soon as it
 * exists, and the root Application's sync waves do not wait for anything.
 * With it, wave N+1 starts only when every Application of wave N is healthy.
 */
export const APPLICATION_HEALTH_LUA = [
  'hs = {}',
  'hs.status = "Progressing"',
  'hs.message = ""',
  'if obj.status ~= nil then',
  '  if obj.status.health ~= nil then',
  '    hs.status = obj.status.health.status',
  '    if obj.status.health.message ~= nil then',
  '      hs.message = obj.status.health.message',
  '    end',
  '  end',
  'end',
  'return hs',
  '',
].join('\n');

/** The `argocd-cm` key the health check goes under. */
export const APPLICATION_HEALTH_KEY = 'resource.customizations.health.argoproj.io_Application';

/**
 * Sync options of Argo CD's own CRDs. The chart's default annotation is only
 * `ServerSideApply=true` (the CRDs are too large for client-side apply); we
 * add Prune=false and Delete=false: deleting the Application CRD deletes
 * every Application in the cluster (and, through their finalizers, what they
 * deployed). Argo CD must never do that, neither when a chart upgrade stops
 * rendering a CRD nor when this Application is deleted with cascade.
 */
const CRD_SYNC_OPTIONS = 'ServerSideApply=true,Prune=false,Delete=false';

/**
 * Argo CD managing itself (`argocd.selfManaged`): the argo-cd chart as an
 * Application of the stack, first of all waves. `scripts/bootstrap.sh`
 * installs the very same release (chart, version, values file) with Helm
 * once; from then on Argo CD upgrades itself from Git.
 *
 * Self-management safety: the Application carries no resources finalizer
 * (`keepResourcesOnDelete`), so when it is pruned by the root Application
 * (selfManaged turned off) or deleted by hand, Argo CD keeps running and
 * is simply no longer managed. The CRDs are additionally protected from
 * pruning and cascade deletion (see `CRD_SYNC_OPTIONS`).
 */
export const argoCd: PartDefinition = {
  name: ARGO_CD_PART,
  build: (options) => {
    if (!options.argocd.selfManaged) return undefined;
    checkSingleArgoCdCluster(options);
    return {
      name: ARGO_CD_PART,
      description: 'Argo CD itself (self-managed), synced first; installed once by scripts/bootstrap.sh',
      area: 'gitops',
      chart: pinnedChart('argo-cd'),
      namespace: options.argocd.namespace,
      wave: ARGO_CD_WAVE,
      // The Application/ApplicationSet CRDs exceed the 256 KiB last-applied annotation.
      serverSideApply: true,
      keepResourcesOnDelete: true,
      values: argoCdValues(options),
      clusterValues: NO_CLUSTER_VALUES,
      manifests: NO_MANIFESTS,
      clusterResources: [
        // Application, ApplicationSet, AppProject (crds.install).
        { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' },
        // Controller, server, repo-server, ApplicationSet and notifications controllers (createClusterRoles).
        { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
        { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
      ],
      // What the chart renders with these values (test/render/project-permissions.test.ts renders it):
      // the AppProject of Argo CD's namespace allows these and nothing else.
      namespacedResources: [
        { group: '', kind: 'ConfigMap' },
        { group: '', kind: 'Secret' },
        { group: '', kind: 'Service' },
        { group: '', kind: 'ServiceAccount' },
        { group: 'apps', kind: 'Deployment' },
        { group: 'apps', kind: 'StatefulSet' },
        // the redis secret init hook
        { group: 'batch', kind: 'Job' },
        { group: 'networking.k8s.io', kind: 'NetworkPolicy' },
        { group: 'rbac.authorization.k8s.io', kind: 'Role' },
        { group: 'rbac.authorization.k8s.io', kind: 'RoleBinding' },
        ...(serviceMonitorsAvailable(options) ? [{ group: 'monitoring.coreos.com', kind: 'ServiceMonitor' }] : []),
      ],
    };
  },
};

/** Helm values of the argo-cd chart: what the app-of-apps needs, nothing secret. */
function argoCdValues(options: ResolvedOptions): Record<string, unknown> {
  // The application controller's metrics (argocd_app_info: sync and health of
  // every Application) feed the ArgoCd* alerts and the stack-health dashboard,
  // scraped through a ServiceMonitor where prometheus-operator runs.
  return {
    // Resource names as in the upstream install manifests (argocd-server,
    // argocd-repo-server, argocd-application-controller, ...) rather than
    // "argo-cd-argocd-*": the docs' commands and the bootstrap script's
    // rollout checks work unchanged.
    fullnameOverride: 'argocd',
    crds: {
      install: true,
      // helm.sh/resource-policy: keep, for `helm uninstall`.
      keep: true,
      annotations: { 'argocd.argoproj.io/sync-options': CRD_SYNC_OPTIONS },
    },
    configs: {
      cm: {
        [APPLICATION_HEALTH_KEY]: APPLICATION_HEALTH_LUA,
      },
      // configs.params is left to the chart: its presets wire repo.server and
      // redis.server; server.insecure stays false (the API server serves TLS,
      // reach it with `kubectl port-forward svc/argocd-server 8080:443`).
      // configs.secret is left alone too: no admin password in Git, Argo CD
      // generates argocd-initial-admin-secret on first start.
    },
    // Dex only brokers SSO, which the stack does not configure. Off saves a
    // Deployment; turn it on together with `configs.cm."dex.config"` in
    // values/overrides/argo-cd.yaml when you add SSO.
    dex: { enabled: false },
    controller: { metrics: { enabled: true, serviceMonitor: { enabled: serviceMonitorsAvailable(options) } } },
    // JSON logs: the stack's own log pipeline parses them without a regex.
    global: { logging: { format: 'json' } },
  };
}

/**
 * Self-management deploys the argo-cd chart with one Application per cluster
 * like any part, so it is only correct when the stack has a single cluster
 * and it is the one Argo CD runs in: otherwise Argo CD would be installed into
 * every cluster of the fleet.
 */
function checkSingleArgoCdCluster(options: ResolvedOptions): void {
  const remote = options.clusters.find((c) => c.server !== IN_CLUSTER_SERVER);
  if (options.clusters.length > 1 || remote) {
    throw new InvalidOptionError('argocd.selfManaged', true,
      `needs a single cluster at ${IN_CLUSTER_SERVER} (the one Argo CD runs in), but clusters lists ` +
      `${options.clusters.map((c) => `"${c.name}" (${c.server})`).join(', ')}: ` +
      'the argo-cd Application would install Argo CD into every cluster. Turn argocd.selfManaged off for a fleet.');
  }
}
