import {
  LogCollector, ObjectStorageProvider, ObservabilityGitOpsProject, ObservabilityGitOpsProjectOptions, Profile,
} from '../../src';
import { renderProblems, renderResults, tempDirs } from '../support/render';
import { RenderedObject, renderApplication } from '../support/render-app';
import { BASE, synthToDisk } from '../util';

/*
 * centralAuth rendered with the real Helm over the vendored charts (one
 * distributed configuration, every log collector): the render stage of
 * `obs-gitops validate` passes, and the rendered objects of the edge's
 * shippers read the credentials from the Secret and send the tenant, and
 * the central gateways check the htpasswd Secret. mimir-distributed has no
 * package here (its values are checked in test/central-auth.test.ts).
 */

jest.setTimeout(300_000);

const OPTIONS: Partial<ObservabilityGitOpsProjectOptions> = {
  profile: Profile.DISTRIBUTED,
  objectStorage: { provider: ObjectStorageProvider.S3, region: 'eu-west-1', secretName: 'obs-s3' },
  metrics: { remoteWriteUrl: 'https://mimir.example.com/api/v1/push' },
  logs: { pushUrl: 'https://loki.example.com/loki/api/v1/push', collectors: [LogCollector.ALLOY, LogCollector.FLUENT_BIT, LogCollector.FLUENTD, LogCollector.PROMTAIL] },
  traces: { otlpEndpoint: 'tempo.example.com:4317', kafkaAddress: 'kafka.streaming.svc:9092' },
  clusters: [
    { name: 'hub', central: true },
    { name: 'edge-eu', server: 'https://eu.example.com' },
  ],
};

const dirs = tempDirs();
let root: string;

beforeAll(() => {
  root = dirs.make('obs-gitops-central-auth-');
  synthToDisk(new ObservabilityGitOpsProject({ ...BASE, outdir: root, gitRepoUrl: 'https://github.com/acme/obs.git', ...OPTIONS } as ObservabilityGitOpsProjectOptions));
});

