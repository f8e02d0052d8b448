import { GOLDEN_SIGNALS_GROUP, SERVICE_LABEL, SLO_GROUP, ServiceAlert, serviceSelector } from './names';
import { hoursOf, humanHours, leMatcher, num, percent, short } from './numbers';
import { RuleTemplate, fill, fillExpr, fillMap, goldenTemplate, sloTemplate } from './templates';
import { SloKind } from '../../../options/options';
import { ResolvedOptions, ResolvedService } from '../../../options/resolve';
import { InvalidOptionError } from '../../../validation/errors';
import { assertValidExpression } from '../../../validation/expressions';
import { promDurationMs } from '../../../validation/option-checks';
import { forOverride, severityOverride } from '../rule-overrides';
import { runbookUrl } from '../runbooks';
import { Rule } from '../types';
import { widenFor, widenWindow } from '../windows';

/*
 * The golden-signal and SLO rules of one service, from the templates: windows widened to its
 * scrape interval, burn-rate pairs, thresholds and the option checks that shape them.
 */

/** The longest burn-rate window: an SLO window shorter than this makes the ticket's 3d window meaningless. */
const MIN_SLO_WINDOW = '3d';

/** The `for` of an alert: `alerting.forDurations.<alert>` if set, else the template's default. */
export function forDuration(o: ResolvedOptions, alert: string, fallback: string | undefined): string | undefined {
  return forOverride(o, alert) ?? fallback;
}

/**
 * `alerting.thresholds` is keyed by alert name and global; the per-service
 * alerts take their thresholds from each service instead, so a key naming one
 * of them would silently do nothing. Refuse it.
 */
export function rejectGlobalThresholds(o: ResolvedOptions): void {
  const perService: Record<string, string> = {
    [ServiceAlert.HIGH_ERROR_RATE]: 'services[].errorRateThreshold',
    [ServiceAlert.HIGH_LATENCY]: 'services[].latencyThresholdSeconds',
    [ServiceAlert.ERROR_BUDGET_BURN]: 'services[].slos[].objective',
  };
  for (const [alert, option] of Object.entries(perService)) {
    if (alert in o.alerting.thresholds) {
      throw new InvalidOptionError(`alerting.thresholds.${alert}`, o.alerting.thresholds[alert],
        `does not apply: ${alert} has a threshold per service; set ${option} instead`);
    }
  }
}

/** One SLO of a service, as the rules see it. */
export type ResolvedSlo = ResolvedService['slos'][number];

/** A long/short window pair of a burn-rate alert. */
export interface BurnRatePair {
  readonly severity: 'critical' | 'warning';
  readonly long: string;
  readonly short: string;
  /** Share of the error budget spent over the long window when the alert fires. */
  readonly budgetConsumed: number;
  /** Burn rate: how many times faster than "exactly the budget over the SLO window". */
  readonly factor: number;
  /** Error budget: 1 - objective/100. */
  readonly budget: number;
  /** Error-ratio threshold: factor × budget. */
  readonly threshold: number;
  /** False when threshold ≥ 1: an error ratio cannot exceed 100%, so the pair never fires and is left out. */
  readonly reachable: boolean;
}

/** Error budget of an SLO: 1 - objective/100 (0.001 for 99.9), without float noise. */
export function errorBudget(objective: number): number {
  return Number(((100 - objective) / 100).toPrecision(12));
}

/**
 * The burn-rate window pairs of an SLO (Google SRE workbook, multiwindow,
 * multi-burn-rate alerts): for a 30d window, page at 14.4× over 1h and 5m or
 * 6× over 6h and 30m, ticket at 3× over 1d and 2h or 1× over 3d and 6h.
 * For another window W the budget share spent over the long window is kept,
 * so the burn rate is budgetConsumed × W / long (Sloth does the same).
 */
export function burnRatePairs(slo: Pick<ResolvedSlo, 'objective' | 'window'>, scrapeInterval: string): BurnRatePair[] {
  const t = sloTemplate();
  const windowHours = hoursOf(slo.window);
  const budget = errorBudget(slo.objective);
  return t.burnRateAlerts.flatMap((a) => a.pairs.map((p) => {
    const factor = Number((p.budgetConsumed * windowHours / hoursOf(p.long)).toPrecision(12));
    const threshold = factor * budget;
    return {
      severity: a.severity,
      long: widenWindow(p.long, scrapeInterval),
      short: widenWindow(p.short, scrapeInterval),
      budgetConsumed: p.budgetConsumed,
      factor,
      budget,
      threshold,
      reachable: threshold < 1,
    };
  }));
}

/** The `slo` label of an SLO: `availability`, or `latency-<threshold>s`. */
export function sloId(slo: Pick<ResolvedSlo, 'kind' | 'latencyThresholdSeconds'>): string {
  return slo.kind === SloKind.AVAILABILITY ? 'availability' : `latency-${num(slo.latencyThresholdSeconds)}s`;
}

