import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Testing } from 'projen';
import * as YAML from 'yaml';
import { LogsBackend, MetricsFlavor, ObservabilityGitOpsProject, RulePack, TracesBackend } from '../../src';
import { AlertRulesFiles } from '../../src/components/alert-rules-files';
import { allRuleGroups } from '../../src/model/alerts/index';
import {
  TEMPLATED_PACKS, applyConditions, formatNumber, kubePrometheusStackRulesReplaced, loadPackTemplate,
  packRuleGroups, packRunbooks, parsePackTemplate, renderPackGroup, substitutePlaceholders,
} from '../../src/model/alerts/packs';
import {
  checkAlertOverrides, expectedAnnotations, renderPrometheusRule, renderRuleFile, renderTestFile,
} from '../../src/model/alerts/render';
import { prometheusServerFiles } from '../../src/model/alerts/standalone';
import { RuleGroup } from '../../src/model/alerts/types';
import { formatDuration } from '../../src/model/alerts/windows';
import { buildStackModel } from '../../src/model/build';
import { alertRuleManifests, alertRules } from '../../src/model/parts/alert-rules';
import { resolveOptions } from '../../src/options/resolve';
import { validateAgainstCrd } from '../../src/validation/crd-schema';
import { InvalidOptionError } from '../../src/validation/errors';
import { ExpressionError } from '../../src/validation/expressions';
import { BASE } from '../util';

// Until src/model/parts/index.ts lists the alert-rules part, add it here (a no-op once it does).
jest.mock('../../src/model/parts/index', () => {
  const actual = jest.requireActual('../../src/model/parts/index');
  const { alertRules: part } = jest.requireActual('../../src/model/parts/alert-rules');
  const wired = actual.PART_DEFINITIONS.some((p: { name: string }) => p.name === 'alert-rules');
  return { ...actual, PART_DEFINITIONS: wired ? actual.PART_DEFINITIONS : [...actual.PART_DEFINITIONS, part] };
});

const REPO = 'https://github.com/acme/observability.git';
const RULES_DIR = 'manifests/in-cluster/alert-rules';

function resolved(options: Record<string, unknown> = {}) {
  return resolveOptions({ ...BASE, gitRepoUrl: REPO, ...options } as any);
}

/** Synthesize with the rules files (adding the component unless src/project.ts already does). */
function synth(options: Record<string, unknown> = {}): Record<string, any> {
  const all = { ...BASE, gitRepoUrl: REPO, ...options };
  const project = new ObservabilityGitOpsProject({ ...all, outdir: mkdtempSync(join(tmpdir(), 'obs-alerts-')) } as any);
  if (!project.components.some((c) => c instanceof AlertRulesFiles)) {
    new AlertRulesFiles(project, buildStackModel(resolveOptions(all as any)));
  }
  const out = Testing.synth(project);
  const parsed: Record<string, any> = {};
  for (const [file, content] of Object.entries(out)) {
    parsed[file] = file.endsWith('.yaml') && typeof content === 'string' ? YAML.parse(content) : content;
  }
  return parsed;
}

const alertNames = (groups: readonly RuleGroup[]) => groups.flatMap((g) => g.rules.map((r) => r.alert));
const ruleOf = (groups: readonly RuleGroup[], alert: string) => groups.flatMap((g) => g.rules).find((r) => r.alert === alert)!;

const WORKLOADS = ['KubePodCrashLooping', 'KubeContainerOOMKilled', 'KubePodNotReady', 'KubeDeploymentReplicasMismatch',
  'KubeStatefulSetReplicasMismatch', 'KubeContainerMemoryNearLimit'];
const NODES = ['NodeFilesystemRunningOut', 'NodeFilesystemNearlyFull', 'NodeMemoryPressure', 'NodeCPUPressure', 'KubeNodeNotReady'];

