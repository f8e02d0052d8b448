import { Rule } from '../types';
import { expandAnnotation } from './numbers';

/*
 * The alerts a promtool test expects, as Prometheus would send them: their
 * labels and their annotations expanded.
 */

/**
 * The labels an alert carries: the equality matchers of the selector its
 * expression starts with (the recorded series' labels: namespace, service,
 * and quantile or slo), plus the rule's own labels.
 */
function alertLabels(rule: Rule): Record<string, string> {
  const selector = /\{([^}]*)\}/.exec(rule.expr);
  const matchers = Object.fromEntries([...(selector?.[1] ?? '').matchAll(/([A-Za-z_][A-Za-z0-9_]*)\s*=\s*"([^"]*)"/g)].map((m) => [m[1], m[2]]));
  return { ...matchers, ...rule.labels };
}

export function expectedAlert(rule: Rule, value?: number) {
  const all = alertLabels(rule);
  return {
    exp_labels: all,
    exp_annotations: Object.fromEntries(Object.entries(rule.annotations ?? {}).map(([k, v]) => [k, expandAnnotation(v, all, value)])),
  };
}
