import { PartDefinition } from '../stack';

/**
 * Elasticsearch (LogsBackend.ELASTICSEARCH).
 *
 * TODO: not built yet; returns no part.
 */
export const elasticsearch: PartDefinition = {
  name: 'elasticsearch',
  build: () => undefined,
};
