import { spawnSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import {
  ApplicationSetGenerator, FleetMode, LokiMode, MetricsBackend, ObjectStorageProvider, ObservabilityGitOpsProject,
  ObservabilityGitOpsProjectOptions, Profile, ReceiverType, TempoMode,
} from '../src';
import { renderOptions, renderProblems } from './support/render';
import { BASE, fleetOf, synthFiles, synthToDisk } from './util';
import { chartDefaults } from '../src/catalog/chart-defaults';
import { applicationSet } from '../src/render/argocd';
import { valuesLayers } from '../src/render/layout';
import { argoApplications, readRepo } from '../src/validate/repo';
import { formatResults, validate } from '../src/validate/run';

/*
 * Beyond one cluster: environments with overrides, the fleet as per-cluster
 * Application folders or ApplicationSets, profiles, the distributed backends
 * on object storage, and the errors of each.
 */

const ENVIRONMENTS: Partial<ObservabilityGitOpsProjectOptions> = {
  environments: [
    { name: 'dev', traces: { samplerRatio: 1 }, metrics: { retention: '3d' } },
    { name: 'staging' },
    { name: 'prod', traces: { samplerRatio: 0.1 }, metrics: { retention: '30d', prometheusReplicas: 2 } },
  ],
  clusters: [
    { name: 'dev-1', environment: 'dev' },
    { name: 'staging-1', environment: 'staging', server: 'https://staging.example.com' },
    { name: 'prod-eu', environment: 'prod', server: 'https://eu.example.com', region: 'eu-west-1', labels: { tier: 'gold' } },
    { name: 'prod-us', environment: 'prod', destinationName: 'prod-us-east' },
  ],
};

const S3 = { provider: ObjectStorageProvider.S3, region: 'eu-west-1', secretName: 'obs-s3' };

/** Three environments, five clusters, distributed: one central cluster per environment, the others ship to it. */
const FLEET: Partial<ObservabilityGitOpsProjectOptions> = {
  profile: Profile.DISTRIBUTED,
  objectStorage: S3,
  metrics: { remoteWriteUrl: 'https://mimir.example.com/api/v1/push' },
  logs: { pushUrl: 'https://loki.example.com/loki/api/v1/push' },
  traces: { otlpEndpoint: 'tempo.example.com:4317', kafkaAddress: 'kafka.streaming.svc:9092' },
  sizing: { activeSeries: 500_000, logGbPerDay: 120, spansPerSecond: 30_000 },
  alerting: {
    receivers: [{ name: 'oncall', type: ReceiverType.PAGERDUTY, secretName: 'pagerduty', secretKey: 'routing-key' }],
  },
  environments: [
    { name: 'dev', traces: { mode: TempoMode.MONOLITHIC, samplerRatio: 1 }, logs: { mode: LokiMode.SIMPLE_SCALABLE } },
    {
      name: 'staging',
      metrics: { backend: MetricsBackend.THANOS },
      alerting: { receivers: [{ name: 'chat', type: ReceiverType.SLACK, secretName: 'chat', secretKey: 'url', channel: '#staging' }], pagingReceiver: undefined },
    },
    { name: 'prod', traces: { samplerRatio: 0.05 } },
  ],
  clusters: [
    { name: 'dev-1', environment: 'dev', server: 'https://dev-1.example.com' },
    { name: 'staging-1', environment: 'staging', server: 'https://staging.example.com' },
    { name: 'prod-hub', environment: 'prod', central: true },
    { name: 'prod-eu', environment: 'prod', server: 'https://eu.example.com', region: 'eu-west-1' },
    { name: 'prod-us', environment: 'prod', server: 'https://us.example.com', region: 'us-east-1' },
  ],
};

function paths(files: Record<string, unknown>, prefix: string): string[] {
  return Object.keys(files).filter((f) => f.startsWith(prefix)).sort();
}

/** Every null in a values layer (Helm deletes that key, chart defaults included). */
function nulls(node: unknown, at: string[] = []): string[] {
  if (node === null) return [at.join('.')];
  if (typeof node !== 'object') return [];
  return Object.entries(node as Record<string, unknown>).flatMap(([k, v]) => nulls(v, [...at, k]));
}

/** The value at a dotted path (undefined where the path ends early). */
function valueAt(node: unknown, dotted: string): unknown {
  return dotted.split('.').reduce((n: any, k) => (n === undefined || n === null ? undefined : n[k]), node);
}

/** Nulls of a group layer that would delete a map or a list of the base layer (and with it the chart's defaults beneath). */
function deletedStructures(files: Record<string, any>, layer: string): string[] {
  const base = files[`values/${layer.split('/').pop()}`] ?? {};
  return nulls(files[layer]).filter((p) => {
    const v = valueAt(base, p);
    return v !== null && typeof v === 'object';
  });
}

describe('environments', () => {
  const files = synthFiles(ENVIRONMENTS);

  test('one root Application and AppProject per environment, Applications under the environment', () => {
    for (const env of ['dev', 'staging', 'prod']) {
      expect(files[`argocd/${env}/root.yaml`].metadata.name).toBe(`observability-${env}-root`);
      expect(files[`argocd/${env}/root.yaml`].spec.source.path).toBe(`argocd/${env}/apps`);
      expect(files[`argocd/${env}/apps/project.yaml`].metadata.name).toBe(`observability-${env}`);
    }
    expect(files['argocd/root.yaml']).toBeUndefined();
    expect(files['argocd/prod/apps/prod-eu/kube-prometheus-stack.yaml'].spec.project).toBe('observability-prod');
    expect(files['argocd/dev/apps/prod-eu/kube-prometheus-stack.yaml']).toBeUndefined();
  });

  test('an AppProject allows only its environment\'s clusters, by server or by Argo CD name', () => {
    const destinations = files['argocd/prod/apps/project.yaml'].spec.destinations as Array<Record<string, string>>;
    const targets = new Set(destinations.map((d) => d.server ?? `name:${d.name}`));
    // not the in-cluster server: the stack's AppProject never allows Argo CD's own namespace
    expect([...targets].sort()).toEqual(['https://eu.example.com', 'name:prod-us-east']);
    expect(files['argocd/prod/apps/prod-us/loki.yaml'].spec.destination).toEqual({ name: 'prod-us-east', namespace: 'logging' });
  });

  test('an environment\'s values layer holds only what it changes', () => {
    expect(files['values/environments/prod/kube-prometheus-stack.yaml']).toEqual({
      prometheus: { prometheusSpec: { retention: '30d', replicas: 2 } },
    });
    expect(files['values/environments/dev/kube-prometheus-stack.yaml']).toEqual({ prometheus: { prometheusSpec: { retention: '3d' } } });
    // staging changes nothing: no file, and its Applications do not name one.
    expect(files['values/environments/staging/kube-prometheus-stack.yaml']).toBeUndefined();
    const valueFiles = files['argocd/prod/apps/prod-eu/kube-prometheus-stack.yaml'].spec.sources[0].helm.valueFiles;
    expect(valueFiles).toEqual([
      '$values/values/kube-prometheus-stack.yaml',
      '$values/values/environments/prod/kube-prometheus-stack.yaml',
      '$values/values/clusters/prod-eu/kube-prometheus-stack.yaml',
      '$values/values/overrides/kube-prometheus-stack.yaml',
      '$values/values/overrides/environments/prod/kube-prometheus-stack.yaml',
      '$values/values/overrides/clusters/prod-eu/kube-prometheus-stack.yaml',
    ]);
    expect(files['argocd/staging/apps/staging-1/kube-prometheus-stack.yaml'].spec.sources[0].helm.valueFiles)
      .not.toContain('$values/values/environments/staging/kube-prometheus-stack.yaml');
  });

  test('every cluster\'s metrics carry cluster, environment, region and its labels', () => {
    expect(files['values/clusters/prod-eu/kube-prometheus-stack.yaml'].prometheus.prometheusSpec.externalLabels)
      .toEqual({ tier: 'gold', region: 'eu-west-1', environment: 'prod', cluster: 'prod-eu' });
    expect(files['values/clusters/dev-1/kube-prometheus-stack.yaml'].prometheus.prometheusSpec.externalLabels)
      .toEqual({ environment: 'dev', cluster: 'dev-1' });
  });

  test('scripts/bootstrap.sh applies every environment\'s AppProject and root Application', () => {
    const script: string = files['scripts/bootstrap.sh'];
    expect(script).toContain("readonly PROJECT_FILES=('argocd/dev/root-project.yaml' 'argocd/dev/apps/project.yaml' 'argocd/dev/argocd-project.yaml' " +
      "'argocd/staging/root-project.yaml' 'argocd/staging/apps/project.yaml' 'argocd/staging/argocd-project.yaml' " +
      "'argocd/prod/root-project.yaml' 'argocd/prod/apps/project.yaml' 'argocd/prod/argocd-project.yaml')");
    expect(script).toContain("readonly ROOT_FILES=('argocd/dev/root.yaml' 'argocd/staging/root.yaml' 'argocd/prod/root.yaml')");
    expect(script).toContain('prod-us: Argo CD cluster "prod-us-east"');
    const r = spawnSync('bash', ['-n'], { input: script, encoding: 'utf-8' });
    expect(r.status).toBe(0);
  });

  test('an environment can run another chart version (dev first)', () => {
    const canary = synthFiles({ ...ENVIRONMENTS, environments: [{ name: 'dev', chartVersions: { loki: '18.11.1' } }, { name: 'staging' }, { name: 'prod' }] });
    expect(canary['argocd/dev/apps/dev-1/loki.yaml'].spec.sources[0].targetRevision).toBe('18.11.1');
    expect(canary['argocd/prod/apps/prod-eu/loki.yaml'].spec.sources[0].targetRevision).toBe('18.11.0');
  });

  test('the sampling ratio differs per environment', () => {
    const sampler = (cluster: string) => files[`manifests/${cluster}/opentelemetry-resources/instrumentation-default.yaml`]?.spec.sampler.argument;
    expect(sampler('dev-1')).toBe('1');
    expect(sampler('prod-eu')).toBe('0.1');
    expect(sampler('prod-us')).toBe('0.1');
  });
});

describe('ApplicationSets', () => {
  // One kind of destination per group (servers here), as an ApplicationSet template needs.
  const BY_SERVER = {
    ...ENVIRONMENTS,
    clusters: ENVIRONMENTS.clusters!.map((c) => (c.destinationName === undefined ? c : { ...c, destinationName: undefined, server: `https://${c.destinationName}.example.com` })),
  };
  const folders = synthFiles(ENVIRONMENTS);
  const list = synthFiles({ ...BY_SERVER, argocd: { fleetMode: FleetMode.APPLICATION_SETS } });
  const byCluster = synthFiles({
    ...BY_SERVER, argocd: { fleetMode: FleetMode.APPLICATION_SETS, applicationSetGenerator: ApplicationSetGenerator.CLUSTERS },
  });

  test('one ApplicationSet per part and environment instead of per-cluster folders', () => {
    expect(paths(list, 'argocd/prod/apps/').filter((f) => !f.includes('/applicationsets/'))).toEqual(['argocd/prod/apps/project.yaml']);
    expect(paths(list, 'argocd/prod/apps/applicationsets/')).toContain('argocd/prod/apps/applicationsets/kube-prometheus-stack.yaml');
    expect(list['argocd/prod/apps/applicationsets/loki.yaml'].metadata.name).toBe('prod-loki');
  });

  test('the list generator (snapshot)', () => {
    expect(list['argocd/prod/apps/applicationsets/kube-prometheus-stack.yaml']).toMatchSnapshot();
  });

  test('the cluster generator selects the declared clusters by label (snapshot)', () => {
    const appSet = byCluster['argocd/prod/apps/applicationsets/alloy.yaml'];
    expect(appSet.spec.generators).toEqual([{
      clusters: {
        selector: {
          matchExpressions: [
            { key: 'obs-gitops.io/cluster', operator: 'In', values: ['prod-eu', 'prod-us'] },
            { key: 'obs-gitops.io/environment', operator: 'In', values: ['prod'] },
          ],
        },
      },
    }]);
    expect(appSet).toMatchSnapshot();
    expect(byCluster['README.md']).toContain('obs-gitops.io/cluster=prod-eu obs-gitops.io/environment=prod');
  });

  test('they generate the Applications the folder mode writes (same names, sources, destinations)', () => {
    const outdir = synthToDisk(new ObservabilityGitOpsProject({
      ...BASE,
      outdir: mkdtempSync(join(tmpdir(), 'obs-gitops-appsets-')),
      gitRepoUrl: 'https://github.com/acme/observability.git',
      ...BY_SERVER,
      argocd: { fleetMode: FleetMode.APPLICATION_SETS },
    } as ObservabilityGitOpsProjectOptions));
    const generated = argoApplications(readRepo(outdir)).filter((d) => d.file.includes('/applicationsets/'));
    const folderApps = Object.entries(synthFiles(BY_SERVER))
      .filter(([f]) => /^argocd\/[^/]+\/apps\/[^/]+\/[^/]+\.yaml$/.test(f))
      .map(([, v]) => v);
    const shape = (a: any) => ({
      name: a.metadata.name, project: a.spec.project, sources: a.spec.sources, destination: a.spec.destination, finalizers: a.metadata.finalizers,
    });
    const sort = (xs: any[]) => xs.map(shape).sort((a, b) => a.name.localeCompare(b.name));
    expect(generated.length).toBe(folderApps.length);
    // ApplicationSets list every per-cluster values file (ignoreMissingValueFiles skips absent ones).
    const present = (f: string) => existsSync(join(outdir, f.replace('$values/', ''))) || f.includes('/overrides/');
    const withoutMissing = (a: any) => ({
      ...a,
      sources: a.sources.map((s: any) => (s.helm ? { ...s, helm: { ...s.helm, valueFiles: s.helm.valueFiles.filter(present) } } : s)),
    });
    expect(sort(generated.map((d) => d.value)).map(withoutMissing)).toEqual(sort(folderApps).map(withoutMissing));
    expect(folders['argocd/prod/apps/prod-eu/alloy.yaml'].metadata.name).toBe('prod-eu-alloy');
  });

  test('switching to ApplicationSets on re-sync deletes the Application files and keeps your files', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'obs-gitops-switch-'));
    const project = (fleetMode: FleetMode) => new ObservabilityGitOpsProject({
      ...BASE, outdir, gitRepoUrl: 'https://github.com/acme/observability.git', ...BY_SERVER, argocd: { fleetMode },
    } as ObservabilityGitOpsProjectOptions);
    synthToDisk(project(FleetMode.APPLICATIONS));
    expect(existsSync(join(outdir, 'argocd/prod/apps/prod-eu/loki.yaml'))).toBe(true);
    mkdirSync(join(outdir, 'values/overrides/environments/prod'), { recursive: true });
    writeFileSync(join(outdir, 'values/overrides/environments/prod/loki.yaml'), 'loki: {}\n');
    synthToDisk(project(FleetMode.APPLICATION_SETS));
    expect(readdirSync(join(outdir, 'argocd/prod/apps/prod-eu'))).toEqual([]);
    expect(existsSync(join(outdir, 'argocd/prod/apps/applicationsets/loki.yaml'))).toBe(true);
    expect(readFileSync(join(outdir, 'values/overrides/environments/prod/loki.yaml'), 'utf-8')).toBe('loki: {}\n');
  });

  test('a part with plain manifests on only some clusters of a group cannot be templated', () => {
    const fleet = fleetOf(BY_SERVER);
    const group = fleet.groups.find((g) => g.environment === 'prod')!;
    const part = group.model.parts.find((p) => p.name === 'alert-rules')!;
    const [first] = group.model.clusters;
    // as a part would that deploys something to one cluster only
    const uneven = { ...part, kustomizeDir: false, manifests: (c: typeof first) => (c === first ? part.manifests(c) : []) };
    expect(part.manifests(first).length).toBeGreaterThan(0);
    expect(() => applicationSet(fleet, group, part)).not.toThrow();
    expect(() => applicationSet(fleet, group, uneven))
      .toThrow(`ApplicationSet prod-alert-rules: part "alert-rules" has plain manifests on clusters ${first.name} but not on prod-us`);
  });

  test('a group mixing destination servers and names cannot be templated', () => {
    expect(() => synthFiles({ ...ENVIRONMENTS, argocd: { fleetMode: FleetMode.APPLICATION_SETS } }))
      .toThrow(/argocd\.fleetMode.*some are given by server, some by destinationName/s);
  });
});