describe('rule packs: defaults (kube-prometheus-stack, Loki, Tempo, Argo CD not self-managed)', () => {
  const o = resolved();
  const groups = packRuleGroups(o);

  test('one group per pack, with the alerts whose metrics are scraped', () => {
    expect(groups.map((g) => g.name)).toEqual(['workloads', 'nodes', 'stack', 'pipelines']);
    expect(alertNames(groups.slice(0, 1))).toEqual(WORKLOADS);
    expect(alertNames(groups.slice(1, 2))).toEqual(NODES);
    expect(alertNames(groups.slice(2, 3))).toEqual(['PrometheusRuleEvaluationFailures', 'PrometheusTargetsDown',
      'AlertmanagerNotificationsFailing', 'LokiRequestErrors', 'LokiDroppingData', 'TempoDroppingData', 'OtelCollectorDroppingData',
      'ArgoCdAppOutOfSync', 'ArgoCdAppDegraded']);
    // Alloy (the default collector), Loki on a volume, Tempo 2: no object storage, no Kafka.
    expect(alertNames(groups.slice(3))).toEqual(['AlloyLogsPushFailing', 'LokiCompactorNotRunning', 'TempoBlocklistPollsFailing',
      'TempoCompactionsFailing']);
  });

  test('every alert: for, severity, summary, description and the runbook in this repository', () => {
    for (const rule of groups.flatMap((g) => g.rules)) {
      expect(rule.for).toMatch(/^(\d+[smh])+$/);
      expect(['critical', 'warning']).toContain(rule.labels?.severity);
      expect(rule.annotations?.summary).toBeTruthy();
      expect(rule.annotations?.description).toBeTruthy();
      expect(rule.annotations?.description).not.toContain('${');
      expect(rule.annotations?.runbook_url).toBe(`https://github.com/acme/observability/blob/main/docs/runbooks/${rule.alert}.md`);
    }
  });

  test('every aggregation keeps the cluster label (one Prometheus per cluster or a central one)', () => {
    for (const rule of groups.flatMap((g) => g.rules)) {
      for (const [, labels] of rule.expr.matchAll(/\b(?:by|on)\s*\(([^)]*)\)/g)) {
        expect({ alert: rule.alert, labels: labels.split(',').map((l) => l.trim()) }).toEqual({
          alert: rule.alert, labels: expect.arrayContaining(['cluster']),
        });
      }
    }
  });

  test('thresholds and for come from the templates', () => {
    const memory = ruleOf(groups, 'KubeContainerMemoryNearLimit');
    expect(memory.expr).toMatch(/\) *\n> 0\.9$/);
    expect(memory.for).toBe('15m');
    expect(memory.annotations?.description).toContain('more than 90% of its memory limit for 15m');
    expect(ruleOf(groups, 'NodeFilesystemRunningOut').expr).toContain('< 0.1');
  });

  test('every alert has a firing test (checked quiet before for) and a quiet test', () => {
    for (const group of groups) {
      for (const alert of alertNames([group])) {
        const checks = group.tests.flatMap((t) => t.alert_rule_test ?? []).filter((c) => c.alertname === alert);
        expect(checks.some((c) => c.exp_alerts.length > 0)).toBe(true);
        expect(checks.some((c) => c.exp_alerts.length === 0)).toBe(true);
      }
    }
    const crash = groups[0].tests.find((t) => t.name === 'KubePodCrashLooping: restarts above the threshold')!;
    // At metrics.scrapeInterval (30s by default): (3 + 1) / 10 restarts a minute, 0.2 a sample;
    // warmup 15m + for 15m + 30s, 61 samples; 10 more samples.
    expect(crash.interval).toBe('30s');
    expect(crash.input_series[0].values).toBe('0+0.2x71');
    expect(crash.alert_rule_test).toEqual([
      { eval_time: '14m30s', alertname: 'KubePodCrashLooping', exp_alerts: [] },
      {
        eval_time: '30m30s',
        alertname: 'KubePodCrashLooping',
        exp_alerts: [{ exp_labels: { cluster: 'c1', namespace: 'shop', pod: 'api-7d9f-x2', container: 'api', severity: 'warning' } }],
      },
    ]);
  });

  test('kube-prometheus-stack default rules the packs supersede', () => {
    expect(kubePrometheusStackRulesReplaced(o)).toEqual([
      'AlertmanagerClusterFailedToSendAlerts', 'AlertmanagerFailedToSendAlerts', 'KubeDeploymentReplicasMismatch', 'KubeNodeNotReady', 'KubePodCrashLooping',
      'KubePodNotReady', 'KubeStatefulSetReplicasMismatch', 'NodeCPUHighUsage', 'NodeFilesystemAlmostOutOfSpace',
      'NodeMemoryHighUtilization', 'PrometheusRuleFailures', 'TargetDown',
    ]);
    expect(kubePrometheusStackRulesReplaced(resolved({ alerting: { rulePacks: [RulePack.NODES] } })))
      .toEqual(['KubeNodeNotReady', 'NodeCPUHighUsage', 'NodeFilesystemAlmostOutOfSpace', 'NodeMemoryHighUtilization']);
  });
});

