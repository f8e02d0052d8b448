import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { PIPELINE_FEATURE_NAMES, pipelineFeatures } from './pipeline-features';
import { alertDisabled, forOverride, severityOverride, thresholdOverride } from './rule-overrides';
import { runbookUrl } from './runbooks';
import { PromtoolTest, Rule, RuleGroup, Runbook } from './types';
import { formatDuration, seriesAtInterval, widenFor, widenRanges } from './windows';
import { LogsBackend, MetricsFlavor, RulePack, TracesBackend } from '../../options/options';
import { ResolvedOptions } from '../../options/resolve';
import { packageRoot } from '../../package-root';
import { InvalidOptionError } from '../../validation/errors';
import { QueryLanguage, assertValidExpression } from '../../validation/expressions';
import { PROM_DURATION, promDurationMs } from '../../validation/option-checks';

/*
 * The library's rule packs (alerting.rulePacks): workloads, nodes and the
 * stack itself. Their content is data an SRE reviews, apart from this wiring
 * (the kube-prometheus mixins way):
 *
 *   templates/rules/<pack>.yaml     one rule group per pack: alerts and their promtool tests
 *   templates/runbooks/<Alert>.md   the runbook of each alert: meaning, checks, fixes
 *
 * Template format (templates/rules/<pack>.yaml):
 *
 *   group: workloads                  rule group name (DNS-1123; names the generated files)
 *   alerts:
 *     - alert: KubePodCrashLooping    alert name, unique across the stack
 *       severity: warning             critical | warning
 *       for: 15m                      default `for` (alerting.forDurations.<alert> overrides it)
 *       requires: [kubeStateMetrics]  features whose metrics the alert reads (see `packFeatures`);
 *                                     the alert is left out when one is off
 *       replaces: [KubePodCrashLooping]  kube-prometheus-stack default rules this alert supersedes
 *       threshold:                    optional; alerting.thresholds.<alert> overrides `default`
 *         default: 3
 *         min: 1                      overrides outside min..max are rejected: the range where the
 *         max: 100                    alert means something and its promtool tests hold
 *         unit: restarts within 15 minutes
 *       warmup: 15m                   how long a firing input needs before the expression holds
 *                                     (its longest range selector): tests evaluate at warmup + for
 *       expr: ...                     PromQL; aggregations keep `cluster`
 *       summary: ...                  annotations: text, `{{ $labels.<name> }}` and ${...} only
 *       description: ...
 *       tests:                        at least one firing and one quiet case
 *         - name: waiting in CrashLoopBackOff
 *           series:                   promtool input series, written for samples 1m apart: a
 *                                     test runs at metrics.scrapeInterval, and the increments
 *                                     of `a+bxn` are scaled to it (per-minute rates are kept)
 *             - series: 'kube_pod_container_status_waiting_reason{...}'
 *               values: '1x${samples}'
 *           fires:                    labels of every alert expected to fire (without severity,
 *             - {namespace: shop}     which is added); `fires: []` is a quiet case
 *
 * `${...}` placeholders (in expr, summary, description, test values and runbooks) are evaluated at
 * synth: `threshold` (the effective threshold), `for` (the effective `for`), `severity`, `samples`
 * (a series length that covers the test's evaluation time), numbers, + - * / and min(), max(),
 * ceil(), floor(). A test derives its input from `threshold`, so it still holds when a user
 * changes it. An unknown name is an error.
 *
 * Runbook templates (templates/runbooks/<Alert>.md) are the page's body: ## Meaning, ## Impact,
 * ## Check, ## Fix. Besides the alert's variables they may use `metricsNamespace`,
 * `logsNamespace`, `tracesNamespace`, `argocdNamespace`, `prometheusService`, `prometheusPort`,
 * `prometheusContainer`, `alertmanagerService`, `alertmanagerStatefulSet`; lines between
 * `<!-- if FEATURE -->` (or `<!-- if not FEATURE -->`) and `<!-- endif -->` are kept only when
 * the feature (see `packFeatures`) is on. Every ```promql and ```logql block is parsed. The
 * header (summary, severity, for, threshold, expression) is generated.
 *
 * Annotations carry no `{{ $value }}`: promtool (2.42) compares the annotations of every expected
 * alert, and a computed value cannot be predicted exactly; the threshold goes into the text instead.
 *
 * Each rendered test case becomes one promtool test at the configured interval (samples and rule
 * evaluations metrics.scrapeInterval apart): a firing case is checked quiet one interval before
 * `for` has passed (when `for` is at least one interval) and firing at warmup + `for`; a quiet
 * case is checked quiet at warmup + `for`.
 *
 * Ranges shorter than four scrape intervals are widened, and so is a non-zero `for` (windows.ts);
 * the warmup grows by as much as the longest range did.
 */


