import { MetricsFlavor, TracesBackend } from '../../../options/options';
import { ResolvedOptions } from '../../../options/resolve';
import { promDurationMs } from '../../../validation/option-checks';

/**
 * Prometheus settings shared by both metrics flavors.
 */

/**
 * Whether Tempo runs in the cluster and remote-writes its metrics-generator
 * output (span metrics, service graphs, with trace-id exemplars) into
 * Prometheus: Prometheus then needs the remote-write receiver and exemplar
 * storage.
 */
export function tempoReceivesIntoPrometheus(o: ResolvedOptions): boolean {
  return o.metrics.enabled && o.traces.enabled && o.traces.backend === TracesBackend.TEMPO;
}

/** Prometheus' default scrape timeout. */
const DEFAULT_SCRAPE_TIMEOUT = '10s';

/**
 * The global scrape timeout: Prometheus' 10s, or the scrape interval when
 * that is shorter (Prometheus refuses a timeout longer than the interval).
 */
export function scrapeTimeout(scrapeInterval: string): string {
  return promDurationMs(scrapeInterval) < promDurationMs(DEFAULT_SCRAPE_TIMEOUT) ? scrapeInterval : DEFAULT_SCRAPE_TIMEOUT;
}

/**
 * Whether prometheus-operator's CRDs (ServiceMonitor, PrometheusRule) exist:
 * only with kube-prometheus-stack, whose Prometheus also selects every
 * ServiceMonitor. The standalone prometheus chart has no such CRDs.
 */
export function serviceMonitorsAvailable(options: ResolvedOptions): boolean {
  return options.metrics.enabled && options.metrics.flavor === MetricsFlavor.KUBE_PROMETHEUS_STACK;
}

/**
 * Whether the stack's own components are scraped by jobs of prometheus.yml
 * (src/model/alerts/standalone-stack-scrape.ts) rather than by ServiceMonitors:
 * the standalone prometheus chart.
 */
export function standaloneScrapesStack(options: ResolvedOptions): boolean {
  return options.metrics.enabled && options.metrics.flavor === MetricsFlavor.STANDALONE;
}
