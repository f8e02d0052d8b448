import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Testing } from 'projen';
import * as YAML from 'yaml';
import { ObservabilityGitOpsProject, ObservabilityGitOpsProjectOptions } from '../src';

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
