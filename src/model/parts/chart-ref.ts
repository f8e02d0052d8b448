import { ChartCatalog } from '../../catalog/charts';
import { ChartRef } from '../stack';

/** The catalog's pinned chart, as a part references it. */
export function pinnedChart(name: string): ChartRef {
  const spec = ChartCatalog.get(name);
  return { name: spec.name, repoUrl: spec.repoUrl, version: spec.version };
}

/** No cluster-specific values. */
export const NO_CLUSTER_VALUES = (): Record<string, unknown> => ({});
