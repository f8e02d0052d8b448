import { ChartCatalog } from '../../catalog/charts';
import { ChartRef, KubeObject } from '../stack';

/**
 * The catalog's pinned chart, as a part references it. A version override
 * from \`chartVersions\` is applied centrally when the model is built.
 */
export function pinnedChart(name: string): ChartRef {
  const spec = ChartCatalog.get(name);
  return { name: spec.name, repoUrl: spec.repoUrl, version: spec.version };
}

/** No cluster-specific values. */
export const NO_CLUSTER_VALUES = (): Record<string, unknown> => ({});

/** No plain manifests. */
export const NO_MANIFESTS = (): KubeObject[] => [];

/** `{ storageClassName }` when a class was chosen, else nothing (the cluster default). */
export function storageClassField(storageClassName: string | undefined): Record<string, string> {
  return storageClassName ? { storageClassName } : {};
}
