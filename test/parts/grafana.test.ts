import { GrafanaExposure, LogsBackend, MetricsFlavor, ObservabilityGitOpsProjectOptions, TracesBackend } from '../../src';
import { allDatasources, datasourceBackends, LOG_TRACE_ID_REGEX } from '../../src/model/grafana-datasources';
import { grafana as grafanaPart } from '../../src/model/parts/grafana';
import { kubePrometheusStack } from '../../src/model/parts/kube-prometheus-stack';
import { resolveOptions } from '../../src/options/resolve';
import { BASE, synthFiles, synthRaw } from '../util';

const KPS = 'values/kube-prometheus-stack.yaml';
const GRAFANA = 'values/grafana.yaml';
const STANDALONE = { flavor: MetricsFlavor.STANDALONE };

type Options = Partial<ObservabilityGitOpsProjectOptions>;

/** The backends combinations the datasources depend on. */
const METRICS_ONLY: Options = { logs: { enabled: false }, traces: { enabled: false } };
const WITH_LOKI: Options = { traces: { enabled: false } };
const WITH_TEMPO: Options = { logs: { enabled: false } };
const WITH_ES: Options = { logs: { backend: LogsBackend.ELASTICSEARCH } };

/** The standalone grafana chart's provisioned datasources, by uid. */
function standaloneDatasources(options: Options): Record<string, any> {
  const files = synthFiles({ ...options, metrics: { ...options.metrics, ...STANDALONE } });
  const list: any[] = files[GRAFANA].datasources['datasources.yaml'].datasources;
  expect(files[GRAFANA].datasources['datasources.yaml'].apiVersion).toBe(1);
  return Object.fromEntries(list.map((d) => [d.uid, d]));
}

/** Grafana values of kube-prometheus-stack. */
function kpsGrafana(options: Options): any {
  return synthFiles(options)[KPS].grafana;
}

/** Datasources of the pure builder (no synth). */
function built(options: Options): Record<string, any> {
  const resolved = resolveOptions({ ...BASE, ...options } as ObservabilityGitOpsProjectOptions);
  return Object.fromEntries(allDatasources(resolved).map((d) => [d.uid, d]));
}

