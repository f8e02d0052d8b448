import { NO_MANIFESTS, pinnedChart } from './chart-ref';
import { CLUSTER_ENV, COLLECTOR_CLUSTER_RBAC, ELASTICSEARCH_CERTS_DIR, ELASTICSEARCH_CERTS_MOUNT, ELASTICSEARCH_CERTS_VOLUME, ELASTICSEARCH_PASSWORD_ENV, ELASTICSEARCH_USER, EVERY_NODE_TOLERATIONS, anchoredNamespaceRegex, clusterEnv, collectorEnabled, collectorWave, elasticsearchHostPort, elasticsearchPasswordEnv, namespaceFilterSummary } from './logs/common';
import { serviceMonitorsAvailable } from './metrics/prometheus-common';
import { CentralAuthType } from '../../options/central-auth';
import { LogCollector, LogsBackend } from '../../options/options';
import { ResolvedOptions } from '../../options/resolve';
import { CENTRAL_AUTH_DIR, CREDENTIAL_MOUNT, CentralAuthEnv, centralAuthEnv, centralAuthOf, credentialVolume, sendsCredentials, tenancyOn } from '../central-auth';
import { LOKI_PUSH_PATH, lokiPushUrl } from '../endpoints';
import { ClusterTarget, PartDefinition } from '../stack';

/**
 * The Loki output plugin, installed when the pod starts. No image of
 * fluent/fluentd-kubernetes-daemonset (the chart's image) ships
 * fluent-plugin-grafana-loki — fluentd-kubernetes-daemonset issues #586 and
 * #1533: the maintainers ask for a custom image — so with Loki the chart's
 * `plugins` list runs `fluent-gem install` before Fluentd starts. That needs
 * egress to rubygems.org from every node at every pod start; where that is
 * not allowed, build an image with the plugin and set `image` in
 * values/overrides/fluentd.yaml (and `plugins: []`). The version is pinned so
 * every node runs the same plugin. The plugin is pure Ruby (it depends on
 * fluentd only), so no compiler is needed in the image.
 */
export const FLUENTD_LOKI_PLUGIN = 'fluent-plugin-grafana-loki -v 1.2.20';

/**
 * Fluentd as the log collector (LogCollector.FLUENTD): the fluent `fluentd`
 * chart as a DaemonSet, image fluent/fluentd-kubernetes-daemonset. The
 * chart's pipeline is kept — tail /var/log/containers, kubernetes_metadata,
 * Prometheus metrics — with the namespace filter and the cluster field added
 * to it, and the output replaced:
 *
 * - Elasticsearch (the default collector of LogsBackend.ELASTICSEARCH): the
 *   `elasticsearch8` image variant (fluent-plugin-elasticsearch with the
 *   Elasticsearch 8 client), HTTPS verified with the elasticsearch chart's CA,
 *   the `elastic` user's password from the chart-generated Secret.
 * - Loki: the `forward` variant (no Elasticsearch client) plus the Loki output
 *   plugin installed at start (see FLUENTD_LOKI_PLUGIN).
 */
export const fluentd: PartDefinition = {
  name: 'fluentd',
  build: (options) => {
    if (!collectorEnabled(options, LogCollector.FLUENTD)) return undefined;
    const toElasticsearch = options.logs.backend === LogsBackend.ELASTICSEARCH;
    return {
      name: 'fluentd',
      description: `Fluentd DaemonSet: container logs of every node to ${toElasticsearch ? 'Elasticsearch' : 'Loki'}${namespaceFilterSummary(options)}`,
      area: 'logs',
      chart: pinnedChart('fluentd'),
      namespace: options.logs.namespace,
      wave: collectorWave(options),
      serverSideApply: false,
      values: fluentdValues(options),
      // `env` is a list (Helm replaces lists), so it lives whole in the
      // per-cluster values: the cluster name, and the Elasticsearch password.
      clusterValues: (cluster: ClusterTarget) => ({
        env: [clusterEnv(cluster), ...(toElasticsearch ? [elasticsearchPasswordEnv()] : centralAuthEnv(options, cluster, true))],
      }),
      manifests: NO_MANIFESTS,
      // ClusterRole/ClusterRoleBinding: kubernetes_metadata reads pods and namespaces.
      clusterResources: COLLECTOR_CLUSTER_RBAC,
    };
  },
};

