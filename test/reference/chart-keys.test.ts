import { checkValuesKeys, findUnknownValuesKeys, hasKeyCatalog, keyCatalogVersions } from '../../src/validation/chart-keys';

const KPS = ['kube-prometheus-stack', '88.5.3'] as const;

/** The newest chart versions derived into reference/charts (see reference/PROVENANCE.md). */
const CHARTS: Record<string, string> = {
  'kube-prometheus-stack': '88.5.3',
  'prometheus': '29.27.0',
  'grafana': '12.11.1',
  'loki': '18.11.0',
  'loki-stack': '2.10.3',
  'tempo': '2.2.4',
  'tempo-distributed': '3.3.0',
  'alloy': '1.11.1',
  'fluent-bit': '0.58.1',
  'fluentd': '0.6.0',
  'promtail': '6.17.1',
  'opentelemetry-operator': '0.122.0',
  'opentelemetry-collector': '0.170.0',
  'argo-cd': '10.1.1',
  'metrics-server': '3.13.1',
  'elasticsearch': '8.5.1',
  'kibana': '8.5.1',
  'kube-state-metrics': '8.4.0',
  'prometheus-node-exporter': '4.56.1',
  'thanos': '1.24.1',
};

describe('kube-prometheus-stack 88.5.3', () => {
  test('known keys from values.yaml defaults', () => {
    expect(findUnknownValuesKeys(...KPS, {
      prometheus: { prometheusSpec: { retention: '15d', retentionSize: '40GB', replicas: 2 } },
      alertmanager: { enabled: true, alertmanagerSpec: { replicas: 2 } },
      defaultRules: { create: true },
    })).toEqual([]);
  });

  test('a typo is reported with its dotted path and a suggestion', () => {
    expect(findUnknownValuesKeys(...KPS, { prometheus: { prometheusSpec: { retentionn: '15d' } } })).toEqual([
      { path: 'prometheus.prometheusSpec.retentionn', key: 'retentionn', suggestions: ['retention'] },
    ]);
  });

  test('suggestions are case-insensitive, at most 3; nothing beneath an unknown key is reported', () => {
    const [u] = findUnknownValuesKeys(...KPS, { Prometheus: { nope: { deeper: 1 } } });
    expect(u).toEqual({ path: 'Prometheus', key: 'Prometheus', suggestions: ['prometheus'] });
    const [far] = findUnknownValuesKeys(...KPS, { zzzzzzzzzzzzzzzz: 1 });
    expect(far.suggestions).toEqual([]);
    const [near] = findUnknownValuesKeys(...KPS, { prometheus: { servic: {} } });
    expect(near.suggestions.length).toBeLessThanOrEqual(3);
    expect(near.suggestions[0]).toBe('service');
  });

  test('storageSpec is an open map: a volumeClaimTemplate is accepted', () => {
    expect(findUnknownValuesKeys(...KPS, {
      prometheus: {
        prometheusSpec: {
          storageSpec: {
            volumeClaimTemplate: { spec: { storageClassName: 'gp3', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '50Gi' } } } },
          },
        },
      },
    })).toEqual([]);
  });

  test('keys documented only in comments are known', () => {
    // "# adminPassword: strongpassword" under `grafana:` and "# servicePort: 8081" under alertmanager.ingress
    expect(findUnknownValuesKeys(...KPS, {
      grafana: { adminPassword: 'x' },
      alertmanager: { ingress: { servicePort: 8081 } },
      prometheusOperator: { logLevel: 'debug' },
    })).toEqual([]);
  });

  test('sub-chart keys are merged under the dependency name (grafana 12.11.1, kube-state-metrics, node-exporter)', () => {
    expect(findUnknownValuesKeys(...KPS, {
      'grafana': {
        'adminPassword': 'x',
        'admin': { existingSecret: 'grafana-admin', userKey: 'user', passwordKey: 'password' },
        'persistence': { enabled: true, storageClassName: 'gp3' },
        'grafana.ini': { server: { root_url: 'https://grafana.example.com' } },
        'sidecar': { dashboards: { enabled: true, searchNamespace: 'ALL' } },
      },
      'kube-state-metrics': { selfMonitor: { enabled: true } },
      'prometheus-node-exporter': { hostRootFsMount: { enabled: false } },
      'crds': { enabled: true },
    })).toEqual([]);
    expect(findUnknownValuesKeys(...KPS, { grafana: { admin: { existingSecrett: 'x' } } })).toEqual([
      { path: 'grafana.admin.existingSecrett', key: 'existingSecrett', suggestions: ['existingSecret'] },
    ]);
  });

  test('a dependency whose chart is not in the reference is open', () => {
    expect(findUnknownValuesKeys(...KPS, { 'prometheus-windows-exporter': { anything: { at: 'all' } } })).toEqual([]);
  });

  test('open subtrees: Kubernetes objects, string maps and embedded configuration', () => {
    expect(findUnknownValuesKeys(...KPS, {
      prometheus: { prometheusSpec: { securityContext: { fsGroup: 2000 }, podMetadata: { labels: { a: 'b' } }, nodeSelector: { 'kubernetes.io/os': 'linux' } } },
      alertmanager: { config: { inhibit_rules: [], whatever_alertmanager_gets: true } },
      commonLabels: { team: 'obs' },
    })).toEqual([]);
  });

  test('global: what the chart declares is closed', () => {
    expect(findUnknownValuesKeys(...KPS, { global: { imageRegistry: 'registry.example.com', rbac: { create: false } } })).toEqual([]);
    expect(findUnknownValuesKeys(...KPS, { global: { imageRegistri: 'x' } })).toEqual([
      { path: 'global.imageRegistri', key: 'imageRegistri', suggestions: ['imageRegistry'] },
    ]);
  });

  test('lists and scalars are not descended into; several unknown keys come in document order', () => {
    expect(findUnknownValuesKeys(...KPS, {
      prometheus: { prometheusSpec: { additionalScrapeConfigs: [{ job_name: 'x', nonsense: true }] } },
      foo: 1,
      bar: { baz: 2 },
    }).map((u) => u.path)).toEqual(['foo', 'bar']);
  });
});

