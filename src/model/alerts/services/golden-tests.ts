import { expectedAlert } from './expected';
import { ServiceAlert, serviceSelector } from './names';
import { formatLe, humanizeDuration, num, percent } from './numbers';
import { goldenSignalRules, goldenWindow } from './rules';
import { alignedMinutes, histogramSeries, minutesOf, requestSeries, sampleStepMs } from './series';
import { ResolvedOptions, ResolvedService } from '../../../options/resolve';
import { promDurationMs } from '../../../validation/option-checks';
import { PromtoolTest, Rule } from '../types';
import { formatDuration } from '../windows';

/*
 * promtool tests of the golden signals: three scenarios for every service at once, batched by
 * scrape interval (a test samples at one interval).
 */

/** Requests per minute in the golden-signal tests: 2 per second, so rates and ratios are exact. */
const GOLDEN_REQUESTS_PER_MINUTE = 120;
/** Histogram observations per minute in the golden-signal tests: 100 per second. */
const GOLDEN_OBSERVATIONS_PER_MINUTE = 6000;

/*
 * Tests are batched: one promtool test runs a scenario for every service (or
 * SLO) at once, each on its own series (the `service` label, and for two
 * latency SLOs of one service, separate lanes), and expects each one's alerts.
 * promtool evaluates every rule of a group at every minute of every test, so
 * one test per service would cost (services × rules) and grow with the square
 * of the number of services; batches keep it linear.
 */

/**
 * promtool tests of the golden signals of every service, three scenarios:
 *  1. errors: 50% (or 100% when the threshold is ≥ 50%) 5xx, fast requests:
 *     ServiceHighErrorRate fires, ServiceHighLatency stays quiet;
 *  2. slow: 2% of requests in the bucket above the threshold, so p99 is 1.5 ×
 *     the threshold, and errors at most half the threshold:
 *     ServiceHighLatency fires, ServiceHighErrorRate stays quiet;
 *  3. healthy: no 5xx series at all (the error ratio records 0), every request
 *     within the threshold: both quiet.
 */
export function goldenSignalTests(o: ResolvedOptions, services: readonly ResolvedService[]): PromtoolTest[] {
  // One test runs at one sample interval: a batch per scrape interval.
  return [...new Set(services.map((s) => s.scrapeInterval))]
    .flatMap((interval) => goldenSignalBatch(o, services.filter((s) => s.scrapeInterval === interval)));
}