/** Helm values of the fluentd chart. */
export function fluentdValues(options: ResolvedOptions): Record<string, unknown> {
  const toElasticsearch = options.logs.backend === LogsBackend.ELASTICSEARCH;
  return {
    // The image tag is v<appVersion>-debian-<variant>-<variantVersion>.
    variant: toElasticsearch ? 'elasticsearch8' : 'forward',
    ...(toElasticsearch
      ? { volumes: [ELASTICSEARCH_CERTS_VOLUME], volumeMounts: [ELASTICSEARCH_CERTS_MOUNT] }
      : { plugins: [FLUENTD_LOKI_PLUGIN], ...fluentdTokenVolume(options) }),
    // Merged key by key with the chart's 01_sources.conf and 03_dispatch.conf.
    fileConfigs: {
      '02_filters.conf': fluentdFilters(options),
      '04_outputs.conf': toElasticsearch ? fluentdElasticsearchOutput(options) : fluentdLokiOutput(options),
    },
    // Rendered only below Kubernetes 1.25, but never wanted.
    podSecurityPolicy: { enabled: false },
    tolerations: EVERY_NODE_TOLERATIONS,
    // Only kube-prometheus-stack has the ServiceMonitor CRD (and selects every ServiceMonitor).
    metrics: { serviceMonitor: { enabled: serviceMonitorsAvailable(options) } },
  };
}

/**
 * The chart's @KUBERNETES label (Fluentd's own logs to @FLUENT_LOG, which
 * drops them; kubernetes_metadata), then the namespace filters on
 * `kubernetes.namespace_name` (grep with record_accessor keys; patterns
 * anchored), then the `cluster` field from the environment.
 */
function fluentdFilters(options: ResolvedOptions): string {
  const include = anchoredNamespaceRegex(options.logs.includeNamespaces);
  const exclude = anchoredNamespaceRegex(options.logs.excludeNamespaces);
  const grep = include === undefined && exclude === undefined ? [] : [
    '  <filter kubernetes.**>',
    '    @type grep',
    '    @id filter_namespaces',
    ...(include === undefined ? [] : [
      '    <regexp>',
      '      key $.kubernetes.namespace_name',
      `      pattern /${include}/`,
      '    </regexp>',
    ]),
    ...(exclude === undefined ? [] : [
      '    <exclude>',
      '      key $.kubernetes.namespace_name',
      `      pattern /${exclude}/`,
      '    </exclude>',
    ]),
    '  </filter>',
    '',
  ];
  return [
    '<label @KUBERNETES>',
    '  <match kubernetes.var.log.containers.fluentd**>',
    '    @type relabel',
    '    @label @FLUENT_LOG',
    '  </match>',
    '',
    '  <filter kubernetes.**>',
    '    @type kubernetes_metadata',
    '    @id filter_kube_metadata',
    '    skip_labels false',
    '    skip_container_metadata false',
    '    skip_namespace_metadata true',
    '    skip_master_url true',
    '  </filter>',
    '',
    ...grep,
    '  <filter kubernetes.**>',
    '    @type record_transformer',
    '    @id filter_cluster',
    '    <record>',
    `      cluster "#{ENV['${CLUSTER_ENV}']}"`,
    '    </record>',
    '  </filter>',
    '',
    '  <match **>',
    '    @type relabel',
    '    @label @DISPATCH',
    '  </match>',
    '</label>',
  ].join('\n');
}

/**
 * To Elasticsearch: Logstash-style daily indices `logstash-YYYY.MM.DD` with
 * `@timestamp` (what the Grafana Elasticsearch datasource queries). The
 * version check at startup is off so Fluentd starts before Elasticsearch;
 * `default_elasticsearch_version 8` and `suppress_type_name` then keep the
 * requests free of mapping types, which Elasticsearch 8 rejects.
 */
