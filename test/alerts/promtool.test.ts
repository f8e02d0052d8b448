import { spawnSync } from 'child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';
import { Testing } from 'projen';
import * as YAML from 'yaml';
import { MetricsFlavor, ObservabilityGitOpsProject } from '../../src';
import { AlertRulesFiles } from '../../src/components/alert-rules-files';
import { allRuleGroups } from '../../src/model/alerts/index';
import { loadPackTemplate, TEMPLATED_PACKS } from '../../src/model/alerts/packs';
import { prometheusServerFiles } from '../../src/model/alerts/standalone';
import { buildStackModel } from '../../src/model/build';
import { resolveOptions } from '../../src/options/resolve';
import { installBins } from '../dayone/child';
import { BASE } from '../util';

/*
 * The generated rules and their unit tests, run through the real promtool
 * (Prometheus 2.42, Debian package `prometheus`): `promtool check rules` on
 * every rule file and PrometheusRule, `promtool test rules` on every test
 * file, exactly as the generated `test:rules` task runs them.
 */

// Until src/model/parts/index.ts lists the alert-rules part, add it here (a no-op once it does).
jest.mock('../../src/model/parts/index', () => {
  const actual = jest.requireActual('../../src/model/parts/index');
  const { alertRules: part } = jest.requireActual('../../src/model/parts/alert-rules');
  const wired = actual.PART_DEFINITIONS.some((p: { name: string }) => p.name === 'alert-rules');
  return { ...actual, PART_DEFINITIONS: wired ? actual.PART_DEFINITIONS : [...actual.PART_DEFINITIONS, part] };
});

jest.setTimeout(120_000);

const REPO = 'https://github.com/acme/observability.git';

/** Run promtool; fail clearly when it is not installed. */
function promtool(args: string[], cwd: string): { status: number; output: string } {
  const r = spawnSync('promtool', args, { cwd, encoding: 'utf8' });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error('promtool is not installed: install the Debian package "prometheus" (apt-get install -y prometheus)');
  }
  return { status: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
}

/** Synthesize a project and write its files into a fresh temp folder (Testing.synth removes its own). */
function synthToDir(options: Record<string, unknown>): string {
  const all = { ...BASE, gitRepoUrl: REPO, ...options };
  const project = new ObservabilityGitOpsProject({ ...all, outdir: mkdtempSync(join(tmpdir(), 'obs-promtool-synth-')) } as any);
  if (!project.components.some((c) => c instanceof AlertRulesFiles)) {
    new AlertRulesFiles(project, buildStackModel(resolveOptions(all as any)));
  }
  const out = Testing.synth(project);
  const dir = mkdtempSync(join(tmpdir(), 'obs-promtool-'));
  for (const [file, content] of Object.entries(out)) {
    mkdirSync(join(dir, dirname(file)), { recursive: true });
    writeFileSync(join(dir, file), typeof content === 'string' ? content : JSON.stringify(content, undefined, 2));
  }
  return dir;
}

/**
 * The generated `test:rules` task, run by projen's own task runner in the generated repository
 * (`projen test:rules`, with the `obs-gitops` command run from this library's sources).
 */
