import { CentralAuthType, LogCollector, ObservabilityGitOpsProjectOptions, TempoMode, TenantScope } from '../src';
import { README_FLEET } from './support/readme-examples';
import { fleetOf, synthRaw } from './util';
import { FleetModel, ClusterGroup } from '../src/model/fleet';
import { StackPart } from '../src/model/stack';

/*
 * centralAuth (issue 14, "Distributed mode: edges authenticate to the central
 * Loki, Mimir and Tempo"): every writer sends the tenant and, where it
 * reaches an authenticating endpoint, credentials read from the Secret; the
 * central backends run multi-tenant behind gateways that check basic auth;
 * Grafana reads every tenant. Rendered with the real Helm in
 * test/render/central-auth-render.test.ts.
 */

const ALL_COLLECTORS = [LogCollector.ALLOY, LogCollector.FLUENT_BIT, LogCollector.FLUENTD, LogCollector.PROMTAIL];
const PROD: Partial<ObservabilityGitOpsProjectOptions> = {
  ...README_FLEET,
  logs: { ...README_FLEET.logs, collectors: ALL_COLLECTORS },
  clusters: [
    ...README_FLEET.clusters!,
    { name: 'prod-us', environment: 'prod', server: 'https://us.example.com' },
  ],
};

function group(fleet: FleetModel, role: 'central' | 'edge', environment = 'prod'): ClusterGroup {
  return fleet.groups.find((g) => g.role === role && g.environment === environment)!;
}
function part(g: ClusterGroup, name: string): StackPart {
  const p = g.model.parts.find((x) => x.name === name);
  if (!p) throw new Error(`no part ${name} in ${g.role}`);
  return p;
}
function cluster(g: ClusterGroup, name: string) {
  return g.model.clusters.find((c) => c.name === name)!;
}
const SECRET_REF = (key: string, name = 'obs-central-auth') => ({ secretKeyRef: { name, key } });

