import { valueFilesOf, Layout } from './layout';
import { ClusterTarget, GroupKind, StackModel, StackPart, SyncWave } from '../model/stack';
import { IN_CLUSTER_SERVER } from '../options/resolve';

/**
 * Pure builders of the Argo CD manifests (Application, AppProject) of a stack
 * model. They return plain objects; components write them, validation checks
 * them against the Argo CD CRD schemas.
 */

const API_VERSION = 'argoproj.io/v1alpha1';
const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';
const RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';
/** `ref` name of the Git source that carries the values files. */
const VALUES_REF = 'values';

/** Retry with exponential backoff: 10s, 20s, 40s, ... capped at 3m, five times. */
const RETRY = { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } };

/** Name of the Application of a part on a cluster. Stable when clusters are added. */
export function applicationName(cluster: ClusterTarget, part: StackPart): string {
  return `${cluster.name}-${part.name}`;
}

/** Name of the root Application. */
export function rootApplicationName(model: StackModel): string {
  return `${model.argocd.project}-root`;
}

/**
 * The child Application of one part on one cluster: the chart from its Helm
 * repository with values from Git, and/or the part's plain manifests from Git.
 */
export function childApplication(model: StackModel, cluster: ClusterTarget, part: StackPart): Record<string, unknown> {
  const syncOptions = ['CreateNamespace=true'];
  if (part.serverSideApply) syncOptions.push('ServerSideApply=true');
  syncOptions.push(...(part.syncOptions ?? []));
  const sources: Record<string, unknown>[] = [];
  if (part.chart) {
    sources.push(
      {
        repoURL: part.chart.repoUrl,
        chart: part.chart.name,
        targetRevision: part.chart.version,
        helm: {
          releaseName: part.name,
          valueFiles: valueFilesOf(model, cluster, part).map((f) => `$${VALUES_REF}/${f}`),
          // The user-owned override files are optional.
          ignoreMissingValueFiles: true,
        },
      },
      { repoURL: model.repo.url, targetRevision: model.repo.revision, ref: VALUES_REF },
    );
  }
  if (part.kustomizeDir || part.manifests(cluster).length > 0) {
    sources.push({ repoURL: model.repo.url, targetRevision: model.repo.revision, path: Layout.manifestsDir(cluster, part) });
  }
  return {
    apiVersion: API_VERSION,
    kind: 'Application',
    metadata: {
      name: applicationName(cluster, part),
      namespace: model.argocd.namespace,
      labels: {
        'app.kubernetes.io/part-of': model.argocd.project,
        'app.kubernetes.io/component': part.name,
      },
      annotations: { [SYNC_WAVE]: String(part.wave) },
      // Deleting the Application (turning the part off) deletes what it deployed,
      // unless the part must survive its Application.
      ...(part.keepResourcesOnDelete ? {} : { finalizers: [RESOURCES_FINALIZER] }),
    },
    spec: {
      project: model.argocd.project,
      sources,
      destination: { server: cluster.server, namespace: part.namespace },
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        syncOptions,
        retry: RETRY,
      },
      ...(part.ignoreDifferences && part.ignoreDifferences.length > 0 ? { ignoreDifferences: part.ignoreDifferences } : {}),
    },
  };
}

/** The root Application: syncs every child Application and the AppProject from Git. */
export function rootApplication(model: StackModel): Record<string, unknown> {
  return {
    apiVersion: API_VERSION,
    kind: 'Application',
    metadata: {
      name: rootApplicationName(model),
      namespace: model.argocd.namespace,
      labels: { 'app.kubernetes.io/part-of': model.argocd.project },
    },
    spec: {
      project: model.argocd.project,
      source: {
        repoURL: model.repo.url,
        targetRevision: model.repo.revision,
        path: Layout.appsDir,
        directory: { recurse: true },
      },
      destination: { server: IN_CLUSTER_SERVER, namespace: model.argocd.namespace },
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        retry: RETRY,
      },
    },
  };
}

/**
 * The stack's AppProject: only the repositories, destinations and
 * cluster-scoped kinds the enabled parts use.
 */
export function appProject(model: StackModel): Record<string, unknown> {
  const sourceRepos = [model.repo.url, ...uniqueSorted(model.parts.flatMap((p) => (p.chart ? [p.chart.repoUrl] : [])))];

  const destinations = [{ server: IN_CLUSTER_SERVER, namespace: model.argocd.namespace }];
  const namespaces = uniqueSorted(model.parts.flatMap((p) => [p.namespace, ...(p.additionalNamespaces ?? [])]));
  for (const cluster of model.clusters) {
    for (const namespace of namespaces) {
      if (cluster.server === IN_CLUSTER_SERVER && namespace === model.argocd.namespace) continue;
      destinations.push({ server: cluster.server, namespace });
    }
  }

  const kinds: GroupKind[] = [{ group: '', kind: 'Namespace' }]; // CreateNamespace=true
  for (const part of model.parts) kinds.push(...part.clusterResources);
  const clusterResourceWhitelist = uniqueBy(kinds, (k) => `${k.group}/${k.kind}`)
    .sort((a, b) => a.group.localeCompare(b.group) || a.kind.localeCompare(b.kind));

  return {
    apiVersion: API_VERSION,
    kind: 'AppProject',
    metadata: {
      name: model.argocd.project,
      namespace: model.argocd.namespace,
      annotations: { [SYNC_WAVE]: String(SyncWave.PROJECT) },
      // Argo CD refuses to delete the project while Applications still use it.
      finalizers: [RESOURCES_FINALIZER],
    },
    spec: {
      description: 'Observability stack (generated by obs-gitops-template)',
      sourceRepos,
      destinations,
      clusterResourceWhitelist,
    },
  };
}

function uniqueSorted(values: string[]): string[] {
  return [...new Set(values)].sort();
}

function uniqueBy<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const item of items) if (!seen.has(key(item))) seen.set(key(item), item);
  return [...seen.values()];
}