/** Files of the pack templates, relative to the package root. */
export function packTemplatePath(pack: RulePack): string {
  return `templates/rules/${pack}.yaml`;
}

/** File of an alert's runbook template, relative to the package root. */
export function runbookTemplatePath(alert: string): string {
  return `templates/runbooks/${alert}.md`;
}

/** The packs this file renders (GOLDEN_SIGNALS is per service: see services.ts). */
export const TEMPLATED_PACKS: readonly RulePack[] = [RulePack.WORKLOADS, RulePack.NODES, RulePack.STACK, RulePack.PIPELINES, RulePack.CLUSTER];

/** The names `requires` and runbook conditions may use (see `packFeatures`). */
const FEATURE_NAMES = [
  'kubePrometheusStack', 'standalone', 'kubeStateMetrics', 'nodeExporter', 'alertmanager',
  'loki', 'tempo', 'otelCollector', 'argocd', 'lokiLogs', 'elasticsearchLogs', ...PIPELINE_FEATURE_NAMES,
] as const;
type Feature = typeof FEATURE_NAMES[number];

/**
 * What the stack runs and scrapes, as the `requires` of an alert names it.
 * An alert is generated only when every metric it reads is collected: a
 * rule on a series nobody scrapes would never fire, and look as if it guarded.
 */
export function packFeatures(o: ResolvedOptions): Record<Feature, boolean> {
  const m = o.metrics;
  const kps = m.enabled && m.flavor === MetricsFlavor.KUBE_PROMETHEUS_STACK;
  const lokiRuns = o.logs.enabled && (o.logs.backend === LogsBackend.LOKI || o.logs.backend === LogsBackend.LOKI_STACK);
  return {
    kubePrometheusStack: kps,
    standalone: m.enabled && m.flavor === MetricsFlavor.STANDALONE,
    kubeStateMetrics: m.enabled && m.kubeStateMetrics,
    nodeExporter: m.enabled && m.nodeExporter,
    // The stack's own components are scraped in both flavors wherever they run: through
    // the ServiceMonitors of their charts (or of the OpenTelemetry operator) with
    // kube-prometheus-stack, through the equivalent jobs of prometheus.yml with the
    // standalone chart (standalone-stack-scrape.ts), with the same `job`, `namespace`
    // and `service` labels. Not per cluster role: the rule packs are the same in every
    // group of clusters, and in a distributed environment the central cluster, which
    // runs Loki and Tempo, scrapes them (on an edge cluster their alerts stay quiet).
    // Alertmanager: kube-prometheus-stack's, or the prometheus chart's subchart.
    alertmanager: m.alertmanager,
    loki: lokiRuns,
    tempo: o.traces.enabled && o.traces.backend === TracesBackend.TEMPO,
    // The gateway OpenTelemetryCollector (its monitoring Service).
    otelCollector: o.traces.enabled,
    // Argo CD's application controller, self-managed or not: scraped by its chart's
    // ServiceMonitor, by parts/argocd-metrics.ts, or by a standalone scrape job.
    argocd: m.enabled,
    // For runbooks: where the logs are.
    lokiLogs: lokiRuns,
    elasticsearchLogs: o.logs.enabled && o.logs.backend === LogsBackend.ELASTICSEARCH,
    // Log agents, storage backends, object storage (pipeline-features.ts).
    ...pipelineFeatures(o),
  };
}

