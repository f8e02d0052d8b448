import { RenderedDashboard } from './render';
import { compareCodePoints } from '../../compare';
import { DASHBOARD_FOLDER_ANNOTATION, DASHBOARD_LABEL, DASHBOARD_LABEL_VALUE } from '../parts/metrics/grafana-values';

/*
 * The dashboards folder of a cluster (`manifests/<cluster>/dashboards/`) as
 * Argo CD syncs it: a Kustomize directory whose `kustomization.yaml`
 * generates one ConfigMap per Grafana folder from the dashboard JSON files
 * beside it. Reviewers diff plain JSON files; kustomize (inside Argo CD)
 * builds the ConfigMaps.
 *
 * Internal module: not exported from src/index.ts.
 */

/**
 * Most JSON bytes in one generated ConfigMap. The API server refuses a
 * ConfigMap whose data exceeds 1 MiB; the rest is headroom for keys and
 * metadata. A folder with more dashboards than that is split into
 * `dashboards-<folder>-2`, `-3`, ... (same folder annotation).
 */
export const MAX_CONFIGMAP_DATA_BYTES = 900 * 1024;

/** One file of the dashboards folder, relative to it. */
export interface DashboardDirFile {
  readonly path: string;
  readonly content: string;
}

/** The dashboards folder: the Kustomization and the JSON files it generates ConfigMaps from. */
export interface DashboardDir {
  readonly kustomization: Record<string, unknown>;
  readonly files: readonly DashboardDirFile[];
}

/** `<folder>/<uid>.json`: the file of a dashboard inside the dashboards folder. */
export function dashboardFilePath(d: Pick<RenderedDashboard, 'folder' | 'uid'>): string {
  return `${d.folder}/${d.uid}.json`;
}

/**
 * The Kustomization and files of the dashboards folder. ConfigMaps are named
 * `dashboards-<folder>` without kustomize's hash suffix (their names stay
 * stable, Argo CD prunes what disappears), labelled for the sidecar and
 * annotated with their Grafana folder. Throws when a single dashboard is too
 * large for a ConfigMap.
 */
export function dashboardDir(namespace: string, dashboards: readonly RenderedDashboard[]): DashboardDir {
  const folders = [...new Set(dashboards.map((d) => d.folder))].sort(compareCodePoints);
  const generators: Record<string, unknown>[] = [];
  for (const folder of folders) {
    const inFolder = dashboards.filter((d) => d.folder === folder).sort((a, b) => compareCodePoints(a.uid, b.uid));
    const chunks: RenderedDashboard[][] = [];
    let size = 0;
    for (const d of inFolder) {
      const bytes = Buffer.byteLength(d.json, 'utf8');
      if (bytes > MAX_CONFIGMAP_DATA_BYTES) {
        throw new Error(`${d.template} (dashboard "${d.title}"): ${bytes} bytes of JSON do not fit in a ConfigMap (at most ${MAX_CONFIGMAP_DATA_BYTES})`);
      }
      if (chunks.length === 0 || size + bytes > MAX_CONFIGMAP_DATA_BYTES) {
        chunks.push([]);
        size = 0;
      }
      chunks[chunks.length - 1].push(d);
      size += bytes;
    }
    chunks.forEach((chunk, i) => {
      generators.push({
        name: `dashboards-${folder.toLowerCase().replace(/[^a-z0-9-]+/g, '-')}${i === 0 ? '' : `-${i + 1}`}`,
        options: {
          disableNameSuffixHash: true,
          labels: { [DASHBOARD_LABEL]: DASHBOARD_LABEL_VALUE },
          annotations: { [DASHBOARD_FOLDER_ANNOTATION]: folder },
        },
        files: chunk.map(dashboardFilePath),
      });
    });
  }
  return {
    kustomization: {
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      namespace,
      configMapGenerator: generators,
    },
    files: [...dashboards]
      .sort((a, b) => compareCodePoints(dashboardFilePath(a), dashboardFilePath(b)))
      .map((d) => ({ path: dashboardFilePath(d), content: d.json })),
  };
}
