import { PartDefinition } from '../stack';

/**
 * Grafana Tempo (TracesBackend.TEMPO): OTLP gRPC 4317 and HTTP 4318, retention, local storage.
 *
 * TODO: not built yet; returns no part.
 */
export const tempo: PartDefinition = {
  name: 'tempo',
  build: () => undefined,
};
