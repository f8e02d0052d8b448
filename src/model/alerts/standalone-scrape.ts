import * as YAML from 'yaml';
import { ScrapeConfig, TARGET_LABELS, keepLabel, literalRegex } from './scrape-config';
import { SERVICE_LABEL, scrapeJobName } from './services';
import { agentScrapeConfigs } from './standalone-agent-scrape';
import { stackScrapeConfigs } from './standalone-stack-scrape';
import { MetricsFlavor, MonitorKind } from '../../options/options';
import { ResolvedOptions, ResolvedService } from '../../options/resolve';
import { scrapeTimeout } from '../parts/metrics/prometheus-common';

/*
 * The standalone flavor has no prometheus-operator, so no ServiceMonitor: each
 * service gets a scrape job of its own in prometheus.yml, with Kubernetes
 * service discovery restricted to its namespace and relabelings equivalent to
 * what prometheus-operator generates for a ServiceMonitor (role endpointslice) or
 * a PodMonitor (role pod): keep the selected Services or pods and the named
 * port, and set `namespace`, `pod`, `container` and `service` (= the
 * configured name, like the monitors' relabeling), so every rule, dashboard
 * and document selects `{namespace="<ns>", service="<name>"}` in both flavors.
 * The stack's own components get theirs in standalone-stack-scrape.ts.
 */

/** The scrape job of one service. */
export function serviceScrapeConfig(svc: ResolvedService): ScrapeConfig {
  const pod = svc.monitor === MonitorKind.POD_MONITOR;
  // What the selector's labels are read from: the Service (endpointslice role) or the pod.
  const object = pod ? 'pod' : 'service';
  const keepSelected = Object.entries(svc.selector).map(([key, value]) => keepLabel(object, key, value));
  const keepPort = {
    source_labels: [pod ? '__meta_kubernetes_pod_container_port_name' : '__meta_kubernetes_endpointslice_port_name'],
    regex: literalRegex(svc.port),
    action: 'keep',
  };
  return {
    job_name: scrapeJobName(svc),
    scrape_interval: svc.scrapeInterval,
    // Prometheus rejects a timeout longer than the interval; the global 10s would be, below 10s.
    scrape_timeout: scrapeTimeout(svc.scrapeInterval),
    metrics_path: svc.metricsPath,
    // EndpointSlices, as the chart's own jobs discover Services (the Endpoints API is deprecated
    // since Kubernetes 1.33); the chart's ClusterRole can list them.
    kubernetes_sd_configs: [{ role: pod ? 'pod' : 'endpointslice', namespaces: { names: [svc.namespace] } }],
    relabel_configs: [
      ...keepSelected,
      keepPort,
      // Finished pods keep their IPs in discovery for a while; prometheus-operator drops them too.
      ...(pod ? [{ source_labels: ['__meta_kubernetes_pod_phase'], regex: '(Failed|Succeeded)', action: 'drop' }] : []),
      ...TARGET_LABELS,
      { target_label: SERVICE_LABEL, replacement: svc.name },
    ],
  };
}

/** The scrape jobs of every service (standalone flavor), as objects. */
export function serviceScrapeConfigs(o: ResolvedOptions): ScrapeConfig[] {
  if (!o.metrics.enabled || o.metrics.flavor !== MetricsFlavor.STANDALONE) return [];
  return o.services.map(serviceScrapeConfig);
}

/**
 * The prometheus chart's `extraScrapeConfigs` value: the jobs of the stack's
 * own components, then those of the services. A YAML string the chart
 * appends, indented, to the `scrape_configs` list of prometheus.yml, after the
 * jobs of its `scrapeConfigs` map (chart 29: templates/cm.yaml), so it is a
 * YAML sequence of scrape configs without a `scrape_configs:` key. The chart runs it through
 * `tpl`, so it must contain no `{{`. Empty when there is nothing to add
 * (leave the key out then).
 */
export function prometheusExtraScrapeConfigs(o: ResolvedOptions): string {
  const configs = [...stackScrapeConfigs(o), ...agentScrapeConfigs(o), ...serviceScrapeConfigs(o)];
  if (configs.length === 0) return '';
  // No anchors and aliases for the relabelings jobs share: each job reads whole on its own.
  // Prometheus reads it with go-yaml (YAML 1.1): strings such as "yes" or "on" are quoted for it.
  const text = YAML.stringify(configs, { lineWidth: 0, aliasDuplicateObjects: false, version: '1.1' });
  if (text.includes('{{')) {
    throw new Error('extraScrapeConfigs would contain "{{", which the prometheus chart\'s tpl would try to render');
  }
  return text;
}