/** An alert of a pack template, validated. */
export interface AlertTemplate {
  readonly alert: string;
  readonly severity: 'critical' | 'warning';
  readonly for: string;
  readonly requires: readonly string[];
  readonly replaces: readonly string[];
  readonly threshold?: { readonly default: number; readonly min: number; readonly max: number; readonly unit: string };
  readonly warmup: string;
  readonly expr: string;
  readonly summary: string;
  readonly description: string;
  readonly tests: ReadonlyArray<{
    readonly name: string;
    readonly series: ReadonlyArray<{ readonly series: string; readonly values: string }>;
    readonly fires: ReadonlyArray<Readonly<Record<string, string>>>;
  }>;
}

/** A pack template, validated. */
export interface PackTemplate {
  /** Path relative to the package root, for messages. */
  readonly file: string;
  readonly group: string;
  readonly alerts: readonly AlertTemplate[];
}

/** The rule groups of the enabled packs, with the effective thresholds and `for` durations. */
export function packRuleGroups(o: ResolvedOptions): RuleGroup[] {
  if (!o.metrics.enabled) return [];
  const groups: RuleGroup[] = [];
  for (const pack of TEMPLATED_PACKS) {
    if (!o.alerting.rulePacks.includes(pack)) continue;
    const group = renderPackGroup(loadPackTemplate(pack), o);
    if (group.rules.length > 0) groups.push(group);
  }
  return groups;
}

/** Runbooks of the packs' generated alerts. */
export function packRunbooks(o: ResolvedOptions): Runbook[] {
  if (!o.metrics.enabled) return [];
  const runbooks: Runbook[] = [];
  for (const pack of TEMPLATED_PACKS) {
    if (!o.alerting.rulePacks.includes(pack)) continue;
    const template = loadPackTemplate(pack);
    for (const alert of generatedAlerts(template, o)) {
      if (alertDisabled(o, alert.alert)) continue;
      runbooks.push({ alert: alert.alert, markdown: renderRunbook(template, alert, o) });
    }
  }
  return runbooks;
}

/** Every alert the pack templates define, with its pack, whether or not it is generated. */
export function packAlertCatalog(): Map<string, RulePack> {
  const catalog = new Map<string, RulePack>();
  for (const pack of TEMPLATED_PACKS) {
    for (const alert of loadPackTemplate(pack).alerts) catalog.set(alert.alert, pack);
  }
  return catalog;
}

/**
 * kube-prometheus-stack default rules (`defaultRules.disabled` keys) that the
 * generated pack alerts supersede: the same alert under the same name, or the
 * same symptom under another. Disabling them avoids two notifications for one
 * problem.
 */
export function kubePrometheusStackRulesReplaced(o: ResolvedOptions): string[] {
  if (!o.metrics.enabled) return [];
  const names = new Set<string>();
  for (const pack of TEMPLATED_PACKS) {
    if (!o.alerting.rulePacks.includes(pack)) continue;
    for (const alert of generatedAlerts(loadPackTemplate(pack), o)) alert.replaces.forEach((n) => names.add(n));
  }
  return [...names].sort();
}

/** The alerts of a template whose features are on. */
function generatedAlerts(template: PackTemplate, o: ResolvedOptions): AlertTemplate[] {
  const features = packFeatures(o);
  return template.alerts.filter((a) => a.requires.every((f) => features[f as Feature]));
}