describe('datasources of the standalone grafana chart', () => {
  test('metrics only: Prometheus (default) and Alertmanager, no links', () => {
    const ds = standaloneDatasources(METRICS_ONLY);
    expect(Object.keys(ds)).toEqual(['prometheus', 'alertmanager']);
    expect(ds.prometheus).toEqual({
      name: 'Prometheus',
      type: 'prometheus',
      uid: 'prometheus',
      url: 'http://prometheus-server.monitoring.svc:80',
      access: 'proxy',
      isDefault: true,
      jsonData: { httpMethod: 'POST', timeInterval: '30s' },
    });
    expect(ds.alertmanager).toEqual({
      name: 'Alertmanager',
      type: 'alertmanager',
      uid: 'alertmanager',
      url: 'http://prometheus-alertmanager.monitoring.svc:9093',
      access: 'proxy',
      jsonData: { implementation: 'prometheus', handleGrafanaManagedAlerts: false },
    });
  });

  test('+ Loki: a Loki datasource without a trace link (no Tempo)', () => {
    const ds = standaloneDatasources(WITH_LOKI);
    expect(Object.keys(ds)).toEqual(['prometheus', 'alertmanager', 'loki']);
    expect(ds.loki).toMatchObject({ type: 'loki', url: 'http://loki-gateway.logging.svc:80', access: 'proxy' });
    expect(ds.loki.jsonData.derivedFields).toBeUndefined();
    expect(ds.prometheus.jsonData.exemplarTraceIdDestinations).toBeUndefined();
  });

  test('+ Tempo: trace to metrics, service map, node graph and exemplars, no links to logs', () => {
    const ds = standaloneDatasources(WITH_TEMPO);
    expect(Object.keys(ds)).toEqual(['prometheus', 'alertmanager', 'tempo']);
    expect(ds.tempo).toMatchObject({ type: 'tempo', url: 'http://tempo.tracing.svc:3200', access: 'proxy' });
    expect(ds.tempo.jsonData.tracesToMetrics).toMatchObject({ datasourceUid: 'prometheus' });
    expect(ds.tempo.jsonData.serviceMap).toEqual({ datasourceUid: 'prometheus' });
    expect(ds.tempo.jsonData.nodeGraph).toEqual({ enabled: true });
    expect(ds.tempo.jsonData.tracesToLogsV2).toBeUndefined();
    expect(ds.tempo.jsonData.lokiSearch).toBeUndefined();
    expect(ds.prometheus.jsonData.exemplarTraceIdDestinations).toEqual([
      { name: 'trace_id', datasourceUid: 'tempo', urlDisplayLabel: 'View trace' },
      { name: 'traceID', datasourceUid: 'tempo', urlDisplayLabel: 'View trace' },
    ]);
  });

  test('Loki + Tempo (the default): links both ways', () => {
    const ds = standaloneDatasources({});
    expect(Object.keys(ds)).toEqual(['prometheus', 'alertmanager', 'loki', 'tempo']);
    expect(ds.tempo.jsonData.tracesToLogsV2).toEqual({
      datasourceUid: 'loki',
      spanStartTimeShift: '-5m',
      spanEndTimeShift: '5m',
      tags: [{ key: 'k8s.namespace.name', value: 'namespace' }, { key: 'k8s.pod.name', value: 'pod' }],
      filterByTraceID: true,
      filterBySpanID: false,
    });
    expect(ds.tempo.jsonData.lokiSearch).toEqual({ datasourceUid: 'loki' });
    expect(ds.loki.jsonData.derivedFields).toEqual([{
      name: 'TraceID',
      matcherType: 'regex',
      matcherRegex: LOG_TRACE_ID_REGEX,
      datasourceUid: 'tempo',
      url: '$${__value.raw}',
      urlDisplayLabel: 'View trace',
    }]);
  });

  test('Elasticsearch backend: basic auth and CA from Secrets through env, no Loki', () => {
    const files = synthFiles({ ...WITH_ES, metrics: STANDALONE });
    const values = files[GRAFANA];
    const ds = Object.fromEntries(values.datasources['datasources.yaml'].datasources.map((d: any) => [d.uid, d]));
    expect(Object.keys(ds)).toEqual(['prometheus', 'alertmanager', 'elasticsearch', 'tempo']);
    expect(ds.elasticsearch).toEqual({
      name: 'Elasticsearch',
      type: 'elasticsearch',
      uid: 'elasticsearch',
      url: 'https://elasticsearch-master.logging.svc:9200',
      access: 'proxy',
      basicAuth: true,
      basicAuthUser: 'elastic',
      jsonData: { index: 'logstash-*', timeField: '@timestamp', logMessageField: 'log', tlsAuthWithCACert: true },
      secureJsonData: { basicAuthPassword: '$__env{ELASTICSEARCH_PASSWORD}', tlsCACert: '$__env{ELASTICSEARCH_CA_CERT}' },
    });
    expect(ds.elasticsearch.jsonData.tlsSkipVerify).toBeUndefined();
    expect(values.envValueFrom).toEqual({
      ELASTICSEARCH_PASSWORD: { secretKeyRef: { name: 'elasticsearch-master-credentials', key: 'password', optional: true } },
      ELASTICSEARCH_CA_CERT: { secretKeyRef: { name: 'elasticsearch-master-certs', key: 'ca.crt', optional: true } },
    });
    // No Loki: Tempo does not link to logs.
    expect(ds.tempo.jsonData.tracesToLogsV2).toBeUndefined();
  });

  test('no Elasticsearch, no envValueFrom', () => {
    expect(synthFiles({ metrics: STANDALONE })[GRAFANA].envValueFrom).toBeUndefined();
  });

  test('Alertmanager off: no Alertmanager datasource', () => {
    const ds = standaloneDatasources({ ...METRICS_ONLY, metrics: { alertmanager: false } });
    expect(Object.keys(ds)).toEqual(['prometheus']);
  });
});

