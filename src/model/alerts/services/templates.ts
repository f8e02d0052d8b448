import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { packageRoot } from '../../../package-root';

/*
 * The per-service templates (templates/rules/services, templates/runbooks/services), read once,
 * and their `@{name}` placeholders filled in.
 */

export interface RuleTemplate {
  readonly record?: string;
  readonly alert?: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

interface GoldenTemplate {
  readonly quantiles: number[];
  /** The rate window, before widening to the service's scrape interval. */
  readonly window: string;
  readonly recordingRules: RuleTemplate[];
  readonly alerts: RuleTemplate[];
}

interface PairTemplate {
  readonly long: string;
  readonly short: string;
  readonly budgetConsumed: number;
}

interface SloTemplate {
  readonly windows: string[];
  readonly burnRateAlerts: ReadonlyArray<{ readonly severity: 'critical' | 'warning'; readonly pairs: PairTemplate[] }>;
  readonly sli: Record<'availability' | 'latency', { readonly name: string; readonly description: string; readonly errorRatio: string }>;
  readonly record: string;
  readonly alert: {
    readonly alert: string;
    readonly pairCondition: string;
    readonly annotations: Record<'critical' | 'warning', { readonly summary: string; readonly description: string }>;
  };
}

const templateCache = new Map<string, string>();

/** A file under templates/ (cached). */
export function templateText(...segments: string[]): string {
  const file = path.join(packageRoot(), 'templates', ...segments);
  let text = templateCache.get(file);
  if (text === undefined) {
    text = fs.readFileSync(file, 'utf8');
    templateCache.set(file, text);
  }
  return text;
}

const parsedCache = new Map<string, unknown>();

/** A YAML template, parsed once. */
function yamlTemplate<T>(...segments: string[]): T {
  const key = segments.join('/');
  if (!parsedCache.has(key)) parsedCache.set(key, YAML.parse(templateText(...segments)));
  return parsedCache.get(key) as T;
}

export function goldenTemplate(): GoldenTemplate {
  return yamlTemplate<GoldenTemplate>('rules', 'services', 'golden-signals.yaml');
}

export function sloTemplate(): SloTemplate {
  return yamlTemplate<SloTemplate>('rules', 'services', 'slo.yaml');
}

/** Template texts split at their `@{name}` placeholders: text, name, text, ..., text (odd indexes are names). */
const splitTemplates = new Map<string, string[]>();

/** Fill `@{name}` placeholders; an unknown placeholder is a template bug. */
export function fill(text: string, vars: Readonly<Record<string, string>>, where: string): string {
  // the same few template texts are filled for every service: split each once
  let parts = splitTemplates.get(text);
  if (parts === undefined) {
    parts = text.split(/@\{([A-Za-z]+)\}/);
    splitTemplates.set(text, parts);
  }
  let out = parts[0];
  for (let i = 1; i < parts.length; i += 2) {
    const value = vars[parts[i]];
    if (value === undefined) throw new Error(`${where}: unknown placeholder @{${parts[i]}}`);
    out += value + parts[i + 1];
  }
  return out;
}

export function fillMap(map: Record<string, string> | undefined, vars: Readonly<Record<string, string>>,
  where: string): Record<string, string> | undefined {
  if (!map) return undefined;
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k, fill(String(v), vars, where)]));
}

/** The expression as written to the rule file: the template's text with placeholders filled, trailing newline dropped. */
export function fillExpr(text: string, vars: Readonly<Record<string, string>>, where: string): string {
  return fill(text, vars, where).trimEnd(); // as .replace(/\s+$/, ''), without the regex's rescans
}
