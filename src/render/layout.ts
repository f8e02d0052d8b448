import { chartDefaults } from '../catalog/chart-defaults';
import { deepMerge, valuesDiff } from '../merge';
import { ClusterGroup, FleetModel } from '../model/fleet';
import { ClusterTarget, KubeObject, StackPart } from '../model/stack';
import { ClusterRole } from '../options/resolve';

/** What a path depends on besides the part: the environment and the role of a group of clusters. */
export interface GroupScope {
  readonly environment?: string;
  readonly role: ClusterRole;
}

/** `argocd/` or `argocd/<env>/`: one root Application per environment. */
function argocdDir(environment: string | undefined): string {
  return environment === undefined ? 'argocd' : `argocd/${environment}`;
}

/** Folder segments of a group's values layer: `environments/<env>` and/or `edge`. */
function groupSegments(scope: GroupScope): string[] {
  return [...(scope.environment === undefined ? [] : ['environments', scope.environment]), ...(scope.role === 'edge' ? ['edge'] : [])];
}

/**
 * Where every generated file lives in the generated repository. One place, so
 * the Argo CD manifests, the values files and the README agree.
 */
export const Layout = {
  /** The root Application (app-of-apps) of an environment (or of the whole fleet). Applied once at bootstrap. */
  rootApplication: (environment?: string) => `${argocdDir(environment)}/root.yaml`,
  /** First install of Argo CD and of the root Applications. */
  bootstrapScript: 'scripts/bootstrap.sh',
  /** Folder a root Application syncs (recursively). */
  appsDir: (environment?: string) => `${argocdDir(environment)}/apps`,
  /**
   * The AppProject of an environment's stack Applications. Applied by the bootstrap script, not
   * synced by the root Application it governs (the root excludes it: ROOT_EXCLUDE).
   */
  appProject: (environment?: string) => `${argocdDir(environment)}/apps/project.yaml`,
  /** The AppProject of the root Application: may create only Applications and ApplicationSets, only in Argo CD's namespace. */
  rootAppProject: (environment?: string) => `${argocdDir(environment)}/root-project.yaml`,
  /** The AppProject of the parts that deploy into Argo CD's own namespace (a self-managed Argo CD). */
  argocdAppProject: (environment?: string) => `${argocdDir(environment)}/argocd-project.yaml`,
  /** A child Application of one part on one cluster. */
  childApplication: (scope: GroupScope, cluster: ClusterTarget, part: StackPart) =>
    `${Layout.appsDir(scope.environment)}/${cluster.name}/${part.name}.yaml`,
  /** The ApplicationSet of one part for a group of clusters. */
  applicationSet: (scope: GroupScope, part: StackPart) =>
    `${Layout.appsDir(scope.environment)}/applicationsets/${scope.role === 'edge' ? 'edge-' : ''}${part.name}.yaml`,
  /** Generated Helm values of a part (project-wide: the base layer). */
  values: (part: StackPart) => `values/${part.name}.yaml`,
  /**
   * Generated values of a group (environment overrides, edge clusters): only
   * what differs from the base layer. `undefined` for the project-wide group.
   */
  groupValues: (scope: GroupScope, part: StackPart) => {
    const segments = groupSegments(scope);
    return segments.length === 0 ? undefined : `values/${segments.join('/')}/${part.name}.yaml`;
  },
  /** Generated cluster-specific Helm values (only with more than one cluster). */
  clusterValues: (cluster: ClusterTarget | string, part: StackPart) => `values/clusters/${nameOf(cluster)}/${part.name}.yaml`,
  /** User-owned values layered after the generated ones (optional, never touched). */
  userOverrides: (part: StackPart) => `values/overrides/${part.name}.yaml`,
  /** User-owned values of an environment (optional, never touched). */
  userEnvironmentOverrides: (environment: string, part: StackPart) => `values/overrides/environments/${environment}/${part.name}.yaml`,
  /** User-owned cluster-specific values (optional, never touched; only with more than one cluster). */
  userClusterOverrides: (cluster: ClusterTarget | string, part: StackPart) => `values/overrides/clusters/${nameOf(cluster)}/${part.name}.yaml`,
  /** Folder of a part's plain manifests on one cluster (an Application source path). */
  manifestsDir: (cluster: ClusterTarget | string, part: StackPart) => `manifests/${nameOf(cluster)}/${part.name}`,
  /** One plain manifest: `<kind>-<name>.yaml` in lowercase. */
  manifest: (cluster: ClusterTarget, part: StackPart, obj: KubeObject) => {
    const meta = obj.metadata as any;
    const ns = meta?.namespace && meta.namespace !== part.namespace ? `.${meta.namespace}` : '';
    return `manifests/${cluster.name}/${part.name}/${String(obj.kind).toLowerCase()}-${String(meta?.name)}${ns}.yaml`;
  },
};