function runTestRulesTask(dir: string): { status: number; output: string } {
  promtool(['--version'], dir); // fail clearly if missing
  const bin = installBins(dir);
  const r = spawnSync(join(bin, 'projen'), ['test:rules'], { cwd: dir, encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
  return { status: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
}

/** `promtool check rules` on the spec of every PrometheusRule manifest. */
function checkPrometheusRules(dir: string, files: string[]): void {
  for (const file of files) {
    const spec = YAML.parse(readFileSync(join(dir, file), 'utf8')).spec;
    const ruleFile = join(mkdtempSync(join(tmpdir(), 'obs-promrule-')), 'rules.yaml');
    writeFileSync(ruleFile, YAML.stringify(spec));
    const r = promtool(['check', 'rules', ruleFile], dir);
    expect({ file, ...r }).toEqual({ file, status: 0, output: expect.stringContaining('SUCCESS') });
  }
}

function listFiles(dir: string, sub: string): string[] {
  const r = spawnSync('bash', ['-c', `ls ${sub}`], { cwd: dir, encoding: 'utf8' });
  return r.stdout.split('\n').filter(Boolean).map((f) => `${sub.replace(/\/[^/]*$/, '')}/${f.replace(/^.*\//, '')}`);
}

/** Every threshold at its lowest or highest allowed value. */
function thresholdsAt(end: 'min' | 'max'): Record<string, number> {
  const out: Record<string, number> = {};
  for (const pack of TEMPLATED_PACKS) {
    for (const a of loadPackTemplate(pack).alerts) if (a.threshold) out[a.alert] = a.threshold[end];
  }
  return out;
}

/** Every threshold of the alerts a configuration generates, at its lowest or highest value. */
function generatedThresholdsAt(end: 'min' | 'max', options: Record<string, unknown>): Record<string, number> {
  const groups = allRuleGroups(resolveOptions({ ...BASE, gitRepoUrl: REPO, ...options } as any));
  const generated = new Set(groups.flatMap((g) => g.rules.map((r) => r.alert)));
  return Object.fromEntries(Object.entries(thresholdsAt(end)).filter(([alert]) => generated.has(alert)));
}

const STANDALONE = { metrics: { flavor: MetricsFlavor.STANDALONE } };

const S3 = { provider: 'S3', region: 'eu-west-1', secretName: 'obs-s3' };
/** Every component a rule pack has alerts for: self-managed Argo CD, all four log agents, Loki and Tempo 3 on object storage, Mimir. */
const EVERYTHING = {
  argocd: { selfManaged: true },
  objectStorage: S3,
  metrics: { backend: 'MIMIR', remoteWriteUrl: 'https://mimir.example.com/api/v1/push' },
  logs: { collectors: ['ALLOY', 'FLUENT_BIT', 'FLUENTD', 'PROMTAIL'], mode: 'SIMPLE_SCALABLE' },
  traces: { mode: 'DISTRIBUTED', kafkaAddress: 'kafka.streaming.svc:9092' },
};

describe('promtool: the generated rules pass check and unit tests', () => {
  test('promtool is installed', () => {
    expect(promtool(['--version'], tmpdir()).output).toMatch(/promtool, version/);
  });

  test.each([
    ['defaults', {}],
    ['every pack and component (self-managed Argo CD)', EVERYTHING],
    // Configurations at other scrape intervals: the rules' windows and the tests follow them.
    ['Thanos, scraping every 5m', { objectStorage: S3, metrics: { backend: 'THANOS', scrapeInterval: '5m' } }],
    ['standalone, every threshold at its minimum, scraping every 1m', { metrics: { ...STANDALONE.metrics, scrapeInterval: '1m' }, alerting: { thresholds: generatedThresholdsAt('min', STANDALONE) } }],
    ['standalone, every threshold at its maximum, scraping every 5m', { metrics: { ...STANDALONE.metrics, scrapeInterval: '5m' }, alerting: { thresholds: generatedThresholdsAt('max', STANDALONE) } }],
    ['two clusters, scraping every 1m', { metrics: { scrapeInterval: '1m' }, clusters: [{ name: 'eu-1', server: 'https://eu-1.example.com' }, { name: 'us-1', server: 'https://us-1.example.com' }] }],
    ['every threshold at its minimum, scraping every 1m', { ...EVERYTHING, metrics: { ...EVERYTHING.metrics, scrapeInterval: '1m' }, alerting: { thresholds: generatedThresholdsAt('min', EVERYTHING) } }],
    ['every threshold at its maximum, scraping every 2m', { ...EVERYTHING, metrics: { ...EVERYTHING.metrics, scrapeInterval: '2m' }, alerting: { thresholds: generatedThresholdsAt('max', EVERYTHING) } }],
    ['thresholds and for in between', {
      ...EVERYTHING,
      alerting: {
        thresholds: {
          KubePodCrashLooping: 7.5, KubeContainerMemoryNearLimit: 0.333, NodeCPUPressure: 0.777, LokiRequestErrors: 0.013, TempoDroppingData: 12.7,
        },
        forDurations: { KubePodCrashLooping: '0s', KubeContainerOOMKilled: '90s', KubePodNotReady: '2h', ArgoCdAppOutOfSync: '30s' },
      },
    }],
  ])('%s', (_name, options) => {
    const dir = synthToDir(options);
    const result = runTestRulesTask(dir);
    expect(result.output).not.toContain('FAILED');
    expect(result.status).toBe(0);
    expect(result.output).toMatch(/Unit Testing: {2}tests\/rules\/workloads\.test\.yaml\s+SUCCESS/);
    const clusters = (options as any).clusters?.map((c: any) => c.name) ?? ['in-cluster'];
    // The standalone flavor has no PrometheusRules: its rules are in the prometheus chart's values.
    if ((options as any).metrics?.flavor === MetricsFlavor.STANDALONE) return;
    for (const cluster of clusters) {
      const manifests = listFiles(dir, `manifests/${cluster}/alert-rules/*.yaml`);
      expect(manifests).toHaveLength(4);
      checkPrometheusRules(dir, manifests);
    }
  });

  test('standalone flavor: the prometheus chart rule files pass promtool check rules', () => {
    const o = resolveOptions({ ...BASE, gitRepoUrl: REPO, metrics: { flavor: MetricsFlavor.STANDALONE } } as any);
    const dir = mkdtempSync(join(tmpdir(), 'obs-promtool-standalone-'));
    const files = prometheusServerFiles(o);
    expect(Object.keys(files)).toEqual(['alerting_rules.yml']);
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), YAML.stringify(content));
    const r = promtool(['check', 'rules', 'alerting_rules.yml'], dir);
    // The workloads, nodes and cluster packs, the stack pack with Alertmanager, Loki, Tempo, the collector and Argo CD scraped, and the pipelines pack's Alloy, Loki and Tempo alerts.
    expect(r.output).toContain('SUCCESS: 43 rules found');
    expect(r.status).toBe(0);
    // And the generated tests pass against the standalone set of alerts.
    const synthDir = synthToDir({ metrics: { flavor: MetricsFlavor.STANDALONE } });
    expect(runTestRulesTask(synthDir).status).toBe(0);
  });

  test('the tests are real: a rule whose threshold drifted from its tests fails', () => {
    const dir = synthToDir({});
    const rules = join(dir, 'tests/rules/workloads.rules.yaml');
    chmodSync(rules, 0o644);
    writeFileSync(rules, readFileSync(rules, 'utf8').replace(/> 0\.9$/m, '> 0.95'));
    const r = promtool(['test', 'rules', 'tests/rules/workloads.test.yaml'], dir);
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('alertname: KubeContainerMemoryNearLimit');
  });
});
