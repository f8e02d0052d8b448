import { CUSTOM_GROUP } from './custom';
import { packAlertCatalog } from './packs';
import { PromtoolTest, Rule, RuleGroup } from './types';
import { ResolvedOptions } from '../../options/resolve';
import { InvalidOptionError, didYouMeanHint } from '../../validation/errors';
import { assertValidExpression } from '../../validation/expressions';
import { KubeObject } from '../stack';

/*
 * Pure renderers of the rules model (RuleGroup[]) into what Prometheus reads:
 * a promtool / Prometheus rule file, a promtool unit-test file, and a
 * prometheus-operator PrometheusRule. Each one parses every expression first
 * and names the file, the group and the rule of a bad one.
 *
 * Rules carry no `cluster` label of their own: Prometheus adds its external
 * labels (`cluster`, set per cluster in the metrics part's values) to every
 * alert it sends, and expressions that aggregate keep `cluster` in their
 * `by (...)`, so the same rules work in one Prometheus per cluster and in a
 * central Prometheus that receives several clusters' series.
 */

/** `<file>: group <g>, alert <name>` (or `record <name>`): where a rule is, for messages. */
export function ruleLocation(file: string, group: string, rule: Rule): string {
  return `${file}: group ${group}, ${rule.alert !== undefined ? `alert ${rule.alert}` : `record ${rule.record}`}`;
}

/**
 * Check the groups before anything is written: every rule is an alert or a
 * recording rule (not both), and every expression parses.
 */
export function assertValidRuleGroups(groups: readonly RuleGroup[], file: string): void {
  const names = new Set<string>();
  for (const group of groups) {
    if (names.has(group.name)) throw new Error(`${file}: rule group ${group.name} is defined twice`);
    names.add(group.name);
    if (group.rules.length === 0) throw new Error(`${file}: rule group ${group.name} has no rules`);
    for (const rule of group.rules) {
      if ((rule.alert === undefined) === (rule.record === undefined)) {
        throw new Error(`${file}: group ${group.name}: a rule needs exactly one of alert and record (expr: ${rule.expr})`);
      }
      assertValidExpression('promql', rule.expr, ruleLocation(file, group.name, rule));
    }
  }
}

/** A rule as Prometheus reads it (keys in the conventional order, empty fields left out). */
function ruleObject(rule: Rule): Record<string, unknown> {
  return {
    ...(rule.alert !== undefined ? { alert: rule.alert } : { record: rule.record }),
    expr: rule.expr,
    ...(rule.for !== undefined ? { for: rule.for } : {}),
    ...(rule.labels && Object.keys(rule.labels).length > 0 ? { labels: { ...rule.labels } } : {}),
    ...(rule.annotations && Object.keys(rule.annotations).length > 0 ? { annotations: { ...rule.annotations } } : {}),
  };
}

function groupObject(group: RuleGroup): Record<string, unknown> {
  return {
    name: group.name,
    ...(group.interval !== undefined ? { interval: group.interval } : {}),
    rules: group.rules.map(ruleObject),
  };
}

/** A Prometheus rule file (`promtool check rules`, `rule_files:`): `{ groups: [...] }`. */
export function renderRuleFile(groups: readonly RuleGroup[], file: string): Record<string, unknown> {
  assertValidRuleGroups(groups, file);
  return { groups: groups.map(groupObject) };
}

/**
 * A promtool unit-test file for one group: loads `ruleFile` (a path relative
 * to the test file) and runs the group's tests, evaluating the rules every
 * `evaluationInterval` (Prometheus' own: metrics.scrapeInterval).
 *
 * promtool (2.42) compares the annotations of every expected alert exactly,
 * so an expected alert without `exp_annotations` gets the rule's annotations
 * expanded with its labels (see `expectedAnnotations`).
 */
export function renderTestFile(group: RuleGroup, ruleFile: string, file: string, evaluationInterval: string): Record<string, unknown> {
  const alerts = new Map(group.rules.filter((r) => r.alert !== undefined).map((r) => [r.alert!, r]));
  const tests = group.tests.map((test, i) => renderTest(test, alerts, `${file}: group ${group.name}, test ${test.name ?? i + 1}`));
  return {
    rule_files: [ruleFile],
    evaluation_interval: evaluationInterval,
    tests,
  };
}

