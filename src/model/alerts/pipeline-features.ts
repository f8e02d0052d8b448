import { standaloneScrapesAgents } from './standalone-agent-scrape';
import { LokiMode, MetricsBackend, TempoMode } from '../../options/fleet';
import { LogCollector, LogsBackend, TracesBackend } from '../../options/options';
import { ResolvedOptions } from '../../options/resolve';
import { serviceMonitorsAvailable } from '../parts/metrics/prometheus-common';

/**
 * What the pipelines pack's alerts (templates/rules/pipelines.yaml) need to be
 * meaningful: the component runs and Prometheus scrapes its metrics.
 *
 * The log agents are scraped through their charts' ServiceMonitors with
 * kube-prometheus-stack, and by jobs of prometheus.yml with the standalone
 * chart (standalone-agent-scrape.ts). The central backends (Mimir, Thanos)
 * only through ServiceMonitors: without them their alerts are left out rather
 * than written on series nobody collects. Like the other
 * features, not per cluster role: Mimir's or Thanos' alerts are quiet on an
 * edge cluster, and a log agent's alerts cover its push to the central Loki.
 */
export function pipelineFeatures(o: ResolvedOptions) {
  const scraped = serviceMonitorsAvailable(o);
  const logs = o.logs.enabled;
  // The agents: their ServiceMonitors, or the standalone flavor's jobs (standalone-agent-scrape.ts).
  const collector = (c: LogCollector) => logs && (scraped || standaloneScrapesAgents(o)) && o.logs.collectors.includes(c);
  const lokiRuns = logs && (o.logs.backend === LogsBackend.LOKI || o.logs.backend === LogsBackend.LOKI_STACK);
  const tempoRuns = o.traces.enabled && o.traces.backend === TracesBackend.TEMPO;
  const mimir = o.metrics.enabled && o.metrics.backend === MetricsBackend.MIMIR && scraped;
  const thanos = o.metrics.enabled && o.metrics.backend === MetricsBackend.THANOS && scraped;
  const lokiOnBucket = lokiRuns && o.logs.backend === LogsBackend.LOKI && o.logs.mode !== LokiMode.SINGLE_BINARY;
  return {
    alloy: collector(LogCollector.ALLOY),
    fluentBit: collector(LogCollector.FLUENT_BIT),
    fluentd: collector(LogCollector.FLUENTD),
    promtail: collector(LogCollector.PROMTAIL),
    mimir,
    thanos,
    // Tempo 3 (tempo-distributed) ingests through Kafka.
    tempoKafka: tempoRuns && o.traces.mode === TempoMode.DISTRIBUTED,
    // A component that keeps data in the bucket and exports the objstore client's metrics.
    objectStorage: o.objectStorage !== undefined && (mimir || thanos || (lokiOnBucket && scraped)),
  };
}

/** The names pipelineFeatures returns (the `requires` of the pipelines pack). */
export const PIPELINE_FEATURE_NAMES = ['alloy', 'fluentBit', 'fluentd', 'promtail', 'mimir', 'thanos', 'tempoKafka', 'objectStorage'] as const;
