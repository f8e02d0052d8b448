import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as YAML from 'yaml';
import { FakeService, TrafficMode } from './fake-service';
import { Notification, NotificationSink } from './notification-sink';
import { ServerProcess, findExecutable, freePort, getJson, sleep, tail, waitFor } from './processes';
import { ObservabilityGitOpsProject, ObservabilityGitOpsProjectOptions, ReceiverType, RulePack, SloKind } from '../../src';
import { ruleFilePath } from '../../src/components/alert-rules-files';
import { OPERATOR_SECRETS_DIR, alertmanagerConfig } from '../../src/model/alerts/alertmanager';
import { GOLDEN_SIGNALS_GROUP, SLO_GROUP, ServiceAlert } from '../../src/model/alerts/services';
import { resolveOptions } from '../../src/options/resolve';
import { BASE, synthToDisk } from '../util';

/*
 * The generated alerting, live: the real Prometheus (Debian package
 * `prometheus`, 2.42) evaluates the generated per-service rules against a
 * fake service's metrics, and the real Alertmanager (Debian package
 * `prometheus-alertmanager`, 0.25) routes the alerts with the generated
 * routing to stand-ins for PagerDuty and Slack. Everything listens on
 * 127.0.0.1; every process is stopped by PID at the end.
 *
 * What runs is what the library generates for the options below, read from a
 * synthesized repository:
 * - rules: tests/rules/golden-signals.rules.yaml and tests/rules/service-slos.rules.yaml,
 *   loaded unchanged (checked equal to the PrometheusRule manifests Argo CD syncs).
 *   The short `for` (10s) and the 1s scrape and evaluation intervals are options
 *   (`alerting.forDurations`, `metrics.scrapeInterval`), not edits; expressions,
 *   rate windows, thresholds and labels are as generated.
 * - scrape: the generated ServiceMonitor's path, interval, timeout and relabelings,
 *   after the labels prometheus-operator itself derives from Kubernetes discovery
 *   (namespace, the Kubernetes Service's name as `service`, pod, endpoint), which are
 *   static here as there is no Kubernetes; external labels and intervals from the
 *   generated kube-prometheus-stack values.
 * - routing: `alertmanagerConfig(o, secretsDir)`, checked equal to the generated
 *   values' `alertmanager.config` but for the credential files' directory. Group
 *   timings (1s/2s/1h) are options (`alerting.groupWait` etc.).
 *
 * The one deviation: Alertmanager's `global.pagerduty_url` points at the local
 * stand-in (a receiver's PagerDuty URL can only be set in the config). The
 * Slack receiver needs none: its credential file holds the incoming-webhook URL,
 * and the test writes the stand-in's URL there.
 *
 * The rate windows stay 5m (and up to 3d for the SLO), so a burst of errors
 * would keep the ratios up for minutes after it ends. The recovery therefore
 * serves a surge of healthy requests (100k/s, simulated), which brings every
 * ratio and the p99 below their thresholds within seconds while the windows
 * still hold the errors.
 */

// ---------------------------------------------------------------------------
// What the library is asked to generate
// ---------------------------------------------------------------------------

const ROUTING_KEY = 'live-test-routing-key-0123456789ab';
/** The Kubernetes Service's name: differs from services[].name, so the generated relabeling must set `service`. */
const KUBERNETES_SERVICE = 'checkout-http';
const FOR = '10s';
const FOR_MS = 10_000;

