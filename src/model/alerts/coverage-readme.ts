import { allRuleGroups } from './index';
import { kubePrometheusStackRulesReplaced } from './packs';
import { runbookPath } from './runbooks';
import { MetricsFlavor, RulePack } from '../../options/options';
import { ResolvedOptions } from '../../options/resolve';
import { ARGOCD_METRICS_PART } from '../parts/argocd-metrics';

/** What each rule pack watches, in one line (the README's alert section). */
const PACK_SCOPE: Record<string, string> = {
  [RulePack.WORKLOADS]: 'pods and containers: crash loops, OOM kills, pods not ready (Pending, unschedulable, Unknown), Deployments and StatefulSets short of replicas, memory near the limit',
  [RulePack.NODES]: 'nodes: filesystems running out (warning) and nearly full (critical), memory and CPU pressure, NotReady (cordoned nodes left out)',
  [RulePack.STACK]: 'the stack itself: rule evaluation failures, scrape targets down, Alertmanager failing to notify, Loki, Tempo, the OpenTelemetry collector, Argo CD Applications out of sync or degraded',
  [RulePack.PIPELINES]: 'the telemetry pipelines: log agents failing to push (Alloy, Fluent Bit, Fluentd, Promtail; on an edge cluster, the push to the central Loki), Loki\'s compactor, Tempo\'s storage, compaction and Kafka lag, Mimir, Thanos, object storage',
  [RulePack.CLUSTER]: 'the cluster where kube-prometheus-stack\'s default rules do not run: API server, kubelets and their certificates, volumes, predicted disk fill, DaemonSets, Jobs, CronJobs, HPAs, Prometheus and Alertmanager failures, the Watchdog heartbeat',
};

/**
 * Markdown for the generated README: which alerts watch what in this flavor,
 * by rule group, each alert linked to its runbook; what kube-prometheus-stack's
 * own rules add; and where Argo CD is scraped. Starts with its own `##` heading.
 */
export function alertCoverageReadmeLines(o: ResolvedOptions): string[] {
  if (!o.metrics.enabled) return [];
  const groups = allRuleGroups(o).filter((g) => g.rules.some((r) => r.alert));
  const kps = o.metrics.flavor === MetricsFlavor.KUBE_PROMETHEUS_STACK;
  const lines = ['## Alerts: what is watched', ''];
  if (kps) {
    const replaced = kubePrometheusStackRulesReplaced(o);
    lines.push(
      'kube-prometheus-stack\'s default rules (kubernetes-mixin, node-exporter, Prometheus, Alertmanager, etcd, the',
      'control plane, the `Watchdog` heartbeat) run as the chart ships them, except those the rule packs below replace',
      `with an alert that fires in every case the original fires (tested against the chart's rule): ${replaced.map((n) => `\`${n}\``).join(', ') || 'none'}.`,
      '',
    );
  } else {
    lines.push(
      'The standalone prometheus chart ships no alert rules: the rule packs below, written for its scrape jobs, are',
      'all there is, including the `Watchdog` heartbeat and the cluster pack (API server, kubelets, volumes, Jobs, HPAs,',
      'Prometheus and Alertmanager). The control plane\'s scheduler, controller-manager and etcd are not scraped by the',
      'chart: their failures show as pods Pending (`KubePodNotReady`) and rollouts that stop (`KubeDeploymentReplicasMismatch`).',
      '',
    );
  }
  lines.push('| Rule group | Watches | Alerts |', '| --- | --- | --- |');
  for (const g of groups) {
    const alerts = [...new Set(g.rules.filter((r) => r.alert).map((r) => r.alert!))];
    lines.push(`| \`${g.name}\` | ${PACK_SCOPE[g.name] ?? 'your own rules and services'} | ${alerts.map((a) => `[${a}](${runbookPath(a)})`).join(', ')} |`);
  }
  lines.push('');
  const argocd = o.argocd.selfManaged
    ? 'by the argo-cd chart\'s own ServiceMonitor (`controller.metrics.serviceMonitor`)'
    : kps
      ? `by the ServiceMonitor \`${ARGOCD_METRICS_PART}\` in \`${o.argocd.namespace}\` (Application \`${ARGOCD_METRICS_PART}\`, files under \`manifests/<cluster>/${ARGOCD_METRICS_PART}/\`), which selects the \`argocd-metrics\` Service of the upstream install`
      : `by the job \`stack/${o.argocd.namespace}/argocd-metrics\` of \`values/prometheus.yaml\` (the \`argocd-metrics\` Service of the upstream install)`;
  lines.push(
    `Argo CD's application controller is scraped ${argocd}, self-managed or not: \`ArgoCdAppOutOfSync\` and`,
    '`ArgoCdAppDegraded` fire on the cluster Argo CD runs in.',
    '',
  );
  return lines;
}
