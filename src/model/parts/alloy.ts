import { PartDefinition } from '../stack';

/**
 * Grafana Alloy log collector (LogCollector.ALLOY).
 *
 * TODO: not built yet; returns no part.
 */
export const alloy: PartDefinition = {
  name: 'alloy',
  build: () => undefined,
};
