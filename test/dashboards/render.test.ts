import { LogsBackend, MetricsFlavor, ObservabilityGitOpsProjectOptions, TracesBackend } from '../../src';
import { checkDashboard, DASHBOARD_SCHEMA_VERSION } from '../../src/model/dashboards/check';
import {
  applyRequires, DASHBOARD_TAG, DashboardFolder, DashboardUids, isPlainJson, provisionedDatasources, renderDashboards,
  RenderedDashboard, serviceDashboardUid, stackComponents,
} from '../../src/model/dashboards/render';
import { loadTemplate } from '../../src/model/dashboards/templates';
import { dashboardUid, MAX_UID_LENGTH } from '../../src/model/dashboards/uid';
import { dashboards as dashboardsPart } from '../../src/model/parts/dashboards';
import { SyncWave } from '../../src/model/stack';
import { ResolvedOptions, resolveOptions } from '../../src/options/resolve';
import { childApplication } from '../../src/render/argocd';
import { findExpressionProblem, substituteGrafanaVariables } from '../../src/validation/expressions';
import { assertValidResource } from '../../src/validation/resources';
import { BASE, fleetOf } from '../util';

type Options = Partial<ObservabilityGitOpsProjectOptions>;

const CHECKOUT = {
  name: 'checkout',
  namespace: 'shop',
  port: 'http',
  requestsMetric: 'checkout_http_requests_total',
  durationMetric: 'checkout_request_seconds',
  statusLabel: 'status',
  errorRateThreshold: 0.02,
  latencyThresholdSeconds: 0.5,
};
const CART = { name: 'cart', namespace: 'shop', port: 'metrics' };

function resolved(options: Options = {}): ResolvedOptions {
  return resolveOptions({ ...BASE, ...options } as ObservabilityGitOpsProjectOptions);
}

function render(options: Options = {}): Record<string, RenderedDashboard> {
  return Object.fromEntries(renderDashboards(resolved(options)).map((d) => [d.uid, d]));
}

/** Every panel, rows' nested panels included. */
function panels(d: RenderedDashboard): any[] {
  return (d.dashboard.panels as any[]).flatMap((p) => [p, ...(p.panels ?? [])]);
}

/** Every query of a dashboard with its language. */
function queries(d: RenderedDashboard): Array<{ panel: string; type: string; query: string }> {
  return panels(d).flatMap((p) => (p.targets ?? []).map((t: any) => ({
    panel: p.title,
    type: t.datasource.type,
    query: t.datasource.type === 'tempo' ? t.query ?? '' : t.expr,
  })));
}

const COMBINATIONS: Array<[string, Options]> = [
  ['defaults (kube-prometheus-stack, Loki, Tempo)', { services: [CHECKOUT, CART] }],
  ['standalone charts', { metrics: { flavor: MetricsFlavor.STANDALONE }, services: [CHECKOUT] }],
  ['metrics only', { logs: { enabled: false }, traces: { enabled: false } }],
  ['Elasticsearch, external OTLP endpoint', {
    logs: { backend: LogsBackend.ELASTICSEARCH },
    traces: { backend: TracesBackend.OTLP_ENDPOINT, otlpEndpoint: 'otlp.example.com:4317' },
  }],
  ['loki-stack, no Alertmanager, node-exporter or kube-state-metrics', {
    logs: { backend: LogsBackend.LOKI_STACK },
    metrics: { alertmanager: false, nodeExporter: false, kubeStateMetrics: false },
  }],
];

