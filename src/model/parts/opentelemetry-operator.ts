import { PartDefinition } from '../stack';

/**
 * The OpenTelemetry operator.
 *
 * TODO: not built yet; returns no part.
 */
export const opentelemetryOperator: PartDefinition = {
  name: 'opentelemetry-operator',
  build: () => undefined,
};
