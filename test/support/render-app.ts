import { spawnSync } from 'child_process';
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import * as YAML from 'yaml';
import { helmBinary } from '../../scripts/lib/helm-binary.cjs';

/*
 * Render one generated Argo CD Application's chart with the real Helm, the way
 * Argo CD's repo-server does: `helm template <releaseName> <chart>@<pin>
 * --namespace <destination namespace> -f <each $values file, in order>`, with
 * `--include-crds` unless the source sets `helm.skipCrds` (then `--skip-crds`).
 * The chart comes from the vendored packages in test/fixtures/chart-packages.
 * A small helper for the tests of the synth-time fixes; the render stage of
 * `obs-gitops validate` (src/validate/render) does the full job.
 */

/** The vendored chart packages (`<chart>-<version>.tgz`). */
export const CHART_PACKAGES = join(__dirname, '..', 'fixtures', 'chart-packages');

/** A rendered Kubernetes object. */
export type RenderedObject = Record<string, any>;

export interface RenderOptions {
  /** Replace the Application's chart version (render another package of the same chart). */
  readonly chartVersion?: string;
  /** Render the chart's crds/ folders even when the Application sets `helm.skipCrds` (what it would apply without it). */
  readonly ignoreSkipCrds?: boolean;
  /** Further `helm template` arguments (e.g. `--kube-version`, `--api-versions`). */
  readonly extraArgs?: readonly string[];
}

export interface RenderedApplication {
  /** The Application as generated. */
  readonly application: RenderedObject;
  /** The `helm template` arguments used (after the binary). */
  readonly args: readonly string[];
  /** Every object Helm printed, in order (empty documents dropped). */
  readonly objects: readonly RenderedObject[];
}

/** The Helm chart source and the `$values` ref of an Application (multi-source). */
function chartSource(app: RenderedObject, file: string): { chart: RenderedObject; valuesRoot: string | undefined } {
  const sources: RenderedObject[] = app.spec?.sources ?? (app.spec?.source ? [app.spec.source] : []);
  const chart = sources.find((s) => typeof s.chart === 'string');
  if (!chart) throw new Error(`${file}: no Helm chart source`);
  const ref = sources.find((s) => typeof s.ref === 'string');
  return { chart, valuesRoot: ref?.ref };
}

/**
 * `helm template` of the Application in `appFile` (a path relative to `repoDir`,
 * a synthesized repository on disk). Throws with Helm's message when it fails.
 */
export function renderApplication(repoDir: string, appFile: string, options: RenderOptions = {}): RenderedApplication {
  const application = YAML.parse(readFileSync(join(repoDir, appFile), 'utf-8')) as RenderedObject;
  if (application?.kind !== 'Application') throw new Error(`${appFile}: not an Application (kind ${application?.kind})`);
  const { chart, valuesRoot } = chartSource(application, appFile);
  const version = options.chartVersion ?? chart.targetRevision;
  const pkg = join(CHART_PACKAGES, `${chart.chart}-${version}.tgz`);
  if (!existsSync(pkg)) throw new Error(`${appFile}: no vendored package ${pkg}`);
  const helm = chart.helm ?? {};
  const valueArgs: string[] = [];
  for (const f of (helm.valueFiles ?? []) as string[]) {
    const prefix = valuesRoot !== undefined ? `$${valuesRoot}/` : undefined;
    const path = prefix !== undefined && f.startsWith(prefix) ? join(repoDir, f.slice(prefix.length)) : undefined;
    if (path === undefined) throw new Error(`${appFile}: value file ${f} is not under the $values source`);
    if (!existsSync(path)) {
      if (helm.ignoreMissingValueFiles === true) continue;
      throw new Error(`${appFile}: value file ${f} does not exist`);
    }
    valueArgs.push('-f', path);
  }
  if (helm.values !== undefined || helm.valuesObject !== undefined || helm.parameters !== undefined) {
    throw new Error(`${appFile}: helm.values/valuesObject/parameters are not supported by this helper`);
  }
  const args = [
    'template', helm.releaseName ?? application.metadata.name, pkg,
    '--namespace', application.spec.destination.namespace,
    helm.skipCrds === true && options.ignoreSkipCrds !== true ? '--skip-crds' : '--include-crds',
    ...valueArgs,
    ...(options.extraArgs ?? []),
  ];
  const run = spawnSync(helmBinary(), args, { encoding: 'utf-8', maxBuffer: 256 * 1024 * 1024 });
  if (run.error) throw run.error;
  if (run.status !== 0) throw new Error(`helm ${args.join(' ')} failed (exit ${run.status}):\n${run.stderr}`);
  const objects = YAML.parseAllDocuments(run.stdout)
    .map((d) => {
      if (d.errors.length > 0) throw new Error(`${appFile}: Helm printed YAML that does not parse: ${d.errors[0].message}`);
      return d.toJS({ maxAliasCount: -1 }) as RenderedObject | null;
    })
    .filter((o): o is RenderedObject => o !== null && typeof o === 'object');
  return { application, args, objects };
}

/** The objects of `kind` (optionally also named `name`). */
export function objectsOf(objects: readonly RenderedObject[], kind: string, name?: string): RenderedObject[] {
  return objects.filter((o) => o.kind === kind && (name === undefined || o.metadata?.name === name));
}
