import * as fs from 'fs';
import * as path from 'path';
import { CUSTOM_GROUP } from './custom';
import { TEMPLATED_PACKS, loadPackTemplate, packFeatures } from './packs';
import { MetricsFlavor, RulePack, Severity } from '../../options/options';
import { ResolvedOptions } from '../../options/resolve';
import { ResolvedRuleOverride } from '../../options/rule-overrides';
import { InvalidOptionError, didYouMeanHint } from '../../validation/errors';

/*
 * alerting.ruleOverrides: per-alert changes to the default rules, typed.
 *
 *  - The stack's own alerts (rule packs, per-service alerts): disabled, `for`,
 *    severity, and the threshold where the alert has one (the packs' templates
 *    declare it with its range; the per-service alerts take theirs from each
 *    service). The generated promtool tests follow (they derive their input
 *    from the effective threshold and wait for the effective `for`).
 *  - kube-prometheus-stack's default (mixin) rules: disabled through
 *    `defaultRules.disabled.<Alert>`, `for` and severity through the chart's
 *    `customRules.<Alert>.for` / `.severity` (what the pinned chart's rule
 *    templates read: reference/charts/kube-prometheus-stack/<v>.default-rules.json,
 *    derived by scripts/derive-default-rules.mjs). Their thresholds are written
 *    into the chart's expressions: not overridable (disable the alert and add
 *    your own to alerting.customRules).
 *
 * An alert that is both the stack's and the chart's (a pack alert that
 * replaces the chart's alert of the same name, which is then disabled) is
 * the stack's.
 */

/** The override of an alert, if any. */
export function ruleOverride(o: ResolvedOptions, alert: string): ResolvedRuleOverride | undefined {
  return (o.alerting.ruleOverrides ?? []).find((r) => r.alert === alert);
}

/** Whether the user turned the alert off. */
export function alertDisabled(o: ResolvedOptions, alert: string): boolean {
  return ruleOverride(o, alert)?.disabled === true;
}

/** The user's `for` of an alert (ruleOverrides, else alerting.forDurations), if any. */
export function forOverride(o: ResolvedOptions, alert: string): string | undefined {
  return ruleOverride(o, alert)?.for ?? o.alerting.forDurations[alert];
}

/** The user's threshold of an alert (ruleOverrides, else alerting.thresholds), if any. */
export function thresholdOverride(o: ResolvedOptions, alert: string): number | undefined {
  return ruleOverride(o, alert)?.threshold ?? o.alerting.thresholds[alert];
}

/** The user's severity of an alert, if any. */
export function severityOverride(o: ResolvedOptions, alert: string): Severity | undefined {
  return ruleOverride(o, alert)?.severity;
}

/** One default alert of the chart: its rule group, default `for` (null: not overridable) and severities. */
export interface ChartDefaultRule {
  readonly group: string;
  readonly for: string | null;
  readonly severities: readonly string[];
}

/** Version of kube-prometheus-stack whose default rules are catalogued (the pinned one). */
const CATALOGUED_VERSION = '88.5.3';

let chartRules: Map<string, ChartDefaultRule> | undefined;

/** The default alerts of the pinned kube-prometheus-stack chart, by name. */
export function chartDefaultRules(): Map<string, ChartDefaultRule> {
  if (!chartRules) {
    // reference/ at the package root: __dirname is lib/model/alerts (compiled) or src/model/alerts (ts-jest).
    const file = path.join(__dirname, '..', '..', '..', 'reference', 'charts', 'kube-prometheus-stack', `${CATALOGUED_VERSION}.default-rules.json`);
    const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as { alerts: Record<string, ChartDefaultRule> };
    chartRules = new Map(Object.entries(doc.alerts));
  }
  return chartRules;
}

/** The per-service alerts (services.ts) and where each takes its threshold from. */
const SERVICE_ALERTS: Record<string, string> = {
  ServiceHighErrorRate: 'services[].errorRateThreshold',
  ServiceHighLatency: 'services[].latencyThresholdSeconds',
  ServiceErrorBudgetBurn: 'services[].slos[].objective',
};

/**
 * Check every override against the alerts this configuration has, before any
 * rule is built: the alert exists (or a did-you-mean), and each change is
 * one the alert takes.
 */
