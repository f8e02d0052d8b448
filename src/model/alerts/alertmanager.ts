import { createHash } from 'crypto';
import { HeartbeatType } from '../../options/heartbeat';
import { MetricsFlavor, ReceiverType } from '../../options/options';
import { ResolvedOptions, ResolvedReceiver } from '../../options/resolve';
import { InvalidOptionError } from '../../validation/errors';

/**
 * Alertmanager routing and receivers (alerting.receivers / pagingReceiver /
 * chatReceiver / groupBy / group* intervals), for both metrics flavors:
 * kube-prometheus-stack writes it to `alertmanager.config` (the chart turns it
 * into the operator's config Secret), the standalone prometheus chart to its
 * alertmanager subchart's `alertmanager.config` (a ConfigMap).
 *
 * Both pinned charts run Alertmanager v0.34.0 (kube-prometheus-stack 88.5.3:
 * `alertmanager.alertmanagerSpec.image.tag`; prometheus 29.27.0: alertmanager
 * subchart 1.42.0, appVersion v0.34.0). The config is written for that
 * version. Two fields are newer than Alertmanager 0.25 (Debian bookworm's
 * amtool): webhook `url_file` (0.26) and `msteamsv2_configs` (0.28); every
 * other field below exists in 0.25.
 *
 * Credentials are never in the config: each receiver names a key of an
 * existing Secret, the Secret is mounted into the Alertmanager pod, and the
 * config points at the file (`*_file` fields). Alertmanager 0.34 reads these
 * files at every notification (and trims whitespace), so rotating a Secret
 * needs no restart.
 */

/** The receiver that sends nothing: alerts stay visible in the Alertmanager UI and Grafana. */
export const NULL_RECEIVER = 'null';

/**
 * Where kube-prometheus-stack's Alertmanager sees `alertmanagerSpec.secrets`:
 * prometheus-operator mounts each listed Secret read-only at
 * `/etc/alertmanager/secrets/<secret>` (pkg/alertmanager/statefulset.go, `secretsDir`),
 * and its config-reloader watches those directories.
 */
export const OPERATOR_SECRETS_DIR = '/etc/alertmanager/secrets';

/**
 * Where the standalone chart's alertmanager subchart gets our `extraSecretMounts`.
 * Not under /etc/alertmanager: the subchart mounts its config ConfigMap there,
 * and ConfigMap volumes are read-only, so the runtime cannot create a nested
 * mount point inside it.
 */
export const STANDALONE_SECRETS_DIR = '/etc/alertmanager-secrets';

/** The receiver of the Watchdog heartbeat (alerting.heartbeat). */
export const HEARTBEAT_RECEIVER = 'heartbeat';

/** The always-firing alert of both flavors: the dead man's switch. */
export const WATCHDOG_ALERT = 'Watchdog';

/** Kube-prometheus-stack's info-alert helper: never notified. */
const SILENT_ALERTS = ['InfoInhibitor'];

/**
 * Alerts about Alertmanager failing to deliver through one integration
 * (label `integration`): routed to a receiver of another integration.
 */
export const PIPELINE_ALERTS = ['AlertmanagerNotificationsFailing'];

/** The `integration` label Alertmanager puts on its notification metrics, per receiver type. */
const INTEGRATION: Record<ReceiverType, string> = {
  [ReceiverType.SLACK]: 'slack',
  [ReceiverType.PAGERDUTY]: 'pagerduty',
  [ReceiverType.WEBHOOK]: 'webhook',
  [ReceiverType.MSTEAMS]: 'msteamsv2',
  [ReceiverType.EMAIL]: 'email',
};

/**
 * Labels a critical alert must share with a warning to mute it (absent on
 * both sides counts as equal). `slo` keeps a fast burn of one SLO from muting
 * the slow burn of another SLO of the same service.
 */
const INHIBIT_EQUAL = ['alertname', 'cluster', 'namespace', 'service', 'slo'];

/** Alerts that are the warning and critical tier of one condition, and the labels that make it the same target. */
const TIERED_ALERTS = [
  { critical: 'NodeFilesystemNearlyFull', warning: 'NodeFilesystemRunningOut', equal: ['cluster', 'instance', 'mountpoint'] },
  { critical: 'PersistentVolumeNearlyFull', warning: 'PersistentVolumeRunningOut', equal: ['cluster', 'namespace', 'persistentvolumeclaim'] },
];

