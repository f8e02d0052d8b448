import { PartDefinition } from '../stack';

/**
 * The standalone grafana chart (MetricsFlavor.STANDALONE) with the stack's datasources.
 *
 * TODO: not built yet; returns no part.
 */
export const grafana: PartDefinition = {
  name: 'grafana',
  build: () => undefined,
};
