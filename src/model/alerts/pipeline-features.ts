import { serviceMonitorsAvailable } from '../parts/metrics/prometheus-common';
import { LokiMode, MetricsBackend, TempoMode } from '../../options/fleet';
import { LogCollector, LogsBackend, TracesBackend } from '../../options/options';
import { ResolvedOptions } from '../../options/resolve';

/**
 * What the pipelines pack's alerts (templates/rules/pipelines.yaml) need to be
 * meaningful: the component runs and Prometheus scrapes its metrics.
 *
 * The log agents and the central backends are scraped through their charts'
 * ServiceMonitors, which only kube-prometheus-stack reads; the standalone
 * chart's prometheus.yml has no jobs for them, so there their alerts are
 * left out rather than written on series nobody collects. Like the other
 * features, not per cluster role: Mimir's or Thanos' alerts are quiet on an
 * edge cluster, and a log agent's alerts cover its push to the central Loki.
 */
export function pipelineFeatures(o: ResolvedOptions) {
  const scraped = serviceMonitorsAvailable(o);
  const logs = o.logs.enabled;
  const collector = (c: LogCollector) => logs && scraped && o.logs.collectors.includes(c);
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
