import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { forOverride, severityOverride } from './rule-overrides';
import { RUNBOOKS_DIR, runbookUrl } from './runbooks';
import { representatives } from './shapes';
import { PromtoolTest, Rule, RuleGroup, Runbook } from './types';
import { InstrumentationLanguage, MetricsFlavor, MonitorKind, RulePack, SloKind } from '../../options/options';
import { ResolvedOptions, ResolvedService } from '../../options/resolve';
import { packageRoot } from '../../package-root';
import { InvalidOptionError } from '../../validation/errors';
import { assertValidExpression } from '../../validation/expressions';
import { promDurationMs } from '../../validation/option-checks';
import { scrapeTimeout } from '../parts/metrics/prometheus-common';
import { INSTRUMENTATION_NAME, injectAnnotation } from '../parts/traces/instrumentation';

/*
 * Per-service rules: golden signals (request rate, error ratio, latency
 * quantiles; error-rate and latency alerts) and SLOs (error ratio over seven
 * windows; multiwindow, multi-burn-rate page and ticket alerts), with promtool
 * tests synthesized from each service's metric and label names, the runbooks
 * of their alerts, and one documentation page per service.
 *
 * The rule shapes and the runbook texts are data, in templates/rules/services/
 * and templates/runbooks/services/; this module fills them in per service.
 *
 * Alert names are the same for every service (ServiceHighErrorRate,
 * ServiceHighLatency, ServiceErrorBudgetBurn), told apart by the `namespace`,
 * `service` (and `slo`) labels: that is how Alertmanager groups, routes and
 * inhibits, one runbook covers one symptom, and two services of the same name
 * in two namespaces need no name mangling. Each service still gets its own
 * copy of each rule (its own metric names and thresholds), all in one rule
 * group per kind, because alert names must not repeat across groups.
 */

/** The label every service's series carry, set at scrape time to `services[i].name`. */
export const SERVICE_LABEL = 'service';

/** Rule group of the golden signals of all services. */
export const GOLDEN_SIGNALS_GROUP = 'golden-signals';
/** Rule group of the SLOs of all services. */
export const SLO_GROUP = 'service-slos';

/** Alert names of the per-service rules. */
export const ServiceAlert = {
  HIGH_ERROR_RATE: 'ServiceHighErrorRate',
  HIGH_LATENCY: 'ServiceHighLatency',
  ERROR_BUDGET_BURN: 'ServiceErrorBudgetBurn',
} as const;

/** Folder of the per-service documentation pages. */
export const SERVICE_DOCS_DIR = 'docs/services';

/**
 * Path of a service's documentation page: `docs/services/<namespace>/<name>.md`.
 * Namespaced, because the same service name may run in two namespaces
 * (`shop-staging/checkout`, `shop/checkout`), and a page's path must not
 * change when such a twin is added later.
 */
export function serviceDocPath(svc: Pick<ResolvedService, 'name' | 'namespace'>): string {
  return `${SERVICE_DOCS_DIR}/${svc.namespace}/${svc.name}.md`;
}

/** The selector of a service's series in every rule: `namespace="<ns>", service="<name>"`. */
export function serviceSelector(svc: Pick<ResolvedService, 'name' | 'namespace'>): string {
  return `namespace="${svc.namespace}", ${SERVICE_LABEL}="${svc.name}"`;
}

/** Name of the standalone flavor's scrape job of a service (unique: DNS labels have no "/"). */
export function scrapeJobName(svc: Pick<ResolvedService, 'name' | 'namespace'>): string {
  return `services/${svc.namespace}/${svc.name}`;
}

// ---------------------------------------------------------------------------
// Numbers as Prometheus and humans read them
// ---------------------------------------------------------------------------

/** A number without float noise (at most 12 significant digits): 100 - 99.9 → 0.1, not 0.0999999999999943. */
export function num(x: number): string {
  return String(Number(x.toPrecision(12)));
}

/** A number for humans: 4 significant digits (0.933333 → 0.9333). The rules carry the exact value. */
export function short(x: number): string {
  return String(Number(x.toPrecision(4)));
}

/** A ratio as a percentage for humans: 0.001 → "0.1%", 0.0933333 → "9.333%". */
export function percent(ratio: number): string {
  return `${short(ratio * 100)}%`;
}

/**
 * The `le` label value Prometheus 3 stores for a bucket boundary: the float
 * normalisation it applies on ingestion (Go's shortest 'g' formatting, with
 * ".0" appended to whole numbers), so 0.3 → "0.3", 1 → "1.0", 2.5 → "2.5".
 */
export function formatLe(seconds: number): string {
  if (!(seconds >= 1e-4 && seconds < 1e6)) {
    throw new Error(`formatLe: ${seconds} is outside the range this formatting is exact for`);
  }
  // In [1e-4, 1e6) JavaScript's shortest round-trip form and Go's 'g' -1 agree (no exponent).
  const s = String(seconds);
  return s.includes('.') ? s : `${s}.0`;
}

/**
 * The `le` matcher of a latency threshold. Prometheus 3 (both pinned charts)
 * normalises `le` to a float (le="1.0"); Prometheus 2 kept what the text
 * format exposed (le="1" from most Go clients). A whole-number threshold
 * matches both spellings, so a chart pinned back to Prometheus 2, or data
 * spanning an upgrade, still counts; a fractional one is spelled the same by
 * both and matches exactly.
 */
export function leMatcher(seconds: number): string {
  if (Number.isInteger(seconds)) return `le=~"${seconds}|${seconds}\\\\.0"`;
  return `le="${formatLe(seconds)}"`;
}

/** Hours of a Prometheus duration. */
function hoursOf(duration: string): number {
  return promDurationMs(duration) / 3_600_000;
}

/** A number of hours for humans: 50 → "2d 2h", 120 → "5d", 0.5 → "30m". */
export function humanHours(hours: number): string {
  const totalMinutes = Math.round(hours * 60);
  const d = Math.floor(totalMinutes / 1440);
  const h = Math.floor((totalMinutes % 1440) / 60);
  const m = totalMinutes % 60;
  const parts = [d ? `${d}d` : '', h ? `${h}h` : '', m ? `${m}m` : ''].filter((p) => p !== '');
  return parts.length > 0 ? parts.join(' ') : '0m';
}

// ---------------------------------------------------------------------------
// Templates (templates/rules/services, templates/runbooks/services)
// ---------------------------------------------------------------------------

