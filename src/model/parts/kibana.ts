import { PartDefinition } from '../stack';

/**
 * Kibana (LogsBackend.ELASTICSEARCH).
 *
 * TODO: not built yet; returns no part.
 */
export const kibana: PartDefinition = {
  name: 'kibana',
  build: () => undefined,
};
