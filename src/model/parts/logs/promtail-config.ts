import { namespaceRelabelRules } from './common';
import { CentralAuthType } from '../../../options/central-auth';
import { ResolvedOptions } from '../../../options/resolve';
import { CENTRAL_AUTH_DIR, CREDENTIAL_MOUNT, centralAuthOf, credentialVolume, sendsCredentials, tenantOf } from '../../central-auth';
import { lokiPushUrl } from '../../endpoints';
import { ClusterTarget } from '../../stack';

/**
 * Promtail configuration shared by the promtail part and the Promtail that
 * loki-stack bundles (the same chart, 6.x): the values under `config`.
 */

/**
 * `config.snippets.common`: the chart's default relabelling with the stack's
 * label names — `namespace`, `pod`, `container`, `node` (the chart calls it
 * `node_name`) and `job` = `<namespace>/<app>` — and the `__path__` of the
 * pod's log files on the node (static pods by their config hash). The chart's
 * scrape config sets `app`, `instance` and `component` before these.
 */
export function promtailCommonRelabelConfigs(): Record<string, unknown>[] {
  return [
    { action: 'replace', source_labels: ['__meta_kubernetes_pod_node_name'], target_label: 'node' },
    { action: 'replace', source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace' },
    { action: 'replace', replacement: '$1', separator: '/', source_labels: ['namespace', 'app'], target_label: 'job' },
    { action: 'replace', source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
    { action: 'replace', source_labels: ['__meta_kubernetes_pod_container_name'], target_label: 'container' },
    {
      action: 'replace',
      replacement: '/var/log/pods/*$1/*.log',
      separator: '/',
      source_labels: ['__meta_kubernetes_pod_uid', '__meta_kubernetes_pod_container_name'],
      target_label: '__path__',
    },
    {
      action: 'replace',
      replacement: '/var/log/pods/*$1/*.log',
      regex: 'true/(.*)',
      separator: '/',
      source_labels: [
        '__meta_kubernetes_pod_annotationpresent_kubernetes_io_config_hash',
        '__meta_kubernetes_pod_annotation_kubernetes_io_config_hash',
        '__meta_kubernetes_pod_container_name',
      ],
      target_label: '__path__',
    },
  ];
}

/**
 * `config.snippets.extraRelabelConfigs` (appended after the common rules, so
 * the `namespace` label exists): keep only logs.includeNamespaces, drop
 * logs.excludeNamespaces. Empty when there is no filter.
 */
export function promtailNamespaceFilter(options: ResolvedOptions): Record<string, unknown>[] {
  return namespaceRelabelRules(options, 'namespace').map((r) => ({ ...r }));
}

/** `config.clients` of the common values: the Loki push URL. */
export function promtailClients(options: ResolvedOptions): Record<string, unknown>[] {
  return [{ url: lokiPushUrl(options) }];
}

/**
 * `config.clients` of one cluster: the same client with the cluster name as
 * an external label on every stream. Helm replaces lists instead of merging
 * them, so the per-cluster values repeat the whole list.
 */
export function promtailClusterClients(options: ResolvedOptions, cluster: ClusterTarget): Record<string, unknown>[] {
  return [{ url: lokiPushUrl(options), ...promtailCentralAuth(options, cluster), external_labels: { cluster: cluster.name } }];
}

/**
 * With `centralAuth`: the cluster's tenant, and the credentials read from
 * the Secret mounted at CENTRAL_AUTH_DIR (`promtailCredentialVolumes`).
 * Files rather than `-config.expand-env`, which would also expand the `$1`
 * of the relabel rules.
 */
function promtailCentralAuth(options: ResolvedOptions, cluster: ClusterTarget): Record<string, unknown> {
  const a = centralAuthOf(options);
  if (a === undefined) return {};
  const tenant = tenantOf(options, cluster);
  const credentials = sendsCredentials(options, true);
  return {
    ...(tenant !== undefined ? { tenant_id: tenant } : {}),
    ...(credentials && a.type === CentralAuthType.BASIC
      ? { basic_auth: { username_file: `${CENTRAL_AUTH_DIR}/${a.usernameKey}`, password_file: `${CENTRAL_AUTH_DIR}/${a.passwordKey}` } } : {}),
    ...(credentials && a.type === CentralAuthType.BEARER ? { bearer_token_file: `${CENTRAL_AUTH_DIR}/${a.tokenKey}` } : {}),
  };
}

/** `extraVolumes` / `extraVolumeMounts` of the Secret of `centralAuth`, when Promtail sends credentials. */
export function promtailCredentialVolumes(options: ResolvedOptions): Record<string, unknown> {
  const a = centralAuthOf(options);
  if (a === undefined || a.type === CentralAuthType.NONE || !sendsCredentials(options, true)) return {};
  return { extraVolumes: [credentialVolume(options)], extraVolumeMounts: [CREDENTIAL_MOUNT] };
}

/**
 * Promtail's `/ready` answers 200 only once it tails at least one file. With
 * a namespace filter, a node running no pod of the included namespaces never
 * gets there: its pod stays unready, the DaemonSet unavailable, the
 * Application Progressing, and with Argo CD's Application health check the
 * later sync waves (Loki itself) would wait for ever. Readiness = the HTTP
 * server answers; the chart's port and other probe settings stay.
 */
export const PROMTAIL_READINESS_PROBE: Record<string, unknown> = { httpGet: { path: '/metrics' } };
