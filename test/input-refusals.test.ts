import { createHash } from 'crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'fs';
import { tmpdir } from 'os';
import { join, relative } from 'path';
import { ObservabilityGitOpsProject } from '../src';
import { BASE, synthToDisk } from './util';
import { FREE_TEXT_FIELDS } from '../src/validation/free-text';

/*
 * Bad input that must be refused (issue 14, "Input that must be refused"): each case is an
 * option set and what the error must say. Every case must fail in the constructor with
 * `Invalid option "<path>"`, the value (or, for a credential, a redaction mark and never the
 * credential itself) and what would be valid, with nothing written to the output folder.
 */

// Credentials built at run time so this file holds no token-shaped literal (secret scanners).
const alnum = (n: number, seed = 7) => Array.from({ length: n }, (_, i) => 'aB3dE5gH7jK9mN1pQ2rS4tU6vW8xY0z'[(i * seed + 3) % 31]).join('');
const GHP = `ghp_${alnum(36)}`;
const GLPAT = `glpat-${alnum(20, 5)}`;
const GLDT = `gldt-${alnum(20, 11)}`;
const XOXB = `xoxb-${alnum(12, 3)}-${alnum(24, 13)}`;
const XOXP = `xoxp-${alnum(12, 17)}-${alnum(24, 19)}`;
const AKIA = `AKIA${alnum(16, 23).toUpperCase()}`;
const ASIA = `ASIA${alnum(16, 29).toUpperCase()}`;
const GOOGLE = `AIza${alnum(35, 2)}`;
const NPM = `npm_${alnum(36, 4)}`;
const GLSA = `glsa_${alnum(32, 6)}_${'0a1b2c3d'}`;
const JWT = `eyJ${alnum(20, 8)}.eyJ${alnum(30, 9)}.${alnum(40, 10)}`;
const PEM = `-----BEGIN RSA PRIVATE KEY-----\nMIIE${alnum(60, 12)}\n-----END RSA PRIVATE KEY-----`;
const SLACK_HOOK = `https://hooks.slack.com/services/T${alnum(8, 14).toUpperCase()}/B${alnum(8, 15).toUpperCase()}/${alnum(24, 16)}`;
const TEAMS_HOOK = `https://acme.webhook.office.com/webhookb2/${alnum(30, 18)}`;
const DISCORD_HOOK = `https://discord.com/api/webhooks/123456789/${alnum(40, 20)}`;
const PASSWORD = `Tr0ub4dor${alnum(6, 21)}`;
const RANDOM_KEY = alnum(40, 22);

/** A case: name, options, expected fragments of the message, and strings it must not contain. */
interface Case {
  readonly name: string;
  readonly options: Record<string, unknown>;
  readonly path: string;
  readonly says: RegExp[];
  readonly secret?: string;
}

const slack = (extra: Record<string, unknown>) => ({ alerting: { receivers: [{ name: 'chat', type: 'slack', secretName: 'hooks', secretKey: 'url', ...extra }] } });
const mail = (extra: Record<string, unknown>) => ({
  alerting: { receivers: [{ name: 'mail', type: 'email', secretName: 'smtp', secretKey: 'password', to: 'sre@example.com', from: 'am@example.com', smarthost: 'smtp.example.com:587', ...extra }] },
});
const rule = (extra: Record<string, unknown>) => ({ alerting: { customRules: [{ alert: 'QueueBacklog', expr: 'queue_depth > 100', summary: 'Backlog', ...extra }] } });
const svc = (extra: Record<string, unknown>) => ({ services: [{ name: 'checkout', namespace: 'shop', port: 'http-metrics', ...extra }] });
const community = (extra: Record<string, unknown>) => ({ dashboards: { community: [{ gnetId: 1860, revision: 37, ...extra }] } });
const kps = (values: Record<string, unknown>) => ({ valuesOverrides: { 'kube-prometheus-stack': values } });
const distributed = (extra: Record<string, unknown> = {}) => ({
  profile: 'distributed',
  objectStorage: { provider: 's3', region: 'eu-west-1' },
  clusters: [{ name: 'central', central: true }, { name: 'edge-1', server: 'https://edge-1.example.com' }],
  metrics: { remoteWriteUrl: 'https://mimir.example.com/api/v1/push' },
  logs: { pushUrl: 'https://loki.example.com/loki/api/v1/push' },
  traces: { otlpEndpoint: 'tempo.example.com:4317', kafkaAddress: 'kafka.example.com:9092' },
  ...extra,
});
const BIDI = '\u202e';

const credential = (name: string, options: Record<string, unknown>, path: string, secret: string, kind: RegExp): Case =>
  ({ name: `credential: ${name}`, options, path, secret, says: [kind, /redacted/, /Git/] });

