import { valueFilesOf, Layout } from './layout';
import { ClusterGroup, FleetModel, groupsOf } from '../model/fleet';
import { ClusterTarget, GroupKind, StackModel, StackPart, SyncWave } from '../model/stack';
import { ApplicationSetGenerator } from '../options/fleet';
import { IN_CLUSTER_SERVER } from '../options/resolve';
import { InvalidOptionError } from '../validation/errors';

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

/** Label of an Argo CD cluster Secret naming the cluster as `clusters` does (cluster generator). */
export const CLUSTER_LABEL = 'obs-gitops.io/cluster';
/** Label of an Argo CD cluster Secret with the cluster's environment (cluster generator). */
export const ENVIRONMENT_LABEL = 'obs-gitops.io/environment';

/** Name of the AppProject of an environment (of the whole fleet without environments). */
export function projectName(model: StackModel, environment?: string): string {
  return environment === undefined ? model.argocd.project : `${model.argocd.project}-${environment}`;
}

/** Name of the root Application of an environment. */
export function rootApplicationName(model: StackModel, environment?: string): string {
  return `${projectName(model, environment)}-root`;
}

/** `destination.server` or `destination.name` of a cluster. */
function destinationOf(cluster: ClusterTarget): Record<string, string> {
  const destination: Record<string, string> = cluster.destinationName !== undefined ? { name: cluster.destinationName } : { server: cluster.server! };
  return destination;
}

/**
 * The child Application of one part on one cluster: the chart from its Helm
 * repository with values from Git, and/or the part's plain manifests from Git.
 */
export function childApplication(fleet: FleetModel, group: ClusterGroup, cluster: ClusterTarget, part: StackPart): Record<string, unknown> {
  const model = group.model;
  return {
    apiVersion: API_VERSION,
    kind: 'Application',
    metadata: applicationMetadata(model, part, applicationName(cluster, part), true),
    spec: applicationSpec(fleet, group, part, {
      cluster,
      destination: destinationOf(cluster),
      hasManifests: part.kustomizeDir === true || part.manifests(cluster).length > 0,
    }),
  };
}

function applicationMetadata(model: StackModel, part: StackPart, name: string, namespaced: boolean): Record<string, unknown> {
  return {
    name,
    ...(namespaced ? { namespace: model.argocd.namespace } : {}),
    labels: {
      'app.kubernetes.io/part-of': model.argocd.project,
      'app.kubernetes.io/component': part.name,
    },
    annotations: { [SYNC_WAVE]: String(part.wave) },
    // Deleting the Application (turning the part off) deletes what it deployed,
    // unless the part must survive its Application.
    ...(part.keepResourcesOnDelete ? {} : { finalizers: [RESOURCES_FINALIZER] }),
  };
}

/** Where an Application goes and what it reads: one cluster, or an ApplicationSet template's parameters. */
interface Target {
  /** The cluster, or the template expression of its name. */
  readonly cluster: ClusterTarget | string;
  readonly destination: Record<string, string>;
  readonly hasManifests: boolean;
}

function applicationSpec(fleet: FleetModel, group: ClusterGroup, part: StackPart, target: Target): Record<string, unknown> {
  const model = group.model;
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
          valueFiles: valueFilesOf(fleet, group, target.cluster, part).map((f) => `$${VALUES_REF}/${f}`),
          // The user-owned override files are optional.
          ignoreMissingValueFiles: true,
        },
      },
      { repoURL: model.repo.url, targetRevision: model.repo.revision, ref: VALUES_REF },
    );
  }
  if (target.hasManifests) {
    sources.push({ repoURL: model.repo.url, targetRevision: model.repo.revision, path: Layout.manifestsDir(target.cluster, part) });
  }
  return {
    project: projectName(model, group.environment),
    sources,
    destination: { ...target.destination, namespace: part.namespace },
    syncPolicy: {
      automated: { prune: true, selfHeal: true },
      syncOptions,
      retry: RETRY,
    },
    ...(part.ignoreDifferences && part.ignoreDifferences.length > 0 ? { ignoreDifferences: part.ignoreDifferences } : {}),
  };
}

/**
 * The ApplicationSet of one part for a group of clusters: it generates the
 * same Applications `childApplication` writes (same names, sources and
 * values layers), one per cluster, from a list of the group's clusters or
 * from Argo CD's registered clusters carrying the obs-gitops labels.
 */
