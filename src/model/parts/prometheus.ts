import { PartDefinition } from '../stack';

/**
 * The standalone prometheus chart (MetricsFlavor.STANDALONE): Prometheus, Alertmanager, node-exporter, kube-state-metrics.
 *
 * TODO: not built yet; returns no part.
 */
export const prometheus: PartDefinition = {
  name: 'prometheus',
  build: () => undefined,
};
