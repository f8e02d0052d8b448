import { spawnSync } from 'child_process';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as YAML from 'yaml';
import { MetricsFlavor, ObservabilityGitOpsProjectOptions, HeartbeatType } from '../../src';
import {
  NULL_RECEIVER, alertingReadmeLines, alertmanagerConfig, alertmanagerSecretMounts,
} from '../../src/model/alerts/alertmanager';
import { resolveOptions } from '../../src/options/resolve';
import { InvalidOptionError } from '../../src/validation/errors';
import { BASE, RECEIVER, fleetOf, synthFiles } from '../util';

const KPS = 'values/kube-prometheus-stack.yaml';
const PROMETHEUS = 'values/prometheus.yaml';

/** One receiver of each type; two share a Secret (different keys). */
const ALL_FIVE = {
  receivers: [RECEIVER.oncall, RECEIVER.slack, RECEIVER.teams, RECEIVER.hook, RECEIVER.mail],
};

function resolved(options: Partial<ObservabilityGitOpsProjectOptions> = {}) {
  return resolveOptions({ ...BASE, gitRepoUrl: 'https://github.com/acme/observability.git', ...options } as ObservabilityGitOpsProjectOptions);
}

// ---------------------------------------------------------------------------
// amtool (Debian package prometheus-alertmanager, Alertmanager 0.25.0 on bookworm)
// ---------------------------------------------------------------------------

function amtool(args: string[]): { status: number; stdout: string; out: string } {
  const r = spawnSync('amtool', args, { encoding: 'utf8' });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error('amtool is not installed: install the Debian package prometheus-alertmanager (apt-get install prometheus-alertmanager)');
  }
  return { status: r.status ?? -1, stdout: r.stdout, out: `${r.stdout}${r.stderr}` };
}

/**
 * The generated config targets the charts' Alertmanager v0.34.0. Two of its
 * fields are newer than amtool 0.25, which rejects unknown fields:
 * - webhook `url_file` (Alertmanager 0.26): replaced by an equivalent inline
 *   `url` so amtool still checks the rest of the webhook receiver;
 * - `msteamsv2_configs` (0.28; 0.25 has no Teams integration at all): removed,
 *   the receiver kept by name so the routes that use it are still checked.
 * Everything else is checked as generated. The msteamsv2 and url_file shapes
 * themselves are asserted structurally below (no 0.26+ tool is available).
 */
function for025(config: any): any {
  const copy = JSON.parse(JSON.stringify(config));
  for (const r of copy.receivers) {
    for (const w of r.webhook_configs ?? []) {
      expect(Object.keys(w).sort()).toEqual(['send_resolved', 'url_file']);
      delete w.url_file;
      w.url = 'https://alerts.example.com/hook';
    }
    if (r.msteamsv2_configs) delete r.msteamsv2_configs;
  }
  return copy;
}

function writeConfig(config: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'obs-alertmanager-')), 'alertmanager.yml');
  writeFileSync(file, YAML.stringify(config));
  return file;
}

function checkConfig(config: unknown): string {
  const file = writeConfig(config);
  const r = amtool(['check-config', file]);
  if (r.status !== 0) throw new Error(`amtool check-config failed:\n${r.out}\n${YAML.stringify(config)}`);
  return r.out;
}

/** The receiver amtool routes an alert with these labels to. */
function routeOf(file: string, ...labels: string[]): string {
  const r = amtool(['config', 'routes', 'test', `--config.file=${file}`, ...labels]);
  if (r.status !== 0) throw new Error(`amtool config routes test failed:\n${r.out}`);
  // amtool warns about --alertmanager.url on stderr; the receiver is stdout's only line.
  return r.stdout.trim();
}

describe('amtool is installed', () => {
  test('amtool --version names Alertmanager 0.25 or newer', () => {
    const r = amtool(['--version']);
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/amtool, version 0\.\d+\.\d+/);
  });
});

