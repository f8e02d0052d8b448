import { CENTRAL_AUTH_DIR, TENANT_HEADER, readTenants, sendsCredentials } from './central-auth';
import {
  alertmanagerUrl, DatasourceUid, ELASTICSEARCH_CERTS_SECRET, ELASTICSEARCH_CREDENTIALS_SECRET, elasticsearchUrl,
  lokiUrl, prometheusQueryUrl, tempoUrl,
} from './endpoints';
import { MetricsBackend } from '../options/fleet';
import { LogsBackend, TracesBackend } from '../options/options';
import { ResolvedOptions } from '../options/resolve';

/**
 * Grafana datasource provisioning, shared by both metrics flavors: the
 * standalone grafana chart writes every datasource below into its
 * `datasources.yaml`; kube-prometheus-stack provisions Prometheus and
 * Alertmanager itself (`grafana.sidecar.datasources`) and gets the others
 * through `grafana.additionalDataSources`.
 *
 * Pure functions of the options. Datasources exist only for backends that are
 * deployed, and a datasource links only to datasources that exist, by the
 * stable uids of `DatasourceUid`.
 *
 * Grafana expands environment variables in provisioning files (`$VAR`,
 * `${VAR}`, `$__env{VAR}`), so a literal `$` in a value is written `$$`
 * (for example the `$${__value.raw}` macro of data links).
 *
 * Internal module: not exported from src/index.ts.
 */

/** A datasource as Grafana's provisioning file lists it. */
export type GrafanaDatasource = Record<string, unknown>;

/** Which datasources exist: one per deployed backend. */
export interface DatasourceBackends {
  readonly prometheus: boolean;
  readonly alertmanager: boolean;
  readonly loki: boolean;
  readonly tempo: boolean;
  readonly elasticsearch: boolean;
}

/** Display names of the datasources (kube-prometheus-stack's defaults for Prometheus and Alertmanager). */
export const DatasourceName = {
  PROMETHEUS: 'Prometheus',
  ALERTMANAGER: 'Alertmanager',
  LOKI: 'Loki',
  TEMPO: 'Tempo',
  ELASTICSEARCH: 'Elasticsearch',
} as const;

/**
 * Environment variables of the Grafana container that carry the
 * Elasticsearch secrets, referenced as `$__env{...}` in the datasource.
 * No `GF_` prefix: Grafana would read those as configuration overrides.
 */
export const ELASTICSEARCH_PASSWORD_ENV = 'ELASTICSEARCH_PASSWORD';
export const ELASTICSEARCH_CA_ENV = 'ELASTICSEARCH_CA_CERT';

/**
 * Index pattern and fields of the log documents the Fluentd / Fluent Bit
 * parts write (Logstash-style daily indices, `@timestamp`, the container
 * line in `log`).
 */
export const ELASTICSEARCH_LOG_INDEX = 'logstash-*';
export const ELASTICSEARCH_TIME_FIELD = '@timestamp';
export const ELASTICSEARCH_MESSAGE_FIELD = 'log';

/**
 * Loki stream labels the log collectors set, which trace-to-logs maps the
 * spans' Kubernetes resource attributes (set by the OpenTelemetry operator's
 * auto-instrumentation) onto.
 */
const SPAN_TO_LOG_LABELS = [
  { key: 'k8s.namespace.name', value: 'namespace' },
  { key: 'k8s.pod.name', value: 'pod' },
];

/**
 * Trace id in a log line: `trace_id=abc`, `traceId: "abc"`, `"traceID":"abc"`
 * (logfmt and JSON, as OpenTelemetry log bridges and most loggers write it).
 */
export const LOG_TRACE_ID_REGEX = '(?:trace_?[iI][dD])["=:\\s]+"?(\\w+)';

/**
 * Exemplar labels that carry a trace id: `trace_id` from OpenTelemetry SDKs
 * (OpenMetrics exemplars), `traceID` from Tempo's metrics-generator (span
 * metrics and service graphs, remote-written into Prometheus).
 */