/** A Secret the Alertmanager pod mounts, and where. */
export interface AlertmanagerSecretMount {
  /** The existing Secret (in the metrics namespace). */
  readonly secretName: string;
  /** Directory its keys appear in, one file per key. */
  readonly mountPath: string;
  /** A pod volume name for it (DNS-1123 label). */
  readonly volumeName: string;
}

/** Directory the Secrets are mounted under, for the metrics flavor. */
export function alertmanagerSecretsDir(o: ResolvedOptions): string {
  return o.metrics.flavor === MetricsFlavor.STANDALONE ? STANDALONE_SECRETS_DIR : OPERATOR_SECRETS_DIR;
}

/**
 * Whether a receiver reads a credential file. An email receiver without
 * `authUsername` sends without SMTP authentication (Alertmanager ignores a
 * password without a user), so its Secret is neither referenced nor mounted.
 */
function usesCredential(r: ResolvedReceiver): boolean {
  return r.type !== ReceiverType.EMAIL || r.authUsername !== undefined;
}

/**
 * The Secrets to mount: one per distinct Secret a receiver reads, in receiver
 * order. A missing Secret keeps the Alertmanager pod from starting, so only
 * Secrets the config actually reads are listed.
 */
export function alertmanagerSecretMounts(o: ResolvedOptions): AlertmanagerSecretMount[] {
  const dir = alertmanagerSecretsDir(o);
  const heartbeat = o.alerting.heartbeat ? [o.alerting.heartbeat.secretName] : [];
  const names = [...new Set([...o.alerting.receivers.filter(usesCredential).map((r) => r.secretName), ...heartbeat])];
  return names.map((secretName) => ({ secretName, mountPath: `${dir}/${secretName}`, volumeName: volumeName(secretName) }));
}

/** `secret-<name>`, made a DNS-1123 label (dots → dashes, at most 63 characters, a hash suffix when shortened). */
function volumeName(secretName: string): string {
  const name = `secret-${secretName.replace(/\./g, '-')}`;
  if (name.length <= 63) return name;
  const hash = createHash('sha256').update(secretName).digest('hex').slice(0, 8);
  return `${name.slice(0, 54).replace(/-+$/, '')}-${hash}`;
}

/** Where Alertmanager sends an alert of each severity. */
export interface AlertRouting {
  /** Receiver of `severity="critical"`: the paging receiver, else the chat receiver (never dropped when a chat exists). */
  readonly critical?: string;
  /** Receiver of `severity="warning"`. */
  readonly warning?: string;
  /** Receivers no route sends to. */
  readonly unused: string[];
  /**
   * Per integration a receiver uses: where an alert about that integration
   * failing goes instead (a receiver of another integration), if there is one.
   */
  readonly pipeline: ReadonlyArray<{ readonly integration: string; readonly receiver?: string }>;
}

/** The routing decision, shared by the config and the README. */
export function alertRouting(o: ResolvedOptions): AlertRouting {
  const { pagingReceiver, chatReceiver, receivers } = o.alerting;
  // With only a chat receiver, critical alerts go to chat rather than nowhere.
  const critical = pagingReceiver ?? chatReceiver;
  const warning = chatReceiver;
  // Preference for the fallback of a failing integration: the critical receiver, the warning
  // receiver, then the others in order.
  const preferred = [...new Set([critical, warning, ...receivers.map((r) => r.name)].filter((n): n is string => n !== undefined))];
  const typeOf = (name: string) => receivers.find((r) => r.name === name)!.type;
  const integrations = [...new Set([critical, warning].filter((n): n is string => n !== undefined).map((n) => INTEGRATION[typeOf(n)]))].sort();
  const pipeline = integrations.map((integration) => ({
    integration,
    receiver: preferred.find((n) => INTEGRATION[typeOf(n)] !== integration),
  }));
  return { critical, warning, unused: receivers.map((r) => r.name).filter((n) => n !== critical && n !== warning), pipeline };
}

/**
 * The Alertmanager configuration (alertmanager.yml) for the pinned charts'
 * Alertmanager v0.34.0.
 *
 * Routing: Watchdog → the heartbeat receiver (alerting.heartbeat; else
 * `null`); InfoInhibitor → `null`; an alert about an integration failing
 * (PIPELINE_ALERTS, label `integration`) → a receiver of another integration;
 * `severity="critical"` → the paging receiver (else the chat receiver);
 * `severity="warning"` → the chat receiver; everything else (`info`, no
 * severity) → `null`. Sibling routes stop at the first match (`continue: false`).
 *
 * @param secretsDir directory the receivers' Secrets are mounted under
 *   (defaults to the flavor's; amtool does not open `*_file` paths, so tests
 *   need no real files).
 */