describe('rule packs: the pipelines pack follows what runs and is scraped', () => {
  const S3 = { provider: 'S3', region: 'eu-west-1', secretName: 'obs-s3' };
  const pipelines = (options: Record<string, unknown>) => alertNames(packRuleGroups(resolved(options)).filter((g) => g.name === 'pipelines'));

  test('each log agent\'s alert with that agent, with kube-prometheus-stack (its ServiceMonitor)', () => {
    expect(pipelines({ logs: { collectors: ['FLUENT_BIT', 'PROMTAIL'] } })).toEqual(expect.arrayContaining(['FluentBitOutputFailing', 'PromtailPushFailing']));
    expect(pipelines({ logs: { collectors: ['FLUENT_BIT', 'PROMTAIL'] } })).not.toContain('AlloyLogsPushFailing');
    expect(pipelines({ logs: { backend: LogsBackend.ELASTICSEARCH } })).toEqual(expect.arrayContaining(['FluentdOutputFailing']));
    // The standalone chart scrapes them with jobs of its own (standalone-agent-scrape.ts).
    expect(pipelines({ metrics: { flavor: MetricsFlavor.STANDALONE } })).toContain('AlloyLogsPushFailing');
    expect(pipelines({ logs: { enabled: false } })).not.toContain('AlloyLogsPushFailing');
  });

  test('Mimir, Thanos, object storage and Tempo 3\'s Kafka only where they run', () => {
    const mimir = pipelines({ objectStorage: S3, metrics: { backend: 'MIMIR', remoteWriteUrl: 'https://mimir.example.com/api/v1/push' } });
    expect(mimir).toEqual(expect.arrayContaining(['MimirRequestErrors', 'MimirCompactorNotRunning', 'ObjectStorageOperationsFailing']));
    expect(mimir).not.toContain('ThanosCompactHalted');
    expect(pipelines({})).not.toEqual(expect.arrayContaining(['MimirRequestErrors']));
    expect(pipelines({})).not.toContain('ObjectStorageOperationsFailing');
    expect(pipelines({ objectStorage: S3, traces: { mode: 'DISTRIBUTED', kafkaAddress: 'kafka:9092' } })).toContain('TempoKafkaConsumerLagging');
    expect(pipelines({})).not.toContain('TempoKafkaConsumerLagging');
  });

  test('every pipelines alert has a runbook and passes its promtool tests when all run (see promtool.test.ts)', () => {
    const all = resolved({
      objectStorage: S3,
      metrics: { backend: 'MIMIR', remoteWriteUrl: 'https://mimir.example.com/api/v1/push' },
      logs: { collectors: ['ALLOY', 'FLUENT_BIT', 'FLUENTD', 'PROMTAIL'], mode: 'SIMPLE_SCALABLE' },
      traces: { mode: 'DISTRIBUTED', kafkaAddress: 'kafka:9092' },
    });
    const names = alertNames(packRuleGroups(all).filter((g) => g.name === 'pipelines'));
    expect(packRunbooks(all).map((r) => r.alert)).toEqual(expect.arrayContaining(names as string[]));
    expect(names).toHaveLength(11);
  });
});

describe('rule packs: the cluster pack gives the standalone flavor what kube-prometheus-stack\'s default rules cover', () => {
  const cluster = (options: Record<string, unknown>) => alertNames(packRuleGroups(resolved(options)).filter((g) => g.name === 'cluster'));

  test('every failure mode, standalone only', () => {
    expect(cluster({ metrics: { flavor: MetricsFlavor.STANDALONE } })).toEqual([
      'Watchdog', 'KubeAPIServerDown', 'KubeAPIServerErrors', 'KubeletDown', 'KubeletCertificateExpiring', 'PersistentVolumeRunningOut',
      'PersistentVolumeNearlyFull', 'NodeFilesystemFillingUp', 'KubeDaemonSetPodsUnavailable', 'KubeJobFailed', 'KubeJobNotCompleting',
      'KubeCronJobNotScheduling', 'KubeHpaAtMaxReplicas', 'KubeHpaCannotScale', 'PrometheusConfigReloadFailed', 'PrometheusStorageFailing',
      'PrometheusRemoteWriteFailing', 'PrometheusAlertmanagerUnreachable', 'AlertmanagerConfigReloadFailed',
    ]);
    // kube-prometheus-stack's mixin rules cover the same: nothing from this pack there.
    expect(cluster({})).toEqual([]);
  });

  test('what reads kube-state-metrics, node-exporter or Alertmanager follows them', () => {
    const few = cluster({ metrics: { flavor: MetricsFlavor.STANDALONE, kubeStateMetrics: false, nodeExporter: false, alertmanager: false } });
    expect(few).not.toEqual(expect.arrayContaining(['KubeJobFailed']));
    expect(few.filter((n) => /^KubeJob|^KubeCronJob|^KubeHpa|^KubeDaemonSet|^NodeFilesystem|Alertmanager/.test(n!))).toEqual([]);
    expect(few).toEqual(expect.arrayContaining(['Watchdog', 'KubeAPIServerDown', 'KubeletDown', 'PersistentVolumeRunningOut']));
  });
});