interface RuleTemplate {
  readonly record?: string;
  readonly alert?: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

interface GoldenTemplate {
  readonly quantiles: number[];
  readonly recordingRules: RuleTemplate[];
  readonly alerts: RuleTemplate[];
}

interface PairTemplate {
  readonly long: string;
  readonly short: string;
  readonly budgetConsumed: number;
}

interface SloTemplate {
  readonly windows: string[];
  readonly burnRateAlerts: ReadonlyArray<{ readonly severity: 'critical' | 'warning'; readonly pairs: PairTemplate[] }>;
  readonly sli: Record<'availability' | 'latency', { readonly name: string; readonly description: string; readonly errorRatio: string }>;
  readonly record: string;
  readonly alert: {
    readonly alert: string;
    readonly pairCondition: string;
    readonly annotations: Record<'critical' | 'warning', { readonly summary: string; readonly description: string }>;
  };
}

const templateCache = new Map<string, string>();

/** A file under templates/ (cached). */
function templateText(...segments: string[]): string {
  const file = path.join(packageRoot(), 'templates', ...segments);
  let text = templateCache.get(file);
  if (text === undefined) {
    text = fs.readFileSync(file, 'utf8');
    templateCache.set(file, text);
  }
  return text;
}

const parsedCache = new Map<string, unknown>();

/** A YAML template, parsed once. */
function yamlTemplate<T>(...segments: string[]): T {
  const key = segments.join('/');
  if (!parsedCache.has(key)) parsedCache.set(key, YAML.parse(templateText(...segments)));
  return parsedCache.get(key) as T;
}

function goldenTemplate(): GoldenTemplate {
  return yamlTemplate<GoldenTemplate>('rules', 'services', 'golden-signals.yaml');
}

function sloTemplate(): SloTemplate {
  return yamlTemplate<SloTemplate>('rules', 'services', 'slo.yaml');
}

/** Template texts split at their `@{name}` placeholders: text, name, text, ..., text (odd indexes are names). */
const splitTemplates = new Map<string, string[]>();

/** Fill `@{name}` placeholders; an unknown placeholder is a template bug. */
function fill(text: string, vars: Readonly<Record<string, string>>, where: string): string {
  // the same few template texts are filled for every service: split each once
  let parts = splitTemplates.get(text);
  if (parts === undefined) {
    parts = text.split(/@\{([A-Za-z]+)\}/);
    splitTemplates.set(text, parts);
  }
  let out = parts[0];
  for (let i = 1; i < parts.length; i += 2) {
    const value = vars[parts[i]];
    if (value === undefined) throw new Error(`${where}: unknown placeholder @{${parts[i]}}`);
    out += value + parts[i + 1];
  }
  return out;
}

function fillMap(map: Record<string, string> | undefined, vars: Readonly<Record<string, string>>, where: string): Record<string, string> | undefined {
  if (!map) return undefined;
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k, fill(String(v), vars, where)]));
}

/** The expression as written to the rule file: the template's text with placeholders filled, trailing newline dropped. */
function fillExpr(text: string, vars: Readonly<Record<string, string>>, where: string): string {
  return fill(text, vars, where).trimEnd(); // as .replace(/\s+$/, ''), without the regex's rescans
}

// ---------------------------------------------------------------------------
// Options that shape the rules
// ---------------------------------------------------------------------------

/** Rate windows of the golden signals are 5m: a scrape interval above this leaves fewer than two samples in them. */
const MAX_SCRAPE_INTERVAL_MS = 150_000;

/** The longest burn-rate window: an SLO window shorter than this makes the ticket's 3d window meaningless. */
const MIN_SLO_WINDOW = '3d';

/** The `for` of an alert: `alerting.forDurations.<alert>` if set, else the template's default. */
function forDuration(o: ResolvedOptions, alert: string, fallback: string | undefined): string | undefined {
  return forOverride(o, alert) ?? fallback;
}

/**
 * `alerting.thresholds` is keyed by alert name and global; the per-service
 * alerts take their thresholds from each service instead, so a key naming one
 * of them would silently do nothing. Refuse it.
 */
