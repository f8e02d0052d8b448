import { allRuleGroups } from './index';
import { renderRuleFile } from './render';
import { MetricsFlavor } from '../../options/options';
import { ResolvedOptions } from '../../options/resolve';

/** The generated values file of the prometheus part, named in messages about its rules. */
const VALUES_FILE = 'values/prometheus.yaml';

/**
 * The prometheus chart's `serverFiles` with the stack's rules, for
 * MetricsFlavor.STANDALONE (no operator, no PrometheusRule CRD).
 *
 * The chart (29.27.0) writes every `serverFiles` key into the server's
 * ConfigMap, mounted at /etc/config, and its default `prometheus.yml` lists
 * `/etc/config/recording_rules.yml` and `/etc/config/alerting_rules.yml` in
 * `rule_files`; Helm merges these two keys into the defaults, so
 * `prometheus.yml` stays the chart's. The values are written with `toYaml`,
 * not `tpl`: `{{ $labels.x }}` in annotations reaches Prometheus unchanged.
 * The config-reloader sidecar reloads Prometheus when the ConfigMap changes.
 *
 * Groups of recording rules only go to `recording_rules.yml`; every other
 * group (alerts, or alerts with the recording rules they read) stays whole in
 * `alerting_rules.yml`, so the rule order inside a group is kept.
 *
 * Empty when there are no rules (the chart's default `{}` files stay).
 */
export function prometheusServerFiles(o: ResolvedOptions): Record<string, unknown> {
  if (!o.metrics.enabled || o.metrics.flavor !== MetricsFlavor.STANDALONE) return {};
  const groups = allRuleGroups(o);
  const recording = groups.filter((g) => g.rules.every((r) => r.record !== undefined));
  const alerting = groups.filter((g) => !recording.includes(g));
  return {
    ...(recording.length > 0 ? { 'recording_rules.yml': renderRuleFile(recording, `${VALUES_FILE} (serverFiles.recording_rules.yml)`) } : {}),
    ...(alerting.length > 0 ? { 'alerting_rules.yml': renderRuleFile(alerting, `${VALUES_FILE} (serverFiles.alerting_rules.yml)`) } : {}),
  };
}
