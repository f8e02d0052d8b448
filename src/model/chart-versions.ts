import * as semver from 'semver';
import { StackPart } from './stack';
import { ChartCatalog } from '../catalog/charts';
import { unrenderablePin } from '../catalog/unrenderable-pins';
import { ResolvedOptions } from '../options/resolve';
import { hasKeyCatalog, keyCatalogVersions } from '../validation/chart-keys';
import { InvalidOptionError, didYouMeanHint } from '../validation/errors';

/**
 * Apply `chartVersions` overrides to the parts' charts and collect the
 * warnings a reviewer should see: downgrades, major jumps, deprecated charts,
 * versions whose values keys cannot be checked.
 */
export function applyChartVersions(options: ResolvedOptions, parts: StackPart[], warnings: string[]): StackPart[] {
  const used = new Set(parts.flatMap((p) => (p.chart ? [p.chart.name] : [])));
  for (const [chart, version] of Object.entries(options.chartVersions)) {
    const option = `chartVersions.${chart}`;
    if (!ChartCatalog.has(chart)) {
      throw new InvalidOptionError(option, chart, `is not a chart of the catalog${didYouMeanHint(chart, ChartCatalog.names())}; charts: ${ChartCatalog.names().join(', ')}`);
    }
    if (!used.has(chart)) {
      throw new InvalidOptionError(option, version, `pins chart "${chart}", which no enabled part uses; charts in use: ${[...used].sort().join(', ')}`);
    }
    if (semver.valid(version) === null || version.startsWith('v')) {
      throw new InvalidOptionError(option, version, 'is not an exact chart version (semver such as "1.2.3"; no ranges, no "v" prefix)');
    }
    const pinned = ChartCatalog.get(chart).version;
    if (semver.lt(version, pinned)) {
      warnings.push(`chartVersions.${chart}: ${version} is older than the catalog's ${pinned}; the generated values were written for ${pinned}.`);
    } else if (semver.major(version) > semver.major(pinned)) {
      warnings.push(`chartVersions.${chart}: ${version} is a new major version (catalog: ${pinned}); read the chart's upgrade notes before syncing.`);
    }
    const broken = unrenderablePin(chart, version);
    if (broken) {
      warnings.push(`chartVersions.${chart}: ${version} cannot be rendered by current Helm (Argo CD's repo-server would fail with a ComparisonError): ` +
        `${broken.reason}. Pin ${chart} ${broken.fixedIn} or later (the catalog pins ${pinned}).`);
    }
    if (!hasKeyCatalog(chart, version)) {
      const known = keyCatalogVersions(chart);
      warnings.push(`chartVersions.${chart}: values keys are not checked for ${chart} ${version} (key catalogs exist for ${known.join(', ') || 'no version'}).`);
    }
  }

  for (const chart of [...used].sort()) {
    const spec = ChartCatalog.get(chart);
    if (spec.deprecated) {
      warnings.push(`chart ${chart} is deprecated: it works, but consider ${spec.replacement}.`);
    }
    if (spec.keysChecked === false) {
      warnings.push(`chart ${chart}: no upstream values were available, so its values keys are not checked.`);
    }
  }

  return parts.map((p) => {
    const version = p.chart ? options.chartVersions[p.chart.name] : undefined;
    return version && p.chart ? { ...p, chart: { ...p.chart, version } } : p;
  });
}
