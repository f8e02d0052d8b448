import { spawnSync } from 'child_process';
import { existsSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import * as YAML from 'yaml';
import { ObservabilityGitOpsProjectOptions } from '../../src';
import { dashboardDir, MAX_CONFIGMAP_DATA_BYTES } from '../../src/model/dashboards/kustomize';
import { RenderedDashboard, renderDashboards } from '../../src/model/dashboards/render';
import { resolveOptions } from '../../src/options/resolve';
import { BASE, newProject, synthToDisk } from '../util';

type Options = Partial<ObservabilityGitOpsProjectOptions>;
const DIR = 'manifests/in-cluster/dashboards';
const SERVICES = [
  { name: 'checkout', namespace: 'shop', port: 'http', requestsMetric: 'checkout_requests_total' },
  { name: 'cart', namespace: 'shop', port: 'http' },
];

/** Synthesize a project to its temp folder and return it. */
function synthOptions(options: Options): string {
  return synthToDisk(newProject(options));
}

/** `kubectl kustomize <dir>`, for real: the build Argo CD runs on the folder. */
function kustomize(dir: string): any[] {
  const result = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error('kubectl is not installed: install the Debian package "kubectl" (it bundles kustomize) to run this test');
  }
  if (result.status !== 0) throw new Error(`kubectl kustomize ${dir} failed:\n${result.stderr}`);
  return YAML.parseAllDocuments(result.stdout).map((d) => d.toJS());
}

describe('the dashboards folder, built with the real kubectl kustomize', () => {
  let outdir: string;
  let dir: string;
  let objects: any[];
  let byName: Record<string, any>;
  beforeAll(() => {
    outdir = synthOptions({ services: SERVICES });
    dir = join(outdir, DIR);
    objects = kustomize(dir);
    byName = Object.fromEntries(objects.map((o) => [o.metadata.name, o]));
  });

  test('one ConfigMap per Grafana folder, in the metrics namespace, labelled and annotated for the sidecar', () => {
    expect(objects.every((o) => o.kind === 'ConfigMap' && o.apiVersion === 'v1')).toBe(true);
    expect(Object.keys(byName).sort()).toEqual(['dashboards-kubernetes', 'dashboards-observability', 'dashboards-services']);
    for (const [name, folder] of [['dashboards-kubernetes', 'Kubernetes'], ['dashboards-observability', 'Observability'], ['dashboards-services', 'Services']]) {
      expect(byName[name].metadata).toEqual({
        name,
        namespace: 'monitoring',
        labels: { grafana_dashboard: '1' },
        annotations: { grafana_folder: folder },
      });
    }
  });

  test('the dashboard JSON files are the ConfigMaps\' data, byte for byte', () => {
    expect(Object.keys(byName['dashboards-services'].data).sort()).toEqual(['obs-svc-shop_cart.json', 'obs-svc-shop_checkout.json']);
    expect(Object.keys(byName['dashboards-kubernetes'].data).sort()).toEqual(['obs-cluster-overview.json', 'obs-nodes.json']);
    expect(Object.keys(byName['dashboards-observability'].data).sort()).toEqual(['obs-logs.json', 'obs-stack-health.json', 'obs-traces.json']);
    for (const cm of objects) {
      for (const [key, text] of Object.entries<string>(cm.data)) {
        const folder = cm.metadata.annotations.grafana_folder;
        expect(text).toBe(readFileSync(join(dir, folder, key), 'utf8'));
        const dashboard = JSON.parse(text);
        expect(`${dashboard.uid}.json`).toBe(key);
      }
    }
    const checkout = JSON.parse(byName['dashboards-services'].data['obs-svc-shop_checkout.json']);
    expect(checkout.title).toBe('Service / shop / checkout');
    expect(JSON.stringify(checkout)).toContain('checkout_requests_total{namespace=\\"shop\\", service=\\"checkout\\"}');
  });

  test('the folder holds only the kustomization and the dashboards it lists', () => {
    const kustomization = YAML.parse(readFileSync(join(dir, 'kustomization.yaml'), 'utf8'));
    expect(kustomization).toMatchObject({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', namespace: 'monitoring' });
    const listed = kustomization.configMapGenerator.flatMap((g: any) => g.files).sort();
    const onDisk = readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory()
      ? readdirSync(join(dir, e.name)).map((f) => `${e.name}/${f}`) : [])).sort();
    expect(onDisk).toEqual(listed);
    expect(readdirSync(dir).filter((f) => !f.includes('/') && f.endsWith('.yaml'))).toEqual(['kustomization.yaml']);
    for (const g of kustomization.configMapGenerator) {
      expect(g.options).toEqual({ disableNameSuffixHash: true, labels: { grafana_dashboard: '1' }, annotations: { grafana_folder: expect.any(String) } });
    }
    // JSON files carry no projen marker (JSON has no comments), but projen tracks them for deletion.
    const manifest = JSON.parse(readFileSync(join(outdir, '.projen/files.json'), 'utf8')).files as string[];
    expect(manifest).toEqual(expect.arrayContaining(listed.map((f: string) => `${DIR}/${f}`)));
    expect(manifest).toContain(`${DIR}/kustomization.yaml`);
  });

  test('no dashboards folder when dashboards are off', () => {
    const off = synthOptions({ dashboards: { enabled: false } });
    expect(existsSync(join(off, DIR))).toBe(false);
  });

  test('one folder per cluster, the same dashboards', () => {
    const fleet = synthOptions({ clusters: [{ name: 'eu-1' }, { name: 'us-1', server: 'https://us-1.example.com' }] });
    for (const cluster of ['eu-1', 'us-1']) {
      const built = kustomize(join(fleet, `manifests/${cluster}/dashboards`));
      expect(built.map((o) => o.metadata.name).sort()).toEqual(['dashboards-kubernetes', 'dashboards-observability']);
    }
    expect(existsSync(join(fleet, DIR))).toBe(false);
  });
});

describe('ConfigMap size', () => {
  const o = resolveOptions({ ...BASE, services: SERVICES } as ObservabilityGitOpsProjectOptions);
  const rendered = renderDashboards(o);

  test('a folder too large for one ConfigMap is split, keeping the folder annotation', () => {
    const big = (uid: string): RenderedDashboard => ({ ...rendered[0], uid, folder: 'Services', json: `${' '.repeat(MAX_CONFIGMAP_DATA_BYTES / 2)}{}\n` });
    const dir = dashboardDir('monitoring', [big('a'), big('b'), big('c')]);
    const gens = dir.kustomization.configMapGenerator as any[];
    expect(gens.map((g) => [g.name, g.files, g.options.annotations.grafana_folder])).toEqual([
      ['dashboards-services', ['Services/a.json'], 'Services'],
      ['dashboards-services-2', ['Services/b.json'], 'Services'],
      ['dashboards-services-3', ['Services/c.json'], 'Services'],
    ]);
  });

  test('a single dashboard larger than a ConfigMap is an error naming it', () => {
    const huge = { ...rendered[0], json: ' '.repeat(MAX_CONFIGMAP_DATA_BYTES + 1) };
    expect(() => dashboardDir('monitoring', [huge])).toThrow(/templates\/dashboards\/cluster-overview\.json \(dashboard "Kubernetes \/ Cluster overview"\): \d+ bytes of JSON do not fit in a ConfigMap/);
  });
});
