import { NO_MANIFESTS, pinnedChart } from './chart-ref';
import { CLUSTER_ENV, COLLECTOR_CLUSTER_RBAC, EVERY_NODE_TOLERATIONS, clusterEnv, collectorEnabled, collectorWave, namespaceFilterSummary, namespaceRelabelRules } from './logs/common';
import { serviceMonitorsAvailable } from './metrics/prometheus-common';
import { CentralAuthType } from '../../options/central-auth';
import { LogCollector } from '../../options/options';
import { ResolvedOptions } from '../../options/resolve';
import { CentralAuthEnv, centralAuthEnv, centralAuthOf, sendsCredentials, tenancyOn } from '../central-auth';
import { lokiPushUrl } from '../endpoints';
import { ClusterTarget, PartDefinition } from '../stack';

/**
 * Grafana Alloy as the log collector (LogCollector.ALLOY): a DaemonSet whose
 * pods each tail the container log files of their own node
 * (/var/log/pods, mounted read-only) and push them to Loki.
 *
 * Files rather than `loki.source.kubernetes`: that component streams every
 * line through the Kubernetes API and the kubelets (more network traffic and
 * kubelet CPU, as its documentation warns); each node reading its own files
 * costs nothing outside the node. Every component used is generally available
 * (the chart runs Alloy with `--stability.level=generally-available`).
 */
export const alloy: PartDefinition = {
  name: 'alloy',
  build: (options) => {
    if (!collectorEnabled(options, LogCollector.ALLOY)) return undefined;
    return {
      name: 'alloy',
      description: `Grafana Alloy DaemonSet: container logs of every node to Loki${namespaceFilterSummary(options)}`,
      area: 'logs',
      chart: pinnedChart('alloy'),
      namespace: options.logs.namespace,
      wave: collectorWave(options),
      serverSideApply: false,
      values: alloyValues(options),
      // The cluster label: read by loki.write's external_labels (see alloyConfig).
      // With centralAuth also the tenant and the credentials (src/model/central-auth.ts).
      clusterValues: (cluster: ClusterTarget) => ({ alloy: { extraEnv: [clusterEnv(cluster), ...centralAuthEnv(options, cluster, true)] } }),
      manifests: NO_MANIFESTS,
      clusterResources: COLLECTOR_CLUSTER_RBAC,
    };
  },
};

/**
 * The alloy chart's `rbac` values. Least privilege for this configuration:
 * discovery.kubernetes gets, lists and watches pods, nothing else (the
 * chart's default ClusterRole also reads every Secret and ConfigMap in the
 * cluster).
 *
 * The chart (1.11.1, templates/rbac.yaml) prints the ClusterRole's rules as
 * `rules | toYaml` followed by `clusterRules | toYaml` whenever either is
 * non-empty, so an empty list on one side lands as a stray `[]` (or `null`)
 * inside the other's YAML list and the template does not parse ("did not find
 * expected '-' indicator"). Both lists must therefore be non-empty: the one
 * rule is split by verb across them; the ClusterRole grants exactly
 * get, list and watch on pods.
 */
export function alloyRbac(): Record<string, unknown> {
  return {
    // The informer of discovery.kubernetes: list and watch.
    rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['list', 'watch'] }],
    // Single reads of a pod.
    clusterRules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }],
  };
}

/** Helm values of the alloy chart. */
export function alloyValues(options: ResolvedOptions): Record<string, unknown> {
  return {
    alloy: {
      configMap: { content: alloyConfig(options) },
      // /var/log of the node, read-only: the pods' log files under /var/log/pods.
      mounts: { varlog: true },
    },
    controller: { type: 'daemonset', tolerations: EVERY_NODE_TOLERATIONS },
    // The PodLogs CRD (sub-chart) is not used by this configuration.
    crds: { create: false },
    rbac: alloyRbac(),
    // Only kube-prometheus-stack has the ServiceMonitor CRD (and selects every ServiceMonitor).
    serviceMonitor: { enabled: serviceMonitorsAvailable(options) },
  };
}

/**
 * The Alloy configuration (Alloy syntax). Pods of this node only (the chart
 * sets HOSTNAME to the node name), filtered by namespace, labelled
 * namespace / pod / container / node / app / job, their files tailed, CRI
 * lines parsed, pushed to Loki with the `cluster` external label.
 *
 * The chart passes this text through Helm's `tpl`, so it must not contain
 * `{{`.
 */
