/*
 * Rule shapes: the per-service rules of two services often differ only in
 * the service's namespace and name (same metric names, thresholds, SLOs,
 * windows). Their promtool tests would prove the same thing twice, and
 * promtool evaluates every rule of a file at every step of every test, so
 * testing all of 500 such services costs minutes. The generator tests one
 * representative service per shape, against a rule file that holds only the
 * representatives' rules (tests/rules/<group>.shapes.rules.yaml); every rule
 * of every service is still in tests/rules/<group>.rules.yaml, which
 * `promtool check rules` checks, and `obs-gitops validate` recomputes the
 * shapes from both files to prove each service's rules are a relabelled copy
 * of a tested representative's (src/validate/rule-shapes.ts).
 *
 * A shape is the service's rules with its `namespace="<ns>", service="<name>"`
 * selector and its `namespace` / `service` rule labels replaced by
 * placeholders: anything else that differs (a threshold, a metric name, a
 * window, the service's name written elsewhere) makes another shape, so
 * sharing errs on the side of testing more.
 */

/** A rule as the shape sees it: the fields of a Prometheus rule. */
export interface ShapeRule {
  readonly alert?: string;
  readonly record?: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** File suffix of the representatives' rule file that a group's tests load. */
export const SHAPES_RULE_FILE_SUFFIX = '.shapes.rules.yaml';

/** `namespace="<ns>", service="<name>"`, as the rules select a service (see serviceSelector). */
function selectorOf(namespace: string, service: string): string {
  return `namespace="${namespace}", service="${service}"`;
}

/** JSON with sorted keys (YAML and the model may order keys differently). */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const keys = Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The shape of one service's rules (every rule carrying its `namespace` and
 * `service` labels), as a string: equal shapes mean rules equal up to the
 * service's namespace and name.
 */
export function ruleShape(rules: readonly ShapeRule[], namespace: string, service: string): string {
  const selector = selectorOf(namespace, service);
  return rules.map((r) => {
    const labels = { ...(r.labels ?? {}) };
    if (labels.namespace === namespace) labels.namespace = '<namespace>';
    if (labels.service === service) labels.service = '<service>';
    return canonicalJson({ ...r, expr: r.expr.split(selector).join('namespace="<namespace>", service="<service>"'), labels });
  }).join('\n');
}

/** The `namespace/service` a rule is for (its static labels), or undefined for a rule of no one service. */
export function ruleOwner(rule: ShapeRule): string | undefined {
  const ns = rule.labels?.namespace;
  const svc = rule.labels?.service;
  return ns !== undefined && svc !== undefined ? `${ns}/${svc}` : undefined;
}

/** Rules grouped by the service they are for, in order of first appearance; rules of no one service under ''. */
export function rulesByOwner<R extends ShapeRule>(rules: readonly R[]): Map<string, R[]> {
  const out = new Map<string, R[]>();
  for (const r of rules) {
    const owner = ruleOwner(r) ?? '';
    const list = out.get(owner);
    if (list) list.push(r);
    else out.set(owner, [r]);
  }
  return out;
}

/**
 * One representative per distinct shape, the first of each in `items` order.
 * `rulesOf` gives an item's rules, `idOf` its namespace and name.
 */
export function representatives<T>(items: readonly T[], rulesOf: (item: T) => readonly ShapeRule[],
  idOf: (item: T) => { readonly namespace: string; readonly name: string }): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const item of items) {
    const { namespace, name } = idOf(item);
    const shape = ruleShape(rulesOf(item), namespace, name);
    if (seen.has(shape)) continue;
    seen.add(shape);
    out.push(item);
  }
  return out;
}