const EXEMPLAR_TRACE_ID_LABELS = ['trace_id', 'traceID'];

/** Which datasources exist for these options. */
export function datasourceBackends(o: ResolvedOptions): DatasourceBackends {
  const logs = o.logs.enabled;
  return {
    prometheus: o.metrics.enabled,
    alertmanager: o.metrics.enabled && o.metrics.alertmanager,
    loki: logs && (o.logs.backend === LogsBackend.LOKI || o.logs.backend === LogsBackend.LOKI_STACK),
    elasticsearch: logs && o.logs.backend === LogsBackend.ELASTICSEARCH,
    tempo: o.traces.enabled && o.traces.backend === TracesBackend.TEMPO,
  };
}

/** `exemplarTraceIdDestinations` of the Prometheus datasource: to Tempo when it exists, else none. */
export function exemplarTraceIdDestinations(b: DatasourceBackends): Record<string, string>[] {
  if (!b.tempo) return [];
  return EXEMPLAR_TRACE_ID_LABELS.map((name) => ({ name, datasourceUid: DatasourceUid.TEMPO, urlDisplayLabel: 'View trace' }));
}

/** The Prometheus datasource (the default datasource), with exemplars linked to Tempo. */
export function prometheusDatasource(o: ResolvedOptions, b: DatasourceBackends = datasourceBackends(o)): GrafanaDatasource {
  const exemplars = exemplarTraceIdDestinations(b);
  return withCentralAuth(o, {
    name: DatasourceName.PROMETHEUS,
    type: 'prometheus',
    uid: DatasourceUid.PROMETHEUS,
    url: prometheusQueryUrl(o),
    access: 'proxy',
    isDefault: true,
    jsonData: {
      httpMethod: 'POST',
      // The smallest step Grafana queries with: one scrape.
      timeInterval: o.metrics.scrapeInterval,
      ...(o.metrics.backend === MetricsBackend.MIMIR ? { prometheusType: 'Mimir' } : o.metrics.backend === MetricsBackend.THANOS ? { prometheusType: 'Thanos' } : {}),
      ...(exemplars.length > 0 ? { exemplarTraceIdDestinations: exemplars } : {}),
    },
  }, o.metrics.backend === MetricsBackend.MIMIR, false);
}

/** The Alertmanager datasource (Prometheus' Alertmanager, not Grafana's own). */
export function alertmanagerDatasource(o: ResolvedOptions): GrafanaDatasource {
  return {
    name: DatasourceName.ALERTMANAGER,
    type: 'alertmanager',
    uid: DatasourceUid.ALERTMANAGER,
    url: alertmanagerUrl(o),
    access: 'proxy',
    jsonData: {
      implementation: 'prometheus',
      // Grafana-managed alerts stay in Grafana's own Alertmanager.
      handleGrafanaManagedAlerts: false,
    },
  };
}

/** The Loki datasource; trace ids in log lines link to Tempo when it exists. */
export function lokiDatasource(o: ResolvedOptions, b: DatasourceBackends = datasourceBackends(o)): GrafanaDatasource {
  const loki = o.logs.backend === LogsBackend.LOKI;
  return withCentralAuth(o, {
    name: DatasourceName.LOKI,
    type: 'loki',
    uid: DatasourceUid.LOKI,
    url: lokiUrl(o),
    access: 'proxy',
    jsonData: {
      maxLines: 1000,
      ...(b.tempo ? {
        derivedFields: [{
          name: 'TraceID',
          matcherType: 'regex',
          matcherRegex: LOG_TRACE_ID_REGEX,
          datasourceUid: DatasourceUid.TEMPO,
          // `$$` is a literal `$` after Grafana's env expansion: the link is `${__value.raw}`.
          url: '$${__value.raw}',
          urlDisplayLabel: 'View trace',
        }],
      } : {}),
    },
  }, loki, loki);
}

/**
 * The Tempo datasource: trace to logs (Loki), trace to metrics and the service
 * map (Prometheus, from Tempo's metrics-generator), node graph.
 */