export function checkRuleOverrides(o: ResolvedOptions): void {
  const overrides = o.alerting.ruleOverrides ?? [];
  if (overrides.length === 0) return;
  const features = packFeatures(o);
  const pack = new Map(TEMPLATED_PACKS.flatMap((p) => loadPackTemplate(p).alerts.map((a) => [a.alert, { pack: p, alert: a }] as const)));
  const kps = o.metrics.flavor === MetricsFlavor.KUBE_PROMETHEUS_STACK;
  const chart = chartDefaultRules();
  const custom = new Set(o.alerting.customRules.map((r) => r.alert));
  for (const r of overrides) {
    const p = pack.get(r.alert);
    const packGenerated = p !== undefined && o.alerting.rulePacks.includes(p.pack)
      && p.alert.requires.every((f) => (features as Record<string, boolean>)[f]);
    if (custom.has(r.alert)) {
      throw new InvalidOptionError(`${r.option}.alert`, r.alert, `names one of alerting.customRules (group "${CUSTOM_GROUP}"): change the custom rule itself`);
    }
    if (packGenerated) {
      const t = p.alert.threshold;
      if (r.threshold !== undefined && !t) {
        throw new InvalidOptionError(`${r.option}.threshold`, r.threshold, `is set, but alert ${r.alert} has no threshold (its condition is not a number to compare with); change its \`for\` instead`);
      }
      if (r.threshold !== undefined && t && (r.threshold < t.min || r.threshold > t.max)) {
        throw new InvalidOptionError(`${r.option}.threshold`, r.threshold, `is outside ${t.min}..${t.max}, the range of alert ${r.alert}'s threshold (${t.unit})`);
      }
      continue;
    }
    if (r.alert in SERVICE_ALERTS) {
      if (!o.alerting.rulePacks.includes(RulePack.GOLDEN_SIGNALS) || o.services.length === 0) {
        throw new InvalidOptionError(`${r.option}.alert`, r.alert, 'names a per-service alert, but no service has one (no services, or the golden-signals rule pack is off)');
      }
      if (r.threshold !== undefined) {
        throw new InvalidOptionError(`${r.option}.threshold`, r.threshold, `does not apply: ${r.alert} has a threshold per service; set ${SERVICE_ALERTS[r.alert]} instead`);
      }
      if (r.disabled) {
        throw new InvalidOptionError(`${r.option}.disabled`, true,
          `cannot turn off ${r.alert} alone: it is part of the golden-signals rule pack (leave golden-signals out of alerting.rulePacks to turn the per-service alerts off)`);
      }
      if (r.severity !== undefined && r.alert === 'ServiceErrorBudgetBurn') {
        throw new InvalidOptionError(`${r.option}.severity`, r.severity, 'does not apply: ServiceErrorBudgetBurn is a page (critical) and a ticket (warning) by design');
      }
      continue;
    }
    const c = chart.get(r.alert);
    if (c && kps) {
      if (r.threshold !== undefined) {
        throw new InvalidOptionError(`${r.option}.threshold`, r.threshold,
          `is set, but ${r.alert} is a default rule of the kube-prometheus-stack chart, whose thresholds are written into its expressions: ` +
          'disable it (disabled: true) and add your own rule to alerting.customRules');
      }
      if (r.for !== undefined && c.for === null) {
        throw new InvalidOptionError(`${r.option}.for`, r.for, `is set, but the chart's ${r.alert} has no \`for\` its values can change`);
      }
      if (r.severity !== undefined && c.severities.length !== 1) {
        throw new InvalidOptionError(`${r.option}.severity`, r.severity,
          `is set, but the chart's ${r.alert} is ${c.severities.length > 1 ? `${c.severities.join(' and ')} (two rules, one severity each)` : 'without a severity its values can change'}`);
      }
      continue;
    }
    if (c) {
      throw new InvalidOptionError(`${r.option}.alert`, r.alert, `is a default rule of the kube-prometheus-stack chart, which the ${o.metrics.flavor} metrics flavor does not deploy`);
    }
    if (p) {
      throw new InvalidOptionError(`${r.option}.alert`, r.alert, `names alert ${r.alert} of rule pack "${p.pack}", which this configuration does not generate ` +
        '(rule pack not in alerting.rulePacks, or the component whose metrics it reads is off)');
    }
    const known = new Set<string>([...pack.keys(), ...Object.keys(SERVICE_ALERTS), ...(kps ? chart.keys() : [])]);
    throw new InvalidOptionError(`${r.option}.alert`, r.alert, `names no alert of the stack${kps ? ' or of the chart\'s default rules' : ''}${didYouMeanHint(r.alert, known)}`);
  }
}

/** Whether an override targets the chart's rule (the stack generates no alert of that name). */
function isChartOverride(o: ResolvedOptions, r: ResolvedRuleOverride, ours: ReadonlySet<string>): boolean {
  return o.metrics.flavor === MetricsFlavor.KUBE_PROMETHEUS_STACK && !ours.has(r.alert) && chartDefaultRules().has(r.alert);
}

/**
 * kube-prometheus-stack values of the overrides of the chart's default rules:
 * `disabled` names for `defaultRules.disabled`, and `customRules` (top-level
 * values key) with each alert's `for` and severity. `ours` are the alert
 * names the stack generates (an override of one of them is not the chart's).
 */
export function chartRuleOverrideValues(o: ResolvedOptions, ours: ReadonlySet<string>):
{ disabled: string[]; customRules: Record<string, Record<string, string>> } {
  const disabled: string[] = [];
  const customRules: Record<string, Record<string, string>> = {};
  for (const r of o.alerting.ruleOverrides ?? []) {
    if (!isChartOverride(o, r, ours)) continue;
    if (r.disabled) disabled.push(r.alert);
    const change = { ...(r.for !== undefined ? { for: r.for } : {}), ...(r.severity !== undefined ? { severity: r.severity } : {}) };
    if (Object.keys(change).length > 0) customRules[r.alert] = change;
  }
  return { disabled: disabled.sort(), customRules };
}
