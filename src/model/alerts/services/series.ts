import { SERVICE_LABEL } from './names';
import { formatLe, num } from './numbers';
import { ResolvedOptions, ResolvedService } from '../../../options/resolve';
import { promDurationMs } from '../../../validation/option-checks';

/*
 * Every generated alert gets at least one case where it fires and one where it
 * stays quiet, on input series synthesized from the service's own metric and
 * label names (`namespace`, `service`, and a `pod`; never `cluster`, which is
 * an external label and absent from Prometheus' own TSDB). Inputs use round
 * numbers so the `{{ $value }}` in annotations is exact, and every scenario
 * holds under both Prometheus 2 (left-closed) and 3 (left-open) range
 * selectors. Scenarios are written in minutes; samples are the service's
 * scrape interval apart (services[i].scrapeInterval), the interval the rules'
 * windows are sized for, and the rules are evaluated every
 * metrics.scrapeInterval, as Prometheus does.
 */

const MINUTE = 60_000;

/** A counter's value at `ms` when it grows by `perMinute` through each segment's minutes from 0 at 0. */
function counterAt(segments: ReadonlyArray<readonly [minutes: number, perMinute: number]>, ms: number): number {
  let value = 0;
  let start = 0;
  for (const [minutes, perMinute] of segments) {
    const end = start + minutes * MINUTE;
    if (ms > start) value += perMinute * (Math.min(ms, end) - start) / MINUTE;
    start = end;
  }
  return value;
}

/**
 * promtool `values` of a counter that grows by `perMinute` through each
 * segment's minutes, starting at 0, sampled every `stepMs` from 0 to the end
 * of the last segment: runs of equal increments become `a+bxn`.
 */
export function counterValues(segments: ReadonlyArray<readonly [minutes: number, perMinute: number]>, stepMs: number = MINUTE): string {
  const totalMs = segments.reduce((t, [m]) => t + m * MINUTE, 0);
  const samples: number[] = [];
  for (let k = 0; k * stepMs <= totalMs + 1e-6; k++) samples.push(Number(counterAt(segments, k * stepMs).toPrecision(12)));
  const parts: string[] = [];
  let i = 0;
  while (i < samples.length) {
    if (i === samples.length - 1) {
      parts.push(num(samples[i]));
      break;
    }
    const step = Number((samples[i + 1] - samples[i]).toPrecision(12));
    let j = i + 1;
    while (j + 1 < samples.length && Number((samples[j + 1] - samples[j]).toPrecision(12)) === step) j++;
    parts.push(`${num(samples[i])}+${num(step)}x${j - i}`);
    i = j + 1;
  }
  return parts.join(' ');
}

/** Minutes of a duration, rounded up (0 when there is none). */
export function minutesOf(duration: string | undefined): number {
  return duration ? Math.ceil(promDurationMs(duration) / MINUTE) : 0;
}

function seriesName(metric: string, labels: Record<string, string>): string {
  return `${metric}{${Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(', ')}}`;
}

function targetLabels(svc: ResolvedService): Record<string, string> {
  return { namespace: svc.namespace, [SERVICE_LABEL]: svc.name, pod: `${svc.name}-0` };
}

/** A service's sample interval in the tests: its scrape interval. */
export function sampleStepMs(svc: Pick<ResolvedService, 'scrapeInterval'>): number {
  return promDurationMs(svc.scrapeInterval);
}

/** Greatest common divisor of two whole numbers. */
function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/**
 * `minutes` rounded up to a time that is both a sample of a series scraped
 * every `interval` and a rule evaluation (every metrics.scrapeInterval):
 * promtool checks alerts at its evaluations, and a test looks at its series'
 * last sample.
 */
export function alignedMinutes(o: ResolvedOptions, interval: string, minutes: number): number {
  const a = promDurationMs(interval) / 1000;
  const b = promDurationMs(o.metrics.scrapeInterval) / 1000;
  const tickMs = (a / gcd(a, b)) * b * 1000;
  return Math.ceil(minutes * MINUTE / tickMs - 1e-9) * tickMs / MINUTE;
}

/** Requests counter series: `ok` and `bad` (5xx) per minute for each segment; a status whose counter never grows is absent. */
export function requestSeries(svc: ResolvedService, segments: ReadonlyArray<readonly [number, number, number]>) {
  const step = sampleStepMs(svc);
  const out: Array<{ series: string; values: string }> = [];
  const ok = segments.map(([m, okPerMin]) => [m, okPerMin] as const);
  const bad = segments.map(([m, , badPerMin]) => [m, badPerMin] as const);
  if (ok.some(([, n]) => n > 0)) out.push({ series: seriesName(svc.requestsMetric, { ...targetLabels(svc), [svc.statusLabel]: '200' }), values: counterValues(ok, step) });
  if (bad.some(([, n]) => n > 0)) out.push({ series: seriesName(svc.requestsMetric, { ...targetLabels(svc), [svc.statusLabel]: '500' }), values: counterValues(bad, step) });
  return out;
}

/** Histogram series: cumulative per-minute counts at each upper bound (and +Inf, and _count), per segment. */
export function histogramSeries(svc: ResolvedService, bounds: readonly number[],
  segments: ReadonlyArray<readonly [number, readonly number[], number]>) {
  const step = sampleStepMs(svc);
  const out: Array<{ series: string; values: string }> = [];
  bounds.forEach((le, b) => {
    out.push({
      series: seriesName(`${svc.durationMetric}_bucket`, { ...targetLabels(svc), le: formatLe(le) }),
      values: counterValues(segments.map(([m, perBucket]) => [m, perBucket[b]] as const), step),
    });
  });
  out.push({
    series: seriesName(`${svc.durationMetric}_bucket`, { ...targetLabels(svc), le: '+Inf' }),
    values: counterValues(segments.map(([m, , total]) => [m, total] as const), step),
  });
  out.push({
    series: seriesName(`${svc.durationMetric}_count`, targetLabels(svc)),
    values: counterValues(segments.map(([m, , total]) => [m, total] as const), step),
  });
  return out;
}