describe('defaults in a distributed environment: tenant per cluster, basic auth from obs-central-auth', () => {
  const fleet = fleetOf(PROD);
  const edge = group(fleet, 'edge');
  const central = group(fleet, 'central');
  const eu = cluster(edge, 'prod-eu');
  const us = cluster(edge, 'prod-us');
  const hub = cluster(central, 'prod-hub');

  test('Prometheus remote-writes to Mimir with its tenant; from an edge with basic auth from the Secret', () => {
    const rw = (g: ClusterGroup, c: any) => (part(g, 'kube-prometheus-stack').clusterValues(c) as any).prometheus.prometheusSpec.remoteWrite;
    expect(rw(edge, eu)).toEqual([{
      url: 'https://mimir.example.com/api/v1/push',
      headers: { 'X-Scope-OrgID': 'prod-eu' },
      basicAuth: { username: { name: 'obs-central-auth', key: 'username' }, password: { name: 'obs-central-auth', key: 'password' } },
    }]);
    expect(rw(edge, us)[0].headers).toEqual({ 'X-Scope-OrgID': 'prod-us' });
    // The central Prometheus writes to the distributor inside its cluster: tenant only.
    expect(rw(central, hub)).toEqual([{ url: 'http://mimir-distributor.monitoring.svc:8080/api/v1/push', headers: { 'X-Scope-OrgID': 'prod-hub' } }]);
    // No remote write without a tenant in the common values.
    expect((part(edge, 'kube-prometheus-stack').values as any).prometheus.prometheusSpec.remoteWrite).toBeUndefined();
  });

  test('Alloy sends tenant and basic auth from its environment, read from the Secret', () => {
    const config: string = (part(edge, 'alloy').values as any).alloy.configMap.content;
    expect(config).toContain('url = "https://loki.example.com/loki/api/v1/push"\n    tenant_id = sys.env("CENTRAL_TENANT")\n    basic_auth {\n' +
      '      username = sys.env("CENTRAL_USERNAME")\n      password = sys.env("CENTRAL_PASSWORD")\n    }');
    expect((part(edge, 'alloy').clusterValues(eu) as any).alloy.extraEnv).toEqual([
      { name: 'CLUSTER', value: 'prod-eu' },
      { name: 'CENTRAL_TENANT', value: 'prod-eu' },
      { name: 'CENTRAL_USERNAME', valueFrom: SECRET_REF('username') },
      { name: 'CENTRAL_PASSWORD', valueFrom: SECRET_REF('password') },
    ]);
  });

  test('Fluent Bit ships to the central push URL over TLS, with tenant and basic auth', () => {
    const out: string = (part(edge, 'fluent-bit').values as any).config.outputs;
    expect(out).toMatch(/Host +loki\.example\.com\n +Port +443\n +tls +On\n +tls\.verify +On\n +Tenant_ID +\$\{CENTRAL_TENANT\}\n +HTTP_User +\$\{CENTRAL_USERNAME\}\n +HTTP_Passwd +\$\{CENTRAL_PASSWORD\}/);
    expect((part(edge, 'fluent-bit').clusterValues(us) as any).env).toContainEqual({ name: 'CENTRAL_TENANT', value: 'prod-us' });
    expect((part(edge, 'fluent-bit').clusterValues(us) as any).env).toContainEqual({ name: 'CENTRAL_PASSWORD', valueFrom: SECRET_REF('password') });
  });

  test('Fluentd ships to the central Loki (the plugin appends the push path), with tenant and basic auth', () => {
    const out: string = (part(edge, 'fluentd').values as any).fileConfigs['04_outputs.conf'];
    expect(out).toContain('url "https://loki.example.com"\n    tenant "#{ENV[\'CENTRAL_TENANT\']}"\n' +
      '    username "#{ENV[\'CENTRAL_USERNAME\']}"\n    password "#{ENV[\'CENTRAL_PASSWORD\']}"');
    expect((part(edge, 'fluentd').clusterValues(eu) as any).env).toContainEqual({ name: 'CENTRAL_USERNAME', valueFrom: SECRET_REF('username') });
  });

  test('Promtail reads the credentials from the mounted Secret, the tenant per cluster', () => {
    const p = part(edge, 'promtail');
    expect((p.clusterValues(eu) as any).config.clients).toEqual([{
      url: 'https://loki.example.com/loki/api/v1/push',
      tenant_id: 'prod-eu',
      basic_auth: { username_file: '/etc/obs-central-auth/username', password_file: '/etc/obs-central-auth/password' },
      external_labels: { cluster: 'prod-eu' },
    }]);
    expect((p.values as any).extraVolumes).toEqual([{ name: 'obs-central-auth', secret: { secretName: 'obs-central-auth' } }]);
  });

  test('the OpenTelemetry gateway exports with the tenant header and the basicauth extension', () => {
    const collector = part(edge, 'opentelemetry-resources').manifests(eu).find((m) => m.kind === 'OpenTelemetryCollector') as any;
    const config = collector.spec.config;
    expect(config.exporters.otlp_grpc).toEqual({
      endpoint: 'tempo.example.com:4317',
      headers: { 'X-Scope-OrgID': 'prod-eu' },
      auth: { authenticator: 'basicauth/central' },
    });
    expect(config.extensions['basicauth/central']).toEqual({ client_auth: { username: '${env:CENTRAL_USERNAME}', password: '${env:CENTRAL_PASSWORD}' } });
    expect(config.service.extensions).toEqual(['health_check', 'basicauth/central']);
    expect(collector.spec.env).toEqual([
      { name: 'CENTRAL_USERNAME', valueFrom: SECRET_REF('username') },
      { name: 'CENTRAL_PASSWORD', valueFrom: SECRET_REF('password') },
    ]);
    // The central gateway writes to Tempo's distributor inside the cluster: tenant only, no credentials.
    const hubCollector = part(central, 'opentelemetry-resources').manifests(hub).find((m) => m.kind === 'OpenTelemetryCollector') as any;
    expect(hubCollector.spec.config.exporters.otlp_grpc.headers).toEqual({ 'X-Scope-OrgID': 'prod-hub' });
    expect(hubCollector.spec.config.exporters.otlp_grpc.auth).toBeUndefined();
    expect(hubCollector.spec.env).toBeUndefined();
  });

  test('central log collectors reach Loki through its gateway with the credentials', () => {
    const config: string = (part(central, 'alloy').values as any).alloy.configMap.content;
    expect(config).toContain('url = "http://loki-gateway.logging.svc:80/loki/api/v1/push"\n    tenant_id = sys.env("CENTRAL_TENANT")\n    basic_auth {');
  });

  test('central backends run multi-tenant behind gateways checking the htpasswd Secret', () => {
    const loki = part(central, 'loki').values as any;
    expect(loki.loki.auth_enabled).toBe(true);
    expect(loki.loki.querier).toEqual({ multi_tenant_queries_enabled: true });
    expect(loki.gateway.basicAuth).toEqual({ enabled: true, existingSecret: 'obs-central-htpasswd' });
    const mimir = part(central, 'mimir').values as any;
    expect(mimir.mimir.structuredConfig.multitenancy_enabled).toBe(true);
    expect(mimir.mimir.structuredConfig.tenant_federation).toEqual({ enabled: true });
    expect(mimir.gateway.nginx.basicAuth).toEqual({ enabled: true, existingSecret: 'obs-central-htpasswd' });
    const tempo = part(central, 'tempo').values as any;
    expect(tempo.multitenancyEnabled).toBe(true);
    expect(tempo.gateway).toEqual({ enabled: true, basicAuth: { enabled: true, existingSecret: 'obs-central-htpasswd' } });
  });

  test('Grafana reads every tenant of the environment; Loki through the gateway with basic auth', () => {
    const grafana = (part(central, 'kube-prometheus-stack').values as any).grafana;
    const ds = Object.fromEntries(grafana.additionalDataSources.map((d: any) => [d.uid, d]));
    for (const uid of ['prometheus', 'loki', 'tempo']) {
      expect(ds[uid].jsonData.httpHeaderName1).toBe('X-Scope-OrgID');
      expect(ds[uid].secureJsonData.httpHeaderValue1).toBe('prod-hub|prod-eu|prod-us');
    }
    expect(ds.loki).toMatchObject({
      basicAuth: true, basicAuthUser: '$__file{/etc/obs-central-auth/username}', secureJsonData: { basicAuthPassword: '$__file{/etc/obs-central-auth/password}' },
    });
    expect(ds.prometheus.basicAuth).toBeUndefined();
    expect(ds.tempo.basicAuth).toBeUndefined();
    expect(grafana.extraSecretMounts).toEqual([{ name: 'obs-central-auth', mountPath: '/etc/obs-central-auth', secretName: 'obs-central-auth', readOnly: true }]);
    expect(grafana.envValueFrom).toBeUndefined();
  });

  test('the single-node environment of the same project is untouched', () => {
    const dev = fleet.groups.find((g) => g.environment === 'dev')!;
    expect(dev.model.options.centralAuth).toBeUndefined();
    expect((part(dev, 'loki').values as any).loki.auth_enabled).toBe(false);
    expect((part(dev, 'loki').values as any).gateway.basicAuth).toBeUndefined();
  });

  test('the README lists the Secrets to create on the edge and central clusters, in the bootstrap steps', () => {
    const readme: string = synthRaw(PROD)['README.md'];
    const bootstrap = readme.slice(readme.indexOf('## Bootstrap'));
    expect(bootstrap).toMatch(/\d\. `obs-central-auth`, `obs-central-htpasswd` \(how the clusters authenticate/);
    const section = readme.slice(readme.indexOf('## Central authentication'));
    expect(section).toContain('Grafana reads the tenants `prod-hub|prod-eu|prod-us`');
    expect(section).toContain('# on each edge cluster (prod-eu, prod-us)');
    for (const ns of ['logging', 'monitoring', 'tracing']) {
      expect(section).toContain(`kubectl -n ${ns} create secret generic obs-central-auth --from-literal=username=<username> --from-literal=password=<password>`);
      expect(section).toContain(`kubectl -n ${ns} create secret generic obs-central-htpasswd --from-file=.htpasswd=<htpasswd file>`);
    }
  });
});

describe('other choices', () => {
  test('tenant per environment: every cluster writes as the environment, Grafana reads one tenant', () => {
    const fleet = fleetOf({ ...PROD, centralAuth: { tenancy: TenantScope.ENVIRONMENT } });
    const edge = group(fleet, 'edge');
    const central = group(fleet, 'central');
    const rw = (part(edge, 'kube-prometheus-stack').clusterValues(cluster(edge, 'prod-us')) as any).prometheus.prometheusSpec.remoteWrite;
    expect(rw[0].headers).toEqual({ 'X-Scope-OrgID': 'prod' });
    const ds = (part(central, 'kube-prometheus-stack').values as any).grafana.additionalDataSources;
    expect(ds.map((d: any) => d.secureJsonData.httpHeaderValue1)).toEqual(['prod', 'prod', 'prod']);
  });

  test('bearer token: from the Secret to every writer of an edge; the gateways are left to your proxy', () => {
    const fleet = fleetOf({ ...PROD, centralAuth: { type: CentralAuthType.BEARER, secretName: 'edge-token', tokenKey: 'jwt' } });
    const edge = group(fleet, 'edge');
    const central = group(fleet, 'central');
    const eu = cluster(edge, 'prod-eu');
    const rw = (part(edge, 'kube-prometheus-stack').clusterValues(eu) as any).prometheus.prometheusSpec.remoteWrite[0];
    expect(rw.authorization).toEqual({ type: 'Bearer', credentials: { name: 'edge-token', key: 'jwt' } });
    expect(rw.basicAuth).toBeUndefined();
    expect((part(edge, 'alloy').values as any).alloy.configMap.content).toContain('bearer_token = sys.env("CENTRAL_TOKEN")');
    expect((part(edge, 'fluent-bit').values as any).config.outputs).toMatch(/Bearer_Token +\$\{CENTRAL_TOKEN\}/);
    expect((part(edge, 'fluentd').values as any).fileConfigs['04_outputs.conf']).toContain('bearer_token_file /etc/obs-central-auth/jwt');
    expect((part(edge, 'fluentd').values as any).volumes).toEqual([{ name: 'obs-central-auth', secret: { secretName: 'edge-token' } }]);
    expect((part(edge, 'promtail').clusterValues(eu) as any).config.clients[0].bearer_token_file).toBe('/etc/obs-central-auth/jwt');
    const collector = part(edge, 'opentelemetry-resources').manifests(eu).find((m) => m.kind === 'OpenTelemetryCollector') as any;
    expect(collector.spec.config.exporters.otlp_grpc.headers).toEqual({ 'X-Scope-OrgID': 'prod-eu', 'authorization': 'Bearer ${env:CENTRAL_TOKEN}' });
    expect(collector.spec.env).toEqual([{ name: 'CENTRAL_TOKEN', valueFrom: SECRET_REF('jwt', 'edge-token') }]);
    // No gateway basic auth, and the central cluster's clients send no credentials.
    expect((part(central, 'loki').values as any).gateway.basicAuth).toBeUndefined();
    expect((part(central, 'tempo').values as any).gateway).toBeUndefined();
    expect((part(central, 'alloy').values as any).alloy.configMap.content).not.toContain('CENTRAL_TOKEN');
  });

  test('no tenancy and no credentials: the backends stay single-tenant and nothing is sent', () => {
    const fleet = fleetOf({ ...PROD, centralAuth: { tenancy: TenantScope.NONE, type: CentralAuthType.NONE } });
    const edge = group(fleet, 'edge');
    const central = group(fleet, 'central');
    const rw = (part(edge, 'kube-prometheus-stack').clusterValues(cluster(edge, 'prod-eu')) as any).prometheus.prometheusSpec.remoteWrite;
    expect(rw).toEqual([{ url: 'https://mimir.example.com/api/v1/push' }]);
    expect((part(central, 'loki').values as any).loki.auth_enabled).toBe(false);
    expect((part(central, 'mimir').values as any).mimir.structuredConfig.multitenancy_enabled).toBe(false);
    expect((part(edge, 'alloy').values as any).alloy.configMap.content).not.toContain('CENTRAL_');
    const ds = (part(central, 'kube-prometheus-stack').values as any).grafana.additionalDataSources;
    expect(ds.every((d: any) => d.secureJsonData === undefined)).toBe(true);
    expect(fleet.warnings.join('\n')).toMatch(/centralAuth\.type is CentralAuthType\.NONE: the central Loki, Mimir and Tempo take writes/);
  });

  test('credentials to a plain-http URL are warned about; the defaults over https are not', () => {
    expect(fleetOf(PROD).warnings.join('\n')).not.toMatch(/centralAuth/);
    const fleet = fleetOf({ ...PROD, logs: { ...PROD.logs, pushUrl: 'http://loki.example.com/loki/api/v1/push' } });
    expect(fleet.warnings.join('\n')).toMatch(/logs\.pushUrl is plain http: the edge clusters send their centralAuth credentials unencrypted/);
  });

  test('a monolithic central Tempo runs multi-tenant too (no gateway in its chart)', () => {
    const fleet = fleetOf({ ...PROD, traces: { ...PROD.traces, mode: TempoMode.MONOLITHIC, kafkaAddress: undefined } });
    const tempo = part(group(fleet, 'central'), 'tempo').values as any;
    expect(tempo.tempo.multitenancyEnabled).toBe(true);
    expect(tempo.gateway).toBeUndefined();
  });
});
