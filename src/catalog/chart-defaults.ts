import * as fs from 'fs';
import { ChartRef } from '../model/stack';
import { chartReferenceFile } from '../validation/chart-keys';

/*
 * The default values of the pinned charts a values layer may need to restore:
 * reference/charts/<chart>/<version>.defaults.json, derived from the upstream
 * values.yaml by scripts/derive-reference.mjs (see reference/PROVENANCE.md).
 * Only leaves (scalars other than null and "", non-empty lists) in their maps.
 */

const cache = new Map<string, Record<string, unknown> | undefined>();

/** The default leaves of a chart version, or undefined when none were derived for it. Read once per process. */
export function chartDefaults(chart: ChartRef): Record<string, unknown> | undefined {
  const id = `${chart.name}@${chart.version}`;
  if (cache.has(id)) return cache.get(id);
  const file = chartReferenceFile(chart.name, chart.version, 'defaults');
  const defaults = file !== undefined && fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : undefined;
  cache.set(id, defaults);
  return defaults;
}
