import { MetricsBackend } from '../options/fleet';
import { LogCollector, LogsBackend } from '../options/options';
import { ResolvedOptions } from '../options/resolve';

/**
 * Valid configurations that still deserve a reviewer's attention, printed at
 * synth. Errors belong in resolveOptions; these only warn.
 */
export function configurationWarnings(o: ResolvedOptions): string[] {
  const warnings: string[] = [];
  const withoutSidecar = o.metrics.enabled && o.metrics.backend === MetricsBackend.THANOS && o.role === 'central'
    ? o.edgeClusters.filter((c) => c.thanosSidecarAddress === undefined) : [];
  if (withoutSidecar.length > 0) {
    warnings.push(`clusters ${withoutSidecar.map((c) => c.name).join(', ')}: without thanosSidecarAddress, the central Thanos Query ` +
      'reads their metrics from the bucket only, where the sidecars upload a block every two hours: their dashboards lag by up to two hours.');
  }
  if (!o.logs.enabled) return warnings;
  if (o.logs.collectors.length > 1) {
    warnings.push(`logs.collectors: ${o.logs.collectors.join(' and ')} each ship the logs of every collected namespace to ${o.logs.backend}: ` +
      'expect every line twice (fine while migrating from one collector to another).');
  }
  if (o.logs.backend === LogsBackend.LOKI && o.logs.collectors.includes(LogCollector.FLUENTD)) {
    warnings.push('logs.collectors: Fluentd ships to Loki with fluent-plugin-grafana-loki, which no Fluentd image bundles: ' +
      'each Fluentd pod installs it from rubygems.org at start. Nodes need that access, or build an image with the plugin.');
  }
  if (o.logs.backend === LogsBackend.ELASTICSEARCH && o.grafana.enabled && o.logs.namespace !== o.metrics.namespace) {
    warnings.push(`Grafana's Elasticsearch datasource reads the password and CA from Secrets the elasticsearch chart creates in "${o.logs.namespace}"; ` +
      `copy elasticsearch-master-credentials and elasticsearch-master-certs into "${o.metrics.namespace}" (or run both in one namespace).`);
  }
  return warnings;
}