describe('Thanos: the edges\' sidecars', () => {
  const THANOS: Partial<ObservabilityGitOpsProjectOptions> = {
    ...FLEET,
    metrics: { backend: MetricsBackend.THANOS },
    environments: [{ name: 'prod' }],
    clusters: [
      { name: 'prod-hub', environment: 'prod', central: true },
      { name: 'prod-eu', environment: 'prod', server: 'https://eu.example.com', thanosSidecarAddress: 'thanos-sidecar.eu.example.com:10901' },
      { name: 'prod-us', environment: 'prod', server: 'https://us.example.com' },
    ],
  };

  test('Query reads the sidecars whose address is given; the synth warns about the others', () => {
    const files = synthFiles(THANOS);
    // Helm replaces a list: the environment's layer holds the whole list
    expect(files['values/thanos.yaml'].additionalEndpoints).toHaveLength(1);
    expect(files['values/environments/prod/thanos.yaml'].additionalEndpoints).toEqual([
      'dnssrv+_grpc._tcp.kube-prometheus-stack-thanos-discovery.monitoring.svc.cluster.local',
      'thanos-sidecar.eu.example.com:10901',
    ]);
    expect(fleetOf(THANOS).warnings).toContainEqual(expect.stringMatching(/^clusters prod-us: without thanosSidecarAddress.*up to two hours/));
    expect(fleetOf(THANOS).warnings.join('\n')).not.toMatch(/prod-eu/);
  });

  test('an address on the central cluster, without Thanos, or not host:port is an error naming the cluster option', () => {
    const withClusters = (clusters: ObservabilityGitOpsProjectOptions['clusters'], more: Partial<ObservabilityGitOpsProjectOptions> = {}) =>
      () => fleetOf({ ...THANOS, ...more, clusters });
    expect(withClusters([{ ...THANOS.clusters![0], thanosSidecarAddress: 'hub.example.com:10901' }, THANOS.clusters![1]]))
      .toThrow(/clusters\[0\]\.thanosSidecarAddress.*central cluster "prod-hub".*set it on the edge clusters/);
    expect(withClusters(THANOS.clusters!, { metrics: { remoteWriteUrl: 'https://mimir.example.com/api/v1/push' } }))
      .toThrow(/clusters\[1\]\.thanosSidecarAddress.*prod-eu of environment "prod" does not ship to a central Thanos.*MetricsBackend\.THANOS/);
    expect(withClusters([THANOS.clusters![0], { ...THANOS.clusters![1], thanosSidecarAddress: 'https://eu.example.com' }]))
      .toThrow(/clusters\[1\]\.thanosSidecarAddress.*is not a host:port endpoint \(for example "thanos-sidecar\.eu-1\.example\.com:10901"\)/);
  });
});

