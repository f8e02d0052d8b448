import { spawnSync } from 'child_process';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as YAML from 'yaml';
import { renderRuleFile, renderTestFile } from '../../src/model/alerts/render';
import {
  SLO_GROUP, ServiceAlert, burnRatePairs, errorBudget, leMatcher, serviceDocs, serviceRuleGroups, serviceRunbooks, sloId,
} from '../../src/model/alerts/services';
import { RuleGroup } from '../../src/model/alerts/types';
import { SloKind } from '../../src/options/options';
import { resolveOptions } from '../../src/options/resolve';
import { BASE } from '../util';

jest.setTimeout(180_000);

const REPO = 'https://github.com/acme/observability.git';

function resolved(options: Record<string, unknown> = {}) {
  return resolveOptions({ ...BASE, gitRepoUrl: REPO, ...options } as any);
}

function sloGroup(services: unknown[], alerting?: unknown): RuleGroup {
  return serviceRuleGroups(resolved({ services, ...(alerting ? { alerting } : {}) })).find((g) => g.name === SLO_GROUP)!;
}

/** Run promtool; fail clearly when it is not installed. */
function promtool(args: string[], cwd: string): { status: number; output: string } {
  const r = spawnSync('promtool', args, { cwd, encoding: 'utf8' });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error('promtool is not installed: install the Debian package "prometheus" (apt-get install -y prometheus)');
  }
  return { status: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
}

/** Write a group as promtool rule and test files with the official renderers; run check (lint fatal) and test. */
function runPromtool(group: RuleGroup, evaluationInterval = '30s'): { check: { status: number; output: string }; test: { status: number; output: string } } {
  const dir = mkdtempSync(join(tmpdir(), 'obs-slo-rules-'));
  writeFileSync(join(dir, 'slo.rules.yaml'), YAML.stringify(renderRuleFile([group], 'slo.rules.yaml'), { lineWidth: 0 }));
  writeFileSync(join(dir, 'slo.test.yaml'), YAML.stringify(renderTestFile(group, 'slo.rules.yaml', 'slo.test.yaml', evaluationInterval), { lineWidth: 0 }));
  return {
    check: promtool(['check', 'rules', '--lint=all', '--lint-fatal', 'slo.rules.yaml'], dir),
    test: promtool(['test', 'rules', 'slo.test.yaml'], dir),
  };
}

function expectPromtoolSuccess(group: RuleGroup): void {
  const { check, test } = runPromtool(group);
  expect(check).toEqual({ status: 0, output: expect.stringContaining('SUCCESS') });
  expect(test).toEqual({ status: 0, output: expect.stringContaining('SUCCESS') });
}

const CHECKOUT = { name: 'checkout', namespace: 'shop', port: 'http' };

describe('objectives and burn rates', () => {
  test('an objective of 0 or 100 is refused (options)', () => {
    for (const objective of [0, 100]) {
      expect(() => resolved({ services: [{ ...CHECKOUT, slos: [{ kind: 'availability', objective }] }] }))
        .toThrow(/"services\[0\]\.slos\[0\]\.objective".*outside \(50, 100\)/);
    }
  });

  test('99.9% over 30d: the SRE workbook table, thresholds factor × 0.001', () => {
    const pairs = burnRatePairs({ objective: 99.9, window: '30d' }, '30s');
    expect(errorBudget(99.9)).toBe(0.001);
    expect(pairs.map((p) => [p.severity, p.long, p.short, p.factor, p.budgetConsumed])).toEqual([
      ['critical', '1h', '5m', 14.4, 0.02],
      ['critical', '6h', '30m', 6, 0.05],
      ['warning', '1d', '2h', 3, 0.1],
      ['warning', '3d', '6h', 1, 0.1],
    ]);
    expect(pairs.map((p) => p.threshold)).toEqual([14.4 * 0.001, 6 * 0.001, 3 * 0.001, 1 * 0.001]);
    expect(pairs.every((p) => p.reachable)).toBe(true);
  });

  test('other windows keep the share of the budget spent: 28d and 7d', () => {
    expect(burnRatePairs({ objective: 99, window: '28d' }, '30s').map((p) => p.factor)).toEqual([13.44, 5.6, 2.8, 0.933333333333]);
    expect(burnRatePairs({ objective: 99, window: '7d' }, '30s').map((p) => p.factor)).toEqual([3.36, 1.4, 0.7, 0.233333333333]);
  });

  test('a pair whose threshold reaches 100% is left out', () => {
    expect(burnRatePairs({ objective: 90, window: '30d' }, '30s').map((p) => p.reachable)).toEqual([false, true, true, true]);
    expect(burnRatePairs({ objective: 50, window: '30d' }, '30s').map((p) => p.reachable)).toEqual([false, false, false, true]);
  });

  test('SLO ids and le matchers', () => {
    expect(sloId({ kind: SloKind.AVAILABILITY, latencyThresholdSeconds: 0.3 })).toBe('availability');
    expect(sloId({ kind: SloKind.LATENCY, latencyThresholdSeconds: 0.25 })).toBe('latency-0.25s');
    expect(leMatcher(0.3)).toBe('le="0.3"');
    expect(leMatcher(1)).toBe('le=~"1|1\\\\.0"');
  });
});

