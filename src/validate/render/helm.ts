import { spawn, spawnSync } from 'child_process';

/**
 * The real Helm binary, found and run the way the render stage needs it:
 * `helm template` with the inputs Argo CD's repo-server uses, several at a
 * time (Helm is single-threaded per render; validate runs as many as there
 * are cores).
 */

/** A Helm binary that answered `helm version`. */
export interface Helm {
  /** The command (a path, or `helm` from PATH). */
  readonly command: string;
  /** `v4.1.4`, as `helm version --short` prints it (without the `+g<commit>` suffix). */
  readonly version: string;
}

/** Where Helm comes from, in one sentence for a NOT CHECKED line. */
export const HELM_INSTALL_HINT = 'install Helm (https://helm.sh/docs/intro/install/; Debian/Ubuntu: the helm apt repository or `snap install helm --classic`; macOS: `brew install helm`) or pass --helm PATH';

/**
 * The Helm to render with: `explicit` (from `--helm PATH`) or `helm` on PATH.
 * Undefined, with the reason, when neither answers.
 */
export function findHelm(explicit?: string): Helm | { readonly missing: string } {
  const command = explicit ?? 'helm';
  const r = spawnSync(command, ['version', '--short'], { encoding: 'utf-8' });
  if (r.error || r.status !== 0) {
    return { missing: explicit ? `--helm ${explicit} does not run (${r.error?.message ?? r.stderr.trim()})` : `helm is not on PATH: ${HELM_INSTALL_HINT}` };
  }
  const version = r.stdout.trim().replace(/\+.*$/, '');
  const major = Number(/^v(\d+)/.exec(version)?.[1] ?? 0);
  if (major < 3) return { missing: `${command} is Helm ${version}; Argo CD renders with Helm 3 or newer` };
  return { command, version };
}

/** One `helm template` run. */
export interface HelmTemplateArgs {
  /** A chart package (.tgz) or an unpacked chart folder. */
  readonly chart: string;
  readonly releaseName: string;
  readonly namespace: string;
  /** Values files, in order (later ones win). */
  readonly valueFiles: readonly string[];
  /** `--set` style parameters (Argo CD's `helm.parameters`), applied after the files. */
  readonly set?: readonly string[];
  /** `--set-string` style parameters (Argo CD's `forceString: true` parameters). */
  readonly setString?: readonly string[];
  /** Kubernetes version Helm reports to the chart (`.Capabilities.KubeVersion`), e.g. `1.35.0`. */
  readonly kubeVersion: string;
  /** API versions the cluster serves besides Helm's built-in set (`group/version` and `group/version/Kind`). */
  readonly apiVersions: readonly string[];
  /** Leave out the chart's `crds/` folder (Argo CD's `helm.skipCrds`). */
  readonly skipCrds: boolean;
  /** Don't validate values against the chart's values.schema.json (Argo CD's `helm.skipSchemaValidation`). */
  readonly skipSchemaValidation?: boolean;
}

/** What one render printed. */
export interface HelmOutput {
  readonly ok: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

/** The argument list of `helm template` for these inputs, as Argo CD's repo-server builds it. */
export function helmTemplateArgv(a: HelmTemplateArgs): string[] {
  const argv = ['template', a.releaseName, a.chart, '--namespace', a.namespace, '--kube-version', a.kubeVersion];
  argv.push(a.skipCrds ? '--skip-crds' : '--include-crds');
  if (a.skipSchemaValidation) argv.push('--skip-schema-validation');
  for (const v of a.apiVersions) argv.push('--api-versions', v);
  for (const f of a.valueFiles) argv.push('--values', f);
  for (const s of a.set ?? []) argv.push('--set', s);
  for (const s of a.setString ?? []) argv.push('--set-string', s);
  return argv;
}

/** Run `helm template` (never throws: a failure is `ok: false` with Helm's message). */
export function helmTemplate(helm: Helm, args: HelmTemplateArgs, env?: NodeJS.ProcessEnv): Promise<HelmOutput> {
  return runHelm(helm, helmTemplateArgv(args), env);
}

/** Run helm with some arguments, collecting its output. */
export function runHelm(helm: Helm, argv: readonly string[], env?: NodeJS.ProcessEnv): Promise<HelmOutput> {
  return runCommand(helm.command, argv, { env });
}

/** Run a command, collecting its output (never throws: a spawn error is `ok: false`). */
export function runCommand(command: string, argv: readonly string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<HelmOutput> {
  return new Promise((resolve) => {
    const child = spawn(command, argv, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => resolve({ ok: false, stdout: '', stderr: e.message }));
    child.on('close', (code) => resolve({ ok: code === 0, stdout: Buffer.concat(out).toString('utf-8'), stderr: Buffer.concat(err).toString('utf-8') }));
  });
}

/** Run `tasks` with at most `limit` of them in flight; results in input order. */
export async function inParallel<T>(limit: number, tasks: ReadonlyArray<() => Promise<T>>): Promise<T[]> {
  const results = new Array<T>(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, tasks.length)) }, worker));
  return results;
}
