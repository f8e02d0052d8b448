import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { ChartLocator, defaultChartCache, firstLine } from './charts';
import { argoGlob } from './globs';
import { Helm, HelmOutput, findHelm, helmTemplate, inParallel, runCommand } from './helm';
import { AppInput, HelmSourceInput, ManifestSourceInput, appInput } from './inputs';
import { RenderedJunk, RenderedObject, parseRendered } from './objects';
import { knownCrdKinds } from '../../validation/crd-schema';
import { supportedKubernetesMinors } from '../../validation/kube-schemas';
import { Repo, argoApplications, kubeObjects } from '../repo';

/**
 * The render stage of `obs-gitops validate`: every Application (and every
 * Application an ApplicationSet generates) rendered the way Argo CD's
 * repo-server renders it, with the real Helm, into the objects it would own.
 */

/** How to render. */
export interface RenderOptions {
  /** `--helm PATH`; default `helm` on PATH. */
  readonly helm?: string;
  /** `--charts DIR`: chart packages or folders by name and version. */
  readonly chartsDir?: string;
  /** Where pulled charts are cached; default `$XDG_CACHE_HOME/obs-gitops/charts`. */
  readonly cacheDir?: string;
  /** Never `helm pull`. */
  readonly offline?: boolean;
  /** Kubernetes version reported to the charts; default DEFAULT_KUBE_VERSION. */
  readonly kubeVersion?: string;
  /** Renders at a time; default the number of cores. */
  readonly parallelism?: number;
}

/**
 * Kubernetes version the charts are rendered for unless `--kube-version` says
 * otherwise: the newest minor whose schemas are vendored (objects are then
 * checked against every supported minor's).
 */
export const DEFAULT_KUBE_VERSION = `${supportedKubernetesMinors()[supportedKubernetesMinors().length - 1]}.0`;

/** What one Application rendered into. */
export interface RenderedApp {
  /** The repository root (value file paths are absolute under it). */
  readonly root: string;
  readonly input: AppInput;
  readonly objects: readonly RenderedObject[];
  readonly junk: readonly RenderedJunk[];
  /** Why it does not render (what Argo CD would show as a ComparisonError). */
  readonly failures: readonly string[];
  /** Sources not rendered, and why (chart unavailable offline, kubectl missing). */
  readonly notChecked: readonly string[];
}

/** The whole stage's outcome. */
export interface RenderRun {
  /** Why nothing was rendered (no Helm), if so. */
  readonly missing?: string;
  readonly helm?: Helm;
  readonly kubeVersion: string;
  readonly apps: readonly RenderedApp[];
  /** Distinct `helm template` runs (identical inputs render once). */
  readonly helmRuns: number;
  /** Where charts came from: counts by origin. */
  readonly chartOrigins: Readonly<Record<string, number>>;
}