describe('no receivers', () => {
  const o = resolved();
  const config: any = alertmanagerConfig(o);

  test('only the null receiver; amtool accepts it as generated', () => {
    expect(config.receivers).toEqual([{ name: NULL_RECEIVER }]);
    expect(checkConfig(config)).toMatch(/SUCCESS/);
  });

  test('every alert goes to null, routing options applied', () => {
    expect(config.route).toMatchObject({
      receiver: 'null', group_by: ['alertname', 'cluster', 'namespace'], group_wait: '30s', group_interval: '5m', repeat_interval: '4h',
    });
    const file = writeConfig(config);
    expect(routeOf(file, 'severity=critical', 'alertname=KubePodCrashLooping')).toBe('null');
    expect(routeOf(file, 'severity=warning', 'alertname=X')).toBe('null');
    expect(alertmanagerSecretMounts(o)).toEqual([]);
  });

  test('README says nothing is sent', () => {
    const text = alertingReadmeLines(o).join('\n');
    expect(text).toMatch(/^## Alerting/);
    expect(text).toContain('No receivers are configured');
    expect(text).toContain('no notification is sent');
  });

  test('kube-prometheus-stack values carry the config and no secrets', () => {
    const values = synthFiles()[KPS];
    expect(values.alertmanager.config.receivers).toEqual([{ name: 'null' }]);
    expect(values.alertmanager.alertmanagerSpec).toEqual({ replicas: 1 });
  });
});

describe('all five receiver types', () => {
  const o = resolved({ alerting: ALL_FIVE as any });
  const config: any = alertmanagerConfig(o);
  const receiver = (name: string) => config.receivers.find((r: any) => r.name === name);

  test('defaults: PagerDuty pages, the first Slack/Teams receiver chats', () => {
    expect(o.alerting.pagingReceiver).toBe('oncall');
    expect(o.alerting.chatReceiver).toBe('team-slack');
    expect(config.route.routes).toEqual([
      { receiver: 'null', matchers: ['alertname="Watchdog"'], continue: false },
      { receiver: 'null', matchers: ['alertname="InfoInhibitor"'], continue: false },
      // A failing integration's alert goes to a receiver of another integration.
      {
        receiver: 'team-slack',
        matchers: ['alertname=~"AlertmanagerNotificationsFailing"', 'integration="pagerduty"'],
        group_by: ['alertname', 'cluster', 'namespace', 'service', 'slo', 'integration'],
        continue: false,
      },
      {
        receiver: 'oncall',
        matchers: ['alertname=~"AlertmanagerNotificationsFailing"', 'integration="slack"'],
        group_by: ['alertname', 'cluster', 'namespace', 'service', 'slo', 'integration'],
        continue: false,
      },
      { receiver: 'oncall', matchers: ['severity="critical"'], group_by: ['alertname', 'cluster', 'namespace', 'service', 'slo'], continue: false },
      { receiver: 'team-slack', matchers: ['severity="warning"'], continue: false },
    ]);
  });

  test('every credential is a file under the operator secrets dir, never inline', () => {
    expect(receiver('oncall')).toEqual({
      name: 'oncall',
      pagerduty_configs: [{
        send_resolved: true,
        routing_key_file: '/etc/alertmanager/secrets/pagerduty/routing-key',
        severity: expect.stringContaining('.CommonLabels.severity'),
        links: [expect.objectContaining({ text: 'Runbook' })],
      }],
    });
    expect(receiver('team-slack')).toEqual({
      name: 'team-slack',
      slack_configs: [{
        send_resolved: true,
        api_url_file: '/etc/alertmanager/secrets/chat-hooks/slack-url',
        channel: '#alerts',
        text: expect.stringMatching(/\.Annotations\.summary[\s\S]*\.Annotations\.description[\s\S]*\.Annotations\.runbook_url/),
      }],
    });
    expect(receiver('teams')).toEqual({
      name: 'teams', msteamsv2_configs: [{ send_resolved: true, webhook_url_file: '/etc/alertmanager/secrets/chat-hooks/teams-url' }],
    });
    expect(receiver('hook')).toEqual({
      name: 'hook', webhook_configs: [{ send_resolved: true, url_file: '/etc/alertmanager/secrets/webhook/url' }],
    });
    expect(receiver('mail')).toEqual({
      name: 'mail',
      email_configs: [{
        send_resolved: true,
        to: 'sre@example.com',
        from: 'alertmanager@example.com',
        smarthost: 'smtp.example.com:587',
        auth_username: 'alertmanager',
        auth_password_file: '/etc/alertmanager/secrets/smtp/password',
      }],
    });
  });

  test('amtool 0.25 rejects the two 0.26+ fields (so the substitution in for025 is needed)', () => {
    const webhookOnly = { route: { receiver: 'hook' }, receivers: [receiver('hook')] };
    expect(amtool(['check-config', writeConfig(webhookOnly)]).out).toContain('field url_file not found');
    const teamsOnly = { route: { receiver: 'teams' }, receivers: [receiver('teams')] };
    expect(amtool(['check-config', writeConfig(teamsOnly)]).out).toContain('field msteamsv2_configs not found');
  });

  test('amtool check-config accepts the config (0.26+ fields substituted, see for025); credential files need not exist', () => {
    const out = checkConfig(for025(config));
    expect(out).toContain('6 receivers');
    expect(out).toContain('6 inhibit rules');
  });

  test('amtool routes: critical → paging, warning → chat, Watchdog/InfoInhibitor/info → null', () => {
    const file = writeConfig(for025(config));
    expect(routeOf(file, 'severity=critical', 'alertname=KubeNodeNotReady')).toBe('oncall');
    expect(routeOf(file, 'severity=warning', 'alertname=KubePodCrashLooping')).toBe('team-slack');
    expect(routeOf(file, 'severity=none', 'alertname=Watchdog')).toBe('null');
    expect(routeOf(file, 'severity=critical', 'alertname=Watchdog')).toBe('null');
    expect(routeOf(file, 'severity=none', 'alertname=InfoInhibitor')).toBe('null');
    expect(routeOf(file, 'severity=info', 'alertname=KubeQuotaAlmostFull')).toBe('null');
    expect(routeOf(file, 'alertname=NoSeverity')).toBe('null');
  });

  test('chatReceiver = Teams: warnings route to the msteamsv2 receiver', () => {
    const teams = alertmanagerConfig(resolved({ alerting: { ...ALL_FIVE, chatReceiver: 'teams' } as any }));
    const file = writeConfig(for025(teams));
    expect(checkConfig(for025(teams))).toMatch(/SUCCESS/);
    expect(routeOf(file, 'severity=warning', 'alertname=X')).toBe('teams');
    expect(routeOf(file, 'severity=critical', 'alertname=X')).toBe('oncall');
  });

  test('inhibition: critical mutes the warning with the same alertname, cluster, namespace, service', () => {
    expect(config.inhibit_rules[0]).toEqual({
      source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ['alertname', 'cluster', 'namespace', 'service', 'slo'],
    });
    expect(config.inhibit_rules).toContainEqual({ target_matchers: ['alertname="InfoInhibitor"'] });
  });

  test('inhibition: the critical disk tier mutes the warning tier of the same filesystem (one full disk, one notification)', () => {
    expect(config.inhibit_rules).toContainEqual({
      source_matchers: ['alertname="NodeFilesystemNearlyFull"'],
      target_matchers: ['alertname="NodeFilesystemRunningOut"'],
      equal: ['cluster', 'instance', 'mountpoint'],
    });
  });

  test('each distinct Secret mounted once; kube-prometheus-stack lists exactly them', () => {
    expect(alertmanagerSecretMounts(o).map((m) => m.secretName)).toEqual(['pagerduty', 'chat-hooks', 'webhook', 'smtp']);
    const values = synthFiles({ alerting: ALL_FIVE as any })[KPS];
    expect(values.alertmanager.alertmanagerSpec).toEqual({ replicas: 1, secrets: ['pagerduty', 'chat-hooks', 'webhook', 'smtp'] });
    expect(values.alertmanager.config).toEqual(config);
  });

  test('no credential value or inline credential field in any synthesized file', () => {
    const files = synthFiles({ alerting: ALL_FIVE as any });
    const inline = /\b(api_url|routing_key|service_key|auth_password|webhook_url|url):/;
    for (const [name, content] of Object.entries(files)) {
      const text = typeof content === 'string' ? content : YAML.stringify(content);
      expect({ name, hit: text.match(/hooks\.slack\.com|webhook\.office\.com|logic\.azure\.com/)?.[0] }).toEqual({ name, hit: undefined });
      if (name === KPS) {
        const amConfig = YAML.stringify(content.alertmanager.config);
        expect(amConfig).not.toMatch(inline);
        expect(amConfig.match(/_file:/g)).toHaveLength(5);
      }
    }
  });

  test('README: routing table and one kubectl command per Secret with its keys from shell variables', () => {
    const text = alertingReadmeLines(o).join('\n');
    expect(text).toContain('| `severity="critical"` | `oncall` (PagerDuty) |');
    expect(text).toContain('| `severity="warning"` | `team-slack` (Slack `#alerts`) |');
    expect(text).toContain('kubectl -n monitoring create secret generic chat-hooks --from-literal=slack-url="$TEAM_SLACK_URL" --from-literal=teams-url="$TEAMS_URL"');
    expect(text).toContain('kubectl -n monitoring create secret generic pagerduty --from-literal=routing-key="$ONCALL_ROUTING_KEY"');
    expect(text).toContain('kubectl -n monitoring create secret generic smtp --from-literal=password="$MAIL_SMTP_PASSWORD"');
    expect(text).toContain('No route sends to `teams`, `hook`, `mail`');
    expect(text).toContain('/etc/alertmanager/secrets/<secret>/<key>');
  });
});

describe('partial routing', () => {
  test('only a Slack receiver: critical and warning both go to chat (not dropped)', () => {
    const o = resolved({ alerting: { receivers: [ALL_FIVE.receivers[1]] } as any });
    const config: any = alertmanagerConfig(o);
    const file = writeConfig(config);
    checkConfig(config);
    expect(routeOf(file, 'severity=critical', 'alertname=X')).toBe('team-slack');
    expect(routeOf(file, 'severity=warning', 'alertname=X')).toBe('team-slack');
    expect(alertingReadmeLines(o).join('\n')).toContain('critical alerts go to the chat receiver');
  });

  test('only PagerDuty: critical pages, warning goes to null', () => {
    const config: any = alertmanagerConfig(resolved({ alerting: { receivers: [ALL_FIVE.receivers[0]] } as any }));
    const file = writeConfig(config);
    checkConfig(config);
    expect(routeOf(file, 'severity=critical', 'alertname=X')).toBe('oncall');
    expect(routeOf(file, 'severity=warning', 'alertname=X')).toBe('null');
  });

  test('email without authUsername: no password file, Secret not mounted', () => {
    const mail = { ...ALL_FIVE.receivers[4], authUsername: undefined };
    const o = resolved({ alerting: { receivers: [mail], chatReceiver: 'mail' } as any });
    const config: any = alertmanagerConfig(o);
    expect(config.receivers[1].email_configs[0]).toEqual({
      send_resolved: true, to: 'sre@example.com', from: 'alertmanager@example.com', smarthost: 'smtp.example.com:587',
    });
    expect(alertmanagerSecretMounts(o)).toEqual([]);
    checkConfig(config);
    expect(routeOf(writeConfig(config), 'severity=warning', 'alertname=X')).toBe('mail');
  });

  test('groupBy and intervals from the options', () => {
    const config: any = alertmanagerConfig(resolved({
      alerting: { groupBy: ['alertname', 'service'], groupWait: '10s', groupInterval: '2m', repeatInterval: '12h' } as any,
    }));
    expect(config.route).toMatchObject({ group_by: ['alertname', 'service'], group_wait: '10s', group_interval: '2m', repeat_interval: '12h' });
    checkConfig(config);
  });

  test('a receiver named "null" is rejected, naming the option', () => {
    const o = resolved({ alerting: { receivers: [{ ...ALL_FIVE.receivers[3], name: 'null' }] } as any });
    expect(() => alertmanagerConfig(o)).toThrow(/alerting\.receivers\[0\]\.name.*reserved/);
  });
});

describe('standalone prometheus chart (alertmanager subchart)', () => {
  const options = { metrics: { flavor: MetricsFlavor.STANDALONE }, alerting: ALL_FIVE as any };
  const o = resolved(options);

  test('config under alertmanager.config with /etc/alertmanager-secrets paths; amtool accepts it', () => {
    const values = synthFiles(options)[PROMETHEUS];
    const config = values.alertmanager.config;
    expect(config).toEqual(alertmanagerConfig(o));
    expect(config.templates).toEqual(['/etc/alertmanager/*.tmpl']);
    expect(config.receivers.find((r: any) => r.name === 'oncall').pagerduty_configs[0].routing_key_file)
      .toBe('/etc/alertmanager-secrets/pagerduty/routing-key');
    checkConfig(for025(config));
    expect(routeOf(writeConfig(for025(config)), 'severity=critical', 'alertname=X')).toBe('oncall');
  });

  test('extraSecretMounts: one read-only mount per Secret, matching the config paths', () => {
    const values = synthFiles(options)[PROMETHEUS];
    expect(values.alertmanager.extraSecretMounts).toEqual(['pagerduty', 'chat-hooks', 'webhook', 'smtp'].map((s) => ({
      name: `secret-${s}`, mountPath: `/etc/alertmanager-secrets/${s}`, subPath: '', secretName: s, readOnly: true,
    })));
    expect(values.alertmanager).toMatchObject({ enabled: true, replicaCount: 1 });
  });

  test('long or dotted Secret names give valid volume names', () => {
    const long = `a.${'b'.repeat(200)}`;
    const [m] = alertmanagerSecretMounts(resolved({
      metrics: { flavor: MetricsFlavor.STANDALONE },
      alerting: { receivers: [{ ...ALL_FIVE.receivers[3], secretName: long }] } as any,
    }));
    expect(m.volumeName).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    expect(m.volumeName.length).toBeLessThanOrEqual(63);
    expect(m.mountPath).toBe(`/etc/alertmanager-secrets/${long}`);
  });
});

describe('Alertmanager off', () => {
  test('no config written, no README section', () => {
    const options = { metrics: { alertmanager: false } } as any;
    expect(synthFiles(options)[KPS].alertmanager).toEqual({ enabled: false });
    expect(alertingReadmeLines(resolved(options))).toEqual([]);
  });
});

describe('the alerting pipeline: a failing integration is reported through another one (amtool config routes test)', () => {
  const routes = (alerting: any) => writeConfig(for025(alertmanagerConfig(resolved({ alerting }))));

  test('PagerDuty failing goes to chat; chat failing pages; other alerts keep their severity route', () => {
    const file = routes(ALL_FIVE);
    const failing = (integration: string) => routeOf(file, 'alertname=AlertmanagerNotificationsFailing', 'severity=critical', `integration=${integration}`);
    expect(failing('pagerduty')).toBe('team-slack');
    expect(failing('slack')).toBe('oncall');
    // An integration no severity route uses: the pager, like any critical alert.
    expect(failing('webhook')).toBe('oncall');
    expect(routeOf(file, 'alertname=KubePodCrashLooping', 'severity=critical', 'integration=pagerduty')).toBe('oncall');
  });

  test('an explicit chat receiver of another type (email) takes the pager\'s failures', () => {
    const file = routes({ ...ALL_FIVE, chatReceiver: 'mail' });
    expect(routeOf(file, 'alertname=AlertmanagerNotificationsFailing', 'severity=critical', 'integration=pagerduty')).toBe('mail');
    expect(routeOf(file, 'alertname=AlertmanagerNotificationsFailing', 'severity=critical', 'integration=email')).toBe('oncall');
  });

  test('a single integration: nowhere else to go, the README says so', () => {
    const o = resolved({ alerting: { receivers: [RECEIVER.oncall] } as any });
    const file = writeConfig(for025(alertmanagerConfig(o)));
    expect(routeOf(file, 'alertname=AlertmanagerNotificationsFailing', 'severity=critical', 'integration=pagerduty')).toBe('oncall');
    expect(alertingReadmeLines(o).join('\n')).toContain('no receiver of another integration: add one');
  });
});

describe('dead man\'s switch (alerting.heartbeat)', () => {
  const heartbeat = { type: HeartbeatType.HEALTHCHECKS, secretName: 'heartbeat', secretKey: 'ping-url', repeatInterval: '2m' };
  const o = resolved({ alerting: { ...ALL_FIVE, heartbeat } as any });
  const config: any = alertmanagerConfig(o);

  test('Watchdog goes to the heartbeat receiver every repeatInterval; the URL is a mounted file', () => {
    const file = writeConfig(for025(config));
    expect(routeOf(file, 'alertname=Watchdog', 'severity=none')).toBe('heartbeat');
    expect(config.route.routes[0]).toEqual({
      receiver: 'heartbeat',
      matchers: ['alertname="Watchdog"'],
      group_by: ['...'],
      group_wait: '0s',
      group_interval: '1m',
      repeat_interval: '2m',
      continue: false,
    });
    expect(config.receivers).toContainEqual({
      name: 'heartbeat', webhook_configs: [{ send_resolved: false, url_file: '/etc/alertmanager/secrets/heartbeat/ping-url' }],
    });
    expect(alertmanagerSecretMounts(o).map((m) => m.secretName)).toContain('heartbeat');
    expect(checkConfig(for025(config))).toMatch(/SUCCESS/);
  });

  test('without it, Watchdog goes nowhere and the README warns', () => {
    const plain = resolved({ alerting: ALL_FIVE as any });
    expect(routeOf(writeConfig(for025(alertmanagerConfig(plain))), 'alertname=Watchdog')).toBe('null');
    expect(alertingReadmeLines(plain).join('\n')).toContain('No dead man\'s switch');
  });

  test('README: the heartbeat row, the monitor settings, and its Secret command', () => {
    const text = alertingReadmeLines(o).join('\n');
    expect(text).toContain('| `Watchdog` (the dead man\'s switch) | `heartbeat` (Healthchecks, every 2m) |');
    expect(text).toContain('period to 2m');
    expect(text).toContain('kubectl -n monitoring create secret generic heartbeat --from-literal=ping-url="$HEARTBEAT_URL"');
  });

  test('the heartbeat without receivers still pings', () => {
    const only = resolved({ alerting: { heartbeat } as any });
    expect(routeOf(writeConfig(for025(alertmanagerConfig(only))), 'alertname=Watchdog')).toBe('heartbeat');
    expect(alertingReadmeLines(only).join('\n')).toContain('create secret generic heartbeat');
  });

  test('bad input names the option', () => {
    expect(() => resolved({ alerting: { heartbeat: { ...heartbeat, type: 'pagerduty' } } as any })).toThrow(/alerting\.heartbeat\.type/);
    expect(() => resolved({ alerting: { heartbeat: { type: HeartbeatType.WEBHOOK, secretName: 'x' } } as any })).toThrow(/alerting\.heartbeat\.secretKey.*is required/);
    expect(() => resolved({ alerting: { heartbeat: { ...heartbeat, repeatInterval: '5 minutes' } } as any })).toThrow(/alerting\.heartbeat\.repeatInterval/);
    expect(() => resolved({ metrics: { alertmanager: false }, alerting: { heartbeat } as any })).toThrow(InvalidOptionError);
    expect(() => alertmanagerConfig(resolved({ alerting: { heartbeat, receivers: [{ ...RECEIVER.hook, name: 'heartbeat' }] } as any })))
      .toThrow(/alerting\.receivers\[0\]\.name.*reserved/);
  });
});

describe('alerting.heartbeat per environment', () => {
  test('each environment pings its own monitor (an environment may set it)', () => {
    const fleet = fleetOf({
      gitRepoUrl: 'https://github.com/acme/observability.git',
      environments: [
        { name: 'dev' },
        { name: 'prod', alerting: { heartbeat: { type: HeartbeatType.WEBHOOK, secretName: 'prod-heartbeat', secretKey: 'url' } } },
      ],
      clusters: [{ name: 'dev-1', environment: 'dev' }, { name: 'prod-1', environment: 'prod', server: 'https://prod.example.com' }],
    });
    const watchdogReceiver = (env: string) => {
      const group = fleet.groups.find((g: any) => g.environment === env);
      const config: any = alertmanagerConfig(group!.model.options);
      return config.route.routes.find((r: any) => r.matchers.includes('alertname="Watchdog"')).receiver;
    };
    expect(watchdogReceiver('dev')).toBe('null');
    expect(watchdogReceiver('prod')).toBe('heartbeat');
  });
});
