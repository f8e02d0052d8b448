import { spawnSync } from 'child_process';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as YAML from 'yaml';
import { helmBinary } from '../../scripts/lib/helm-binary.cjs';
import { kubePrometheusStackRulesReplaced, loadPackTemplate, packRuleGroups, TEMPLATED_PACKS } from '../../src/model/alerts/packs';
import { renderRuleFile } from '../../src/model/alerts/render';
import { resolveOptions } from '../../src/options/resolve';
import { BASE } from '../util';

/*
 * Every kube-prometheus-stack default rule the generated packs disable
 * (`defaultRules.disabled`) is replaced by one that fires in every case the
 * upstream one fires. The upstream rules are rendered with the real Helm from
 * the pinned chart package; each failure scenario below runs through promtool
 * against BOTH the upstream rule and ours, and must make both fire (or, for the
 * cases the mixin leaves out on purpose, keep both quiet).
 */

jest.setTimeout(120_000);

const CHART = join(__dirname, '..', 'fixtures', 'chart-packages', 'kube-prometheus-stack-88.5.3.tgz');
const RELEASE = 'kube-prometheus-stack';
const NS = 'monitoring';

interface UpstreamRule { alert: string; expr: string; for?: string; labels?: Record<string, string> }

/** The chart's alert rules, rendered as the generated Application renders it (release and namespace names). */
function renderUpstream(values: Record<string, unknown> = {}): UpstreamRule[] {
  const dir = mkdtempSync(join(tmpdir(), 'obs-upstream-'));
  writeFileSync(join(dir, 'values.yaml'), YAML.stringify(values));
  const r = spawnSync(helmBinary(), ['template', RELEASE, CHART, '-n', NS, '-f', join(dir, 'values.yaml')], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`helm template failed: ${r.stderr}`);
  return YAML.parseAllDocuments(r.stdout).map((d) => d.toJS()).filter((d) => d?.kind === 'PrometheusRule')
    .flatMap((d) => d.spec.groups.flatMap((g: { rules: UpstreamRule[] }) => g.rules.filter((rule) => rule.alert)));
}

/** promtool series notation for a repeating pattern: `pattern(['1', '0', '0'], 60)`. */
function pattern(values: string[], n: number): string {
  return Array.from({ length: n }, (_, i) => values[i % values.length]).join(' ');
}

const KSM = 'job="kube-state-metrics",cluster="c1"';
const NODE = 'job="node-exporter",cluster="c1",instance="10.0.1.17:9100"';
const AM = `job="${RELEASE}-alertmanager",container="alertmanager",namespace="${NS}",service="${RELEASE}-alertmanager",cluster="c1"`;
const PROM = `job="${RELEASE}-prometheus",namespace="${NS}",cluster="c1",instance="10.0.2.5:9090"`;
const LONG = 130; // samples (1m apart): longer than every evaluation time below

interface Scenario {
  /** The upstream alert whose failure case this is. */
  readonly upstream: string;
  readonly name: string;
  readonly series: ReadonlyArray<{ series: string; values: string }>;
  /** When both are checked (default 2h: past every rule's warm-up and `for`). */
  readonly at?: string;
  /** Whether the upstream rule (and so ours) fires; false for cases the mixin leaves out on purpose. */
  readonly fires: boolean;
}