describe('SLO rules', () => {
  const group = sloGroup([
    { ...CHECKOUT, slos: [{ kind: 'availability', objective: 99.9 }, { kind: 'latency', objective: 99, latencyThresholdSeconds: 0.3 }] },
  ]);
  const of = (slo: string) => group.rules.filter((r) => r.labels?.slo === slo);

  test('the error ratio over seven windows, then a page and a ticket, per SLO', () => {
    expect(of('availability').map((r) => r.record ?? `${r.alert} ${r.labels!.severity}`)).toEqual([
      'namespace_service_slo:sli_error:ratio_rate5m',
      'namespace_service_slo:sli_error:ratio_rate30m',
      'namespace_service_slo:sli_error:ratio_rate1h',
      'namespace_service_slo:sli_error:ratio_rate2h',
      'namespace_service_slo:sli_error:ratio_rate6h',
      'namespace_service_slo:sli_error:ratio_rate1d',
      'namespace_service_slo:sli_error:ratio_rate3d',
      'ServiceErrorBudgetBurn critical',
      'ServiceErrorBudgetBurn warning',
    ]);
    expect(of('latency-0.3s')).toHaveLength(9);
  });

  test('availability: 5xx over all requests; latency: 1 - requests within the threshold bucket over all', () => {
    const availability = of('availability')[2];
    expect(availability.expr).toContain('sum by (cluster, namespace, service) (rate(http_requests_total{namespace="shop", service="checkout", code=~"5.."}[1h]))');
    expect(availability.labels).toEqual({ namespace: 'shop', service: 'checkout', slo: 'availability' });
    const latency = of('latency-0.3s')[6];
    expect(latency.expr).toBe([
      '1 - (',
      '  sum by (cluster, namespace, service) (rate(http_request_duration_seconds_bucket{namespace="shop", service="checkout", le="0.3"}[3d]))',
      '  /',
      '  sum by (cluster, namespace, service) (rate(http_request_duration_seconds_count{namespace="shop", service="checkout"}[3d]))',
      ')',
    ].join('\n'));
  });

  test('the page: 14.4× over 1h and 5m, or 6× over 6h and 30m', () => {
    const page = of('availability').find((r) => r.labels?.severity === 'critical')!;
    const sel = '{namespace="shop", service="checkout", slo="availability"}';
    expect(page.expr).toBe([
      '(',
      `  namespace_service_slo:sli_error:ratio_rate1h${sel} > (14.4 * 0.001)`,
      '  and',
      `  namespace_service_slo:sli_error:ratio_rate5m${sel} > (14.4 * 0.001)`,
      ')',
      'or',
      '(',
      `  namespace_service_slo:sli_error:ratio_rate6h${sel} > (6 * 0.001)`,
      '  and',
      `  namespace_service_slo:sli_error:ratio_rate30m${sel} > (6 * 0.001)`,
      ')',
    ].join('\n'));
    expect(page.for).toBeUndefined();
    expect(page.labels).toEqual({ namespace: 'shop', service: 'checkout', slo: 'availability', severity: 'critical' });
    expect(page.annotations).toMatchObject({
      summary: '{{ $labels.namespace }}/{{ $labels.service }} is burning its availability error budget fast.',
      description: expect.stringContaining('14.4× the budget (1.44%) over both 1h and 5m, or 6× the budget (0.6%) over both 6h and 30m. Act now: at this rate the budget is gone in 5d or less.'),
      runbook_url: 'https://github.com/acme/observability/blob/main/docs/runbooks/ServiceErrorBudgetBurn.md',
    });
    const ticket = of('availability').find((r) => r.labels?.severity === 'warning')!;
    expect(ticket.expr).toContain('ratio_rate1d{namespace="shop", service="checkout", slo="availability"} > (3 * 0.001)');
    expect(ticket.expr).toContain('ratio_rate6h{namespace="shop", service="checkout", slo="availability"} > (1 * 0.001)');
  });

  test('promtool: check rules and the synthesized tests pass', () => {
    expectPromtoolSuccess(group);
    const names = group.tests.map((t) => t.name);
    expect(names).toEqual([
      'SLOs: every request bad: page and ticket for shop/checkout availability, shop/checkout latency-0.3s',
      'SLOs: a steady share of bad requests between the slow and the fast page thresholds (only the slow page pair can fire): page and ticket for shop/checkout availability, shop/checkout latency-0.3s',
      'SLOs: 3h clean, then an hour above the fast page threshold, diluted below the slow page threshold over its long window (only the fast pair can fire): page and ticket for shop/checkout availability',
      'SLOs: a steady share between the slow and the fast ticket thresholds (a ticket, no page): ticket only for shop/checkout availability, shop/checkout latency-0.3s',
      'SLOs: an hour of errors, then 35 clean minutes (the short windows are clean again: the page resets, the ticket stays): ticket only for shop/checkout availability',
      'SLOs: a steady share at half the lowest threshold: nothing for shop/checkout availability, shop/checkout latency-0.3s',
    ]);
    // Input series: the service's own metric names and labels, never cluster.
    const series = group.tests[0].input_series.map((i) => i.series);
    expect(series).toContain('http_requests_total{namespace="shop", service="checkout", pod="checkout-0", code="500"}');
    expect(series).toContain('http_request_duration_seconds_bucket{namespace="shop", service="checkout", pod="checkout-0", le="0.3"}');
    for (const s of series) expect(s).not.toContain('cluster');
  });

  test('the tests pin each window pair: a drifted 1h/5m or 6h/30m or 3d/6h factor fails promtool', () => {
    for (const [from, to] of [['(14.4 * 0.001)', '(28.8 * 0.001)'], ['(6 * 0.001)', '(12 * 0.001)'], ['(1 * 0.001)', '(2.5 * 0.001)']]) {
      const drifted = { ...group, rules: group.rules.map((r) => ({ ...r, expr: r.expr.split(from).join(to) })) };
      const { test } = runPromtool(drifted);
      expect({ from, status: test.status }).toEqual({ from, status: 1 });
      expect(test.output).toContain('alertname: ServiceErrorBudgetBurn');
    }
  });

  test('a whole-number latency threshold matches le="1" (Prometheus 2 text format) and le="1.0" (Prometheus 3)', () => {
    const g = sloGroup([{ ...CHECKOUT, slos: [{ kind: 'latency', objective: 99, latencyThresholdSeconds: 1 }] }]);
    const record = 'namespace_service_slo:sli_error:ratio_rate5m{namespace="shop", service="checkout", slo="latency-1s"}';
    const labels = 'namespace="shop", service="checkout", pod="p"';
    const input = (le: string) => [
      { series: `http_request_duration_seconds_bucket{${labels}, le="${le}"}`, values: '0+600x20' },
      { series: `http_request_duration_seconds_count{${labels}}`, values: '0+1200x20' },
    ];
    const custom: RuleGroup = {
      ...g,
      tests: [
        ...['1', '1.0'].map((le) => ({
          name: `le="${le}"`,
          interval: '1m',
          input_series: input(le),
          promql_expr_test: [{ expr: record, eval_time: '10m', exp_samples: [{ labels: record, value: 0.5 }] }],
        })),
        {
          name: 'another bucket does not count',
          interval: '1m',
          input_series: input('1.5'),
          promql_expr_test: [{ expr: record, eval_time: '10m', exp_samples: [] }],
        },
      ],
    };
    expectPromtoolSuccess(custom);
  });

  test('several SLOs and services: objectives, windows, custom names, a PodMonitor, unreachable pairs', () => {
    const g = sloGroup([
      { ...CHECKOUT, slos: [{ kind: 'availability', objective: 99.99 }, { kind: 'latency', objective: 99.5, window: '28d', latencyThresholdSeconds: 0.25 }] },
      {
        name: 'cart',
        namespace: 'shop',
        port: 'metrics',
        monitor: 'pod-monitor',
        requestsMetric: 'cart_requests_total',
        durationMetric: 'cart_latency_seconds',
        statusLabel: 'status_code',
        slos: [
          { kind: 'availability', objective: 95, window: '7d' },
          { kind: 'latency', objective: 90, latencyThresholdSeconds: 2 },
          { kind: 'latency', objective: 99, latencyThresholdSeconds: 0.5 },
        ],
      },
      { name: 'batch', namespace: 'jobs', port: 'http', slos: [{ kind: 'availability', objective: 50.5 }] },
    ]);
    expectPromtoolSuccess(g);
    // Objective 90: no 1h/5m page (14.4 × 10% ≥ 100%), the 6h/30m page remains.
    const page = g.rules.find((r) => r.labels?.service === 'cart' && r.labels?.slo === 'latency-2s' && r.labels?.severity === 'critical')!;
    expect(page.expr).not.toContain('ratio_rate1h');
    expect(page.expr).toContain('> (6 * 0.1)');
    // Objective 50.5: only the 3d/6h ticket can fire.
    const batch = g.rules.filter((r) => r.labels?.service === 'batch' && r.alert);
    expect(batch.map((r) => r.labels!.severity)).toEqual(['warning']);
    expect(batch[0].expr).toBe([
      '(',
      '  namespace_service_slo:sli_error:ratio_rate3d{namespace="jobs", service="batch", slo="availability"} > (1 * 0.495)',
      '  and',
      '  namespace_service_slo:sli_error:ratio_rate6h{namespace="jobs", service="batch", slo="availability"} > (1 * 0.495)',
      ')',
    ].join('\n'));
    // Every alert rule has a firing and a quiet case (a test with its SLO in the name that does not expect it).
    for (const rule of g.rules.filter((r) => r.alert)) {
      const id = `${rule.labels!.namespace}/${rule.labels!.service} ${rule.labels!.slo}`;
      const cases = g.tests.filter((t) => new RegExp(`(for|,) ${id.replace(/\./g, '\\.')}(,|;|$)`).test(t.name!))
        .map((t) => t.alert_rule_test![0].exp_alerts.some((e) => Object.entries(rule.labels!).every(([k, v]) => e.exp_labels![k] === v)));
      expect({ id, severity: rule.labels!.severity, fires: cases.includes(true), quiet: cases.includes(false) })
        .toEqual({ id, severity: rule.labels!.severity, fires: true, quiet: true });
    }
    // Two latency SLOs of one service share `_count`: they run in separate tests (lanes).
    const cart = g.tests.filter((t) => t.name!.includes('shop/cart latency-2s') || t.name!.includes('shop/cart latency-0.5s'));
    for (const t of cart) expect(t.name!.includes('shop/cart latency-2s') && t.name!.includes('shop/cart latency-0.5s')).toBe(false);
  });

  test('alerting.forDurations sets a for on the burn-rate alerts, and the tests wait for it', () => {
    const g = sloGroup([{ ...CHECKOUT, slos: [{ kind: 'availability', objective: 99.9 }] }], { forDurations: { ServiceErrorBudgetBurn: '5m' } });
    expect(g.rules.filter((r) => r.alert).map((r) => r.for)).toEqual(['5m', '5m']);
    expectPromtoolSuccess(g);
  });

  test('two SLOs on the same SLI, or a window shorter than 3d, are refused', () => {
    expect(() => sloGroup([{ ...CHECKOUT, slos: [{ kind: 'availability', objective: 99.9 }, { kind: 'availability', objective: 99, window: '7d' }] }]))
      .toThrow(/"services\[0\]\.slos\[1\]".*same SLI \("availability"\) as services\[0\]\.slos\[0\]/);
    expect(() => sloGroup([{ ...CHECKOUT, slos: [{ kind: 'latency', objective: 99, latencyThresholdSeconds: 0.3 }, { kind: 'latency', objective: 99.9, latencyThresholdSeconds: 1 }] }]))
      .not.toThrow();
    expect(() => sloGroup([{ ...CHECKOUT, slos: [{ kind: 'availability', objective: 99.9, window: '1d' }] }]))
      .toThrow(/"services\[0\]\.slos\[0\]\.window".*shorter than 3d/);
  });
});

