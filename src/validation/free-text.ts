import { REDACTED } from './credentials';
import { InvalidOptionError } from './errors';
import { checkString } from './option-checks';

/**
 * Free-text options: where each one lands in the generated repository and
 * what it must therefore not contain. This table is the one place to look
 * (and to add a row) when an option takes text that is not a name with a
 * fixed pattern: resolve.ts checks each of these fields with
 * `checkFreeText(<row>, <path>, value)`, and test/input-refusals.test.ts
 * tries every rule of every row.
 *
 * Rules every row has (they break YAML, Markdown and review alike):
 * control characters and bidirectional-text controls (a "Trojan Source"
 * string reads differently in review than it runs). Credentials are refused
 * for every option, free text or not (option-credentials.ts).
 */

/** Something a value must not contain, and why (the message says both). */
export interface TextRule {
  readonly id: string;
  readonly test: (value: string) => number; // offset of the first offending character, or -1
  readonly what: string;
  /** The value may itself be a credential (a webhook URL): the message does not repeat it. */
  readonly masks?: boolean;
}

const at = (re: RegExp) => (value: string) => {
  const m = re.exec(value);
  return m ? m.index : -1;
};

export const RULES = {
  control: { id: 'control', test: at(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/), what: 'control characters' },
  bidi: { id: 'bidi', test: at(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/), what: 'bidirectional-text controls (U+202A-202E, U+2066-2069, U+200E/F, U+061C)' },
  newline: { id: 'newline', test: at(/[\r\n\u2028\u2029]/), what: 'line breaks (it is a one-line value)' },
  goTemplate: { id: 'goTemplate', test: at(/\{\{|\}\}/), what: '"{{" or "}}" (Alertmanager reads this field as a Go template)' },
  markdownTable: { id: 'markdownTable', test: at(/\|/), what: '"|" (it is written into a Markdown table of the README)' },
  markdownCode: { id: 'markdownCode', test: at(/`/), what: 'backticks (it is written inside a Markdown code span)' },
  html: { id: 'html', test: at(/[<>]/), what: '"<" or ">" (Markdown renders them as HTML)' },
  url: {
    id: 'url',
    test: at(/[a-z][a-z0-9+.-]*:\/\//i),
    masks: true,
    what: 'a URL (a webhook URL is a credential: it belongs in the Secret named by secretName, not in Git)',
  },
  shell: { id: 'shell', test: at(/[\s'"`$\\;&|<>(){}*?!#~]/), what: 'spaces or shell metacharacters (the chart pastes it into a shell script)' },
} as const satisfies Record<string, TextRule>;

/** A free-text option: where it lands and what it must not contain. */
export interface FreeTextField {
  /** Where the value is written, and who reads it. */
  readonly lands: string;
  /** What it must not contain (control characters and bidi controls are always added). */
  readonly rules: readonly TextRule[];
  /** A pattern the whole value must match, with what it means, when the consumer takes only a narrow syntax. */
  readonly pattern?: { readonly re: RegExp; readonly what: string };
  /** At most this many characters. */
  readonly maxLength?: number;
}

const { newline, goTemplate, markdownTable, markdownCode, html, shell } = RULES;

/**
 * Every free-text option, by its path with `[]` for list indices (environments
 * repeat the same paths under `environments[i].`).
 */
export const FREE_TEXT_FIELDS = {
  'name': {
    lands: 'package.json "name", the title of the generated README (Markdown) and the placeholder repository URL',
    rules: [newline, markdownCode, markdownTable, html],
    maxLength: 214,
  },
  'gitRepoUrl': {
    lands: 'every Argo CD Application\'s repoURL, the AppProject, scripts/bootstrap.sh (quoted) and README links (Markdown)',
    rules: [newline, markdownCode, markdownTable, html],
  },
  'clusters[].server': {
    lands: 'Argo CD destination.server, the ApplicationSet list and the README cluster table (Markdown)',
    rules: [newline, markdownCode, markdownTable, html],
  },
  'clusters[].prometheusUrl': {
    lands: 'the central Prometheus\'s federation scrape config (URL split into scheme, host and path)',
    rules: [newline],
  },
  'metrics.remoteWriteUrl': {
    lands: 'prometheusSpec.remoteWrite[].url of every edge cluster',
    rules: [newline],
  },
  'logs.pushUrl': {
    lands: 'the log collectors\' client URL (Alloy config text as a quoted string, Promtail clients, Fluent Bit outputs) on every edge cluster',
    rules: [newline],
  },
  'services[].metricsPath': {
    lands: 'the ServiceMonitor/PodMonitor endpoint path and the service\'s page in docs/services (Markdown)',
    rules: [newline, markdownCode, markdownTable, html],
  },
  'alerting.customRules[].expr': {
    lands: 'the PrometheusRule and the promtool rule file (parsed as PromQL at synth)',
    rules: [],
  },
  'alerting.customRules[].summary': {
    lands: 'the alert\'s summary annotation (a Prometheus Go template: only {{ $labels.<name> }}, {{ $value }} and ' +
      '{{ $externalLabels.<name> }} are accepted), then the title of Slack/Teams/email notifications',
    rules: [newline],
    maxLength: 300,
  },
  'alerting.customRules[].description': {
    lands: 'the alert\'s description annotation (a Prometheus Go template, as summary) and notifications',
    rules: [],
    maxLength: 4000,
  },
  'alerting.receivers[].channel': {
    lands: 'Alertmanager slack_configs[].channel (a Go template) and the README routing table (in a Markdown code span)',
    rules: [RULES.url, newline, goTemplate, markdownCode, markdownTable],
    pattern: { re: /^[#@]?[\p{L}\p{N}][\p{L}\p{N}._-]{0,79}$/u, what: 'a Slack channel such as "#alerts" or "@oncall-user", or a channel id; the webhook URL belongs in the Secret' },
  },
  'alerting.receivers[].to': {
    lands: 'Alertmanager email_configs[].to (a Go template) and the README routing table (Markdown)',
    rules: [newline, goTemplate, markdownCode, markdownTable, html],
  },
  'alerting.receivers[].from': {
    lands: 'Alertmanager email_configs[].from (a Go template)',
    rules: [newline, goTemplate, markdownCode, markdownTable, html],
  },
  'alerting.receivers[].authUsername': {
    lands: 'Alertmanager email_configs[].auth_username (YAML)',
    rules: [newline, goTemplate],
    maxLength: 256,
  },
  'objectStorage.azureAccountName': {
    lands: 'the storage account in the Mimir/Thanos, Loki and Tempo storage configs (YAML, and Loki\'s config text)',
    rules: [],
    pattern: { re: /^[a-z0-9]{3,24}$/, what: 'an Azure storage account name (3 to 24 lowercase letters and digits)' },
  },
  'dashboards.community[].datasource': {
    lands: 'the grafana chart\'s download-dashboards init script, which pastes it into a sed expression run by sh',
    rules: [shell],
    pattern: { re: /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/, what: 'a Grafana datasource uid (letters, digits, "-" and "_", for example "prometheus")' },
  },
} as const satisfies Record<string, FreeTextField>;

export type FreeTextFieldName = keyof typeof FREE_TEXT_FIELDS;

/** A Prometheus annotation template: only these actions (anything else may fail at rule load or leak into notifications). */
const ANNOTATION_ACTION = /^\{\{-?\s*(\$labels\.[a-zA-Z_][a-zA-Z0-9_]*|\$value|\$externalLabels\.[a-zA-Z_][a-zA-Z0-9_]*|\$value\s*\|\s*humanize(Percentage|Duration|1024)?|printf\s+"%\.[0-9]f"\s+\$value)\s*-?\}\}$/;

/**
 * Check a free-text option against its row of FREE_TEXT_FIELDS. `option` is
 * the concrete path (`alerting.receivers[2].channel`); `field` the row.
 */
export function checkFreeText(field: FreeTextFieldName, option: string, value: unknown): string {
  const s = checkString(option, value);
  const row: FreeTextField = FREE_TEXT_FIELDS[field];
  for (const rule of [RULES.control, RULES.bidi, ...row.rules] as readonly TextRule[]) {
    const offset = rule.test(s);
    if (offset >= 0) {
      throw new InvalidOptionError(option, rule.masks ? REDACTED : value,
        `contains ${rule.what} at character ${offset + 1}; it lands in ${row.lands}`);
    }
  }
  if (row.maxLength !== undefined && s.length > row.maxLength) {
    throw new InvalidOptionError(option, `${s.slice(0, 40)}... (${s.length} characters)`, `is longer than ${row.maxLength} characters; it lands in ${row.lands}`);
  }
  if (row.pattern && !row.pattern.re.test(s)) {
    throw new InvalidOptionError(option, value, `is not ${row.pattern.what}; it lands in ${row.lands}`);
  }
  if (field === 'alerting.customRules[].summary' || field === 'alerting.customRules[].description') checkAnnotationTemplate(option, s, row);
  return s;
}

/** Every `{{ ... }}` in an annotation is one of the simple actions Prometheus and every notification template handle. */
function checkAnnotationTemplate(option: string, s: string, row: FreeTextField): void {
  let i = 0;
  while (i < s.length) {
    const open = s.indexOf('{{', i);
    const close = s.indexOf('}}', i);
    if (open === -1 && close === -1) return;
    if (open === -1 || (close !== -1 && close < open)) {
      throw new InvalidOptionError(option, s, `has "}}" without "{{" at character ${close + 1}; it lands in ${row.lands}`);
    }
    const end = s.indexOf('}}', open + 2);
    if (end === -1) throw new InvalidOptionError(option, s, `has "{{" without "}}" at character ${open + 1}; it lands in ${row.lands}`);
    const action = s.slice(open, end + 2);
    if (!ANNOTATION_ACTION.test(action)) {
      throw new InvalidOptionError(option, s, `has the template action ${JSON.stringify(action)} at character ${open + 1}; it lands in ${row.lands}`);
    }
    i = end + 2;
  }
}