const OPTIONS = {
  ...BASE,
  gitRepoUrl: 'https://github.com/acme/observability.git',
  metrics: { scrapeInterval: '1s' },
  services: [{
    name: 'checkout',
    namespace: 'shop',
    port: 'http',
    errorRateThreshold: 0.05,
    latencyThresholdSeconds: 0.5,
    slos: [{ kind: SloKind.AVAILABILITY, objective: 99.9 }],
  }],
  alerting: {
    rulePacks: [RulePack.GOLDEN_SIGNALS],
    forDurations: { [ServiceAlert.HIGH_ERROR_RATE]: FOR, [ServiceAlert.HIGH_LATENCY]: FOR },
    groupWait: '1s',
    groupInterval: '2s',
    repeatInterval: '1h',
    receivers: [
      { name: 'oncall', type: ReceiverType.PAGERDUTY, secretName: 'pagerduty', secretKey: 'routing-key' },
      { name: 'team-chat', type: ReceiverType.SLACK, secretName: 'slack-webhook', secretKey: 'url', channel: '#alerts' },
    ],
  },
} as ObservabilityGitOpsProjectOptions;

const PAGING = 'oncall';
const CHAT = 'team-chat';

/** Simulated traffic of each phase (the fake service answers 200 or 500 and takes this long). */
const HEALTHY: TrafficMode = { requestsPerSecond: 20, errorRatio: 0, latencySeconds: 0.02 };
const ERRORS: TrafficMode = { requestsPerSecond: 20, errorRatio: 1, latencySeconds: 0.02 };
const SLOW: TrafficMode = { requestsPerSecond: 20, errorRatio: 0, latencySeconds: 2 };
const RECOVERED: TrafficMode = { requestsPerSecond: 100_000, errorRatio: 0, latencySeconds: 0.02 };

// ---------------------------------------------------------------------------
// Bounds (the file runs in about a minute; these only bound a failure)
// ---------------------------------------------------------------------------

const START_TIMEOUT_MS = 20_000;
const PHASE_WAIT_MS = 35_000;
const PHASE_TEST_MS = 50_000;
/** How long the healthy service is watched for alerts, once the rules have data: several evaluations. */
const QUIET_MS = 5_000;
/** How long the recovered pipeline must stay quiet: longer than group_interval (2s), so nothing is still on its way. */
const SETTLE_MS = 3_000;

jest.setTimeout(60_000);

const MISSING_TOOLS = 'install the Debian packages prometheus and prometheus-alertmanager (apt-get install -y prometheus prometheus-alertmanager)';

// ---------------------------------------------------------------------------
// State shared by the phases
// ---------------------------------------------------------------------------

const tempDirs: string[] = [];
const processes: ServerProcess[] = [];
let service: FakeService | undefined;
let sink: NotificationSink | undefined;
let promUrl = '';
let amUrl = '';
/** The first phase that failed: later phases depend on it and are not run (so a failure costs one timeout, not five). */
let broken: string | undefined;

const SELECTOR = 'namespace="shop", service="checkout"';

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** Synthesize the repository into a temp folder, as `npx projen` would (without post-synth steps). */
function synthRepo(): string {
  const outdir = tempDir('obs-live-repo-');
  const project = new ObservabilityGitOpsProject({ ...OPTIONS, outdir } as ObservabilityGitOpsProjectOptions);
  synthToDisk(project);
  return outdir;
}

function readYaml(root: string, file: string): any {
  const path = join(root, file);
  if (!existsSync(path)) throw new Error(`the generated repository has no ${file}`);
  return YAML.parse(readFileSync(path, 'utf8'));
}

/** Every YAML document under `dir` (recursively) whose kind is `kind`. */
function manifestsOfKind(dir: string, kind: string): any[] {
  if (!existsSync(dir)) return [];
  const out: any[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {out.push(...manifestsOfKind(path, kind));} else if (entry.name.endsWith('.yaml')) {
      const doc = YAML.parse(readFileSync(path, 'utf8'));
      if (doc?.kind === kind) out.push(doc);
    }
  }
  return out;
}

/** A prometheus-operator RelabelConfig (camelCase) as Prometheus reads it (snake_case). */
function operatorRelabeling(r: Record<string, unknown>): Record<string, unknown> {
  const keys: Record<string, string> = {
    action: 'action',
    sourceLabels: 'source_labels',
    separator: 'separator',
    targetLabel: 'target_label',
    regex: 'regex',
    modulus: 'modulus',
    replacement: 'replacement',
  };
  return Object.fromEntries(Object.entries(r).map(([k, v]) => {
    if (!(k in keys)) throw new Error(`ServiceMonitor relabeling field ${k} is not translated by this test`);
    return [keys[k], k === 'action' ? String(v).toLowerCase() : v];
  }));
}

