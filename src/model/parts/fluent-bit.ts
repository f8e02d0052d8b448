import { PartDefinition } from '../stack';

/**
 * Fluent Bit log collector (LogCollector.FLUENT_BIT).
 *
 * TODO: not built yet; returns no part.
 */
export const fluentBit: PartDefinition = {
  name: 'fluent-bit',
  build: () => undefined,
};
