import { spawnSync } from 'child_process';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as YAML from 'yaml';
import { MetricsFlavor, ObservabilityGitOpsProjectOptions, SloKind } from '../../src';
import { allRuleGroups } from '../../src/model/alerts/index';
import { formatDuration, minWindowMs, rangesOf, widenFor, widenRanges } from '../../src/model/alerts/windows';
import { resolveOptions } from '../../src/options/resolve';
import { promDurationMs } from '../../src/validation/option-checks';
import { BASE, fleetOf, synthRaw } from '../util';

/*
 * Windows follow the scrape interval (issue 13): every range of a generated
 * rule spans at least 4 scrapes of the series it reads (rounded up to a
 * minute), a generated non-zero `for` at least 4 evaluations, and the
 * promtool tests run at the configured intervals. What the user writes is
 * refused when it cannot fire: a custom rule's short range, a `for` under the
 * evaluation interval, an environment interval the project-wide rules were
 * not made for.
 */

function errorOf(options: Partial<ObservabilityGitOpsProjectOptions>): string | undefined {
  try {
    allRuleGroups(resolveOptions({ ...BASE, gitRepoUrl: 'https://github.com/acme/o.git', ...options } as ObservabilityGitOpsProjectOptions));
  } catch (e) {
    return (e as Error).message;
  }
  return undefined;
}

const SVC = { name: 'checkout', namespace: 'shop', port: 'http' };

test('ranges are found with the PromQL grammar: range selectors and subquery ranges, never text in a label value', () => {
  expect(rangesOf('rate(a[5m]) / max_over_time(b[1h30m:1m]) + c{x="[2m]"}').map((r) => r.text)).toEqual(['5m', '1h30m']);
  expect(widenRanges('rate(a[5m]) / max_over_time(b[1h:1m]) + c{x="[5m]"}', '2m'))
    .toEqual({ expr: 'rate(a[8m]) / max_over_time(b[1h:1m]) + c{x="[5m]"}', addedMs: 0 });
  expect(widenRanges('rate(a[5m])', '5m')).toEqual({ expr: 'rate(a[20m])', addedMs: 15 * 60_000 });
  expect(widenRanges('rate(a[5m])', '1m15s').expr).toBe('rate(a[5m])');
});

test('windows are four intervals rounded up to a minute; a non-zero `for` follows the evaluation interval', () => {
  expect(['15s', '30s', '45s', '1m', '1m15s', '1m20s', '2m', '5m'].map((i) => formatDuration(minWindowMs(i))))
    .toEqual(['1m', '2m', '3m', '4m', '5m', '6m', '8m', '20m']);
  const o = resolveOptions({ ...BASE, gitRepoUrl: 'https://github.com/acme/o.git', metrics: { scrapeInterval: '2m' } } as ObservabilityGitOpsProjectOptions);
  expect([widenFor('0s', o), widenFor('1m', o), widenFor('15m', o)]).toEqual(['0s', '8m', '15m']);
});

/** Every range and every non-zero `for` of the generated rules, with the rule's name. */
function windowsOf(groups: ReturnType<typeof allRuleGroups>): Array<{ rule: string; ms: number }> {
  return groups.filter((g) => g.name !== 'custom').flatMap((g) => g.rules.flatMap((r) => [
    ...rangesOf(r.expr).map((x) => ({ rule: `${g.name}/${r.alert ?? r.record} ${r.labels?.service ?? ''}`, ms: x.ms })),
    ...(r.for && promDurationMs(r.for) > 0 ? [{ rule: `${g.name}/${r.alert} for ${r.labels?.service ?? ''}`, ms: promDurationMs(r.for) }] : []),
  ]));
}

test.each(['1m15s', '2m', '5m'])('at metrics.scrapeInterval %s every generated range and `for` spans at least four intervals', (interval) => {
  const o = resolveOptions({
    ...BASE,
    gitRepoUrl: 'https://github.com/acme/o.git',
    metrics: { scrapeInterval: interval, flavor: MetricsFlavor.STANDALONE },
    services: [{ ...SVC, slos: [{ kind: SloKind.AVAILABILITY, objective: 99.9 }] }],
  } as ObservabilityGitOpsProjectOptions);
  const windows = windowsOf(allRuleGroups(o));
  expect(windows.length).toBeGreaterThan(50);
  expect(windows.filter((w) => w.ms < 4 * promDurationMs(interval))).toEqual([]);
});