describe('SLO docs and runbook', () => {
  const o = resolved({
    services: [
      { ...CHECKOUT, slos: [{ kind: 'latency', objective: 90, window: '28d', latencyThresholdSeconds: 1 }] },
    ],
  });

  test('the page of a service: SLI query, bucket check, burn-rate table with the left-out pair', () => {
    const md = serviceDocs(o)[0].markdown;
    expect(md).toContain('### latency (1s): 90% over 28d');
    expect(md).toContain('le=~"1|1\\\\.0"');
    expect(md).toContain('Prometheus 3 stores it as\n`le="1.0"`');
    expect(md).toContain('| critical (page) | 1h | 5m | 13.44× | 134.4% (never: left out) | 2% | 2d 2h |');
    expect(md).toContain('Burn rates are scaled from the SRE workbook\'s 30d table to 28d');
  });

  test('the runbook lists every SLO with its thresholds', () => {
    const runbook = serviceRunbooks(o).find((r) => r.alert === ServiceAlert.ERROR_BUDGET_BURN)!;
    expect(runbook.markdown).toContain('| [shop/checkout](../services/shop/checkout.md) | `latency-1s` | 90% | 28d | 56% over 6h & 30m | 28% over 1d & 2h; 9.333% over 3d & 6h |');
  });

  test('no SLO rules without the golden-signals pack, and the page says so', () => {
    const off = resolved({ services: [{ ...CHECKOUT, slos: [{ kind: 'availability', objective: 99.9 }] }], alerting: { rulePacks: ['workloads'] } });
    expect(serviceRuleGroups(off)).toEqual([]);
    expect(serviceDocs(off)[0].markdown).toContain('SLOs are set, but no rules are generated for them');
  });
});
