import * as fs from 'fs';
import * as path from 'path';
import { packageRoot } from '../../package-root';

/*
 * Dashboard templates: Grafana dashboard JSON models kept as data under
 * `templates/dashboards/` at the package root, read at synth.
 *
 * A template is a complete dashboard (panels, gridPos, targets, variables)
 * with placeholders `@{name}` in string values, for what differs per stack or
 * per service: `@{ds.prometheus}` (datasource uids), `@{service}`,
 * `@{requestsMetric}`, ... A string that is exactly one placeholder whose
 * value is a number (`"@{errorRateThreshold}"`) becomes that number (for
 * thresholds). `@{` never occurs in PromQL, LogQL, TraceQL or Grafana's own
 * `$var` / `{{label}}` syntaxes, so templates stay valid JSON and readable.
 *
 * The renderer owns `uid`, `links` and the library's tags; a row panel may
 * carry `"x-requires": ["loki"]` to exist only when that component is in the
 * stack (see render.ts). Internal module: not exported from src/index.ts.
 */


/** A placeholder: `@{name}` with a dotted name. */
const PLACEHOLDER = /@\{([A-Za-z][A-Za-z0-9_.]*)\}/g;
const WHOLE_PLACEHOLDER = /^@\{([A-Za-z][A-Za-z0-9_.]*)\}$/;

/** Values a template's placeholders are replaced with. */
export type TemplateParams = Readonly<Record<string, string | number>>;

/** `templates/dashboards/<name>`, relative to the package root (for messages). */
export function templatePath(name: string): string {
  return `templates/dashboards/${name}`;
}

const cache = new Map<string, Readonly<Record<string, unknown>>>();

/**
 * A template, parsed. Throws naming the file when it is missing, not JSON or
 * not a JSON object. Returns a fresh copy each call.
 */
export function loadTemplate(name: string): Record<string, unknown> {
  return structuredClone(sharedTemplate(name)) as Record<string, unknown>;
}

/**
 * A template, parsed once per process and deeply frozen: for readers that
 * copy what they change (the renderer renders the service template once per
 * service). Same errors as loadTemplate.
 */
export function sharedTemplate(name: string): Readonly<Record<string, unknown>> {
  let parsed = cache.get(name);
  if (!parsed) {
    const file = path.join(packageRoot(), 'templates', 'dashboards', name);
    if (!fs.existsSync(file)) throw new Error(`Dashboard template ${templatePath(name)} does not exist`);
    const text = fs.readFileSync(file, 'utf8');
    parsed = deepFreeze(parseTemplateText(templatePath(name), text));
    cache.set(name, parsed);
  }
  return parsed;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Parse a template's text; the error names the file and the position JSON.parse reports. */
export function parseTemplateText(file: string, text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new Error(`Dashboard template ${file} is not valid JSON: ${(e as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(`Dashboard template ${file} is not a JSON object (a Grafana dashboard model)`);
  }
  return value as Record<string, unknown>;
}

/**
 * Replace every `@{name}` in the string values of `value` (recursively; keys
 * are left alone). An unknown placeholder is an error naming the file and
 * the JSON path, so a template cannot reference something this stack lacks
 * (e.g. `@{ds.loki}` without Loki).
 */
export function fillPlaceholders<T>(value: T, params: TemplateParams, file: string): T {
  return fill(value, params, file, '$') as T;
}

function fill(value: unknown, params: TemplateParams, file: string, at: string): unknown {
  if (typeof value === 'string') return value.includes('@{') ? fillString(value, params, file, at) : value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = fill(value[i], params, file, `${at}[${i}]`);
    return out;
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value)) {
      const v = fill((value as Record<string, unknown>)[k], params, file, `${at}.${k}`);
      if (k === '__proto__') Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
      else out[k] = v;
    }
    return out;
  }
  return value;
}

function fillString(s: string, params: TemplateParams, file: string, at: string): string | number {
  const lookup = (name: string) => {
    if (!Object.prototype.hasOwnProperty.call(params, name)) {
      const known = Object.keys(params).sort().map((k) => `@{${k}}`).join(', ');
      throw new Error(`Dashboard template ${file}: unknown placeholder @{${name}} at ${at} (known here: ${known || 'none'})`);
    }
    return params[name];
  };
  const whole = WHOLE_PLACEHOLDER.exec(s);
  if (whole) {
    const v = lookup(whole[1]);
    return v;
  }
  return s.replace(PLACEHOLDER, (_, name: string) => String(lookup(name)));
}