const fsSeries = (labels: string, avail: number, size: number, readonly = 0) => [
  { series: `node_filesystem_avail_bytes{${NODE},${labels}}`, values: `${avail}x${LONG}` },
  { series: `node_filesystem_size_bytes{${NODE},${labels}}`, values: `${size}x${LONG}` },
  { series: `node_filesystem_readonly{${NODE},${labels}}`, values: `${readonly}x${LONG}` },
];
const amSeries = (instance: string, integration: string, totalPerMin: number, failed: string) => [
  { series: `alertmanager_notifications_total{${AM},instance="${instance}",integration="${integration}"}`, values: `0+${totalPerMin}x${LONG}` },
  { series: `alertmanager_notifications_failed_total{${AM},instance="${instance}",integration="${integration}",reason="serverError"}`, values: failed },
];
const pod = (name: string, phase: string, extra: Array<{ series: string; values: string }> = []) => [
  ...['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'].map((p) => ({
    series: `kube_pod_status_phase{${KSM},namespace="shop",pod="${name}",phase="${p}"}`, values: `${p === phase ? 1 : 0}x${LONG}`,
  })),
  ...extra,
];
const owner = (name: string, kind: string) => ({ series: `kube_pod_owner{${KSM},namespace="shop",pod="${name}",owner_kind="${kind}",owner_name="${kind === '<none>' ? '<none>' : 'x'}"}`, values: `1x${LONG}` });
const ready = (name: string, v: number) => ({ series: `kube_pod_status_ready{${KSM},namespace="shop",pod="${name}",condition="true"}`, values: `${v}x${LONG}` });