test('a service scraped every 2m gets 8m windows, named so in its recordings, and its tests run at 2m', () => {
  const groups = allRuleGroups(resolveOptions({
    ...BASE,
    gitRepoUrl: 'https://github.com/acme/o.git',
    services: [SVC, { ...SVC, name: 'cart', scrapeInterval: '2m', slos: [{ kind: SloKind.AVAILABILITY, objective: 99.9 }] }],
  } as ObservabilityGitOpsProjectOptions));
  const golden = groups.find((g) => g.name === 'golden-signals')!;
  const records = (service: string) => golden.rules.filter((r) => r.labels?.service === service && r.record).map((r) => r.record);
  expect(records('cart')).toContain('namespace_service:requests:rate8m');
  expect(records('checkout')).toContain('namespace_service:requests:rate5m');
  expect(golden.rules.filter((r) => r.labels?.service === 'cart').every((r) => !r.expr.includes('[5m]'))).toBe(true);
  expect([...new Set(golden.tests.map((t) => t.interval))].sort()).toEqual(['2m', '30s']);
  const slo = groups.find((g) => g.name === 'service-slos')!;
  expect(slo.rules.map((r) => r.record).filter(Boolean)).toContain('namespace_service_slo:sli_error:ratio_rate8m');
  expect(slo.tests.every((t) => t.interval === '2m')).toBe(true);
});

test('the generated promtool tests pass at the configured intervals (2m for the stack, 5m for a service)', () => {
  const files = synthRaw({
    metrics: { scrapeInterval: '2m' },
    services: [{ ...SVC, scrapeInterval: '5m', slos: [{ kind: SloKind.AVAILABILITY, objective: 99.9 }, { kind: SloKind.LATENCY, objective: 99, latencyThresholdSeconds: 0.5 }] }],
  });
  const dir = mkdtempSync(join(tmpdir(), 'obs-intervals-'));
  const tests = Object.keys(files).filter((f) => f.startsWith('tests/rules/') && f.endsWith('.test.yaml'));
  for (const [file, content] of Object.entries(files)) {
    if (file.startsWith('tests/rules/')) writeFileSync(join(dir, file.slice('tests/rules/'.length)), String(content));
  }
  expect(tests.length).toBeGreaterThanOrEqual(5);
  const golden = YAML.parse(String(files['tests/rules/golden-signals.test.yaml']));
  expect(golden.evaluation_interval).toBe('2m');
  expect(golden.tests.every((t: { interval: string }) => t.interval === '5m')).toBe(true);
  const r = spawnSync('promtool', ['test', 'rules', ...tests.map((f) => f.slice('tests/rules/'.length))], { cwd: dir, encoding: 'utf8' });
  expect({ status: r.status, out: `${r.stdout}${r.stderr}`.split('\n').filter((l) => /FAIL|error/i.test(l)).slice(0, 20) }).toEqual({ status: 0, out: [] });
});

test('an environment whose interval would change the project-wide rules is refused, naming its option and what keeps them', () => {
  const fleet = (interval: string) => () => fleetOf({
    gitRepoUrl: 'https://github.com/acme/o.git',
    environments: [{ name: 'dev', metrics: { scrapeInterval: interval } }, { name: 'prod' }],
    clusters: [{ name: 'dev-1', environment: 'dev', server: 'https://dev.example.com' }, { name: 'prod-1', environment: 'prod', server: 'https://prod.example.com' }],
  });
  expect(fleet('2m')).toThrow(/^Invalid option "environments\[0\]\.metrics\.scrapeInterval": "2m" would give this environment other rules than the project's: .* at least 2m .* this interval needs 8m\. Use 16s to 30s, or change metrics\.scrapeInterval for the whole project$/);
  expect(fleet('20s')).not.toThrow();
});

test('a custom rule\'s range too short for the interval names its expr', () => {
  expect(errorOf({ metrics: { scrapeInterval: '1m' }, alerting: { customRules: [{ alert: 'QueueStuck', expr: 'rate(queue_done_total[2m]) == 0', summary: 's' }] } }))
    .toMatch(/^Invalid option "alerting\.customRules\[0\]\.expr": .* reads a \[2m\] range, under 4 scrapes at metrics\.scrapeInterval 1m: .* use at least \[4m\]$/);
});

test('a for shorter than the evaluation interval is refused, wherever it is set', () => {
  expect(errorOf({ metrics: { scrapeInterval: '1m' }, alerting: { ruleOverrides: [{ alert: 'KubePodCrashLooping', for: '30s' }] } }))
    .toMatch(/^Invalid option "alerting\.ruleOverrides\[0\]\.for": "30s" is shorter than the rule evaluation interval \(metrics\.scrapeInterval 1m\)/);
  expect(errorOf({ metrics: { scrapeInterval: '1m' }, alerting: { forDurations: { KubePodCrashLooping: '20s' } } }))
    .toMatch(/"alerting\.forDurations\.KubePodCrashLooping": "20s" is shorter/);
  expect(errorOf({ metrics: { scrapeInterval: '1m' }, alerting: { forDurations: { KubePodCrashLooping: '0s' } } })).toBeUndefined();
});
