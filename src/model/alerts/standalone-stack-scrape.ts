import { RelabelConfig, ScrapeConfig, TARGET_LABELS, keepLabel, literalRegex } from './scrape-config';
import { TempoMode } from '../../options/fleet';
import { ResolvedOptions } from '../../options/resolve';
import { OTEL_GATEWAY_NAME } from '../endpoints';
import { ARGO_CD_PART } from '../parts/argo-cd';
import { lokiRuns } from '../parts/loki';
import { lokiStackRuns } from '../parts/loki-stack';
import { scrapeTimeout, standaloneScrapesStack } from '../parts/metrics/prometheus-common';
import { tempoRuns } from '../parts/tempo';

/*
 * The stack's own components in the standalone flavor. With
 * kube-prometheus-stack, Alertmanager, Loki, Tempo, the gateway collector and
 * a self-managed Argo CD are scraped through ServiceMonitors their charts (or
 * the OpenTelemetry operator) create; the standalone prometheus chart has no
 * operator, so each gets a scrape job in prometheus.yml instead, equivalent to
 * its ServiceMonitor at the pinned chart versions: Kubernetes service
 * discovery (EndpointSlices) restricted to the component's namespace, the
 * same Services (the ServiceMonitor's label selector) and port, and the same
 * target labels: `namespace`, `service`, `pod`, `container` as
 * prometheus-operator sets them, and `job` as the ServiceMonitor ends up
 * setting it (prometheus-operator's `job` = Service name, then the chart's own
 * relabelings). The stack-pack alerts and the stack-health dashboard select
 * the same series in both flavors.
 *
 *   job_name (scrape pool)                      Services (namespace)                                     port                `job` label
 *   stack/<ns>/alertmanager                     prometheus-alertmanager (metrics)                         http                prometheus-alertmanager
 *   stack/<ns>/loki                             app.kubernetes.io/{name,instance}=loki, not               http-metrics        <ns>/<Service>
 *                                               prometheus.io/service-monitor=false (logs)
 *   stack/<ns>/loki-stack                       app=loki, release=loki-stack, variant=headless (logs)     http-metrics        loki-stack-headless
 *   stack/<ns>/tempo                            app.kubernetes.io/{name,instance}=tempo (traces)          tempo-prom-metrics  tempo
 *   stack/<ns>/tempo (tempo-distributed)        ... and app.kubernetes.io/component of a ServiceMonitor   http-metrics        <ns>/<component>
 *   stack/<ns>/gateway-collector                gateway-collector-monitoring (traces)                    monitoring          gateway-collector-monitoring
 *   stack/<ns>/argocd-application-controller    argocd-application-controller-metrics (Argo CD's)        http-metrics        argocd-application-controller-metrics
 *
 * Only what runs on the clusters of these options gets a job: edge clusters
 * of a distributed environment run no Loki and no Tempo (the central cluster
 * does), so their Prometheus has no job for them.
 *
 * Components that annotate their pods with `prometheus.io/scrape` (the
 * collector the operator runs, loki-stack's Loki) have the annotation turned
 * off in this flavor, or the chart's annotation-based `kubernetes-pods` job
 * would scrape them a second time (see gateway.ts and loki-stack.ts).
 */

/** What a component's ServiceMonitor selects and how it labels the targets. */
interface ComponentTarget {
  /** Names the scrape pool, `stack/<namespace>/<component>`. */
  readonly component: string;
  /** Where its Services are (the ServiceMonitor's namespaceSelector). */
  readonly namespace: string;
  /** The ServiceMonitor's `matchLabels`. */
  readonly serviceLabels: Readonly<Record<string, string>>;
  /** Further restrictions of the selected Services (matchExpressions, a Service name). */
  readonly restrict?: readonly RelabelConfig[];
  /** The ServiceMonitor endpoint's Service port name. */
  readonly port: string;
  /** The ServiceMonitor endpoint's interval, when the chart sets one (else the global interval). */
  readonly interval?: string;
  /** How the `job` label is set. */
  readonly job: RelabelConfig;
  /** Constant labels the chart's relabelings add. */
  readonly constantLabels?: Readonly<Record<string, string>>;
}

/** `job` = the Service's name: prometheus-operator's default. */
const JOB_IS_SERVICE: RelabelConfig = { source_labels: ['__meta_kubernetes_service_name'], target_label: 'job' };

/** Keep only the Service of this name (a chart's selector also matches its headless twin, for example). */
function keepServiceName(name: string): RelabelConfig {
  return { source_labels: ['__meta_kubernetes_service_name'], regex: literalRegex(name), action: 'keep' };
}

