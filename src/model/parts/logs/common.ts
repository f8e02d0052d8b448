import { LogCollector, LogsBackend } from '../../../options/options';
import { ResolvedOptions } from '../../../options/resolve';
import { ELASTICSEARCH_CERTS_SECRET, ELASTICSEARCH_CREDENTIALS_SECRET, elasticsearchUrl } from '../../endpoints';
import { ClusterTarget, GroupKind, SyncWave } from '../../stack';

/**
 * Shared pieces of the logs parts: which collector is on, where it ships to,
 * the per-cluster `cluster` label, and the namespace filters rendered for
 * each collector's own configuration language.
 *
 * Internal module: not exported from src/index.ts.
 */

/**
 * Environment variable every collector reads the cluster name from. It is set
 * in the collector's per-cluster values (`values/clusters/<cluster>/<part>.yaml`
 * with several clusters), so the common values file and the collector
 * configuration stay the same on every cluster.
 */
export const CLUSTER_ENV = 'CLUSTER';

/** Environment variable holding the `elastic` user's password (from the chart-generated Secret). */
export const ELASTICSEARCH_PASSWORD_ENV = 'ELASTICSEARCH_PASSWORD';

/** Where the collectors mount the Elasticsearch chart's certificates Secret (`ca.crt`, `tls.crt`, `tls.key`). */
export const ELASTICSEARCH_CERTS_DIR = '/etc/elasticsearch/certs';

/** The one Elasticsearch user the elastic chart creates (its password is in the credentials Secret). */
export const ELASTICSEARCH_USER = 'elastic';

/** ClusterRole and ClusterRoleBinding: what every collector chart creates to read pod and namespace metadata. */
export const COLLECTOR_CLUSTER_RBAC: readonly GroupKind[] = [
  { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
  { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
];

/**
 * Tolerate every taint: a log collector must run on every node (control
 * plane, dedicated and tainted pools included), or those nodes' logs are lost.
 */
export const EVERY_NODE_TOLERATIONS: readonly Record<string, unknown>[] = [{ operator: 'Exists' }];

/** Whether `collector` is one of the enabled log collectors (never with loki-stack, which bundles its own Promtail). */
export function collectorEnabled(options: ResolvedOptions, collector: LogCollector): boolean {
  return options.logs.enabled && options.logs.backend !== LogsBackend.LOKI_STACK && options.logs.collectors.includes(collector);
}

/**
 * Sync wave of a log collector. Shipping to Loki, collectors come first
 * (SyncWave.INFRASTRUCTURE): they start and stay ready without Loki and
 * retry their pushes until it is up. Shipping to Elasticsearch, they mount the
 * password and CA from Secrets the elasticsearch chart generates, so they sync
 * with the stacks (SyncWave.STACKS): in the infrastructure wave their pods
 * could not start before Elasticsearch exists, and when the root Application
 * waits for each wave to be healthy (Argo CD's Application health check) the
 * stacks wave would then never begin.
 */
export function collectorWave(options: ResolvedOptions): number {
  return options.logs.backend === LogsBackend.ELASTICSEARCH ? SyncWave.STACKS : SyncWave.INFRASTRUCTURE;
}

/** `{ name: CLUSTER, value: <cluster> }`: the container environment entry of the cluster label. */
export function clusterEnv(cluster: ClusterTarget): Record<string, unknown> {
  return { name: CLUSTER_ENV, value: cluster.name };
}

/**
 * The `elastic` user's password as a container environment entry, read from
 * the Secret the elasticsearch chart generates: never a literal in Git.
 */
export function elasticsearchPasswordEnv(): Record<string, unknown> {
  return { name: ELASTICSEARCH_PASSWORD_ENV, valueFrom: { secretKeyRef: { name: ELASTICSEARCH_CREDENTIALS_SECRET, key: 'password' } } };
}

/** Pod volume of the elasticsearch chart's certificates Secret (the collectors verify Elasticsearch with its `ca.crt`). */
export const ELASTICSEARCH_CERTS_VOLUME: Record<string, unknown> = {
  name: 'elasticsearch-certs',
  secret: { secretName: ELASTICSEARCH_CERTS_SECRET },
};

/** Mount of `ELASTICSEARCH_CERTS_VOLUME` at `ELASTICSEARCH_CERTS_DIR`. */
export const ELASTICSEARCH_CERTS_MOUNT: Record<string, unknown> = {
  name: 'elasticsearch-certs',
  mountPath: ELASTICSEARCH_CERTS_DIR,
  readOnly: true,
};

/** Host (no scheme) and port of Elasticsearch's HTTPS service. */
export function elasticsearchHostPort(options: ResolvedOptions): { host: string; port: number } {
  return hostPort(elasticsearchUrl(options));
}

function hostPort(url: string): { host: string; port: number } {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port || (u.protocol === 'https:' ? 443 : 80)) };
}

/**
 * The namespace filters as a regular-expression alternation, `shop|payments`.
 * Namespaces are DNS-1123 labels (validated), so no character needs escaping.
 * Undefined when the list is empty (no filter).
 */
export function namespaceAlternation(namespaces: readonly string[]): string | undefined {
  return namespaces.length === 0 ? undefined : namespaces.join('|');
}

/** The same alternation anchored for unanchored regex engines (Fluent Bit, Fluentd): `^(shop|payments)$`. */
export function anchoredNamespaceRegex(namespaces: readonly string[]): string | undefined {
  const alternation = namespaceAlternation(namespaces);
  return alternation === undefined ? undefined : `^(${alternation})$`;
}

/** A keep/drop relabel rule on one label (Prometheus relabel_config field names). */
export interface NamespaceRelabelRule {
  readonly source_labels: string[];
  readonly regex: string;
  readonly action: 'keep' | 'drop';
}

/**
 * Prometheus-style relabel rules (Promtail, and Alloy's `discovery.relabel`
 * in its own syntax) that keep only the included namespaces and drop the
 * excluded ones. Relabel regexes are fully anchored, so `shop` never matches
 * `shop-staging`.
 */
export function namespaceRelabelRules(options: ResolvedOptions, sourceLabel: string): NamespaceRelabelRule[] {
  const include = namespaceAlternation(options.logs.includeNamespaces);
  const exclude = namespaceAlternation(options.logs.excludeNamespaces);
  return [
    ...(include === undefined ? [] : [{ source_labels: [sourceLabel], regex: include, action: 'keep' as const }]),
    ...(exclude === undefined ? [] : [{ source_labels: [sourceLabel], regex: exclude, action: 'drop' as const }]),
  ];
}

/** For a part's README line: ` (namespaces: only shop, payments; not kube-system)`, or nothing without a filter. */
export function namespaceFilterSummary(options: ResolvedOptions): string {
  const { includeNamespaces, excludeNamespaces } = options.logs;
  const parts = [
    ...(includeNamespaces.length > 0 ? [`only ${includeNamespaces.join(', ')}`] : []),
    ...(excludeNamespaces.length > 0 ? [`not ${excludeNamespaces.join(', ')}`] : []),
  ];
  return parts.length === 0 ? '' : ` (namespaces: ${parts.join('; ')})`;
}