// ---------------------------------------------------------------------------
// Prometheus and Alertmanager APIs
// ---------------------------------------------------------------------------

interface PromAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: 'pending' | 'firing';
  activeAt: string;
  value: string;
}

async function promAlerts(): Promise<PromAlert[]> {
  return (await getJson(`${promUrl}/api/v1/alerts`)).data.alerts;
}

async function query(expr: string): Promise<Array<{ metric: Record<string, string>; value: number }>> {
  const j = await getJson(`${promUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
  return j.data.result.map((r: any) => ({ metric: r.metric, value: Number(r.value[1]) }));
}

interface AmAlert {
  labels: Record<string, string>;
  status: { state: 'active' | 'suppressed' | 'unprocessed'; inhibitedBy: string[]; silencedBy: string[] };
  receivers: Array<{ name: string }>;
}

async function amAlerts(): Promise<AmAlert[]> {
  return getJson(`${amUrl}/api/v2/alerts`);
}

function describeAlert(labels: Record<string, string>): string {
  const { alertname, severity, ...rest } = labels;
  return `${alertname}{severity=${severity ?? ''}${Object.entries(rest).sort().map(([k, v]) => `, ${k}=${v}`).join('')}}`;
}

/** What Prometheus, Alertmanager and the stand-ins see: printed when a wait times out. */
async function pipelineState(): Promise<string> {
  const sections: string[] = [];
  const section = async (title: string, body: () => Promise<string>) => {
    try {
      sections.push(`--- ${title}\n${await body()}`);
    } catch (e) {
      sections.push(`--- ${title}\n(unavailable: ${(e as Error).message})`);
    }
  };
  await section('Prometheus alerts (/api/v1/alerts)', async () => {
    const alerts = await promAlerts();
    return alerts.length === 0 ? '(none)' : alerts.map((a) => `${a.state} ${describeAlert(a.labels)} value=${a.value} activeAt=${a.activeAt}`).join('\n');
  });
  await section('recorded signals', async () => {
    const exprs = [
      `up{${SELECTOR}}`,
      `namespace_service:requests:rate5m{${SELECTOR}}`,
      `namespace_service:request_errors:ratio_rate5m{${SELECTOR}}`,
      `namespace_service_quantile:request_duration_seconds:histogram_quantile5m{${SELECTOR}, quantile="0.99"}`,
      `namespace_service_slo:sli_error:ratio_rate5m{${SELECTOR}}`,
      `namespace_service_slo:sli_error:ratio_rate1h{${SELECTOR}}`,
      `namespace_service_slo:sli_error:ratio_rate3d{${SELECTOR}}`,
    ];
    const lines: string[] = [];
    for (const e of exprs) lines.push(`${e} = ${(await query(e)).map((r) => r.value).join(', ') || '(no data)'}`);
    return lines.join('\n');
  });
  await section('Alertmanager alerts (/api/v2/alerts)', async () => {
    const alerts = await amAlerts();
    return alerts.length === 0 ? '(none)' : alerts.map((a) => `${a.status.state} ${describeAlert(a.labels)} receivers=${a.receivers.map((r) => r.name).join(',')}`
      + `${a.status.inhibitedBy.length > 0 ? ' inhibited' : ''}`).join('\n');
  });
  sections.push(`--- notifications received\n${sink?.summary() ?? '(no receiver)'}`);
  sections.push(`--- fake service: ${service ? `${service.scrapeCount} scrapes, requests ${JSON.stringify(service.requests())}` : 'not started'}`);
  for (const p of processes) {
    sections.push(`--- ${p.name} (pid ${p.pid}) ${p.running ? 'running' : 'EXITED'}; end of its log:\n${tail(p.logFile, p.running ? 5 : 25)}`);
  }
  return sections.join('\n');
}

/** Start a server on a free port, retrying with another port if it loses the race for it. */
async function startServer(
  name: string, binary: string, logDir: string, args: (port: number) => string[],
): Promise<{ proc: ServerProcess; url: string }> {
  let lastError: Error | undefined;
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = await freePort();
    const proc = new ServerProcess(name, binary, args(port), join(logDir, `${name}.log`));
    processes.push(proc);
    const url = `http://127.0.0.1:${port}`;
    try {
      await proc.waitReady(`${url}/-/ready`, START_TIMEOUT_MS);
      return { proc, url };
    } catch (e) {
      lastError = e as Error;
      await proc.stop();
      if (!/address already in use/.test(tail(proc.logFile, 50))) break;
    }
  }
  throw lastError!;
}