const SCENARIOS: Scenario[] = [
  // KubePodCrashLooping
  {
    upstream: 'KubePodCrashLooping',
    name: 'waiting in CrashLoopBackOff',
    fires: true,
    series: [{ series: `kube_pod_container_status_waiting_reason{${KSM},namespace="shop",pod="api-1",container="api",reason="CrashLoopBackOff"}`, values: `1x${LONG}` }],
  },
  {
    upstream: 'KubePodCrashLooping',
    name: 'CrashLoopBackOff between short runs',
    fires: true,
    series: [{ series: `kube_pod_container_status_waiting_reason{${KSM},namespace="shop",pod="api-1",container="api",reason="CrashLoopBackOff"}`, values: pattern(['1', '0', '0', '0'], LONG) }],
  },
  // KubePodNotReady
  {
    upstream: 'KubePodNotReady',
    name: 'Pending, cannot be scheduled, no Ready condition yet',
    fires: true,
    series: pod('api-2', 'Pending', [owner('api-2', 'ReplicaSet'), { series: `kube_pod_status_unschedulable{${KSM},namespace="shop",pod="api-2"}`, values: `1x${LONG}` }]),
  },
  { upstream: 'KubePodNotReady', name: 'Running but not Ready', fires: true, series: pod('api-3', 'Running', [owner('api-3', 'ReplicaSet'), ready('api-3', 0)]) },
  { upstream: 'KubePodNotReady', name: 'Unknown (node lost)', fires: true, series: pod('db-0', 'Unknown', [owner('db-0', 'StatefulSet'), ready('db-0', 1)]) },
  { upstream: 'KubePodNotReady', name: 'a bare pod (no owner) Pending', fires: true, series: pod('debug', 'Pending', [owner('debug', '<none>'), ready('debug', 0)]) },
  { upstream: 'KubePodNotReady', name: 'a Job pod Pending', fires: false, series: pod('migrate-1', 'Pending', [owner('migrate-1', 'Job'), ready('migrate-1', 0)]) },
  {
    upstream: 'KubePodNotReady',
    name: 'held by a scheduling gate',
    fires: false,
    series: pod('gated', 'Pending', [owner('gated', 'ReplicaSet'), { series: `kube_pod_status_reason{${KSM},namespace="shop",pod="gated",reason="SchedulingGated"}`, values: `1x${LONG}` }]),
  },
  // KubeDeploymentReplicasMismatch
  {
    upstream: 'KubeDeploymentReplicasMismatch',
    name: 'fewer available than desired, rollout stuck',
    fires: true,
    series: [
      { series: `kube_deployment_spec_replicas{${KSM},namespace="shop",deployment="api"}`, values: `3x${LONG}` },
      { series: `kube_deployment_status_replicas_available{${KSM},namespace="shop",deployment="api"}`, values: `1x${LONG}` },
      { series: `kube_deployment_status_replicas_updated{${KSM},namespace="shop",deployment="api"}`, values: `3x${LONG}` },
    ],
  },
  // KubeStatefulSetReplicasMismatch
  {
    upstream: 'KubeStatefulSetReplicasMismatch',
    name: 'fewer ready than desired',
    fires: true,
    series: [
      { series: `kube_statefulset_replicas{${KSM},namespace="shop",statefulset="db"}`, values: `3x${LONG}` },
      { series: `kube_statefulset_status_replicas_ready{${KSM},namespace="shop",statefulset="db"}`, values: `2x${LONG}` },
      { series: `kube_statefulset_status_replicas_updated{${KSM},namespace="shop",statefulset="db"}`, values: `3x${LONG}` },
    ],
  },
  {
    upstream: 'KubeStatefulSetReplicasMismatch',
    name: 'scale-down that does not finish (more ready than desired)',
    fires: true,
    series: [
      { series: `kube_statefulset_replicas{${KSM},namespace="shop",statefulset="db"}`, values: `1x${LONG}` },
      { series: `kube_statefulset_status_replicas_ready{${KSM},namespace="shop",statefulset="db"}`, values: `3x${LONG}` },
      { series: `kube_statefulset_status_replicas_updated{${KSM},namespace="shop",statefulset="db"}`, values: `3x${LONG}` },
    ],
  },
  // NodeFilesystemAlmostOutOfSpace (warning < 5%, critical < 3%)
  { upstream: 'NodeFilesystemAlmostOutOfSpace', name: 'root filesystem 4% free', fires: true, series: fsSeries('device="/dev/nvme0n1p1",fstype="ext4",mountpoint="/"', 4e9, 100e9) },
  { upstream: 'NodeFilesystemAlmostOutOfSpace', name: 'data volume 1% free', fires: true, series: fsSeries('device="/dev/nvme1n1",fstype="xfs",mountpoint="/var/lib/data"', 1e9, 100e9) },
  { upstream: 'NodeFilesystemAlmostOutOfSpace', name: 'a full tmpfs', fires: true, series: fsSeries('device="tmpfs",fstype="tmpfs",mountpoint="/dev/shm"', 0, 1e9) },
  { upstream: 'NodeFilesystemAlmostOutOfSpace', name: 'a full read-only filesystem', fires: false, series: fsSeries('device="/dev/sr0",fstype="iso9660",mountpoint="/media/cdrom"', 0, 1e9, 1) },
  // NodeMemoryHighUtilization
  {
    upstream: 'NodeMemoryHighUtilization',
    name: '5% of memory available',
    fires: true,
    series: [
      { series: `node_memory_MemAvailable_bytes{${NODE}}`, values: `800000000x${LONG}` },
      { series: `node_memory_MemTotal_bytes{${NODE}}`, values: `16000000000x${LONG}` },
    ],
  },
  // NodeCPUHighUsage (counters: seconds per minute of each mode, per CPU)
  {
    upstream: 'NodeCPUHighUsage',
    name: '95% user time on two CPUs',
    fires: true,
    series: ['0', '1'].flatMap((cpu) => [
      { series: `node_cpu_seconds_total{${NODE},cpu="${cpu}",mode="idle"}`, values: `0+3x${LONG}` },
      { series: `node_cpu_seconds_total{${NODE},cpu="${cpu}",mode="user"}`, values: `0+57x${LONG}` },
    ]),
  },
  {
    upstream: 'NodeCPUHighUsage',
    name: 'system and user time, one CPU idle 10% and the other 0%',
    fires: true,
    series: [
      { series: `node_cpu_seconds_total{${NODE},cpu="0",mode="idle"}`, values: `0+6x${LONG}` },
      { series: `node_cpu_seconds_total{${NODE},cpu="0",mode="system"}`, values: `0+24x${LONG}` },
      { series: `node_cpu_seconds_total{${NODE},cpu="0",mode="user"}`, values: `0+30x${LONG}` },
      { series: `node_cpu_seconds_total{${NODE},cpu="1",mode="idle"}`, values: `0x${LONG}` },
      { series: `node_cpu_seconds_total{${NODE},cpu="1",mode="user"}`, values: `0+60x${LONG}` },
    ],
  },
  // KubeNodeNotReady
  {
    upstream: 'KubeNodeNotReady',
    name: 'NotReady, schedulable',
    fires: true,
    series: [
      { series: `kube_node_status_condition{${KSM},node="worker-3",condition="Ready",status="true"}`, values: `0x${LONG}` },
      { series: `kube_node_status_condition{${KSM},node="worker-3",condition="Ready",status="unknown"}`, values: `1x${LONG}` },
      { series: `kube_node_spec_unschedulable{${KSM},node="worker-3"}`, values: `0x${LONG}` },
    ],
  },
  {
    upstream: 'KubeNodeNotReady',
    name: 'NotReady but cordoned',
    fires: false,
    series: [
      { series: `kube_node_status_condition{${KSM},node="worker-3",condition="Ready",status="true"}`, values: `0x${LONG}` },
      { series: `kube_node_spec_unschedulable{${KSM},node="worker-3"}`, values: `1x${LONG}` },
    ],
  },
  // PrometheusRuleFailures
  {
    upstream: 'PrometheusRuleFailures',
    name: 'a rule group failing',
    fires: true,
    series: [{ series: `prometheus_rule_evaluation_failures_total{${PROM},rule_group="/etc/prometheus/rules/a.yaml;a"}`, values: `0+1x${LONG}` }],
  },
  // TargetDown
  {
    upstream: 'TargetDown',
    name: 'the only target of a job down',
    fires: true,
    series: [{ series: 'up{cluster="c1",namespace="shop",job="api",service="api",instance="10.0.3.4:8080"}', values: `0x${LONG}` }],
  },
  {
    upstream: 'TargetDown',
    name: 'one Service of a job down, ten targets of another Service up',
    fires: true,
    series: [
      { series: 'up{cluster="c1",namespace="shop",job="api",service="api-admin",instance="10.0.3.4:9090"}', values: `0x${LONG}` },
      ...Array.from({ length: 10 }, (_, i) => ({ series: `up{cluster="c1",namespace="shop",job="api",service="api",instance="10.0.3.${i + 10}:8080"}`, values: `1x${LONG}` })),
    ],
  },
  // AlertmanagerFailedToSendAlerts (one replica) and AlertmanagerClusterFailedToSendAlerts (all replicas)
  {
    upstream: 'AlertmanagerFailedToSendAlerts',
    name: 'one replica of three fails 5% of its PagerDuty notifications',
    fires: true,
    series: [
      ...amSeries('10.0.2.8:9093', 'pagerduty', 1000, `0+50x${LONG}`),
      ...amSeries('10.0.2.9:9093', 'pagerduty', 1000, `0x${LONG}`),
      ...amSeries('10.0.2.10:9093', 'pagerduty', 1000, `0x${LONG}`),
    ],
  },
  {
    upstream: 'AlertmanagerFailedToSendAlerts',
    name: 'a 3-minute burst of failures (the 15-minute window keeps it)',
    at: '72m',
    fires: true,
    series: amSeries('10.0.2.8:9093', 'slack', 1000, `0x60 100+100x2 300x${LONG}`),
  },
  {
    upstream: 'AlertmanagerClusterFailedToSendAlerts',
    name: 'every replica fails its Slack notifications',
    fires: true,
    series: [
      ...amSeries('10.0.2.8:9093', 'slack', 100, `0+100x${LONG}`),
      ...amSeries('10.0.2.9:9093', 'slack', 100, `0+100x${LONG}`),
    ],
  },
];

