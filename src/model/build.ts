import { applyChartVersions } from './chart-versions';
import { PART_DEFINITIONS } from './parts';
import { StackModel, StackPart } from './stack';
import { configurationWarnings } from './warnings';
import { chartDefaults } from '../catalog/chart-defaults';
import { deepMerge, overrideWins } from '../merge';
import { ResolvedOptions } from '../options/resolve';
import { InvalidOptionError, didYouMeanHint } from '../validation/errors';
import { unknownValuesKeyProblems } from '../validation/resources';
import { valuesTypeProblems } from '../validation/values-types';

/**
 * Options → stack model. Pure: the same options always give the same model.
 */
export function buildStackModel(options: ResolvedOptions): StackModel {
  const warnings: string[] = configurationWarnings(options);
  const built = applyChartVersions(options, PART_DEFINITIONS
    .map((def) => def.build(options))
    .filter((p): p is StackPart => p !== undefined), warnings);

  const known = PART_DEFINITIONS.map((d) => d.name);
  const enabled = new Set(built.map((p) => p.name));
  for (const part of Object.keys(options.valuesOverrides)) {
    if (!known.includes(part)) {
      throw new InvalidOptionError(`valuesOverrides.${part}`, part,
        `is not a part of the stack${didYouMeanHint(part, known)}; known parts: ${known.join(', ')}`);
    }
    // On edge clusters the central parts are off; the central group checks them.
    if (!enabled.has(part) && options.role !== 'edge') {
      throw new InvalidOptionError(`valuesOverrides.${part}`, part,
        `overrides a part that is off; enabled parts: ${[...enabled].join(', ') || '(none)'}`);
    }
  }

  for (const part of built) {
    const override = options.valuesOverrides[part.name];
    if (!override) continue;
    if (!part.chart) {
      throw new InvalidOptionError(`valuesOverrides.${part.name}`, override, 'overrides a part made of plain manifests, which has no Helm values');
    }
    const problems = unknownValuesKeyProblems(part.chart, override);
    if (problems.length > 0) {
      throw new InvalidOptionError(`valuesOverrides.${part.name}`, override,
        `has keys the chart does not know:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    }
    const generated = options.clusters.length > 0 ? deepMerge(part.values, part.clusterValues(options.clusters[0])) : part.values;
    const types = valuesTypeProblems(override, generated, chartDefaults(part.chart));
    if (types.length > 0) {
      throw new InvalidOptionError(`valuesOverrides.${part.name}`, override,
        `has values of the wrong type for chart ${part.chart.name} ${part.chart.version}:\n${types.map((p) => `  ${p}`).join('\n')}`);
    }
  }

  const parts = built
    .map((p) => {
      const override = options.valuesOverrides[p.name];
      // The user's override wins over everything the library sets, per-cluster values included
      // (promtail's clients, externalLabels, collectors' env): those are layered after the
      // part's values, so the override is applied to them too, on the keys they share.
      return memoizePerCluster(override
        ? { ...p, values: deepMerge(p.values, override), clusterValues: (c) => overrideWins(p.clusterValues(c), override) }
        : p);
    })
    .sort((a, b) => a.wave - b.wave || a.name.localeCompare(b.name));

  return {
    repo: options.repo,
    argocd: options.argocd,
    clusters: options.clusters,
    parts,
    warnings,
    options,
  };
}

/**
 * A part's manifests and cluster values are asked for by several components;
 * compute them once per cluster.
 */
function memoizePerCluster(part: StackPart): StackPart {
  const manifests = new Map<string, ReturnType<StackPart['manifests']>>();
  const clusterValues = new Map<string, ReturnType<StackPart['clusterValues']>>();
  return {
    ...part,
    manifests: (cluster) => {
      if (!manifests.has(cluster.name)) manifests.set(cluster.name, part.manifests(cluster));
      return manifests.get(cluster.name)!;
    },
    clusterValues: (cluster) => {
      if (!clusterValues.has(cluster.name)) clusterValues.set(cluster.name, part.clusterValues(cluster));
      return clusterValues.get(cluster.name)!;
    },
  };
}

export { deepMerge, isMap } from '../merge';