function renderTest(test: PromtoolTest, alerts: Map<string, Rule>, where: string): Record<string, unknown> {
  for (const t of test.promql_expr_test ?? []) assertValidExpression('promql', t.expr, `${where}, promql_expr_test`);
  return {
    ...(test.name !== undefined ? { name: test.name } : {}),
    interval: test.interval,
    input_series: test.input_series.map((s) => ({ series: s.series, values: s.values })),
    ...(test.alert_rule_test ? {
      alert_rule_test: test.alert_rule_test.map((t) => {
        const rule = alerts.get(t.alertname);
        if (!rule) throw new Error(`${where}: alert_rule_test names alert ${t.alertname}, which the group does not define`);
        return {
          eval_time: t.eval_time,
          alertname: t.alertname,
          exp_alerts: t.exp_alerts.map((a) => {
            const labels = a.exp_labels ?? {};
            return {
              exp_labels: labels,
              exp_annotations: a.exp_annotations ?? expectedAnnotations(rule, labels, `${where}, alert ${t.alertname}`),
            };
          }),
        };
      }),
    } : {}),
    ...(test.promql_expr_test ? { promql_expr_test: test.promql_expr_test } : {}),
  };
}

/**
 * The annotations of `rule` as Prometheus expands them for an alert with
 * `labels`: `{{ $labels.<name> }}` becomes the label's value (empty when the
 * series has no such label; the rule's own labels, such as severity, are not
 * in `$labels`). Any other template action cannot be predicted here and
 * throws: give the test explicit `exp_annotations` then.
 */
export function expectedAnnotations(rule: Rule, labels: Readonly<Record<string, string>>, where: string): Record<string, string> {
  const seriesLabels = { ...labels };
  for (const k of Object.keys(rule.labels ?? {})) delete seriesLabels[k];
  const out: Record<string, string> = {};
  for (const [key, text] of Object.entries(rule.annotations ?? {})) {
    const expanded = text.replace(/\{\{\s*\$labels\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (_, name: string) => seriesLabels[name] ?? '');
    if (expanded.includes('{{')) {
      throw new Error(`${where}: annotation ${key} uses a template other than {{ $labels.<name> }}; the test needs explicit exp_annotations`);
    }
    out[key] = expanded;
  }
  return out;
}

/** What a PrometheusRule is named and labelled. */
export interface PrometheusRuleMeta {
  readonly name: string;
  readonly namespace: string;
  readonly labels?: Readonly<Record<string, string>>;
}

/** A `monitoring.coreos.com/v1` PrometheusRule holding `groups`. */
export function renderPrometheusRule(groups: readonly RuleGroup[], meta: PrometheusRuleMeta, file: string): KubeObject {
  assertValidRuleGroups(groups, file);
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: {
      name: meta.name,
      namespace: meta.namespace,
      ...(meta.labels ? { labels: { ...meta.labels } } : {}),
    },
    spec: { groups: groups.map(groupObject) },
  };
}

/**
 * Every key of `alerting.thresholds` and `alerting.forDurations` must name an
 * alert of `groups` (all of them: packs, per-service rules, custom rules).
 * Call it once the groups are assembled.
 */
export function checkAlertOverrides(o: ResolvedOptions, groups: readonly RuleGroup[]): void {
  const rules = new Map(groups.flatMap((g) => g.rules.flatMap((r) =>
    (r.alert !== undefined ? [[r.alert, { group: g.name, rule: r }] as const] : []))));
  const known = new Set(rules.keys());
  const catalog = packAlertCatalog();
  const overrides: Array<[string, Readonly<Record<string, unknown>>]> = [
    ['alerting.thresholds', o.alerting.thresholds],
    ['alerting.forDurations', o.alerting.forDurations],
  ];
  for (const [option, map] of overrides) {
    for (const [alert, value] of Object.entries(map)) {
      const found = rules.get(alert);
      if (found && option === 'alerting.thresholds' && found.group === CUSTOM_GROUP) {
        throw new InvalidOptionError(`${option}.${alert}`, value,
          'names one of alerting.customRules: a custom rule has no threshold of its own, write it into its expr');
      }
      if (found && option === 'alerting.forDurations' && found.rule.for !== value) {
        // Whoever builds the group did not apply the override: say so rather than ignore it.
        throw new InvalidOptionError(`${option}.${alert}`, value,
          `names alert ${alert} of rule group "${found.group}", which does not take its \`for\` from alerting.forDurations` +
          (found.group === CUSTOM_GROUP ? ' (set `for` on the custom rule itself)' : ''));
      }
      if (known.has(alert)) continue;
      const pack = catalog.get(alert);
      const why = pack !== undefined
        ? `names alert ${alert} of rule pack "${pack}", which this configuration does not generate ` +
          '(rule pack not in alerting.rulePacks, or the component whose metrics it reads is off)'
        : `names no generated alert${didYouMeanHint(alert, new Set([...known, ...catalog.keys()]))}`;
      throw new InvalidOptionError(`${option}.${alert}`, value, why);
    }
  }
}