describe('rule packs: only the components that run and are scraped', () => {
  const stack = (options: Record<string, unknown>) => alertNames(packRuleGroups(resolved(options)).filter((g) => g.name === 'stack'));

  test('Argo CD alerts whether or not Argo CD is self-managed (it is scraped either way)', () => {
    expect(stack({ argocd: { selfManaged: true } })).toEqual(expect.arrayContaining(['ArgoCdAppOutOfSync', 'ArgoCdAppDegraded']));
    expect(stack({})).toEqual(expect.arrayContaining(['ArgoCdAppOutOfSync', 'ArgoCdAppDegraded']));
    expect(stack({ metrics: { flavor: MetricsFlavor.STANDALONE } })).toEqual(expect.arrayContaining(['ArgoCdAppOutOfSync', 'ArgoCdAppDegraded']));
  });

  test('Loki alerts only with Loki (loki or loki-stack), Tempo and collector alerts only with traces', () => {
    expect(stack({ logs: { backend: LogsBackend.ELASTICSEARCH } })).not.toContain('LokiRequestErrors');
    expect(stack({ logs: { backend: LogsBackend.LOKI_STACK } })).toContain('LokiDroppingData');
    expect(stack({ logs: { enabled: false } })).not.toContain('LokiDroppingData');
    const otlp = stack({ traces: { backend: TracesBackend.OTLP_ENDPOINT, otlpEndpoint: 'otlp.example.com:4317' } });
    expect(otlp).not.toContain('TempoDroppingData');
    expect(otlp).toContain('OtelCollectorDroppingData');
    expect(stack({ traces: { enabled: false } })).not.toEqual(expect.arrayContaining(['OtelCollectorDroppingData']));
  });

  test('no kube-state-metrics: no Kube* alerts; no node-exporter: no Node* alerts', () => {
    const names = alertNames(packRuleGroups(resolved({ metrics: { kubeStateMetrics: false, nodeExporter: false } })));
    expect(names.filter((n) => n!.startsWith('Kube') || n!.startsWith('Node'))).toEqual([]);
    expect(packRuleGroups(resolved({ metrics: { kubeStateMetrics: false, nodeExporter: false } })).map((g) => g.name)).toEqual(['stack', 'pipelines']);
  });

  test('standalone prometheus chart: its jobs scrape the components, so the same alerts as with kube-prometheus-stack', () => {
    const ALL = ['PrometheusRuleEvaluationFailures', 'PrometheusTargetsDown', 'AlertmanagerNotificationsFailing', 'LokiRequestErrors',
      'LokiDroppingData', 'TempoDroppingData', 'OtelCollectorDroppingData', 'ArgoCdAppOutOfSync', 'ArgoCdAppDegraded'];
    const standalone = { flavor: MetricsFlavor.STANDALONE };
    expect(stack({ metrics: standalone, argocd: { selfManaged: true } })).toEqual(ALL);
    expect(stack({ argocd: { selfManaged: true } })).toEqual(ALL);
    for (const options of [
      { logs: { backend: LogsBackend.LOKI_STACK } },
      { logs: { backend: LogsBackend.ELASTICSEARCH }, metrics: { alertmanager: false } },
      { traces: { backend: TracesBackend.OTLP_ENDPOINT, otlpEndpoint: 'otlp.example.com:4317' } },
      { traces: { enabled: false }, logs: { enabled: false } },
    ] as Array<Record<string, any>>) {
      expect(stack({ ...options, metrics: { ...options.metrics, ...standalone } })).toEqual(stack(options));
    }
    expect(stack({ metrics: { ...standalone, alertmanager: false }, logs: { enabled: false }, traces: { enabled: false } }))
      .toEqual(['PrometheusRuleEvaluationFailures', 'PrometheusTargetsDown', 'ArgoCdAppOutOfSync', 'ArgoCdAppDegraded']);
  });

  test('metrics off: no rules', () => {
    expect(packRuleGroups(resolved({ metrics: { enabled: false }, grafana: { enabled: false } }))).toEqual([]);
  });
});

describe('rule packs: thresholds and for overrides', () => {
  const o = resolved({
    alerting: {
      thresholds: { KubeContainerMemoryNearLimit: 0.8, NodeFilesystemRunningOut: 0.25 },
      forDurations: { KubePodCrashLooping: '30m' },
    },
  });
  const groups = packRuleGroups(o);

  test('the expression, the description and the tests use the effective values', () => {
    const memory = ruleOf(groups, 'KubeContainerMemoryNearLimit');
    expect(memory.expr).toMatch(/> 0\.8$/);
    expect(memory.annotations?.description).toContain('more than 80% of its memory limit');
    const test = groups[0].tests.find((t) => t.name === 'KubeContainerMemoryNearLimit: just above the threshold')!;
    expect(test.input_series[0].values).toBe('801000000x43');
    expect(ruleOf(groups, 'NodeFilesystemRunningOut').annotations?.description).toContain('less than 25% free space');
    const crash = ruleOf(groups, 'KubePodCrashLooping');
    expect(crash.for).toBe('30m');
    const firing = groups[0].tests.find((t) => t.name === 'KubePodCrashLooping: waiting in CrashLoopBackOff')!;
    expect(firing.alert_rule_test!.map((c) => c.eval_time)).toEqual(['29m30s', '45m30s']);
  });

  test('a threshold outside the range where the alert and its tests mean something', () => {
    const bad = resolved({ alerting: { thresholds: { KubeContainerMemoryNearLimit: 1.5 } } });
    expect(() => packRuleGroups(bad)).toThrow(InvalidOptionError);
    expect(() => packRuleGroups(bad)).toThrow(/alerting\.thresholds\.KubeContainerMemoryNearLimit.*1\.5 is outside 0\.01\.\.1/);
  });

  test('a threshold for an alert without one', () => {
    expect(() => packRuleGroups(resolved({ alerting: { thresholds: { KubeNodeNotReady: 2 } } })))
      .toThrow(/"alerting\.thresholds\.KubeNodeNotReady": 2 is set, but alert KubeNodeNotReady has no threshold/);
  });
});

