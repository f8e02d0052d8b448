import { CUSTOM_GROUP } from './custom';
import { RuleGroup } from './types';
import { MIN_SCRAPES, formatDuration, rangeLengthsOf } from './windows';
import { ResolvedOptions } from '../../options/resolve';
import { InvalidOptionError } from '../../validation/errors';
import { promDurationMs } from '../../validation/option-checks';

/*
 * Rules that cannot fire at the configured scrape interval are refused.
 *
 * The generated rules widen their ranges and `for` to the intervals
 * (windows.ts); what is left to check is what the user writes: a custom
 * rule's ranges must span MIN_SCRAPES scrape intervals (metrics.scrapeInterval),
 * and a `for` set by the user must be 0 or at least one evaluation interval
 * (metrics.scrapeInterval is also the rule evaluation interval). The same
 * check runs over every generated rule, as a guard: a range there that is too
 * short is a bug, reported with the interval option that shaped it.
 */

/** Check every rule's ranges and the user's `for` values against the intervals. */
export function checkRuleIntervals(o: ResolvedOptions, groups: readonly RuleGroup[]): void {
  const globalMs = promDurationMs(o.metrics.scrapeInterval);
  const serviceIndex = new Map(o.services.map((s, i) => [`${s.namespace}/${s.name}`, i]));
  for (const group of groups) {
    group.rules.forEach((rule, n) => {
      const owner = rule.labels?.namespace !== undefined && rule.labels?.service !== undefined
        ? serviceIndex.get(`${rule.labels.namespace}/${rule.labels.service}`) : undefined;
      const svc = owner !== undefined ? o.services[owner] : undefined;
      const option = svc ? `services[${owner}].scrapeInterval` : 'metrics.scrapeInterval';
      const interval = svc ? svc.scrapeInterval : o.metrics.scrapeInterval;
      const intervalMs = promDurationMs(interval);
      for (const range of rangeLengthsOf(rule.expr)) {
        if (range.ms >= MIN_SCRAPES * intervalMs) continue;
        const what = rule.alert !== undefined ? `alert ${rule.alert}` : `recording rule ${rule.record}`;
        if (group.name === CUSTOM_GROUP && rule.alert !== undefined) {
          const i = o.alerting.customRules.findIndex((r) => r.alert === rule.alert);
          throw new InvalidOptionError(`alerting.customRules[${i}].expr`, rule.expr,
            `reads a [${range.text}] range, under ${MIN_SCRAPES} scrapes at metrics.scrapeInterval ${interval}: it would rarely or never hold enough samples to fire; use at least [${formatDuration(MIN_SCRAPES * intervalMs)}]`);
        }
        throw new InvalidOptionError(option, interval,
          `is too long for the rule group "${group.name}" (${what}${svc ? ` of service ${svc.namespace}/${svc.name}` : ''}, rule ${n + 1}): ` +
          `it reads a [${range.text}] range, which must span at least ${MIN_SCRAPES} scrapes; with this interval it would rarely or never ` +
          `hold enough samples to fire. Scrape at most every ${formatDuration(range.ms / MIN_SCRAPES)}`);
      }
    });
  }
  const fors: Array<[string, string]> = [
    ...Object.entries(o.alerting.forDurations).map(([alert, v]) => [`alerting.forDurations.${alert}`, v] as [string, string]),
    ...(o.alerting.ruleOverrides ?? []).flatMap((r) => (r.for !== undefined ? [[`${r.option}.for`, r.for] as [string, string]] : [])),
    ...o.alerting.customRules.map((r, i) => [`alerting.customRules[${i}].for`, r.for] as [string, string]),
  ];
  for (const [option, value] of fors) {
    const ms = promDurationMs(value);
    if (ms > 0 && ms < globalMs) {
      throw new InvalidOptionError(option, value,
        `is shorter than the rule evaluation interval (metrics.scrapeInterval ${o.metrics.scrapeInterval}): the alert is only evaluated that often, so use 0s or at least ${o.metrics.scrapeInterval}`);
    }
  }
}
