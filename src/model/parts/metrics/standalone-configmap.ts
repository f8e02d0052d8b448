import { MetricsFlavor } from '../../../options/options';
import { ResolvedOptions } from '../../../options/resolve';
import { stringifyYaml } from '../../../render/yaml';
import { InvalidOptionError } from '../../../validation/errors';

/*
 * The standalone prometheus chart (29.x) writes prometheus.yml (with our
 * extraScrapeConfigs) and every `serverFiles` key (our rule files) into ONE
 * ConfigMap, `prometheus-server`, and Kubernetes refuses a ConfigMap whose
 * data exceeds 1 MiB. The per-service rules grow ~3 KB and the per-service
 * scrape jobs ~0.5 KB per service, so a few hundred services with SLOs fill
 * it. Unlike PrometheusRule objects (kube-prometheus-stack, split by
 * src/model/alerts/shard.ts) the chart offers no second ConfigMap for rule
 * files, so synth refuses what would not apply, with the way out.
 */

/** Kubernetes' limit on a ConfigMap's data (bytes). */
export const CONFIGMAP_DATA_MAX_BYTES = 1024 * 1024;

/** Room kept for what the chart adds (its own prometheus.yml jobs, global, alerting; ~6 KiB measured) and YAML style differences. */
const CHART_MARGIN_BYTES = 64 * 1024;

/**
 * The bytes our values put into the server ConfigMap's data: each rule file
 * as YAML indented four spaces under its key (`toYaml | indent 4` in the
 * chart's cm.yaml), the scrape jobs likewise inside prometheus.yml.
 */
export function serverConfigMapBytes(serverFiles: Record<string, unknown>, extraScrapeConfigs: string): number {
  const indented = (text: string) => Buffer.byteLength(text, 'utf-8') + 4 * (text.split('\n').length);
  let bytes = extraScrapeConfigs === '' ? 0 : indented(extraScrapeConfigs);
  for (const [key, file] of Object.entries(serverFiles)) bytes += key.length + 4 + indented(stringifyYaml(file));
  return bytes;
}

/** Throw when the rules and scrape jobs would not fit the chart's server ConfigMap. */
export function checkServerConfigMapSize(o: ResolvedOptions, serverFiles: Record<string, unknown>, extraScrapeConfigs: string): void {
  const bytes = serverConfigMapBytes(serverFiles, extraScrapeConfigs);
  const budget = CONFIGMAP_DATA_MAX_BYTES - CHART_MARGIN_BYTES;
  if (bytes <= budget) return;
  const slos = o.services.reduce((n, s) => n + s.slos.length, 0);
  throw new InvalidOptionError('metrics.flavor', MetricsFlavor.STANDALONE,
    `cannot hold the rules and scrape jobs of ${o.services.length} services with ${slos} SLOs: the prometheus chart puts them ` +
    `all into one ConfigMap (prometheus-server), and they come to ${Math.ceil(bytes / 1024)} KiB, over the ${budget / 1024} KiB ` +
    `that fit (Kubernetes refuses ConfigMap data over ${CONFIGMAP_DATA_MAX_BYTES / 1024} KiB). Use MetricsFlavor.KUBE_PROMETHEUS_STACK ` +
    '(the rules become PrometheusRule objects, split by size), or fewer services, SLOs or alerting.customRules');
}