/** One pack's rule group for these options. Exported for tests. */
export function renderPackGroup(template: PackTemplate, o: ResolvedOptions): RuleGroup {
  const rules: Rule[] = [];
  const tests: PromtoolTest[] = [];
  for (const alert of generatedAlerts(template, o)) {
    if (alertDisabled(o, alert.alert)) continue;
    const where = `${template.file}: group ${template.group}, alert ${alert.alert}`;
    const vars = alertVariables(alert, o, where);
    const expr = String(vars.expr);
    assertValidExpression('promql', expr, where);
    const severity = { severity: String(vars.severity) };
    rules.push({
      alert: alert.alert,
      expr,
      for: String(vars.for),
      labels: severity,
      annotations: {
        summary: substitutePlaceholders(alert.summary, vars, `${where}, summary`).trim(),
        description: substitutePlaceholders(alert.description, vars, `${where}, description`).trim(),
        runbook_url: runbookUrl(o, alert.alert),
      },
    });
    tests.push(...renderAlertTests(alert, vars, severity, o.metrics.scrapeInterval, where));
  }
  return { name: template.group, rules, tests };
}

/**
 * `threshold`, `for`, `expr` (ranges widened to the interval), `warmup` and `samples`
 * of an alert, with the user's overrides checked and applied.
 */
function alertVariables(alert: AlertTemplate, o: ResolvedOptions, where: string = alert.alert): Record<string, number | string> {
  const vars: Record<string, number | string> = {};
  const override = thresholdOverride(o, alert.alert);
  if (alert.threshold) {
    const { min, max, unit } = alert.threshold;
    if (override !== undefined && (override < min || override > max)) {
      throw new InvalidOptionError(`alerting.thresholds.${alert.alert}`, override,
        `is outside ${formatNumber(min)}..${formatNumber(max)}, the range of alert ${alert.alert}'s threshold (${unit})`);
    }
    vars.threshold = override ?? alert.threshold.default;
  } else if (override !== undefined) {
    throw new InvalidOptionError(`alerting.thresholds.${alert.alert}`, override,
      `is set, but alert ${alert.alert} has no threshold (change its \`for\` with alerting.forDurations.${alert.alert} instead)`);
  }
  const forDuration = forOverride(o, alert.alert) ?? widenFor(alert.for, o);
  vars.for = forDuration;
  vars.severity = severityOverride(o, alert.alert) ?? alert.severity;
  const widened = widenRanges(substitutePlaceholders(alert.expr, vars, `${where}, expr`).trim(), o.metrics.scrapeInterval);
  vars.expr = widened.expr;
  vars.warmup = formatDuration(promDurationMs(alert.warmup) + widened.addedMs);
  const stepMs = promDurationMs(o.metrics.scrapeInterval);
  const evalMs = firingEvalMs(String(vars.warmup), forDuration, stepMs);
  // Samples up to well past the evaluation time: a series ends (goes stale) after its last sample.
  vars.samples = evalMs / stepMs + 10;
  return vars;
}

/** When a firing case is checked: after the warmup and `for`, plus one interval, in whole intervals. */
function firingEvalMs(warmup: string, forDuration: string, stepMs: number): number {
  const ms = promDurationMs(warmup) + promDurationMs(forDuration) + stepMs;
  return Math.ceil(ms / stepMs) * stepMs;
}

function renderAlertTests(alert: AlertTemplate, vars: Record<string, number | string>,
  ruleLabels: Record<string, string>, interval: string, where: string): PromtoolTest[] {
  const stepMs = promDurationMs(interval);
  const forMs = promDurationMs(String(vars.for));
  const evalTime = formatDuration(firingEvalMs(String(vars.warmup), String(vars.for), stepMs));
  return alert.tests.map((test) => {
    const fires = test.fires.length > 0;
    const checks: NonNullable<PromtoolTest['alert_rule_test']>[number][] = [];
    if (fires && forMs >= stepMs) {
      // Pending, not firing, until `for` has passed (the alert is active at the earliest from 0).
      checks.push({
        eval_time: formatDuration(Math.floor((forMs - stepMs) / stepMs) * stepMs),
        alertname: alert.alert,
        exp_alerts: [],
      });
    }
    checks.push({
      eval_time: evalTime,
      alertname: alert.alert,
      exp_alerts: test.fires.map((labels) => ({ exp_labels: { ...labels, ...ruleLabels } })),
    });
    return {
      name: `${alert.alert}: ${test.name}`,
      interval,
      input_series: test.series.map((s, i) => ({
        series: s.series,
        values: seriesAtInterval(substitutePlaceholders(s.values, vars, `${where}, test "${test.name}", series ${i + 1}`), stepMs),
      })),
      alert_rule_test: checks,
    };
  });
}