export function alertmanagerConfig(o: ResolvedOptions, secretsDir: string = alertmanagerSecretsDir(o)): Record<string, unknown> {
  const a = o.alerting;
  a.receivers.forEach((r, i) => {
    if (r.name === NULL_RECEIVER) {
      throw new InvalidOptionError(`alerting.receivers[${i}].name`, r.name,
        `is reserved: the generated Alertmanager config uses "${NULL_RECEIVER}" for the receiver that sends nothing`);
    }
    if (r.name === HEARTBEAT_RECEIVER && a.heartbeat) {
      throw new InvalidOptionError(`alerting.receivers[${i}].name`, r.name,
        `is reserved while alerting.heartbeat is set: the generated Alertmanager config uses "${HEARTBEAT_RECEIVER}" for the Watchdog heartbeat`);
    }
  });
  const routing = alertRouting(o);
  const heartbeat = a.heartbeat;
  const watchdogRoute = heartbeat
    // Pinged every repeatInterval from the first evaluation on; never grouped with anything else.
    ? {
      receiver: HEARTBEAT_RECEIVER,
      matchers: [`alertname="${WATCHDOG_ALERT}"`],
      group_by: ['...'],
      group_wait: '0s',
      group_interval: '1m',
      repeat_interval: heartbeat.repeatInterval,
      continue: false,
    }
    : { receiver: NULL_RECEIVER, matchers: [`alertname="${WATCHDOG_ALERT}"`], continue: false };
  // An integration that fails cannot report its own failure: that alert goes to another integration.
  const pipelineRoutes = routing.pipeline.filter((p) => p.receiver !== undefined).map((p) => ({
    receiver: p.receiver!,
    matchers: [`alertname=~"${PIPELINE_ALERTS.join('|')}"`, `integration="${p.integration}"`],
    group_by: PAGING_GROUP_BY.concat('integration'),
    continue: false,
  }));
  const severityRoutes = [
    ...(routing.critical ? [{ receiver: routing.critical, matchers: ['severity="critical"'], group_by: PAGING_GROUP_BY, continue: false }] : []),
    ...(routing.warning ? [{ receiver: routing.warning, matchers: ['severity="warning"'], continue: false }] : []),
  ];
  return {
    global: { resolve_timeout: '5m' },
    route: {
      // The root route catches what no child matches: info alerts and alerts without a severity.
      receiver: NULL_RECEIVER,
      group_by: [...a.groupBy],
      group_wait: a.groupWait,
      group_interval: a.groupInterval,
      repeat_interval: a.repeatInterval,
      routes: [
        watchdogRoute,
        ...SILENT_ALERTS.map((alert) => ({ receiver: NULL_RECEIVER, matchers: [`alertname="${alert}"`], continue: false })),
        ...pipelineRoutes,
        ...severityRoutes,
      ],
    },
    inhibit_rules: [
      // A firing critical mutes the warning of the same alert on the same target.
      { source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: [...INHIBIT_EQUAL] },
      // Tiers of one condition under two names (the nodes pack's free-space warning and critical):
      // the critical mutes the warning of the same filesystem.
      ...TIERED_ALERTS.map((t) => ({ source_matchers: [`alertname="${t.critical}"`], target_matchers: [`alertname="${t.warning}"`], equal: [...t.equal] })),
      // kube-prometheus-stack's pattern for info alerts: muted by a critical or warning of the
      // same alert, and by InfoInhibitor (which fires while a namespace has info alerts only).
      { source_matchers: ['severity=~"critical|warning"'], target_matchers: ['severity="info"'], equal: [...INHIBIT_EQUAL] },
      { source_matchers: ['alertname="InfoInhibitor"'], target_matchers: ['severity="info"'], equal: ['cluster', 'namespace'] },
      // InfoInhibitor itself is never shown: any alert mutes it.
      { target_matchers: ['alertname="InfoInhibitor"'] },
    ],
    receivers: [
      { name: NULL_RECEIVER },
      // The heartbeat: a POST to the monitor's secret URL (url_file, Alertmanager 0.26+). No
      // resolved message: Watchdog never resolves while the pipeline works.
      ...(heartbeat ? [{ name: HEARTBEAT_RECEIVER, webhook_configs: [{ send_resolved: false, url_file: `${secretsDir}/${heartbeat.secretName}/${heartbeat.secretKey}` }] }] : []),
      ...a.receivers.map((r) => receiver(r, `${secretsDir}/${r.secretName}/${r.secretKey}`)),
    ],
    // The charts' own template locations (templateFiles / templates values), kept so
    // custom notification templates added there still load.
    templates: [o.metrics.flavor === MetricsFlavor.STANDALONE ? '/etc/alertmanager/*.tmpl' : '/etc/alertmanager/config/*.tmpl'],
  };
}