describe('datasource builder', () => {
  test('loki-stack: Loki at the loki-stack Service', () => {
    expect(built({ logs: { backend: LogsBackend.LOKI_STACK } }).loki.url).toBe('http://loki-stack.logging.svc:3100');
  });

  test('traces to an external OTLP endpoint: no Tempo datasource and no links to it', () => {
    const ds = built({ traces: { backend: TracesBackend.OTLP_ENDPOINT, otlpEndpoint: 'otel.example.com:4317' } });
    expect(Object.keys(ds)).toEqual(['prometheus', 'alertmanager', 'loki']);
    expect(ds.loki.jsonData.derivedFields).toBeUndefined();
    expect(ds.prometheus.jsonData.exemplarTraceIdDestinations).toBeUndefined();
  });

  test('kube-prometheus-stack URLs for Prometheus and Alertmanager', () => {
    const ds = built({});
    expect(ds.prometheus.url).toBe('http://kube-prometheus-stack-prometheus.monitoring.svc:9090');
    expect(ds.alertmanager.url).toBe('http://kube-prometheus-stack-alertmanager.monitoring.svc:9093');
  });

  test('every link points at a datasource that exists', () => {
    const combos: Options[] = [
      {}, METRICS_ONLY, WITH_LOKI, WITH_TEMPO, WITH_ES,
      { logs: { backend: LogsBackend.LOKI_STACK }, traces: { enabled: false } },
      { traces: { backend: TracesBackend.OTLP_ENDPOINT, otlpEndpoint: 'otel.example.com:4317' } },
      { metrics: { alertmanager: false } },
    ];
    for (const combo of combos) {
      const ds = built(combo);
      const linked = JSON.stringify(ds).match(/"datasourceUid":"[^"]+"/g) ?? [];
      for (const link of linked) expect(Object.keys(ds)).toContain(link.split(':')[1].replace(/"/g, ''));
    }
  });

  test('datasourceBackends follows the options', () => {
    const resolved = resolveOptions({ ...BASE, ...WITH_ES } as ObservabilityGitOpsProjectOptions);
    expect(datasourceBackends(resolved)).toEqual({ prometheus: true, alertmanager: true, loki: false, elasticsearch: true, tempo: true });
  });

  test('the trace id matcher finds logfmt and JSON trace ids', () => {
    const re = new RegExp(LOG_TRACE_ID_REGEX);
    expect(re.exec('level=info trace_id=4bf92f3577b34da6a3ce929d0e0e4736 msg=ok')?.[1]).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(re.exec('{"traceId":"abc123","msg":"ok"}')?.[1]).toBe('abc123');
    expect(re.exec('{"traceID": "def456"}')?.[1]).toBe('def456');
    expect(re.exec('no trace here')).toBeNull();
  });
});

describe('datasources of kube-prometheus-stack', () => {
  test('metrics only: the chart\'s Prometheus and Alertmanager datasources with stable uids, nothing added', () => {
    const g = kpsGrafana(METRICS_ONLY);
    expect(g.sidecar.datasources).toEqual({
      defaultDatasourceEnabled: true,
      uid: 'prometheus',
      alertmanager: { enabled: true, uid: 'alertmanager', implementation: 'prometheus' },
    });
    expect(g.additionalDataSources).toBeUndefined();
  });

  test('+ Loki: Loki added, no exemplar links', () => {
    const g = kpsGrafana(WITH_LOKI);
    expect(g.additionalDataSources.map((d: any) => d.uid)).toEqual(['loki']);
    expect(g.additionalDataSources[0].jsonData.derivedFields).toBeUndefined();
    expect(g.sidecar.datasources.extraJsonData).toBeUndefined();
  });

  test('+ Tempo: Tempo added, Prometheus exemplars link to it', () => {
    const g = kpsGrafana(WITH_TEMPO);
    expect(g.additionalDataSources.map((d: any) => d.uid)).toEqual(['tempo']);
    expect(g.sidecar.datasources.extraJsonData.exemplarTraceIdDestinations).toEqual([
      { name: 'trace_id', datasourceUid: 'tempo', urlDisplayLabel: 'View trace' },
      { name: 'traceID', datasourceUid: 'tempo', urlDisplayLabel: 'View trace' },
    ]);
  });

  test('the default stack: Loki and Tempo with the same cross-links as the standalone Grafana', () => {
    const g = kpsGrafana({});
    const ds = Object.fromEntries(g.additionalDataSources.map((d: any) => [d.uid, d]));
    const expected = built({});
    expect(ds.loki).toEqual(expected.loki);
    expect(ds.tempo).toEqual(expected.tempo);
    expect(ds.tempo.jsonData.tracesToLogsV2.datasourceUid).toBe('loki');
    expect(ds.loki.jsonData.derivedFields[0].datasourceUid).toBe('tempo');
  });

  test('Elasticsearch backend: datasource and Secret env on the Grafana container', () => {
    const g = kpsGrafana(WITH_ES);
    expect(g.additionalDataSources.map((d: any) => d.uid)).toEqual(['elasticsearch', 'tempo']);
    expect(g.envValueFrom.ELASTICSEARCH_PASSWORD.secretKeyRef).toMatchObject({ name: 'elasticsearch-master-credentials', key: 'password' });
    expect(g.envValueFrom.ELASTICSEARCH_CA_CERT.secretKeyRef).toMatchObject({ name: 'elasticsearch-master-certs', key: 'ca.crt' });
  });
});

describe('Grafana exposure, persistence and dashboards (both flavors)', () => {
  const flavors: Array<[string, (o: Options) => any]> = [
    ['kube-prometheus-stack', (o) => synthFiles(o)[KPS].grafana],
    ['standalone', (o) => synthFiles({ ...o, metrics: STANDALONE })[GRAFANA]],
  ];

  test.each(flavors)('%s: ClusterIP by default, admin from the Secret, dashboards sidecar on every namespace', (_, values) => {
    const g = values({});
    expect(g.service).toEqual({ type: 'ClusterIP' });
    expect(g.ingress).toBeUndefined();
    expect(g.persistence).toBeUndefined();
    expect(g.admin).toEqual({ existingSecret: 'grafana-admin-credentials', userKey: 'admin-user', passwordKey: 'admin-password' });
    expect(g.adminPassword).toBeUndefined();
    expect(g.sidecar.dashboards).toEqual({
      enabled: true,
      label: 'grafana_dashboard',
      labelValue: '1',
      searchNamespace: 'ALL',
      folderAnnotation: 'grafana_folder',
      provider: { foldersFromFilesStructure: true },
    });
  });

  test.each(flavors)('%s: Ingress with class and TLS, and the public root URL', (_, values) => {
    const g = values({
      grafana: {
        exposure: GrafanaExposure.INGRESS,
        ingressHost: 'grafana.example.com',
        ingressClassName: 'nginx',
        ingressTlsSecretName: 'grafana-tls',
      },
    });
    expect(g.ingress).toEqual({
      enabled: true,
      ingressClassName: 'nginx',
      hosts: ['grafana.example.com'],
      path: '/',
      pathType: 'Prefix',
      tls: [{ secretName: 'grafana-tls', hosts: ['grafana.example.com'] }],
    });
    expect(g['grafana.ini']).toEqual({ server: { root_url: 'https://grafana.example.com/' } });
    expect(g.service).toBeUndefined();
  });

  test.each(flavors)('%s: Ingress without TLS is served over http', (_, values) => {
    const g = values({ grafana: { exposure: GrafanaExposure.INGRESS, ingressHost: 'grafana.internal' } });
    expect(g.ingress.tls).toBeUndefined();
    expect(g.ingress.ingressClassName).toBeUndefined();
    expect(g['grafana.ini'].server.root_url).toBe('http://grafana.internal/');
  });

  test.each(flavors)('%s: persistence on a ReadWriteOnce volume, pod replaced on update', (_, values) => {
    const g = values({ grafana: { persistence: { size: '20Gi', storageClassName: 'standard' } } });
    expect(g.persistence).toEqual({ enabled: true, type: 'pvc', accessModes: ['ReadWriteOnce'], size: '20Gi', storageClassName: 'standard' });
    expect(g.deploymentStrategy).toEqual({ type: 'Recreate' });
  });

  test('the grafana Application: grafana area, STACKS wave, metrics namespace', () => {
    const files = synthFiles({ metrics: STANDALONE });
    const app = files['argocd/apps/in-cluster/grafana.yaml'];
    expect(app.spec.destination.namespace).toBe('monitoring');
    expect(Number(app.metadata.annotations['argocd.argoproj.io/sync-wave'])).toBe(30);
    expect(files['argocd/apps/project.yaml'].spec.clusterResourceWhitelist)
      .toContainEqual({ group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' });
  });
});

describe('NodePort exposure', () => {
  // Built without synth: the grafana key catalog does not list `service.nodePort`, although the
  // chart's service template uses it (see the report). Synth rejects the key until the catalog has it.
  const nodePort = (flavor: MetricsFlavor, port?: number) => resolveOptions({
    ...BASE, metrics: { flavor }, grafana: { exposure: GrafanaExposure.NODE_PORT, nodePort: port },
  } as ObservabilityGitOpsProjectOptions);

  test('standalone: a NodePort Service on grafana.nodePort', () => {
    expect(grafanaPart.build(nodePort(MetricsFlavor.STANDALONE, 31000))!.values.service).toEqual({ type: 'NodePort', nodePort: 31000 });
  });

  test('kube-prometheus-stack: the same under grafana., default port 30300', () => {
    const values: any = kubePrometheusStack.build(nodePort(MetricsFlavor.KUBE_PROMETHEUS_STACK))!.values;
    expect(values.grafana.service).toEqual({ type: 'NodePort', nodePort: 30300 });
    expect(values.grafana.ingress).toBeUndefined();
  });
});

describe('no plaintext secret in the generated files', () => {
  const combos: Array<[string, Options]> = [
    ['default', {}],
    ['Elasticsearch, standalone, Ingress with TLS, persistence', {
      ...WITH_ES,
      metrics: STANDALONE,
      grafana: { exposure: GrafanaExposure.INGRESS, ingressHost: 'g.example.com', ingressTlsSecretName: 'g-tls', persistence: {} },
    }],
    ['Elasticsearch with kube-prometheus-stack', WITH_ES],
  ];

  /** Every string under a key named like a password, anywhere in a parsed document. */
  function passwordValues(node: unknown, found: string[] = []): string[] {
    if (Array.isArray(node)) {
      node.forEach((n) => passwordValues(n, found));
    } else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (/password$/i.test(key) && typeof value === 'string') found.push(value);
        passwordValues(value, found);
      }
    }
    return found;
  }

  test.each(combos)('%s', (_, options) => {
    const files = synthFiles(options);
    const raw = synthRaw(options);
    for (const [file, doc] of Object.entries(files)) {
      if (!file.endsWith('.yaml')) continue;
      // A password key holds nothing, or a reference Grafana expands at run time.
      for (const value of passwordValues(doc)) expect([file, value]).toEqual([file, expect.stringMatching(/^(|\$__(env|file)\{[A-Za-z0-9_./-]+\})$/)]);
    }
    for (const [file, content] of Object.entries(raw)) {
      if (typeof content !== 'string') continue;
      expect([file, /adminPassword|GF_SECURITY_ADMIN_PASSWORD/.test(content)]).toEqual([file, false]);
    }
    const grafanaValues = files[GRAFANA] ?? files[KPS].grafana;
    expect(grafanaValues.admin.existingSecret).toBe('grafana-admin-credentials');
  });
});