describe('other charts', () => {
  test('grafana: a key with a dot in its name', () => {
    expect(findUnknownValuesKeys('grafana', '12.11.1', {
      'grafana.ini': { 'server': { root_url: 'https://g.example.com' }, 'auth.generic_oauth': { enabled: true } },
      'ingress': { enabled: true, ingressClassName: 'nginx', tls: [{ secretName: 'x', hosts: ['g'] }] },
      'persistence': { storageClassName: 'gp3' },
    })).toEqual([]);
    expect(findUnknownValuesKeys('grafana', '12.11.1', { 'grafana.inii': {} })).toEqual([
      { path: 'grafana.inii', key: 'grafana.inii', suggestions: ['grafana.ini'] },
    ]);
  });

  test('loki: values.yaml and values.schema.json keys', () => {
    expect(findUnknownValuesKeys('loki', '18.11.0', {
      deploymentMode: 'SingleBinary',
      loki: {
        auth_enabled: false,
        commonConfig: { replication_factor: 1 },
        storage: { type: 'filesystem' },
        schemaConfig: { configs: [{ from: '2024-04-01', store: 'tsdb', object_store: 'filesystem', schema: 'v13' }] },
        limits_config: { retention_period: '744h' },
      },
      singleBinary: { replicas: 1 },
      read: { replicas: 0 },
      write: { replicas: 0 },
      backend: { replicas: 0 },
      minio: { enabled: false, anything: true },
    })).toEqual([]);
    expect(findUnknownValuesKeys('loki', '18.11.0', { singleBinary: { replica: 1 } })).toEqual([
      { path: 'singleBinary.replica', key: 'replica', suggestions: ['replicas'] },
    ]);
  });

  test('opentelemetry-collector: config is open, the chart keys are closed', () => {
    expect(findUnknownValuesKeys('opentelemetry-collector', '0.170.0', {
      mode: 'daemonset',
      image: { repository: 'otel/opentelemetry-collector-k8s' },
      presets: { kubernetesAttributes: { enabled: true } },
      config: { receivers: { otlp: {} }, connectors: { spanmetrics: {} } },
    })).toEqual([]);
    expect(findUnknownValuesKeys('opentelemetry-collector', '0.170.0', { presets: { kubernetesAtributes: {} } })[0].suggestions)
      .toEqual(['kubernetesAttributes']);
  });

  test('argo-cd: argocd-cm data is open', () => {
    expect(findUnknownValuesKeys('argo-cd', '10.1.1', {
      configs: { cm: { 'url': 'https://argocd.example.com', 'oidc.config': 'x' }, params: { 'server.insecure': true } },
      server: { ingress: { enabled: true } },
    })).toEqual([]);
  });

  test.each(Object.entries(CHARTS))('%s %s: a random unknown top-level key is rejected', (chart, version) => {
    expect(hasKeyCatalog(chart, version)).toBe(true);
    expect(keyCatalogVersions(chart)).toEqual([version]);
    const unknown = findUnknownValuesKeys(chart, version, { definitelyNotAValuesKey: true, global: { anything: 1 } });
    expect(unknown.map((u) => u.path)).toContain('definitelyNotAValuesKey');
  });

  test('prometheus-operator-crds: no values.yaml upstream, so the catalog is fully open', () => {
    expect(hasKeyCatalog('prometheus-operator-crds', '31.0.1')).toBe(true);
    expect(findUnknownValuesKeys('prometheus-operator-crds', '31.0.1', { anything: { at: 'all' } })).toEqual([]);
  });
});

describe('catalog look-up', () => {
  test('no catalog for another version: hasKeyCatalog is false, checkValuesKeys says so, findUnknownValuesKeys throws', () => {
    expect(hasKeyCatalog('kube-prometheus-stack', '45.2.0')).toBe(false);
    expect(hasKeyCatalog('no-such-chart', '1.0.0')).toBe(false);
    expect(hasKeyCatalog('../reference', '1.0.0')).toBe(false);
    expect(keyCatalogVersions('no-such-chart')).toEqual([]);
    expect(checkValuesKeys('kube-prometheus-stack', '45.2.0', { foo: 1 })).toEqual({
      catalogFound: false, catalogVersions: ['88.5.3'], unknown: [],
    });
    expect(() => findUnknownValuesKeys('kube-prometheus-stack', '45.2.0', {})).toThrow(
      'No values key catalog for chart kube-prometheus-stack 45.2.0 (catalogs exist for: 88.5.3); check hasKeyCatalog() first');
  });

  test('checkValuesKeys with a catalog', () => {
    const r = checkValuesKeys(...KPS, { prometheus: { prometheusSpec: { retentionn: '1d' } } });
    expect(r.catalogFound).toBe(true);
    expect(r.unknown.map((u) => u.path)).toEqual(['prometheus.prometheusSpec.retentionn']);
  });
});