/** A selector's `prometheus.io/service-monitor NotIn ["false"]`: the Loki and Tempo charts label their headless Services so. */
const NOT_SERVICE_MONITOR_FALSE: RelabelConfig = {
  source_labels: ['__meta_kubernetes_service_label_prometheus_io_service_monitor'],
  regex: 'false',
  action: 'drop',
};

/**
 * The prometheus chart's alertmanager subchart (1.42): release `prometheus`,
 * Service `prometheus-alertmanager` port `http` (9093). Its selector labels
 * also match the `-headless` Service (same port name), which would scrape
 * every pod twice: keep the main Service only.
 */
function alertmanagerTarget(o: ResolvedOptions): ComponentTarget | undefined {
  if (!o.metrics.alertmanager) return undefined;
  return {
    component: 'alertmanager',
    namespace: o.metrics.namespace,
    serviceLabels: { 'app.kubernetes.io/name': 'alertmanager', 'app.kubernetes.io/instance': 'prometheus' },
    restrict: [keepServiceName('prometheus-alertmanager')],
    port: 'http',
    job: JOB_IS_SERVICE,
  };
}

/**
 * The loki chart (18.x, release `loki`): its ServiceMonitor
 * (`monitoring.serviceMonitor`) selects every Service of the release with port
 * `http-metrics` except those labelled `prometheus.io/service-monitor: "false"`
 * (the headless ones): the single binary's `loki`, or each component's in the
 * scalable modes, and the gateway's `loki-gateway-exporter`. Its relabelings
 * prefix `job` with the namespace (`jobPrefix`) and add `app_instance`; its
 * interval is 15s.
 */
function lokiTarget(o: ResolvedOptions): ComponentTarget | undefined {
  if (!lokiRuns(o)) return undefined;
  return {
    component: 'loki',
    namespace: o.logs.namespace,
    serviceLabels: { 'app.kubernetes.io/name': 'loki', 'app.kubernetes.io/instance': 'loki' },
    restrict: [NOT_SERVICE_MONITOR_FALSE],
    port: 'http-metrics',
    interval: '15s',
    job: { source_labels: ['__meta_kubernetes_namespace', '__meta_kubernetes_service_name'], separator: '/', target_label: 'job' },
    constantLabels: { app_instance: 'loki' },
  };
}

/**
 * loki-stack's `loki` sub-chart (2.16, release `loki-stack`): its
 * ServiceMonitor selects the headless Service `loki-stack-headless`, port
 * `http-metrics`.
 */
function lokiStackTarget(o: ResolvedOptions): ComponentTarget | undefined {
  if (!lokiStackRuns(o)) return undefined;
  return {
    component: 'loki-stack',
    namespace: o.logs.namespace,
    serviceLabels: { app: 'loki', release: 'loki-stack', variant: 'headless' },
    port: 'http-metrics',
    job: JOB_IS_SERVICE,
  };
}

/**
 * Monolithic Tempo (the tempo chart 2.x, release `tempo`): its
 * ServiceMonitor selects the `tempo` Service, port `tempo-prom-metrics`
 * (3200; the chart's `jaeger-metrics` endpoint exists only with tempo-query,
 * which is off).
 *
 * Tempo 3 distributed (tempo-distributed 3.x, release `tempo`): one
 * ServiceMonitor per component (`metaMonitoring.serviceMonitor`), each
 * selecting the release's Services of that `app.kubernetes.io/component`
 * except those labelled `prometheus.io/service-monitor: "false"` (the
 * discovery Services), port `http-metrics`, `job` set to
 * `<namespace>/<component>`. Components with a ServiceMonitor at the chart's
 * defaults and our values (the memcached exporters and tempo-query are off).
 */
function tempoTarget(o: ResolvedOptions): ComponentTarget | undefined {
  if (!tempoRuns(o)) return undefined;
  const selector = { 'app.kubernetes.io/name': 'tempo', 'app.kubernetes.io/instance': 'tempo' };
  if (o.traces.mode !== TempoMode.DISTRIBUTED) {
    return { component: 'tempo', namespace: o.traces.namespace, serviceLabels: selector, port: 'tempo-prom-metrics', job: JOB_IS_SERVICE };
  }
  const components = [
    'distributor', 'querier', 'query-frontend', 'backend-scheduler', 'backend-worker', 'block-builder', 'live-store',
    // Enabled with metrics (tempo.ts), which this flavor's scraping implies.
    ...(o.metrics.enabled ? ['metrics-generator'] : []),
  ];
  return {
    component: 'tempo',
    namespace: o.traces.namespace,
    serviceLabels: selector,
    restrict: [keepLabel('service', 'app.kubernetes.io/component', ...components), NOT_SERVICE_MONITOR_FALSE],
    port: 'http-metrics',
    job: {
      source_labels: ['__meta_kubernetes_namespace', '__meta_kubernetes_service_label_app_kubernetes_io_component'],
      separator: '/',
      target_label: 'job',
    },
  };
}