/** One receiver; `file` is the mounted credential. Resolved notifications are sent by every type. */
/** Slack message body: each alert's summary, description and runbook link. */
const SLACK_TEXT = '{{ range .Alerts }}*{{ .Annotations.summary }}*\n{{ .Annotations.description }}'
  + '{{ if .Annotations.runbook_url }}\n<{{ .Annotations.runbook_url }}|Runbook>{{ end }}\n{{ end }}';

/** PagerDuty event severity from the alert's severity label. */
const PAGERDUTY_SEVERITY = '{{ if .CommonLabels.severity }}{{ .CommonLabels.severity }}{{ else }}critical{{ end }}';

/**
 * Pages never merge across services or SLOs: PagerDuty deduplicates by group,
 * so two services paging in one namespace would otherwise be one incident.
 */
const PAGING_GROUP_BY = ['alertname', 'cluster', 'namespace', 'service', 'slo'];

function receiver(r: ResolvedReceiver, file: string): Record<string, unknown> {
  switch (r.type) {
    case ReceiverType.SLACK:
      // Incoming-webhook URL; api_url_file exists since Alertmanager 0.22.
      return {
        name: r.name,
        slack_configs: [{
          send_resolved: true,
          api_url_file: file,
          ...(r.channel ? { channel: r.channel } : {}),
          // The default template sends only the title: carry what the alert says and its runbook.
          text: SLACK_TEXT,
        }],
      };
    case ReceiverType.PAGERDUTY:
      // Events API v2 integration key.
      return {
        name: r.name,
        pagerduty_configs: [{
          send_resolved: true,
          routing_key_file: file,
          // Without it PagerDuty shows every page as severity "error".
          severity: PAGERDUTY_SEVERITY,
          links: [{ href: '{{ (index .Alerts 0).Annotations.runbook_url }}', text: 'Runbook' }],
        }],
      };
    case ReceiverType.WEBHOOK:
      // url_file: Alertmanager 0.26+.
      return { name: r.name, webhook_configs: [{ send_resolved: true, url_file: file }] };
    case ReceiverType.MSTEAMS:
      // A Teams Workflows (Power Automate) webhook: msteamsv2_configs, Alertmanager 0.28+.
      // msteams_configs targets Office 365 connectors, which Microsoft is retiring
      // (Alertmanager's docs mark it deprecated in favour of msteamsv2).
      return { name: r.name, msteamsv2_configs: [{ send_resolved: true, webhook_url_file: file }] };
    case ReceiverType.EMAIL:
      return {
        name: r.name,
        email_configs: [{
          send_resolved: true,
          to: r.to,
          from: r.from,
          smarthost: r.smarthost,
          // Without a user, Alertmanager sends unauthenticated (STARTTLS still required by default).
          ...(usesCredential(r) ? { auth_username: r.authUsername, auth_password_file: file } : {}),
        }],
      };
  }
}

/** What a receiver type needs in its Secret, for the README. */
const CREDENTIAL: Record<ReceiverType, { what: string; variable: string }> = {
  [ReceiverType.SLACK]: { what: 'Slack incoming-webhook URL', variable: 'URL' },
  [ReceiverType.PAGERDUTY]: { what: 'PagerDuty Events API v2 integration (routing) key', variable: 'ROUTING_KEY' },
  [ReceiverType.WEBHOOK]: { what: 'webhook URL', variable: 'URL' },
  [ReceiverType.MSTEAMS]: { what: 'Microsoft Teams Workflows webhook URL', variable: 'URL' },
  [ReceiverType.EMAIL]: { what: 'SMTP password', variable: 'SMTP_PASSWORD' },
};

const TYPE_NAME: Record<ReceiverType, string> = {
  [ReceiverType.SLACK]: 'Slack',
  [ReceiverType.PAGERDUTY]: 'PagerDuty',
  [ReceiverType.WEBHOOK]: 'webhook',
  [ReceiverType.MSTEAMS]: 'Microsoft Teams',
  [ReceiverType.EMAIL]: 'email',
};