/** The runbook page: a generated header (severity, `for`, threshold, expression) and the template's body. */
function renderRunbook(template: PackTemplate, alert: AlertTemplate, o: ResolvedOptions): string {
  const file = runbookTemplatePath(alert.alert);
  const vars = { ...alertVariables(alert, o), ...runbookVariables(o) };
  const group = renderPackGroup({ ...template, alerts: [alert] }, o);
  const rule = group.rules[0];
  const source = readTemplateFile(file);
  const body = substitutePlaceholders(applyConditions(source, packFeatures(o), file), vars, file).trim();
  const threshold = alert.threshold
    ? `${formatNumber(Number(vars.threshold))} (${alert.threshold.unit}; \`alerting.thresholds.${alert.alert}\`, ${formatNumber(alert.threshold.min)}..${formatNumber(alert.threshold.max)})`
    : 'none';
  const markdown = [
    `# ${alert.alert}`,
    '',
    // The summary with its labels as the <placeholders> the runbook's commands use.
    rule.annotations!.summary.replace(/\{\{\s*\$labels\.(\w+)\s*\}\}/g, '<$1>'),
    '',
    '| | |',
    '| --- | --- |',
    `| Severity | \`${String(vars.severity)}\` |`,
    `| For | \`${String(vars.for)}\` (\`alerting.forDurations.${alert.alert}\`) |`,
    `| Threshold | ${threshold} |`,
    `| Rule group | \`${template.group}\` (rule pack \`${packOf(template)}\`) |`,
    '',
    'Expression:',
    '',
    '```promql',
    rule.expr,
    '```',
    '',
    body,
    '',
  ].join('\n');
  assertRunbookQueries(markdown, file);
  return markdown;
}

function packOf(template: PackTemplate): string {
  return TEMPLATED_PACKS.find((p) => packTemplatePath(p) === template.file) ?? template.group;
}

/** Names runbooks use for the stack's namespaces and services. */
function runbookVariables(o: ResolvedOptions): Record<string, string | number> {
  const kps = o.metrics.flavor === MetricsFlavor.KUBE_PROMETHEUS_STACK;
  return {
    metricsNamespace: o.metrics.namespace,
    logsNamespace: o.logs.namespace,
    tracesNamespace: o.traces.namespace,
    argocdNamespace: o.argocd.namespace,
    // Service names follow from releaseName = chart name (see src/model/endpoints.ts).
    prometheusService: kps ? 'kube-prometheus-stack-prometheus' : 'prometheus-server',
    prometheusPort: kps ? 9090 : 80,
    prometheusContainer: kps ? 'prometheus' : 'prometheus-server',
    alertmanagerService: kps ? 'kube-prometheus-stack-alertmanager' : 'prometheus-alertmanager',
    // prometheus-operator names the StatefulSet alertmanager-<Alertmanager resource>.
    alertmanagerStatefulSet: kps ? 'alertmanager-kube-prometheus-stack-alertmanager' : 'prometheus-alertmanager',
  };
}

/**
 * Every ```promql and ```logql block of a runbook parses: an SRE copies them
 * into Grafana during an incident.
 */
function assertRunbookQueries(markdown: string, file: string): void {
  const fence = /^```(promql|logql)\n([\s\S]*?)^```$/gm;
  let n = 0;
  for (const m of markdown.matchAll(fence)) {
    n++;
    assertValidExpression(m[1] as QueryLanguage, m[2].trim(), `${file}: ${m[1]} block ${n}`);
  }
}

