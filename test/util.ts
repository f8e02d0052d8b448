import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Testing } from 'projen';
import * as YAML from 'yaml';
import { ObservabilityGitOpsProject, ObservabilityGitOpsProjectOptions, ReceiverOptions, ReceiverType } from '../src';
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

/** A tiny seeded PRNG (mulberry32): numbers in [0, 1), the same stream for the same seed. */
// A PRNG is bit arithmetic: the one place these rules do not fit.
/* eslint-disable no-bitwise */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
/* eslint-enable no-bitwise */

/** One receiver of each type (credentials by Secret reference); two share a Secret with different keys. */
export const RECEIVER: Readonly<Record<'oncall' | 'slack' | 'teams' | 'hook' | 'mail', ReceiverOptions>> = {
  oncall: { name: 'oncall', type: ReceiverType.PAGERDUTY, secretName: 'pagerduty', secretKey: 'routing-key' },
  slack: { name: 'team-slack', type: ReceiverType.SLACK, secretName: 'chat-hooks', secretKey: 'slack-url', channel: '#alerts' },
  teams: { name: 'teams', type: ReceiverType.MSTEAMS, secretName: 'chat-hooks', secretKey: 'teams-url' },
  hook: { name: 'hook', type: ReceiverType.WEBHOOK, secretName: 'webhook', secretKey: 'url' },
  mail: {
    name: 'mail',
    type: ReceiverType.EMAIL,
    secretName: 'smtp',
    secretKey: 'password',
    to: 'sre@example.com',
    from: 'alertmanager@example.com',
    smarthost: 'smtp.example.com:587',
    authUsername: 'alertmanager',
  },
};