/** A notification matching, once it has arrived. */
function notification(match: (n: Notification) => boolean): Notification | undefined {
  return sink!.notifications.find(match);
}

function phase(name: string, body: () => Promise<void>): void {
  test(name, async () => {
    if (broken !== undefined) throw new Error(`not run: it depends on "${broken}", which failed`);
    try {
      await body();
    } catch (e) {
      broken = name;
      throw e;
    }
  }, PHASE_TEST_MS);
}

// ---------------------------------------------------------------------------
// The pipeline
// ---------------------------------------------------------------------------

describe('live alert pipeline: generated rules and routing in Prometheus and Alertmanager', () => {
  /** Generated files, read in beforeAll. */
  let repo = '';
  let generated: { rules: any[]; prometheusRuleGroups: any[]; monitor: any; kpsValues: any };
  /** The routing Alertmanager runs, and the directory its credential files are in. */
  let running: { routing: unknown; secretsDir: string };
  const o = resolveOptions(OPTIONS);

  beforeAll(async () => {
    try {
      const prometheus = findExecutable('prometheus');
      const alertmanager = findExecutable('prometheus-alertmanager') ?? findExecutable('alertmanager');
      if (!prometheus || !alertmanager) {
        throw new Error(`${!prometheus ? 'prometheus' : 'prometheus-alertmanager'} is not installed: ${MISSING_TOOLS}`);
      }

      repo = synthRepo();
      const ruleFiles = [ruleFilePath(GOLDEN_SIGNALS_GROUP), ruleFilePath(SLO_GROUP)];
      generated = {
        rules: ruleFiles.map((f) => readYaml(repo, f)),
        prometheusRuleGroups: manifestsOfKind(join(repo, 'manifests'), 'PrometheusRule').flatMap((r) => r.spec.groups),
        monitor: manifestsOfKind(join(repo, 'manifests'), 'ServiceMonitor').find((m) => m.metadata.name === 'checkout' && m.metadata.namespace === 'shop'),
        kpsValues: readYaml(repo, 'values/kube-prometheus-stack.yaml'),
      };
      if (!generated.monitor) throw new Error('the generated repository has no ServiceMonitor shop/checkout');

      const work = tempDir('obs-live-run-');
      sink = new NotificationSink();
      await sink.start();
      service = new FakeService(o.services[0], HEALTHY);
      const servicePort = await service.start();

      // Alertmanager: the generated routing, credentials in files under a temp "Secrets" directory.
      const secretsDir = join(work, 'secrets');
      for (const r of o.alerting.receivers) {
        const file = join(secretsDir, r.secretName, r.secretKey);
        mkdirSync(join(secretsDir, r.secretName), { recursive: true });
        const credential = r.type === ReceiverType.SLACK ? sink.slackUrl(r.name) : r.type === ReceiverType.PAGERDUTY ? ROUTING_KEY : undefined;
        if (credential === undefined) throw new Error(`receiver type ${r.type} has no stand-in in this test`);
        writeFileSync(file, `${credential}\n`); // with a trailing newline, as a Secret made --from-file often has: Alertmanager trims it
      }
      const routing = alertmanagerConfig(o, secretsDir) as any;
      running = { routing, secretsDir };
      const amConfig = { ...routing, global: { ...routing.global, pagerduty_url: sink.pagerdutyUrl() } };
      writeFileSync(join(work, 'alertmanager.yml'), YAML.stringify(amConfig));
      const am = await startServer('alertmanager', alertmanager, work, (port) => [
        `--config.file=${join(work, 'alertmanager.yml')}`,
        `--storage.path=${join(work, 'alertmanager-data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        `--web.external-url=http://127.0.0.1:${port}/`,
        '--cluster.listen-address=', // no gossip: a single instance, nothing listens beyond the web port
      ]);
      amUrl = am.url;

      // Prometheus: the generated rule files, intervals and external labels, and a scrape job from the ServiceMonitor.
      const spec = generated.kpsValues.prometheus.prometheusSpec;
      const endpoint = generated.monitor.spec.endpoints[0];
      const promConfig = {
        global: {
          scrape_interval: spec.scrapeInterval,
          evaluation_interval: spec.evaluationInterval,
          external_labels: spec.externalLabels,
        },
        rule_files: ruleFiles.map((f) => join(repo, f)),
        alerting: { alertmanagers: [{ static_configs: [{ targets: [am.url.replace('http://', '')] }] }] },
        scrape_configs: [{
          job_name: `serviceMonitor/${generated.monitor.metadata.namespace}/${generated.monitor.metadata.name}/0`,
          scrape_interval: endpoint.interval,
          scrape_timeout: endpoint.scrapeTimeout,
          metrics_path: endpoint.path,
          static_configs: [{ targets: [`127.0.0.1:${servicePort}`] }],
          relabel_configs: [
            // What prometheus-operator sets from Kubernetes discovery (no Kubernetes here).
            { target_label: 'namespace', replacement: generated.monitor.metadata.namespace },
            { target_label: 'service', replacement: KUBERNETES_SERVICE },
            { target_label: 'job', replacement: KUBERNETES_SERVICE },
            { target_label: 'pod', replacement: 'checkout-5d8f7c9b6-x2x7q' },
            { target_label: 'endpoint', replacement: endpoint.port },
            // The ServiceMonitor's own relabelings, as generated (applied after the operator's).
            ...endpoint.relabelings.map(operatorRelabeling),
          ],
        }],
      };
      writeFileSync(join(work, 'prometheus.yml'), YAML.stringify(promConfig));
      const prom = await startServer('prometheus', prometheus, work, (port) => [
        `--config.file=${join(work, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(work, 'prometheus-data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ]);
      promUrl = prom.url;
    } catch (e) {
      broken = 'setup';
      throw e;
    }
  }, 60_000);

  afterAll(async () => {
    // LIVE_PIPELINE_VERBOSE=1 prints what the pipeline saw, including a passing run's notifications.
    if (process.env.LIVE_PIPELINE_VERBOSE && promUrl) console.log(await pipelineState());
    // Prometheus first (it sends to Alertmanager), then Alertmanager, then the in-process servers.
    for (const p of [...processes].reverse()) await p.stop(5_000);
    await service?.stop();
    await sink?.stop();
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  phase('runs the configuration as generated', async () => {
    // The rule files promtool checks are the groups Argo CD syncs as PrometheusRules.
    expect(generated.rules.flatMap((f) => f.groups)).toEqual(
      generated.prometheusRuleGroups.filter((g) => [GOLDEN_SIGNALS_GROUP, SLO_GROUP].includes(g.name)));
    // The routing is the values' alertmanager.config, but for where the Secrets are mounted.
    const asDeployed = JSON.parse(JSON.stringify(running.routing).split(running.secretsDir).join(OPERATOR_SECRETS_DIR));
    expect(asDeployed).toEqual(generated.kpsValues.alertmanager.config);
    const alerts = generated.rules.flatMap((f) => f.groups).flatMap((g: any) => g.rules).filter((r: any) => r.alert);
    expect(alerts.map((r: any) => [r.alert, r.labels.severity, r.for])).toEqual([
      [ServiceAlert.HIGH_ERROR_RATE, 'warning', FOR],
      [ServiceAlert.HIGH_LATENCY, 'warning', FOR],
      [ServiceAlert.ERROR_BUDGET_BURN, 'critical', undefined],
      [ServiceAlert.ERROR_BUDGET_BURN, 'warning', undefined],
    ]);
    // Both Prometheus and Alertmanager loaded them.
    const groups = (await getJson(`${promUrl}/api/v1/rules`)).data.groups;
    expect(groups.map((g: any) => [g.name, g.rules.length])).toEqual(
      generated.rules.flatMap((f) => f.groups).map((g: any) => [g.name, g.rules.length]));
    const loaded = YAML.parse((await getJson(`${amUrl}/api/v2/status`)).config.original);
    // Watchdog, InfoInhibitor; a PagerDuty failure to chat, a chat failure to the pager; then by severity.
    expect(loaded.route.routes.map((r: any) => r.receiver)).toEqual(['null', 'null', CHAT, PAGING, PAGING, CHAT]);
    expect(loaded.global.pagerduty_url).toBe(sink!.pagerdutyUrl());
  });

  phase('healthy: the rules see the service, and nothing fires', async () => {
    // The target is up with the generated labels, and every signal is recorded: the error ratios
    // are 0 (not "no data": there is no code="500" series yet), p99 is the fast bucket's.
    await waitFor('the recording rules to have data for shop/checkout', PHASE_WAIT_MS, async () => {
      const [up, errors, p99, slo] = await Promise.all([
        query(`up{${SELECTOR}}`),
        query(`namespace_service:request_errors:ratio_rate5m{${SELECTOR}}`),
        query(`namespace_service_quantile:request_duration_seconds:histogram_quantile5m{${SELECTOR}, quantile="0.99"}`),
        query(`namespace_service_slo:sli_error:ratio_rate5m{${SELECTOR}, slo="availability"}`),
      ]);
      return up.length === 1 && up[0].value === 1 && errors.length === 1 && p99.length === 1 && slo.length === 1 ? { errors, p99, slo } : undefined;
    }, pipelineState).then(({ errors, p99, slo }) => {
      expect(errors[0].value).toBe(0);
      expect(slo[0].value).toBe(0);
      expect(p99[0].value).toBeLessThan(0.05);
    });
    // Several evaluations later, still nothing pending or firing, nothing in Alertmanager, nothing sent.
    const until = Date.now() + QUIET_MS;
    while (Date.now() < until) {
      const alerts = await promAlerts();
      if (alerts.length > 0) throw new Error(`an alert is active while the service is healthy\n${await pipelineState()}`);
      await sleep(500);
    }
    expect(await amAlerts()).toEqual([]);
    expect(sink!.notifications).toEqual([]);
    expect(sink!.problems).toEqual([]);
  });

  phase('errors: the fast burn pages (critical), ServiceHighErrorRate goes to chat (warning), the ticket is muted', async () => {
    const start = Date.now();
    service!.setMode(ERRORS);
    const [page, chat] = await waitFor(
      `a page (${PAGING}) for ${ServiceAlert.ERROR_BUDGET_BURN} and a chat message (${CHAT}) for ${ServiceAlert.HIGH_ERROR_RATE}`,
      PHASE_WAIT_MS, () => {
        const p = notification((n) => n.kind === 'pagerduty' && n.status === 'firing' && n.alertname === ServiceAlert.ERROR_BUDGET_BURN);
        const c = notification((n) => n.kind === 'slack' && n.status === 'firing' && n.alertname === ServiceAlert.HIGH_ERROR_RATE);
        return p && c ? [p, c] as const : undefined;
      }, pipelineState);

    // The page: PagerDuty Events v2 through the paging receiver, with the key from its credential file.
    expect(page.receiver).toBe(PAGING);
    expect(page.body.routing_key).toBe(ROUTING_KEY);
    expect(page.title).toBe('[FIRING:1] ServiceErrorBudgetBurn in-cluster shop checkout availability (critical)');
    expect(page.body.payload.severity).toBe('critical');
    // The on-call engineer gets the runbook (Alertmanager's default PagerDuty details list the annotations).
    expect(page.body.payload.custom_details.firing).toContain(' - runbook_url = https://github.com/acme/observability/blob/main/docs/runbooks/ServiceErrorBudgetBurn.md');
    // The chat message: Slack through the chat receiver, on the URL from its credential file.
    expect(chat.receiver).toBe(CHAT);
    expect(chat.path).toBe(`/slack/${CHAT}`);
    expect(chat.body.channel).toBe('#alerts');
    expect(chat.title).toBe('[FIRING:1] ServiceHighErrorRate in-cluster shop (checkout warning)');
    // The message carries the alert's summary and its runbook link, not just the title.
    expect(chat.body.attachments[0].text).toContain('<https://github.com/acme/observability/blob/main/docs/runbooks/ServiceHighErrorRate.md|Runbook>');
    expect(chat.body.attachments[0].text).toMatch(/^\*.+\*\n/);
    // ServiceHighErrorRate waited for its `for`; the burn-rate page has none and came first.
    expect(chat.at - start).toBeGreaterThanOrEqual(FOR_MS);
    expect(page.at).toBeLessThan(chat.at);

    // In Prometheus: all three alerts fire, including the slow-burn ticket (100% errors exceed every burn rate).
    const firing = (await promAlerts()).filter((a) => a.state === 'firing');
    expect(firing.map((a) => `${a.labels.alertname}/${a.labels.severity}`).sort()).toEqual([
      `${ServiceAlert.ERROR_BUDGET_BURN}/critical`,
      `${ServiceAlert.ERROR_BUDGET_BURN}/warning`,
      `${ServiceAlert.HIGH_ERROR_RATE}/warning`,
    ]);
    const errorRate = firing.find((a) => a.labels.alertname === ServiceAlert.HIGH_ERROR_RATE)!;
    expect(errorRate.labels).toMatchObject({ namespace: 'shop', service: 'checkout', severity: 'warning' });
    // `cluster` is an external label: absent inside Prometheus, added to what it sends (the titles above have it).
    expect(errorRate.labels.cluster).toBeUndefined();
    expect(errorRate.annotations.summary).toMatch(/^shop\/checkout answers \d+(\.\d+)?% of its requests with 5xx\.$/);

    // In Alertmanager: the ticket is inhibited by the page (same alertname, cluster, namespace, service, slo).
    const ticket = await waitFor('Alertmanager to hold the slow-burn ticket', PHASE_WAIT_MS, async () =>
      (await amAlerts()).find((a) => a.labels.alertname === ServiceAlert.ERROR_BUDGET_BURN && a.labels.severity === 'warning'), pipelineState);
    expect(ticket.status.state).toBe('suppressed');
    expect(ticket.status.inhibitedBy.length).toBe(1);
    expect(ticket.receivers.map((r) => r.name)).toEqual([CHAT]);
    expect(ticket.labels).toMatchObject({ cluster: 'in-cluster', namespace: 'shop', service: 'checkout', slo: 'availability' });

    // Nothing went where it should not: no ticket in chat, no warning paged.
    await sleep(2_500); // one more group_interval for anything late
    expect(sink!.notifications.filter((n) => n.kind === 'slack' && n.alertname === ServiceAlert.ERROR_BUDGET_BURN)).toEqual([]);
    expect(sink!.notifications.filter((n) => n.kind === 'pagerduty' && n.alertname !== ServiceAlert.ERROR_BUDGET_BURN)).toEqual([]);
    expect(sink!.problems).toEqual([]);
  });

  phase('latency: ServiceHighLatency goes to chat (warning)', async () => {
    const start = Date.now();
    service!.setMode(SLOW);
    const chat = await waitFor(`a chat message (${CHAT}) for ${ServiceAlert.HIGH_LATENCY}`, PHASE_WAIT_MS, () =>
      notification((n) => n.kind === 'slack' && n.status === 'firing' && n.alertname === ServiceAlert.HIGH_LATENCY), pipelineState);
    expect(chat.receiver).toBe(CHAT);
    // The alert keeps the recording rule's `quantile` label, so it shows in the title.
    expect(chat.title).toBe('[FIRING:1] ServiceHighLatency in-cluster shop (0.99 checkout warning)');
    expect(chat.at - start).toBeGreaterThanOrEqual(FOR_MS);
    const latency = (await promAlerts()).find((a) => a.labels.alertname === ServiceAlert.HIGH_LATENCY)!;
    expect(latency.state).toBe('firing');
    expect(Number(latency.value)).toBeGreaterThan(0.5);
    expect(latency.annotations.summary).toMatch(/^shop\/checkout p99 latency is \d+(\.\d+)?s\.$/);
    expect(sink!.notifications.filter((n) => n.kind === 'pagerduty' && n.alertname === ServiceAlert.HIGH_LATENCY)).toEqual([]);
  });

  phase('recovery: every alert resolves, and every notified group gets a resolved notification', async () => {
    service!.setMode(RECOVERED);
    const groups = (ns: Notification[]) => {
      const last = new Map<string, Notification>();
      for (const n of ns) last.set(`${n.kind} ${n.receiver} ${n.alertname}`, n);
      return last;
    };
    // Settled: no alert active, and every group's last notification "resolved", for SETTLE_MS on end
    // (when the page resolves, the slow-burn ticket it muted may still fire briefly, and be sent).
    let settledSince: number | undefined;
    await waitFor(`every alert to resolve and every notified group to end with a resolved notification, for ${SETTLE_MS / 1000}s`, PHASE_WAIT_MS, async () => {
      const quiet = (await promAlerts()).length === 0 && (await amAlerts()).every((a) => a.status.state !== 'active')
        && [...groups(sink!.notifications).values()].every((n) => n.status === 'resolved');
      settledSince = quiet ? settledSince ?? Date.now() : undefined;
      return settledSince !== undefined && Date.now() - settledSince >= SETTLE_MS ? true : undefined;
    }, pipelineState);

    const resolved = (kind: string, alertname: string) =>
      sink!.notifications.find((n) => n.kind === kind && n.alertname === alertname && n.status === 'resolved');
    const page = resolved('pagerduty', ServiceAlert.ERROR_BUDGET_BURN);
    expect(page?.title).toBe('[RESOLVED] ServiceErrorBudgetBurn in-cluster shop checkout availability (critical)');
    // PagerDuty resolves the incident the trigger opened.
    const trigger = notification((n) => n.kind === 'pagerduty' && n.status === 'firing')!;
    expect(page?.body.dedup_key).toBe(trigger.body.dedup_key);
    expect(resolved('slack', ServiceAlert.HIGH_ERROR_RATE)?.title).toBe('[RESOLVED] ServiceHighErrorRate in-cluster shop (checkout warning)');
    expect(resolved('slack', ServiceAlert.HIGH_LATENCY)?.title).toBe('[RESOLVED] ServiceHighLatency in-cluster shop (0.99 checkout warning)');
    expect([...groups(sink!.notifications).keys()].sort()).toEqual(expect.arrayContaining([
      `pagerduty ${PAGING} ${ServiceAlert.ERROR_BUDGET_BURN}`,
      `slack ${CHAT} ${ServiceAlert.HIGH_ERROR_RATE}`,
      `slack ${CHAT} ${ServiceAlert.HIGH_LATENCY}`,
    ]));
    expect(sink!.problems).toEqual([]);
  });
});
