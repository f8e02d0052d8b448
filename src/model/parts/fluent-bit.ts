import { NO_MANIFESTS, pinnedChart } from './chart-ref';
import { CLUSTER_ENV, COLLECTOR_CLUSTER_RBAC, ELASTICSEARCH_CERTS_DIR, ELASTICSEARCH_CERTS_MOUNT, ELASTICSEARCH_CERTS_VOLUME, ELASTICSEARCH_PASSWORD_ENV, ELASTICSEARCH_USER, EVERY_NODE_TOLERATIONS, anchoredNamespaceRegex, clusterEnv, collectorEnabled, collectorWave, elasticsearchHostPort, elasticsearchPasswordEnv, namespaceFilterSummary } from './logs/common';
import { serviceMonitorsAvailable } from './metrics/prometheus-common';
import { CentralAuthType } from '../../options/central-auth';
import { LogCollector, LogsBackend } from '../../options/options';
import { ResolvedOptions } from '../../options/resolve';
import { CentralAuthEnv, centralAuthEnv, centralAuthOf, sendsCredentials, tenancyOn } from '../central-auth';
import { LOKI_PUSH_PATH, lokiPushUrl } from '../endpoints';
import { ClusterTarget, PartDefinition } from '../stack';

/**
 * Fluent Bit as the log collector (LogCollector.FLUENT_BIT): a DaemonSet
 * tailing /var/log/containers on every node, enriched by the kubernetes
 * filter, to Loki (`loki` output) or to Elasticsearch (`es` output, TLS
 * verified with the chart-generated CA, password from the chart-generated
 * Secret).
 *
 * The configuration is Fluent Bit's classic format, written into the chart's
 * `config.inputs` / `config.filters` / `config.outputs` (the `[SERVICE]`
 * section stays the chart's). `${CLUSTER}` and `${ELASTICSEARCH_PASSWORD}`
 * are environment variables Fluent Bit expands when it loads the file.
 */
export const fluentBit: PartDefinition = {
  name: 'fluent-bit',
  build: (options) => {
    if (!collectorEnabled(options, LogCollector.FLUENT_BIT)) return undefined;
    const toElasticsearch = options.logs.backend === LogsBackend.ELASTICSEARCH;
    return {
      name: 'fluent-bit',
      description: `Fluent Bit DaemonSet: container logs of every node to ${toElasticsearch ? 'Elasticsearch' : 'Loki'}${namespaceFilterSummary(options)}`,
      area: 'logs',
      chart: pinnedChart('fluent-bit'),
      namespace: options.logs.namespace,
      wave: collectorWave(options),
      serverSideApply: false,
      values: fluentBitValues(options),
      // `env` is a list (Helm replaces lists), so it lives whole in the
      // per-cluster values: the cluster label, and the Elasticsearch password.
      clusterValues: (cluster: ClusterTarget) => ({
        env: [clusterEnv(cluster), ...(toElasticsearch ? [elasticsearchPasswordEnv()] : centralAuthEnv(options, cluster, true))],
      }),
      manifests: NO_MANIFESTS,
      // ClusterRole/ClusterRoleBinding: the kubernetes filter reads pods and namespaces.
      clusterResources: COLLECTOR_CLUSTER_RBAC,
    };
  },
};

/** Helm values of the fluent-bit chart. */
export function fluentBitValues(options: ResolvedOptions): Record<string, unknown> {
  const toElasticsearch = options.logs.backend === LogsBackend.ELASTICSEARCH;
  return {
    config: {
      inputs: fluentBitInputs(),
      filters: fluentBitFilters(options),
      outputs: toElasticsearch ? fluentBitElasticsearchOutput(options) : fluentBitLokiOutput(options),
    },
    ...(toElasticsearch ? { extraVolumes: [ELASTICSEARCH_CERTS_VOLUME], extraVolumeMounts: [ELASTICSEARCH_CERTS_MOUNT] } : {}),
    // The chart probes readiness on /api/v2/health, which turns unhealthy
    // after a few failed flushes, i.e. whenever the backend is not up yet.
    // Collectors sync before the stacks, and with Argo CD's Application health
    // check the next wave waits for them to be healthy: a backend-dependent
    // readiness would deadlock the first sync. Readiness = the HTTP server is up.
    readinessProbe: { httpGet: { path: '/', port: 'http' } },
    tolerations: EVERY_NODE_TOLERATIONS,
    // A Helm test pod; Argo CD never runs Helm tests.
    testFramework: { enabled: false },
    // Only kube-prometheus-stack has the ServiceMonitor CRD (and selects every ServiceMonitor).
    serviceMonitor: { enabled: serviceMonitorsAvailable(options) },
  };
}

/**
 * Container logs only (the chart's default also reads the kubelet's systemd
 * journal, which no output here ships). The tail offsets are kept in a
 * database on the node's /var/log, so a restarted pod neither re-sends nor
 * skips lines.
 */
function fluentBitInputs(): string {
  return section('INPUT', [
    ['Name', 'tail'],
    ['Path', '/var/log/containers/*.log'],
    ['multiline.parser', 'docker, cri'],
    ['Tag', 'kube.*'],
    ['DB', '/var/log/fluent-bit-kube.db'],
    ['Mem_Buf_Limit', '5MB'],
    ['Skip_Long_Lines', 'On'],
  ]);
}

