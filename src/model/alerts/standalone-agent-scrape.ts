import { ScrapeConfig, TARGET_LABELS, keepLabel, literalRegex } from './scrape-config';
import { LogCollector } from '../../options/options';
import { ResolvedOptions } from '../../options/resolve';
import { standaloneScrapesStack } from '../parts/metrics/prometheus-common';

/*
 * The log agents' own metrics for the standalone flavor, where no
 * prometheus-operator reads their charts' ServiceMonitors: one job per agent
 * that runs, discovering its pods (role pod) by the labels the chart's
 * ServiceMonitor selects its Service by (`app.kubernetes.io/name` and
 * `app.kubernetes.io/instance` = the release, which is the part's name), on
 * the container port that Service exposes, at the same path. Pods rather than
 * the Service: the promtail chart creates its metrics Service only together
 * with its ServiceMonitor. `job` is the agent's name, `namespace` and `pod`
 * are set like the ServiceMonitor's, so the pipelines pack's agent alerts
 * (templates/rules/pipelines.yaml) read the same series in both flavors.
 */

interface AgentTarget {
  readonly collector: LogCollector;
  /** Chart name = release = part name. */
  readonly name: string;
  /** The container port the chart's metrics Service targets. */
  readonly port: string;
  /** The chart's ServiceMonitor path. */
  readonly path: string;
}

/** The pinned charts' metrics endpoints (alloy 1.11, fluent-bit 0.58, fluentd 0.6, promtail 6.17). */
const AGENTS: readonly AgentTarget[] = [
  { collector: LogCollector.ALLOY, name: 'alloy', port: 'http-metrics', path: '/metrics' },
  { collector: LogCollector.FLUENT_BIT, name: 'fluent-bit', port: 'http', path: '/api/v2/metrics/prometheus' },
  { collector: LogCollector.FLUENTD, name: 'fluentd', port: 'metrics', path: '/metrics' },
  { collector: LogCollector.PROMTAIL, name: 'promtail', port: 'http-metrics', path: '/metrics' },
];

/** Whether the standalone flavor scrapes the log agents (exported for pipeline-features.ts). */
export function standaloneScrapesAgents(o: ResolvedOptions): boolean {
  return standaloneScrapesStack(o) && o.logs.enabled;
}

/** The scrape jobs of the log agents that run (standalone flavor). */
export function agentScrapeConfigs(o: ResolvedOptions): ScrapeConfig[] {
  if (!standaloneScrapesAgents(o)) return [];
  return AGENTS.filter((a) => o.logs.collectors.includes(a.collector)).map((a) => ({
    job_name: `stack/${o.logs.namespace}/${a.name}`,
    metrics_path: a.path,
    kubernetes_sd_configs: [{ role: 'pod', namespaces: { names: [o.logs.namespace] } }],
    relabel_configs: [
      keepLabel('pod', 'app.kubernetes.io/name', a.name),
      keepLabel('pod', 'app.kubernetes.io/instance', a.name),
      { source_labels: ['__meta_kubernetes_pod_container_port_name'], regex: literalRegex(a.port), action: 'keep' },
      { source_labels: ['__meta_kubernetes_pod_phase'], regex: '(Failed|Succeeded)', action: 'drop' },
      ...TARGET_LABELS,
      { target_label: 'job', replacement: a.name },
    ],
  }));
}
