import { spawnSync } from 'child_process';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as YAML from 'yaml';
import { allRuleGroups } from '../../src/model/alerts/index';
import { renderRuleFile, renderTestFile } from '../../src/model/alerts/render';
import { sanitizeLabelName } from '../../src/model/alerts/scrape-config';
import {
  GOLDEN_SIGNALS_GROUP, ServiceAlert, counterValues, expandAnnotation, formatLe, goFormatG, humanizeDuration,
  humanizePercentage, serviceDocs, serviceRuleGroups, serviceRunbooks,
} from '../../src/model/alerts/services';
import { prometheusExtraScrapeConfigs, serviceScrapeConfigs } from '../../src/model/alerts/standalone-scrape';
import { RuleGroup } from '../../src/model/alerts/types';
import { serviceMonitorManifests, serviceMonitors } from '../../src/model/parts/service-monitors';
import { MetricsFlavor, RulePack } from '../../src/options/options';
import { resolveOptions } from '../../src/options/resolve';
import { validateAgainstCrd } from '../../src/validation/crd-schema';
import { synthFiles, BASE } from '../util';

// Until src/model/parts/index.ts lists the service-monitors part, add it here (a no-op once it does).
jest.mock('../../src/model/parts/index', () => {
  const actual = jest.requireActual('../../src/model/parts/index');
  const { serviceMonitors: part } = jest.requireActual('../../src/model/parts/service-monitors');
  const wired = actual.PART_DEFINITIONS.some((p: { name: string }) => p.name === 'service-monitors');
  return { ...actual, PART_DEFINITIONS: wired ? actual.PART_DEFINITIONS : [...actual.PART_DEFINITIONS, part] };
});

jest.setTimeout(120_000);

const REPO = 'https://github.com/acme/observability.git';

function resolved(options: Record<string, unknown> = {}) {
  return resolveOptions({ ...BASE, gitRepoUrl: REPO, ...options } as any);
}

const CHECKOUT = { name: 'checkout', namespace: 'shop', port: 'http-metrics' };
const CART = {
  name: 'cart',
  namespace: 'shop',
  port: 'metrics',
  monitor: 'pod-monitor',
  requestsMetric: 'cart_http_requests_total',
  durationMetric: 'cart_request_latency_seconds',
  statusLabel: 'status_code',
  errorRateThreshold: 0.5,
  latencyThresholdSeconds: 2.5,
  scrapeInterval: '15s',
  selector: { 'app.kubernetes.io/name': 'cart', 'app.kubernetes.io/version': 'v1.2' },
};

/** Run promtool; fail clearly when it is not installed. */
function promtool(args: string[], cwd: string): { status: number; output: string } {
  const r = spawnSync('promtool', args, { cwd, encoding: 'utf8' });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error('promtool is not installed: install the Debian package "prometheus" (apt-get install -y prometheus)');
  }
  return { status: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
}

/** Write the groups as promtool rule and test files (the official renderers) and run check + test, evaluating every `evaluationInterval` (metrics.scrapeInterval; 30s by default). */
export function promtoolCheckAndTest(groups: readonly RuleGroup[], evaluationInterval = '30s'): { check: string; test: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'obs-service-rules-'));
  let check = '';
  let test = '';
  for (const group of groups) {
    const ruleFile = `${group.name}.rules.yaml`;
    const testFile = `${group.name}.test.yaml`;
    writeFileSync(join(dir, ruleFile), YAML.stringify(renderRuleFile([group], ruleFile), { lineWidth: 0 }));
    writeFileSync(join(dir, testFile), YAML.stringify(renderTestFile(group, ruleFile, testFile, evaluationInterval), { lineWidth: 0 }));
    const c = promtool(['check', 'rules', '--lint=all', '--lint-fatal', ruleFile], dir);
    expect({ ruleFile, ...c }).toEqual({ ruleFile, status: 0, output: expect.stringContaining('SUCCESS') });
    check += c.output;
    const t = promtool(['test', 'rules', testFile], dir);
    expect({ testFile, ...t }).toEqual({ testFile, status: 0, output: expect.stringContaining('SUCCESS') });
    test += t.output;
  }
  return { check, test, dir };
}

