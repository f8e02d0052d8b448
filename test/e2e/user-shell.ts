/**
 * What the end-to-end tests share: the library packed as npm would publish
 * it, and commands run as in a user's shell (no CI or test-runner variables,
 * a git identity), so projen behaves as it does for a user and not as in CI.
 */
import { execFileSync, spawnSync } from 'child_process';
import { existsSync, mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

/** The library's own folder. */
export const ROOT = join(__dirname, '..', '..');

/** Variables a user's shell does not have: CI makes projen run a frozen `npm ci`, the others are the test runner's. */
const NOT_A_USER = ['CI', 'PROJEN_DISABLE_POST', 'NODE_ENV', 'JEST_WORKER_ID', 'OBS_GITOPS_DEBUG'];

/** Run a command as a user would, with `env` added (it may set any of those variables again); its status and stdout + stderr. */
export function run(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}): { status: number; out: string } {
  const e: Record<string, string | undefined> = { ...process.env };
  for (const v of NOT_A_USER) delete e[v];
  Object.assign(e, {
    NO_UPDATE_NOTIFIER: '1',
    GIT_AUTHOR_NAME: 'e2e',
    GIT_AUTHOR_EMAIL: 'e2e@example.invalid',
    GIT_COMMITTER_NAME: 'e2e',
    GIT_COMMITTER_EMAIL: 'e2e@example.invalid',
  }, env);
  const r = spawnSync(cmd, args, { cwd, env: e, encoding: 'utf-8', maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status ?? -1, out: `${r.stdout}\n${r.stderr}` };
}

/** `run`, failing with the command's output when it exits non-zero; its output. */
export function mustRun(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}): string {
  const r = run(cmd, args, cwd, env);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.out}`);
  return r.out;
}

/** `npm pack` of the compiled library into a new folder under `parent`; the tarball's path. */
export function packLibrary(parent: string = tmpdir()): string {
  if (!existsSync(join(ROOT, 'lib', 'index.js')) || !existsSync(join(ROOT, '.jsii'))) {
    throw new Error('the library is not compiled: run `npx projen compile` (or `npx projen build`) first');
  }
  const packDir = mkdtempSync(join(parent, 'obs-gitops-pack-'));
  const name = execFileSync('npm', ['pack', '--silent', '--pack-destination', packDir], { cwd: ROOT, encoding: 'utf-8' }).trim().split('\n').pop()!;
  return join(packDir, name);
}
