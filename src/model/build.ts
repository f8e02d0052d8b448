import { applyChartVersions } from './chart-versions';
import { PART_DEFINITIONS } from './parts';
import { securityWarnings } from './security-warnings';
import { StackModel, StackPart } from './stack';
import { configurationWarnings } from './warnings';
import { chartDefaults } from '../catalog/chart-defaults';
import { compareCodePoints } from '../compare';
import { deepMerge, overrideWins } from '../merge';
import { ResolvedOptions } from '../options/resolve';
import { InvalidOptionError, didYouMeanHint } from '../validation/errors';
import { unknownValuesKeyProblems } from '../validation/resources';
import { nullPaths, valuesTypeProblems } from '../validation/values-types';

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

  checkDeletions(options, known);

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
    const deletions = { part: part.name, paths: (options.valuesOverridesDeletions[part.name] ?? []).map((d) => d.path) };
    const types = valuesTypeProblems(override, generated, chartDefaults(part.chart), deletions);
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
    .sort((a, b) => a.wave - b.wave || compareCodePoints(a.name, b.name));
  warnings.push(...securityWarnings(options, parts));

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
 * Every entry of `valuesOverridesDeletions` names a known part and a key that
 * `valuesOverrides` of that part sets to null: an entry that deletes nothing
 * is a typo or left over, and would let a later null through unnoticed.
 */
function checkDeletions(options: ResolvedOptions, known: readonly string[]): void {
  for (const [part, entries] of Object.entries(options.valuesOverridesDeletions)) {
    if (entries.length === 0) continue;
    if (!known.includes(part)) {
      throw new InvalidOptionError(entries[0].option.replace(/\[\d+\]$/, ''), part,
        `is not a part of the stack${didYouMeanHint(part, known)}; known parts: ${known.join(', ')}`);
    }
    const nulls = nullPaths(options.valuesOverrides[part]);
    for (const entry of entries) {
      if (nulls.includes(entry.path)) continue;
      throw new InvalidOptionError(entry.option, entry.path, `does not name a key that valuesOverrides.${part} sets to null: ` +
        (nulls.length > 0 ? `the keys set to null there are ${nulls.map((n) => JSON.stringify(n)).join(', ')}`
          : `valuesOverrides.${part} sets no key to null`) +
        ' (list the dotted path of a null in valuesOverrides, keys joined with ".", for example "grafana.ini.analytics" ' +
        'for { \'grafana.ini\': { analytics: null } })');
    }
  }
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
