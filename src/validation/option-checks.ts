import { urlUserinfoProblem } from './credentials';
import { InvalidOptionError, didYouMeanHint } from './errors';

/**
 * Small, pure checks of option values. Each throws `InvalidOptionError` naming
 * the option, the value and what would be valid.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A Kubernetes DNS-1123 label: namespaces, cluster names. */
export function checkDnsLabel(option: string, value: unknown): string {
  const s = checkString(option, value);
  if (s.length > 63 || !DNS1123_LABEL.test(s)) {
    throw new InvalidOptionError(option, value,
      'is not a DNS-1123 label: use at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit (for example "monitoring")');
  }
  return s;
}

/** A Kubernetes DNS-1123 subdomain: object names such as Secrets and Applications. */
export function checkDnsSubdomain(option: string, value: unknown): string {
  const s = checkString(option, value);
  if (s.length > 253 || !DNS1123_SUBDOMAIN.test(s)) {
    throw new InvalidOptionError(option, value,
      'is not a DNS-1123 subdomain: use at most 253 lowercase letters, digits, "-" and ".", starting and ending with a letter or digit (for example "grafana-admin")');
  }
  return s;
}

/** A non-empty string. */
export function checkString(option: string, value: unknown): string {
  if (typeof value !== 'string') {
    throw new InvalidOptionError(option, value, 'is not a string');
  }
  if (value.trim() === '') {
    throw new InvalidOptionError(option, value, 'must not be empty');
  }
  return value;
}

export function checkBoolean(option: string, value: unknown): boolean {
  if (typeof value !== 'boolean') {
    throw new InvalidOptionError(option, value, 'is not a boolean (true or false)');
  }
  return value;
}

/**
 * A Git repository URL Argo CD can clone: https://, http://, ssh://, git:// or
 * scp-like `git@host:org/repo.git`.
 */
export function checkGitRepoUrl(option: string, value: unknown): string {
  const s = checkString(option, value);
  const scpLike = /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[^\s]+$/;
  let ok = scpLike.test(s);
  if (!ok) {
    try {
      const url = new URL(s);
      ok = ['https:', 'http:', 'ssh:', 'git:'].includes(url.protocol) && url.hostname !== '' && url.pathname.length > 1 && !/\s/.test(s);
    } catch {
      ok = false;
    }
  }
  if (!ok) {
    throw new InvalidOptionError(option, value,
      'is not a Git repository URL: use https://host/org/repo.git, ssh://git@host/org/repo.git or git@host:org/repo.git');
  }
  const userinfo = scpLike.test(s) ? undefined : urlUserinfoProblem(s);
  if (userinfo) {
    throw new InvalidOptionError(option, value,
      `${userinfo}, which would be written to Git in ~13 files: give Argo CD the credentials as a repository Secret ` +
      '(label argocd.argoproj.io/secret-type: repository) and use the URL without them (https://host/org/repo.git or git@host:org/repo.git)');
  }
  return s;
}

