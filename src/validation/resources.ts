import { findUnknownValuesKeys, hasKeyCatalog } from './chart-keys';
import { validateAgainstCrd } from './crd-schema';
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

/** Check a Kubernetes object against its CRD schema (unknown fields rejected). */
export function assertValidResource(file: string, resource: Record<string, unknown>): void {
  const problems = validateAgainstCrd(resource);
  if (problems.length > 0) {
    const kind = `${String(resource.kind)} "${String((resource.metadata as any)?.name)}"`;
    throw new GeneratedFileError(
      `${file}: ${kind} does not match the ${String(resource.apiVersion)} ${String(resource.kind)} schema:\n` +
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
