import { ClusterTarget, KubeObject, StackModel, StackPart } from '../model/stack';

/**
 * Where every generated file lives in the generated repository. One place, so
 * the Argo CD manifests, the values files and the README agree.
 */
export const Layout = {
  /** The root Application (app-of-apps). Applied once by hand at bootstrap. */
  rootApplication: 'argocd/root.yaml',
  /** First install of Argo CD and of the root Application. */
  bootstrapScript: 'scripts/bootstrap.sh',
  /** Folder the root Application syncs (recursively). */
  appsDir: 'argocd/apps',
  /** The stack's AppProject, synced by the root Application. */
  appProject: 'argocd/apps/project.yaml',
  /** A child Application of one part on one cluster. */
  childApplication: (cluster: ClusterTarget, part: StackPart) => `argocd/apps/${cluster.name}/${part.name}.yaml`,
  /** Generated Helm values of a part (common to all clusters). */
  values: (part: StackPart) => `values/${part.name}.yaml`,
  /** Generated cluster-specific Helm values (only with more than one cluster). */
  clusterValues: (cluster: ClusterTarget, part: StackPart) => `values/clusters/${cluster.name}/${part.name}.yaml`,
  /** User-owned values layered after the generated ones (optional, never touched). */
  userOverrides: (part: StackPart) => `values/overrides/${part.name}.yaml`,
  /** User-owned cluster-specific values (optional, never touched; only with more than one cluster). */
  userClusterOverrides: (cluster: ClusterTarget, part: StackPart) => `values/overrides/clusters/${cluster.name}/${part.name}.yaml`,
  /** Folder of a part's plain manifests on one cluster (an Application source path). */
  manifestsDir: (cluster: ClusterTarget, part: StackPart) => `manifests/${cluster.name}/${part.name}`,
  /** One plain manifest: `<kind>-<name>.yaml` in lowercase. */
  manifest: (cluster: ClusterTarget, part: StackPart, obj: KubeObject) => {
    const meta = obj.metadata as any;
    const ns = meta?.namespace && meta.namespace !== part.namespace ? `.${meta.namespace}` : '';
    return `manifests/${cluster.name}/${part.name}/${String(obj.kind).toLowerCase()}-${String(meta?.name)}${ns}.yaml`;
  },
};

/** Whether cluster-specific values get files of their own (more than one cluster). */
export function splitsClusterValues(model: StackModel): boolean {
  return model.clusters.length > 1;
}

/**
 * The values files of a part on a cluster, in the order Helm layers them
 * (later files win): generated, generated per cluster, user-owned, user-owned
 * per cluster.
 */
export function valueFilesOf(model: StackModel, cluster: ClusterTarget, part: StackPart): string[] {
  if (!splitsClusterValues(model)) {
    return [Layout.values(part), Layout.userOverrides(part)];
  }
  return [
    Layout.values(part),
    ...(Object.keys(part.clusterValues(cluster)).length > 0 ? [Layout.clusterValues(cluster, part)] : []),
    Layout.userOverrides(part),
    Layout.userClusterOverrides(cluster, part),
  ];
}
