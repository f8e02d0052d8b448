import { ObservabilityGitOpsProjectOptions } from '../../src';
import { allRuleGroups } from '../../src/model/alerts/index';
import { rangeSelectorsMs } from '../../src/model/alerts/interval-checks';
import { resolveOptions } from '../../src/options/resolve';
import { BASE } from '../util';

/*
 * Rules that cannot fire at the configured scrape interval are refused
 * (issue 13): every range must span 4 scrapes of the series it reads, and a
 * `for` the user sets must be 0 or at least the evaluation interval.
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

test('range selectors and subqueries are found', () => {
  expect(rangeSelectorsMs('rate(a[5m]) / max_over_time(b[1h30m:1m]) + c{x="[2m]"}').map((r) => r.text)).toEqual(['5m', '1h30m', '2m']);
});

test('the defaults and intervals up to a quarter of the shortest window pass', () => {
  expect(errorOf({})).toBeUndefined();
  expect(errorOf({ metrics: { scrapeInterval: '1m15s' }, services: [SVC] })).toBeUndefined();
  expect(errorOf({ services: [{ ...SVC, scrapeInterval: '1m' }] })).toBeUndefined();
});

test('a metrics.scrapeInterval too long for the packs\' 5m windows is refused, naming the option, a rule and the limit', () => {
  expect(errorOf({ metrics: { scrapeInterval: '5m' } })).toMatch(
    /^Invalid option "metrics\.scrapeInterval": "5m" is too long for the rule group "[a-z-]+" \(alert \w+, rule \d+\): it reads a \[5m\] range, which must span at least 4 scrapes; .* Scrape at most every 1m15s$/);
  expect(errorOf({ metrics: { scrapeInterval: '2m' } })).toMatch(/"metrics\.scrapeInterval": "2m" is too long/);
});

test('a service scraped every 2m is refused, naming the service\'s option', () => {
  expect(errorOf({ services: [SVC, { ...SVC, name: 'cart', scrapeInterval: '2m' }] })).toMatch(
    /^Invalid option "services\[1\]\.scrapeInterval": "2m" is too long for the rule group "golden-signals" \(recording rule namespace_service:requests:rate5m of service shop\/cart, rule \d+\)/);
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