/** Whether an alert is firing: 1 or 0, so one expected sample covers both answers. */
const firing = (alerts: readonly string[]) => `(count(ALERTS{alertname=~"${alerts.join('|')}",alertstate="firing"}) or vector(0)) > bool 0`;

function promtool(args: string[], cwd: string): { status: number; output: string } {
  const r = spawnSync('promtool', args, { cwd, encoding: 'utf8' });
  if (r.error) throw new Error(`promtool: ${r.error.message} (install the Debian package "prometheus")`);
  return { status: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
}

describe('every disabled kube-prometheus-stack default rule has a replacement that fires whenever it does', () => {
  const o = resolveOptions({ ...BASE, gitRepoUrl: 'https://github.com/acme/observability.git' } as any);
  const replaced = kubePrometheusStackRulesReplaced(o);
  const upstream = renderUpstream();
  const ours = packRuleGroups(o);
  /** Our alerts that replace each upstream one. */
  const replacements = new Map<string, string[]>();
  for (const name of replaced) replacements.set(name, []);
  // The pack templates say what each alert replaces.
  for (const pack of TEMPLATED_PACKS) {
    for (const a of loadPackTemplate(pack).alerts) for (const r of a.replaces) replacements.get(r)?.push(a.alert);
  }

  test('every replaced name is a real upstream alert, and the generated values turn exactly those off', () => {
    const upstreamNames = new Set(upstream.map((r) => r.alert));
    expect(replaced.filter((n) => !upstreamNames.has(n))).toEqual([]);
    const after = new Set(renderUpstream({ defaultRules: { disabled: Object.fromEntries(replaced.map((n) => [n, true])) } }).map((r) => r.alert));
    expect([...upstreamNames].filter((n) => !after.has(n)).sort()).toEqual(replaced);
    // Watchdog stays (the dead man's switch), and so does the predicted-fill disk alert.
    expect(after.has('Watchdog')).toBe(true);
    expect(after.has('NodeFilesystemSpaceFillingUp')).toBe(true);
  });

  test('every replaced alert has failure scenarios, and every scenario names a replaced alert', () => {
    expect(replaced.filter((n) => !SCENARIOS.some((s) => s.upstream === n && s.fires))).toEqual([]);
    expect(SCENARIOS.filter((s) => !replaced.includes(s.upstream)).map((s) => s.upstream)).toEqual([]);
    expect(replaced.filter((n) => replacements.get(n)!.length === 0)).toEqual([]);
  });

  test('promtool: each scenario makes the upstream rule and ours agree', () => {
    const dir = mkdtempSync(join(tmpdir(), 'obs-equivalence-'));
    // The upstream rules under a prefixed name, so both sets load into one test.
    const upstreamGroup = {
      name: 'upstream',
      rules: upstream.filter((r) => replaced.includes(r.alert)).map((r) => ({ ...r, alert: `Upstream${r.alert}` })),
    };
    writeFileSync(join(dir, 'upstream.rules.yaml'), YAML.stringify({ groups: [upstreamGroup] }));
    writeFileSync(join(dir, 'ours.rules.yaml'), YAML.stringify(renderRuleFile(ours, 'ours.rules.yaml')));
    expect(promtool(['check', 'rules', 'upstream.rules.yaml', 'ours.rules.yaml'], dir).status).toBe(0);
    const tests = SCENARIOS.map((s) => ({
      name: `${s.upstream}: ${s.name}`,
      interval: '1m',
      input_series: s.series,
      promql_expr_test: [
        { expr: firing([`Upstream${s.upstream}`]), eval_time: s.at ?? '2h', exp_samples: [{ labels: '{}', value: s.fires ? 1 : 0 }] },
        { expr: firing(replacements.get(s.upstream)?.length ? replacements.get(s.upstream)! : ['NoReplacement']), eval_time: s.at ?? '2h', exp_samples: [{ labels: '{}', value: s.fires ? 1 : 0 }] },
      ],
    }));
    writeFileSync(join(dir, 'equivalence.test.yaml'), YAML.stringify({
      rule_files: ['upstream.rules.yaml', 'ours.rules.yaml'], evaluation_interval: '1m', tests,
    }));
    const r = promtool(['test', 'rules', 'equivalence.test.yaml'], dir);
    if (process.env.KEEP_EQUIVALENCE) console.log(dir);
    expect(r.output).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });
});
