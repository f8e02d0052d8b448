import { ResolvedOptions } from '../../options/resolve';
import { InvalidOptionError } from '../../validation/errors';
import { promqlShape, promqlTree } from '../../validation/expressions';
import { promDurationMs } from '../../validation/option-checks';

/*
 * Rate and `for` windows that follow the scrape interval.
 *
 * A rate, increase or *_over_time over a range needs samples in it: under
 * Prometheus 3's left-open ranges a [5m] range holds 5m / interval samples,
 * so at a 5m interval it holds one and a rate is never computed, and at 2m
 * two, so one missed scrape silences the alert. Every range a generated rule
 * reads therefore spans at least MIN_SCRAPES scrape intervals of the series
 * it reads, rounded up to a whole minute: a template's [5m] stays [5m] up to
 * a 1m15s interval and becomes [8m] at 2m and [20m] at 5m. A generated
 * alert's `for` (when not 0) spans at least as many rule evaluations
 * (metrics.scrapeInterval is also the evaluation interval), so a single
 * evaluation on a thin window cannot page.
 *
 * The ranges are found with the PromQL grammar (range selectors and the
 * range of subqueries; never text inside a label value) and widened in place.
 */

/** Scrapes a range must span: tolerates a missed scrape, and two samples remain under left-open ranges. */
export const MIN_SCRAPES = 4;

const MINUTE = 60_000;

/** The shortest range (and non-zero `for`) at a scrape or evaluation interval: MIN_SCRAPES intervals, up to a whole minute. */
export function minWindowMs(interval: string): number {
  return Math.ceil(MIN_SCRAPES * promDurationMs(interval) / MINUTE) * MINUTE;
}

/** A window at least `minWindowMs(interval)` long: `window` itself when it is, else the minimum. */
export function widenWindow(window: string, interval: string): string {
  const min = minWindowMs(interval);
  return promDurationMs(window) >= min ? window : formatDuration(min);
}

/** A generated alert's `for`: 0 stays 0 (fire at once), anything else spans at least MIN_SCRAPES evaluations. */
export function widenFor(forDuration: string, o: ResolvedOptions): string {
  return promDurationMs(forDuration) === 0 ? forDuration : widenWindow(forDuration, o.metrics.scrapeInterval);
}

/** A range of an expression: its text, where it is, and its length. */
export interface RangeInExpression {
  readonly text: string;
  readonly from: number;
  readonly to: number;
  readonly ms: number;
}

/**
 * The ranges an expression reads: every range selector's (`x[5m]`) and every
 * subquery's range (`x[1h:1m]` → 1h), in order. Ranges written as expressions
 * (`[5m * 2]`) are left out.
 */
export function rangesOf(expr: string): RangeInExpression[] {
  const out: RangeInExpression[] = [];
  const cursor = promqlTree(expr).cursor();
  do {
    if (cursor.name !== 'MatrixSelector' && cursor.name !== 'SubqueryExpr') continue;
    const node = cursor.node;
    const range = node.getChild('DurationExpr');
    if (!range || !range.firstChild || range.firstChild.name !== 'NumberDurationLiteralInDurationContext' || range.firstChild.to !== range.to) continue;
    const text = expr.slice(range.from, range.to);
    if (!/^(\d+(ms|[smhdwy]))+$/.test(text)) continue;
    out.push({ text, from: range.from, to: range.to, ms: promDurationMs(text) });
  } while (cursor.next());
  return out;
}

/**
 * The ranges an expression reads, without their offsets, cached by its shape
 * (`promqlShape`: the expression with its string literals emptied). The rules
 * of 500 services differ only in label values and share a few dozen shapes,
 * so the interval check parses each shape once, not each of 12,000 rules.
 */
export function rangeLengthsOf(expr: string): ReadonlyArray<{ readonly text: string; readonly ms: number }> {
  const shape = promqlShape(expr);
  if (shape === undefined) return rangesOf(expr);
  let lengths = rangeLengthsByShape.get(shape);
  if (!lengths) {
    lengths = rangesOf(expr).map(({ text, ms }) => ({ text, ms }));
    rangeLengthsByShape.set(shape, lengths);
  }
  return lengths;
}

const rangeLengthsByShape = new Map<string, ReadonlyArray<{ readonly text: string; readonly ms: number }>>();