test('a single-node environment in a distributed project does not inherit the distributed settings', () => {
  const files = synthFiles({
    ...FLEET,
    environments: [{ name: 'dev', profile: Profile.SINGLE_NODE }, { name: 'prod' }],
    clusters: FLEET.clusters!.filter((c) => c.environment !== 'staging'),
  });
  // With centralAuth (on by default) remote write is per cluster (its tenant): the shared layers have none to undo.
  expect(files['values/kube-prometheus-stack.yaml'].prometheus.prometheusSpec.remoteWrite).toBeUndefined();
  expect(files['values/environments/dev/kube-prometheus-stack.yaml'].prometheus.prometheusSpec.remoteWrite).toBeUndefined();
  expect(files['values/clusters/dev-1/kube-prometheus-stack.yaml'].prometheus.prometheusSpec.remoteWrite).toBeUndefined();
  expect(files['argocd/dev/apps/dev-1/tempo.yaml'].spec.sources[0].chart).toBe('tempo');
  expect(files['argocd/dev/apps/dev-1/mimir.yaml']).toBeUndefined();
  expect(files['values/environments/dev/loki.yaml'].deploymentMode).toBe('Monolithic');
  for (const f of paths(files, 'values/environments/dev/')) expect([f, deletedStructures(files, f)]).toEqual([f, []]);
  // What the single binary does not use is removed leaf by leaf (keys the chart does not set)...
  expect(nulls(files['values/environments/dev/loki.yaml'])).toContain('loki.storage.bucketNames.chunks');
  // ... or goes back to the chart's default (s3.insecure: false, which the base also sets)
  expect(files['values/environments/dev/loki.yaml'].loki.storage.s3).toEqual({ region: null });
});

