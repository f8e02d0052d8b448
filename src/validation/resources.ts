import { findUnknownValuesKeys, hasKeyCatalog } from './chart-keys';
import { hasCrdSchema, validateAgainstCrd } from './crd-schema';
import { hasCoreSchema, validateCoreObjectOnSupportedMinors } from './kube-schemas';
import { ChartRef } from '../model/stack';

/**
 * Synth-time checks of what the library generates. A failure here is raised
 * before any file is written.
 */

/** Thrown when a generated file would not pass the real schema or chart keys. */
export class GeneratedFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GeneratedFileError';
  }
}

/** True when a schema is vendored for this object: a CRD's, or a Kubernetes core kind's (any supported minor). */
export function hasResourceSchema(resource: Record<string, unknown>): boolean {
  const apiVersion = String(resource.apiVersion);
  const kind = String(resource.kind);
  return hasCrdSchema(apiVersion, kind) || hasCoreSchema(apiVersion, kind);
}

/**
 * Check a Kubernetes object against its schema (unknown fields rejected): a custom resource
 * against its CRD's, a core kind against the upstream schema of every supported Kubernetes minor.
 */
export function assertValidResource(file: string, resource: Record<string, unknown>): void {
  const apiVersion = String(resource.apiVersion);
  const kind = String(resource.kind);
  const problems = !hasCrdSchema(apiVersion, kind) && hasCoreSchema(apiVersion, kind)
    ? validateCoreObjectOnSupportedMinors(resource).map((p) => ({ path: p.path, message: `${p.message} (Kubernetes ${p.minors.join(', ')})` }))
    : validateAgainstCrd(resource);
  if (problems.length > 0) {
    const what = `${kind} "${String((resource.metadata as any)?.name)}"`;
    throw new GeneratedFileError(
      `${file}: ${what} does not match the ${apiVersion} ${kind} schema:\n` +
      problems.map((p) => `  ${p.path || '/'}: ${p.message}`).join('\n'));
  }
}

/**
 * Problems with Helm values keys against the pinned chart's own values, one
 * line each, with a did-you-mean. Empty when every key is known, or when no
 * key catalog exists for that chart version.
 */
export function unknownValuesKeyProblems(chart: ChartRef, values: Record<string, unknown>): string[] {
  if (!hasKeyCatalog(chart.name, chart.version)) return [];
  return findUnknownValuesKeys(chart.name, chart.version, values).map((u) => {
    const hint = u.suggestions.length > 0 ? ` (did you mean ${u.suggestions.map((s) => `"${s}"`).join(' or ')}?)` : '';
    return `"${u.path}" is not a values key of chart ${chart.name} ${chart.version}${hint}`;
  });
}

/** Check a generated values file against the chart's keys. */
export function assertKnownValuesKeys(file: string, chart: ChartRef, values: Record<string, unknown>): void {
  const problems = unknownValuesKeyProblems(chart, values);
  if (problems.length > 0) {
    throw new GeneratedFileError(`${file}:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}