/** The shell variable a README command reads a receiver's credential from. */
function shellVariable(r: ResolvedReceiver): string {
  const base = r.name.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
  return `${/^[0-9]/.test(base) ? `R_${base}` : base}_${CREDENTIAL[r.type].variable}`;
}

function describeReceiver(o: ResolvedOptions, name: string): string {
  const r = o.alerting.receivers.find((x) => x.name === name)!;
  const detail = r.type === ReceiverType.SLACK && r.channel ? ` \`${r.channel}\``
    : r.type === ReceiverType.EMAIL ? ` to ${r.to}` : '';
  return `\`${name}\` (${TYPE_NAME[r.type]}${detail})`;
}

/**
 * Markdown for the generated README: which severity goes where, and which
 * Secrets (with which keys) to create before Alertmanager starts. Empty when
 * Alertmanager is not deployed. Starts with its own `##` heading.
 */
export function alertingReadmeLines(o: ResolvedOptions): string[] {
  if (!o.metrics.enabled || !o.metrics.alertmanager) return [];
  const routing = alertRouting(o);
  const nothing = `\`${NULL_RECEIVER}\`: visible in the Alertmanager UI and Grafana, not sent`;
  const lines = ['## Alerting: where notifications go', ''];
  if (o.alerting.receivers.length === 0) {
    lines.push(
      'No receivers are configured (`alerting.receivers` in `.projenrc.ts`): every alert goes to the',
      `\`${NULL_RECEIVER}\` receiver. Alerts are visible in the Alertmanager UI and Grafana; no notification is sent.`,
      'Add a receiver (Slack, PagerDuty, email, webhook or Microsoft Teams) whose credential is a key of a Secret you create;',
      'critical alerts go to `alerting.pagingReceiver`, warnings to `alerting.chatReceiver`.',
      '',
    );
    lines.push(...heartbeatReadmeLines(o));
    if (o.alerting.heartbeat) lines.push(...secretLines(o));
    return lines;
  }
  const pipelineRows = routing.pipeline.map((p) => `| \`${PIPELINE_ALERTS.join('`, `')}\` with \`integration="${p.integration}"\` | `
    + `${p.receiver ? describeReceiver(o, p.receiver) : 'the severity route below (no receiver of another integration: add one)'} |`);
  lines.push(
    '| Alerts | Receiver |',
    '| --- | --- |',
    `| \`${WATCHDOG_ALERT}\` (the dead man's switch) | ${o.alerting.heartbeat ? `\`${HEARTBEAT_RECEIVER}\` (${HEARTBEAT_NAME[o.alerting.heartbeat.type]}, every ${o.alerting.heartbeat.repeatInterval})` : nothing} |`,
    '| `InfoInhibitor` | ' + nothing + ' |',
    ...pipelineRows,
    `| \`severity="critical"\` | ${routing.critical ? describeReceiver(o, routing.critical) : nothing} |`,
    `| \`severity="warning"\` | ${routing.warning ? describeReceiver(o, routing.warning) : nothing} |`,
    `| \`severity="info"\`, no severity | ${nothing} |`,
    '',
    `Alerts are grouped by ${o.alerting.groupBy.map((l) => `\`${l}\``).join(', ')}; a group notifies after ${o.alerting.groupWait},`,
    `new alerts in it after ${o.alerting.groupInterval}, and repeats every ${o.alerting.repeatInterval} while it fires.`,
    `A firing critical alert mutes the warning with the same ${INHIBIT_EQUAL.map((l) => `\`${l}\``).join(', ')};`,
    '`NodeFilesystemNearlyFull` mutes `NodeFilesystemRunningOut` of the same filesystem.',
    'An integration that fails cannot report its own failure: `AlertmanagerNotificationsFailing` for one integration',
    'goes to a receiver of another integration (a PagerDuty failure to chat, a chat failure to the pager).',
    '',
    ...heartbeatReadmeLines(o),
  );
  if (routing.unused.length > 0) {
    lines.push(`No route sends to ${routing.unused.map((n) => `\`${n}\``).join(', ')}: name it in \`alerting.pagingReceiver\` or \`alerting.chatReceiver\`.`);
  }
  if (!o.alerting.pagingReceiver && routing.critical) {
    lines.push('There is no paging receiver (`alerting.pagingReceiver`, by default the first PagerDuty receiver): critical alerts go to the chat receiver.');
  }
  lines.push(...secretLines(o));
  const unauthenticated = o.alerting.receivers.filter((r) => !usesCredential(r));
  if (unauthenticated.length > 0) {
    lines.push('', `${unauthenticated.map((r) => `\`${r.name}\``).join(', ')} send${unauthenticated.length === 1 ? 's' : ''} email without SMTP authentication`
      + ' (no `authUsername`): its Secret is not used.');
  }
  if (o.alerting.receivers.some((r) => r.type === ReceiverType.MSTEAMS)) {
    lines.push('', 'Microsoft Teams receivers post to a Teams **Workflows** webhook (Alertmanager `msteamsv2_configs`);',
      'Office 365 connector webhooks are being retired by Microsoft and are not supported.');
  }
  lines.push('');
  return lines;
}

/** The commands that create the Secrets Alertmanager mounts. */
function secretLines(o: ResolvedOptions): string[] {
  const ns = o.metrics.namespace;
  const lines: string[] = [];
  const mounts = alertmanagerSecretMounts(o);
  if (mounts.length === 0) return lines;
  lines.push(
    '',
    `Create these Secrets in \`${ns}\` before Alertmanager starts (a missing Secret keeps its pod from starting; never commit them).`,
    'Set the shell variables first; Alertmanager reads each key as a file from',
    `\`${alertmanagerSecretsDir(o)}/<secret>/<key>\` at every notification, so rotating a Secret needs no restart:`,
    '',
    '```sh',
  );
  const heartbeat = o.alerting.heartbeat;
  for (const m of mounts) {
    const readers = o.alerting.receivers.filter((r) => r.secretName === m.secretName && usesCredential(r));
    const keys = new Map<string, string>();
    const what: string[] = [];
    for (const r of readers) {
      if (!keys.has(r.secretKey)) keys.set(r.secretKey, shellVariable(r));
      what.push(`${r.name}: ${CREDENTIAL[r.type].what}`);
    }
    if (heartbeat && heartbeat.secretName === m.secretName) {
      if (!keys.has(heartbeat.secretKey)) keys.set(heartbeat.secretKey, 'HEARTBEAT_URL');
      what.push(`${HEARTBEAT_RECEIVER}: ${HEARTBEAT_NAME[heartbeat.type]} ping URL`);
    }
    const literals = [...keys.entries()].map(([key, variable]) => `--from-literal=${key}="$${variable}"`);
    lines.push(`# ${what.join('; ')}`);
    lines.push(`kubectl -n ${ns} create secret generic ${m.secretName} ${literals.join(' ')}`);
  }
  lines.push('```');
  return lines;
}