/**
 * The gateway OpenTelemetryCollector (gateway.ts): the operator (0.158) always
 * creates the monitoring Service `<name>-collector-monitoring`, port
 * `monitoring` (the collector's own metrics, :8888); with
 * `observability.metrics.enableMetrics` it also creates the ServiceMonitor
 * that selects it. The Service is kept by name and its
 * `collector-service-type` label (the selector's `app.kubernetes.io/instance`,
 * `<namespace>.<name>`, is truncated by the operator when long).
 */
function gatewayTarget(o: ResolvedOptions): ComponentTarget | undefined {
  if (!o.traces.enabled) return undefined;
  return {
    component: `${OTEL_GATEWAY_NAME}-collector`,
    namespace: o.traces.namespace,
    serviceLabels: {
      'app.kubernetes.io/managed-by': 'opentelemetry-operator',
      'app.kubernetes.io/part-of': 'opentelemetry',
      'app.kubernetes.io/component': 'opentelemetry-collector',
      'operator.opentelemetry.io/collector-service-type': 'monitoring',
    },
    restrict: [keepServiceName(`${OTEL_GATEWAY_NAME}-collector-monitoring`)],
    port: 'monitoring',
    job: JOB_IS_SERVICE,
  };
}

/**
 * Argo CD's application-controller metrics, self-managed or not. Self-managed
 * (argo-cd chart 10.x, release `argo-cd`, `fullnameOverride: argocd`): the
 * Service `argocd-application-controller-metrics`, port `http-metrics` (8082),
 * which `controller.metrics.serviceMonitor` selects by its labels. Otherwise
 * (the upstream install manifests scripts/bootstrap.sh applies): the Service
 * `argocd-metrics`, port `metrics` (8082), the same Service the
 * kube-prometheus-stack flavor's ServiceMonitor selects (parts/argocd-metrics.ts).
 * Interval 30s.
 */
function argoCdTarget(o: ResolvedOptions): ComponentTarget {
  if (!o.argocd.selfManaged) {
    return {
      component: 'argocd-metrics',
      namespace: o.argocd.namespace,
      serviceLabels: { 'app.kubernetes.io/name': 'argocd-metrics' },
      port: 'metrics',
      interval: '30s',
      job: JOB_IS_SERVICE,
    };
  }
  return {
    component: 'argocd-application-controller',
    namespace: o.argocd.namespace,
    serviceLabels: {
      'app.kubernetes.io/name': 'argocd-metrics',
      'app.kubernetes.io/instance': ARGO_CD_PART,
      'app.kubernetes.io/component': 'application-controller',
    },
    port: 'http-metrics',
    interval: '30s',
    job: JOB_IS_SERVICE,
  };
}

/** The scrape job equivalent to a component's ServiceMonitor. */
function componentScrapeConfig(t: ComponentTarget): ScrapeConfig {
  return {
    job_name: `stack/${t.namespace}/${t.component}`,
    ...(t.interval ? { scrape_interval: t.interval, scrape_timeout: scrapeTimeout(t.interval) } : {}),
    metrics_path: '/metrics',
    kubernetes_sd_configs: [{ role: 'endpointslice', namespaces: { names: [t.namespace] } }],
    relabel_configs: [
      ...Object.entries(t.serviceLabels).map(([key, value]) => keepLabel('service', key, value)),
      ...(t.restrict ?? []),
      { source_labels: ['__meta_kubernetes_endpointslice_port_name'], regex: literalRegex(t.port), action: 'keep' },
      ...TARGET_LABELS,
      { source_labels: ['__meta_kubernetes_service_name'], target_label: 'service' },
      t.job,
      ...Object.entries(t.constantLabels ?? {}).map(([label, value]) => ({ target_label: label, replacement: value })),
    ],
  };
}

/** The scrape jobs of the stack's own components that run on these clusters (standalone flavor), as objects. */
export function stackScrapeConfigs(o: ResolvedOptions): ScrapeConfig[] {
  if (!standaloneScrapesStack(o)) return [];
  return [alertmanagerTarget, lokiTarget, lokiStackTarget, tempoTarget, gatewayTarget, argoCdTarget]
    .map((target) => target(o))
    .filter((t): t is ComponentTarget => t !== undefined)
    .map(componentScrapeConfig);
}