/** Every object of one generated Application, rendered with the real Helm. */
function rendered(cluster: string, part: string): readonly RenderedObject[] {
  return renderApplication(root, `argocd/apps/${cluster}/${part}.yaml`).objects;
}
function one(objects: readonly RenderedObject[], kind: string, name?: RegExp): RenderedObject {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || name.test(o.metadata.name)));
  if (found.length !== 1) throw new Error(`${found.length} ${kind} objects${name ? ` named ${name}` : ''}: ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  return found[0];
}
/** The env entries of every container of a workload. */
function env(workload: RenderedObject): RenderedObject[] {
  return (workload.spec.template.spec.containers as RenderedObject[]).flatMap((c) => c.env ?? []);
}
/** The text of a ConfigMap's (or Secret's) data, every key. */
function text(o: RenderedObject): string {
  const data = Object.values(o.data ?? {}) as string[];
  return o.kind === 'Secret' ? data.map((d) => Buffer.from(d, 'base64').toString('utf-8')).join('\n') + Object.values(o.stringData ?? {}).join('\n') : data.join('\n');
}
const secretEnv = (name: string, key: string, secret = 'obs-central-auth') => ({ name, valueFrom: { secretKeyRef: { name: secret, key } } });
const secretVolumes = (workload: RenderedObject) =>
  (workload.spec.template.spec.volumes as RenderedObject[]).filter((v) => v.secret).map((v) => v.secret.secretName);

test('the render stage of validate passes for a distributed fleet with centralAuth', async () => {
  expect(renderProblems(await renderResults(root))).toEqual([]);
});

describe('edge cluster: every shipper reads the Secret and sends its tenant', () => {
  test('Prometheus remote write (the Prometheus resource of kube-prometheus-stack)', () => {
    const prometheus = one(rendered('edge-eu', 'kube-prometheus-stack'), 'Prometheus');
    expect(prometheus.spec.remoteWrite).toEqual([{
      url: 'https://mimir.example.com/api/v1/push',
      headers: { 'X-Scope-OrgID': 'edge-eu' },
      basicAuth: { username: { name: 'obs-central-auth', key: 'username' }, password: { name: 'obs-central-auth', key: 'password' } },
    }]);
  });

  test('Alloy', () => {
    const objects = rendered('edge-eu', 'alloy');
    expect(env(one(objects, 'DaemonSet'))).toEqual(expect.arrayContaining([
      { name: 'CENTRAL_TENANT', value: 'edge-eu' }, secretEnv('CENTRAL_USERNAME', 'username'), secretEnv('CENTRAL_PASSWORD', 'password'),
    ]));
    expect(text(one(objects, 'ConfigMap'))).toMatch(/url = "https:\/\/loki\.example\.com\/loki\/api\/v1\/push"\n\s+tenant_id = sys\.env\("CENTRAL_TENANT"\)\n\s+basic_auth \{/);
  });

  test('Fluent Bit', () => {
    const objects = rendered('edge-eu', 'fluent-bit');
    expect(env(one(objects, 'DaemonSet'))).toEqual(expect.arrayContaining([secretEnv('CENTRAL_USERNAME', 'username'), secretEnv('CENTRAL_PASSWORD', 'password')]));
    expect(text(one(objects, 'ConfigMap', /^fluent-bit$/))).toMatch(/Host +loki\.example\.com\n.*Port +443\n.*tls +On\n.*tls\.verify +On\n.*Tenant_ID +\$\{CENTRAL_TENANT\}\n.*HTTP_User +\$\{CENTRAL_USERNAME\}/);
  });

  test('Fluentd', () => {
    const objects = rendered('edge-eu', 'fluentd');
    expect(env(one(objects, 'DaemonSet'))).toEqual(expect.arrayContaining([{ name: 'CENTRAL_TENANT', value: 'edge-eu' }, secretEnv('CENTRAL_PASSWORD', 'password')]));
    expect(objects.filter((o) => o.kind === 'ConfigMap').map(text).join('\n')).toContain('url "https://loki.example.com"\n    tenant "#{ENV[\'CENTRAL_TENANT\']}"');
  });

  test('Promtail', () => {
    const objects = rendered('edge-eu', 'promtail');
    expect(secretVolumes(one(objects, 'DaemonSet'))).toContain('obs-central-auth');
    const config = objects.filter((o) => o.kind === 'Secret').map(text).join('\n');
    expect(config).toMatch(/tenant_id: edge-eu/);
    expect(config).toMatch(/username_file: \/etc\/obs-central-auth\/username/);
  });
});

describe('central cluster', () => {
  test('Loki: multi-tenant, gateway with basic auth from the htpasswd Secret', () => {
    const objects = rendered('hub', 'loki');
    expect(secretVolumes(one(objects, 'Deployment', /^loki-gateway$/))).toContain('obs-central-htpasswd');
    expect(text(one(objects, 'ConfigMap', /^loki-gateway$/))).toContain('auth_basic_user_file /etc/nginx/secrets/.htpasswd;');
    const config = objects.filter((o) => /^loki$/.test(o.metadata.name) && (o.kind === 'ConfigMap' || o.kind === 'Secret')).map(text).join('\n');
    expect(config).toContain('auth_enabled: true');
    expect(config).toContain('multi_tenant_queries_enabled: true');
  });

  test('Tempo distributed: multi-tenant, gateway with basic auth', () => {
    const objects = rendered('hub', 'tempo');
    expect(secretVolumes(one(objects, 'Deployment', /^tempo-gateway$/))).toContain('obs-central-htpasswd');
    expect(objects.filter((o) => o.kind === 'ConfigMap' || o.kind === 'Secret').map(text).join('\n')).toContain('multitenancy_enabled: true');
  });

  test('Grafana: every tenant in the datasources, Loki credentials from the Secret', () => {
    const objects = rendered('hub', 'kube-prometheus-stack');
    const grafana = one(objects, 'Deployment', /grafana$/);
    expect(secretVolumes(grafana)).toContain('obs-central-auth');
    const grafanaContainer = grafana.spec.template.spec.containers.find((c: RenderedObject) => c.name === 'grafana');
    expect(grafanaContainer.volumeMounts).toContainEqual(expect.objectContaining({ mountPath: '/etc/obs-central-auth', readOnly: true }));
    const datasources = objects.filter((o) => (o.kind === 'ConfigMap' || o.kind === 'Secret') && /datasource/.test(o.metadata.name)).map(text).join('\n');
    expect(datasources).toContain('httpHeaderName1: X-Scope-OrgID');
    expect(datasources.match(/httpHeaderValue1: hub\|edge-eu/g)).toHaveLength(3);
    expect(datasources).toContain('basicAuthPassword: $__file{/etc/obs-central-auth/password}');
    // The central Prometheus writes to Mimir's distributor with its tenant.
    expect(one(objects, 'Prometheus').spec.remoteWrite).toEqual([{ url: 'http://mimir-distributor.monitoring.svc:8080/api/v1/push', headers: { 'X-Scope-OrgID': 'hub' } }]);
  });
});