/** A URL with an http(s) scheme, such as a Kubernetes API server. */
export function checkHttpUrl(option: string, value: unknown): string {
  const s = checkString(option, value);
  let ok = false;
  try {
    const url = new URL(s);
    ok = (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '' && !/\s/.test(s);
  } catch {
    ok = false;
  }
  if (!ok) {
    throw new InvalidOptionError(option, value, 'is not an http(s) URL (for example "https://kubernetes.default.svc")');
  }
  const userinfo = urlUserinfoProblem(s);
  if (userinfo) {
    throw new InvalidOptionError(option, value,
      `${userinfo}, which would be written to Git: use the URL without credentials; they belong in a Kubernetes Secret`);
  }
  return s;
}

/**
 * A Git revision as Argo CD's `targetRevision` takes it: a branch, tag or
 * commit, following git's ref-name rules (git check-ref-format).
 */
export function checkGitRevision(option: string, value: unknown): string {
  const s = checkString(option, value);
  const bad =
    /[\s~^:?*[\\\x00-\x1f\x7f]/.test(s) ||
    s.includes('..') || s.includes('@{') || s.includes('//') ||
    s.startsWith('/') || s.endsWith('/') || s.endsWith('.') || s.endsWith('.lock') ||
    s.startsWith('-') || s === '@' ||
    s.split('/').some((part) => part.startsWith('.'));
  if (bad) {
    throw new InvalidOptionError(option, value,
      'is not a valid Git branch, tag or commit (no spaces, "..", "~", "^", ":", "?", "*", "[", "\\", no leading "-" or "/", no trailing "/", "." or ".lock")');
  }
  return s;
}

/** A Prometheus duration such as `15d`, `12h`, `1w`, `90m` or `1h30m`. */
export const PROM_DURATION = /^(\d+(ms|s|m|h|d|w|y))+$/;

const UNIT_MS: Record<string, number> = {
  ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000,
};

const durationMs = new Map<string, number>();

/** Milliseconds of a Prometheus duration such as `1m30s` (already validated). */
export function promDurationMs(duration: string): number {
  // a handful of distinct durations, converted thousands of times by the promtool test synthesis
  let total = durationMs.get(duration);
  if (total === undefined) {
    total = 0;
    for (const [, n, unit] of duration.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)) total += Number(n) * UNIT_MS[unit];
    durationMs.set(duration, total);
  }
  return total;
}

/** A Prometheus duration such as `15d`, `12h`, `1w`, `90m` or `1h30m`. */
export function checkPromDuration(option: string, value: unknown): string {
  const s = checkString(option, value);
  if (!PROM_DURATION.test(s)) {
    throw new InvalidOptionError(option, value,
      'is not a Prometheus duration: a number and a unit ms, s, m, h, d, w or y, with no spaces (for example "15d" or "12h")');
  }
  return s;
}

/**
 * A struct option must be an object. From the `projen new` command line a
 * struct arrives as a raw string: say so and where to set it instead.
 */
export function checkStruct(option: string, value: unknown, knownKeys: readonly string[]): Record<string, unknown> {
  if (typeof value === 'string') {
    throw new InvalidOptionError(option, value,
      'arrived as a raw string, but it is a struct option. projen new passes struct options unparsed: ' +
      `leave it off the command line and set it in .projenrc.ts, for example ${option.split('.').pop()}: { ... }`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidOptionError(option, value, `is not an object with the fields ${knownKeys.join(', ')}`);
  }
  for (const key of Object.keys(value)) {
    if (!knownKeys.includes(key)) {
      throw new InvalidOptionError(`${option}.${key}`, (value as any)[key],
        `is not a known field of "${option}"${didYouMeanHint(key, knownKeys)}; known fields: ${knownKeys.join(', ')}`);
    }
  }
  return value as Record<string, unknown>;
}

/** An array option; a raw string from the command line gets the struct-option explanation. */
export function checkArray(option: string, value: unknown): unknown[] {
  if (typeof value === 'string') {
    throw new InvalidOptionError(option, value,
      'arrived as a raw string, but it is a list of structs. projen new passes struct options unparsed: ' +
      'leave it off the command line and set it in .projenrc.ts');
  }
  if (!Array.isArray(value)) {
    throw new InvalidOptionError(option, value, 'is not a list');
  }
  return value;
}

/** Names in a list must be unique. */
export function checkUnique(option: string, names: string[]): void {
  const seen = new Set<string>();
  for (const [i, name] of names.entries()) {
    if (seen.has(name)) {
      throw new InvalidOptionError(`${option}[${i}].name`, name, `is a duplicate: every entry of "${option}" needs a unique name`);
    }
    seen.add(name);
  }
}

/** A Kubernetes resource quantity such as `10Gi`, `500m` or `2`. */
export function checkQuantity(option: string, value: unknown): string {
  const s = checkString(option, value);
  if (!/^[+]?(\d+(\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$/.test(s)) {
    throw new InvalidOptionError(option, value,
      'is not a Kubernetes quantity: a number and an optional unit, no spaces (for example "10Gi", "512Mi" or "500m")');
  }
  return s;
}

/** A Prometheus size for `--storage.tsdb.retention.size` such as `45GB`. */
export function checkPromSize(option: string, value: unknown): string {
  const s = checkString(option, value);
  if (!/^\d+(B|KB|MB|GB|TB|PB|EB)$/.test(s)) {
    throw new InvalidOptionError(option, value,
      'is not a Prometheus size: a whole number and a unit B, KB, MB, GB, TB, PB or EB, no spaces (for example "45GB")');
  }
  return s;
}

/** A Go duration (Tempo, Loki configs): `336h`, `90m`, `1h30m`; no `d`. */
export function checkGoDuration(option: string, value: unknown): string {
  const s = checkString(option, value);
  if (!/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(s)) {
    throw new InvalidOptionError(option, value,
      'is not a Go duration: numbers with units ns, us, ms, s, m or h, no spaces and no "d" (for example "336h" for 14 days)');
  }
  return s;
}

/** A whole number within bounds. */
export function checkInteger(option: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidOptionError(option, value, `is not a whole number from ${min} to ${max}`);
  }
  return value;
}

/** A number within [min, max]. */
export function checkNumberInRange(option: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value < min || value > max) {
    throw new InvalidOptionError(option, value, `is not a number from ${min} to ${max}`);
  }
  return value;
}

/** One of the values of a string enum. Lists are rejected with a pointed message. */
export function checkEnum<T extends string>(option: string, value: unknown, allowed: Record<string, T>): T {
  const values = Object.values(allowed);
  if (Array.isArray(value)) {
    throw new InvalidOptionError(option, value, `is a list, but "${option}" takes exactly one of: ${values.join(', ')}`);
  }
  if (typeof value === 'string') {
    if ((values as string[]).includes(value)) return value as T;
    // the enum member name, as `projen new` passes enums on the command line
    const byName = (allowed as Record<string, string>)[value];
    if (byName !== undefined) return byName as T;
  }
  throw new InvalidOptionError(option, value, `is not one of: ${values.join(', ')}${typeof value === 'string' ? didYouMeanHint(value, values) : ''}`);
}

/** A list of DNS-1123 labels (namespaces). */
export function checkDnsLabelList(option: string, value: unknown): string[] {
  if (!Array.isArray(value)) {
    throw new InvalidOptionError(option, value, 'is not a list of namespaces');
  }
  const names = value.map((v, i) => checkDnsLabel(`${option}[${i}]`, v));
  const seen = new Set<string>();
  names.forEach((n, i) => {
    if (seen.has(n)) throw new InvalidOptionError(`${option}[${i}]`, n, `is listed twice in "${option}"`);
    seen.add(n);
  });
  return names;
}

/** A `host:port` endpoint (OTLP gRPC, a Thanos sidecar). */
export function checkHostPort(option: string, value: unknown, example = 'otel-gateway.example.com:4317'): string {
  const s = checkString(option, value);
  const m = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*):(\d{1,5})$/.exec(s);
  if (!m || Number(m[5]) < 1 || Number(m[5]) > 65535) {
    throw new InvalidOptionError(option, value, `is not a host:port endpoint (for example "${example}")`);
  }
  return s;
}
