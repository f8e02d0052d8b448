import { MetricsBackend, TempoMode } from '../options/fleet';
import { LogsBackend, MetricsFlavor, TracesBackend } from '../options/options';
import { ResolvedOptions } from '../options/resolve';

/**
 * In-cluster addresses of the stack's services, derived from the options, so
 * every part that talks to another (Grafana datasources, log collectors, the
 * OpenTelemetry collector) agrees on them.
 *
 * Each chart is installed with `releaseName` = part name = chart name, so
 * Helm's fullname is the chart name and Service names below follow from the
 * charts' templates.
 */

/** Stable Grafana datasource uids: dashboards and links refer to these. */
export const DatasourceUid = {
  PROMETHEUS: 'prometheus',
  ALERTMANAGER: 'alertmanager',
  LOKI: 'loki',
  TEMPO: 'tempo',
  ELASTICSEARCH: 'elasticsearch',
} as const;

function svc(name: string, namespace: string, port: number, scheme = 'http'): string {
  return `${scheme}://${name}.${namespace}.svc:${port}`;
}

/** Prometheus' HTTP API. */
export function prometheusUrl(o: ResolvedOptions): string {
  return o.metrics.flavor === MetricsFlavor.KUBE_PROMETHEUS_STACK
    ? svc('kube-prometheus-stack-prometheus', o.metrics.namespace, 9090)
    : svc('prometheus-server', o.metrics.namespace, 80);
}

/**
 * Where Grafana queries metrics: the central Mimir's or Thanos' Prometheus
 * API, else the cluster's own Prometheus (which, with federation, holds the
 * federated series too).
 */
export function prometheusQueryUrl(o: ResolvedOptions): string {
  switch (o.metrics.backend) {
    case MetricsBackend.MIMIR: return `${svc('mimir-query-frontend', o.metrics.namespace, 8080)}/prometheus`;
    case MetricsBackend.THANOS: return svc('thanos-query', o.metrics.namespace, 10902);
    default: return prometheusUrl(o);
  }
}

/** Where Prometheus remote-writes with Mimir: the distributor in the central cluster, the given URL from an edge. */
export function mimirPushUrl(o: ResolvedOptions): string {
  return o.role === 'edge' ? o.metrics.remoteWriteUrl! : `${svc('mimir-distributor', o.metrics.namespace, 8080)}/api/v1/push`;
}

/** Alertmanager's HTTP API. */
export function alertmanagerUrl(o: ResolvedOptions): string {
  return o.metrics.flavor === MetricsFlavor.KUBE_PROMETHEUS_STACK
    ? svc('kube-prometheus-stack-alertmanager', o.metrics.namespace, 9093)
    : svc('prometheus-alertmanager', o.metrics.namespace, 9093);
}

/** Loki's HTTP API (query and push), through the chart's gateway. */
export function lokiUrl(o: ResolvedOptions): string {
  return o.logs.backend === LogsBackend.LOKI_STACK
    ? svc('loki-stack', o.logs.namespace, 3100)
    : svc('loki-gateway', o.logs.namespace, 80);
}

/** The path of Loki's push API. */
export const LOKI_PUSH_PATH = '/loki/api/v1/push';

/** Loki's push endpoint for log collectors (from an edge cluster, the central Loki's URL given in logs.pushUrl). */
export function lokiPushUrl(o: ResolvedOptions): string {
  return o.role === 'edge' ? o.logs.pushUrl! : `${lokiUrl(o)}${LOKI_PUSH_PATH}`;
}

/** Elasticsearch's HTTPS API (the elastic chart enables TLS and security by default). */
export function elasticsearchUrl(o: ResolvedOptions): string {
  return svc('elasticsearch-master', o.logs.namespace, 9200, 'https');
}

/** Secret the elasticsearch chart generates with the `elastic` user's password. */
export const ELASTICSEARCH_CREDENTIALS_SECRET = 'elasticsearch-master-credentials';
/** Secret the elasticsearch chart generates with its CA and certificates. */
export const ELASTICSEARCH_CERTS_SECRET = 'elasticsearch-master-certs';

/** Tempo's HTTP query API. */
export function tempoUrl(o: ResolvedOptions): string {
  return o.traces.mode === TempoMode.DISTRIBUTED ? svc('tempo-query-frontend', o.traces.namespace, 3200) : svc('tempo', o.traces.namespace, 3200);
}

/** Where the gateway collector exports traces (OTLP gRPC, host:port). */
export function traceExportEndpoint(o: ResolvedOptions): string {
  if (o.traces.backend !== TracesBackend.TEMPO || o.role === 'edge') return o.traces.otlpEndpoint!;
  return o.traces.mode === TempoMode.DISTRIBUTED ? `tempo-distributor.${o.traces.namespace}.svc:4317` : `tempo.${o.traces.namespace}.svc:4317`;
}

/** Name of the gateway OpenTelemetryCollector resource. */
export const OTEL_GATEWAY_NAME = 'gateway';

/** The gateway collector's OTLP endpoints (the operator names the Service `<name>-collector`). */
export function otelGatewayGrpcEndpoint(o: ResolvedOptions): string {
  return `http://${OTEL_GATEWAY_NAME}-collector.${o.traces.namespace}.svc:4317`;
}
export function otelGatewayHttpEndpoint(o: ResolvedOptions): string {
  return `http://${OTEL_GATEWAY_NAME}-collector.${o.traces.namespace}.svc:4318`;
}
