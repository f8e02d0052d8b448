import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Testing } from 'projen';
import * as YAML from 'yaml';
import { ObservabilityGitOpsProject, ObservabilityGitOpsProjectOptions } from '../src';
import { buildFleetModel, FleetModel } from '../src/model/fleet';
import { resolveFleet } from '../src/options/environments';

/** Options every test project needs (what `projen new` fills in). */
export const BASE = { name: 'obs-test', defaultReleaseBranch: 'main' };

/** A project in a fresh temp folder. */
export function newProject(options: Partial<ObservabilityGitOpsProjectOptions> = {}): ObservabilityGitOpsProject {
  return new ObservabilityGitOpsProject({
    ...BASE,
    outdir: mkdtempSync(join(tmpdir(), 'obs-gitops-unit-')),
    gitRepoUrl: 'https://github.com/acme/observability.git',
    ...options,
  } as ObservabilityGitOpsProjectOptions);
}

/** Synthesize and return every file (YAML files parsed). */
export function synthFiles(options: Partial<ObservabilityGitOpsProjectOptions> = {}): Record<string, any> {
  const out = Testing.synth(newProject(options));
  const parsed: Record<string, any> = {};
  for (const [file, content] of Object.entries(out)) {
    parsed[file] = file.endsWith('.yaml') && typeof content === 'string' ? YAML.parse(content) : content;
  }
  return parsed;
}

/** Raw (unparsed) synth output. */
export function synthRaw(options: Partial<ObservabilityGitOpsProjectOptions> = {}): Record<string, any> {
  return Testing.synth(newProject(options));
}

/**
 * `project.synth()` into the project's own folder, as `npx projen` would but
 * without post-synth steps (no npm install), keeping the folder (unlike
 * Testing.synth) so tests can read and run what was written. Returns the folder.
 */
export function synthToDisk(project: { readonly outdir: string; synth(): void }): string {
  const previous = process.env.PROJEN_DISABLE_POST;
  process.env.PROJEN_DISABLE_POST = 'true';
  try {
    project.synth();
  } finally {
    if (previous === undefined) delete process.env.PROJEN_DISABLE_POST;
    else process.env.PROJEN_DISABLE_POST = previous;
  }
  return project.outdir;
}

/** The fleet model of some options (resolved and built as the project does, nothing written). */
export function fleetOf(options: Partial<ObservabilityGitOpsProjectOptions> = {}): FleetModel {
  return buildFleetModel(resolveFleet({ ...BASE, ...options } as ObservabilityGitOpsProjectOptions));
}