/**
 * Runbook sections that only apply to some stacks, between lines
 * `<!-- if FEATURE -->` (or `<!-- if not FEATURE -->`) and `<!-- endif -->`.
 */
export function applyConditions(markdown: string, features: Record<string, boolean>, file: string): string {
  const out: string[] = [];
  let keep: boolean | undefined;
  markdown.split('\n').forEach((line, i) => {
    const open = /^<!--\s*if\s+(not\s+)?([A-Za-z]+)\s*-->$/.exec(line.trim());
    if (open) {
      if (keep !== undefined) throw new Error(`${file}:${i + 1}: nested <!-- if --> blocks are not supported`);
      if (!(open[2] in features)) throw new Error(`${file}:${i + 1}: unknown feature "${open[2]}" (known: ${Object.keys(features).join(', ')})`);
      keep = open[1] ? !features[open[2]] : features[open[2]];
      return;
    }
    if (/^<!--\s*endif\s*-->$/.test(line.trim())) {
      if (keep === undefined) throw new Error(`${file}:${i + 1}: <!-- endif --> without <!-- if -->`);
      keep = undefined;
      return;
    }
    if (keep !== false) out.push(line);
  });
  if (keep !== undefined) throw new Error(`${file}: <!-- if --> block not closed with <!-- endif -->`);
  return out.join('\n');
}

// ---------------------------------------------------------------------------
// ${...} placeholders: a tiny arithmetic language (no eval).

type Value = number | string;

/** Replace every `${...}` of `text` with its value. Unknown names and bad syntax throw, naming `where`. */
export function substitutePlaceholders(text: string, vars: Readonly<Record<string, Value>>, where: string): string {
  return text.replace(/\$\{([^}]*)\}/g, (_, body: string) => {
    const v = evaluatePlaceholder(body, vars, where);
    return typeof v === 'number' ? formatNumber(v) : v;
  });
}

const FUNCTIONS: Record<string, (args: number[]) => number> = {
  min: (a) => Math.min(...a),
  max: (a) => Math.max(...a),
  ceil: (a) => Math.ceil(a[0]),
  floor: (a) => Math.floor(a[0]),
};

function evaluatePlaceholder(body: string, vars: Readonly<Record<string, Value>>, where: string): Value {
  const fail = (msg: string): never => {
    throw new Error(`${where}: placeholder \${${body}}: ${msg}`);
  };
  const tokens = body.match(/\d+(\.\d+)?|[A-Za-z_]\w*|[-+*/(),]|\S/g) ?? [];
  let pos = 0;
  const peek = () => tokens[pos];
  const take = (expected?: string) => {
    const t = tokens[pos++];
    if (t === undefined || (expected !== undefined && t !== expected)) fail(`expected ${expected ?? 'a value'}, got ${t ?? 'the end'}`);
    return t;
  };
  const num = (v: Value, name: string): number => (typeof v === 'number' ? v : fail(`${name} is not a number (${JSON.stringify(v)})`));
  const primary = (): Value => {
    const t = take();
    if (/^\d/.test(t)) return Number(t);
    if (t === '(') {
      const v = sum();
      take(')');
      return v;
    }
    if (t === '-') return -num(primary(), 'operand of -');
    if (/^[A-Za-z_]/.test(t)) {
      if (peek() === '(') {
        const fn = FUNCTIONS[t] ?? fail(`unknown function ${t} (known: ${Object.keys(FUNCTIONS).join(', ')})`);
        take('(');
        const args = [num(sum(), `argument of ${t}`)];
        while (peek() === ',') {
          take(',');
          args.push(num(sum(), `argument of ${t}`));
        }
        take(')');
        return fn(args);
      }
      if (!(t in vars)) fail(`unknown name ${t} (known here: ${Object.keys(vars).join(', ')})`);
      return vars[t];
    }
    return fail(`unexpected ${t}`);
  };
  const product = (): Value => {
    let v = primary();
    while (peek() === '*' || peek() === '/') {
      const op = take();
      const r = num(primary(), `operand of ${op}`);
      v = op === '*' ? num(v, 'operand of *') * r : num(v, 'operand of /') / r;
    }
    return v;
  };
  const sum = (): Value => {
    let v = product();
    while (peek() === '+' || peek() === '-') {
      const op = take();
      const r = num(product(), `operand of ${op}`);
      v = op === '+' ? num(v, 'operand of +') + r : num(v, 'operand of -') - r;
    }
    return v;
  };
  const result = sum();
  if (pos !== tokens.length) fail(`unexpected ${tokens[pos]}`);
  if (typeof result === 'number' && !Number.isFinite(result)) fail('is not a finite number');
  return result;
}