export function tempoDatasource(o: ResolvedOptions, b: DatasourceBackends = datasourceBackends(o)): GrafanaDatasource {
  const jsonData: Record<string, unknown> = {};
  if (b.loki) {
    jsonData.tracesToLogsV2 = {
      datasourceUid: DatasourceUid.LOKI,
      // Logs a little before and after the span, for clock skew and buffering.
      spanStartTimeShift: '-5m',
      spanEndTimeShift: '5m',
      // {namespace="...", pod="..."} |= "<trace id>"
      tags: SPAN_TO_LOG_LABELS,
      filterByTraceID: true,
      filterBySpanID: false,
    };
  }
  if (b.prometheus) {
    jsonData.tracesToMetrics = {
      datasourceUid: DatasourceUid.PROMETHEUS,
      spanStartTimeShift: '-5m',
      spanEndTimeShift: '5m',
      // Tempo's span metrics label the service `service`.
      tags: [{ key: 'service.name', value: 'service' }],
      queries: [
        { name: 'Request rate', query: 'sum(rate(traces_spanmetrics_calls_total{$$__tags}[5m]))' },
        { name: 'Error rate', query: 'sum(rate(traces_spanmetrics_calls_total{$$__tags,status_code="STATUS_CODE_ERROR"}[5m]))' },
        { name: 'Latency p95', query: 'histogram_quantile(0.95, sum by (le) (rate(traces_spanmetrics_latency_bucket{$$__tags}[5m])))' },
      ],
    };
    // Service graph metrics (traces_service_graph_*) are remote-written into Prometheus.
    jsonData.serviceMap = { datasourceUid: DatasourceUid.PROMETHEUS };
  }
  jsonData.nodeGraph = { enabled: true };
  if (b.loki) jsonData.lokiSearch = { datasourceUid: DatasourceUid.LOKI };
  return withCentralAuth(o, {
    name: DatasourceName.TEMPO,
    type: 'tempo',
    uid: DatasourceUid.TEMPO,
    url: tempoUrl(o),
    access: 'proxy',
    jsonData,
  }, true, false);
}

/**
 * With `centralAuth` on the central cluster (src/model/central-auth.ts):
 * the tenant header `X-Scope-OrgID` with every tenant of the environment
 * (`a|b|c`: one datasource reads them all, by tenant federation, so the uids
 * dashboards and links use stay), when the backend runs multi-tenant
 * (`multiTenant`); basic auth from the Secret when the datasource goes
 * through an authenticating gateway (`viaGateway`: Loki). Header and
 * password go to `secureJsonData`, the only place Grafana takes header values.
 */
function withCentralAuth(o: ResolvedOptions, ds: GrafanaDatasource, multiTenant: boolean, viaGateway: boolean): GrafanaDatasource {
  const tenants = multiTenant ? readTenants(o) : undefined;
  const basic = viaGateway && sendsCredentials(o, true);
  if (tenants === undefined && !basic) return ds;
  const secure: Record<string, unknown> = { ...(ds.secureJsonData as Record<string, unknown> | undefined) };
  const jsonData: Record<string, unknown> = { ...(ds.jsonData as Record<string, unknown>) };
  if (tenants !== undefined) {
    jsonData.httpHeaderName1 = TENANT_HEADER;
    secure.httpHeaderValue1 = tenants;
  }
  const a = o.centralAuth!;
  if (basic) secure.basicAuthPassword = `$__file{${CENTRAL_AUTH_DIR}/${a.passwordKey}}`;
  return {
    ...ds,
    ...(basic ? { basicAuth: true, basicAuthUser: `$__file{${CENTRAL_AUTH_DIR}/${a.usernameKey}}` } : {}),
    jsonData,
    secureJsonData: secure,
  };
}

/**
 * The Elasticsearch datasource: basic auth as `elastic`, TLS verified against
 * the chart's CA. Both secrets reach Grafana as environment variables (see
 * `grafanaSecretEnv`); the provisioning file holds only the references.
 */
