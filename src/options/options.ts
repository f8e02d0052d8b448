import { javascript } from 'projen';

/**
 * A Kubernetes cluster the stack is deployed to, as Argo CD knows it.
 *
 * The stack is modelled as a list of clusters from the start: one cluster is
 * the common case, a fleet is the same model with more entries.
 */
export interface ClusterOptions {
  /**
   * Name of the cluster (DNS-1123 label). It becomes the `cluster` external
   * label of its metrics and names its folder under `argocd/apps/`.
   */
  readonly name: string;

  /**
   * The Kubernetes API server URL Argo CD deploys to (`destination.server`).
   * @default "https://kubernetes.default.svc" (the cluster Argo CD runs in)
   */
  readonly server?: string;
}

/**
 * Metrics: the prometheus-operator CRDs and kube-prometheus-stack (Prometheus,
 * Alertmanager, Grafana, node-exporter, kube-state-metrics).
 */
export interface MetricsOptions {
  /**
   * Deploy the metrics stack.
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * Namespace the metrics stack runs in.
   * @default "monitoring"
   */
  readonly namespace?: string;

  /**
   * How long Prometheus keeps samples (a Prometheus duration such as `15d`).
   * @default "15d"
   */
  readonly retention?: string;
}

/**
 * Grafana settings shared by every flavor of the stack.
 */
export interface GrafanaOptions {
  /**
   * Name of an existing Kubernetes Secret (in the metrics namespace) that holds
   * the Grafana admin user and password. Credentials are never written to Git.
   * @default "grafana-admin-credentials"
   */
  readonly adminSecretName?: string;

  /**
   * Key of the admin user name in the admin Secret.
   * @default "admin-user"
   */
  readonly adminUserKey?: string;

  /**
   * Key of the admin password in the admin Secret.
   * @default "admin-password"
   */
  readonly adminPasswordKey?: string;
}

/**
 * Options of `ObservabilityGitOpsProject`.
 */
export interface ObservabilityGitOpsProjectOptions extends javascript.NodeProjectOptions {
  /**
   * URL of the Git repository this project lives in. Argo CD reads the values
   * files and child Applications from it.
   *
   * @default - a placeholder, https://github.com/my-org/<name>.git: set it
   * @featured
   */
  readonly gitRepoUrl?: string;

  /**
   * Branch, tag or commit of the Git repository Argo CD tracks.
   * @default "main"
   * @featured
   */
  readonly gitRevision?: string;

  /**
   * Namespace Argo CD runs in (where the Application objects live).
   * @default "argocd"
   */
  readonly argocdNamespace?: string;

  /**
   * Name of the Argo CD AppProject of the stack.
   * @default "observability"
   */
  readonly appProjectName?: string;

  /**
   * Clusters the stack is deployed to.
   * @default - one cluster "in-cluster" at https://kubernetes.default.svc
   */
  readonly clusters?: ClusterOptions[];

  /**
   * Metrics stack settings.
   * @default - kube-prometheus-stack on, namespace "monitoring"
   */
  readonly metrics?: MetricsOptions;

  /**
   * Grafana settings.
   * @default - admin credentials from Secret "grafana-admin-credentials"
   */
  readonly grafana?: GrafanaOptions;

  /**
   * Helm values deep-merged over the generated values of a stack part, keyed
   * by part name (for example `{ 'kube-prometheus-stack': { alertmanager: { enabled: false } } }`).
   * Every key is checked against the pinned chart's own values.
   *
   * For larger changes, add a user-owned file `values/overrides/<part>.yaml`:
   * Argo CD layers it after the generated one, and re-sync never touches it.
   *
   * @default - no overrides
   */
  readonly valuesOverrides?: { [part: string]: any };

  /**
   * Generate and keep README.md in sync with the stack. Set to false to own
   * README.md yourself.
   * @default true
   */
  readonly generatedReadme?: boolean;
}