const CASES: Case[] = [
  // ── Credentials in Git: never accepted, never echoed ──────────────────────────────────────────
  credential('GitHub token in gitRepoUrl (x-access-token)', { gitRepoUrl: `https://x-access-token:${GHP}@github.com/acme/obs.git` }, 'gitRepoUrl', GHP, /password or token inside a URL|GitHub token/),
  credential('password in gitRepoUrl', { gitRepoUrl: `https://deploy:${PASSWORD}@git.example.com/acme/obs.git` }, 'gitRepoUrl', PASSWORD, /inside a URL/),
  credential('token as the user of gitRepoUrl', { gitRepoUrl: `https://${GHP}@github.com/acme/obs.git` }, 'gitRepoUrl', GHP, /token/),
  credential('GitLab token in gitRepoUrl', { gitRepoUrl: `https://oauth2:${GLPAT}@gitlab.com/acme/obs.git` }, 'gitRepoUrl', GLPAT, /inside a URL|GitLab/),
  credential('GitLab deploy token in gitRepoUrl', { gitRepoUrl: `https://gitlab+deploy:${GLDT}@gitlab.com/acme/obs.git` }, 'gitRepoUrl', GLDT, /inside a URL|GitLab/),
  credential('password in a cluster server', { clusters: [{ name: 'prod', server: `https://admin:${PASSWORD}@k8s.example.com` }] }, 'clusters[0].server', PASSWORD, /inside a URL/),
  credential('token as the user of a cluster server', { clusters: [{ name: 'prod', server: `https://${GHP}@k8s.example.com` }] }, 'clusters[0].server', GHP, /token/),
  credential('password in prometheusUrl', { clusters: [{ name: 'prod', prometheusUrl: `https://fed:${PASSWORD}@prom.example.com` }] }, 'clusters[0].prometheusUrl', PASSWORD, /inside a URL/),
  credential('password in remoteWriteUrl', distributed({ metrics: { remoteWriteUrl: `https://tenant:${PASSWORD}@mimir.example.com/api/v1/push` } }), 'metrics.remoteWriteUrl', PASSWORD, /inside a URL/),
  credential('password in pushUrl', distributed({ logs: { pushUrl: `https://tenant:${PASSWORD}@loki.example.com/loki/api/v1/push` } }), 'logs.pushUrl', PASSWORD, /inside a URL/),
  credential('password in otlpEndpoint', { traces: { backend: 'otlp-endpoint', otlpEndpoint: `https://user:${PASSWORD}@tempo.example.com:4317` } }, 'traces.otlpEndpoint', PASSWORD, /inside a URL/),
  credential('token in a runbook URL', rule({ runbookUrl: `https://wiki.example.com/runbook?access_token=${GHP}` }), 'alerting.customRules[0].runbookUrl', GHP, /GitHub token/),
  credential('Slack webhook as the channel', slack({ channel: SLACK_HOOK }), 'alerting.receivers[0].channel', SLACK_HOOK.split('/').pop()!, /Slack webhook/),
  credential('Teams webhook as the channel', slack({ channel: TEAMS_HOOK }), 'alerting.receivers[0].channel', TEAMS_HOOK.split('/').pop()!, /Teams webhook/),
  credential('Discord webhook as the channel', slack({ channel: DISCORD_HOOK }), 'alerting.receivers[0].channel', DISCORD_HOOK.split('/').pop()!, /Discord webhook/),
  credential('Slack bot token as the secretKey', slack({ secretKey: XOXB }), 'alerting.receivers[0].secretKey', XOXB, /Slack token/),
  credential('AWS key id as the secretKey', slack({ secretKey: AKIA }), 'alerting.receivers[0].secretKey', AKIA, /AWS access key/),
  credential('private key in a summary', rule({ summary: PEM }), 'alerting.customRules[0].summary', PEM.split('\n')[1], /private key/),
  credential('JWT in a description', rule({ description: `call with ${JWT}` }), 'alerting.customRules[0].description', JWT, /JSON Web Token/),
  credential('AWS key in authUsername', mail({ authUsername: AKIA }), 'alerting.receivers[0].authUsername', AKIA, /AWS access key/),
  credential('temporary AWS key in an annotation', rule({ description: `key ${ASIA}` }), 'alerting.customRules[0].description', ASIA, /AWS access key/),
  credential('GitHub token in valuesOverrides', kps({ grafana: { adminPassword: GHP } }), 'valuesOverrides.kube-prometheus-stack.grafana.adminPassword', GHP, /GitHub token/),
  credential('Slack user token in valuesOverrides', kps({ alertmanager: { config: { global: { slack_api_url: `https://x/${XOXP}` } } } }),
    'valuesOverrides.kube-prometheus-stack.alertmanager.config.global.slack_api_url', XOXP, /Slack token/),
  credential('Slack webhook in valuesOverrides', kps({ alertmanager: { config: { global: { slack_api_url: SLACK_HOOK } } } }),
    'valuesOverrides.kube-prometheus-stack.alertmanager.config.global.slack_api_url', SLACK_HOOK.split('/').pop()!, /Slack webhook/),
  credential('Google API key in valuesOverrides', kps({ grafana: { env: { GOOGLE_KEY: GOOGLE } } }), 'valuesOverrides.kube-prometheus-stack.grafana.env.GOOGLE_KEY', GOOGLE, /Google API key/),
  credential('npm token in valuesOverrides', kps({ grafana: { env: { NPM_TOKEN: NPM } } }), 'valuesOverrides.kube-prometheus-stack.grafana.env.NPM_TOKEN', NPM, /npm token/),
  credential('Grafana service-account token in valuesOverrides', kps({ grafana: { env: { GF_TOKEN: GLSA } } }), 'valuesOverrides.kube-prometheus-stack.grafana.env.GF_TOKEN', GLSA, /Grafana service-account/),
  credential('private key in a list in valuesOverrides', kps({ grafana: { extraSecretMounts: [{ name: 'tls', key: PEM }] } }),
    'valuesOverrides.kube-prometheus-stack.grafana.extraSecretMounts[0].key', PEM.split('\n')[1], /private key/),
  credential('token as a valuesOverrides key', kps({ grafana: { [GHP]: true } }), 'valuesOverrides.kube-prometheus-stack.grafana.***(redacted)', GHP, /GitHub token/),
  credential('token in a cluster label', { clusters: [{ name: 'prod', labels: { token: GHP } }] }, 'clusters[0].labels.token', GHP, /GitHub token/),
  credential('token in a service selector', svc({ selector: { app: GLPAT } }), 'services[0].selector.app', GLPAT, /GitLab token/),
  credential('token in the project name', { name: `obs-${GHP}` }, 'name', GHP, /GitHub token/),
  credential('token in gitRevision', { gitRevision: GHP }, 'gitRevision', GHP, /GitHub token/),
  credential('token in a community dashboard datasource', community({ datasource: GLPAT }), 'dashboards.community[0].datasource', GLPAT, /GitLab token/),
  credential('environment valuesOverrides with a token', {
    environments: [{ name: 'prod', valuesOverrides: { 'kube-prometheus-stack': { grafana: { adminPassword: GHP } } } }], clusters: [{ name: 'p1', environment: 'prod' }],
  }, 'environments[0].valuesOverrides.kube-prometheus-stack.grafana.adminPassword', GHP, /GitHub token/),
  credential('environment remoteWriteUrl with a password', {
    environments: [{ name: 'prod', metrics: { remoteWriteUrl: `https://t:${PASSWORD}@mimir.example.com/api/v1/push` } }], clusters: [{ name: 'p1', environment: 'prod' }],
  }, 'environments[0].metrics.remoteWriteUrl', PASSWORD, /inside a URL/),
  credential('JWT in a threshold name', { alerting: { thresholds: { [JWT]: 1 } } }, 'alerting.thresholds.***(redacted)', JWT, /JSON Web Token/),
  {
    name: 'credential: random-looking secretKey',
    options: slack({ secretKey: RANDOM_KEY }),
    path: 'alerting.receivers[0].secretKey',
    secret: RANDOM_KEY,
    says: [/looks like a secret/, /redacted/, /"url" or "routing-key"/],
  },
  {
    name: 'credential: user name in gitRepoUrl',
    options: { gitRepoUrl: 'https://deploy-bot@github.com/acme/obs.git' },
    path: 'gitRepoUrl',
    secret: 'deploy-bot',
    says: [/user name or token/, /repository Secret/],
  },
  {
    name: 'credential: user name in a cluster server',
    options: { clusters: [{ name: 'prod', server: 'https://admin@k8s.example.com' }] },
    path: 'clusters[0].server',
    secret: 'admin@',
    says: [/user name or token/, /Secret/],
  },
  {
    name: 'credential: a webhook-looking channel without a known format',
    options: slack({ channel: 'https://chat.example.com/hooks/abc123' }),
    path: 'alerting.receivers[0].channel',
    secret: 'abc123',
    says: [/contains a URL/, /webhook URL is a credential/, /secretName/],
  },

  // ── Free text that breaks its consumer (src/validation/free-text.ts says where each lands) ──
  { name: 'channel with a newline', options: slack({ channel: '#alerts\n#other' }), path: 'alerting.receivers[0].channel', says: [/line breaks/, /slack_configs/] },
  { name: 'channel with template syntax', options: slack({ channel: '#{{ .GroupLabels.team }}' }), path: 'alerting.receivers[0].channel', says: [/"\{\{"/, /Go template/] },
  { name: 'channel with a backtick', options: slack({ channel: '#al`erts' }), path: 'alerting.receivers[0].channel', says: [/backticks/, /code span/] },
  { name: 'channel with a pipe', options: slack({ channel: '#a|b' }), path: 'alerting.receivers[0].channel', says: [/"\|"/, /Markdown table/] },
  { name: 'channel with a space', options: slack({ channel: '#my alerts' }), path: 'alerting.receivers[0].channel', says: [/"#my alerts"/, /Slack channel such as "#alerts"/] },
  { name: 'channel too long', options: slack({ channel: `#${'a'.repeat(90)}` }), path: 'alerting.receivers[0].channel', says: [/Slack channel/] },
  { name: 'channel with a bidi control', options: slack({ channel: `#alerts${BIDI}` }), path: 'alerting.receivers[0].channel', says: [/bidirectional-text controls/] },
  { name: 'email to with a template', options: mail({ to: '{{ .CommonLabels.owner }}@example.com' }), path: 'alerting.receivers[0].to', says: [/Go template/, /email_configs/] },
  { name: 'email to with a pipe', options: mail({ to: 'a|b@example.com' }), path: 'alerting.receivers[0].to', says: [/Markdown table/] },
  { name: 'email to with a backtick', options: mail({ to: 'a`b@example.com' }), path: 'alerting.receivers[0].to', says: [/backticks/] },
  { name: 'email to with HTML', options: mail({ to: '<sre>@example.com' }), path: 'alerting.receivers[0].to', says: [/"<" or ">"/] },
  { name: 'email from with a template', options: mail({ from: 'am+{{ .Status }}@example.com' }), path: 'alerting.receivers[0].from', says: [/Go template/] },
  { name: 'authUsername with a newline', options: mail({ authUsername: 'user\nsmtp' }), path: 'alerting.receivers[0].authUsername', says: [/line breaks/, /auth_username/] },
  { name: 'authUsername with a template', options: mail({ authUsername: '{{ .x }}' }), path: 'alerting.receivers[0].authUsername', says: [/Go template/] },
  { name: 'authUsername too long', options: mail({ authUsername: 'u'.repeat(300) }), path: 'alerting.receivers[0].authUsername', says: [/longer than 256/] },
  { name: 'summary with a newline', options: rule({ summary: 'Backlog\ngrowing' }), path: 'alerting.customRules[0].summary', says: [/line breaks/, /summary annotation/] },
  { name: 'summary with a bidi override (Trojan Source)', options: rule({ summary: `Backlog ${BIDI}gnorw` }), path: 'alerting.customRules[0].summary', says: [/bidirectional-text/, /character 9/] },
  { name: 'summary with a control character', options: rule({ summary: 'Backlog\u0007' }), path: 'alerting.customRules[0].summary', says: [/control characters/] },
  {
    name: 'summary with an unknown template action',
    options: rule({ summary: 'Backlog {{ .Labels.queue }}' }),
    path: 'alerting.customRules[0].summary',
    says: [/template action "\{\{ \.Labels\.queue \}\}"/, /\$labels/],
  },
  { name: 'summary with an unclosed template', options: rule({ summary: 'Backlog on {{ $labels.queue' }), path: 'alerting.customRules[0].summary', says: [/"\{\{" without "\}\}"/] },
  { name: 'summary with a stray }}', options: rule({ summary: 'Backlog }}' }), path: 'alerting.customRules[0].summary', says: [/"\}\}" without "\{\{"/] },
  { name: 'summary with a template range', options: rule({ summary: '{{ range $labels }}x{{ end }}' }), path: 'alerting.customRules[0].summary', says: [/template action/] },
  { name: 'summary too long', options: rule({ summary: 's'.repeat(301) }), path: 'alerting.customRules[0].summary', says: [/longer than 300/] },
  { name: 'description with a bidi isolate', options: rule({ description: 'see \u2066x\u2069' }), path: 'alerting.customRules[0].description', says: [/bidirectional/] },
  { name: 'description with a template call', options: rule({ description: '{{ template "x" . }}' }), path: 'alerting.customRules[0].description', says: [/template action/] },
  { name: 'description with an escape sequence', options: rule({ description: 'red \u001b[31m' }), path: 'alerting.customRules[0].description', says: [/control characters/] },
  { name: 'description too long', options: rule({ description: 'd'.repeat(4001) }), path: 'alerting.customRules[0].description', says: [/longer than 4000/] },
  { name: 'expression with a bidi control', options: rule({ expr: `queue_depth${BIDI} > 100` }), path: 'alerting.customRules[0].expr', says: [/bidirectional/] },
  { name: 'expression with a control character', options: rule({ expr: 'queue_depth\u0000 > 100' }), path: 'alerting.customRules[0].expr', says: [/control characters/] },
  { name: 'expression that is not PromQL', options: rule({ expr: 'rate(queue_depth[5m) > 0' }), path: 'alerting.customRules[0].expr', says: [/not valid PromQL/, /column \d+/, /\^/] },
  { name: 'expression with an unknown function', options: rule({ expr: 'rates(queue_depth[5m]) > 0' }), path: 'alerting.customRules[0].expr', says: [/not valid PromQL/, /\^/] },
  { name: 'expression in LogQL', options: rule({ expr: '{app="x"} |= "error"' }), path: 'alerting.customRules[0].expr', says: [/not valid PromQL/] },
  { name: 'empty expression', options: rule({ expr: ' ' }), path: 'alerting.customRules[0].expr', says: [/must not be empty/] },
  { name: 'project name with a newline', options: { name: 'obs\nrepo' }, path: 'name', says: [/line breaks/, /README/] },
  { name: 'project name with a backtick', options: { name: 'obs`repo' }, path: 'name', says: [/backticks/] },
  { name: 'project name with a pipe', options: { name: 'obs|repo' }, path: 'name', says: [/Markdown table/] },
  { name: 'project name with a bidi control', options: { name: `obs${BIDI}` }, path: 'name', says: [/bidirectional/] },
  { name: 'project name with HTML', options: { name: '<script>' }, path: 'name', says: [/"<" or ">"/] },
  { name: 'repository URL with a backtick', options: { gitRepoUrl: 'https://github.com/acme/obs`x.git' }, path: 'gitRepoUrl', says: [/backticks/, /repoURL/] },
  { name: 'repository URL with a pipe', options: { gitRepoUrl: 'https://github.com/acme/obs|x.git' }, path: 'gitRepoUrl', says: [/Markdown table/] },
  { name: 'repository URL with a bidi control', options: { gitRepoUrl: `https://github.com/acme/obs${BIDI}.git` }, path: 'gitRepoUrl', says: [/bidirectional/] },
  { name: 'cluster server with a pipe', options: { clusters: [{ name: 'prod', server: 'https://k8s.example.com/a|b' }] }, path: 'clusters[0].server', says: [/Markdown table/] },
  { name: 'cluster server with a backtick', options: { clusters: [{ name: 'prod', server: 'https://k8s.example.com/`x`' }] }, path: 'clusters[0].server', says: [/backticks/] },
  { name: 'remote write URL with a bidi control', options: distributed({ metrics: { remoteWriteUrl: `https://mimir.example.com/${BIDI}push` } }), path: 'metrics.remoteWriteUrl', says: [/bidirectional/] },
  { name: 'push URL with a bidi control', options: distributed({ logs: { pushUrl: `https://loki.example.com/${BIDI}push` } }), path: 'logs.pushUrl', says: [/bidirectional/] },
  { name: 'metrics path with a backtick', options: svc({ metricsPath: '/met`rics' }), path: 'services[0].metricsPath', says: [/backticks/, /ServiceMonitor/] },
  { name: 'metrics path with a pipe', options: svc({ metricsPath: '/a|b' }), path: 'services[0].metricsPath', says: [/Markdown table/] },
  { name: 'metrics path with HTML', options: svc({ metricsPath: '/<b>' }), path: 'services[0].metricsPath', says: [/"<" or ">"/] },
  { name: 'metrics path with a bidi control', options: svc({ metricsPath: `/metrics${BIDI}` }), path: 'services[0].metricsPath', says: [/bidirectional/] },
  { name: 'datasource with a command substitution', options: community({ datasource: '$(id)' }), path: 'dashboards.community[0].datasource', says: [/shell metacharacters/, /sed expression/] },
  { name: 'datasource with a semicolon', options: community({ datasource: 'prom;rm -rf /' }), path: 'dashboards.community[0].datasource', says: [/shell metacharacters/] },
  { name: 'datasource with a quote', options: community({ datasource: "prom'x" }), path: 'dashboards.community[0].datasource', says: [/shell metacharacters/] },
  { name: 'datasource with a backtick', options: community({ datasource: 'prom`id`' }), path: 'dashboards.community[0].datasource', says: [/shell metacharacters/] },
  { name: 'datasource with a space', options: community({ datasource: 'my prom' }), path: 'dashboards.community[0].datasource', says: [/shell metacharacters/] },
  { name: 'datasource with a slash (sed delimiter)', options: community({ datasource: 'prom/x' }), path: 'dashboards.community[0].datasource', says: [/Grafana datasource uid/] },
  { name: 'datasource too long', options: community({ datasource: 'p'.repeat(41) }), path: 'dashboards.community[0].datasource', says: [/Grafana datasource uid/] },
  {
    name: 'Azure account name in capitals',
    options: { profile: 'distributed', objectStorage: { provider: 'azure', azureAccountName: 'AcmeObs' } },
    path: 'objectStorage.azureAccountName',
    says: [/Azure storage account name/, /3 to 24 lowercase/],
  },
  { name: 'Azure account name with a dash', options: { profile: 'distributed', objectStorage: { provider: 'azure', azureAccountName: 'acme-obs' } }, path: 'objectStorage.azureAccountName', says: [/Azure storage account/] },
  { name: 'Azure account name with a newline', options: { profile: 'distributed', objectStorage: { provider: 'azure', azureAccountName: 'acme\nx: y' } }, path: 'objectStorage.azureAccountName', says: [/Azure storage account/] },

  // ── Values that cannot work ───────────────────────────────────────────────────────────────────
  { name: 'scrape interval of zero', options: { metrics: { scrapeInterval: '0s' } }, path: 'metrics.scrapeInterval', says: [/"0s"/, /is zero/, /1s to 5m/] },
  { name: 'scrape interval of an hour', options: { metrics: { scrapeInterval: '1h' } }, path: 'metrics.scrapeInterval', says: [/"1h"/, /outside 1s to 5m/, /lookback/] },
  { name: 'scrape interval under a second', options: { metrics: { scrapeInterval: '500ms' } }, path: 'metrics.scrapeInterval', says: [/outside 1s to 5m/] },
  { name: 'scrape interval of 6m', options: { metrics: { scrapeInterval: '6m' } }, path: 'metrics.scrapeInterval', says: [/outside 1s to 5m/] },
  { name: 'service scrape interval of zero', options: svc({ scrapeInterval: '0m' }), path: 'services[0].scrapeInterval', says: [/is zero/] },
  { name: 'service scrape interval of 10m', options: svc({ scrapeInterval: '10m' }), path: 'services[0].scrapeInterval', says: [/outside 1s to 5m/] },
  { name: 'metrics retention of zero', options: { metrics: { retention: '0d' } }, path: 'metrics.retention', says: [/"0d"/, /is zero/, /2h/] },
  { name: 'metrics retention of 1h', options: { metrics: { retention: '1h' } }, path: 'metrics.retention', says: [/outside 2h to 100y/] },
  { name: 'metrics retention of 200 years', options: { metrics: { retention: '200y' } }, path: 'metrics.retention', says: [/outside 2h to 100y/] },
  { name: 'log retention of zero', options: { logs: { retention: '0d' } }, path: 'logs.retention', says: [/"0d"/, /24h/] },
  { name: 'log retention of 200 years', options: { logs: { retention: '200y' } }, path: 'logs.retention', says: [/100y/] },
  { name: 'Elasticsearch log retention of zero', options: { logs: { backend: 'elasticsearch', retention: '0s' } }, path: 'logs.retention', says: [/is zero/] },
  { name: 'trace retention of zero', options: { traces: { retention: '0s' } }, path: 'traces.retention', says: [/"0s"/, /is zero/, /336h/] },
  { name: 'trace retention of 30 minutes', options: { traces: { retention: '30m' } }, path: 'traces.retention', says: [/under 1h/] },
  { name: 'trace retention beyond 100 years', options: { traces: { retention: '1000000h' } }, path: 'traces.retention', says: [/over 100 years/] },
  { name: 'group interval of zero', options: { alerting: { groupInterval: '0s' } }, path: 'alerting.groupInterval', says: [/is zero/, /group_interval/] },
  { name: 'repeat interval of zero', options: { alerting: { repeatInterval: '0m' } }, path: 'alerting.repeatInterval', says: [/is zero/, /repeat_interval/] },
  { name: 'repeat interval of 2 years', options: { alerting: { repeatInterval: '2y' } }, path: 'alerting.repeatInterval', says: [/outside 1m to 1y/] },
  { name: 'group wait of two days', options: { alerting: { groupWait: '2d' } }, path: 'alerting.groupWait', says: [/too long/, /at most 1d/] },
  { name: 'volume size "0"', options: { metrics: { storage: { size: '0' } } }, path: 'metrics.storage.size', says: [/"0"/, /is zero/, /10Gi/] },
  { name: 'volume size "0Gi"', options: { logs: { storage: { size: '0Gi' } } }, path: 'logs.storage.size', says: [/is zero/] },
  { name: 'volume size in kibibytes', options: { traces: { storage: { size: '512Ki' } } }, path: 'traces.storage.size', says: [/below 1Mi/] },
  { name: 'volume size of 100Ti', options: { metrics: { storage: { size: '100Ti' } } }, path: 'metrics.storage.size', says: [/more than one volume can be/, /64Ti/] },
  { name: 'volume size of a petabyte', options: { traces: { storage: { size: '1Pi' } } }, path: 'traces.storage.size', says: [/64Ti/] },
  { name: 'Grafana volume of zero', options: { grafana: { persistence: { size: '0Mi' } } }, path: 'grafana.persistence.size', says: [/is zero/] },
  { name: 'retention size of zero', options: { metrics: { retentionSize: '0GB' } }, path: 'metrics.retentionSize', says: [/"0GB"/, /is zero/] },
  {
    name: 'retention size above the default volume',
    options: { metrics: { retentionSize: '100GB' } },
    path: 'metrics.retentionSize',
    says: [/"100GB"/, /more than the volume/, /metrics\.storage\.size 50Gi/, /85%/],
  },
  { name: 'retention size above the given volume', options: { metrics: { retentionSize: '60GB', storage: { size: '50Gi' } } }, path: 'metrics.retentionSize', says: [/more than the volume/] },
  { name: 'retention size in terabytes on a small volume', options: { metrics: { retentionSize: '1TB', storage: { size: '200Gi' } } }, path: 'metrics.retentionSize', says: [/more than the volume/] },
  {
    name: 'CPU request above the limit',
    options: { metrics: { resources: { cpuRequest: '2', cpuLimit: '1' } } },
    path: 'metrics.resources.cpuRequest',
    says: [/"2"/, /above metrics\.resources\.cpuLimit \(1\)/, /request exceeds its limit/],
  },
  {
    name: 'memory request above the limit',
    options: { metrics: { resources: { memoryRequest: '4Gi', memoryLimit: '2Gi' } } },
    path: 'metrics.resources.memoryRequest',
    says: [/"4Gi"/, /memoryLimit \(2Gi\)/],
  },
  { name: 'memory request in millicores-style units above the limit', options: { metrics: { resources: { memoryRequest: '3000Mi', memoryLimit: '2Gi' } } }, path: 'metrics.resources.memoryRequest', says: [/above/] },
  { name: 'CPU request of zero', options: { metrics: { resources: { cpuRequest: '0' } } }, path: 'metrics.resources.cpuRequest', says: [/is zero/, /500m/] },
  { name: 'memory limit of zero', options: { metrics: { resources: { memoryLimit: '0Mi' } } }, path: 'metrics.resources.memoryLimit', says: [/is zero/] },
  { name: 'CPU limit of 2000 cores', options: { metrics: { resources: { cpuLimit: '2000' } } }, path: 'metrics.resources.cpuLimit', says: [/2000 cores/, /more than any node/] },
  { name: 'memory in millibytes', options: { metrics: { resources: { memoryLimit: '512m' } } }, path: 'metrics.resources.memoryLimit', says: [/below 1Mi/, /thousandths of a byte/] },
  { name: 'memory request of 10Ti', options: { metrics: { resources: { memoryRequest: '10Ti' } } }, path: 'metrics.resources.memoryRequest', says: [/more than any node/] },
  { name: 'ten billion active series', options: { sizing: { activeSeries: 1e10 } }, path: 'sizing.activeSeries', says: [/10000000000/, /from 0 to 1000000000/] },
  { name: 'a hundred million series on one Prometheus', options: { sizing: { activeSeries: 1e8 } }, path: 'sizing.activeSeries', says: [/Gi of memory for one Prometheus/, /more than 256Gi/] },
  { name: 'zero active series', options: { sizing: { activeSeries: 0 } }, path: 'sizing.activeSeries', says: [/is zero/] },
  { name: 'negative active series', options: { sizing: { activeSeries: -5 } }, path: 'sizing.activeSeries', says: [/from 0 to/] },
  {
    name: 'a volume no disk holds for 20M series kept 10 years',
    options: { sizing: { activeSeries: 2e7 }, metrics: { retention: '10y', scrapeInterval: '10s' } },
    path: 'sizing.activeSeries',
    says: [/volume/, /more than one volume can be \(64Ti\)/],
  },
  { name: 'a million GiB of logs a day on one Loki', options: { sizing: { logGbPerDay: 1e6 } }, path: 'sizing.logGbPerDay', says: [/more than one volume can hold/] },
  { name: 'zero log volume', options: { sizing: { logGbPerDay: 0 } }, path: 'sizing.logGbPerDay', says: [/is zero/] },
  { name: '100M spans a second on one Tempo', options: { sizing: { spansPerSecond: 1e8 } }, path: 'sizing.spansPerSecond', says: [/more than one volume can hold/] },

  // ── NaN and Infinity, anywhere ────────────────────────────────────────────────────────────────
  { name: 'NaN sampler ratio', options: { traces: { samplerRatio: NaN } }, path: 'traces.samplerRatio', says: [/"NaN"/, /finite number/, /null/] },
  { name: 'Infinity active series', options: { sizing: { activeSeries: Infinity } }, path: 'sizing.activeSeries', says: [/"Infinity"/, /finite number/] },
  { name: 'NaN threshold', options: { alerting: { thresholds: { KubePodCrashLooping: NaN } } }, path: 'alerting.thresholds.KubePodCrashLooping', says: [/finite number/] },
  { name: 'Infinity threshold', options: { alerting: { thresholds: { NodeFilesystemRunningOut: Infinity } } }, path: 'alerting.thresholds.NodeFilesystemRunningOut', says: [/finite number/] },
  { name: '-Infinity threshold', options: { alerting: { thresholds: { NodeFilesystemRunningOut: -Infinity } } }, path: 'alerting.thresholds.NodeFilesystemRunningOut', says: [/"-Infinity"/] },
  { name: 'NaN SLO objective', options: svc({ slos: [{ kind: 'availability', objective: NaN }] }), path: 'services[0].slos[0].objective', says: [/finite number/] },
  { name: 'Infinity latency threshold', options: svc({ latencyThresholdSeconds: Infinity }), path: 'services[0].latencyThresholdSeconds', says: [/finite number/] },
  { name: 'NaN NodePort', options: { grafana: { exposure: 'node-port', nodePort: NaN } }, path: 'grafana.nodePort', says: [/finite number/] },
  { name: 'Infinity Alertmanager replicas', options: { metrics: { alertmanagerReplicas: Infinity } }, path: 'metrics.alertmanagerReplicas', says: [/finite number/] },
  { name: 'NaN dashboard id', options: community({ gnetId: NaN }), path: 'dashboards.community[0].gnetId', says: [/finite number/] },
  {
    name: 'NaN in valuesOverrides',
    options: kps({ prometheus: { prometheusSpec: { replicas: NaN } } }),
    path: 'valuesOverrides.kube-prometheus-stack.prometheus.prometheusSpec.replicas',
    says: [/finite number/],
  },
  {
    name: 'Infinity in a list in valuesOverrides',
    options: kps({ alertmanager: { config: { route: { group_by: [Infinity] } } } }),
    path: 'valuesOverrides.kube-prometheus-stack.alertmanager.config.route.group_by[0]',
    says: [/finite number/],
  },
  { name: 'NaN error-rate threshold', options: svc({ errorRateThreshold: NaN }), path: 'services[0].errorRateThreshold', says: [/finite number/] },

  // ── valuesOverrides: typed against the chart, no accidental deletion ──────────────────────────
  {
    name: 'enabled: "yes" where the chart has a boolean',
    options: kps({ alertmanager: { enabled: 'yes' } }),
    path: 'valuesOverrides.kube-prometheus-stack',
    says: [/"alertmanager\.enabled" is a string \("yes"\)/, /is a boolean/, /write true without quotes/],
  },
  { name: 'enabled: "false" as a string', options: kps({ grafana: { enabled: 'false' } }), path: 'valuesOverrides.kube-prometheus-stack', says: [/"grafana\.enabled" is a string/, /write false/] },
  { name: 'enabled: 1', options: kps({ nodeExporter: { enabled: 1 } }), path: 'valuesOverrides.kube-prometheus-stack', says: [/"nodeExporter\.enabled" is a number/, /boolean/] },
  {
    name: 'replicas as a string',
    options: kps({ prometheus: { prometheusSpec: { replicas: '2' } } }),
    path: 'valuesOverrides.kube-prometheus-stack',
    says: [/"prometheus\.prometheusSpec\.replicas" is a string \("2"\)/, /is a number/],
  },
  {
    name: 'a section replaced by a string',
    options: kps({ prometheus: { prometheusSpec: 'big' } }),
    path: 'valuesOverrides.kube-prometheus-stack',
    says: [/"prometheus\.prometheusSpec" is a string/, /is a map/],
  },
  {
    name: 'a list replaced by a map',
    options: kps({ alertmanager: { config: { route: { group_by: { alertname: true } } } } }),
    path: 'valuesOverrides.kube-prometheus-stack',
    says: [/"alertmanager\.config\.route\.group_by" is a map/, /is a list/],
  },
  {
    name: 'a string replaced by a boolean',
    options: kps({ prometheus: { prometheusSpec: { logLevel: true } } }),
    path: 'valuesOverrides.kube-prometheus-stack',
    says: [/"prometheus\.prometheusSpec\.logLevel" is a boolean/, /is a string/],
  },
  {
    name: 'null for the whole prometheus section',
    options: kps({ prometheus: null }),
    path: 'valuesOverrides.kube-prometheus-stack',
    says: [/"prometheus" is null/, /deletes the whole section/, /enabled: false/, /list it in valuesOverridesDeletions: \{ "kube-prometheus-stack": \["prometheus"\] \}/],
  },
  { name: 'null for the whole alertmanager section', options: kps({ alertmanager: null }), path: 'valuesOverrides.kube-prometheus-stack', says: [/"alertmanager" is null/] },
  { name: 'null for prometheusSpec', options: kps({ prometheus: { prometheusSpec: null } }), path: 'valuesOverrides.kube-prometheus-stack', says: [/"prometheus\.prometheusSpec" is null/] },
  { name: 'null for a whole part', options: { valuesOverrides: { loki: null } }, path: 'valuesOverrides.loki', says: [/not a map of Helm values/] },
  // a whole section may be deleted only when listed in valuesOverridesDeletions, and every entry there must delete something
  {
    name: 'null for grafana.ini\'s analytics section, not listed',
    options: { metrics: { flavor: 'standalone' }, valuesOverrides: { grafana: { 'grafana.ini': { analytics: null } } } },
    path: 'valuesOverrides.grafana',
    says: [/"grafana\.ini\.analytics" is null/, /deletes the whole section/, /valuesOverridesDeletions: \{ "grafana": \["grafana\.ini\.analytics"\] \}/],
  },
  {
    name: 'a deletion listed for another section than the null',
    options: { ...kps({ prometheus: null }), valuesOverridesDeletions: { 'kube-prometheus-stack': ['prometheus.prometheusSpec'] } },
    path: 'valuesOverridesDeletions.kube-prometheus-stack[0]',
    says: [/"prometheus\.prometheusSpec"/, /does not name a key that valuesOverrides\.kube-prometheus-stack sets to null/, /the keys set to null there are "prometheus"/],
  },
  {
    name: 'a deletion for a part whose overrides set no null',
    options: { ...kps({ alertmanager: { enabled: false } }), valuesOverridesDeletions: { 'kube-prometheus-stack': ['alertmanager'] } },
    path: 'valuesOverridesDeletions.kube-prometheus-stack[0]',
    says: [/"alertmanager"/, /valuesOverrides\.kube-prometheus-stack sets no key to null/],
  },
  {
    name: 'a deletion for a part without overrides',
    options: { valuesOverridesDeletions: { loki: ['gateway'] } },
    path: 'valuesOverridesDeletions.loki[0]',
    says: [/"gateway"/, /valuesOverrides\.loki sets no key to null/],
  },
  {
    name: 'a deletion naming an unknown part',
    options: { ...kps({ prometheus: null }), valuesOverridesDeletions: { 'kube-prometheus': ['prometheus'] } },
    path: 'valuesOverridesDeletions.kube-prometheus',
    says: [/"kube-prometheus"/, /is not a part of the stack/, /did you mean "kube-prometheus-stack"/, /known parts: /],
  },
  { name: 'valuesOverridesDeletions as a raw string', options: { valuesOverridesDeletions: 'grafana.ini.analytics' }, path: 'valuesOverridesDeletions', says: [/not a map from part name to a list of dotted paths/] },
  { name: 'valuesOverridesDeletions with a path instead of a list', options: { valuesOverridesDeletions: { grafana: 'grafana.ini.analytics' } }, path: 'valuesOverridesDeletions.grafana', says: [/not a list of dotted paths/] },
  { name: 'valuesOverridesDeletions with an empty path', options: { valuesOverridesDeletions: { 'kube-prometheus-stack': [''] } }, path: 'valuesOverridesDeletions.kube-prometheus-stack[0]', says: [/""/, /not a dotted path/] },
  { name: 'valuesOverridesDeletions with a path as a list', options: { valuesOverridesDeletions: { 'kube-prometheus-stack': [['prometheus']] } }, path: 'valuesOverridesDeletions.kube-prometheus-stack[0]', says: [/not a dotted path/] },
  {
    name: 'an environment\'s null for a whole section, not listed',
    options: { environments: [{ name: 'prod', valuesOverrides: { 'kube-prometheus-stack': { alertmanager: null } } }], clusters: [{ name: 'p1', environment: 'prod' }] },
    path: 'environments[0].valuesOverrides.kube-prometheus-stack',
    says: [/"alertmanager" is null/, /valuesOverridesDeletions/],
  },
  {
    name: 'an environment\'s deletion that matches no null',
    options: {
      environments: [{ name: 'prod', valuesOverrides: { 'kube-prometheus-stack': { alertmanager: null } }, valuesOverridesDeletions: { 'kube-prometheus-stack': ['alertmanger'] } }],
      clusters: [{ name: 'p1', environment: 'prod' }],
    },
    path: 'environments[0].valuesOverridesDeletions.kube-prometheus-stack[0]',
    says: [/"alertmanger"/, /the keys set to null there are "alertmanager"/, /in environment "prod"/],
  },
  {
    name: 'a project-wide deletion an environment\'s override undoes',
    options: {
      ...kps({ alertmanager: null }),
      valuesOverridesDeletions: { 'kube-prometheus-stack': ['alertmanager'] },
      environments: [{ name: 'prod', valuesOverrides: { 'kube-prometheus-stack': { alertmanager: { enabled: true } } } }],
      clusters: [{ name: 'p1', environment: 'prod' }],
    },
    path: 'valuesOverridesDeletions.kube-prometheus-stack[0]',
    says: [/"alertmanager"/, /sets no key to null/, /in environment "prod", environments\[0\]/],
  },
  {
    name: 'an environment\'s valuesOverridesDeletions as a raw string',
    options: { environments: [{ name: 'prod', valuesOverridesDeletions: 'alertmanager' }], clusters: [{ name: 'p1', environment: 'prod' }] },
    path: 'environments[0].valuesOverridesDeletions',
    says: [/not a map from part name to a list of dotted paths/],
  },
  { name: 'Loki boolean as "on"', options: { valuesOverrides: { loki: { gateway: { enabled: 'on' } } } }, path: 'valuesOverrides.loki', says: [/"gateway\.enabled" is a string \("on"\)/, /write true/] },
  {
    name: 'an environment override with "no"',
    options: {
      environments: [{ name: 'prod', valuesOverrides: { 'kube-prometheus-stack': { alertmanager: { enabled: 'no' } } } }], clusters: [{ name: 'p1', environment: 'prod' }],
    },
    path: 'environments[0].valuesOverrides.kube-prometheus-stack',
    says: [/"alertmanager\.enabled" is a string \("no"\)/],
  },
  // ── centralAuth: edges authenticate to the central Loki, Mimir and Tempo from a Secret, never a value ──
  credential('GitHub token as centralAuth.secretName', distributed({ centralAuth: { secretName: GHP } }), 'centralAuth.secretName', GHP, /GitHub token/),
  credential('JSON Web Token as centralAuth.tokenKey', distributed({ centralAuth: { type: 'bearer', tokenKey: JWT } }), 'centralAuth.tokenKey', JWT, /JSON Web Token/),
  {
    name: 'centralAuth.passwordKey that is a password',
    options: distributed({ centralAuth: { passwordKey: RANDOM_KEY } }),
    path: 'centralAuth.passwordKey',
    says: [/looks like a credential/, /key under which/, /redacted/],
    secret: RANDOM_KEY,
  },
  {
    name: 'centralAuth.gatewaySecretName that is a password',
    options: distributed({ centralAuth: { gatewaySecretName: RANDOM_KEY.toLowerCase() + 'Q9' } }),
    path: 'centralAuth.gatewaySecretName',
    says: [/looks like a credential/, /name of the Kubernetes Secret/],
    secret: RANDOM_KEY.toLowerCase() + 'Q9',
  },
  { name: 'centralAuth without a distributed environment', options: { centralAuth: { type: 'bearer' } }, path: 'centralAuth', says: [/no environment uses Profile.DISTRIBUTED/] },
  { name: 'centralAuth as a raw string (projen new)', options: distributed({ centralAuth: '{"type":"basic"}' }), path: 'centralAuth', says: [/raw string/] },
  { name: 'centralAuth with an unknown field', options: distributed({ centralAuth: { password: 'x' } }), path: 'centralAuth.password', says: [/not a known field/, /passwordKey/] },
  { name: 'centralAuth.tenancy not a scope', options: distributed({ centralAuth: { tenancy: 'namespace' } }), path: 'centralAuth.tenancy', says: [/cluster, environment, none/] },
  {
    name: 'tenant per environment without environments',
    options: distributed({ centralAuth: { tenancy: 'environment' } }),
    path: 'centralAuth.tenancy',
    says: [/no environments are declared/, /TenantScope.CLUSTER/],
  },
  { name: 'centralAuth.type not a type', options: distributed({ centralAuth: { type: 'mtls' } }), path: 'centralAuth.type', says: [/basic, bearer, none/] },
  { name: 'centralAuth.secretName not a DNS name', options: distributed({ centralAuth: { secretName: 'Central_Auth' } }), path: 'centralAuth.secretName', says: [/"Central_Auth"/, /DNS-1123/] },
  { name: 'centralAuth.usernameKey with a space', options: distributed({ centralAuth: { usernameKey: 'user name' } }), path: 'centralAuth.usernameKey', says: [/not a valid Secret key/] },
  {
    name: 'centralAuth user and password under one key',
    options: distributed({ centralAuth: { usernameKey: 'creds', passwordKey: 'creds' } }),
    path: 'centralAuth.passwordKey',
    says: [/same key as centralAuth.usernameKey/],
  },
  {
    name: 'centralAuth gateway htpasswd in the clients\' Secret',
    options: distributed({ centralAuth: { secretName: 'auth', gatewaySecretName: 'auth' } }),
    path: 'centralAuth.gatewaySecretName',
    says: [/same Secret as centralAuth.secretName/, /htpasswd/],
  },
  { name: 'centralAuth.tokenKey with basic auth', options: distributed({ centralAuth: { tokenKey: 'token' } }), path: 'centralAuth.tokenKey', says: [/"basic", which does not use it/] },
  {
    name: 'centralAuth.usernameKey with a bearer token',
    options: distributed({ centralAuth: { type: 'bearer', usernameKey: 'user' } }),
    path: 'centralAuth.usernameKey',
    says: [/"bearer", which does not use it/],
  },
];

