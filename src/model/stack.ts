import { ResolvedCluster, ResolvedOptions } from '../options/resolve';

/**
 * The stack model: what the options mean, independent of how it is written to
 * files. Components render it; nothing in here touches the file system.
 */

/**
 * Argo CD sync waves, in dependency order. Lower waves sync first: CRDs before
 * the operators that serve them, collectors and infrastructure before the
 * stacks, and configuration (dashboards, rules) last.
 */
export const SyncWave = {
  /** The AppProject itself. */
  PROJECT: -10,
  /** CustomResourceDefinitions. */
  CRDS: 0,
  /** Operators (prometheus-operator runs inside kube-prometheus-stack; OpenTelemetry operator). */
  OPERATORS: 10,
  /** Collectors and cluster infrastructure (log collectors, metrics-server). */
  INFRASTRUCTURE: 20,
  /** The stacks: Prometheus, Loki, Tempo, Grafana. */
  STACKS: 30,
  /** Configuration: dashboards, rules, collector resources. */
  CONFIGURATION: 40,
} as const;

/** A Kubernetes API group and kind, as AppProject whitelists list them. */
export interface GroupKind {
  readonly group: string;
  readonly kind: string;
}

/** The chart a part deploys, at the version it pins. */
export interface ChartRef {
  readonly name: string;
  readonly repoUrl: string;
  readonly version: string;
}

/** A cluster the stack is deployed to. */
export type ClusterTarget = ResolvedCluster;

/** Which part of the observability stack a part belongs to. */
export type StackArea = 'metrics' | 'logs' | 'traces' | 'grafana' | 'gitops';

/** A Kubernetes object as a plain object (apiVersion, kind, metadata, ...). */
export type KubeObject = Record<string, unknown>;

/**
 * One deployable part of the stack: one Argo CD Application per cluster, with
 * a Helm release (chart + values file) and/or plain manifests from Git.
 */
export interface StackPart {
  /** Part name: the Argo CD Application name and the values file name. DNS-1123. */
  readonly name: string;
  /** One line for the generated README. */
  readonly description: string;
  readonly area: StackArea;
  /** The Helm chart; `undefined` for a part made of manifests only. */
  readonly chart?: ChartRef;
  /** Namespace the release (and namespaced manifests) go into. */
  readonly namespace: string;
  /** Argo CD sync wave (see `SyncWave`). */
  readonly wave: number;
  /** Sync with server-side apply (large CRDs and objects). */
  readonly serverSideApply: boolean;
  /**
   * Leave the chart's `crds/` folders (its own and its sub-charts') out of the
   * render: Argo CD's `helm.skipCrds`, `helm template --skip-crds`. For charts
   * whose CRDs another Application owns.
   */
  readonly skipCrds?: boolean;
  /** Further Argo CD sync options, e.g. `SkipDryRunOnMissingResource=true`. */
  readonly syncOptions?: readonly string[];
  /** Argo CD `ignoreDifferences` entries, e.g. for webhook CA bundles a controller fills in. */
  readonly ignoreDifferences?: readonly Record<string, unknown>[];
  /** Helm values common to every cluster (empty without a chart). */
  readonly values: Record<string, unknown>;
  /** Helm values specific to one cluster (layered after the common values). */
  readonly clusterValues: (cluster: ClusterTarget) => Record<string, unknown>;
  /**
   * Plain manifests of this part on one cluster, written under
   * `manifests/<cluster>/<part>/` and synced from Git by the part's Application.
   */
  readonly manifests: (cluster: ClusterTarget) => KubeObject[];
  /** Cluster-scoped kinds the part creates (AppProject whitelist). */
  readonly clusterResources: readonly GroupKind[];
  /**
   * Namespaced kinds the part's chart (or Kustomize folder) renders with the
   * library's values. Required of a part that deploys into Argo CD's namespace
   * from a chart: the AppProject of those parts allows exactly these kinds and
   * those of its plain manifests (read off `manifests()`), nothing else.
   */
  readonly namespacedResources?: readonly GroupKind[];
  /**
   * Namespaces besides its own that the part deploys into (AppProject
   * destinations), e.g. kube-prometheus-stack's control-plane Services in kube-system.
   */
  readonly additionalNamespaces?: readonly string[];
  /**
   * The part's folder `manifests/<cluster>/<part>/` is written by a component
   * of its own (for example a Kustomize directory with a configMapGenerator)
   * rather than from `manifests()`; the Application still syncs that folder.
   */
  readonly kustomizeDir?: boolean;
  /**
   * Leave the deployed resources in place when the Application is deleted (no
   * resources finalizer). For parts whose removal must never cascade, such as
   * Argo CD managing itself.
   */
  readonly keepResourcesOnDelete?: boolean;
}

/** The whole stack: where it comes from, where it goes, and its parts. */
export interface StackModel {
  readonly repo: ResolvedOptions['repo'];
  readonly argocd: ResolvedOptions['argocd'];
  readonly clusters: readonly ClusterTarget[];
  /** Enabled parts, ordered by sync wave then name. */
  readonly parts: readonly StackPart[];
  /** Things the user should know, printed at synth (deprecated charts, version overrides). */
  readonly warnings: readonly string[];
  /** The validated options the model was built from. */
  readonly options: ResolvedOptions;
}

/** A part the library knows: builds its `StackPart` from the options, or nothing when it is off. */
export interface PartDefinition {
  readonly name: string;
  readonly build: (options: ResolvedOptions) => StackPart | undefined;
}
