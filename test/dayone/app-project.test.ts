import { synthFiles } from '../util';

/*
 * Security defaults of the Argo CD projects: the stack's Applications can never write into Argo
 * CD's own namespace (where an Application, AppProject or repository Secret would widen what Argo
 * CD deploys), and no AppProject is synced by the root Application it governs.
 */

const IN_CLUSTER = 'https://kubernetes.default.svc';
const ARGO_KINDS = ['Application', 'ApplicationSet', 'AppProject'].map((kind) => ({ group: 'argoproj.io', kind }));

function apps(files: Record<string, any>): any[] {
  return Object.entries(files).filter(([f, v]) => f.includes('/apps/') && v?.kind === 'Application').map(([, v]) => v);
}

/** Is the destination allowed by the project (exact entries, as this library writes them)? */
function allows(project: any, d: { server?: string; name?: string; namespace: string }): boolean {
  return project.spec.destinations.some((x: any) => (x.server ?? x.name) === (d.server ?? d.name) && x.namespace === d.namespace);
}

describe('a single cluster', () => {
  const files = synthFiles();
  const stack = files['argocd/apps/project.yaml'];
  const root = files['argocd/root.yaml'];
  const rootProject = files['argocd/root-project.yaml'];

  test('the stack\'s AppProject has no destination in the argocd namespace and refuses Argo CD\'s own kinds', () => {
    expect(stack.spec.destinations.length).toBeGreaterThan(3);
    expect(stack.spec.destinations.filter((d: any) => d.namespace === 'argocd' || d.namespace === '*')).toEqual([]);
    expect(stack.spec.namespaceResourceBlacklist).toEqual(ARGO_KINDS);
    // Every stack Application runs under the stack's project, but the ones that deploy into Argo CD's
    // namespace (here argocd-metrics, the ServiceMonitor of Argo CD's metrics), under their own.
    const argocdProject = files['argocd/argocd-project.yaml'];
    for (const app of apps(files)) {
      const intoArgoCd = app.spec.destination.namespace === 'argocd';
      const project = intoArgoCd ? argocdProject : stack;
      expect(app.spec.project).toBe(project.metadata.name);
      expect({ app: app.metadata.name, allowed: allows(project, app.spec.destination) }).toEqual({ app: app.metadata.name, allowed: true });
    }
    expect(argocdProject.spec.destinations).toEqual([{ server: IN_CLUSTER, namespace: 'argocd' }]);
    // and only the kinds its parts render there: argocd-metrics' ServiceMonitor (test/render/project-permissions.test.ts renders it)
    expect(argocdProject.spec.namespaceResourceWhitelist).toEqual([{ group: 'monitoring.coreos.com', kind: 'ServiceMonitor' }]);
  });

  test('the root Application does not sync the AppProject that governs the stack, and runs under its own narrow project', () => {
    expect(root.spec.source.path).toBe('argocd/apps');
    expect(root.spec.source.directory).toEqual({ recurse: true, exclude: 'project.yaml' });
    expect(root.spec.project).toBe(rootProject.metadata.name);
    expect(rootProject.metadata.name).toBe(`${stack.metadata.name}-apps`);
    expect(rootProject.spec).toMatchObject({
      sourceRepos: [root.spec.source.repoURL],
      destinations: [{ server: IN_CLUSTER, namespace: 'argocd' }],
      clusterResourceWhitelist: [],
      namespaceResourceWhitelist: [{ group: 'argoproj.io', kind: 'Application' }, { group: 'argoproj.io', kind: 'ApplicationSet' }],
    });
    // the root project's file is outside the folder the root syncs
    expect(Object.keys(files).filter((f) => f.startsWith('argocd/apps/') && files[f]?.kind === 'AppProject')).toEqual(['argocd/apps/project.yaml']);
  });

  test('the bootstrap script applies every AppProject before the root Application', () => {
    const script: string = files['scripts/bootstrap.sh'];
    expect(script).toContain("readonly PROJECT_FILES=('argocd/root-project.yaml' 'argocd/apps/project.yaml' 'argocd/argocd-project.yaml')");
    const readme: string = files['README.md'];
    expect(readme.indexOf('kubectl apply -n argocd -f argocd/root-project.yaml')).toBeGreaterThan(0);
    expect(readme.indexOf('kubectl apply -n argocd -f argocd/apps/project.yaml')).toBeLessThan(readme.indexOf('kubectl apply -n argocd -f argocd/root.yaml'));
  });
});

test('a self-managed Argo CD gets its own AppProject, the only one allowing the argocd namespace', () => {
  const files = synthFiles({ argocd: { selfManaged: true } as any });
  const stack = files['argocd/apps/project.yaml'];
  const own = files['argocd/argocd-project.yaml'];
  const argoCdApp = files['argocd/apps/in-cluster/argo-cd.yaml'];
  expect(argoCdApp.spec.project).toBe(own.metadata.name);
  expect(own.spec.destinations).toEqual([{ server: IN_CLUSTER, namespace: 'argocd' }]);
  expect(own.spec.sourceRepos).toContain(argoCdApp.spec.sources[0].repoURL);
  expect(stack.spec.destinations.map((d: any) => d.namespace)).not.toContain('argocd');
  expect(stack.spec.sourceRepos).not.toContain(argoCdApp.spec.sources[0].repoURL);
  expect(files['scripts/bootstrap.sh']).toContain("readonly PROJECT_FILES=('argocd/root-project.yaml' 'argocd/apps/project.yaml' 'argocd/argocd-project.yaml')");
});

test('environments: each has its own root project and a stack project without the argocd namespace', () => {
  const files = synthFiles({
    environments: [{ name: 'dev' }, { name: 'prod' }],
    clusters: [{ name: 'dev-1', environment: 'dev' }, { name: 'prod-1', environment: 'prod', server: 'https://prod.example.com' }],
  } as any);
  for (const env of ['dev', 'prod']) {
    const stack = files[`argocd/${env}/apps/project.yaml`];
    const root = files[`argocd/${env}/root.yaml`];
    expect(root.spec.project).toBe(files[`argocd/${env}/root-project.yaml`].metadata.name);
    expect(root.spec.source.directory.exclude).toBe('project.yaml');
    expect(stack.spec.destinations.filter((d: any) => d.namespace === 'argocd')).toEqual([]);
    for (const app of apps(files).filter((a) => a.spec.project === stack.metadata.name)) expect(allows(stack, app.spec.destination)).toBe(true);
  }
});
