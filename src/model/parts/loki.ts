import { PartDefinition } from '../stack';

/**
 * Loki (LogsBackend.LOKI), single binary on a filesystem volume with retention.
 *
 * TODO: not built yet; returns no part.
 */
export const loki: PartDefinition = {
  name: 'loki',
  build: () => undefined,
};