function goldenSignalBatch(o: ResolvedOptions, services: readonly ResolvedService[]): PromtoolTest[] {
  if (services.length === 0) return [];
  const interval = services[0].scrapeInterval;
  const R = GOLDEN_REQUESTS_PER_MINUTE;
  const N = GOLDEN_OBSERVATIONS_PER_MINUTE;
  const cases = services.map((svc) => {
    const rules = goldenSignalRules(o, svc);
    const T = svc.latencyThresholdSeconds;
    const bounds = [T, Number(formatLe(2 * T))];
    return {
      svc,
      errorAlert: rules.find((r) => r.alert === ServiceAlert.HIGH_ERROR_RATE),
      latencyAlert: rules.find((r) => r.alert === ServiceAlert.HIGH_LATENCY)!,
      bounds,
      // histogram_quantile(0.99): rank 99 of 100/s lands in (T, 2T], 1 of its 2/s in: T + (2T - T) × 1/2.
      p99: bounds[0] + (bounds[1] - bounds[0]) * ((0.99 * 100 - 98) / (100 - 98)),
      errorRatio: svc.errorRateThreshold < 0.5 ? 0.5 : 1,
      quietBad: Math.floor(Math.min(svc.errorRateThreshold, 1) * R / 2),
    };
  });
  // Long enough for the rate window to fill past its first samples, then every alert's `for`,
  // on a sample and an evaluation.
  const warmup = Math.max(10, (promDurationMs(goldenWindow(services[0])) + 2 * sampleStepMs(services[0])) / 60_000);
  const longestFor = Math.max(...cases.map((c) => Math.max(minutesOf(c.errorAlert?.for), minutesOf(c.latencyAlert.for))));
  const minutes = alignedMinutes(o, interval, warmup + longestFor);
  const evalTime = formatDuration(minutes * 60_000);
  const fast = (c: typeof cases[number]) => histogramSeries(c.svc, c.bounds, [[minutes, [N, N], N]]);
  const slow = (c: typeof cases[number]) => histogramSeries(c.svc, c.bounds, [[minutes, [N * 0.98, N], N]]);
  const sample = (svc: ResolvedService, record: string) => `${record}{${serviceSelector(svc)}}`;
  const window = goldenWindow(services[0]);
  const ratioRecord = `namespace_service:request_errors:ratio_rate${window}`;
  const rateRecord = `namespace_service:requests:rate${window}`;
  const alertTest = (alertname: string, firing: Array<{ rule: Rule; value: number }>) => ({
    eval_time: evalTime,
    alertname,
    exp_alerts: firing.map((f) => expectedAlert(f.rule, f.value)),
  });
  const withErrors = cases.filter((c) => c.errorAlert);
  const tests: PromtoolTest[] = [];
  if (withErrors.length > 0) {
    tests.push({
      name: `golden signals: 5xx above each service's threshold (${withErrors.map((c) => `${c.svc.namespace}/${c.svc.name} ${percent(c.errorRatio)}`).join(', ')}), all requests fast: ${ServiceAlert.HIGH_ERROR_RATE} fires, ${ServiceAlert.HIGH_LATENCY} does not`,
      interval,
      input_series: withErrors.flatMap((c) => [
        ...requestSeries(c.svc, [[minutes, R - R * c.errorRatio, R * c.errorRatio]]),
        ...fast(c),
      ]),
      alert_rule_test: [
        alertTest(ServiceAlert.HIGH_ERROR_RATE, withErrors.map((c) => ({ rule: c.errorAlert!, value: c.errorRatio }))),
        alertTest(ServiceAlert.HIGH_LATENCY, []),
      ],
      promql_expr_test: withErrors.flatMap((c) => [
        { expr: sample(c.svc, rateRecord), eval_time: evalTime, exp_samples: [{ labels: sample(c.svc, rateRecord), value: R / 60 }] },
        { expr: sample(c.svc, ratioRecord), eval_time: evalTime, exp_samples: [{ labels: sample(c.svc, ratioRecord), value: c.errorRatio }] },
      ]),
    });
  }
  tests.push({
    name: `golden signals: p99 at 1.5 × each service's threshold (${cases.map((c) => `${c.svc.namespace}/${c.svc.name} ${humanizeDuration(c.p99)} over ${num(c.svc.latencyThresholdSeconds)}s`).join(', ')}), 5xx at most half the error threshold: ${ServiceAlert.HIGH_LATENCY} fires${withErrors.length > 0 ? `, ${ServiceAlert.HIGH_ERROR_RATE} does not` : ''}`,
    interval,
    input_series: cases.flatMap((c) => [...requestSeries(c.svc, [[minutes, R - c.quietBad, c.quietBad]]), ...slow(c)]),
    alert_rule_test: [
      alertTest(ServiceAlert.HIGH_LATENCY, cases.map((c) => ({ rule: c.latencyAlert, value: c.p99 }))),
      ...(withErrors.length > 0 ? [alertTest(ServiceAlert.HIGH_ERROR_RATE, [])] : []),
    ],
  });
  tests.push({
    name: 'golden signals: no 5xx at all (the error ratio records 0), every request within the threshold: nothing fires',
    interval,
    input_series: cases.flatMap((c) => [...requestSeries(c.svc, [[minutes, R, 0]]), ...fast(c)]),
    alert_rule_test: [
      ...(withErrors.length > 0 ? [alertTest(ServiceAlert.HIGH_ERROR_RATE, [])] : []),
      alertTest(ServiceAlert.HIGH_LATENCY, []),
    ],
    promql_expr_test: cases.map((c) => (
      { expr: sample(c.svc, ratioRecord), eval_time: evalTime, exp_samples: [{ labels: sample(c.svc, ratioRecord), value: 0 }] })),
  });
  return tests;
}