/**
 * The kubernetes filter (pod metadata under `kubernetes`), then the
 * namespace filters on `kubernetes.namespace_name` (anchored, separate grep
 * filters: one grep filter cannot mix Regex and Exclude), then the cluster
 * field for Elasticsearch (Loki gets it as a stream label in the output).
 *
 * Merge_Log is off: merging JSON log bodies into the record would map
 * arbitrary application fields into one shared Elasticsearch index (type
 * conflicts reject documents); the line stays in `log`.
 */
function fluentBitFilters(options: ResolvedOptions): string {
  const include = anchoredNamespaceRegex(options.logs.includeNamespaces);
  const exclude = anchoredNamespaceRegex(options.logs.excludeNamespaces);
  const sections = [
    section('FILTER', [
      ['Name', 'kubernetes'],
      ['Match', 'kube.*'],
      ['Merge_Log', 'Off'],
      ['K8S-Logging.Exclude', 'On'],
    ]),
  ];
  if (include !== undefined) {
    sections.push(section('FILTER', [['Name', 'grep'], ['Match', 'kube.*'], ['Regex', `$kubernetes['namespace_name'] ${include}`]]));
  }
  if (exclude !== undefined) {
    sections.push(section('FILTER', [['Name', 'grep'], ['Match', 'kube.*'], ['Exclude', `$kubernetes['namespace_name'] ${exclude}`]]));
  }
  if (options.logs.backend === LogsBackend.ELASTICSEARCH) {
    sections.push(section('FILTER', [['Name', 'record_modifier'], ['Match', 'kube.*'], ['Record', `cluster \${${CLUSTER_ENV}}`]]));
  }
  return sections.join('\n');
}

/**
 * To Loki through the gateway (from an edge cluster, the central Loki's
 * `logs.pushUrl`), with the stack's stream labels taken from the kubernetes
 * metadata; with `centralAuth` the tenant and credentials from the environment.
 */
function fluentBitLokiOutput(options: ResolvedOptions): string {
  const push = new URL(lokiPushUrl(options));
  const host = push.hostname;
  const port = Number(push.port || (push.protocol === 'https:' ? 443 : 80));
  const a = centralAuthOf(options);
  const credentials = sendsCredentials(options, true);
  const labels = [
    'job=fluent-bit',
    `cluster=\${${CLUSTER_ENV}}`,
    "namespace=$kubernetes['namespace_name']",
    "pod=$kubernetes['pod_name']",
    "container=$kubernetes['container_name']",
    "node=$kubernetes['host']",
  ];
  return section('OUTPUT', [
    ['Name', 'loki'],
    ['Match', 'kube.*'],
    ['Host', host],
    ['Port', String(port)],
    ...(push.pathname !== LOKI_PUSH_PATH ? [['Uri', push.pathname] as const] : []),
    ...(push.protocol === 'https:' ? [['tls', 'On'] as const, ['tls.verify', 'On'] as const] : []),
    ...(tenancyOn(options) ? [['Tenant_ID', `\${${CentralAuthEnv.TENANT}}`] as const] : []),
    ...(credentials && a?.type === CentralAuthType.BASIC ? [
      ['HTTP_User', `\${${CentralAuthEnv.USERNAME}}`] as const,
      ['HTTP_Passwd', `\${${CentralAuthEnv.PASSWORD}}`] as const,
    ] : []),
    ...(credentials && a?.type === CentralAuthType.BEARER ? [['Bearer_Token', `\${${CentralAuthEnv.TOKEN}}`] as const] : []),
    ['Labels', labels.join(', ')],
    ['Line_Format', 'json'],
    ['Retry_Limit', 'False'],
  ]);
}

/**
 * To Elasticsearch over HTTPS as the `elastic` user, verifying the server
 * with the elasticsearch chart's CA. Logstash-style daily indices
 * `logstash-YYYY.MM.DD` with `@timestamp` (what the Grafana Elasticsearch
 * datasource queries). Suppress_Type_Name: Elasticsearch 8 has no mapping
 * types. Replace_Dots: label keys like `app.kubernetes.io/name` would
 * otherwise clash with object mappings.
 */
function fluentBitElasticsearchOutput(options: ResolvedOptions): string {
  const { host, port } = elasticsearchHostPort(options);
  return section('OUTPUT', [
    ['Name', 'es'],
    ['Match', 'kube.*'],
    ['Host', host],
    ['Port', String(port)],
    ['HTTP_User', ELASTICSEARCH_USER],
    ['HTTP_Passwd', `\${${ELASTICSEARCH_PASSWORD_ENV}}`],
    ['tls', 'On'],
    ['tls.verify', 'On'],
    ['tls.ca_file', `${ELASTICSEARCH_CERTS_DIR}/ca.crt`],
    ['Logstash_Format', 'On'],
    ['Suppress_Type_Name', 'On'],
    ['Replace_Dots', 'On'],
    ['Retry_Limit', 'False'],
  ]);
}

/** A classic-format section, `[NAME]` then indented `Key Value` lines. */
function section(name: string, entries: ReadonlyArray<readonly [string, string]>): string {
  const width = Math.max(...entries.map(([k]) => k.length));
  return [`[${name}]`, ...entries.map(([k, v]) => `    ${k.padEnd(width)} ${v}`), ''].join('\n');
}