test('no values layer deletes a key the chart has a default for (it restores the default)', () => {
  const fleets = [FLEET, {
    ...FLEET,
    environments: [{ name: 'dev', profile: Profile.SINGLE_NODE }, { name: 'prod', profile: Profile.HA }],
    clusters: FLEET.clusters!.filter((c) => c.environment !== 'staging'),
  }];
  let checked = 0;
  for (const options of fleets) {
    const fleet = fleetOf(options);
    for (const group of fleet.groups) {
      for (const part of group.model.parts) {
        const layer = valuesLayers(fleet, group, part).group?.values;
        if (!layer || !part.chart) continue;
        const defaults = chartDefaults(part.chart);
        // mimir-distributed's values.yaml was not in the reference (see reference/PROVENANCE.md)
        if (part.chart.name === 'mimir-distributed') continue;
        expect(defaults).toBeDefined();
        for (const at of nulls(layer)) {
          checked++;
          const chartValue = valueAt(defaults, at);
          expect({ part: part.name, at, chartValue }).toEqual({ part: part.name, at, chartValue: undefined });
        }
      }
    }
  }
  expect(checked).toBeGreaterThan(0); // the nulls exist (Loki's bucket names, ...): the check is not vacuous
});

describe('profiles', () => {
  test('HA: a Prometheus pair, an Alertmanager cluster of three, two Grafanas, PDBs and anti-affinity', () => {
    const v = synthFiles({ profile: Profile.HA })['values/kube-prometheus-stack.yaml'];
    expect(v.prometheus.prometheusSpec).toMatchObject({ replicas: 2, podAntiAffinity: 'hard' });
    expect(v.prometheus.podDisruptionBudget).toEqual({ enabled: true });
    expect(v.alertmanager.alertmanagerSpec).toMatchObject({ replicas: 3 });
    expect(v.alertmanager.podDisruptionBudget).toEqual({ enabled: true });
    expect(v.grafana).toMatchObject({ replicas: 2, podDisruptionBudget: { maxUnavailable: 1 } });
  });

  test('explicit options win over the profile', () => {
    const v = synthFiles({ profile: Profile.HA, metrics: { prometheusReplicas: 3 } })['values/kube-prometheus-stack.yaml'];
    expect(v.prometheus.prometheusSpec.replicas).toBe(3);
  });

  test('HA with Mimir runs one Prometheus per cluster; a pair is an error (Mimir would store both copies)', () => {
    const mimir = { profile: Profile.HA, objectStorage: S3, metrics: { backend: MetricsBackend.MIMIR, remoteWriteUrl: 'https://mimir.example.com/api/v1/push' } };
    const v = synthFiles(mimir)['values/kube-prometheus-stack.yaml'];
    expect(v.prometheus.prometheusSpec.replicas).toBe(1);
    expect(v.alertmanager.alertmanagerSpec.replicas).toBe(3);
    expect(() => synthFiles({ ...mimir, metrics: { ...mimir.metrics, prometheusReplicas: 2 } }))
      .toThrow(/metrics\.prometheusReplicas.*must be 1 with metrics\.backend MetricsBackend\.MIMIR.*HA tracker.*Consul or etcd.*MetricsBackend\.THANOS/s);
    // Thanos deduplicates a pair at query time: HA keeps two there.
    const thanos = synthFiles({ profile: Profile.HA, objectStorage: S3, metrics: { backend: MetricsBackend.THANOS } })['values/kube-prometheus-stack.yaml'];
    expect(thanos.prometheus.prometheusSpec.replicas).toBe(2);
  });

  test('single node (the default) keeps the embedded defaults', () => {
    const v = synthFiles({})['values/kube-prometheus-stack.yaml'];
    expect(v.prometheus.prometheusSpec.replicas).toBe(1);
    expect(v.prometheus.prometheusSpec.podAntiAffinity).toBe('soft');
    expect(v.prometheus.podDisruptionBudget).toEqual({ enabled: false });
    expect(synthFiles({})['values/loki.yaml'].deploymentMode).toBe('Monolithic');
  });
});

