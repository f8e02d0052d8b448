/*
 * Building blocks of the standalone flavor's scrape jobs (prometheus.yml):
 * relabelings equivalent to the ones prometheus-operator generates for a
 * ServiceMonitor or PodMonitor.
 */

/** One scrape config (a `scrape_configs` entry of prometheus.yml). */
export type ScrapeConfig = Record<string, unknown>;

/** One entry of a scrape config's `relabel_configs`. */
export type RelabelConfig = Record<string, unknown>;

/** Prometheus' meta label name of a Kubernetes label: every character outside [a-zA-Z0-9_] becomes "_". */
export function sanitizeLabelName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_]/g, '_');
}

/** A relabel regex matching exactly this string (Prometheus anchors regexes). */
export function literalRegex(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Keep the targets whose Service (endpointslice role) or pod (pod role) has
 * label `key` with one of `values`, as a label selector's `matchLabels` (or
 * `In`) does: the label must be present, so an empty value matches only an
 * empty label.
 */
export function keepLabel(object: 'service' | 'pod', key: string, ...values: string[]): RelabelConfig {
  const label = sanitizeLabelName(key);
  const alternatives = values.map(literalRegex);
  return {
    source_labels: [`__meta_kubernetes_${object}_labelpresent_${label}`, `__meta_kubernetes_${object}_label_${label}`],
    regex: `true;${alternatives.length === 1 ? alternatives[0] : `(${alternatives.join('|')})`}`,
    action: 'keep',
  };
}

/** The `namespace`, `pod` and `container` labels prometheus-operator sets on every target. */
export const TARGET_LABELS: readonly RelabelConfig[] = [
  { source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace' },
  { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
  { source_labels: ['__meta_kubernetes_pod_container_name'], target_label: 'container' },
];