export function applicationSet(fleet: FleetModel, group: ClusterGroup, part: StackPart): Record<string, unknown> {
  const model = group.model;
  const clusters = group.model.clusters;
  const byName = clusters.every((c) => c.destinationName !== undefined);
  if (!byName && clusters.some((c) => c.destinationName !== undefined)) {
    throw new InvalidOptionError('argocd.fleetMode', model.argocd.fleetMode,
      `cannot template one destination for clusters ${clusters.map((c) => c.name).join(', ')}: some are given by server, some by destinationName (use one kind per environment)`);
  }
  const list = model.argocd.applicationSetGenerator === ApplicationSetGenerator.LIST;
  // Go template expressions of the generator's parameters.
  const clusterName = list ? '{{.cluster}}' : `{{index .metadata.labels "${CLUSTER_LABEL}"}}`;
  const templateDestination: Record<string, string> = list && byName ? { name: '{{.destinationName}}' } : { server: '{{.server}}' };
  const generator = list
    ? {
      list: {
        elements: clusters.map((c) => ({
          cluster: c.name,
          ...(c.destinationName !== undefined ? { destinationName: c.destinationName } : { server: c.server }),
          ...(group.environment !== undefined ? { environment: group.environment } : {}),
          ...(c.region !== undefined ? { region: c.region } : {}),
        })),
      },
    }
    : {
      clusters: {
        selector: {
          matchExpressions: [
            { key: CLUSTER_LABEL, operator: 'In', values: clusters.map((c) => c.name) },
            ...(group.environment !== undefined ? [{ key: ENVIRONMENT_LABEL, operator: 'In', values: [group.environment] }] : []),
          ],
        },
      },
    };
  const hasManifests = part.kustomizeDir === true || clusters.some((c) => part.manifests(c).length > 0);
  const metadata = applicationMetadata(model, part, `${clusterName}-${part.name}`, false);
  const { annotations, ...templateMetadata } = metadata as Record<string, unknown>;
  return {
    apiVersion: API_VERSION,
    kind: 'ApplicationSet',
    metadata: {
      name: applicationSetName(group, part),
      namespace: model.argocd.namespace,
      labels: metadata.labels,
      annotations,
    },
    spec: {
      goTemplate: true,
      goTemplateOptions: ['missingkey=error'],
      generators: [generator],
      template: {
        metadata: templateMetadata,
        spec: applicationSpec(fleet, group, part, { cluster: clusterName, destination: templateDestination, hasManifests }),
      },
      // Removing the ApplicationSet (a part turned off) removes its Applications and, through their
      // finalizers, what they deployed; parts that must survive keep their resources.
      ...(part.keepResourcesOnDelete ? { syncPolicy: { preserveResourcesOnDeletion: true } } : {}),
    },
  };
}

/** Name of the ApplicationSet of a part in a group: `[<env>-][edge-]<part>`. */
export function applicationSetName(group: ClusterGroup, part: StackPart): string {
  return [group.environment, group.role === 'edge' ? 'edge' : undefined, part.name].filter((x) => x !== undefined).join('-');
}

/** The root Application of an environment: syncs its Applications (or ApplicationSets) and its AppProject from Git. */
export function rootApplication(model: StackModel, environment?: string): Record<string, unknown> {
  return {
    apiVersion: API_VERSION,
    kind: 'Application',
    metadata: {
      name: rootApplicationName(model, environment),
      namespace: model.argocd.namespace,
      labels: { 'app.kubernetes.io/part-of': model.argocd.project },
    },
    spec: {
      project: projectName(model, environment),
      source: {
        repoURL: model.repo.url,
        targetRevision: model.repo.revision,
        path: Layout.appsDir(environment),
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
 * The AppProject of an environment: only the repositories, destinations and
 * cluster-scoped kinds the enabled parts of its clusters use.
 */
export function appProject(fleet: FleetModel, environment?: string): Record<string, unknown> {
  const model = fleet.base;
  const groups = groupsOf(fleet, environment);
  const parts = groups.flatMap((g) => g.model.parts);
  const sourceRepos = [model.repo.url, ...uniqueSorted(parts.flatMap((p) => (p.chart ? [p.chart.repoUrl] : [])))];

  const destinations: Array<Record<string, string>> = [{ server: IN_CLUSTER_SERVER, namespace: model.argocd.namespace }];
  for (const group of groups) {
    const namespaces = uniqueSorted(group.model.parts.flatMap((p) => [p.namespace, ...(p.additionalNamespaces ?? [])]));
    for (const cluster of group.model.clusters) {
      for (const namespace of namespaces) {
        if (cluster.server === IN_CLUSTER_SERVER && namespace === model.argocd.namespace) continue;
        destinations.push({ ...destinationOf(cluster), namespace });
      }
    }
  }

  const kinds: GroupKind[] = [{ group: '', kind: 'Namespace' }]; // CreateNamespace=true
  for (const part of parts) kinds.push(...part.clusterResources);
  const clusterResourceWhitelist = uniqueBy(kinds, (k) => `${k.group}/${k.kind}`)
    .sort((a, b) => a.group.localeCompare(b.group) || a.kind.localeCompare(b.kind));

  return {
    apiVersion: API_VERSION,
    kind: 'AppProject',
    metadata: {
      name: projectName(model, environment),
      namespace: model.argocd.namespace,
      annotations: { [SYNC_WAVE]: String(SyncWave.PROJECT) },
      // Argo CD refuses to delete the project while Applications still use it.
      finalizers: [RESOURCES_FINALIZER],
    },
    spec: {
      description: environment === undefined ? 'Observability stack (generated by obs-gitops-template)'
        : `Observability stack, environment ${environment} (generated by obs-gitops-template)`,
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