export function sloSelector(svc: ResolvedService, slo: ResolvedSlo): string {
  return `${serviceSelector(svc)}, slo="${sloId(slo)}"`;
}

/** The recorded error ratio of an SLO over a window. */
export function sloRecordName(window: string): string {
  return fill(sloTemplate().record, { window }, 'templates/rules/services/slo.yaml record');
}

export function sloName(slo: ResolvedSlo): string {
  return slo.kind === SloKind.AVAILABILITY ? 'availability' : `latency (${num(slo.latencyThresholdSeconds)}s)`;
}

export function sloDescription(slo: ResolvedSlo): string {
  const t = sloTemplate().sli[slo.kind === SloKind.AVAILABILITY ? 'availability' : 'latency'];
  return fill(t.description, { latencyThreshold: num(slo.latencyThresholdSeconds) }, 'templates/rules/services/slo.yaml sli');
}

function objectiveText(slo: ResolvedSlo): string {
  return `SLO: ${slo.objective}% of requests are ${sloDescription(slo)}, over ${slo.window} (error budget ${percent(errorBudget(slo.objective))}).`;
}

function conditionsText(pairs: readonly BurnRatePair[]): string {
  return pairs.map((p) => `${short(p.factor)}× the budget (${percent(p.threshold)}) over both ${p.long} and ${p.short}`).join(', or ');
}

/** Reject two SLOs of one service on the same SLI: their recordings would collide and a burn would alert twice. */
export function checkSlos(svc: ResolvedService, i: number): void {
  const seen = new Map<string, number>();
  svc.slos.forEach((slo, j) => {
    const id = sloId(slo);
    const first = seen.get(id);
    if (first !== undefined) {
      throw new InvalidOptionError(`services[${i}].slos[${j}]`, { kind: slo.kind, objective: slo.objective },
        `measures the same SLI ("${id}") as services[${i}].slos[${first}]: keep one objective per SLI (two would page twice for one burn)`);
    }
    seen.set(id, j);
    if (promDurationMs(slo.window) < promDurationMs(MIN_SLO_WINDOW)) {
      throw new InvalidOptionError(`services[${i}].slos[${j}].window`, slo.window,
        `is shorter than ${MIN_SLO_WINDOW}, the longest burn-rate window of the ticket alert`);
    }
  });
}

function ruleWhere(group: string, svc: ResolvedService, rule: { record?: string; alert?: string }): string {
  const what = rule.alert ? `alert ${rule.alert}` : `record ${rule.record}`;
  return `rule group "${group}", ${what} of service ${svc.namespace}/${svc.name}`;
}

function checked(group: string, svc: ResolvedService, rule: Rule): Rule {
  assertValidExpression('promql', rule.expr, ruleWhere(group, svc, rule));
  return rule;
}

/** The rate window of a service's golden signals: the template's, widened to four of its scrape intervals. */
export function goldenWindow(svc: Pick<ResolvedService, 'scrapeInterval'>): string {
  return widenWindow(goldenTemplate().window, svc.scrapeInterval);
}

/** The windows a service's SLO error ratios are recorded over: the template's, each widened to four of its scrape intervals. */
export function sloWindows(svc: Pick<ResolvedService, 'scrapeInterval'>): string[] {
  return [...new Set(sloTemplate().windows.map((w) => widenWindow(w, svc.scrapeInterval)))];
}

function goldenVars(svc: ResolvedService): Record<string, string> {
  return {
    window: goldenWindow(svc),
    selector: serviceSelector(svc),
    requests: svc.requestsMetric,
    duration: svc.durationMetric,
    status: svc.statusLabel,
    errorRateThreshold: num(svc.errorRateThreshold),
    errorRatePercent: percent(svc.errorRateThreshold),
    latencyThreshold: num(svc.latencyThresholdSeconds),
  };
}

/**
 * Whether a service gets ServiceHighErrorRate: not with errorRateThreshold 1,
 * which no ratio can exceed (the alert could never fire).
 */
export function hasErrorRateAlert(svc: ResolvedService): boolean {
  return svc.errorRateThreshold < 1;
}

/**
 * Static labels of every rule of a service: the `namespace` and `service` its
 * expression already yields. Redundant for Prometheus (same values), they make
 * each service's copy of a rule distinct, which promtool's duplicate-rules
 * lint (`promtool check rules`) requires, and state in the rule file which
 * service a rule is for.
 */
function ruleLabels(svc: ResolvedService): Record<string, string> {
  return { namespace: svc.namespace, [SERVICE_LABEL]: svc.name };
}

const perQuantileRules = new WeakMap<RuleTemplate, boolean>();