/** A number as PromQL and promtool read it, without float noise (0.1 * 100 is 10, not 10.000000000000002). */
export function formatNumber(n: number): string {
  return String(Number(n.toPrecision(12)));
}

// ---------------------------------------------------------------------------
// Template files.

const cache = new Map<string, PackTemplate>();

/** The pack's template, read and validated once. */
export function loadPackTemplate(pack: RulePack): PackTemplate {
  const file = packTemplatePath(pack);
  let template = cache.get(file);
  if (!template) {
    template = parsePackTemplate(readTemplateFile(file), file);
    cache.set(file, template);
  }
  return template;
}

/** Parse and validate a pack template's YAML. Exported for tests. */
export function parsePackTemplate(text: string, file: string): PackTemplate {
  const doc = YAML.parse(text) as unknown;
  const top = record(doc, file, ['group', 'alerts']);
  const group = str(top.group, `${file}: group`);
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(group)) throw new Error(`${file}: group "${group}" is not a DNS-1123 label`);
  if (!Array.isArray(top.alerts) || top.alerts.length === 0) throw new Error(`${file}: alerts must be a non-empty list`);
  const alerts = top.alerts.map((raw, i) => parseAlert(raw, `${file}: alerts[${i}]`));
  alerts.forEach((a, i) => {
    if (alerts.findIndex((b) => b.alert === a.alert) !== i) throw new Error(`${file}: alert ${a.alert} is defined twice`);
  });
  return { file, group, alerts };
}

const ALERT_FIELDS = ['alert', 'severity', 'for', 'requires', 'replaces', 'threshold', 'warmup', 'expr', 'summary', 'description', 'tests'];

