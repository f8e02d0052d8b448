import { ChartCatalog } from '../src';
import { synthFiles, synthRaw } from './util';

describe('default scaffold', () => {
  const files = synthFiles();

  test('writes the root Application, the AppProject, and per part an Application and its values file', () => {
    const apps = Object.keys(files).filter((f) => f.startsWith('argocd/apps/in-cluster/')).sort();
    expect(apps.length).toBeGreaterThanOrEqual(7);
    expect(files['argocd/root.yaml']).toBeDefined();
    expect(files['argocd/apps/project.yaml']).toBeDefined();
    for (const app of apps) {
      const part = app.replace('argocd/apps/in-cluster/', '').replace('.yaml', '');
      const hasChart = files[app].spec.sources.some((s: any) => s.chart);
      expect({ part, values: files[`values/${part}.yaml`] !== undefined }).toEqual({ part, values: hasChart });
    }
    // nothing else under argocd/ and values/ but the root's AppProject, the AppProject of the parts in
    // Argo CD's namespace (argocd-metrics) and the user-owned overrides README
    const generated = Object.keys(files).filter((f) => f.startsWith('argocd/') || f.startsWith('values/'));
    const valuesFiles = generated.filter((f) => f.startsWith('values/') && f !== 'values/overrides/README.md');
    expect(files['argocd/root-project.yaml'].kind).toBe('AppProject');
    expect(files['argocd/argocd-project.yaml'].kind).toBe('AppProject');
    expect(generated.length).toBe(4 + apps.length + valuesFiles.length + 1);
  });

  test('the root Application syncs the apps folder recursively but not the AppProject, in its own project', () => {
    const root = files['argocd/root.yaml'];
    expect(root.kind).toBe('Application');
    expect(root.metadata).toMatchObject({ name: 'observability-root', namespace: 'argocd' });
    expect(root.spec.project).toBe('observability-apps');
    expect(root.spec.source).toEqual({
      repoURL: 'https://github.com/acme/observability.git',
      targetRevision: 'main',
      path: 'argocd/apps',
      directory: { recurse: true, exclude: 'project.yaml' },
    });
    expect(root.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'argocd' });
  });

  test('kube-prometheus-stack: chart at the catalog pin, values from Git, synced after the CRDs', () => {
    const app = files['argocd/apps/in-cluster/kube-prometheus-stack.yaml'];
    const pin = ChartCatalog.get('kube-prometheus-stack');
    expect(app.metadata.name).toBe('in-cluster-kube-prometheus-stack');
    expect(app.spec.sources).toEqual([
      {
        repoURL: pin.repoUrl,
        chart: 'kube-prometheus-stack',
        targetRevision: pin.version,
        helm: {
          releaseName: 'kube-prometheus-stack',
          valueFiles: ['$values/values/kube-prometheus-stack.yaml', '$values/values/overrides/kube-prometheus-stack.yaml'],
          ignoreMissingValueFiles: true,
          // The CRDs are prometheus-operator-crds' (test/synth-fixes/kps-crds.test.ts).
          skipCrds: true,
        },
      },
      { repoURL: 'https://github.com/acme/observability.git', targetRevision: 'main', ref: 'values' },
    ]);
    expect(app.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'monitoring' });
    expect(app.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    expect(app.spec.syncPolicy.syncOptions).toEqual(['CreateNamespace=true', 'ServerSideApply=true']);
    const crds = files['argocd/apps/in-cluster/prometheus-operator-crds.yaml'];
    const wave = (a: any) => Number(a.metadata.annotations['argocd.argoproj.io/sync-wave']);
    expect(wave(crds)).toBeLessThan(wave(app));
    expect(crds.spec.sources[0].targetRevision).toBe(ChartCatalog.get('prometheus-operator-crds').version);
  });

  test('the AppProject lists only what the stack uses', () => {
    const project = files['argocd/apps/project.yaml'];
    expect(project.kind).toBe('AppProject');
    expect(project.metadata.name).toBe('observability');
    expect(project.spec.sourceRepos).toEqual([
      'https://github.com/acme/observability.git',
      'https://grafana-community.github.io/helm-charts',
      'https://grafana.github.io/helm-charts',
      'https://open-telemetry.github.io/opentelemetry-helm-charts',
      'https://prometheus-community.github.io/helm-charts',
    ]);
    const server = 'https://kubernetes.default.svc';
    expect(project.spec.destinations).toEqual(
      ['kube-system', 'logging', 'monitoring', 'opentelemetry-operator-system', 'tracing'].map((namespace) => ({ server, namespace })));
    expect(project.spec.clusterResourceWhitelist).toContainEqual({ group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' });
    expect(project.spec.clusterResourceWhitelist).toContainEqual({ group: '', kind: 'Namespace' });
    expect(project.spec.clusterResourceWhitelist).not.toContainEqual({ group: '*', kind: '*' });
  });

  test('kube-prometheus-stack values: CRDs off, selectors open, cluster label, admin from a Secret', () => {
    const values = files['values/kube-prometheus-stack.yaml'];
    expect(values.crds).toEqual({ enabled: false });
    expect(values.prometheus.prometheusSpec).toMatchObject({
      retention: '15d',
      serviceMonitorSelectorNilUsesHelmValues: false,
      podMonitorSelectorNilUsesHelmValues: false,
      ruleSelectorNilUsesHelmValues: false,
      externalLabels: { cluster: 'in-cluster' },
    });
    expect(values.grafana.admin).toEqual({ existingSecret: 'grafana-admin-credentials', userKey: 'admin-user', passwordKey: 'admin-password' });
    expect(JSON.stringify(values)).not.toMatch(/adminPassword/);
  });

  test('generated files carry the projen marker and are tracked for deletion', () => {
    const raw = synthRaw();
    expect(raw['argocd/root.yaml']).toMatch(/^# ~~ Generated by projen/);
    expect(raw['values/kube-prometheus-stack.yaml']).toMatch(/^# ~~ Generated by projen/);
    const tracked: string[] = raw['.projen/files.json'].files;
    expect(tracked).toEqual(expect.arrayContaining([
      'argocd/root.yaml', 'argocd/apps/project.yaml', 'values/kube-prometheus-stack.yaml', 'README.md',
    ]));
    expect(tracked).not.toContain('values/overrides/README.md');
  });

  test('the generated package.json pins the library and a TypeScript runner that works offline', () => {
    const pkg = files['package.json'];
    expect(Object.keys(pkg.devDependencies)).toEqual(expect.arrayContaining(['obs-gitops-template', 'projen', 'ts-node', 'typescript']));
    expect(pkg.devDependencies.typescript).toMatch(/^~5\.9/);
    // the local ts-node (type-checking), not through `npx -y -p ts-node`: no npm process per synth
    expect(files['.projen/tasks.json'].tasks.default.steps).toEqual([
      { execArgs: ['ts-node', '--project', 'tsconfig.projen.json', '.projenrc.ts'] },
    ]);
    // ES2022 and Node's own types, not TypeScript's default ES5 + DOM libraries (a third of what ts-node parsed)
    expect(files['tsconfig.projen.json'].compilerOptions).toEqual({ lib: ['es2022'] });
  });

  test('README explains the bootstrap and how to change the stack', () => {
    const readme: string = files['README.md'];
    expect(readme).toContain('kubectl apply -n argocd -f argocd/root.yaml');
    expect(readme).toContain('kubectl apply -n argocd -f argocd/apps/project.yaml');
    expect(readme).toContain('Edit `.projenrc.ts`');
    expect(readme).toContain('npx projen');
    expect(readme).toMatch(/\| `kube-prometheus-stack` \|/);
  });
});

describe('options change the output', () => {
  test('turning metrics off removes its Applications and values', () => {
    const files = synthFiles({ metrics: { enabled: false } });
    expect(Object.keys(files).filter((f) => /prometheus|grafana/.test(f))).toEqual([]);
    expect(files['argocd/root.yaml']).toBeDefined();
  });

  test('namespace, retention, revision, project name and Argo CD namespace flow into every file', () => {
    const files = synthFiles({
      gitRevision: 'release/2026-11',
      argocdNamespace: 'gitops',
      appProjectName: 'platform-observability',
      metrics: { namespace: 'observability', retention: '30d' },
    });
    const app = files['argocd/apps/in-cluster/kube-prometheus-stack.yaml'];
    expect(app.metadata.namespace).toBe('gitops');
    expect(app.spec.project).toBe('platform-observability');
    expect(app.spec.destination.namespace).toBe('observability');
    expect(app.spec.sources[1].targetRevision).toBe('release/2026-11');
    expect(files['values/kube-prometheus-stack.yaml'].prometheus.prometheusSpec.retention).toBe('30d');
    expect(files['argocd/root.yaml'].metadata.name).toBe('platform-observability-root');
  });

  test('valuesOverrides deep-merge into the generated values', () => {
    const files = synthFiles({
      valuesOverrides: {
        'kube-prometheus-stack': { alertmanager: { enabled: false }, prometheus: { prometheusSpec: { retentionSize: '40GB' } } },
      },
    });
    const spec = files['values/kube-prometheus-stack.yaml'].prometheus.prometheusSpec;
    expect(spec.retentionSize).toBe('40GB');
    expect(spec.retention).toBe('15d');
    expect(files['values/kube-prometheus-stack.yaml'].alertmanager).toMatchObject({ enabled: false });
  });

  test('several clusters: one Application per cluster, cluster values in their own files', () => {
    const files = synthFiles({
      clusters: [
        { name: 'prod-eu-1', server: 'https://prod-eu-1.example.com:6443' },
        { name: 'prod-us-1', server: 'https://prod-us-1.example.com:6443' },
      ],
    });
    const eu = files['argocd/apps/prod-eu-1/kube-prometheus-stack.yaml'];
    expect(eu.metadata.name).toBe('prod-eu-1-kube-prometheus-stack');
    expect(eu.spec.destination.server).toBe('https://prod-eu-1.example.com:6443');
    expect(eu.spec.sources[0].helm.valueFiles).toEqual([
      '$values/values/kube-prometheus-stack.yaml',
      '$values/values/clusters/prod-eu-1/kube-prometheus-stack.yaml',
      '$values/values/overrides/kube-prometheus-stack.yaml',
      '$values/values/overrides/clusters/prod-eu-1/kube-prometheus-stack.yaml',
    ]);
    expect(files['values/clusters/prod-us-1/kube-prometheus-stack.yaml'].prometheus.prometheusSpec.externalLabels).toEqual({ cluster: 'prod-us-1' });
    expect(files['values/kube-prometheus-stack.yaml'].prometheus.prometheusSpec.externalLabels).toBeUndefined();
    expect(files['values/clusters/prod-eu-1/prometheus-operator-crds.yaml']).toBeUndefined();
    const destinations = files['argocd/apps/project.yaml'].spec.destinations;
    expect(destinations).toContainEqual({ server: 'https://prod-us-1.example.com:6443', namespace: 'monitoring' });
  });

  test('generatedReadme: false leaves README.md to the user', () => {
    const files = synthRaw({ generatedReadme: false });
    expect(files['README.md']).not.toContain('Generated by projen');
    expect(files['.projen/files.json'].files).not.toContain('README.md');
  });

  test('synth is deterministic', () => {
    expect(synthRaw()).toEqual(synthRaw());
  });
});