/** Whether a template rule is written once per quantile (it uses `@{quantile}`); once per template rule. */
function perQuantileRule(r: RuleTemplate): boolean {
  let per = perQuantileRules.get(r);
  if (per === undefined) {
    per = JSON.stringify(r).includes('@{quantile}');
    perQuantileRules.set(r, per);
  }
  return per;
}

/** The golden-signal rules of one service: recording rules, then the alerts that read them. */
export function goldenSignalRules(o: ResolvedOptions, svc: ResolvedService): Rule[] {
  const t = goldenTemplate();
  const vars = goldenVars(svc);
  const file = 'templates/rules/services/golden-signals.yaml';
  const rules: Rule[] = [];
  for (const r of t.recordingRules) {
    const perQuantile = perQuantileRule(r);
    for (const q of perQuantile ? t.quantiles : [undefined]) {
      const v = q === undefined ? vars : { ...vars, quantile: String(q) };
      rules.push(checked(GOLDEN_SIGNALS_GROUP, svc, {
        record: fill(r.record!, v, file),
        expr: fillExpr(r.expr, v, file),
        labels: { ...ruleLabels(svc), ...fillMap(r.labels, v, file) },
      }));
    }
  }
  for (const a of t.alerts) {
    if (a.alert === ServiceAlert.HIGH_ERROR_RATE && !hasErrorRateAlert(svc)) continue;
    const forValue = forDuration(o, a.alert!, a.for !== undefined ? widenFor(a.for, o) : undefined);
    const v = { ...vars, for: forValue ?? '0s' };
    rules.push(checked(GOLDEN_SIGNALS_GROUP, svc, {
      alert: a.alert!,
      expr: fillExpr(a.expr, v, file),
      ...(forValue ? { for: forValue } : {}),
      labels: { ...ruleLabels(svc), ...fillMap(a.labels, v, file), ...severityLabel(o, a.alert!) },
      annotations: { ...fillMap(a.annotations, v, file), runbook_url: runbookUrl(o, a.alert!) },
    }));
  }
  return rules;
}

/** `{ severity }` from alerting.ruleOverrides, or nothing (the template's stays). */
function severityLabel(o: ResolvedOptions, alert: string): Record<string, string> {
  const severity = severityOverride(o, alert);
  return severity !== undefined ? { severity } : {};
}

/** The SLO rules of one SLO: the error ratio over every window, then the page and ticket alerts. */
export function sloRules(o: ResolvedOptions, svc: ResolvedService, slo: ResolvedSlo): Rule[] {
  const t = sloTemplate();
  const file = 'templates/rules/services/slo.yaml';
  const sli = t.sli[slo.kind === SloKind.AVAILABILITY ? 'availability' : 'latency'];
  const base: Record<string, string> = {
    selector: serviceSelector(svc),
    sloSelector: sloSelector(svc, slo),
    requests: svc.requestsMetric,
    duration: svc.durationMetric,
    status: svc.statusLabel,
    leMatcher: leMatcher(slo.latencyThresholdSeconds),
    latencyThreshold: num(slo.latencyThresholdSeconds),
  };
  const rules: Rule[] = sloWindows(svc).map((window) => checked(SLO_GROUP, svc, {
    record: fill(t.record, { window }, file),
    expr: fillExpr(sli.errorRatio, { ...base, window }, file),
    labels: { ...ruleLabels(svc), slo: sloId(slo) },
  }));
  const pairs = burnRatePairs(slo, svc.scrapeInterval).filter((p) => p.reachable);
  const forValue = forDuration(o, t.alert.alert, undefined);
  for (const severity of ['critical', 'warning'] as const) {
    const mine = pairs.filter((p) => p.severity === severity);
    if (mine.length === 0) continue;
    const expr = mine.map((p) => fillExpr(t.alert.pairCondition, {
      ...base,
      longRecord: fill(t.record, { window: p.long }, file),
      shortRecord: fill(t.record, { window: p.short }, file),
      factor: num(p.factor),
      budget: num(p.budget),
    }, file)).join('\nor\n');
    const slowest = Math.min(...mine.map((p) => p.factor));
    const text = {
      sloName: sloName(slo),
      objectiveText: objectiveText(slo),
      conditions: conditionsText(mine),
      exhaustion: humanHours(hoursOf(slo.window) / slowest),
    };
    rules.push(checked(SLO_GROUP, svc, {
      alert: t.alert.alert,
      expr,
      ...(forValue ? { for: forValue } : {}),
      labels: { ...ruleLabels(svc), slo: sloId(slo), severity },
      annotations: {
        summary: fill(t.alert.annotations[severity].summary, text, file),
        description: fill(t.alert.annotations[severity].description, text, file),
        runbook_url: runbookUrl(o, t.alert.alert),
      },
    }));
  }
  return rules;
}