function parseAlert(raw: unknown, at: string): AlertTemplate {
  const a = record(raw, at, ALERT_FIELDS);
  const alert = str(a.alert, `${at}.alert`);
  if (!/^[A-Z][A-Za-z0-9]*$/.test(alert)) throw new Error(`${at}: alert name "${alert}" is not UpperCamelCase`);
  const where = at.replace(/alerts\[\d+\]$/, `alert ${alert}`);
  for (const required of ['severity', 'for', 'warmup', 'expr', 'summary', 'description', 'tests']) {
    if (a[required] === undefined) throw new Error(`${where}: ${required} is required`);
  }
  const severity = str(a.severity, `${where}.severity`);
  if (severity !== 'critical' && severity !== 'warning') throw new Error(`${where}: severity must be critical or warning, not "${severity}"`);
  const duration = (v: unknown, name: string) => {
    const s = str(v, `${where}.${name}`);
    if (!PROM_DURATION.test(s)) throw new Error(`${where}: ${name} "${s}" is not a Prometheus duration`);
    return s;
  };
  const list = (v: unknown, name: string): string[] => {
    if (v === undefined) return [];
    if (!Array.isArray(v)) throw new Error(`${where}: ${name} must be a list`);
    return v.map((x, i) => str(x, `${where}.${name}[${i}]`));
  };
  const requires = list(a.requires, 'requires');
  for (const f of requires) {
    if (!(FEATURE_NAMES as readonly string[]).includes(f)) throw new Error(`${where}: requires names an unknown feature "${f}" (known: ${FEATURE_NAMES.join(', ')})`);
  }
  let threshold: AlertTemplate['threshold'];
  if (a.threshold !== undefined) {
    const t = record(a.threshold, `${where}.threshold`, ['default', 'min', 'max', 'unit']);
    const n = (v: unknown, name: string) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${where}: threshold.${name} must be a number`);
      return v;
    };
    threshold = { default: n(t.default, 'default'), min: n(t.min, 'min'), max: n(t.max, 'max'), unit: str(t.unit, `${where}.threshold.unit`) };
    if (!(threshold.min <= threshold.default && threshold.default <= threshold.max)) {
      throw new Error(`${where}: threshold.default ${threshold.default} is outside ${threshold.min}..${threshold.max}`);
    }
  }
  for (const field of ['summary', 'description']) assertLabelsOnlyTemplate(str(a[field], `${where}.${field}`), `${where}.${field}`);
  if (!Array.isArray(a.tests)) throw new Error(`${where}: tests must be a list`);
  const tests = a.tests.map((rawTest, i) => {
    const t = record(rawTest, `${where}.tests[${i}]`, ['name', 'series', 'fires']);
    const name = str(t.name, `${where}.tests[${i}].name`);
    if (!Array.isArray(t.series) || t.series.length === 0) throw new Error(`${where}: test "${name}": series must be a non-empty list`);
    if (!Array.isArray(t.fires)) throw new Error(`${where}: test "${name}": fires must be a list (empty for a quiet case)`);
    return {
      name,
      series: t.series.map((s, j) => {
        const so = record(s, `${where}: test "${name}" series[${j}]`, ['series', 'values']);
        return { series: str(so.series, `${where}: test "${name}" series[${j}].series`), values: str(String(so.values ?? ''), `${where}: test "${name}" series[${j}].values`) };
      }),
      fires: t.fires.map((f, j) => {
        const labels = record(f, `${where}: test "${name}" fires[${j}]`, undefined);
        return Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, String(v)]));
      }),
    };
  });
  if (!tests.some((t) => t.fires.length > 0) || !tests.some((t) => t.fires.length === 0)) {
    throw new Error(`${where}: tests need at least one firing case and one quiet case (fires: [])`);
  }
  return {
    alert,
    severity,
    for: duration(a.for, 'for'),
    requires,
    replaces: list(a.replaces, 'replaces'),
    threshold,
    warmup: duration(a.warmup, 'warmup'),
    expr: str(a.expr, `${where}.expr`),
    summary: str(a.summary, `${where}.summary`),
    description: str(a.description, `${where}.description`),
    tests,
  };
}

/** Annotation text may only use `{{ $labels.<name> }}` (see the module comment). */
function assertLabelsOnlyTemplate(text: string, where: string): void {
  const rest = text.replace(/\{\{\s*\$labels\.[A-Za-z_][A-Za-z0-9_]*\s*\}\}/g, '');
  if (rest.includes('{{') || rest.includes('}}')) {
    throw new Error(`${where}: annotations may only use {{ $labels.<name> }} (promtool compares annotations exactly; put the threshold in with \${threshold})`);
  }
}

function record(v: unknown, at: string, fields: string[] | undefined): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`${at}: must be a mapping`);
  if (fields) {
    for (const k of Object.keys(v)) {
      if (!fields.includes(k)) throw new Error(`${at}: unknown field "${k}" (fields: ${fields.join(', ')})`);
    }
  }
  return v as Record<string, unknown>;
}

function str(v: unknown, at: string): string {
  if (typeof v !== 'string' || v.trim() === '') throw new Error(`${at}: must be a non-empty string`);
  return v;
}

/** A template file's text, by path relative to the package root. */
function readTemplateFile(file: string): string {
  const full = path.join(packageRoot(), file);
  if (!fs.existsSync(full)) throw new Error(`obs-gitops-template: template ${file} is missing from the package`);
  return fs.readFileSync(full, 'utf8');
}