/** Paths of the options each case must name, for the per-field coverage check below. */
const FREE_TEXT_PATHS = Object.keys(FREE_TEXT_FIELDS);

function errorOf(options: Record<string, unknown>, outdir: string): Error | undefined {
  try {
    new ObservabilityGitOpsProject({ ...BASE, outdir, ...(options as any) });
  } catch (e) {
    return e as Error;
  }
  return undefined;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('bad input is refused with a clear error, before anything is written', () => {
  test('the table holds at least 150 cases (issue 14)', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(150);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  test.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const outdir = mkdtempSync(join(tmpdir(), 'obs-gitops-refused-'));
    const error = errorOf(c.options, outdir);
    expect(error).toBeDefined();
    const message = error!.message;
    expect(error!.name).toBe('InvalidOptionError');
    // one message naming the option path first
    expect(message).toMatch(new RegExp(`^Invalid option "${escape(c.path)}": `));
    for (const re of c.says) expect(message).toMatch(re);
    if (c.secret !== undefined) {
      expect(message).not.toContain(c.secret);
      expect(JSON.stringify((error as any).value) ?? '').not.toContain(c.secret);
      expect(String((error as any).option)).not.toContain(c.secret);
    }
    expect(existsSync(outdir) ? readdirSync(outdir) : []).toEqual([]);
  });

  test('every free-text field of src/validation/free-text.ts is exercised by a case', () => {
    const named = CASES.map((c) => c.path.replace(/\[\d+\]/g, '[]'));
    expect(FREE_TEXT_PATHS.filter((p) => !named.includes(p))).toEqual([]);
  });
});

/** Every file under dir with a hash of its content. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

test('a refused re-sync leaves an existing repository unchanged', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'obs-gitops-refused-resync-'));
  synthToDisk(new ObservabilityGitOpsProject({ ...BASE, outdir, gitRepoUrl: 'https://github.com/acme/obs.git' } as any));
  const before = tree(outdir);
  expect(Object.keys(before).length).toBeGreaterThan(20);
  // one case of each kind
  for (const name of ['credential: GitHub token in gitRepoUrl (x-access-token)', 'channel with template syntax', 'retention size above the default volume',
    'NaN sampler ratio', 'enabled: "yes" where the chart has a boolean', 'expression that is not PromQL']) {
    const c = CASES.find((x) => x.name === name)!;
    expect(errorOf({ gitRepoUrl: 'https://github.com/acme/obs.git', ...c.options }, outdir)).toBeDefined();
    expect(tree(outdir)).toEqual(before);
  }
});
