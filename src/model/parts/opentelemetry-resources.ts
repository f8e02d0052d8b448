import { PartDefinition } from '../stack';

/**
 * The gateway OpenTelemetryCollector and the Instrumentation resource (plain manifests).
 *
 * TODO: not built yet; returns no part.
 */
export const opentelemetryResources: PartDefinition = {
  name: 'opentelemetry-resources',
  build: () => undefined,
};
