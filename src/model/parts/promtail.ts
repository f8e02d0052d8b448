import { PartDefinition } from '../stack';

/**
 * Promtail log collector (LogCollector.PROMTAIL, deprecated).
 *
 * TODO: not built yet; returns no part.
 */
export const promtail: PartDefinition = {
  name: 'promtail',
  build: () => undefined,
};