describe('distributed fleet: three environments, five clusters', () => {
  const files = synthFiles(FLEET);

  test('the central clusters run the backends and Grafana, the edge clusters only ship', () => {
    const apps = (env: string, cluster: string) => paths(files, `argocd/${env}/apps/${cluster}/`).map((f) => f.split('/').pop()!.replace('.yaml', ''));
    expect(apps('prod', 'prod-hub')).toEqual(expect.arrayContaining(['mimir', 'loki', 'tempo', 'dashboards', 'kube-prometheus-stack']));
    for (const edge of ['prod-eu', 'prod-us']) {
      const parts = apps('prod', edge);
      expect(parts).toEqual(expect.arrayContaining(['kube-prometheus-stack', 'alloy', 'opentelemetry-resources']));
      for (const central of ['mimir', 'loki', 'tempo', 'dashboards', 'thanos']) expect(parts).not.toContain(central);
    }
    expect(apps('staging', 'staging-1')).toContain('thanos');
    expect(apps('staging', 'staging-1')).not.toContain('mimir');
  });

  test('Prometheus remote-writes to Mimir: in-cluster on the central cluster, through the given URL from the edges', () => {
    // Per cluster, with the cluster's tenant (centralAuth; test/central-auth.test.ts has the details).
    expect(files['values/clusters/prod-hub/kube-prometheus-stack.yaml'].prometheus.prometheusSpec.remoteWrite)
      .toEqual([{ url: 'http://mimir-distributor.monitoring.svc:8080/api/v1/push', headers: { 'X-Scope-OrgID': 'prod-hub' } }]);
    expect(files['values/clusters/prod-eu/kube-prometheus-stack.yaml'].prometheus.prometheusSpec.remoteWrite)
      .toEqual([expect.objectContaining({ url: 'https://mimir.example.com/api/v1/push', headers: { 'X-Scope-OrgID': 'prod-eu' } })]);
    expect(files['values/environments/prod/edge/kube-prometheus-stack.yaml'].grafana).toEqual({ enabled: false });
  });

  test('Grafana queries the central query endpoint', () => {
    const grafana = files['values/kube-prometheus-stack.yaml'].grafana;
    expect(grafana.sidecar.datasources.defaultDatasourceEnabled).toBe(false);
    expect(grafana.additionalDataSources[0]).toMatchObject({
      uid: 'prometheus', url: 'http://mimir-query-frontend.monitoring.svc:8080/prometheus', isDefault: true, jsonData: { prometheusType: 'Mimir' },
    });
    const staging = files['values/environments/staging/kube-prometheus-stack.yaml'];
    expect(staging.grafana.additionalDataSources[0]).toMatchObject({ url: 'http://thanos-query.monitoring.svc:10902', jsonData: { prometheusType: 'Thanos' } });
    expect(staging.prometheus.prometheusSpec.thanos).toEqual({ objectStorageConfig: { existingSecret: { name: 'thanos-objstore', key: 'objstore.yml' } } });
  });

  test('logs and traces from the edges go to the central Loki and Tempo', () => {
    expect(files['values/environments/prod/edge/alloy.yaml'].alloy.configMap.content).toContain('url = "https://loki.example.com/loki/api/v1/push"');
    const gateway = files['manifests/prod-eu/opentelemetry-resources/opentelemetrycollector-gateway.yaml'];
    expect(gateway.spec.config.exporters.otlp_grpc).toEqual({
      endpoint: 'tempo.example.com:4317', headers: { 'X-Scope-OrgID': 'prod-eu' }, auth: { authenticator: 'basicauth/central' },
    });
    const hubGateway = files['manifests/prod-hub/opentelemetry-resources/opentelemetrycollector-gateway.yaml'];
    expect(hubGateway.spec.config.exporters.otlp_grpc).toEqual({
      endpoint: 'tempo-distributor.tracing.svc:4317', tls: { insecure: true }, headers: { 'X-Scope-OrgID': 'prod-hub' },
    });
  });

  test('the backends keep their data in object storage, with credentials from the Secret only', () => {
    const loki = files['values/loki.yaml'];
    expect(loki.deploymentMode).toBe('Distributed');
    expect(loki.loki.storage).toMatchObject({ type: 's3', bucketNames: { chunks: 'obs-logs' }, s3: { region: 'eu-west-1' } });
    expect(loki.defaults.extraEnvFrom).toEqual([{ secretRef: { name: 'obs-s3' } }]);
    expect(files['values/tempo.yaml']).toMatchObject({ fullnameOverride: 'tempo', storage: { trace: { backend: 's3', s3: { bucket: 'obs-traces' } } } });
    expect(files['values/mimir.yaml'].mimir.structuredConfig.common.storage.s3).toMatchObject({
      bucket_name: 'obs-metrics', access_key_id: '${AWS_ACCESS_KEY_ID}', secret_access_key: '${AWS_SECRET_ACCESS_KEY}',
    });
    expect(files['values/environments/dev/loki.yaml'].deploymentMode).toBe('SimpleScalable');
    expect(files['README.md']).toContain('kubectl -n logging create secret generic obs-s3 --from-literal=AWS_ACCESS_KEY_ID=<value>');
    expect(files['README.md']).toContain('type: S3');
  });

  test('a group layer never deletes a map or a list (with the chart\'s defaults beneath), and profile keys stay in place', () => {
    const layers = paths(files, 'values/environments/');
    expect(layers.length).toBeGreaterThan(5);
    for (const f of layers) expect([f, deletedStructures(files, f)]).toEqual([f, []]);
    for (const f of layers.filter((l) => l.endsWith('kube-prometheus-stack.yaml'))) expect([f, nulls(files[f])]).toEqual([f, []]);
  });

  test('sizing shows in the values', () => {
    const mimir = files['values/environments/prod/mimir.yaml'];
    // 500k series on each of 3 clusters, replicated 3 times, 300k per ingester.
    expect(mimir.ingester.replicas).toBe(15);
    expect(files['values/kube-prometheus-stack.yaml'].prometheus.prometheusSpec.resources).toEqual({
      requests: { cpu: '250m', memory: '2466Mi' }, limits: { memory: '2466Mi' },
    });
    expect(files['values/loki.yaml'].ingester.replicas).toBe(3);
  });

  test('passes every check of obs-gitops validate, the real tools and the render stage included', async () => {
    // (a timeout of its own: five clusters render about 40 Applications)
    const outdir = synthToDisk(new ObservabilityGitOpsProject({
      ...BASE, outdir: mkdtempSync(join(tmpdir(), 'obs-gitops-fleet-')), gitRepoUrl: 'https://github.com/acme/obs.git', ...FLEET,
    } as ObservabilityGitOpsProjectOptions));
    const results = await validate(outdir, renderOptions());
    // mimir-distributed has no chart package here (see test/fixtures/chart-packages): its Applications alone stay unrendered.
    const bad = results.filter((r) => r.status !== 'pass' && renderProblems([r]).length > 0);
    if (bad.length > 0) throw new Error(formatResults(results));
    expect(results.find((r) => r.name === 'render' && r.status === 'pass')!.summary).toMatch(/^50 Applications into \d{3,} objects/);
    expect(results.find((r) => r.name === 'ownership')!.summary).toMatch(/on 5 clusters, each owned by one Application$/);
    expect(results.find((r) => r.name === 'amtool check-config')!.summary).toMatch(/^[2-9] amtool runs/);
  }, 300_000);
});

