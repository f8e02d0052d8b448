import { PartDefinition } from '../stack';

/**
 * metrics-server (metrics.metricsServer), in kube-system.
 *
 * TODO: not built yet; returns no part.
 */
export const metricsServer: PartDefinition = {
  name: 'metrics-server',
  build: () => undefined,
};
