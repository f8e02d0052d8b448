import { PartDefinition } from '../stack';

/**
 * Fluentd log collector (LogCollector.FLUENTD), to Loki or Elasticsearch.
 *
 * TODO: not built yet; returns no part.
 */
export const fluentd: PartDefinition = {
  name: 'fluentd',
  build: () => undefined,
};
