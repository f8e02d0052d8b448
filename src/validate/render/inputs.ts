import * as fs from 'fs';
import * as path from 'path';
import { destinationKey } from '../../options/destinations';
import { ArgoApplication } from '../repo';

/**
 * What Argo CD's repo-server would render for each Application, read off the
 * Application itself: per Helm source the chart at its pin, the release name,
 * the destination namespace, the value files in order (the `$values/…` ones
 * resolved in this repository, missing ones dropped only with
 * `ignoreMissingValueFiles`), then `values` / `valuesObject` and
 * `parameters`; per Git path source the plain manifests (a folder, or a
 * Kustomize folder).
 */

/** One Helm source of an Application. */
export interface HelmSourceInput {
  readonly repoUrl: string;
  readonly chart: string;
  readonly version: string;
  readonly releaseName: string;
  /** Absolute paths of the value files that exist, in Argo CD's order. */
  readonly valueFiles: readonly string[];
  /** Value files the Application requires that do not exist (a render failure in Argo CD). */
  readonly missingValueFiles: readonly string[];
  /** `helm.valuesObject` (or `helm.values` parsed), applied after the value files. */
  readonly inlineValues?: Record<string, unknown> | string;
  readonly set: readonly string[];
  readonly setString: readonly string[];
  readonly skipCrds: boolean;
  readonly skipSchemaValidation: boolean;
}

/** One Git path source of an Application (plain manifests). */
export interface ManifestSourceInput {
  /** Folder relative to the repository root. */
  readonly path: string;
  readonly recurse: boolean;
  /** The folder holds a kustomization (Argo CD then runs Kustomize). */
  readonly kustomize: boolean;
  /** `directory.include` / `directory.exclude`: glob patterns of the file paths (relative to the folder) Argo CD reads or skips. */
  readonly include?: string;
  readonly exclude?: string;
}

/** An Application, as the render stage sees it. */
export interface AppInput {
  /** The Application's name. */
  readonly name: string;
  /** The file that defines it (an ApplicationSet's file for generated ones). */
  readonly file: string;
  /** The cluster it deploys to: a normalised server URL, `name:<destination name>`, or the generating cluster. */
  readonly cluster: string;
  /** Destination namespace (namespaced objects without one land there). */
  readonly namespace: string;
  /** `spec.project`: the AppProject whose rules Argo CD applies to what it syncs. */
  readonly project: string;
  /** `ServerSideApply=true` in its sync options. */
  readonly serverSideApply: boolean;
  readonly helm: readonly HelmSourceInput[];
  readonly manifests: readonly ManifestSourceInput[];
}

/** The cluster key of an Application's destination (see destinationKey), or its generating cluster's when templated. */
export function clusterOf(app: ArgoApplication): string {
  const d = app.value.spec?.destination ?? {};
  const server = typeof d.server === 'string' && !d.server.includes('{{') ? d.server : undefined;
  const name = typeof d.name === 'string' && !d.name.includes('{{') ? d.name : undefined;
  if (server) return destinationKey({ server });
  if (name) return destinationKey({ destinationName: name });
  return `cluster:${app.generatedFor ?? '?'}`;
}

/** The render inputs of one Application of the repository at `root`. */
export function appInput(root: string, app: ArgoApplication): AppInput {
  const spec = app.value.spec ?? {};
  const sources: any[] = spec.sources ?? (spec.source ? [spec.source] : []);
  const syncOptions: string[] = (spec.syncPolicy?.syncOptions ?? []).map(String);
  const name = String(app.value.metadata?.name ?? '?');
  const helm: HelmSourceInput[] = [];
  const manifests: ManifestSourceInput[] = [];
  for (const s of sources) {
    if (s?.chart) {
      const h = s.helm ?? {};
      const valueFiles: string[] = [];
      const missing: string[] = [];
      for (const ref of (h.valueFiles ?? []).map(String)) {
        const rel = /^\$values\/(.+)$/.exec(ref)?.[1];
        if (rel === undefined) continue; // a file inside the chart: Helm finds it there
        const full = path.join(root, rel);
        if (fs.existsSync(full)) valueFiles.push(full);
        else if (h.ignoreMissingValueFiles !== true) missing.push(ref);
      }
      const params: any[] = h.parameters ?? [];
      helm.push({
        repoUrl: String(s.repoURL),
        chart: String(s.chart),
        version: String(s.targetRevision),
        releaseName: String(h.releaseName ?? name),
        valueFiles,
        missingValueFiles: missing,
        inlineValues: h.valuesObject ?? h.values,
        set: params.filter((p) => !p.forceString).map((p) => `${p.name}=${p.value}`),
        setString: params.filter((p) => p.forceString).map((p) => `${p.name}=${p.value}`),
        skipCrds: h.skipCrds === true,
        skipSchemaValidation: h.skipSchemaValidation === true,
      });
    } else if (typeof s?.path === 'string' && s.ref === undefined) {
      const dir = s.path.replace(/\/+$/, '');
      const kustomize = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'].some((f) => fs.existsSync(path.join(root, dir, f)));
      const glob = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
      manifests.push({
        path: dir, recurse: s.directory?.recurse === true, kustomize, include: glob(s.directory?.include), exclude: glob(s.directory?.exclude),
      });
    }
  }
  return {
    name,
    file: app.file,
    cluster: clusterOf(app),
    namespace: String(spec.destination?.namespace ?? ''),
    project: String(spec.project ?? 'default'),
    serverSideApply: syncOptions.includes('ServerSideApply=true'),
    helm,
    manifests,
  };
}