describe('golden-signal rules', () => {
  const o = resolved({ services: [CHECKOUT, CART] });
  const groups = serviceRuleGroups(o);
  const golden = groups.find((g) => g.name === GOLDEN_SIGNALS_GROUP)!;
  const rulesOf = (svc: string) => golden.rules.filter((r) => r.labels?.service === svc);

  test('one golden-signals group with every service\'s rules, and no SLO group without SLOs', () => {
    expect(groups.map((g) => g.name)).toEqual([GOLDEN_SIGNALS_GROUP]);
    expect(rulesOf('checkout').map((r) => r.record ?? r.alert)).toEqual([
      'namespace_service:requests:rate5m',
      'namespace_service:request_errors:ratio_rate5m',
      'namespace_service_quantile:request_duration_seconds:histogram_quantile5m',
      'namespace_service_quantile:request_duration_seconds:histogram_quantile5m',
      'namespace_service_quantile:request_duration_seconds:histogram_quantile5m',
      ServiceAlert.HIGH_ERROR_RATE,
      ServiceAlert.HIGH_LATENCY,
    ]);
    expect(rulesOf('cart')).toHaveLength(7);
  });

  test('default metric names, selected by namespace and service, aggregated without relying on cluster', () => {
    const [rate, errors, p50] = rulesOf('checkout');
    expect(rate.expr).toBe('sum by (cluster, namespace, service) (rate(http_requests_total{namespace="shop", service="checkout"}[5m]))');
    expect(errors.expr).toContain('rate(http_requests_total{namespace="shop", service="checkout", code=~"5.."}[5m])');
    expect(errors.expr).toContain('or\n  0 * sum by (cluster, namespace, service)');
    expect(p50.expr).toBe('histogram_quantile(0.5, sum by (cluster, namespace, service, le) (rate(http_request_duration_seconds_bucket{namespace="shop", service="checkout"}[5m])))');
    expect(p50.labels).toEqual({ namespace: 'shop', service: 'checkout', quantile: '0.5' });
    // No selector or join needs the cluster external label.
    for (const r of golden.rules) expect(r.expr).not.toMatch(/cluster\s*=|on\s*\(cluster/);
  });

  test('custom metric and label names', () => {
    const rules = rulesOf('cart');
    expect(rules[1].expr).toContain('cart_http_requests_total{namespace="shop", service="cart", status_code=~"5.."}');
    expect(rules[4].expr).toContain('cart_request_latency_seconds_bucket{namespace="shop", service="cart"}');
    expect(rules[4].labels?.quantile).toBe('0.99');
  });

  test('alerts: per-service thresholds, one name for all services, severity, runbook, for', () => {
    const errorRate = rulesOf('cart').find((r) => r.alert === ServiceAlert.HIGH_ERROR_RATE)!;
    expect(errorRate).toMatchObject({
      expr: 'namespace_service:request_errors:ratio_rate5m{namespace="shop", service="cart"} > 0.5',
      for: '5m',
      labels: { namespace: 'shop', service: 'cart', severity: 'warning' },
      annotations: {
        runbook_url: 'https://github.com/acme/observability/blob/main/docs/runbooks/ServiceHighErrorRate.md',
        description: expect.stringContaining('More than 50% of the requests'),
      },
    });
    const latency = rulesOf('checkout').find((r) => r.alert === ServiceAlert.HIGH_LATENCY)!;
    expect(latency).toMatchObject({
      expr: 'namespace_service_quantile:request_duration_seconds:histogram_quantile5m{namespace="shop", service="checkout", quantile="0.99"} > 1',
      for: '10m',
      labels: { severity: 'warning' },
    });
  });

  test('allRuleGroups accepts one alert name repeated inside its group (duplicates are checked across groups)', () => {
    // Needs src/model/alerts/index.ts to skip repeats within the same group (see the report).
    expect(allRuleGroups(o).filter((g) => g.name === GOLDEN_SIGNALS_GROUP)).toHaveLength(1);
  });

  test('promtool check rules (with lint) and test rules pass: default names, custom names, a PodMonitor', () => {
    const { test } = promtoolCheckAndTest(groups);
    expect(test).toContain('SUCCESS');
    // Every alert has a firing and a quiet case, for each service, with the service's series in the input.
    for (const svc of ['checkout', 'cart']) {
      for (const alert of [ServiceAlert.HIGH_ERROR_RATE, ServiceAlert.HIGH_LATENCY]) {
        const cases = golden.tests
          .filter((t) => t.input_series.some((i) => i.series.includes(`service="${svc}"`)))
          .flatMap((t) => t.alert_rule_test ?? [])
          .filter((a) => a.alertname === alert)
          .map((a) => a.exp_alerts.some((e) => e.exp_labels?.service === svc));
        expect({ svc, alert, fires: cases.includes(true), quiet: cases.includes(false) }).toEqual({ svc, alert, fires: true, quiet: true });
      }
    }
    // Three scenarios per scrape interval: checkout at the default 30s, cart at its own 15s.
    expect(golden.tests.map((t) => t.interval)).toEqual(['30s', '30s', '30s', '15s', '15s', '15s']);
  });

  test('input series carry namespace, service and pod, never cluster', () => {
    const series = golden.tests.flatMap((t) => t.input_series.map((s) => s.series));
    expect(series).toContain('cart_http_requests_total{namespace="shop", service="cart", pod="cart-0", status_code="500"}');
    expect(series).toContain('http_request_duration_seconds_bucket{namespace="shop", service="checkout", pod="checkout-0", le="1.0"}');
    for (const s of series) expect(s).not.toContain('cluster');
  });

  test('annotation values ($value) match what Prometheus renders, across latency thresholds (real promtool)', () => {
    const thresholds = [0.001, 0.005, 0.025, 0.1, 0.125, 0.25, 0.3, 0.75, 1, 2.5, 10, 45, 59.5, 60]; // at most 60 s: more is refused as milliseconds
    const errorRates = [0, 0.001, 0.05, 0.3, 0.5, 0.99];
    const services = thresholds.map((t, i) => ({
      name: `svc-${i}`, namespace: 'load', port: 'http', latencyThresholdSeconds: t, errorRateThreshold: errorRates[i % errorRates.length],
    }));
    const many = serviceRuleGroups(resolved({ services }));
    const { test } = promtoolCheckAndTest(many);
    expect(test).toContain('SUCCESS');
    const slow = many[0].tests[1];
    expect(slow.name).toContain('load/svc-6 450ms over 0.3s');
    expect(slow.name).toContain('load/svc-13 1m 30s over 60s');
    const annotations = slow.alert_rule_test![0].exp_alerts.map((a) => a.exp_annotations!.summary);
    expect(annotations).toContain('load/svc-6 p99 latency is 450ms.');
    expect(annotations).toContain('load/svc-0 p99 latency is 1.5ms.');
  });

  test('the tests are real: a drifted threshold fails promtool', () => {
    const drifted: RuleGroup = {
      ...golden,
      rules: golden.rules.map((r) => (r.alert === ServiceAlert.HIGH_LATENCY && r.labels?.service === 'checkout'
        ? { ...r, expr: r.expr.replace(/> 1$/, '> 2') } : r)),
    };
    const dir = mkdtempSync(join(tmpdir(), 'obs-service-drift-'));
    writeFileSync(join(dir, 'g.rules.yaml'), YAML.stringify(renderRuleFile([drifted], 'g.rules.yaml'), { lineWidth: 0 }));
    writeFileSync(join(dir, 'g.test.yaml'), YAML.stringify(renderTestFile(drifted, 'g.rules.yaml', 'g.test.yaml', '30s'), { lineWidth: 0 }));
    const r = promtool(['test', 'rules', 'g.test.yaml'], dir);
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('alertname: ServiceHighLatency');
  });

  test('errorRateThreshold 1 (no ratio exceeds it): no ServiceHighErrorRate for that service', () => {
    const g = serviceRuleGroups(resolved({ services: [{ ...CHECKOUT, errorRateThreshold: 1 }] }))[0];
    expect(g.rules.map((r) => r.alert).filter(Boolean)).toEqual([ServiceAlert.HIGH_LATENCY]);
    promtoolCheckAndTest([g]);
  });

  test('alerting.forDurations overrides the for of the service alerts (and the tests follow)', () => {
    const g = serviceRuleGroups(resolved({ services: [CHECKOUT], alerting: { forDurations: { ServiceHighErrorRate: '15m', ServiceHighLatency: '0s' } } }))[0];
    expect(g.rules.find((r) => r.alert === ServiceAlert.HIGH_ERROR_RATE)!.for).toBe('15m');
    expect(g.rules.find((r) => r.alert === ServiceAlert.HIGH_LATENCY)!.for).toBe('0s');
    promtoolCheckAndTest([g]);
  });

  test('alerting.thresholds cannot set a per-service threshold', () => {
    expect(() => serviceRuleGroups(resolved({ services: [CHECKOUT], alerting: { thresholds: { ServiceHighErrorRate: 0.1 } } })))
      .toThrow(/"alerting\.thresholds\.ServiceHighErrorRate".*services\[\]\.errorRateThreshold/);
  });

  test('a scrape interval too long for 5m rate windows widens them to four intervals (3m: 12m), and the tests run at 3m and pass', () => {
    const wide = serviceRuleGroups(resolved({ services: [{ ...CHECKOUT, scrapeInterval: '3m' }] }));
    const rules = wide.flatMap((g) => g.rules);
    expect(rules.filter((r) => r.record).map((r) => r.record)).toContain('namespace_service:request_errors:ratio_rate12m');
    expect(rules.some((r) => /\[5m\]|rate5m/.test(r.expr))).toBe(false);
    expect(wide.flatMap((g) => g.tests).every((t) => t.interval === '3m')).toBe(true);
    expect(promtoolCheckAndTest(wide).test).toContain('SUCCESS');
  });

  test('nothing without services, without the golden-signals pack, or without metrics', () => {
    expect(serviceRuleGroups(resolved())).toEqual([]);
    expect(serviceRuleGroups(resolved({ services: [CHECKOUT], alerting: { rulePacks: [RulePack.WORKLOADS] } }))).toEqual([]);
    expect(serviceRunbooks(resolved({ services: [CHECKOUT], alerting: { rulePacks: [RulePack.WORKLOADS] } }))).toEqual([]);
    expect(serviceRuleGroups(resolved({ metrics: { enabled: false }, alerting: undefined }))).toEqual([]);
  });

  test('a service without a port is refused (options)', () => {
    expect(() => resolved({ services: [{ name: 'checkout', namespace: 'shop' }] })).toThrow(/"services\[0\]\.port".*required/);
  });
});

describe('formatting as Prometheus does it', () => {
  test('Go %.4g', () => {
    expect(goFormatG(0.5, 4)).toBe('0.5');
    expect(goFormatG(100, 4)).toBe('100');
    expect(goFormatG(1234.5, 4)).toBe('1234'); // half to even
    expect(goFormatG(1235.5, 4)).toBe('1236');
    expect(goFormatG(12345, 4)).toBe('1.234e+04');
    expect(goFormatG(0.00001234, 4)).toBe('1.234e-05');
    expect(goFormatG(187.5, 4)).toBe('187.5');
    expect(goFormatG(0.1 + 0.2, 4)).toBe('0.3');
  });

  test('humanizePercentage and humanizeDuration', () => {
    expect(humanizePercentage(0.5)).toBe('50%');
    expect(humanizePercentage(0.0144)).toBe('1.44%');
    expect(humanizeDuration(0.45)).toBe('450ms');
    expect(humanizeDuration(1.5)).toBe('1.5s');
    expect(humanizeDuration(90)).toBe('1m 30s');
    expect(humanizeDuration(5400)).toBe('1h 30m 0s');
    expect(humanizeDuration(90000)).toBe('1d 1h 0m 0s');
    expect(humanizeDuration(0.0000015)).toBe('1.5us');
  });

  test('le values as Prometheus 3 stores them', () => {
    expect(formatLe(0.3)).toBe('0.3');
    expect(formatLe(1)).toBe('1.0');
    expect(formatLe(2.5)).toBe('2.5');
    expect(formatLe(3600)).toBe('3600.0');
  });

  test('annotation templates', () => {
    expect(expandAnnotation('{{ $labels.namespace }}/{{ $labels.service }}: {{ $value | humanizePercentage }}', { namespace: 'a', service: 'b' }, 0.25))
      .toBe('a/b: 25%');
    expect(() => expandAnnotation('{{ $value | printf "%.2f" }}', {}, 1)).toThrow(/cannot expand/);
  });

  test('promtool counter notation', () => {
    expect(counterValues([[10, 60]])).toBe('0+60x10');
    expect(counterValues([[60, 100], [35, 0]])).toBe('0+100x60 6000+0x34');
    expect(counterValues([[300, 0], [60, 7]])).toBe('0+0x300 7+7x59');
  });
});

describe('service-monitors part (kube-prometheus-stack)', () => {
  const o = resolved({ services: [CHECKOUT, CART, { name: 'api', namespace: 'monitoring', port: 'web', scrapeInterval: '5s' }] });
  const part = serviceMonitors.build(o)!;
  const manifests = serviceMonitorManifests(o);

  test('plain manifests in the services\' namespaces, synced last, skipping the dry run until the CRDs exist', () => {
    expect(part).toMatchObject({
      name: 'service-monitors',
      namespace: 'monitoring',
      additionalNamespaces: ['shop'],
      wave: 40,
      syncOptions: ['SkipDryRunOnMissingResource=true'],
      values: {},
      clusterResources: [],
    });
    expect(part.chart).toBeUndefined();
    expect(part.manifests({ name: 'in-cluster', server: 'https://kubernetes.default.svc', labels: {} })).toEqual(manifests);
  });

  test('a ServiceMonitor or a PodMonitor per service, validated against the vendored CRDs', () => {
    expect(manifests.map((m: any) => `${m.kind} ${m.metadata.namespace}/${m.metadata.name}`))
      .toEqual(['ServiceMonitor shop/checkout', 'PodMonitor shop/cart', 'ServiceMonitor monitoring/api']);
    for (const m of manifests) expect(validateAgainstCrd(m)).toEqual([]);
  });

  test('endpoints: port, path, interval, a timeout within the interval, and the service relabeling', () => {
    const [checkout, cart, api] = manifests as any[];
    expect(checkout.spec).toEqual({
      selector: { matchLabels: { 'app.kubernetes.io/name': 'checkout' } },
      endpoints: [{
        port: 'http-metrics',
        path: '/metrics',
        interval: '30s',
        scrapeTimeout: '10s',
        relabelings: [{ action: 'replace', targetLabel: 'service', replacement: 'checkout' }],
      }],
    });
    expect(cart.spec.selector.matchLabels).toEqual(CART.selector);
    expect(cart.spec.podMetricsEndpoints).toEqual([{
      port: 'metrics',
      path: '/metrics',
      interval: '15s',
      scrapeTimeout: '10s',
      relabelings: [{ action: 'replace', targetLabel: 'service', replacement: 'cart' }],
    }]);
    expect(api.spec.endpoints[0]).toMatchObject({ interval: '5s', scrapeTimeout: '5s' });
    expect(part.additionalNamespaces).not.toContain('monitoring');
  });

  test('no part with the standalone flavor, without services or without metrics', () => {
    expect(serviceMonitors.build(resolved({ services: [CHECKOUT], metrics: { flavor: MetricsFlavor.STANDALONE } }))).toBeUndefined();
    expect(serviceMonitors.build(resolved())).toBeUndefined();
  });

  test('synthesized: an Application syncing manifests/<cluster>/service-monitors, allowed into the services\' namespaces', () => {
    const files = synthFiles({ services: [CHECKOUT, CART] } as any);
    const app = files['argocd/apps/in-cluster/service-monitors.yaml'];
    expect(app.spec.sources).toEqual([expect.objectContaining({ path: 'manifests/in-cluster/service-monitors' })]);
    expect(app.spec.syncPolicy.syncOptions).toContain('SkipDryRunOnMissingResource=true');
    expect(Number(app.metadata.annotations['argocd.argoproj.io/sync-wave'])).toBe(40);
    const project = files['argocd/apps/project.yaml'];
    expect(project.spec.destinations).toContainEqual({ server: 'https://kubernetes.default.svc', namespace: 'shop' });
    const written = Object.entries(files).filter(([f]) => f.startsWith('manifests/in-cluster/service-monitors/')).map(([, c]) => c);
    expect(written.map((m: any) => m.kind).sort()).toEqual(['PodMonitor', 'ServiceMonitor']);
  });
});

describe('standalone flavor: extraScrapeConfigs', () => {
  const o = resolved({ metrics: { flavor: MetricsFlavor.STANDALONE }, services: [CHECKOUT, CART] });
  const text = prometheusExtraScrapeConfigs(o);
  // The stack's own components first (test/alerts/standalone-stack-scrape.test.ts), then the services.
  const jobs = YAML.parse(text).filter((j: any) => j.job_name.startsWith('services/'));

  test('a YAML list of scrape jobs, one per service, with no Helm template braces', () => {
    expect(typeof text).toBe('string');
    expect(text.startsWith('- job_name: ')).toBe(true);
    expect(text).not.toContain('{{');
    expect(jobs.map((j: any) => j.job_name)).toEqual(['services/shop/checkout', 'services/shop/cart']);
    expect(jobs).toEqual(serviceScrapeConfigs(o));
    expect(YAML.parse(text).slice(-2)).toEqual(jobs);
  });

  test('ServiceMonitor-like job: EndpointSlices of the selected Services, the named port, the service label', () => {
    expect(jobs[0]).toEqual({
      job_name: 'services/shop/checkout',
      scrape_interval: '30s',
      scrape_timeout: '10s',
      metrics_path: '/metrics',
      kubernetes_sd_configs: [{ role: 'endpointslice', namespaces: { names: ['shop'] } }],
      relabel_configs: [
        {
          source_labels: ['__meta_kubernetes_service_labelpresent_app_kubernetes_io_name', '__meta_kubernetes_service_label_app_kubernetes_io_name'],
          regex: 'true;checkout',
          action: 'keep',
        },
        { source_labels: ['__meta_kubernetes_endpointslice_port_name'], regex: 'http-metrics', action: 'keep' },
        { source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace' },
        { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
        { source_labels: ['__meta_kubernetes_pod_container_name'], target_label: 'container' },
        { target_label: 'service', replacement: 'checkout' },
      ],
    });
  });

  test('PodMonitor-like job: pods by their labels (regex-escaped values), container port, finished pods dropped', () => {
    const relabel = jobs[1].relabel_configs;
    expect(jobs[1].kubernetes_sd_configs).toEqual([{ role: 'pod', namespaces: { names: ['shop'] } }]);
    expect(relabel).toContainEqual({
      source_labels: ['__meta_kubernetes_pod_labelpresent_app_kubernetes_io_version', '__meta_kubernetes_pod_label_app_kubernetes_io_version'],
      regex: 'true;v1\\.2',
      action: 'keep',
    });
    expect(relabel).toContainEqual({ source_labels: ['__meta_kubernetes_pod_container_port_name'], regex: 'metrics', action: 'keep' });
    expect(relabel).toContainEqual({ source_labels: ['__meta_kubernetes_pod_phase'], regex: '(Failed|Succeeded)', action: 'drop' });
    expect(relabel[relabel.length - 1]).toEqual({ target_label: 'service', replacement: 'cart' });
    expect(sanitizeLabelName('app.kubernetes.io/name')).toBe('app_kubernetes_io_name');
  });

  test('promtool check config accepts prometheus.yml as the chart renders it (its jobs, then ours)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'obs-scrape-'));
    // Debian's promtool is built without Kubernetes service discovery ("field kubernetes_sd_configs
    // not found"): check everything else (durations, paths, relabel actions and regexes) with a
    // static target in its place; the discovery block's shape is asserted above. Every job of
    // extraScrapeConfigs: the services' and the stack components'.
    const checkable = YAML.stringify(YAML.parse(text).map((j: any) => {
      const { kubernetes_sd_configs: _sd, ...rest } = j;
      return { ...rest, static_configs: [{ targets: ['localhost:8080'] }] };
    }), { lineWidth: 0 });
    const config = [
      'global:',
      '  scrape_interval: 30s',
      'scrape_configs:',
      '- job_name: prometheus',
      '  static_configs:',
      '  - targets: [localhost:9090]',
      checkable,
    ].join('\n');
    writeFileSync(join(dir, 'prometheus.yml'), config);
    const r = promtool(['check', 'config', '--syntax-only', 'prometheus.yml'], dir);
    expect(r).toEqual({ status: 0, output: expect.stringContaining('SUCCESS') });
  });

  test('empty with kube-prometheus-stack; with neither services nor stack components, only Argo CD\'s job', () => {
    expect(prometheusExtraScrapeConfigs(resolved({ services: [CHECKOUT] }))).toBe('');
    const jobNames = YAML.parse(prometheusExtraScrapeConfigs(resolved({
      metrics: { flavor: MetricsFlavor.STANDALONE, alertmanager: false }, logs: { enabled: false }, traces: { enabled: false },
    }))).map((j: any) => j.job_name);
    expect(jobNames).toEqual(['stack/argocd/argocd-metrics']);
  });
});

describe('docs and runbooks', () => {
  const o = resolved({
    services: [
      { ...CHECKOUT, language: 'java', slos: [{ kind: 'availability', objective: 99.9 }] },
      CART,
      { name: 'checkout', namespace: 'shop-staging', port: 'http' },
    ],
    grafana: { exposure: 'ingress', ingressHost: 'grafana.example.com' },
  });
  const docs = serviceDocs(o, (svc) => ({ title: `Service / ${svc.namespace} / ${svc.name}`, uid: `svc-${svc.name}` }));
  const page = (p: string) => docs.find((d) => d.path === p)!.markdown;

  test('one page per service, namespaced so twins in two namespaces do not collide', () => {
    expect(docs.map((d) => d.path)).toEqual(['docs/services/shop/checkout.md', 'docs/services/shop/cart.md', 'docs/services/shop-staging/checkout.md']);
  });

  test('what is scraped, the dashboard, the alerts', () => {
    const md = page('docs/services/shop/cart.md');
    expect(md).toContain('A PodMonitor `cart` in namespace `shop`');
    expect(md).toContain('container port `metrics` at `/metrics`');
    expect(md).toContain('up{namespace="shop", service="cart"}');
    expect(md).toContain('**Service / shop / cart** ([open](http://grafana.example.com/d/svc-cart))');
    expect(md).toContain('| [ServiceHighErrorRate](../../runbooks/ServiceHighErrorRate.md) | warning | more than 50% of requests answer 5xx (over 5m) | 5m |');
    expect(md).not.toContain('## SLOs');
    expect(md).not.toContain('auto-instrumentation');
  });

  test('SLOs with their burn-rate table, and the auto-instrumentation annotation', () => {
    const md = page('docs/services/shop/checkout.md');
    expect(md).toContain('### availability: 99.9% over 30d');
    expect(md).toContain('The error budget is\n0.1% of requests: 43m of complete outage per 30d.');
    expect(md).toContain('| critical (page) | 1h | 5m | 14.4× | 1.44% | 2% | 2d 2h |');
    expect(md).toContain('| critical (page) | 6h | 30m | 6× | 0.6% | 5% | 5d |');
    expect(md).toContain('| warning (ticket) | 1d | 2h | 3× | 0.3% | 10% | 10d |');
    expect(md).toContain('| warning (ticket) | 3d | 6h | 1× | 0.1% | 10% | 30d |');
    expect(md).toContain('instrumentation.opentelemetry.io/inject-java: "tracing/default"');
  });

  test('Go: the target-executable annotation too', () => {
    const md = serviceDocs(resolved({ services: [{ ...CHECKOUT, language: 'go' }] }))[0].markdown;
    expect(md).toContain('instrumentation.opentelemetry.io/inject-go: "tracing/default"\ninstrumentation.opentelemetry.io/otel-go-auto-target-exe:');
  });

  test('standalone flavor: the scrape job instead of a monitor', () => {
    const md = serviceDocs(resolved({ metrics: { flavor: MetricsFlavor.STANDALONE }, services: [CHECKOUT] }))[0].markdown;
    expect(md).toContain('scrape job `services/shop/checkout`');
    expect(md).toContain('EndpointSlices of the Services in namespace `shop`');
  });

  test('runbooks: one per alert name, each listing the services it covers', () => {
    const runbooks = serviceRunbooks(o);
    expect(runbooks.map((r) => r.alert)).toEqual([ServiceAlert.HIGH_ERROR_RATE, ServiceAlert.HIGH_LATENCY, ServiceAlert.ERROR_BUDGET_BURN]);
    const errors = runbooks[0].markdown;
    expect(errors).toMatch(/^# ServiceHighErrorRate\n/);
    expect(errors).toContain('| [shop/cart](../services/shop/cart.md) | 50% | 5m | `sum by (status_code) (rate(cart_http_requests_total{namespace="shop", service="cart"}[5m]))` |');
    expect(errors).not.toContain('@{');
    expect(runbooks[2].markdown).toContain('| [shop/checkout](../services/shop/checkout.md) | `availability` | 99.9% | 30d | 1.44% over 1h & 5m; 0.6% over 6h & 30m | 0.3% over 1d & 2h; 0.1% over 3d & 6h |');
  });
});
