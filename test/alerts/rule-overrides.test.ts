import { spawnSync } from 'child_process';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as YAML from 'yaml';
import { ObservabilityGitOpsProjectOptions, Severity } from '../../src';
import { allRuleGroups } from '../../src/model/alerts/index';
import { expectedAnnotations, renderRuleFile } from '../../src/model/alerts/render';
import { chartDefaultRules } from '../../src/model/alerts/rule-overrides';
import { Rule } from '../../src/model/alerts/types';
import { resolveOptions } from '../../src/options/resolve';
import { BASE, synthFiles } from '../util';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { helmBinary } = require('../../scripts/lib/helm-binary.cjs');

jest.setTimeout(180_000);

const REPO = 'https://github.com/acme/observability.git';

function groupsOf(options: Partial<ObservabilityGitOpsProjectOptions>) {
  return allRuleGroups(resolveOptions({ ...BASE, gitRepoUrl: REPO, ...options } as ObservabilityGitOpsProjectOptions));
}

function ruleOf(options: Partial<ObservabilityGitOpsProjectOptions>, alert: string): Rule | undefined {
  return groupsOf(options).flatMap((g) => g.rules).find((r) => r.alert === alert);
}

function errorOf(options: Partial<ObservabilityGitOpsProjectOptions>): string {
  try {
    groupsOf(options);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

/** Run promtool test rules on `rules` (one group) with `tests`; returns promtool's exit code and output. */
function promtoolTest(rules: Rule[], tests: unknown[]): { status: number; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'obs-overrides-'));
  writeFileSync(join(dir, 'r.rules.yaml'), YAML.stringify(renderRuleFile([{ name: 'g', rules, tests: [] }], 'r.rules.yaml')));
  writeFileSync(join(dir, 'r.test.yaml'), YAML.stringify({ rule_files: ['r.rules.yaml'], evaluation_interval: '1m', tests }));
  const r = spawnSync('promtool', ['test', 'rules', 'r.test.yaml'], { cwd: dir, encoding: 'utf8' });
  if (r.error) throw r.error;
  return { status: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
}

const POD = { cluster: 'c1', namespace: 'shop', pod: 'api-0', container: 'api' };
const sel = (labels: Record<string, string>) => Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(',');

/** An alert test: `alert` expected at each eval time with `labels`, or quiet (null). */
function alertTest(rule: Rule, series: Array<{ series: string; values: string }>, checks: Array<[string, Record<string, string> | null]>) {
  return {
    interval: '1m',
    input_series: series,
    alert_rule_test: checks.map(([at, labels]) => ({
      eval_time: at,
      alertname: rule.alert,
      exp_alerts: labels === null ? [] : [{ exp_labels: { ...labels, ...rule.labels }, exp_annotations: expectedAnnotations(rule, labels, 'test') }],
    })),
  };
}

describe('alerting.ruleOverrides on the stack\'s own rules', () => {
  test('a threshold, a for and a severity take effect (promtool)', () => {
    const byDefault = ruleOf({}, 'KubePodCrashLooping')!;
    const overridden = ruleOf({ alerting: { ruleOverrides: [{ alert: 'KubePodCrashLooping', threshold: 10, for: '30m', severity: Severity.CRITICAL }] } }, 'KubePodCrashLooping')!;
    expect(byDefault.expr).toMatch(/>= 3$/);
    expect(overridden.expr).toMatch(/>= 10$/);
    expect([byDefault.for, overridden.for]).toEqual(['15m', '30m']);
    expect([byDefault.labels!.severity, overridden.labels!.severity]).toEqual(['warning', 'critical']);
    // About 6 restarts per 15 minutes: above the default threshold (3), below the override (10).
    const restarts = [{ series: `kube_pod_container_status_restarts_total{${sel(POD)}}`, values: '0+0.4x120' }];
    expect(promtoolTest([byDefault], [alertTest(byDefault, restarts, [['40m', POD]])])).toMatchObject({ status: 0 });
    expect(promtoolTest([overridden], [alertTest(overridden, restarts, [['40m', null], ['100m', null]])])).toMatchObject({ status: 0 });
    // Waiting in CrashLoopBackOff: fires after 15m by default, after 30m with the override.
    const waiting = [{ series: `kube_pod_container_status_waiting_reason{${sel(POD)},reason="CrashLoopBackOff"}`, values: '1x120' }];
    expect(promtoolTest([byDefault], [alertTest(byDefault, waiting, [['20m', POD]])])).toMatchObject({ status: 0 });
    expect(promtoolTest([overridden], [alertTest(overridden, waiting, [['20m', null], ['29m', null], ['35m', POD]])])).toMatchObject({ status: 0 });
    // And the proof is not vacuous: the default rule fires where the override stays quiet.
    expect(promtoolTest([byDefault], [alertTest(byDefault, waiting, [['29m', null]])]).status).not.toBe(0);
  });

  test('the generated promtool tests follow the override (they derive their input from it)', () => {
    const group = groupsOf({ alerting: { ruleOverrides: [{ alert: 'KubePodCrashLooping', threshold: 50, for: '1h' }] } }).find((g) => g.name === 'workloads')!;
    const mine = group.tests.filter((t) => t.name!.startsWith('KubePodCrashLooping'));
    expect(mine.length).toBeGreaterThan(0);
    const dir = mkdtempSync(join(tmpdir(), 'obs-overrides-gen-'));
    writeFileSync(join(dir, 'w.rules.yaml'), YAML.stringify(renderRuleFile([group], 'w.rules.yaml')));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { renderTestFile } = require('../../src/model/alerts/render');
    writeFileSync(join(dir, 'w.test.yaml'), YAML.stringify(renderTestFile(group, 'w.rules.yaml', 'w.test.yaml', '30s')));
    const r = spawnSync('promtool', ['test', 'rules', 'w.test.yaml'], { cwd: dir, encoding: 'utf8' });
    expect({ status: r.status, out: r.stdout + r.stderr }).toMatchObject({ status: 0 });
  });

  test('disabled drops the alert, its tests and its runbook; the chart\'s alert of that name stays off', () => {
    const options = { alerting: { ruleOverrides: [{ alert: 'KubePodCrashLooping', disabled: true }] } };
    expect(ruleOf(options, 'KubePodCrashLooping')).toBeUndefined();
    const files = synthFiles(options);
    expect(Object.keys(files).filter((f) => f.includes('KubePodCrashLooping'))).toEqual([]);
    expect(YAML.stringify(files['tests/rules/workloads.test.yaml'])).not.toContain('KubePodCrashLooping');
    expect(files['values/kube-prometheus-stack.yaml'].defaultRules.disabled.KubePodCrashLooping).toBe(true);
  });

  test('a severity on a per-service alert; its for through ruleOverrides', () => {
    const services = [{ name: 'checkout', namespace: 'shop', port: 'http' }];
    const rule = ruleOf({ services, alerting: { ruleOverrides: [{ alert: 'ServiceHighLatency', severity: Severity.CRITICAL, for: '20m' }] } }, 'ServiceHighLatency')!;
    expect([rule.labels!.severity, rule.for]).toEqual(['critical', '20m']);
  });
});

describe('alerting.ruleOverrides on kube-prometheus-stack\'s default rules (the real chart, rendered with Helm)', () => {
  test('for and severity through customRules, disabled through defaultRules.disabled; the rendered rule honours them (promtool)', () => {
    const files = synthFiles({
      alerting: {
        ruleOverrides: [
          { alert: 'KubeJobFailed', for: '1h', severity: Severity.CRITICAL },
          { alert: 'CPUThrottlingHigh', disabled: true },
        ],
      },
    });
    const values = files['values/kube-prometheus-stack.yaml'];
    expect(values.customRules).toEqual({ KubeJobFailed: { for: '1h', severity: 'critical' } });
    expect(values.defaultRules.disabled.CPUThrottlingHigh).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'obs-overrides-helm-'));
    writeFileSync(join(dir, 'values.yaml'), YAML.stringify(values));
    const pkg = join(__dirname, '..', 'fixtures', 'chart-packages', 'kube-prometheus-stack-88.5.3.tgz');
    const helm = spawnSync(helmBinary(), ['template', 'kube-prometheus-stack', pkg, '-n', 'monitoring', '-f', join(dir, 'values.yaml')],
      { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    expect({ status: helm.status, err: helm.stderr }).toMatchObject({ status: 0 });
    const rules = YAML.parseAllDocuments(helm.stdout).map((d) => d.toJS()).filter((d) => d?.kind === 'PrometheusRule')
      .flatMap((d) => d.spec.groups.flatMap((g: any) => g.rules));
    expect(rules.filter((r: any) => r.alert === 'CPUThrottlingHigh')).toEqual([]);
    const job = rules.find((r: any) => r.alert === 'KubeJobFailed');
    expect([job.for, job.labels.severity]).toEqual(['1h', 'critical']);
    // Not pending-then-firing at the default 15m any more: quiet at 59m, firing after an hour.
    const labels = { job: 'kube-state-metrics', namespace: 'batch', job_name: 'nightly' };
    const rule: Rule = { alert: job.alert, expr: job.expr, for: job.for, labels: job.labels, annotations: job.annotations };
    const failing = [{ series: `kube_job_failed{${sel(labels)},condition="true"}`, values: '1x100' }];
    const exp = { ...labels, condition: 'true' };
    expect(promtoolTest([rule], [alertTest(rule, failing, [['30m', null], ['59m', null], ['62m', exp]])])).toMatchObject({ status: 0 });
  });

  test('the catalog is the pinned chart\'s 139 default alerts', () => {
    const c = chartDefaultRules();
    expect(c.size).toBe(139);
    expect(c.get('KubePodCrashLooping')).toEqual({ group: 'kubernetes-apps', for: '15m', severities: ['warning'] });
    expect(c.get('Watchdog')!.for).toBeNull();
  });
});

describe('alerting.ruleOverrides errors name the entry, the value and what is valid', () => {
  test.each<[string, unknown[], RegExp]>([
    ['an unknown alert', [{ alert: 'KubePodCrashloop', for: '5m' }], /"alerting\.ruleOverrides\[0\]\.alert": "KubePodCrashloop" names no alert .*did you mean "KubePodCrashLooping"/],
    ['a threshold on an alert without one', [{ alert: 'KubeJobFailed', threshold: 2 }], /"alerting\.ruleOverrides\[0\]\.threshold": 2 is set, but KubeJobFailed is a default rule of the kube-prometheus-stack chart/],
    ['a threshold outside the alert\'s range', [{ alert: 'KubePodCrashLooping', threshold: 1000 }], /"alerting\.ruleOverrides\[0\]\.threshold": 1000 is outside 1\.\.100/],
    ['a threshold on a per-service alert', [{ alert: 'ServiceHighErrorRate', threshold: 0.1 }], /"alerting\.ruleOverrides\[0\]\.threshold": 0\.1 does not apply: .*services\[\]\.errorRateThreshold/],
    ['a for the chart cannot change', [{ alert: 'Watchdog', for: '5m' }], /"alerting\.ruleOverrides\[0\]\.for": "5m" is set, but the chart's Watchdog has no `for`/],
    ['an entry that changes nothing', [{ alert: 'KubeJobFailed' }], /"alerting\.ruleOverrides\[0\]": .* changes nothing/],
    ['two entries for one alert', [{ alert: 'KubeJobFailed', for: '1h' }, { alert: 'KubeJobFailed', disabled: true }], /"alerting\.ruleOverrides\[1\]\.alert": "KubeJobFailed" is a duplicate/],
    ['an unknown severity', [{ alert: 'KubeJobFailed', severity: 'page' }], /"alerting\.ruleOverrides\[0\]\.severity": "page"/],
  ])('%s', (_name, ruleOverrides, expected) => {
    const services = [{ name: 'checkout', namespace: 'shop', port: 'http' }];
    expect(errorOf({ services, alerting: { ruleOverrides } } as any)).toMatch(expected);
  });

  test('a threshold on a pack alert that has none', () => {
    expect(errorOf({ alerting: { ruleOverrides: [{ alert: 'KubeDeploymentReplicasMismatch', threshold: 2 }] } }))
      .toMatch(/"alerting\.ruleOverrides\[0\]\.threshold": 2 is set, but alert KubeDeploymentReplicasMismatch has no threshold/);
  });
});