/** The expression with every range shorter than `minWindowMs(interval)` widened to it; the widening, in ms, of its longest range. */
export function widenRanges(expr: string, interval: string): { readonly expr: string; readonly addedMs: number } {
  const min = minWindowMs(interval);
  const ranges = rangesOf(expr);
  const short = ranges.filter((r) => r.ms < min);
  if (short.length === 0) return { expr, addedMs: 0 };
  let out = expr;
  for (const r of [...short].reverse()) out = out.slice(0, r.from) + formatDuration(min) + out.slice(r.to);
  const longest = (list: readonly RangeInExpression[]) => Math.max(0, ...list.map((r) => r.ms));
  return { expr: out, addedMs: Math.max(0, longest(rangesOf(out)) - longest(ranges)) };
}

/** A Prometheus duration of whole seconds, minutes or hours (`90s` → `1m30s`). */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = Math.round(ms / 1000);
  const parts: string[] = [];
  for (const [unit, size] of [['h', 3600], ['m', 60], ['s', 1]] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n}${unit}`);
    rest -= n * size;
  }
  return parts.join('');
}

/** A promtool arithmetic progression: `a+bxn` or `a-bxn` (n + 1 samples from a, b apart). */
const PROGRESSION = /^(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)([+-])(\d+(?:\.\d+)?(?:e[+-]?\d+)?)x(\d+)$/;

/**
 * promtool input `values` written for samples `writtenForMs` apart, for
 * samples `stepMs` apart: every progression's step is scaled so that the
 * series changes at the same rate per second (a counter growing 60 a minute
 * grows 120 between samples 2m apart). Constants, `_` and `stale` stay; the
 * number of samples is the caller's (tests size it for their evaluation time).
 */
export function seriesAtInterval(values: string, stepMs: number, writtenForMs: number = MINUTE): string {
  if (stepMs === writtenForMs) return values;
  const k = stepMs / writtenForMs;
  return values.split(' ').map((token) => {
    const m = PROGRESSION.exec(token);
    if (!m || Number(m[3]) === 0) return token;
    return `${m[1]}${m[2]}${Number((Number(m[3]) * k).toPrecision(12))}x${m[4]}`;
  }).join(' ');
}

/**
 * The rules and their promtool tests are project-wide: every environment runs
 * the rules generated for metrics.scrapeInterval (and each service's
 * interval). An environment whose own interval would shape them otherwise
 * (other windows, another `for`) is refused, naming its option and the
 * intervals that keep the project's rules.
 */
export function checkEnvironmentIntervals(base: ResolvedOptions, environment: ResolvedOptions, prefix: string): void {
  const same = (a: string, b: string) => minWindowMs(a) === minWindowMs(b);
  const range = (interval: string) => {
    const w = minWindowMs(interval);
    return `${formatDuration(Math.max(1000, Math.floor((w - MINUTE) / MIN_SCRAPES / 1000) * 1000 + 1000))} to ${formatDuration(Math.floor(w / MIN_SCRAPES / 1000) * 1000)}`;
  };
  if (!same(environment.metrics.scrapeInterval, base.metrics.scrapeInterval)) {
    throw new InvalidOptionError(`${prefix}.metrics.scrapeInterval`, environment.metrics.scrapeInterval,
      `would give this environment other rules than the project's: the rules are project-wide, tested once, with ranges and \`for\` of at least ${formatDuration(minWindowMs(base.metrics.scrapeInterval))} ` +
      `(${MIN_SCRAPES} × metrics.scrapeInterval ${base.metrics.scrapeInterval}), and this interval needs ${formatDuration(minWindowMs(environment.metrics.scrapeInterval))}. ` +
      `Use ${range(base.metrics.scrapeInterval)}, or change metrics.scrapeInterval for the whole project`);
  }
  environment.services.forEach((svc, i) => {
    const own = base.services[i];
    if (own && !same(svc.scrapeInterval, own.scrapeInterval)) {
      throw new InvalidOptionError(`${prefix}.metrics.scrapeInterval`, environment.metrics.scrapeInterval,
        `would scrape services[${i}] (${svc.namespace}/${svc.name}, no scrapeInterval of its own) every ${svc.scrapeInterval}, which needs other rate windows than the project's rules, tested at ${own.scrapeInterval}: ` +
        `set services[${i}].scrapeInterval, or change metrics.scrapeInterval for the whole project`);
    }
  });
}