/** Render every Application of the repository. */
export async function renderApplications(repo: Repo, options: RenderOptions = {}): Promise<RenderRun> {
  const kubeVersion = options.kubeVersion ?? DEFAULT_KUBE_VERSION;
  const found = findHelm(options.helm);
  // A generated Application takes its ApplicationSet's wave: the ApplicationSets by file and index, found once.
  const appSets = new Map(kubeObjects(repo).filter((d) => d.value.kind === 'ApplicationSet').map((d) => [`${d.file}#${d.index}`, d.value]));
  const apps = argoApplications(repo).map((a) => ({
    input: appInput(repo.root, a),
    wave: waveOf(a.fromApplicationSet ? appSets.get(`${a.file}#${a.index}`) : a.value),
  }));
  if ('missing' in found) {
    return { missing: found.missing, kubeVersion, apps: [], helmRuns: 0, chartOrigins: {} };
  }
  const helm = found;
  const locator = new ChartLocator(helm, {
    chartsDir: options.chartsDir, cacheDir: options.cacheDir ?? defaultChartCache(), offline: options.offline === true,
  });
  const parallelism = options.parallelism ?? Math.max(1, os.cpus().length);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'obs-gitops-render-'));
  const renders = new Map<string, Promise<HelmOutput>>();
  const chartOrigins: Record<string, number> = {};
  const crdsByCluster = new Map<string, Array<Record<string, any>>>();
  const results: RenderedApp[] = [];
  try {
    // CRDs first: an Application sees the API versions of the CRDs that Applications of
    // earlier sync waves on its cluster install (as Argo CD's cluster cache would).
    const waves = [...new Set(apps.map((a) => a.wave))].sort((a, b) => a - b);
    for (const wave of waves) {
      const inWave = apps.filter((a) => a.wave === wave);
      const rendered = await inParallel(parallelism, inWave.map(({ input }) => async () => {
        const apiVersions = apiVersionsFor(crdsByCluster.get(input.cluster) ?? []);
        return renderApp(repo, input, { helm, locator, kubeVersion, apiVersions, tmp, renders, chartOrigins });
      }));
      for (const r of rendered) {
        results.push(r);
        const crds = r.objects.filter((o) => o.object.kind === 'CustomResourceDefinition').map((o) => o.object);
        if (crds.length > 0) crdsByCluster.set(r.input.cluster, [...crdsByCluster.get(r.input.cluster) ?? [], ...crds]);
      }
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const order = new Map(apps.map((a, i) => [a.input, i]));
  results.sort((a, b) => order.get(a.input)! - order.get(b.input)!);
  return { helm, kubeVersion, apps: results, helmRuns: renders.size, chartOrigins };
}

interface RenderContext {
  readonly helm: Helm;
  readonly locator: ChartLocator;
  readonly kubeVersion: string;
  readonly apiVersions: readonly string[];
  readonly tmp: string;
  /** Renders by their inputs: identical inputs (same chart, values, release, namespace) render once. */
  readonly renders: Map<string, Promise<HelmOutput>>;
  readonly chartOrigins: Record<string, number>;
}

async function renderApp(repo: Repo, input: AppInput, ctx: RenderContext): Promise<RenderedApp> {
  const objects: RenderedObject[] = [];
  const junk: RenderedJunk[] = [];
  const failures: string[] = [];
  const notChecked: string[] = [];
  const add = (text: string, fallbackOrigin: string, originPrefix: string) => {
    const parsed = parseRendered(text, fallbackOrigin);
    for (const j of parsed.junk) junk.push({ ...j, origin: `${originPrefix}${j.origin}` });
    for (const o of parsed.objects) {
      objects.push({
        app: input.name,
        appFile: input.file,
        cluster: input.cluster,
        origin: `${originPrefix}${o.origin}`,
        defaultNamespace: input.namespace,
        serverSideApply: input.serverSideApply,
        object: o.object,
      });
    }
  };
  for (const h of input.helm) {
    const label = `chart ${h.chart} ${h.version}`;
    if (h.missingValueFiles.length > 0) {
      failures.push(`${label}: value file${h.missingValueFiles.length > 1 ? 's' : ''} ${h.missingValueFiles.join(', ')} missing (and ignoreMissingValueFiles is not set)`);
      continue;
    }
    const chart = await ctx.locator.locate(h.repoUrl, h.chart, h.version);
    if ('unavailable' in chart) {
      notChecked.push(`${label}: ${chart.unavailable}`);
      continue;
    }
    ctx.chartOrigins[chart.origin] = (ctx.chartOrigins[chart.origin] ?? 0) + 1;
    const r = await renderHelmSource(h, chart.path, input.namespace || 'default', ctx);
    if (!r.ok) {
      failures.push(`${label}: helm template failed: ${explainHelmFailure(h, r.stderr)}`);
      continue;
    }
    add(r.stdout, label, `${label}: `);
  }
  for (const m of input.manifests) {
    if (m.kustomize) {
      const r = await runCommand('kubectl', ['kustomize', m.path], { cwd: repo.root });
      if (!r.ok && /ENOENT/.test(r.stderr)) {
        notChecked.push(`${m.path}: kubectl is not installed (Kustomize renders this folder)`);
      } else if (!r.ok) {
        failures.push(`${m.path}: kubectl kustomize failed: ${firstLine(r.stderr)}`);
      } else {
        add(r.stdout, m.path, '');
      }
      continue;
    }
    for (const file of manifestFiles(repo, m)) {
      add(fs.readFileSync(path.join(repo.root, file), 'utf-8'), file, '');
    }
  }
  return { root: repo.root, input, objects, junk, failures, notChecked };
}

function renderHelmSource(h: HelmSourceInput, chartPath: string, namespace: string, ctx: RenderContext): Promise<HelmOutput> {
  const valueFiles = [...h.valueFiles];
  if (h.inlineValues !== undefined && h.inlineValues !== '') {
    const text = typeof h.inlineValues === 'string' ? h.inlineValues : YAML.stringify(h.inlineValues);
    const file = path.join(ctx.tmp, `inline-${sha256(text).slice(0, 16)}.yaml`);
    if (!fs.existsSync(file)) fs.writeFileSync(file, text);
    valueFiles.push(file);
  }
  return renderOnce({
    chart: chartPath,
    releaseName: h.releaseName,
    namespace,
    valueFiles,
    set: h.set,
    setString: h.setString,
    kubeVersion: ctx.kubeVersion,
    apiVersions: ctx.apiVersions,
    skipCrds: h.skipCrds,
    skipSchemaValidation: h.skipSchemaValidation,
  }, ctx);
}

function renderOnce(args: Parameters<typeof helmTemplate>[1], ctx: RenderContext): Promise<HelmOutput> {
  const key = JSON.stringify({ ...args, valueFiles: args.valueFiles.map((f) => sha256(fs.readFileSync(f, 'utf-8'))) });
  let r = ctx.renders.get(key);
  if (!r) {
    r = helmTemplate(ctx.helm, args);
    ctx.renders.set(key, r);
  }
  return r;
}

/** Helm's error, with what a user can do about the ones we know. */
function explainHelmFailure(h: HelmSourceInput, stderr: string): string {
  const line = stderr.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !/^WARNING:/.test(l) && !/^Use --debug/.test(l)).join(' ');
  if (/metaschema/.test(stderr)) {
    return `${line} (the chart's own values.schema.json at ${h.chart} ${h.version} is rejected by current Helm: pin a version whose schema is fixed)`;
  }
  if (/execution error at \(/.test(stderr)) {
    return `${line} (a \`required\` or \`fail\` in the chart: a values file or an override leaves out what the chart needs)`;
  }
  return line;
}

/**
 * YAML and JSON files of a manifests folder, as Argo CD's directory source reads them: recursively
 * or not, then without the files `exclude` matches and with only those `include` matches (paths
 * relative to the folder).
 */
function manifestFiles(repo: Repo, source: ManifestSourceInput): string[] {
  const prefix = `${source.path}/`;
  const include = source.include === undefined ? undefined : argoGlob(source.include);
  const exclude = source.exclude === undefined ? undefined : argoGlob(source.exclude);
  return repo.files.filter((f) => {
    if (!f.startsWith(prefix) || !/\.(ya?ml|json)$/.test(f)) return false;
    const rel = f.slice(prefix.length);
    if (!source.recurse && rel.includes('/')) return false;
    if (exclude?.test(rel)) return false;
    return include === undefined || include.test(rel);
  });
}

/** `group/version` and `group/version/Kind` of the stack's CRDs (vendored) and of those rendered on the cluster. */
function apiVersionsFor(renderedCrds: ReadonlyArray<Record<string, any>>): string[] {
  const out = new Set<string>();
  for (const k of knownCrdKinds()) {
    out.add(k.apiVersion);
    out.add(`${k.apiVersion}/${k.kind}`);
  }
  for (const crd of renderedCrds) {
    for (const v of crd.spec?.versions ?? []) {
      if (v?.served === false) continue;
      out.add(`${crd.spec.group}/${v.name}`);
      out.add(`${crd.spec.group}/${v.name}/${crd.spec.names?.kind}`);
    }
  }
  return [...out].sort();
}

/** An Application's sync wave (a generated one has its ApplicationSet's). */
function waveOf(doc: Record<string, any> | undefined): number {
  const wave = Number(doc?.metadata?.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0);
  return Number.isFinite(wave) ? wave : 0;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