export function elasticsearchDatasource(o: ResolvedOptions): GrafanaDatasource {
  return {
    name: DatasourceName.ELASTICSEARCH,
    type: 'elasticsearch',
    uid: DatasourceUid.ELASTICSEARCH,
    url: elasticsearchUrl(o),
    access: 'proxy',
    basicAuth: true,
    basicAuthUser: 'elastic',
    jsonData: {
      index: ELASTICSEARCH_LOG_INDEX,
      timeField: ELASTICSEARCH_TIME_FIELD,
      logMessageField: ELASTICSEARCH_MESSAGE_FIELD,
      // Verify the chart's self-signed certificate with its CA rather than skipping
      // verification; its SANs include elasticsearch-master.<namespace>.svc.
      tlsAuthWithCACert: true,
    },
    secureJsonData: {
      basicAuthPassword: `$__env{${ELASTICSEARCH_PASSWORD_ENV}}`,
      tlsCACert: `$__env{${ELASTICSEARCH_CA_ENV}}`,
    },
  };
}

/**
 * The datasources of the logs and traces backends (Loki, Elasticsearch,
 * Tempo): what kube-prometheus-stack adds to its own Prometheus and
 * Alertmanager datasources.
 */
export function backendDatasources(o: ResolvedOptions, b: DatasourceBackends = datasourceBackends(o)): GrafanaDatasource[] {
  const out: GrafanaDatasource[] = [];
  if (b.loki) out.push(lokiDatasource(o, b));
  if (b.elasticsearch) out.push(elasticsearchDatasource(o));
  if (b.tempo) out.push(tempoDatasource(o, b));
  return out;
}

/** Every datasource of the stack, Prometheus first. */
export function allDatasources(o: ResolvedOptions, b: DatasourceBackends = datasourceBackends(o)): GrafanaDatasource[] {
  const out: GrafanaDatasource[] = [];
  if (b.prometheus) out.push(prometheusDatasource(o, b));
  if (b.alertmanager) out.push(alertmanagerDatasource(o));
  return [...out, ...backendDatasources(o, b)];
}

/**
 * `extraSecretMounts` of Grafana: the Secret of `centralAuth` at
 * CENTRAL_AUTH_DIR when the Loki datasource goes through the central
 * gateway with basic auth (read as `$__file{...}` in the datasource). A list,
 * so an environment without it replaces it whole (an `envValueFrom` map entry
 * cannot be taken back by a later values layer).
 */
export function grafanaCentralAuthMounts(o: ResolvedOptions, b: DatasourceBackends = datasourceBackends(o)): Record<string, unknown>[] {
  if (!b.loki || o.logs.backend !== LogsBackend.LOKI || !sendsCredentials(o, true)) return [];
  return [{ name: 'obs-central-auth', mountPath: CENTRAL_AUTH_DIR, secretName: o.centralAuth!.secretName, readOnly: true }];
}

/**
 * `envValueFrom` entries of the Grafana container for the datasources'
 * secrets (empty when no datasource needs one).
 *
 * The elasticsearch chart creates its Secrets in the logs namespace, and a
 * secretKeyRef only reads Secrets of the pod's own namespace: when Grafana
 * runs in another namespace, copy both Secrets into it (External Secrets,
 * reflector, or by hand). The references are optional so that Grafana still
 * starts without them; the Elasticsearch datasource then fails to
 * authenticate until the Secrets exist and Grafana restarts.
 */
export function grafanaSecretEnv(o: ResolvedOptions, b: DatasourceBackends = datasourceBackends(o)): Record<string, unknown> {
  if (!b.elasticsearch) return {};
  return {
    [ELASTICSEARCH_PASSWORD_ENV]: { secretKeyRef: { name: ELASTICSEARCH_CREDENTIALS_SECRET, key: 'password', optional: true } },
    [ELASTICSEARCH_CA_ENV]: { secretKeyRef: { name: ELASTICSEARCH_CERTS_SECRET, key: 'ca.crt', optional: true } },
  };
}
