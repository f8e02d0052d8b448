import { ResolvedService } from '../../../options/resolve';
import { promDurationMs } from '../../../validation/option-checks';
import { SERVICE_LABEL } from './names';
import { formatLe } from './numbers';

/*
 * Every generated alert gets at least one case where it fires and one where it
 * stays quiet, on input series synthesized from the service's own metric and
 * label names (`namespace`, `service`, and a `pod`; never `cluster`, which is
 * an external label and absent from Prometheus' own TSDB). Inputs use round
 * numbers so the `{{ $value }}` in annotations is exact, and every scenario
 * holds under both Prometheus 2 (left-closed) and 3 (left-open) range
 * selectors. Samples are one minute apart.
 */

export const TEST_INTERVAL = '1m';

/** `a+bxn` notation of a counter that grows by `perMinute` for each segment's minutes, starting at 0 at minute 0. */
export function counterValues(segments: ReadonlyArray<readonly [minutes: number, perMinute: number]>): string {
  const parts: string[] = [];
  let value = 0;
  segments.forEach(([minutes, perMinute], idx) => {
    if (idx === 0) {
      parts.push(`0+${perMinute}x${minutes}`);
      value = perMinute * minutes;
    } else {
      parts.push(`${value + perMinute}+${perMinute}x${minutes - 1}`);
      value += perMinute * minutes;
    }
  });
  return parts.join(' ');
}

export function minutesOf(duration: string | undefined): number {
  return duration ? Math.ceil(promDurationMs(duration) / 60_000) : 0;
}

function seriesName(metric: string, labels: Record<string, string>): string {
  return `${metric}{${Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(', ')}}`;
}

function targetLabels(svc: ResolvedService): Record<string, string> {
  return { namespace: svc.namespace, [SERVICE_LABEL]: svc.name, pod: `${svc.name}-0` };
}

/** Requests counter series: `ok` and `bad` (5xx) per minute for each segment; a status whose counter never grows is absent. */
export function requestSeries(svc: ResolvedService, segments: ReadonlyArray<readonly [number, number, number]>) {
  const out: Array<{ series: string; values: string }> = [];
  const ok = segments.map(([m, okPerMin]) => [m, okPerMin] as const);
  const bad = segments.map(([m, , badPerMin]) => [m, badPerMin] as const);
  if (ok.some(([, n]) => n > 0)) out.push({ series: seriesName(svc.requestsMetric, { ...targetLabels(svc), [svc.statusLabel]: '200' }), values: counterValues(ok) });
  if (bad.some(([, n]) => n > 0)) out.push({ series: seriesName(svc.requestsMetric, { ...targetLabels(svc), [svc.statusLabel]: '500' }), values: counterValues(bad) });
  return out;
}

/** Histogram series: cumulative per-minute counts at each upper bound (and +Inf, and _count), per segment. */
export function histogramSeries(svc: ResolvedService, bounds: readonly number[], segments: ReadonlyArray<readonly [number, readonly number[], number]>) {
  const out: Array<{ series: string; values: string }> = [];
  bounds.forEach((le, b) => {
    out.push({
      series: seriesName(`${svc.durationMetric}_bucket`, { ...targetLabels(svc), le: formatLe(le) }),
      values: counterValues(segments.map(([m, perBucket]) => [m, perBucket[b]] as const)),
    });
  });
  out.push({
    series: seriesName(`${svc.durationMetric}_bucket`, { ...targetLabels(svc), le: '+Inf' }),
    values: counterValues(segments.map(([m, , total]) => [m, total] as const)),
  });
  out.push({
    series: seriesName(`${svc.durationMetric}_count`, targetLabels(svc)),
    values: counterValues(segments.map(([m, , total]) => [m, total] as const)),
  });
  return out;
}