function rejectGlobalThresholds(o: ResolvedOptions): void {
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

function checkScrapeInterval(svc: ResolvedService, i: number): void {
  if (promDurationMs(svc.scrapeInterval) > MAX_SCRAPE_INTERVAL_MS) {
    throw new InvalidOptionError(`services[${i}].scrapeInterval`, svc.scrapeInterval,
      'is longer than 2m30s: the golden-signal and SLO rules rate over 5m windows, which need at least two scrapes');
  }
}

// ---------------------------------------------------------------------------
// SLOs: burn rates
// ---------------------------------------------------------------------------

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
export function burnRatePairs(slo: Pick<ResolvedSlo, 'objective' | 'window'>): BurnRatePair[] {
  const t = sloTemplate();
  const windowHours = hoursOf(slo.window);
  const budget = errorBudget(slo.objective);
  return t.burnRateAlerts.flatMap((a) => a.pairs.map((p) => {
    const factor = Number((p.budgetConsumed * windowHours / hoursOf(p.long)).toPrecision(12));
    const threshold = factor * budget;
    return {
      severity: a.severity,
      long: p.long,
      short: p.short,
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

function sloSelector(svc: ResolvedService, slo: ResolvedSlo): string {
  return `${serviceSelector(svc)}, slo="${sloId(slo)}"`;
}

/** The recorded error ratio of an SLO over a window. */
export function sloRecordName(window: string): string {
  return fill(sloTemplate().record, { window }, 'templates/rules/services/slo.yaml record');
}

function sloName(slo: ResolvedSlo): string {
  return slo.kind === SloKind.AVAILABILITY ? 'availability' : `latency (${num(slo.latencyThresholdSeconds)}s)`;
}

function sloDescription(slo: ResolvedSlo): string {
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
function checkSlos(svc: ResolvedService, i: number): void {
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

// ---------------------------------------------------------------------------
// Rule groups
// ---------------------------------------------------------------------------

/** Whether the per-service rules are generated: metrics on, the golden-signals pack on, and at least one service. */
function rulesEnabled(o: ResolvedOptions): boolean {
  return o.metrics.enabled && o.alerting.rulePacks.includes(RulePack.GOLDEN_SIGNALS) && o.services.length > 0;
}

/**
 * Per-service rules: the `golden-signals` group (request rate, error ratio,
 * latency quantiles, ServiceHighErrorRate, ServiceHighLatency) and, when a
 * service has SLOs, the `service-slos` group (error ratio over 5m to 3d,
 * ServiceErrorBudgetBurn page and ticket). Both come with promtool tests.
 * Generated when `alerting.rulePacks` includes golden-signals (the pack that
 * also covers SLO burn-rate alerts).
 */
export function serviceRuleGroups(o: ResolvedOptions): RuleGroup[] {
  let groups = serviceGroupsCache.get(o);
  if (!groups) {
    groups = buildServiceRuleGroups(o);
    serviceGroupsCache.set(o, groups);
  }
  return groups;
}

/** Rules, runbooks and service pages all ask for the groups: build them once per options object. */
const serviceGroupsCache = new WeakMap<ResolvedOptions, RuleGroup[]>();

function buildServiceRuleGroups(o: ResolvedOptions): RuleGroup[] {
  if (!rulesEnabled(o)) return [];
  rejectGlobalThresholds(o);
  o.services.forEach((svc, i) => {
    checkScrapeInterval(svc, i);
    checkSlos(svc, i);
  });
  // Services whose rules differ only in their namespace and name share one test (see shapes.ts).
  const golden = new Map(o.services.map((svc) => [svc, goldenSignalRules(o, svc)]));
  const goldenTested = representatives(o.services, (svc) => golden.get(svc)!, (svc) => svc);
  const groups: RuleGroup[] = [{
    name: GOLDEN_SIGNALS_GROUP,
    rules: o.services.flatMap((svc) => golden.get(svc)!),
    tests: goldenSignalTests(o, goldenTested),
    ...(goldenTested.length < o.services.length ? { testedRules: goldenTested.flatMap((svc) => golden.get(svc)!) } : {}),
    // One block per service: a split group keeps each service's rules together.
    blocks: o.services.map((svc) => golden.get(svc)!.length),
  }];
  const slos = o.services.flatMap((svc) => svc.slos.map((slo) => ({ svc, slo, rules: sloRules(o, svc, slo) })));
  if (slos.length > 0) {
    const withSlos = o.services.filter((svc) => svc.slos.length > 0);
    const bySvc = new Map<ResolvedService, Rule[]>();
    for (const s of slos) bySvc.set(s.svc, [...(bySvc.get(s.svc) ?? []), ...s.rules]);
    const sloRulesOf = (svc: ResolvedService) => bySvc.get(svc)!;
    const tested = new Set(representatives(withSlos, sloRulesOf, (svc) => svc));
    const testedSlos = slos.filter((s) => tested.has(s.svc));
    groups.push({
      name: SLO_GROUP,
      rules: slos.flatMap(({ rules }) => rules),
      tests: sloTests(o, testedSlos),
      ...(testedSlos.length < slos.length ? { testedRules: testedSlos.flatMap(({ rules }) => rules) } : {}),
      // `slos` runs service by service: one block for each service's SLOs.
      blocks: o.services.filter((svc) => svc.slos.length > 0)
        .map((svc) => slos.filter((s) => s.svc === svc).reduce((n, s) => n + s.rules.length, 0)),
    });
  }
  return groups;
}

function ruleWhere(group: string, svc: ResolvedService, rule: { record?: string; alert?: string }): string {
  const what = rule.alert ? `alert ${rule.alert}` : `record ${rule.record}`;
  return `rule group "${group}", ${what} of service ${svc.namespace}/${svc.name}`;
}

function checked(group: string, svc: ResolvedService, rule: Rule): Rule {
  assertValidExpression('promql', rule.expr, ruleWhere(group, svc, rule));
  return rule;
}

function goldenVars(svc: ResolvedService): Record<string, string> {
  return {
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
function hasErrorRateAlert(svc: ResolvedService): boolean {
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
    const forValue = forDuration(o, a.alert!, a.for);
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
  const rules: Rule[] = t.windows.map((window) => checked(SLO_GROUP, svc, {
    record: fill(t.record, { window }, file),
    expr: fillExpr(sli.errorRatio, { ...base, window }, file),
    labels: { ...ruleLabels(svc), slo: sloId(slo) },
  }));
  const pairs = burnRatePairs(slo).filter((p) => p.reachable);
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

// ---------------------------------------------------------------------------
// promtool tests
// ---------------------------------------------------------------------------

/*
 * Every generated alert gets at least one case where it fires and one where it
 * stays quiet, on input series synthesized from the service's own metric and
 * label names (`namespace`, `service`, and a `pod`; never `cluster`, which is
 * an external label and absent from Prometheus' own TSDB). Inputs use round
 * numbers so the `{{ $value }}` in annotations is exact, and every scenario
 * holds under both Prometheus 2 (left-closed) and 3 (left-open) range
 * selectors. Samples are one minute apart.
 */

const TEST_INTERVAL = '1m';

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

function minutesOf(duration: string | undefined): number {
  return duration ? Math.ceil(promDurationMs(duration) / 60_000) : 0;
}

function seriesName(metric: string, labels: Record<string, string>): string {
  return `${metric}{${Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(', ')}}`;
}

function targetLabels(svc: ResolvedService): Record<string, string> {
  return { namespace: svc.namespace, [SERVICE_LABEL]: svc.name, pod: `${svc.name}-0` };
}

/** Requests counter series: `ok` and `bad` (5xx) per minute for each segment; a status whose counter never grows is absent. */
function requestSeries(svc: ResolvedService, segments: ReadonlyArray<readonly [number, number, number]>) {
  const out: Array<{ series: string; values: string }> = [];
  const ok = segments.map(([m, okPerMin]) => [m, okPerMin] as const);
  const bad = segments.map(([m, , badPerMin]) => [m, badPerMin] as const);
  if (ok.some(([, n]) => n > 0)) out.push({ series: seriesName(svc.requestsMetric, { ...targetLabels(svc), [svc.statusLabel]: '200' }), values: counterValues(ok) });
  if (bad.some(([, n]) => n > 0)) out.push({ series: seriesName(svc.requestsMetric, { ...targetLabels(svc), [svc.statusLabel]: '500' }), values: counterValues(bad) });
  return out;
}

/** Histogram series: cumulative per-minute counts at each upper bound (and +Inf, and _count), per segment. */
function histogramSeries(svc: ResolvedService, bounds: readonly number[], segments: ReadonlyArray<readonly [number, readonly number[], number]>) {
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

/**
 * Go's `fmt.Sprintf("%.<prec>g", x)` for finite x: `prec` significant digits
 * rounded half to even on the exact binary value, trailing zeros dropped, an
 * exponent when it is below -4 or at least `prec`.
 */
export function goFormatG(x: number, prec: number): string {
  if (x === 0) return '0';
  const neg = x < 0;
  const exp100 = Math.abs(x).toExponential(99); // exact digits of the double (within 100)
  const [mantissa, expPart] = exp100.split('e');
  let digits = mantissa.replace('.', '').split('').map(Number);
  let dp = Number(expPart) + 1; // value = 0.d1d2... × 10^dp
  // round to prec digits, half to even
  const rest = digits.slice(prec);
  let kept = digits.slice(0, prec);
  const first = rest[0] ?? 0;
  const tail = rest.slice(1).some((d) => d !== 0);
  const roundUp = first > 5 || (first === 5 && (tail || kept[kept.length - 1] % 2 === 1));
  if (roundUp) {
    let i = kept.length - 1;
    while (i >= 0 && kept[i] === 9) kept[i--] = 0;
    if (i < 0) {
      kept = [1, ...kept.slice(0, prec - 1)];
      dp += 1;
    } else {
      kept[i] += 1;
    }
  }
  digits = kept;
  while (digits.length > 1 && digits[digits.length - 1] === 0) digits.pop();
  const nd = digits.length;
  let eprec = prec;
  if (eprec > nd && nd >= dp) eprec = nd;
  const e = dp - 1;
  let out: string;
  if (e < -4 || e >= eprec) {
    const p = Math.min(prec, nd);
    out = `${digits[0]}${p > 1 ? '.' + digits.slice(1, p).join('') : ''}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  } else {
    const p = prec > dp ? nd : prec;
    const frac = Math.max(p - dp, 0);
    const digitAt = (i: number) => (i >= 0 && i < nd ? String(digits[i]) : '0');
    let intPart = '';
    if (dp > 0) for (let i = 0; i < dp; i++) intPart += digitAt(i);
    else intPart = '0';
    let fracPart = '';
    for (let i = 0; i < frac; i++) fracPart += digitAt(dp + i);
    out = frac > 0 ? `${intPart}.${fracPart}` : intPart;
  }
  return neg ? `-${out}` : out;
}

/** Prometheus' `humanizePercentage` template function. */
export function humanizePercentage(v: number): string {
  return `${goFormatG(v * 100, 4)}%`;
}

/** Prometheus' `humanizeDuration` template function (seconds). */
export function humanizeDuration(v: number): string {
  if (v === 0) return '0s';
  if (Math.abs(v) >= 1) {
    const sign = v < 0 ? '-' : '';
    const a = Math.abs(v);
    const duration = Math.trunc(a);
    const seconds = duration % 60;
    const minutes = Math.trunc(duration / 60) % 60;
    const hours = Math.trunc(duration / 3600) % 24;
    const days = Math.trunc(duration / 86400);
    if (days !== 0) return `${sign}${days}d ${hours}h ${minutes}m ${seconds}s`;
    if (hours !== 0) return `${sign}${hours}h ${minutes}m ${seconds}s`;
    if (minutes !== 0) return `${sign}${minutes}m ${seconds}s`;
    return `${sign}${goFormatG(a, 4)}s`;
  }
  let prefix = '';
  let x = v;
  for (const p of ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y']) {
    if (Math.abs(x) >= 1) break;
    prefix = p;
    x *= 1000;
  }
  return `${goFormatG(x, 4)}${prefix}s`;
}

/** Expand the Go templates the per-service annotations use, as Prometheus would for an alert with these labels and value. */
export function expandAnnotation(text: string, labels: Readonly<Record<string, string>>, value?: number): string {
  const out = text.replace(/\{\{\s*(\$labels\.([A-Za-z_][A-Za-z0-9_]*)|\$value\s*\|\s*(humanizePercentage|humanizeDuration))\s*\}\}/g,
    (_m, _all, label: string | undefined, fn: string | undefined) => {
      if (label !== undefined) return labels[label] ?? '';
      if (value === undefined) throw new Error(`annotation "${text}" uses $value, but the test has none`);
      return fn === 'humanizePercentage' ? humanizePercentage(value) : humanizeDuration(value);
    });
  if (out.includes('{{')) throw new Error(`annotation "${text}" uses a template the test synthesis cannot expand`);
  return out;
}

/**
 * The labels an alert carries: the equality matchers of the selector its
 * expression starts with (the recorded series' labels: namespace, service,
 * and quantile or slo), plus the rule's own labels.
 */
function alertLabels(rule: Rule): Record<string, string> {
  const selector = /\{([^}]*)\}/.exec(rule.expr);
  const matchers = Object.fromEntries([...(selector?.[1] ?? '').matchAll(/([A-Za-z_][A-Za-z0-9_]*)\s*=\s*"([^"]*)"/g)].map((m) => [m[1], m[2]]));
  return { ...matchers, ...rule.labels };
}

function expectedAlert(rule: Rule, value?: number) {
  const all = alertLabels(rule);
  return {
    exp_labels: all,
    exp_annotations: Object.fromEntries(Object.entries(rule.annotations ?? {}).map(([k, v]) => [k, expandAnnotation(v, all, value)])),
  };
}

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
  if (services.length === 0) return [];
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
  const minutes = 10 + Math.max(...cases.map((c) => Math.max(minutesOf(c.errorAlert?.for), minutesOf(c.latencyAlert.for))));
  const evalTime = `${minutes}m`;
  const fast = (c: typeof cases[number]) => histogramSeries(c.svc, c.bounds, [[minutes, [N, N], N]]);
  const slow = (c: typeof cases[number]) => histogramSeries(c.svc, c.bounds, [[minutes, [N * 0.98, N], N]]);
  const sample = (svc: ResolvedService, record: string) => `${record}{${serviceSelector(svc)}}`;
  const ratioRecord = 'namespace_service:request_errors:ratio_rate5m';
  const rateRecord = 'namespace_service:requests:rate5m';
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
      interval: TEST_INTERVAL,
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
    interval: TEST_INTERVAL,
    input_series: cases.flatMap((c) => [...requestSeries(c.svc, [[minutes, R - c.quietBad, c.quietBad]]), ...slow(c)]),
    alert_rule_test: [
      alertTest(ServiceAlert.HIGH_LATENCY, cases.map((c) => ({ rule: c.latencyAlert, value: c.p99 }))),
      ...(withErrors.length > 0 ? [alertTest(ServiceAlert.HIGH_ERROR_RATE, [])] : []),
    ],
  });
  tests.push({
    name: 'golden signals: no 5xx at all (the error ratio records 0), every request within the threshold: nothing fires',
    interval: TEST_INTERVAL,
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

/** A steady or piecewise SLO scenario: minutes at a share of bad requests. */
type Scenario = ReadonlyArray<readonly [minutes: number, badShare: number]>;

/** Input series of an SLO scenario, `perMinute` requests a minute. */
function sloSeries(svc: ResolvedService, slo: ResolvedSlo, scenario: Scenario, perMinute: number) {
  const segments = scenario.map(([m, share]) => {
    const bad = Math.round(share * perMinute);
    return [m, perMinute - bad, bad] as const;
  });
  if (slo.kind === SloKind.AVAILABILITY) return requestSeries(svc, segments);
  // Latency: the good requests are those within the threshold's bucket; only that bucket
  // (and +Inf) is synthesized, so another latency SLO of the service (another bucket) reads nothing.
  return histogramSeries(svc, [slo.latencyThresholdSeconds], segments.map(([m, good, bad]) => [m, [good], good + bad] as const));
}

/** The metric families an SLO's input series use (two SLOs sharing one cannot run in the same test). */
function sloFamilies(svc: ResolvedService, slo: ResolvedSlo): string[] {
  const families = slo.kind === SloKind.AVAILABILITY ? [svc.requestsMetric] : [`${svc.durationMetric}_bucket`, `${svc.durationMetric}_count`];
  return families.map((f) => `${svc.namespace}/${svc.name}/${f}`);
}

/**
 * The error ratio a window sees at minute `t` of a scenario, counting the
 * increments between the first and last samples inside the window: from
 * t - W (Prometheus 2, left-closed) or t - W + 1m (Prometheus 3, left-open).
 */
function windowRatio(scenario: Scenario, t: number, windowMinutes: number, leftOpen: boolean): number {
  const start = Math.max(0, t - windowMinutes + (leftOpen ? 1 : 0));
  let bad = 0;
  let total = 0;
  let minute = 0;
  for (const [m, share] of scenario) {
    for (let k = 0; k < m; k++) {
      minute += 1; // the increment from minute-1 to minute
      if (minute > start && minute <= t) {
        bad += share;
        total += 1;
      }
    }
  }
  return total === 0 ? NaN : bad / total;
}

/**
 * The severities that fire at minute t of a scenario, or undefined when the
 * outcome is not certain: Prometheus 2 and 3 range selectors would disagree,
 * or (with `margin` > 0, for piecewise scenarios, where rate extrapolation
 * shifts ratios a little) a ratio is within that fraction of a threshold.
 */
function expectedSeverities(scenario: Scenario, t: number, pairs: readonly BurnRatePair[], margin: number): Set<string> | undefined {
  const result = new Set<string>();
  for (const p of pairs) {
    const verdicts = [false, true].map((leftOpen) => {
      const ratios = [p.long, p.short].map((w) => windowRatio(scenario, t, minutesOf(w), leftOpen));
      if (!ratios.every((r) => Math.abs(r - p.threshold) > margin * p.threshold)) return undefined;
      return ratios.every((r) => r > p.threshold);
    });
    if (verdicts[0] === undefined || verdicts[0] !== verdicts[1]) return undefined;
    if (verdicts[0]) result.add(p.severity);
  }
  return result;
}

/** What a scenario's outcome is, in words. */
function outcomeText(firing: ReadonlySet<string>): string {
  if (firing.has('critical') && firing.has('warning')) return 'page and ticket';
  if (firing.has('critical')) return 'page only';
  if (firing.has('warning')) return 'ticket only';
  return 'nothing';
}

/** The kinds of SLO scenarios, in the order the tests run them. */
type SloScenarioKind = 'all-bad' | 'slow-page' | 'burst' | 'ticket' | 'stopped' | 'quiet';

/** Scenarios that run for hours (the others run 10 minutes plus the alerts' `for`). */
const TIMED: readonly SloScenarioKind[] = ['burst', 'stopped'];

const SCENARIO_TITLES: Record<SloScenarioKind, string> = {
  'all-bad': 'every request bad',
  'slow-page': 'a steady share of bad requests between the slow and the fast page thresholds (only the slow page pair can fire)',
  'burst': '3h clean, then an hour above the fast page threshold, diluted below the slow page threshold over its long window (only the fast pair can fire)',
  'ticket': 'a steady share between the slow and the fast ticket thresholds (a ticket, no page)',
  'stopped': 'an hour of errors, then 35 clean minutes (the short windows are clean again: the page resets, the ticket stays)',
  'quiet': 'a steady share at half the lowest threshold',
};

/** One SLO's part of a scenario: its input share over time, when to look, and how sure the outcome must be. */
interface SloScenario {
  readonly scenario: Scenario;
  readonly at: number;
  readonly margin: number;
}

/**
 * The scenarios of one SLO, by kind (a kind is missing when it does not apply:
 * its pairs cannot fire, or a `for` on the alerts would shift its timing).
 * Every steady scenario is evaluated at 10 minutes plus the alerts' `for`.
 */
function sloScenarios(o: ResolvedOptions, slo: ResolvedSlo): Partial<Record<SloScenarioKind, SloScenario>> {
  const forMinutes = minutesOf(forDuration(o, sloTemplate().alert.alert, undefined));
  const bySpeed = (severity: string) => burnRatePairs(slo).filter((p) => p.severity === severity).sort((a, b) => b.factor - a.factor);
  const [fastPage, slowPage] = bySpeed('critical');
  const [fastTicket, slowTicket] = bySpeed('warning');
  const th = (p: BurnRatePair | undefined) => (p && p.reachable ? p.threshold : 1);
  const lowest = Math.min(...burnRatePairs(slo).filter((p) => p.reachable).map((p) => p.threshold));
  const steady = 10 + forMinutes;
  const steadily = (share: number): SloScenario => ({ scenario: [[steady, share]], at: steady, margin: 0 });
  const timed = forMinutes === 0 && fastPage?.reachable && slowPage?.reachable;
  // 3h clean and 1h at 1.4× the fast threshold: the slow pair's 6h window sees a quarter
  // of that, 0.35× the fast threshold, under its own 0.42× (6/14.4).
  const burst = timed ? minutesOf(fastPage.long) : 0;
  return {
    'all-bad': steadily(1),
    ...(slowPage?.reachable ? { 'slow-page': steadily((th(slowPage) + th(fastPage)) / 2) } : {}),
    ...(timed ? {
      burst: {
        scenario: [[3 * burst, 0], [burst, Math.min(1.4 * th(fastPage), (th(fastPage) + 1) / 2)]],
        at: 4 * burst,
        margin: 0.1,
      },
    } : {}),
    ...(slowTicket?.reachable ? { ticket: steadily((th(slowTicket) + th(fastTicket)) / 2) } : {}),
    ...(timed ? { stopped: { scenario: [[60, 1], [35, 0]], at: 95, margin: 0.1 } } : {}),
    'quiet': steadily(lowest / 2),
  };
}

/**
 * promtool tests of every SLO, one test per scenario kind (and lane), each
 * SLO on its own series. The expected alerts are computed from the window
 * ratios of each SLO's scenario, not assumed; an SLO whose outcome in a
 * scenario is not certain (a ratio too close to a threshold) sits it out.
 *  - every request bad: page and ticket fire; every window records 1;
 *  - a steady share between the slow page pair's threshold and the fast
 *    one's: only the slow pair (6h/30m) can page;
 *  - 3h clean, then an hour above the fast pair's threshold but diluted
 *    below the slow one's over 6h: only the fast pair (1h/5m) pages;
 *  - a steady share between the slow ticket pair's threshold and the fast
 *    one's: a ticket, no page;
 *  - an hour of errors, then 35 clean minutes: the short windows are clean,
 *    so the page has reset while the ticket still fires;
 *  - half the lowest threshold: nothing.
 * The two timed scenarios (hours of input) run for the first SLO they apply
 * to; the others for every SLO. Every alert of every SLO gets at least one
 * firing and one quiet case. `rules` are each SLO's rules as `sloRules` built them.
 */
function sloTests(o: ResolvedOptions, slos: ReadonlyArray<{ svc: ResolvedService; slo: ResolvedSlo; rules: readonly Rule[] }>): PromtoolTest[] {
  interface Case {
    readonly svc: ResolvedService;
    readonly slo: ResolvedSlo;
    readonly id: string;
    readonly lane: number;
    readonly alerts: ReadonlyMap<string, Rule>;
    readonly pairs: readonly BurnRatePair[];
    readonly perMinute: number;
    readonly scenarios: Partial<Record<SloScenarioKind, SloScenario>>;
  }
  // Lanes: SLOs that share input series (two latency SLOs of one service share _count) go to different tests.
  const lanes: Array<Set<string>> = [];
  const cases: Case[] = [];
  for (const { svc, slo, rules } of slos) {
    const alerts = new Map(rules.filter((r) => r.alert).map((r) => [r.labels!.severity, r]));
    if (alerts.size === 0) continue;
    const families = sloFamilies(svc, slo);
    let lane = lanes.findIndex((used) => families.every((f) => !used.has(f)));
    if (lane === -1) lane = lanes.push(new Set()) - 1;
    families.forEach((f) => lanes[lane].add(f));
    const pairs = burnRatePairs(slo).filter((p) => p.reachable);
    const lowest = Math.min(...pairs.map((p) => p.threshold));
    cases.push({
      svc,
      slo,
      lane,
      alerts,
      pairs,
      id: `${svc.namespace}/${svc.name} ${sloId(slo)}`,
      // Enough requests a minute that the smallest share used is at least a thousand of them.
      perMinute: Math.max(1000, 10 ** Math.ceil(Math.log10(1000 / (lowest / 2)))),
      scenarios: sloScenarios(o, slo),
    });
  }
  const fired = new Map(cases.map((c) => [c, new Set<string>()]));
  const quiet = new Map(cases.map((c) => [c, new Set<string>()]));
  const realized = (c: Case, scenario: Scenario): Scenario =>
    scenario.map(([m, share]) => [m, Math.round(share * c.perMinute) / c.perMinute] as const);
  const alertname = sloTemplate().alert.alert;
  // The timed scenarios span hours, and every SLO that takes part makes each of those minutes
  // cost more; they test the window logic, the same for every SLO: the first SLO they apply to
  // runs them.
  const timedBy = cases.find((c) => TIMED.every((k) => c.scenarios[k]));
  const tests: PromtoolTest[] = [];
  for (const kind of Object.keys(SCENARIO_TITLES) as SloScenarioKind[]) {
    for (let lane = 0; lane < lanes.length; lane++) {
      const members = cases.flatMap((c) => {
        const sc = c.lane === lane && (!TIMED.includes(kind) || c === timedBy) ? c.scenarios[kind] : undefined;
        const expected = sc && expectedSeverities(realized(c, sc.scenario), sc.at, c.pairs, sc.margin);
        return sc && expected ? [{ c, sc, expected }] : [];
      });
      // One eval time per test: the steady scenarios share theirs, the timed ones are the same for every SLO.
      for (const at of [...new Set(members.map((m) => m.sc.at))]) {
        const batch = members.filter((m) => m.sc.at === at);
        for (const { c, expected } of batch) {
          for (const severity of c.alerts.keys()) (expected.has(severity) ? fired : quiet).get(c)!.add(severity);
        }
        const outcomes = new Map<string, string[]>();
        for (const { c, expected } of batch) outcomes.set(outcomeText(expected), [...(outcomes.get(outcomeText(expected)) ?? []), c.id]);
        tests.push({
          name: `SLOs: ${SCENARIO_TITLES[kind]}: ${[...outcomes].map(([outcome, ids]) => `${outcome} for ${ids.join(', ')}`).join('; ')}`,
          interval: TEST_INTERVAL,
          input_series: batch.flatMap(({ c, sc }) => sloSeries(c.svc, c.slo, sc.scenario, c.perMinute)),
          alert_rule_test: [{
            eval_time: `${at}m`,
            alertname,
            exp_alerts: batch.flatMap(({ c, expected }) => [...expected].sort().map((severity) => expectedAlert(c.alerts.get(severity)!))),
          }],
          ...(kind === 'all-bad' ? {
            promql_expr_test: batch.flatMap(({ c }) => sloTemplate().windows.map((w) => {
              const series = `${sloRecordName(w)}{${sloSelector(c.svc, c.slo)}}`;
              return { expr: series, eval_time: `${at}m`, exp_samples: [{ labels: series, value: 1 }] };
            })),
          } : {}),
        });
      }
    }
  }
  for (const c of cases) {
    for (const severity of c.alerts.keys()) {
      if (!fired.get(c)!.has(severity) || !quiet.get(c)!.has(severity)) {
        throw new Error(`${c.id}: no promtool case where its ${severity} alert ${fired.get(c)!.has(severity) ? 'stays quiet' : 'fires'}`);
      }
    }
  }
  return tests;
}

// ---------------------------------------------------------------------------
// Runbooks
// ---------------------------------------------------------------------------

function runbookTemplate(alert: string): string {
  return templateText('runbooks', 'services', `${alert}.md`);
}

/** Link from a runbook page (docs/runbooks/) to a service's page. */
function serviceLinkFromRunbook(svc: ResolvedService): string {
  return `[${svc.namespace}/${svc.name}](../services/${svc.namespace}/${svc.name}.md)`;
}

/** Runbooks of the per-service alerts that exist: one page per alert name, with a table of the services it covers. */
export function serviceRunbooks(o: ResolvedOptions): Runbook[] {
  const groups = serviceRuleGroups(o);
  if (groups.length === 0) return [];
  const alerts = (name: string) => groups.flatMap((g) => g.rules.filter((r) => r.alert === name));
  const runbooks: Runbook[] = [];
  const errorServices = o.services.filter(hasErrorRateAlert);
  if (errorServices.length > 0) {
    const forValue = alerts(ServiceAlert.HIGH_ERROR_RATE)[0]?.for;
    runbooks.push({
      alert: ServiceAlert.HIGH_ERROR_RATE,
      markdown: fill(runbookTemplate(ServiceAlert.HIGH_ERROR_RATE), {
        services: table(['Service', 'Fires above', 'for', 'Errors by status'], errorServices.map((s) => [
          serviceLinkFromRunbook(s),
          percent(s.errorRateThreshold),
          forValue ?? '0s',
          code(`sum by (${s.statusLabel}) (rate(${s.requestsMetric}{${serviceSelector(s)}}[5m]))`),
        ])),
      }, `templates/runbooks/services/${ServiceAlert.HIGH_ERROR_RATE}.md`),
    });
  }
  const latencyFor = alerts(ServiceAlert.HIGH_LATENCY)[0]?.for;
  runbooks.push({
    alert: ServiceAlert.HIGH_LATENCY,
    markdown: fill(runbookTemplate(ServiceAlert.HIGH_LATENCY), {
      services: table(['Service', 'p99 above', 'for', 'Latency quantiles'], o.services.map((s) => [
        serviceLinkFromRunbook(s),
        `${num(s.latencyThresholdSeconds)}s`,
        latencyFor ?? '0s',
        code(`namespace_service_quantile:request_duration_seconds:histogram_quantile5m{${serviceSelector(s)}}`),
      ])),
    }, `templates/runbooks/services/${ServiceAlert.HIGH_LATENCY}.md`),
  });
  const withSlos = o.services.flatMap((s) => s.slos.map((slo) => ({ s, slo })));
  if (withSlos.length > 0) {
    runbooks.push({
      alert: ServiceAlert.ERROR_BUDGET_BURN,
      markdown: fill(runbookTemplate(ServiceAlert.ERROR_BUDGET_BURN), {
        slos: table(['Service', '`slo`', 'Objective', 'Window', 'Page (critical)', 'Ticket (warning)'], withSlos.map(({ s, slo }) => {
          const pairs = burnRatePairs(slo).filter((p) => p.reachable);
          const cell = (severity: string) => pairs.filter((p) => p.severity === severity)
            .map((p) => `${percent(p.threshold)} over ${p.long} & ${p.short}`).join('; ') || 'never (threshold ≥ 100%)';
          return [serviceLinkFromRunbook(s), code(sloId(slo)), `${slo.objective}%`, slo.window, cell('critical'), cell('warning')];
        })),
      }, `templates/runbooks/services/${ServiceAlert.ERROR_BUDGET_BURN}.md`),
    });
  }
  return runbooks;
}

// ---------------------------------------------------------------------------
// Documentation pages
// ---------------------------------------------------------------------------

/** A Grafana dashboard of a service, for its documentation page. */
export interface ServiceDashboardRef {
  readonly title: string;
  readonly uid?: string;
}

function code(text: string): string {
  return `\`${text}\``;
}

function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

function grafanaBaseUrl(o: ResolvedOptions): string | undefined {
  const ingress = o.grafana.ingress;
  if (!o.grafana.enabled || !ingress) return undefined;
  return `${ingress.tlsSecretName ? 'https' : 'http'}://${ingress.host}`;
}

function scrapedSection(o: ResolvedOptions, svc: ResolvedService): string[] {
  const selector = Object.entries(svc.selector).map(([k, v]) => `${k}=${v}`).join(',');
  const lines = ['## What is scraped', ''];
  const timeout = scrapeTimeout(svc.scrapeInterval);
  if (o.metrics.flavor === MetricsFlavor.KUBE_PROMETHEUS_STACK) {
    const kind = svc.monitor === MonitorKind.POD_MONITOR ? 'PodMonitor' : 'ServiceMonitor';
    const target = svc.monitor === MonitorKind.POD_MONITOR ? 'pods' : 'Services';
    const port = svc.monitor === MonitorKind.POD_MONITOR ? 'container port' : 'Service port';
    lines.push(
      `A ${kind} \`${svc.name}\` in namespace \`${svc.namespace}\` (Argo CD Application \`<cluster>-service-monitors\`)`,
      `selects the ${target} labelled \`${selector}\` and scrapes their ${port} \`${svc.port}\` at \`${svc.metricsPath}\``,
      `every ${svc.scrapeInterval} (timeout ${timeout}).`,
    );
  } else {
    const what = svc.monitor === MonitorKind.POD_MONITOR
      ? `the pods in namespace \`${svc.namespace}\` labelled \`${selector}\` and scrapes their container port \`${svc.port}\``
      : `the EndpointSlices of the Services in namespace \`${svc.namespace}\` labelled \`${selector}\` and scrapes their port \`${svc.port}\``;
    lines.push(
      `Prometheus' scrape job \`${scrapeJobName(svc)}\` (\`extraScrapeConfigs\` of the prometheus chart) discovers`,
      `${what}`,
      `at \`${svc.metricsPath}\` every ${svc.scrapeInterval} (timeout ${timeout}).`,
      'Do not also annotate them with `prometheus.io/scrape`: the chart\'s annotation-based jobs would scrape them a second time.',
    );
  }
  lines.push(
    '',
    `Every series gets the labels \`namespace="${svc.namespace}"\` and \`service="${svc.name}"\` (set by relabeling,`,
    'whatever the Kubernetes Service is called), plus `pod`; the rules and the dashboard select on them. Check the targets with',
    '',
    '```promql',
    `up{${serviceSelector(svc)}}`,
    '```',
    '',
    'The rules expect:',
    '',
    `- \`${svc.requestsMetric}\`: a counter of requests with the HTTP status code in the label \`${svc.statusLabel}\`;`,
    `- \`${svc.durationMetric}\`: a classic histogram of request durations in seconds (\`${svc.durationMetric}_bucket\` with \`le\`, and \`_count\`).`,
    '',
    'The rules aggregate `by (cluster, namespace, service)` without relying on `cluster`: it is an external label of',
    'Prometheus, not a label of the series it stores, so alerts get it on their way to Alertmanager.',
    '',
  );
  return lines;
}

function dashboardSection(o: ResolvedOptions, svc: ResolvedService, dashboard: ServiceDashboardRef | undefined): string[] {
  const lines = ['## Dashboard', ''];
  if (!o.grafana.enabled || !o.dashboards.enabled) {
    lines.push('Dashboards are not generated (`grafana.enabled` or `dashboards.enabled` is off). The queries below work in any Prometheus UI.', '');
  } else {
    const title = dashboard?.title ?? `Service / ${svc.namespace} / ${svc.name}`;
    const base = grafanaBaseUrl(o);
    const link = base && dashboard?.uid ? ` ([open](${base}/d/${dashboard.uid}))` : '';
    lines.push(`Grafana: **${title}**${link}: request rate, error ratio, latency quantiles, targets up, and CPU, memory and restarts of its pods.`, '');
  }
  if (rulesEnabled(o)) {
    lines.push(
      'Recorded by the `golden-signals` rule group, per second over 5 minutes:',
      '',
      table(['Signal', 'Query'], [
        ['Request rate', code(`namespace_service:requests:rate5m{${serviceSelector(svc)}}`)],
        ['Error ratio (5xx)', code(`namespace_service:request_errors:ratio_rate5m{${serviceSelector(svc)}}`)],
        ['Latency p50, p95, p99', code(`namespace_service_quantile:request_duration_seconds:histogram_quantile5m{${serviceSelector(svc)}}`)],
      ]),
      '',
    );
  }
  return lines;
}

function alertsSection(o: ResolvedOptions, svc: ResolvedService): string[] {
  const lines = ['## Alerts', ''];
  if (!rulesEnabled(o)) {
    lines.push('None: `alerting.rulePacks` does not include `golden-signals` (the pack of the per-service alerts and SLOs).', '');
    return lines;
  }
  const rules = goldenSignalRules(o, svc).filter((r) => r.alert);
  const link = (alert: string) => `[${alert}](../../runbooks/${alert}.md)`;
  lines.push(table(['Alert', 'Severity', 'Fires when', 'for'], rules.map((r) => [
    link(r.alert!),
    r.labels?.severity ?? '',
    r.alert === ServiceAlert.HIGH_ERROR_RATE
      ? `more than ${percent(svc.errorRateThreshold)} of requests answer 5xx (over 5m)`
      : `p99 latency is above ${num(svc.latencyThresholdSeconds)}s (over 5m)`,
    r.for ?? '0s',
  ])), '');
  if (!hasErrorRateAlert(svc)) {
    lines.push(`No ${ServiceAlert.HIGH_ERROR_RATE}: \`errorRateThreshold\` is 1, which no error ratio can exceed.`, '');
  }
  lines.push(`Runbook pages are under \`${RUNBOOKS_DIR}/\`.`, '');
  return lines;
}

function slosSection(o: ResolvedOptions, svc: ResolvedService): string[] {
  if (svc.slos.length === 0) return [];
  const lines = ['## SLOs', ''];
  if (!rulesEnabled(o)) {
    lines.push('SLOs are set, but no rules are generated for them: `alerting.rulePacks` does not include `golden-signals`.', '');
    return lines;
  }
  for (const slo of svc.slos) {
    const budget = errorBudget(slo.objective);
    const windowHours = hoursOf(slo.window);
    const sli = sloTemplate().sli[slo.kind === SloKind.AVAILABILITY ? 'availability' : 'latency'];
    lines.push(
      `### ${sloName(slo)}: ${slo.objective}% over ${slo.window}`,
      '',
      `${slo.objective}% of requests are ${sloDescription(slo)}, over a rolling ${slo.window}. The error budget is`,
      `${percent(budget)} of requests: ${humanHours(windowHours * budget)} of complete outage per ${slo.window}.`,
      '',
      `Bad-request ratio over a window \`W\`, recorded as \`${sloRecordName('<W>')}{${sloSelector(svc, slo)}}\``,
      `for W in ${sloTemplate().windows.join(', ')}:`,
      '',
      '```promql',
      fillExpr(sli.errorRatio, {
        selector: serviceSelector(svc),
        requests: svc.requestsMetric,
        duration: svc.durationMetric,
        status: svc.statusLabel,
        leMatcher: leMatcher(slo.latencyThresholdSeconds),
        window: 'W',
      }, 'templates/rules/services/slo.yaml'),
      '```',
      '',
    );
    if (slo.kind === SloKind.LATENCY) {
      lines.push(
        `The threshold must be a bucket boundary of \`${svc.durationMetric}\`: Prometheus 3 stores it as`,
        `\`le="${formatLe(slo.latencyThresholdSeconds)}"\`. Without such a bucket the ratio records nothing and these alerts`,
        `cannot fire: check that \`${svc.durationMetric}_bucket{${serviceSelector(svc)}, ${leMatcher(slo.latencyThresholdSeconds)}}\` returns series.`,
        '',
      );
    }
    lines.push(
      `Multiwindow, multi-burn-rate alerts ([${ServiceAlert.ERROR_BUDGET_BURN}](../../runbooks/${ServiceAlert.ERROR_BUDGET_BURN}.md),`,
      `label \`slo="${sloId(slo)}"\`): an alert fires when the ratio is above the threshold over both windows of a row.`,
      '',
      table(['Severity', 'Long window', 'Short window', 'Burn rate', 'Error-ratio threshold', 'Budget spent when it fires', 'Budget gone after'],
        burnRatePairs(slo).map((p) => [
          p.severity === 'critical' ? 'critical (page)' : 'warning (ticket)',
          p.long,
          p.short,
          `${short(p.factor)}×`,
          p.reachable ? percent(p.threshold) : `${percent(p.threshold)} (never: left out)`,
          percent(p.budgetConsumed),
          humanHours(windowHours / p.factor),
        ])),
      '',
    );
    if (slo.window !== '30d') {
      lines.push(`Burn rates are scaled from the SRE workbook's 30d table to ${slo.window}: each row keeps its share of the budget spent.`, '');
    }
  }
  return lines;
}

function instrumentationSection(o: ResolvedOptions, svc: ResolvedService): string[] {
  if (svc.language === undefined) return [];
  const go = svc.language === InstrumentationLanguage.GO;
  return [
    '## Traces: auto-instrumentation',
    '',
    `Opt the workload in with ${go ? 'these annotations' : 'this annotation'} on its **pod template** (\`spec.template.metadata.annotations\``,
    'of the Deployment, StatefulSet or DaemonSet), then restart it (`kubectl rollout restart`):',
    '',
    '```yaml',
    injectAnnotation(o, svc.language),
    ...(go ? ['instrumentation.opentelemetry.io/otel-go-auto-target-exe: "/path/to/the/binary"  # the executable inside the container'] : []),
    '```',
    '',
    `It names the Instrumentation \`${INSTRUMENTATION_NAME}\` in \`${o.traces.namespace}\`. See the repository README for what the SDK sends where${go ? '' : '.'}`,
    ...(go ? ['(and for the Go agent\'s privileged sidecar, which the `baseline` and `restricted` Pod Security Standards reject).'] : []),
    '',
  ];
}

/**
 * One documentation page per service, for `docs/services/<namespace>/<name>.md`:
 * what is scraped, the dashboard, the alerts and SLOs (with their burn-rate
 * tables), and the auto-instrumentation annotation when `language` is set.
 * `dashboard` gives the Grafana dashboard of a service when its builder knows
 * it (title, and uid for a link when Grafana has an ingress host).
 */
export function serviceDocs(
  o: ResolvedOptions,
  dashboard?: (svc: ResolvedService) => ServiceDashboardRef | undefined,
): Array<{ path: string; markdown: string }> {
  if (!o.metrics.enabled) return [];
  if (rulesEnabled(o)) serviceRuleGroups(o); // the same option checks as the rules, before any page is written
  return o.services.map((svc) => ({
    path: serviceDocPath(svc),
    markdown: [
      `# ${svc.name} (namespace ${svc.namespace})`,
      '',
      ...scrapedSection(o, svc),
      ...dashboardSection(o, svc, dashboard?.(svc)),
      ...alertsSection(o, svc),
      ...slosSection(o, svc),
      ...instrumentationSection(o, svc),
    ].join('\n').replace(/\n+$/, '\n'),
  }));
}