describe('every generated dashboard', () => {
  test.each(COMBINATIONS)('%s: parses, passes the checks, queries only provisioned datasources', (_, options) => {
    const o = resolved(options);
    const list = renderDashboards(o);
    expect(list.length).toBeGreaterThan(0);
    const ds = provisionedDatasources(o);
    for (const d of list) {
      const parsed = JSON.parse(d.json);
      expect(parsed).toEqual(d.dashboard);
      expect(d.json.endsWith('}\n')).toBe(true);
      expect(() => checkDashboard(d.uid, parsed, ds)).not.toThrow();
      expect(parsed.schemaVersion).toBe(DASHBOARD_SCHEMA_VERSION);
      expect(parsed.id).toBeNull();
      expect(parsed.uid).toBe(d.uid);
      expect(parsed.tags).toContain(DASHBOARD_TAG);
      // No placeholder or template-only key is left.
      expect(d.json).not.toMatch(/@\{/);
      expect(d.json).not.toContain('x-requires');
      for (const p of panels(d)) {
        expect(p.gridPos.x + p.gridPos.w).toBeLessThanOrEqual(24);
        for (const t of p.targets ?? []) expect([...ds.keys()]).toContain(t.datasource.uid);
      }
      // The queries parse on their own too (independent of the checker).
      for (const q of queries(d)) {
        if (q.query === '') continue;
        const language = { prometheus: 'promql', loki: 'logql', tempo: 'traceql' }[q.type] as any;
        expect({ panel: q.panel, problem: findExpressionProblem(language, substituteGrafanaVariables(q.query)) })
          .toEqual({ panel: q.panel, problem: undefined });
      }
    }
  });

  test('nothing without dashboards.enabled, Grafana or metrics', () => {
    expect(renderDashboards(resolved({ dashboards: { enabled: false } }))).toEqual([]);
    expect(renderDashboards(resolved({ grafana: { enabled: false } }))).toEqual([]);
    expect(renderDashboards(resolved({ metrics: { enabled: false }, alerting: undefined }))).toEqual([]);
  });

  test('the same options give byte-identical dashboards', () => {
    const a = renderDashboards(resolved({ services: [CHECKOUT] }));
    const b = renderDashboards(resolved({ services: [CHECKOUT] }));
    expect(a.map((d) => d.json)).toEqual(b.map((d) => d.json));
  });
});

describe('which dashboards exist', () => {
  test('defaults: cluster overview, nodes, logs, traces, stack health in their folders', () => {
    const d = render();
    expect(Object.keys(d).sort()).toEqual([
      'obs-cluster-overview', 'obs-logs', 'obs-nodes', 'obs-stack-health', 'obs-traces',
    ]);
    expect(d[DashboardUids.CLUSTER_OVERVIEW].folder).toBe(DashboardFolder.KUBERNETES);
    expect(d[DashboardUids.NODES].folder).toBe(DashboardFolder.KUBERNETES);
    expect(d[DashboardUids.LOGS].folder).toBe(DashboardFolder.OBSERVABILITY);
    expect(d[DashboardUids.TRACES].folder).toBe(DashboardFolder.OBSERVABILITY);
    expect(d[DashboardUids.STACK_HEALTH].folder).toBe(DashboardFolder.OBSERVABILITY);
  });

  test('the logs dashboard only with Loki or loki-stack: LogQL on the Loki datasource', () => {
    expect(render({ logs: { enabled: false } })[DashboardUids.LOGS]).toBeUndefined();
    expect(render({ logs: { backend: LogsBackend.ELASTICSEARCH } })[DashboardUids.LOGS]).toBeUndefined();
    for (const backend of [LogsBackend.LOKI, LogsBackend.LOKI_STACK]) {
      const logs = render({ logs: { backend } })[DashboardUids.LOGS];
      const q = queries(logs);
      expect(new Set(q.map((x) => x.type))).toEqual(new Set(['loki']));
      expect(q.map((x) => x.query)).toEqual(expect.arrayContaining([
        'sum by (namespace) (count_over_time({namespace=~"$namespace"} [$__interval]))',
        'sum by (namespace) (count_over_time({namespace=~"$namespace"} |~ "(?i)error" [$__interval]))',
        '{namespace=~"$namespace"} |~ "(?i)error"',
      ]));
      // Loki refuses {namespace=~".*"}: All must not match the empty string.
      const ns = (logs.dashboard.templating as any).list.find((v: any) => v.name === 'namespace');
      expect(ns).toMatchObject({ datasource: { type: 'loki', uid: 'loki' }, allValue: '.+', includeAll: true });
    }
  });

  test('the traces dashboard only with Tempo: service graph, span metrics and TraceQL', () => {
    expect(render({ traces: { enabled: false } })[DashboardUids.TRACES]).toBeUndefined();
    expect(render({ traces: { backend: TracesBackend.OTLP_ENDPOINT, otlpEndpoint: 'otlp.example.com:4317' } })[DashboardUids.TRACES]).toBeUndefined();
    const traces = render()[DashboardUids.TRACES];
    const q = queries(traces).map((x) => x.query).join('\n');
    expect(q).toContain('traces_service_graph_request_total');
    expect(q).toContain('traces_spanmetrics_calls_total');
    expect(q).toContain('traces_spanmetrics_latency_bucket');
    const traceql = panels(traces).flatMap((p) => p.targets ?? []).filter((t: any) => t.queryType === 'traceql');
    expect(traceql.length).toBeGreaterThan(0);
    expect(traceql[0]).toMatchObject({ datasource: { type: 'tempo', uid: 'tempo' }, query: '{ resource.service.name =~ "$service" && status = error }' });
    expect(panels(traces).find((p) => p.type === 'nodeGraph').targets[0]).toMatchObject({ queryType: 'serviceMap' });
  });

  test('no cluster overview without kube-state-metrics, no nodes dashboard without node-exporter', () => {
    const d = render({ metrics: { kubeStateMetrics: false, nodeExporter: false } });
    expect(d[DashboardUids.CLUSTER_OVERVIEW]).toBeUndefined();
    expect(d[DashboardUids.NODES]).toBeUndefined();
    expect(d[DashboardUids.STACK_HEALTH]).toBeDefined();
  });
});

describe('per-service dashboards', () => {
  const d = render({ services: [CHECKOUT, CART] });
  const checkout = d[serviceDashboardUid({ namespace: 'shop', name: 'checkout' })];
  const cart = d[serviceDashboardUid({ namespace: 'shop', name: 'cart' })];

  test('one dashboard per service, in the Services folder, tagged service', () => {
    expect(checkout.uid).toBe('obs-svc-shop_checkout');
    expect(cart.uid).toBe('obs-svc-shop_cart');
    expect(checkout.title).toBe('Service / shop / checkout');
    expect(checkout.folder).toBe(DashboardFolder.SERVICES);
    expect(checkout.dashboard.tags).toEqual([DASHBOARD_TAG, 'service']);
  });

  test("golden signals on the service's own metric names, status label and selector", () => {
    const q = queries(checkout).map((x) => x.query);
    const sel = 'namespace="shop", service="checkout"';
    expect(q).toContain(`sum(rate(checkout_http_requests_total{${sel}}[$__rate_interval]))`);
    expect(q).toContain(`sum by (status) (rate(checkout_http_requests_total{${sel}}[$__rate_interval]))`);
    // No 5xx at all is an error ratio of 0, not "No data".
    expect(q).toContain(`(sum(rate(checkout_http_requests_total{${sel}, status=~"5.."}[$__rate_interval])) or vector(0)) / sum(rate(checkout_http_requests_total{${sel}}[$__rate_interval]))`);
    for (const quantile of ['0.50', '0.95', '0.99']) {
      expect(q).toContain(`histogram_quantile(${quantile}, sum by (le) (rate(checkout_request_seconds_bucket{${sel}}[$__rate_interval])))`);
    }
    // Saturation: CPU and memory of the service's pods (joined on the scrape targets' pod label).
    expect(q.some((x) => x.startsWith('sum by (pod) (rate(container_cpu_usage_seconds_total{namespace="shop"') && x.includes(`on (namespace, pod) up{${sel}}`))).toBe(true);
    expect(q.some((x) => x.includes('container_memory_working_set_bytes{namespace="shop"'))).toBe(true);
    expect(q.join('\n')).not.toMatch(/(^|[^_a-z])http_requests_total\{|http_request_duration_seconds/);
    // Defaults for the other service.
    expect(queries(cart).map((x) => x.query)).toContain('sum(rate(http_requests_total{namespace="shop", service="cart"}[$__rate_interval]))');
    expect(queries(cart).map((x) => x.query).join('\n')).toContain('http_request_duration_seconds_bucket{namespace="shop", service="cart"}');
  });

  test('alert thresholds become numeric threshold steps and legends use the status label', () => {
    const errorStat = panels(checkout).find((p) => p.type === 'stat' && p.title === 'Error ratio');
    expect(errorStat.fieldConfig.defaults.thresholds.steps).toEqual([{ color: 'green', value: null }, { color: 'red', value: 0.02 }]);
    const latency = panels(checkout).find((p) => p.title === 'Latency');
    expect(latency.fieldConfig.defaults.thresholds.steps[1]).toEqual({ color: 'red', value: 0.5 });
    expect(panels(checkout).find((p) => p.title === 'Traffic by status').targets[0].legendFormat).toBe('{{status}}');
  });

  test('links: overview → service dashboards (by tag) → namespace, logs and traces (by uid)', () => {
    const overviewLinks = d[DashboardUids.CLUSTER_OVERVIEW].dashboard.links as any[];
    expect(overviewLinks).toContainEqual(expect.objectContaining({ type: 'dashboards', title: 'Services', tags: [DASHBOARD_TAG, 'service'], asDropdown: true }));
    const links = checkout.dashboard.links as any[];
    expect(links.map((l) => l.url).filter(Boolean)).toEqual([
      '/d/obs-cluster-overview?var-namespace=shop',
      '/d/obs-logs?var-namespace=shop',
      '/d/obs-traces?var-service=checkout',
    ]);
    expect(links.every((l) => l.keepTime === true)).toBe(true);
    // Without Loki and Tempo, no links to dashboards that do not exist.
    const alone = render({ services: [CHECKOUT], logs: { enabled: false }, traces: { enabled: false } });
    const urls = (alone['obs-svc-shop_checkout'].dashboard.links as any[]).map((l) => l.url).filter(Boolean);
    expect(urls).toEqual(['/d/obs-cluster-overview?var-namespace=shop']);
    // No Services dropdown when there are no services.
    expect((render()[DashboardUids.CLUSTER_OVERVIEW].dashboard.links as any[]).map((l) => l.title)).not.toContain('Services');
  });
});

describe('uids', () => {
  test('stable, at most 40 characters, unique for namespace/name pairs that join alike', () => {
    expect(dashboardUid('cluster-overview')).toBe('obs-cluster-overview');
    expect(dashboardUid('svc', 'a-b', 'c')).not.toBe(dashboardUid('svc', 'a', 'b-c'));
    const ns = 'a-very-long-namespace-name-for-the-payments-team';
    const long = dashboardUid('svc', ns, 'checkout-service-with-a-long-name');
    expect(long.length).toBeLessThanOrEqual(MAX_UID_LENGTH);
    expect(long).toMatch(/^obs-svc-a-very-long-namespace-[a-z0-9-]*-[0-9a-f]{8}$/);
    expect(dashboardUid('svc', ns, 'checkout-service-with-a-long-name')).toBe(long);
    expect(dashboardUid('svc', ns, 'checkout-service-with-a-long-namf')).not.toBe(long);
    const rendered = renderDashboards(resolved({ services: [{ name: 'checkout-service-with-a-long-name', namespace: ns, port: 'http' }] }));
    expect(rendered.map((r) => r.uid)).toContain(long);
  });
});

describe('stack health: a row only for components in the stack', () => {
  const rows = (options: Options) => (render(options)[DashboardUids.STACK_HEALTH].dashboard.panels as any[])
    .filter((p) => p.type === 'row').map((p) => p.title);

  test('defaults: every component', () => {
    expect(rows({})).toEqual(['Prometheus', 'Alertmanager', 'Loki', 'Tempo', 'OpenTelemetry collector', 'Argo CD']);
    const q = queries(render()[DashboardUids.STACK_HEALTH]).map((x) => x.query).join('\n');
    expect(q).toContain('argocd_app_info');
  });

  test('metrics only, no Alertmanager: Prometheus and Argo CD, moved up without holes', () => {
    const health = render({ logs: { enabled: false }, traces: { enabled: false }, metrics: { alertmanager: false } })[DashboardUids.STACK_HEALTH];
    const list = health.dashboard.panels as any[];
    expect(list.filter((p) => p.type === 'row').map((p) => p.title)).toEqual(['Prometheus', 'Argo CD']);
    const argoRow = list.find((p) => p.title === 'Argo CD');
    const lowestPrometheus = Math.max(...list.filter((p) => p.gridPos.y < argoRow.gridPos.y).map((p) => p.gridPos.y + p.gridPos.h));
    expect(argoRow.gridPos.y).toBe(lowestPrometheus);
    const q = queries(health).map((x) => x.query).join('\n');
    expect(q).not.toMatch(/loki_|tempo_|otelcol_|alertmanager_/);
  });

  test('Elasticsearch and an external OTLP endpoint: the collector, but no Loki or Tempo row', () => {
    expect(rows({
      logs: { backend: LogsBackend.ELASTICSEARCH },
      traces: { backend: TracesBackend.OTLP_ENDPOINT, otlpEndpoint: 'otlp.example.com:4317' },
    })).toEqual(['Prometheus', 'Alertmanager', 'OpenTelemetry collector', 'Argo CD']);
  });

  test('an unknown component in "x-requires" names the template and the panel', () => {
    const t = loadTemplate('stack-health.json');
    (t.panels as any[])[0]['x-requires'] = ['lokii'];
    expect(() => applyRequires(t.panels as any[], stackComponents(resolved()), 'templates/dashboards/stack-health.json'))
      .toThrow(/stack-health\.json: panel "Prometheus" \(id 1\) requires unknown component "lokii"/);
  });
});

describe('the cluster overview', () => {
  const overview = render()[DashboardUids.CLUSTER_OVERVIEW];
  const vars = (overview.dashboard.templating as any).list;

  test('chained variables cluster → namespace → deployment → pod on kube-state-metrics', () => {
    expect(vars.map((v: any) => v.name)).toEqual(['cluster', 'namespace', 'deployment', 'pod']);
    expect(vars[1].query).toBe('label_values(kube_pod_info{cluster=~"$cluster"}, namespace)');
    expect(vars[2].query).toContain('namespace=~"$namespace"');
    expect(vars[3].query).toContain('$deployment');
  });

  test('the cluster variable degrades to All (.*) on a single-cluster Prometheus without a cluster label', () => {
    expect(vars[0]).toMatchObject({
      query: 'label_values(up, cluster)',
      includeAll: true,
      allValue: '.*',
      allowCustomValue: true,
      current: { text: 'All', value: '$__all' },
    });
    // Every Prometheus query filters with =~, which ".*" satisfies for series without the label.
    for (const q of queries(overview)) {
      expect(q.query).not.toMatch(/cluster="/);
      if (q.query.includes('cluster')) expect(q.query).toContain('cluster=~"$cluster"');
    }
  });
});

describe('the dashboards part', () => {
  test('wave CONFIGURATION, metrics namespace, server-side apply, a Kustomize folder and no manifests()', () => {
    const part: any = dashboardsPart.build(resolved({ metrics: { namespace: 'observability' } }));
    expect(part).toMatchObject({
      name: 'dashboards', namespace: 'observability', wave: SyncWave.CONFIGURATION, serverSideApply: true, kustomizeDir: true,
    });
    expect(part.chart).toBeUndefined();
    expect(part.manifests({ name: 'in-cluster', server: 'https://kubernetes.default.svc' })).toEqual([]);
  });

  test('its Application syncs the Kustomize folder from Git, server-side, in the metrics namespace', () => {
    const o = resolved({ gitRepoUrl: 'https://github.com/acme/observability.git' });
    const fleet = fleetOf({ gitRepoUrl: 'https://github.com/acme/observability.git' });
    const group = fleet.groups[0];
    const part = group.model.parts.find((p) => p.name === 'dashboards') ?? dashboardsPart.build(o)!;
    const app: any = childApplication(fleet, group, group.model.clusters[0], part);
    expect(() => assertValidResource('argocd/apps/in-cluster/dashboards.yaml', app)).not.toThrow();
    expect(app.metadata.name).toBe('in-cluster-dashboards');
    expect(app.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe(String(SyncWave.CONFIGURATION));
    expect(app.spec.sources).toEqual([
      { repoURL: 'https://github.com/acme/observability.git', targetRevision: 'main', path: 'manifests/in-cluster/dashboards' },
    ]);
    expect(app.spec.destination.namespace).toBe('monitoring');
    expect(app.spec.syncPolicy.syncOptions).toContain('ServerSideApply=true');
  });

  test('off without dashboards.enabled, Grafana or metrics', () => {
    expect(dashboardsPart.build(resolved({ dashboards: { enabled: false } }))).toBeUndefined();
    expect(dashboardsPart.build(resolved({ grafana: { enabled: false } }))).toBeUndefined();
    expect(dashboardsPart.build(resolved({ metrics: { enabled: false } }))).toBeUndefined();
  });
});

describe('isPlainJson (the dashboard check skips parsing its own JSON text back when true)', () => {
  const roundTrip = (v: unknown) => JSON.parse(JSON.stringify(v));
  test.each([
    ['plain data', { a: [1, 'x', null, true, { b: 2.5 }], c: {} }, true],
    ['an undefined field', { a: undefined }, false],
    ['a hole', [1, , 2], false], // eslint-disable-line no-sparse-arrays
    ['NaN', { a: NaN }, false],
    ['-0', [-0], false],
    ['a Date', { d: new Date(0) }, false],
    ['toJSON', { toJSON: () => 1 }, false],
    ['a class instance', [new (class A {})()], false],
    ['a function', { f: () => 1 }, false],
  ])('%s', (_name, value, plain) => {
    expect(isPlainJson(value)).toBe(plain);
    if (plain) expect(JSON.stringify(roundTrip(value))).toBe(JSON.stringify(value));
  });

  test('every rendered dashboard is plain JSON data, equal to its JSON text parsed back', () => {
    for (const d of renderDashboards(resolved({ services: [CHECKOUT, CART] }))) {
      expect([d.uid, isPlainJson(d.dashboard)]).toEqual([d.uid, true]);
      expect(d.dashboard).toStrictEqual(JSON.parse(d.json));
    }
  });
});