function nameOf(cluster: ClusterTarget | string): string {
  return typeof cluster === 'string' ? cluster : cluster.name;
}

/** Whether cluster-specific values get files of their own (more than one cluster in the fleet). */
export function splitsClusterValues(fleet: FleetModel): boolean {
  return fleet.base.clusters.length > 1;
}

/**
 * The values files of a part on a cluster, in the order Helm layers them
 * (later files win): generated base, generated group layer (environment,
 * edge), generated per cluster, then the user-owned files. `cluster` may be an
 * ApplicationSet template expression; then every cluster file is listed (a
 * missing one is skipped: `ignoreMissingValueFiles`).
 */
export function valueFilesOf(fleet: FleetModel, group: ClusterGroup, cluster: ClusterTarget | string, part: StackPart): string[] {
  const layers = valuesLayers(fleet, group, part);
  const split = splitsClusterValues(fleet);
  const files: string[] = [];
  if (layers.base) files.push(Layout.values(part));
  if (layers.group) files.push(layers.group.path);
  if (split && (typeof cluster === 'string' || Object.keys(part.clusterValues(cluster)).length > 0)) files.push(Layout.clusterValues(cluster, part));
  files.push(Layout.userOverrides(part));
  if (group.environment !== undefined) files.push(Layout.userEnvironmentOverrides(group.environment, part));
  if (split) files.push(Layout.userClusterOverrides(cluster, part));
  return files;
}

/** The generated layers of a part in a group: the base values and the group's difference to them. */
export interface ValuesLayers {
  /** `values/<part>.yaml`, when the project-wide stack has the part. */
  readonly base?: Record<string, unknown>;
  /** The group's layer, when it differs from the base. */
  readonly group?: { readonly path: string; readonly values: Record<string, unknown> };
}

const LAYERS = new WeakMap<StackPart, ValuesLayers>();

/**
 * The base layer is the project-wide part's values (with one cluster, its
 * cluster values merged in); a group's layer is what its values differ in.
 */
export function valuesLayers(fleet: FleetModel, group: ClusterGroup, part: StackPart): ValuesLayers {
  const cached = LAYERS.get(part);
  if (cached) return cached;
  const full = (p: StackPart, clusters: readonly ClusterTarget[]) =>
    (splitsClusterValues(fleet) ? p.values : deepMerge(p.values, p.clusterValues(clusters[0])));
  // A base layer only for the same chart: a group may deploy a part with another chart
  // (tempo-distributed in one environment, tempo in another), whose values do not layer.
  const basePart = fleet.base.parts.find((p) => p.name === part.name && p.chart !== undefined && p.chart.name === part.chart?.name);
  const base = basePart ? full(basePart, fleet.base.clusters) : undefined;
  const path = Layout.groupValues(group, part);
  let layers: ValuesLayers = { base };
  if (path !== undefined && part !== basePart) {
    const diff = valuesDiff(base ?? {}, full(part, group.model.clusters), part.chart ? chartDefaults(part.chart) : undefined);
    if (Object.keys(diff).length > 0 || !base) layers = { base, group: { path, values: diff } };
  }
  LAYERS.set(part, layers);
  return layers;
}
