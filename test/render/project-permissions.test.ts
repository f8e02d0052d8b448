import { cpSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import * as YAML from 'yaml';
import { ObservabilityGitOpsProject, ObservabilityGitOpsProjectOptions } from '../../src';
import { CheckResult } from '../../src/validate/checks';
import { renderStage } from '../../src/validate/render';
import { argoGlob, projectGlob } from '../../src/validate/render/globs';
import { groupOf } from '../../src/validate/render/objects';
import { renderApplications } from '../../src/validate/render/stage';
import { readRepo } from '../../src/validate/repo';
import { renderOptions, tempDirs } from '../support/render';
import { BASE, synthToDisk } from '../util';

/*
 * The AppProject of the parts in Argo CD's namespace (argocd/argocd-project.yaml)
 * allows exactly the namespaced kinds those parts render, and the render stage
 * checks every rendered object against its Application's AppProject, as Argo CD
 * does before it syncs: rendered with the real Helm over the vendored charts.
 */

jest.setTimeout(180_000);

const dirs = tempDirs();

function synthRepo(options: Partial<ObservabilityGitOpsProjectOptions> = {}): string {
  const outdir = dirs.make('obs-gitops-projects-');
  synthToDisk(new ObservabilityGitOpsProject({ ...BASE, outdir, gitRepoUrl: 'https://github.com/acme/obs.git', ...options } as ObservabilityGitOpsProjectOptions));
  return outdir;
}

function edit(file: string, change: (doc: any) => void): void {
  const doc = YAML.parse(readFileSync(file, 'utf-8'));
  change(doc);
  writeFileSync(file, YAML.stringify(doc));
}

const permissions = (results: readonly CheckResult[]) => results.find((r) => r.name === 'project permissions')!;
const key = (k: { group: string; kind: string }) => `${k.group}/${k.kind}`;

/** The namespaced kinds the Applications of `project` render, and that project's namespaceResourceWhitelist. */
async function kindsOf(root: string, project: string): Promise<{ rendered: string[]; whitelist: string[]; apps: string[] }> {
  const repo = readRepo(root);
  const run = await renderApplications(repo, renderOptions());
  const apps = run.apps.filter((a) => a.input.project === project);
  const rendered = [...new Set(apps.flatMap((a) => a.objects.map((o) => `${groupOf(o.object.apiVersion)}/${o.object.kind}`)))]
    .filter((k) => !['apiextensions.k8s.io/CustomResourceDefinition', 'rbac.authorization.k8s.io/ClusterRole', 'rbac.authorization.k8s.io/ClusterRoleBinding'].includes(k))
    .sort();
  const doc = YAML.parse(readFileSync(join(root, 'argocd/argocd-project.yaml'), 'utf-8'));
  expect(doc.metadata.name).toBe(project);
  return { rendered, whitelist: doc.spec.namespaceResourceWhitelist.map(key).sort(), apps: apps.map((a) => a.input.name) };
}

let scaffold: string;
beforeAll(() => {
  scaffold = synthRepo();
});

test('default scaffold: Argo CD\'s AppProject allows exactly what argocd-metrics renders, and every object is permitted', async () => {
  const { rendered, whitelist, apps } = await kindsOf(scaffold, 'observability-argocd');
  expect(apps).toEqual(['in-cluster-argocd-metrics']);
  expect(whitelist).toEqual(['monitoring.coreos.com/ServiceMonitor']);
  expect(rendered).toEqual(whitelist);
  const check = permissions(await renderStage(readRepo(scaffold), renderOptions()));
  expect(check.problems).toEqual([]);
  expect(check.status).toBe('pass');
  expect(check.summary).toMatch(/^\d{3} objects, each a kind its Application's AppProject permits \(3 AppProjects\)$/);
});

test('self-managed Argo CD: the AppProject allows exactly the namespaced kinds its chart renders', async () => {
  const root = synthRepo({ argocd: { selfManaged: true } });
  const { rendered, whitelist, apps } = await kindsOf(root, 'observability-argocd');
  expect(apps).toEqual(['in-cluster-argo-cd']);
  expect(rendered).toContain('monitoring.coreos.com/ServiceMonitor');
  expect(rendered).toContain('apps/Deployment');
  expect(whitelist).toEqual(rendered);
});

test('a repository broken on purpose: each object a project does not permit is named with its Application and project', async () => {
  const root = dirs.make('obs-gitops-projects-broken-');
  cpSync(scaffold, root, { recursive: true });
  // Argo CD's namespace: the ServiceMonitor is no longer allowed
  edit(join(root, 'argocd/argocd-project.yaml'), (d) => {
    d.spec.namespaceResourceWhitelist = [{ group: '', kind: 'ConfigMap' }];
  });
  // the stack's project: no ClusterRole, and ConfigMaps blacklisted
  edit(join(root, 'argocd/apps/project.yaml'), (d) => {
    d.spec.clusterResourceWhitelist = d.spec.clusterResourceWhitelist.filter((k: any) => k.kind !== 'ClusterRole');
    d.spec.namespaceResourceBlacklist.push({ group: '', kind: 'ConfigMap' });
  });
  // the root Application without its exclude would sync the AppProject that governs the stack
  edit(join(root, 'argocd/root.yaml'), (d) => {
    delete d.spec.source.directory.exclude;
  });
  const check = permissions(await renderStage(readRepo(root), renderOptions()));
  expect(check.status).toBe('fail');
  const text = check.problems.join('\n');
  expect(text).toMatch(new RegExp('^Application in-cluster-argocd-metrics \\(argocd/apps/in-cluster/argocd-metrics\\.yaml\\): ServiceMonitor argocd/argocd-metrics ' +
    '\\[manifests/in-cluster/argocd-metrics/servicemonitor-argocd-metrics\\.yaml\\]: AppProject observability-argocd \\(argocd/argocd-project\\.yaml\\) ' +
    'does not permit monitoring\\.coreos\\.com/ServiceMonitor: not in its namespaceResourceWhitelist$', 'm'));
  expect(text).toMatch(/^Application in-cluster-alloy \(argocd\/apps\/in-cluster\/alloy\.yaml\): ClusterRole alloy \[chart alloy [\d.]+: .+\]: AppProject observability \(argocd\/apps\/project\.yaml\) does not permit rbac\.authorization\.k8s\.io\/ClusterRole: cluster-scoped and not in its clusterResourceWhitelist$/m);
  expect(text).toMatch(/^Application in-cluster-loki \(argocd\/apps\/in-cluster\/loki\.yaml\): ConfigMap .+: AppProject observability \(argocd\/apps\/project\.yaml\) does not permit core\/ConfigMap: in its namespaceResourceBlacklist$/m);
  expect(text).toMatch(/^Application observability-root \(argocd\/root\.yaml\): AppProject argocd\/observability \[argocd\/apps\/project\.yaml\]: AppProject observability-apps \(argocd\/root-project\.yaml\) does not permit argoproj\.io\/AppProject: not in its namespaceResourceWhitelist$/m);
  // nothing else: the Applications and ApplicationSets the root syncs stay permitted
  expect(check.problems.filter((p) => p.startsWith('Application observability-root '))).toHaveLength(1);
});

test('Argo CD\'s glob dialects: directory include/exclude (gobwas) and AppProject group/kind (filepath.Match)', () => {
  expect(argoGlob('project.yaml').test('project.yaml')).toBe(true);
  expect(argoGlob('project.yaml').test('in-cluster/project.yaml')).toBe(false);
  expect(argoGlob('*.yaml').test('in-cluster/loki.yaml')).toBe(true); // `*` crosses "/"
  expect(argoGlob('{project,other}.yaml').test('other.yaml')).toBe(true);
  expect(argoGlob('[!p]*.yaml').test('project.yaml')).toBe(false);
  expect(argoGlob('a.b').test('axb')).toBe(false);
  expect(projectGlob('*').test('')).toBe(true);
  expect(projectGlob('monitoring.*').test('monitoring.coreos.com')).toBe(true);
  expect(projectGlob('*Monitor').test('PodMonitor')).toBe(true);
  expect(projectGlob('*').test('a/b')).toBe(false);
  expect(projectGlob('Config?ap').test('ConfigMap')).toBe(true);
});