describe('checkAlertOverrides: every override names a generated alert', () => {
  const check = (alerting: Record<string, unknown>, options: Record<string, unknown> = {}) => {
    const o = resolved({ ...options, alerting });
    return () => checkAlertOverrides(o, allRuleGroups(o));
  };

  test('a typo gets a did-you-mean', () => {
    expect(check({ thresholds: { KubePodCrashLoping: 5 } }))
      .toThrow('Invalid option "alerting.thresholds.KubePodCrashLoping": 5 names no generated alert (did you mean "KubePodCrashLooping"?)');
    expect(check({ forDurations: { NodeCpuPressure: '5m' } }))
      .toThrow(/"alerting\.forDurations\.NodeCpuPressure": "5m" names no generated alert \(did you mean "NodeCPUPressure"\?\)/);
  });

  test('an alert of a pack that is off, or of a component that is off', () => {
    expect(check({ rulePacks: [RulePack.WORKLOADS], thresholds: { NodeMemoryPressure: 0.2 } }))
      .toThrow(/alerting\.thresholds\.NodeMemoryPressure.*names alert NodeMemoryPressure of rule pack "nodes", which this configuration does not generate/);
    expect(check({ forDurations: { LokiDroppingData: '1h' } }, { logs: { backend: LogsBackend.ELASTICSEARCH } })).toThrow(/rule pack "stack"/);
  });

  test('known names pass', () => {
    expect(check({ thresholds: { NodeMemoryPressure: 0.2 }, forDurations: { KubePodNotReady: '30m' } })).not.toThrow();
  });

  test('custom rules: no threshold; a for override applies', () => {
    const customRules = [{ alert: 'QueueBacklog', expr: 'queue_depth > 100', for: '10m', summary: 'Backlog' }];
    expect(check({ customRules, thresholds: { QueueBacklog: 100 } }))
      .toThrow(/"alerting\.thresholds\.QueueBacklog": 100 names one of alerting\.customRules/);
    expect(check({ customRules, forDurations: { QueueBacklog: '10m' } })).not.toThrow();
    expect(check({ customRules, forDurations: { QueueBacklog: '30m' } })).not.toThrow();
  });
});

describe('rule packs: alerting.rulePacks', () => {
  test('only the listed packs are generated', () => {
    expect(packRuleGroups(resolved({ alerting: { rulePacks: [RulePack.NODES] } })).map((g) => g.name)).toEqual(['nodes']);
    expect(packRuleGroups(resolved({ alerting: { rulePacks: [RulePack.STACK, RulePack.WORKLOADS] } })).map((g) => g.name))
      .toEqual(['workloads', 'stack']);
    expect(packRuleGroups(resolved({ alerting: { rulePacks: [] } }))).toEqual([]);
    expect(packRunbooks(resolved({ alerting: { rulePacks: [RulePack.NODES] } })).map((r) => r.alert)).toEqual(NODES);
  });

  test('synth: rule files, tests, runbooks and PrometheusRules of those packs only', () => {
    const files = synth({ alerting: { rulePacks: [RulePack.NODES] } });
    const ruleFiles = Object.keys(files).filter((f) => f.startsWith('tests/rules/')).sort();
    expect(ruleFiles).toEqual(['tests/rules/nodes.rules.yaml', 'tests/rules/nodes.test.yaml']);
    expect(Object.keys(files).filter((f) => f.startsWith(`${RULES_DIR}/`))).toEqual([`${RULES_DIR}/prometheusrule-alert-rules-nodes.yaml`]);
    expect(Object.keys(files).filter((f) => f.startsWith('docs/runbooks/')).sort()).toEqual(NODES.map((a) => `docs/runbooks/${a}.md`).sort());
  });

  test('no rules at all: no Application, no files, no task', () => {
    const files = synth({ alerting: { rulePacks: [] } });
    expect(files['argocd/apps/in-cluster/alert-rules.yaml']).toBeUndefined();
    expect(Object.keys(files).filter((f) => f.startsWith('tests/rules/') || f.startsWith('docs/runbooks/'))).toEqual([]);
    expect(files['.projen/tasks.json'].tasks['test:rules']).toBeUndefined();
    expect(alertRules.build(resolved({ alerting: { rulePacks: [] } }))).toBeUndefined();
  });
});

