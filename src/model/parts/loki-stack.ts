import { PartDefinition } from '../stack';

/**
 * The legacy loki-stack chart (LogsBackend.LOKI_STACK, deprecated).
 *
 * TODO: not built yet; returns no part.
 */
export const lokiStack: PartDefinition = {
  name: 'loki-stack',
  build: () => undefined,
};