function fluentdElasticsearchOutput(options: ResolvedOptions): string {
  const { host, port } = elasticsearchHostPort(options);
  return [
    '<label @OUTPUT>',
    '  <match **>',
    '    @type elasticsearch',
    '    @id out_elasticsearch',
    `    host ${host}`,
    `    port ${port}`,
    '    scheme https',
    '    ssl_verify true',
    `    ca_file ${ELASTICSEARCH_CERTS_DIR}/ca.crt`,
    `    user ${ELASTICSEARCH_USER}`,
    `    password "#{ENV['${ELASTICSEARCH_PASSWORD_ENV}']}"`,
    '    logstash_format true',
    '    verify_es_version_at_startup false',
    '    default_elasticsearch_version 8',
    '    suppress_type_name true',
    '    <buffer>',
    '      @type file',
    '      path /var/log/fluentd-buffers/elasticsearch.buffer',
    '      flush_mode interval',
    '      flush_interval 5s',
    '      retry_forever true',
    '      retry_max_interval 30s',
    '      chunk_limit_size 8m',
    '      overflow_action block',
    '    </buffer>',
    '  </match>',
    '</label>',
  ].join('\n');
}

/** The Secret of `centralAuth` mounted for the plugin's `bearer_token_file` (it reads the token from a file only). */
function fluentdTokenVolume(options: ResolvedOptions): Record<string, unknown> {
  const a = centralAuthOf(options);
  if (a?.type !== CentralAuthType.BEARER || !sendsCredentials(options, true)) return {};
  return { volumes: [credentialVolume(options)], volumeMounts: [CREDENTIAL_MOUNT] };
}

/**
 * To Loki through the gateway (the plugin appends /loki/api/v1/push). Stream
 * labels from the record (record_accessor; the plugin removes the keys it
 * turns into labels) plus the static `job`, the rest of the record as the
 * JSON line. Chunks stay
 * under the gateway's 4 MiB request body limit.
 */
function fluentdLokiOutput(options: ResolvedOptions): string {
  const push = lokiPushUrl(options);
  const url = push.endsWith(LOKI_PUSH_PATH) ? push.slice(0, -LOKI_PUSH_PATH.length) : push;
  const a = centralAuthOf(options);
  const credentials = sendsCredentials(options, true);
  const env = (name: string) => `"#{ENV['${name}']}"`;
  return [
    '<label @OUTPUT>',
    '  <match **>',
    '    @type loki',
    '    @id out_loki',
    `    url "${url}"`,
    // With centralAuth: the tenant and the credentials from the environment (or the mounted Secret).
    ...(tenancyOn(options) ? [`    tenant ${env(CentralAuthEnv.TENANT)}`] : []),
    ...(credentials && a?.type === CentralAuthType.BASIC
      ? [`    username ${env(CentralAuthEnv.USERNAME)}`, `    password ${env(CentralAuthEnv.PASSWORD)}`] : []),
    ...(credentials && a?.type === CentralAuthType.BEARER ? [`    bearer_token_file ${CENTRAL_AUTH_DIR}/${a!.tokenKey}`] : []),
    '    line_format json',
    '    extra_labels {"job":"fluentd"}',
    '    <label>',
    '      cluster $.cluster',
    '      namespace $.kubernetes.namespace_name',
    '      pod $.kubernetes.pod_name',
    '      container $.kubernetes.container_name',
    '      node $.kubernetes.host',
    '    </label>',
    '    <buffer>',
    '      @type file',
    '      path /var/log/fluentd-buffers/loki.buffer',
    '      flush_mode interval',
    '      flush_interval 5s',
    '      retry_forever true',
    '      retry_max_interval 30s',
    '      chunk_limit_size 1m',
    '      overflow_action block',
    '    </buffer>',
    '  </match>',
    '</label>',
  ].join('\n');
}