describe('synth: the alert-rules part and the rules files (defaults)', () => {
  const files = synth();

  test('one PrometheusRule per group, valid against the vendored CRD, selected by kube-prometheus-stack', () => {
    const names = Object.keys(files).filter((f) => f.startsWith(`${RULES_DIR}/`)).sort();
    expect(names).toEqual(['nodes', 'pipelines', 'stack', 'workloads'].map((g) => `${RULES_DIR}/prometheusrule-alert-rules-${g}.yaml`));
    const rule = files[`${RULES_DIR}/prometheusrule-alert-rules-workloads.yaml`];
    expect(validateAgainstCrd(rule)).toEqual([]);
    expect(rule.metadata).toEqual({
      name: 'alert-rules-workloads',
      namespace: 'monitoring',
      labels: { 'app.kubernetes.io/part-of': 'observability', 'app.kubernetes.io/component': 'alert-rules', 'release': 'kube-prometheus-stack' },
    });
    expect(rule.spec.groups.map((g: any) => g.name)).toEqual(['workloads']);
    expect(rule.spec.groups[0].rules.map((r: any) => r.alert)).toEqual(WORKLOADS);
    // kube-prometheus-stack selects every PrometheusRule.
    expect(files['values/kube-prometheus-stack.yaml'].prometheus.prometheusSpec.ruleSelectorNilUsesHelmValues).toBe(false);
  });

  test('the Application: manifests from Git, configuration wave, server-side apply, dry run skipped until the CRD exists', () => {
    const app = files['argocd/apps/in-cluster/alert-rules.yaml'];
    expect(Number(app.metadata.annotations['argocd.argoproj.io/sync-wave'])).toBe(40);
    expect(app.spec.destination.namespace).toBe('monitoring');
    expect(app.spec.sources).toEqual([{ repoURL: REPO, targetRevision: 'main', path: RULES_DIR }]);
    expect(app.spec.syncPolicy.syncOptions).toEqual(['CreateNamespace=true', 'ServerSideApply=true', 'SkipDryRunOnMissingResource=true']);
  });

  test('promtool rule and test files per group', () => {
    const rules = files['tests/rules/workloads.rules.yaml'];
    expect(rules.groups[0].name).toBe('workloads');
    expect(rules.groups[0].rules).toEqual(files[`${RULES_DIR}/prometheusrule-alert-rules-workloads.yaml`].spec.groups[0].rules);
    const tests = files['tests/rules/workloads.test.yaml'];
    expect(tests.rule_files).toEqual(['workloads.rules.yaml']);
    expect(tests.evaluation_interval).toBe('30s');
    const firing = tests.tests.find((t: any) => t.name === 'KubePodNotReady: running but not ready');
    expect(firing.alert_rule_test[1].exp_alerts).toEqual([{
      exp_labels: { cluster: 'c1', namespace: 'shop', pod: 'api-7d9f-x2', severity: 'warning' },
      exp_annotations: {
        summary: 'Pod shop/api-7d9f-x2 is not ready.',
        description: 'Pod shop/api-7d9f-x2 has not been ready (Pending, Unknown, or Running but not Ready) for 15m: it receives no traffic from its Services.',
        runbook_url: 'https://github.com/acme/observability/blob/main/docs/runbooks/KubePodNotReady.md',
      },
    }]);
  });

  test('runbooks: managed markdown with the alert, its expression and what to do', () => {
    const runbook: string = files['docs/runbooks/KubePodCrashLooping.md'];
    expect(runbook.split('\n')[0]).toBe('<!-- ~~ Generated by projen. To modify, edit .projenrc.ts and run "npx projen". -->');
    expect(runbook).toContain('# KubePodCrashLooping');
    expect(runbook).toContain('Container <container> of pod <namespace>/<pod> is crash looping.');
    expect(runbook).toContain('| Threshold | 3 (container restarts within 15 minutes; `alerting.thresholds.KubePodCrashLooping`, 1..100) |');
    expect(runbook).toMatch(/## Check[\s\S]*kubectl -n <namespace> logs <pod> -c <container> --previous[\s\S]*## Fix/);
    // Logs are in Loki: the LogQL section is there.
    expect(runbook).toContain('```logql');
    expect(files['docs/runbooks/PrometheusRuleEvaluationFailures.md'])
      .toContain('kubectl -n monitoring port-forward svc/kube-prometheus-stack-prometheus 9090:9090');
    expect(files['.projen/files.json'].files).toContain('docs/runbooks/KubePodCrashLooping.md');
  });

  test('the test:rules task checks and tests the rules with promtool (one command, no shell syntax: test/dayone/tasks.test.ts runs it)', () => {
    const task = files['.projen/tasks.json'].tasks['test:rules'];
    expect(task.steps.map((s: any) => s.exec)).toEqual(['obs-gitops test-rules']);
  });
});

describe('runbooks follow the stack', () => {
  test('Elasticsearch logs: no LogQL; standalone Prometheus: its Service and container', () => {
    const runbooks = packRunbooks(resolved({ logs: { backend: LogsBackend.ELASTICSEARCH }, metrics: { flavor: MetricsFlavor.STANDALONE } }));
    expect(runbooks.map((r) => r.markdown).join('\n')).not.toContain('```logql');
    const prom = runbooks.find((r) => r.alert === 'PrometheusRuleEvaluationFailures')!.markdown;
    expect(prom).toContain('port-forward svc/prometheus-server 9090:80');
    expect(prom).toContain('-c prometheus-server');
  });

  test('PrometheusTargetsDown: where the scrape configuration is, in each flavor', () => {
    const page = (o: Record<string, unknown>) => packRunbooks(resolved(o)).find((r) => r.alert === 'PrometheusTargetsDown')!.markdown;
    const kps = page({});
    expect(kps).toContain('ServiceMonitor or PodMonitor');
    expect(kps).toContain('kubeScheduler.enabled: false');
    expect(kps).not.toContain('extraScrapeConfigs');
    const standalone = page({ metrics: { flavor: MetricsFlavor.STANDALONE } });
    expect(standalone).toContain('`extraScrapeConfigs`: `services/<namespace>/<name>` for your services, and\n`stack/<namespace>/<component>`');
    expect(standalone).not.toMatch(/ServiceMonitor or PodMonitor|kube-scheduler|kube-prometheus-stack\.yaml/);
    expect(standalone).toContain('port-forward svc/prometheus-server 9090:80');
  });

  test('conditions: if, if not, errors', () => {
    const md = 'a\n<!-- if loki -->\nb\n<!-- endif -->\n<!-- if not loki -->\nc\n<!-- endif -->\nd';
    expect(applyConditions(md, { loki: true }, 'f.md')).toBe('a\nb\nd');
    expect(applyConditions(md, { loki: false }, 'f.md')).toBe('a\nc\nd');
    expect(() => applyConditions('<!-- if lokki -->\nx\n<!-- endif -->', { loki: true }, 'f.md')).toThrow('f.md:1: unknown feature "lokki"');
    expect(() => applyConditions('<!-- if loki -->\nx', { loki: true }, 'f.md')).toThrow('not closed');
  });
});

describe('standalone flavor: the rules go into the prometheus chart serverFiles', () => {
  const o = resolved({ metrics: { flavor: MetricsFlavor.STANDALONE } });

  test('alerting_rules.yml with every group; no PrometheusRule part', () => {
    const serverFiles = prometheusServerFiles(o) as any;
    expect(Object.keys(serverFiles)).toEqual(['alerting_rules.yml']);
    expect(serverFiles['alerting_rules.yml'].groups.map((g: any) => g.name)).toEqual(['workloads', 'nodes', 'stack', 'pipelines', 'cluster']);
    expect(serverFiles['alerting_rules.yml'].groups[0].rules[0]).toMatchObject({ alert: 'KubePodCrashLooping', for: '15m', labels: { severity: 'warning' } });
    expect(alertRules.build(o)).toBeUndefined();
  });

  test('recording-only groups go to recording_rules.yml; nothing for kube-prometheus-stack', () => {
    expect(prometheusServerFiles(resolved())).toEqual({});
    expect(prometheusServerFiles(resolved({ metrics: { flavor: MetricsFlavor.STANDALONE }, alerting: { rulePacks: [] } }))).toEqual({});
  });
});

describe('renderers: every expression is parsed, errors name the file, group, rule and position', () => {
  const broken: RuleGroup = {
    name: 'shop',
    rules: [
      { alert: 'Fine', expr: 'up == 0', for: '5m', labels: { severity: 'warning' } },
      { alert: 'Broken', expr: 'sum by (job) (rate(http_requests_total[5m])) >', for: '5m' },
    ],
    tests: [],
  };

  test('rule file, PrometheusRule, standalone serverFiles', () => {
    expect(() => renderRuleFile([broken], 'tests/rules/shop.rules.yaml')).toThrow(ExpressionError);
    expect(() => renderRuleFile([broken], 'tests/rules/shop.rules.yaml'))
      .toThrow(/^tests\/rules\/shop\.rules\.yaml: group shop, alert Broken: invalid PromQL at line 1, column 4\d/);
    expect(() => renderPrometheusRule([broken], { name: 'x', namespace: 'monitoring' }, 'manifests/c/alert-rules/x.yaml'))
      .toThrow(/manifests\/c\/alert-rules\/x\.yaml: group shop, alert Broken: invalid PromQL/);
    const record: RuleGroup = { name: 'rec', rules: [{ record: 'job:up:sum', expr: 'sum by (job) (up' }], tests: [] };
    expect(() => renderRuleFile([record], 'f.yaml')).toThrow(/f\.yaml: group rec, record job:up:sum: invalid PromQL/);
  });

  test('a broken template expression names the template, the group and the alert', () => {
    const text = [
      'group: shop',
      'alerts:',
      '  - alert: ShopDown',
      '    severity: critical',
      '    for: 5m',
      '    warmup: 1m',
      '    expr: |',
      '      sum by (cluster, job) (up{job="shop"}) ==',
      '    summary: Shop is down.',
      '    description: Shop is down.',
      '    tests:',
      '      - {name: down, series: [{series: \'up{job="shop"}\', values: "0x${samples}"}], fires: [{job: shop}]}',
      '      - {name: up, series: [{series: \'up{job="shop"}\', values: "1x${samples}"}], fires: []}',
    ].join('\n');
    const template = parsePackTemplate(text, 'templates/rules/shop.yaml');
    expect(() => renderPackGroup(template, resolved()))
      .toThrow(/^templates\/rules\/shop\.yaml: group shop, alert ShopDown: invalid PromQL at line 1, column \d+/);
  });

  test('template validation', () => {
    const base = (extra: string) => `group: g\nalerts:\n  - alert: A\n    severity: warning\n    for: 5m\n    warmup: 1m\n    expr: up == 0\n    summary: s\n    description: d\n${extra}`;
    expect(() => parsePackTemplate(base('    tests:\n      - {name: t, series: [{series: up, values: 0x5}], fires: [{}]}\n'), 'f.yaml'))
      .toThrow('f.yaml: alert A: tests need at least one firing case and one quiet case');
    expect(() => parsePackTemplate(base('    tests: []\n    sevrity: x\n'), 'f.yaml')).toThrow('unknown field "sevrity"');
    expect(() => parsePackTemplate(base('    tests: []\n').replace('summary: s', 'summary: "{{ $value }} high"'), 'f.yaml'))
      .toThrow('annotations may only use {{ $labels.<name> }}');
    expect(() => parsePackTemplate(base('    tests: []\n    requires: [lokii]\n'), 'f.yaml')).toThrow('unknown feature "lokii"');
  });

  test('the shipped templates load', () => {
    for (const pack of TEMPLATED_PACKS) expect(loadPackTemplate(pack).alerts.length).toBeGreaterThan(0);
  });

  test('test files: expected annotations are expanded from $labels; other templates need explicit ones', () => {
    const group: RuleGroup = {
      name: 'g',
      rules: [{ alert: 'A', expr: 'up == 0', for: '1m', labels: { severity: 'warning' }, annotations: { summary: '{{ $labels.job }} down ({{$labels.severity}})' } }],
      tests: [{
        interval: '1m',
        input_series: [{ series: 'up{job="x"}', values: '0x10' }],
        alert_rule_test: [{ eval_time: '5m', alertname: 'A', exp_alerts: [{ exp_labels: { job: 'x', severity: 'warning' } }] }],
      }],
    };
    const file = renderTestFile(group, 'g.rules.yaml', 'tests/rules/g.test.yaml', '1m') as any;
    // Rule labels are not in $labels: Prometheus expands them to nothing.
    expect(file.tests[0].alert_rule_test[0].exp_alerts[0].exp_annotations).toEqual({ summary: 'x down ()' });
    expect(() => expectedAnnotations({ expr: 'up', annotations: { summary: '{{ $value }}' } }, {}, 'w'))
      .toThrow('w: annotation summary uses a template other than {{ $labels.<name> }}');
    const wrong = { ...group, tests: [{ ...group.tests[0], alert_rule_test: [{ eval_time: '5m', alertname: 'B', exp_alerts: [] }] }] };
    expect(() => renderTestFile(wrong, 'g.rules.yaml', 'f', '1m')).toThrow('alert_rule_test names alert B, which the group does not define');
  });

  test('manifests per cluster', () => {
    const o = resolved({ clusters: [{ name: 'eu', server: 'https://eu.example.com' }, { name: 'us', server: 'https://us.example.com' }] });
    expect(alertRuleManifests(o, o.clusters[1]).map((m: any) => m.metadata.name)).toEqual(['alert-rules-workloads', 'alert-rules-nodes', 'alert-rules-stack', 'alert-rules-pipelines']);
  });
});

describe('placeholders', () => {
  const vars = { threshold: 0.9, for: '15m', samples: 27 };

  test('arithmetic without float noise', () => {
    expect(substitutePlaceholders('${threshold * 100}% for ${for}', vars, 'w')).toBe('90% for 15m');
    expect(substitutePlaceholders('0+${(threshold + 1) / 10}x${samples}', vars, 'w')).toBe('0+0.19x27');
    expect(substitutePlaceholders('${max(0, 1000 * threshold - 10)} ${ceil(threshold)} ${-threshold}', vars, 'w')).toBe('890 1 -0.9');
    expect(formatNumber(0.1 * 3)).toBe('0.3');
    expect(formatDuration(90_000)).toBe('1m30s');
    expect(formatDuration(2 * 3_600_000 + 60_000)).toBe('2h1m');
  });

  test('errors name the place', () => {
    expect(() => substitutePlaceholders('${treshold}', vars, 'f.yaml: alert A')).toThrow('f.yaml: alert A: placeholder ${treshold}: unknown name treshold');
    expect(() => substitutePlaceholders('${for * 2}', vars, 'w')).toThrow('operand of * is not a number ("15m")');
    expect(() => substitutePlaceholders('${pow(2)}', vars, 'w')).toThrow('unknown function pow');
    expect(() => substitutePlaceholders('${1 +}', vars, 'w')).toThrow('expected a value');
  });
});