export function alloyConfig(options: ResolvedOptions): string {
  const rules = [
    // logs.includeNamespaces / logs.excludeNamespaces (relabel regexes are fully anchored).
    ...namespaceRelabelRules(options, '__meta_kubernetes_namespace').map(rule),
    // Pods that are not running have no log file being written.
    rule({ source_labels: ['__meta_kubernetes_pod_phase'], regex: 'Pending|Succeeded|Failed|Completed', action: 'drop' }),
    rule({ source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace' }),
    rule({ source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' }),
    rule({ source_labels: ['__meta_kubernetes_pod_container_name'], target_label: 'container' }),
    rule({ source_labels: ['__meta_kubernetes_pod_node_name'], target_label: 'node' }),
    // app: the app.kubernetes.io/name label, else the app label.
    rule({
      source_labels: ['__meta_kubernetes_pod_label_app_kubernetes_io_name', '__meta_kubernetes_pod_label_app'],
      separator: ';',
      regex: '^;*([^;]+)(;.*)?$',
      target_label: 'app',
    }),
    rule({ source_labels: ['__meta_kubernetes_namespace', '__meta_kubernetes_pod_container_name'], separator: '/', target_label: 'job' }),
    // The container's log files on this node: /var/log/pods/<ns>_<pod>_<uid>/<container>/N.log
    rule({
      source_labels: ['__meta_kubernetes_pod_uid', '__meta_kubernetes_pod_container_name'],
      separator: '/',
      replacement: '/var/log/pods/*$1/*.log',
      target_label: '__path__',
    }),
  ];
  return [
    'discovery.kubernetes "pods" {',
    '  role = "pod"',
    '  selectors {',
    '    role  = "pod"',
    '    field = "spec.nodeName=" + sys.env("HOSTNAME")',
    '  }',
    '}',
    '',
    'discovery.relabel "pod_logs" {',
    '  targets = discovery.kubernetes.pods.targets',
    '',
    rules.join('\n\n'),
    '}',
    '',
    'local.file_match "pod_logs" {',
    '  path_targets = discovery.relabel.pod_logs.output',
    '}',
    '',
    'loki.source.file "pod_logs" {',
    '  targets    = local.file_match.pod_logs.targets',
    '  forward_to = [loki.process.pod_logs.receiver]',
    '}',
    '',
    '// Container runtime (CRI) lines: timestamp, stream, partial-line flag, message.',
    'loki.process "pod_logs" {',
    '  stage.cri {}',
    '  forward_to = [loki.write.loki.receiver]',
    '}',
    '',
    'loki.write "loki" {',
    '  endpoint {',
    `    url = ${alloyString(lokiPushUrl(options))}`,
    ...alloyCentralAuth(options),
    '  }',
    `  external_labels = { cluster = sys.env(${alloyString(CLUSTER_ENV)}) }`,
    '}',
    '',
  ].join('\n');
}

/**
 * The tenant and credentials of loki.write's endpoint, read from the
 * environment (set from the per-cluster values and the Secret of `centralAuth`).
 */
function alloyCentralAuth(options: ResolvedOptions): string[] {
  const a = centralAuthOf(options);
  if (a === undefined) return [];
  const env = (name: string) => `sys.env(${alloyString(name)})`;
  return [
    ...(tenancyOn(options) ? [`    tenant_id = ${env(CentralAuthEnv.TENANT)}`] : []),
    ...(sendsCredentials(options, true) && a.type === CentralAuthType.BEARER ? [`    bearer_token = ${env(CentralAuthEnv.TOKEN)}`] : []),
    ...(sendsCredentials(options, true) && a.type === CentralAuthType.BASIC ? [
      '    basic_auth {',
      `      username = ${env(CentralAuthEnv.USERNAME)}`,
      `      password = ${env(CentralAuthEnv.PASSWORD)}`,
      '    }',
    ] : []),
  ];
}

/** Attributes of a discovery.relabel rule (Prometheus relabel_config names). */
interface RelabelRule {
  readonly source_labels: string[];
  readonly separator?: string;
  readonly regex?: string;
  readonly replacement?: string;
  readonly action?: string;
  readonly target_label?: string;
}

/** One `rule { ... }` block of discovery.relabel, attributes in a stable order. */
function rule(attrs: RelabelRule): string {
  const lines = [`    source_labels = [${attrs.source_labels.map(alloyString).join(', ')}]`];
  if (attrs.separator !== undefined) lines.push(`    separator     = ${alloyString(attrs.separator)}`);
  if (attrs.regex !== undefined) lines.push(`    regex         = ${alloyString(attrs.regex)}`);
  if (attrs.replacement !== undefined) lines.push(`    replacement   = ${alloyString(attrs.replacement)}`);
  if (attrs.action !== undefined) lines.push(`    action        = ${alloyString(attrs.action)}`);
  if (attrs.target_label !== undefined) lines.push(`    target_label  = ${alloyString(attrs.target_label)}`);
  return ['  rule {', ...lines, '  }'].join('\n');
}

/** An Alloy string literal (Go-style double-quoted; JSON escaping is compatible). */
function alloyString(s: string): string {
  return JSON.stringify(s);
}
