import * as fs from 'fs';
import * as path from 'path';
import { ChartRef } from '../model/stack';

/*
 * The default values of the pinned charts a values layer may need to restore:
 * reference/charts/<chart>/<version>.defaults.json, derived from the upstream
 * values.yaml by scripts/derive-reference.mjs (see reference/PROVENANCE.md).
 * Only leaves (scalars other than null and "", non-empty lists) in their maps.
 */

/** reference/ at the package root: __dirname is lib/catalog (compiled) or src/catalog (ts-jest). */
const CHARTS_DIR = path.join(__dirname, '..', '..', 'reference', 'charts');
const SAFE = /^[A-Za-z0-9][A-Za-z0-9.+_-]*$/;

const cache = new Map<string, Record<string, unknown> | undefined>();

/** The default leaves of a chart version, or undefined when none were derived for it. Read once per process. */
export function chartDefaults(chart: ChartRef): Record<string, unknown> | undefined {
  const id = `${chart.name}@${chart.version}`;
  if (cache.has(id)) return cache.get(id);
  let defaults: Record<string, unknown> | undefined;
  if (SAFE.test(chart.name) && SAFE.test(chart.version)) {
    const file = path.join(CHARTS_DIR, chart.name, `${chart.version}.defaults.json`);
    if (fs.existsSync(file)) defaults = JSON.parse(fs.readFileSync(file, 'utf8'));
  }
  cache.set(id, defaults);
  return defaults;
}