const HEARTBEAT_NAME: Record<HeartbeatType, string> = {
  [HeartbeatType.WEBHOOK]: 'heartbeat webhook',
  [HeartbeatType.HEALTHCHECKS]: 'Healthchecks',
};

/** What the README says about the dead man's switch. */
function heartbeatReadmeLines(o: ResolvedOptions): string[] {
  const h = o.alerting.heartbeat;
  if (!h) {
    return [
      `**No dead man's switch.** \`${WATCHDOG_ALERT}\` fires all the time while Prometheus evaluates rules and Alertmanager runs;`,
      'nothing receives it, so a dead Prometheus, Alertmanager or the path between them goes unnoticed. Set',
      '`alerting.heartbeat` (a heartbeat monitor\'s URL from a Secret) so a monitor outside the cluster alarms when the pings stop.',
      '',
    ];
  }
  const monitor = h.type === HeartbeatType.HEALTHCHECKS
    ? `In Healthchecks, set the check's period to ${h.repeatInterval} and its grace time to a few minutes more; the Secret key holds the check's ping URL (\`https://hc-ping.com/<uuid>\`).`
    : `Set the heartbeat monitor's expected interval to ${h.repeatInterval} and its grace time to a few minutes more; the Secret key holds its secret URL (Alertmanager POSTs to it).`;
  return [
    `**Dead man's switch.** \`${WATCHDOG_ALERT}\` fires all the time while Prometheus evaluates rules and Alertmanager runs;`,
    `Alertmanager sends it to \`${HEARTBEAT_RECEIVER}\` (${HEARTBEAT_NAME[h.type]}, Secret \`${h.secretName}\`, key \`${h.secretKey}\`) every ${h.repeatInterval}.`,
    'When the pings stop (Prometheus down, its rules failing, Alertmanager down, or the network between them), the monitor alarms',
    'through its own channel, outside this stack. ' + monitor,
    '',
  ];
}
