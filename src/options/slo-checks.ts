import { InvalidOptionError } from '../validation/errors';
import { checkArray } from '../validation/option-checks';

/*
 * Checks of the numbers that decide whether a service's SLO and latency
 * alerts can fire at all: an objective given as a fraction (0.999) leaves
 * three of the four burn-rate pairs impossible; a latency threshold in
 * milliseconds (500) or one that is no bucket boundary of the service's
 * histogram records nothing. Each is refused before anything is written,
 * naming the option path and the value.
 */

/** The longest latency threshold taken as plausible, in seconds (a larger one is most likely milliseconds). */
export const MAX_PLAUSIBLE_LATENCY_SECONDS = 60;

/** A number without float noise, for messages (0.999 * 100 → 99.9). */
function clean(x: number): string {
  return String(Number(x.toPrecision(12)));
}

/**
 * An SLO objective: a percentage strictly between 50 and 100. Below 50 an
 * SLO tolerates more bad requests than good ones (and below 1 it is most
 * likely a fraction: 0.999 meant 99.9).
 */
export function checkObjective(option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidOptionError(option, value, 'is not a number: an SLO objective is a percentage strictly between 50 and 100, such as 99.9');
  }
  if (value > 0 && value < 1) {
    throw new InvalidOptionError(option, value,
      `is a fraction, but an SLO objective is a percentage strictly between 50 and 100 (did you mean ${clean(value * 100)}?)`);
  }
  if (!(value > 50 && value < 100)) {
    throw new InvalidOptionError(option, value, 'is outside (50, 100): an SLO objective is a percentage strictly between 50 and 100, such as 99.9');
  }
  return value;
}

/**
 * A latency threshold in seconds: positive and at most 60 s (a larger value
 * is most likely milliseconds).
 */
export function checkLatencySeconds(option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidOptionError(option, value, 'is not a positive number of seconds (for example 0.3 for 300 ms)');
  }
  if (value > MAX_PLAUSIBLE_LATENCY_SECONDS) {
    throw new InvalidOptionError(option, value,
      `is over ${MAX_PLAUSIBLE_LATENCY_SECONDS} s, implausible for a request latency: the threshold is in seconds ` +
      `(milliseconds? ${clean(value)} ms is ${clean(value / 1000)})`);
  }
  return value;
}

/**
 * The upper bounds (`le`, seconds) of a service's duration histogram, as it
 * exposes them: finite, positive, strictly increasing (without +Inf).
 */
export function checkHistogramBuckets(option: string, value: unknown): number[] {
  const list = checkArray(option, value);
  if (list.length === 0) throw new InvalidOptionError(option, value, 'is empty: list the finite bucket upper bounds in seconds, e.g. [0.1, 0.25, 0.5, 1]');
  list.forEach((b, i) => {
    if (typeof b !== 'number' || !Number.isFinite(b) || b <= 0) {
      throw new InvalidOptionError(`${option}[${i}]`, b, 'is not a positive, finite number of seconds (leave +Inf out: every histogram has it)');
    }
    if (i > 0 && b <= (list[i - 1] as number)) {
      throw new InvalidOptionError(`${option}[${i}]`, b, `is not greater than ${option}[${i - 1}] (${list[i - 1]}): bucket bounds are strictly increasing`);
    }
  });
  return list as number[];
}

/** Whether two bucket bounds are the same number as Prometheus stores them (0.1 + 0.2 is 0.3). */
function sameBound(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
}

/**
 * An SLO's latency threshold must be one of the histogram's bucket bounds:
 * good requests are counted from the bucket whose `le` is the threshold, and
 * without that bucket the ratio records nothing and the alerts never fire.
 */
export function checkThresholdIsBucket(option: string, threshold: number, buckets: readonly number[], bucketsOption: string): void {
  if (buckets.some((b) => sameBound(b, threshold))) return;
  const below = [...buckets].reverse().find((b) => b < threshold);
  const above = buckets.find((b) => b > threshold);
  const nearest = [below, above].filter((b): b is number => b !== undefined).map(clean);
  throw new InvalidOptionError(option, threshold,
    `is not a bucket boundary of the service's histogram (${bucketsOption}: ${buckets.map(clean).join(', ')}); ` +
    'the SLO counts the requests in the bucket whose le is the threshold, so it would record nothing: ' +
    `use ${nearest.length === 2 ? `${nearest[0]} or ${nearest[1]}` : nearest[0]} (the nearest boundaries), or declare that bucket`);
}

/**
 * The p99 latency alert's threshold against the declared buckets: at or
 * above the largest finite bound, histogram_quantile never exceeds it (it
 * returns that bound when the quantile falls in +Inf), so the alert cannot fire.
 */
export function checkQuantileThreshold(option: string, threshold: number, buckets: readonly number[], bucketsOption: string): void {
  const top = buckets[buckets.length - 1];
  if (threshold >= top || sameBound(threshold, top)) {
    throw new InvalidOptionError(option, threshold,
      `is not below the largest bucket bound ${clean(top)} (${bucketsOption}): histogram_quantile cannot report a p99 above ${clean(top)}, ` +
      'so the latency alert could never fire; lower the threshold or declare (and expose) larger buckets');
  }
}