/** Each case: options, then what the error must say. Nothing is written. */
const ERRORS: Array<[string, Partial<ObservabilityGitOpsProjectOptions>, RegExp[]]> = [
  ['a cluster in an unknown environment', { environments: [{ name: 'staging' }], clusters: [{ name: 'a', environment: 'stagin' }] },
    [/"clusters\[0\]\.environment"/, /"stagin"/, /did you mean "staging"/]],
  ['two clusters with one name', { environments: [{ name: 'dev' }], clusters: [{ name: 'a', environment: 'dev' }, { name: 'a', environment: 'dev' }] },
    [/"clusters\[1\]\.name"/, /duplicate/]],
  ['a cluster without its environment', { environments: [{ name: 'dev' }], clusters: [{ name: 'a' }] }, [/"clusters\[0\]\.environment"/, /required/, /dev/]],
  ['an environment without clusters', { environments: [{ name: 'dev' }, { name: 'prod' }], clusters: [{ name: 'a', environment: 'dev' }] },
    [/"environments\[1\]"/, /"prod"/, /no clusters/]],
  ['an environment on a cluster without environments', { clusters: [{ name: 'a', environment: 'dev' }] }, [/"clusters\[0\]\.environment"/, /no environments are declared/]],
  ['two environments with one name', { environments: [{ name: 'dev' }, { name: 'dev' }] }, [/"environments\[1\]\.name"/, /duplicate/]],
  ['server and destination name together', { clusters: [{ name: 'a', server: 'https://a.example.com', destinationName: 'a' }] },
    [/"clusters\[0\]\.destinationName"/, /not both/]],
  ['a distributed profile without object storage', { profile: Profile.DISTRIBUTED }, [/"objectStorage"/, /required by profile/]],
  ['remote write to a URL that is not http(s)', { profile: Profile.DISTRIBUTED, objectStorage: S3, metrics: { remoteWriteUrl: 'grpc://mimir:9095' } },
    [/"metrics\.remoteWriteUrl"/, /"grpc:\/\/mimir:9095"/, /http\(s\) URL/]],
  ['an override for a part that is off, in an environment', {
    environments: [{ name: 'dev', traces: { enabled: false }, valuesOverrides: { tempo: { persistence: { size: '1Gi' } } } }],
    clusters: [{ name: 'a', environment: 'dev' }],
  }, [/"environments\[0\]\.valuesOverrides\.tempo"/, /part that is off/]],
  ['an environment setting a push URL it does not use', {
    profile: Profile.DISTRIBUTED,
    objectStorage: S3,
    traces: { kafkaAddress: 'kafka:9092' },
    environments: [{ name: 'dev', profile: Profile.SINGLE_NODE, metrics: { remoteWriteUrl: 'https://mimir.example.com/api/v1/push' } }],
    clusters: [{ name: 'a', environment: 'dev' }],
  }, [/"environments\[0\]\.metrics\.remoteWriteUrl"/, /is set, but metrics\.backend is "prometheus"/]],
  ['an environment changing a rule threshold', { environments: [{ name: 'dev', alerting: { thresholds: { KubePodCrashLooping: 1 } } }] },
    [/"environments\[0\]\.alerting\.thresholds"/, /project-wide/]],
  ['an invalid override in an environment', { environments: [{ name: 'dev', metrics: { retention: '3 days' } }], clusters: [{ name: 'a', environment: 'dev' }] },
    [/"environments\[0\]\.metrics\.retention"/, /"3 days"/]],
  ['edge clusters without a remote-write URL', {
    profile: Profile.DISTRIBUTED,
    objectStorage: S3,
    logs: { pushUrl: 'https://loki.example.com/loki/api/v1/push' },
    traces: { otlpEndpoint: 'tempo.example.com:4317', kafkaAddress: 'kafka:9092' },
    clusters: [{ name: 'hub', central: true }, { name: 'edge', server: 'https://edge.example.com' }],
  }, [/"metrics\.remoteWriteUrl"/, /is required/, /"edge"/]],
  ['two central clusters', {
    profile: Profile.DISTRIBUTED,
    objectStorage: S3,
    traces: { kafkaAddress: 'kafka:9092' },
    clusters: [{ name: 'a', central: true }, { name: 'b', central: true, server: 'https://b.example.com' }],
  }, [/"clusters\[1\]\.central"/, /"a" and "b"/]],
  ['several clusters and none central', {
    profile: Profile.DISTRIBUTED,
    objectStorage: S3,
    traces: { kafkaAddress: 'kafka:9092' },
    clusters: [{ name: 'a' }, { name: 'b', server: 'https://b.example.com' }],
  }, [/"clusters\[0\]\.central"/, /central: true/]],
  ['federation without the edge Prometheus URL', {
    profile: Profile.DISTRIBUTED,
    objectStorage: S3,
    metrics: { backend: MetricsBackend.FEDERATION },
    logs: { pushUrl: 'https://loki.example.com/loki/api/v1/push' },
    traces: { otlpEndpoint: 'tempo.example.com:4317', kafkaAddress: 'kafka:9092' },
    clusters: [{ name: 'hub', central: true }, { name: 'edge', server: 'https://edge.example.com' }],
  }, [/"clusters\[1\]\.prometheusUrl"/, /FEDERATION/]],
  ['Tempo 3 distributed without Kafka', { profile: Profile.DISTRIBUTED, objectStorage: S3 }, [/"traces\.kafkaAddress"/, /Kafka/, /TempoMode\.MONOLITHIC/]],
  ['scalable Loki without object storage', { logs: { mode: LokiMode.SIMPLE_SCALABLE } }, [/"logs\.mode"/, /needs objectStorage/]],
  ['Mimir with the standalone flavor', { objectStorage: S3, metrics: { backend: MetricsBackend.MIMIR, flavor: 'standalone' as any } },
    [/"metrics\.backend"/, /KUBE_PROMETHEUS_STACK/]],
  ['AWS S3 without a region', { objectStorage: { provider: ObjectStorageProvider.S3 } }, [/"objectStorage\.region"/, /required for AWS S3/]],
  ['Azure without an account', { objectStorage: { provider: ObjectStorageProvider.AZURE } }, [/"objectStorage\.azureAccountName"/, /required/]],
  ['a bucket name with capitals', { objectStorage: { ...S3, logsBucket: 'My_Logs' } }, [/"objectStorage\.logsBucket"/, /bucket name/]],
  ['negative sizing', { sizing: { activeSeries: -5 } }, [/"sizing\.activeSeries"/]],
  ['an unknown profile', { profile: 'huge' as any }, [/"profile"/, /single-node, ha, distributed/]],
];

describe('bad input', () => {
  test.each(ERRORS)('%s', (_name, options, expected) => {
    const outdir = mkdtempSync(join(tmpdir(), 'obs-gitops-fleet-error-'));
    let error: Error | undefined;
    try {
      new ObservabilityGitOpsProject({ ...BASE, outdir, ...options } as ObservabilityGitOpsProjectOptions);
    } catch (e) {
      error = e as Error;
    }
    expect(error).toBeDefined();
    expect(error!.message).toMatch(/^Invalid option "/);
    for (const re of expected) expect(error!.message).toMatch(re);
    expect(readdirSync(outdir)).toEqual([]);
  });
});
