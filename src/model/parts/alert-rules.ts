import { NO_CLUSTER_VALUES } from './chart-ref';
import { MetricsFlavor } from '../../options/options';
import { ResolvedOptions } from '../../options/resolve';
import { allRuleGroups } from '../alerts/index';
import { renderPrometheusRule } from '../alerts/render';
import { ruleGroupBytes, shardRuleGroup } from '../alerts/shard';
import { ClusterTarget, KubeObject, PartDefinition, SyncWave } from '../stack';

/** Part (and Application suffix) name. */
export const ALERT_RULES_PART = 'alert-rules';

/** Name of the PrometheusRule of a rule group. */
export function prometheusRuleName(group: string): string {
  return `${ALERT_RULES_PART}-${group}`;
}

/**
 * The stack's alert and recording rules as PrometheusRule resources (one per
 * rule group: the rule packs, the per-service rules and SLOs, the user's own
 * rules; a group too large for one object is split, see shard.ts), for
 * kube-prometheus-stack's Prometheus. The standalone flavor gets
 * the same rules as the prometheus chart's rule files instead
 * (src/model/alerts/standalone.ts).
 *
 * kube-prometheus-stack sets `ruleSelectorNilUsesHelmValues: false`, so its
 * Prometheus selects every PrometheusRule; the `release` label also matches
 * the chart's default selector, should someone turn that back on in
 * values/overrides. The same rules go to every cluster: the cluster an alert
 * comes from is the `cluster` external label of that cluster's Prometheus.
 */
export const alertRules: PartDefinition = {
  name: ALERT_RULES_PART,
  build: (options) => {
    if (!options.metrics.enabled || options.metrics.flavor !== MetricsFlavor.KUBE_PROMETHEUS_STACK) return undefined;
    const groups = allRuleGroups(options);
    // No rules, no Application: Argo CD fails on a Git source path that does not exist.
    if (groups.length === 0) return undefined;
    return {
      name: ALERT_RULES_PART,
      description: `Alert and recording rules (PrometheusRule): ${groups.map((g) => g.name).join(', ')}`,
      area: 'metrics',
      namespace: options.metrics.namespace,
      wave: SyncWave.CONFIGURATION,
      // Rule objects of up to ~200 KiB (shard.ts): client-side apply's last-applied
      // annotation holds at most 256 KiB, and would be close with the largest.
      serverSideApply: true,
      // The PrometheusRule CRD comes from the prometheus-operator-crds Application
      // of the same root sync: without this, the dry run fails until it exists.
      syncOptions: ['SkipDryRunOnMissingResource=true'],
      values: {},
      clusterValues: NO_CLUSTER_VALUES,
      manifests: (cluster) => alertRuleManifests(options, cluster),
      clusterResources: [],
    };
  },
};

/** prometheus-operator rejects a PrometheusRule larger than this (serialized). */
export const PROMETHEUS_RULE_MAX_BYTES = 512 * 1024;

/**
 * One PrometheusRule per rule group, or per shard of a group too large for
 * one object (`<group>`, `<group>-2`, ...: see shard.ts).
 */
export function alertRuleManifests(options: ResolvedOptions, cluster: ClusterTarget): KubeObject[] {
  const groups = allRuleGroups(options).flatMap((group) => shardRuleGroup(group));
  const names = new Set<string>();
  for (const g of groups) {
    // A shard's name (`golden-signals-2`) must not be another group's.
    if (names.has(g.name)) throw new Error(`alert-rules: two rule groups (or shards) are named ${g.name}`);
    names.add(g.name);
  }
  return groups.map((group) => {
    const name = prometheusRuleName(group.name);
    // The path Layout.manifest gives this object, for messages.
    const file = `manifests/${cluster.name}/${ALERT_RULES_PART}/prometheusrule-${name}.yaml`;
    const rule = renderPrometheusRule([group], {
      name,
      namespace: options.metrics.namespace,
      labels: {
        'app.kubernetes.io/part-of': options.argocd.project,
        'app.kubernetes.io/component': ALERT_RULES_PART,
        // kube-prometheus-stack's default ruleSelector ({release: <release name>}).
        'release': 'kube-prometheus-stack',
      },
    }, file);
    // The rules' size, plus room for the object's metadata.
    const bytes = ruleGroupBytes(group) + 1024;
    if (bytes > PROMETHEUS_RULE_MAX_BYTES) {
      throw new Error(`${file}: PrometheusRule ${name} is about ${bytes} bytes, over the ${PROMETHEUS_RULE_MAX_BYTES} prometheus-operator accepts ` +
        '(one block of rules that cannot be split: one service\'s or one SLO\'s rules, or one custom rule)');
    }
    return rule;
  });
}
