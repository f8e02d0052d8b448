import { ChartCatalog, MetricsFlavor, TracesBackend } from '../../src';
import { scrapeTimeout } from '../../src/model/parts/metrics/prometheus-common';
import { promDurationMs } from '../../src/validation/option-checks';
import { synthFiles } from '../util';

const KPS = 'values/kube-prometheus-stack.yaml';
const PROMETHEUS = 'values/prometheus.yaml';
const wave = (app: any) => Number(app.metadata.annotations['argocd.argoproj.io/sync-wave']);

describe('kube-prometheus-stack (default flavor)', () => {
  const files = synthFiles();
  const values = files[KPS];
  const spec = values.prometheus.prometheusSpec;

  test('Prometheus takes retention, storage, scrape interval and replicas from the options', () => {
    expect(spec).toMatchObject({
      replicas: 1,
      retention: '15d',
      scrapeInterval: '30s',
      evaluationInterval: '30s',
      storageSpec: {
        volumeClaimTemplate: {
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '50Gi' } } },
        },
      },
    });
    // No class: the cluster's default storage class.
    expect(spec.storageSpec.volumeClaimTemplate.spec.storageClassName).toBeUndefined();
    expect(spec.retentionSize).toBeUndefined();
    // The single-node profile's small requests (no limits).
    expect(spec.resources).toEqual({ requests: { cpu: '100m', memory: '512Mi' } });
  });

  test('keeps CRDs off, selectors open and the cluster external label', () => {
    expect(values.crds).toEqual({ enabled: false });
    expect(spec).toMatchObject({
      serviceMonitorSelectorNilUsesHelmValues: false,
      podMonitorSelectorNilUsesHelmValues: false,
      probeSelectorNilUsesHelmValues: false,
      scrapeConfigSelectorNilUsesHelmValues: false,
      ruleSelectorNilUsesHelmValues: false,
      externalLabels: { cluster: 'in-cluster' },
    });
  });

  test('Tempo on (the default): remote-write receiver and exemplar storage', () => {
    expect(spec.enableRemoteWriteReceiver).toBe(true);
    expect(spec.enableFeatures).toEqual(['exemplar-storage']);
  });

  test('one Alertmanager, node-exporter and kube-state-metrics by default', () => {
    expect(values.alertmanager).toMatchObject({ enabled: true, alertmanagerSpec: { replicas: 1 } });
    expect(values.nodeExporter).toEqual({ enabled: true });
    expect(values.kubeStateMetrics).toEqual({ enabled: true });
  });

  test('the Application syncs after the CRDs, server-side, into the metrics namespace', () => {
    const app = files['argocd/apps/in-cluster/kube-prometheus-stack.yaml'];
    const crds = files['argocd/apps/in-cluster/prometheus-operator-crds.yaml'];
    expect(app.spec.destination.namespace).toBe('monitoring');
    expect(app.spec.syncPolicy.syncOptions).toContain('ServerSideApply=true');
    expect(wave(crds)).toBeLessThan(wave(app));
    expect(app.spec.sources[0]).toMatchObject({ chart: 'kube-prometheus-stack', targetRevision: ChartCatalog.get('kube-prometheus-stack').version });
  });

  test('no standalone prometheus, grafana or metrics-server by default', () => {
    expect(files[PROMETHEUS]).toBeUndefined();
    expect(files['values/grafana.yaml']).toBeUndefined();
    expect(files['values/metrics-server.yaml']).toBeUndefined();
  });
});

describe('kube-prometheus-stack options', () => {
  test('Alertmanager HA: three replicas form one cluster', () => {
    const values = synthFiles({ metrics: { alertmanagerReplicas: 3 } })[KPS];
    expect(values.alertmanager).toMatchObject({ enabled: true, alertmanagerSpec: { replicas: 3 } });
    expect(values.grafana.sidecar.datasources.alertmanager).toMatchObject({ enabled: true, uid: 'alertmanager' });
  });

  test('Alertmanager off: no Alertmanager and no Alertmanager datasource', () => {
    const values = synthFiles({ metrics: { alertmanager: false } })[KPS];
    expect(values.alertmanager).toEqual({ enabled: false });
    expect(values.grafana.sidecar.datasources.alertmanager).toEqual({ enabled: false });
  });

  test('retentionSize, storage class, resources, scrape interval and Prometheus replicas', () => {
    const spec = synthFiles({
      metrics: {
        retention: '30d',
        retentionSize: '45GB',
        storage: { size: '200Gi', storageClassName: 'fast-ssd' },
        resources: { cpuRequest: '500m', memoryRequest: '2Gi', memoryLimit: '4Gi' },
        scrapeInterval: '15s',
        prometheusReplicas: 2,
      },
    })[KPS].prometheus.prometheusSpec;
    expect(spec).toMatchObject({
      replicas: 2,
      retention: '30d',
      retentionSize: '45GB',
      scrapeInterval: '15s',
      evaluationInterval: '15s',
      resources: { requests: { cpu: '500m', memory: '2Gi' }, limits: { memory: '4Gi' } },
    });
    expect(spec.storageSpec.volumeClaimTemplate.spec).toEqual({
      storageClassName: 'fast-ssd',
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '200Gi' } },
    });
  });

  test('node-exporter and kube-state-metrics can be turned off', () => {
    const values = synthFiles({ metrics: { nodeExporter: false, kubeStateMetrics: false } })[KPS];
    expect(values.nodeExporter).toEqual({ enabled: false });
    expect(values.kubeStateMetrics).toEqual({ enabled: false });
  });

  test('without Tempo there is no remote-write receiver and no exemplar storage', () => {
    for (const traces of [{ enabled: false }, { backend: TracesBackend.OTLP_ENDPOINT, otlpEndpoint: 'otel.example.com:4317' }]) {
      const spec = synthFiles({ traces })[KPS].prometheus.prometheusSpec;
      expect(spec.enableRemoteWriteReceiver).toBeUndefined();
      expect(spec.enableFeatures).toBeUndefined();
    }
  });

  test('Grafana off: only grafana.enabled false is written', () => {
    const values = synthFiles({ grafana: { enabled: false } })[KPS];
    expect(values.grafana).toEqual({ enabled: false });
  });

  test('several clusters: the cluster label goes into each cluster file', () => {
    const files = synthFiles({ clusters: [{ name: 'prod-eu-1' }, { name: 'prod-us-1', server: 'https://prod-us-1.example.com' }] });
    expect(files['values/clusters/prod-eu-1/kube-prometheus-stack.yaml'].prometheus.prometheusSpec.externalLabels)
      .toEqual({ cluster: 'prod-eu-1' });
    expect(files[KPS].prometheus.prometheusSpec.externalLabels).toBeUndefined();
  });
});

describe('standalone flavor', () => {
  const standalone = { metrics: { flavor: MetricsFlavor.STANDALONE } };
  const files = synthFiles(standalone);

  test('prometheus and grafana parts, no kube-prometheus-stack and no operator CRDs', () => {
    const apps = Object.keys(files).filter((f) => f.startsWith('argocd/apps/in-cluster/'));
    expect(apps).toEqual(expect.arrayContaining([
      'argocd/apps/in-cluster/prometheus.yaml',
      'argocd/apps/in-cluster/grafana.yaml',
    ]));
    expect(files['argocd/apps/in-cluster/kube-prometheus-stack.yaml']).toBeUndefined();
    expect(files['argocd/apps/in-cluster/prometheus-operator-crds.yaml']).toBeUndefined();
    expect(files[KPS]).toBeUndefined();
  });

  test('both Applications deploy the pinned charts into the metrics namespace in the stacks wave', () => {
    for (const part of ['prometheus', 'grafana']) {
      const app = files[`argocd/apps/in-cluster/${part}.yaml`];
      expect(app.spec.sources[0]).toMatchObject({
        repoURL: ChartCatalog.get(part).repoUrl,
        chart: part,
        targetRevision: ChartCatalog.get(part).version,
        helm: { releaseName: part },
      });
      expect(app.spec.destination.namespace).toBe('monitoring');
      expect(wave(app)).toBe(30);
    }
  });

  test('Prometheus server: retention, volume, replicas, global intervals, cluster label', () => {
    const server = files[PROMETHEUS].server;
    expect(server).toMatchObject({
      statefulSet: { enabled: true },
      replicaCount: 1,
      retention: '15d',
      persistentVolume: { enabled: true, accessModes: ['ReadWriteOnce'], size: '50Gi' },
      global: { scrape_interval: '30s', scrape_timeout: '10s', evaluation_interval: '30s', external_labels: { cluster: 'in-cluster' } },
    });
    expect(server.persistentVolume.storageClass).toBeUndefined();
    expect(server.retentionSize).toBeUndefined();
  });

  test('Tempo on: remote-write receiver and exemplar storage flags, keeping web.enable-lifecycle', () => {
    expect(files[PROMETHEUS].server.extraFlags).toEqual([
      'web.enable-lifecycle', 'web.enable-remote-write-receiver', 'enable-feature=exemplar-storage',
    ]);
    const noTempo = synthFiles({ ...standalone, traces: { enabled: false } })[PROMETHEUS].server;
    expect(noTempo.extraFlags).toBeUndefined();
  });

  test('sub-charts: Alertmanager, node-exporter, kube-state-metrics on, pushgateway off', () => {
    const values = files[PROMETHEUS];
    expect(values.alertmanager).toMatchObject({ enabled: true, replicaCount: 1 });
    expect(values['prometheus-node-exporter']).toEqual({ enabled: true });
    expect(values['kube-state-metrics']).toEqual({ enabled: true });
    expect(values['prometheus-pushgateway']).toEqual({ enabled: false });
  });

  test('options: HA Alertmanager, retentionSize, class, resources, replicas, sub-charts off', () => {
    const values = synthFiles({
      metrics: {
        flavor: MetricsFlavor.STANDALONE,
        alertmanagerReplicas: 3,
        retentionSize: '40GB',
        storage: { size: '100Gi', storageClassName: 'fast-ssd' },
        resources: { cpuRequest: '1', memoryLimit: '8Gi' },
        prometheusReplicas: 2,
        nodeExporter: false,
        kubeStateMetrics: false,
      },
    })[PROMETHEUS];
    expect(values.alertmanager).toMatchObject({ enabled: true, replicaCount: 3 });
    expect(values.server).toMatchObject({
      replicaCount: 2,
      retentionSize: '40GB',
      persistentVolume: { size: '100Gi', storageClass: 'fast-ssd' },
      resources: { requests: { cpu: '1' }, limits: { memory: '8Gi' } },
    });
    expect(values['prometheus-node-exporter']).toEqual({ enabled: false });
    expect(values['kube-state-metrics']).toEqual({ enabled: false });
  });

  test('Alertmanager off', () => {
    const values = synthFiles({ metrics: { flavor: MetricsFlavor.STANDALONE, alertmanager: false } })[PROMETHEUS];
    expect(values.alertmanager).toEqual({ enabled: false });
  });

  test('a scrape interval under 10s lowers the scrape timeout to it (Prometheus rejects timeout > interval)', () => {
    const global = synthFiles({ metrics: { flavor: MetricsFlavor.STANDALONE, scrapeInterval: '5s' } })[PROMETHEUS].server.global;
    expect(global).toMatchObject({ scrape_interval: '5s', scrape_timeout: '5s', evaluation_interval: '5s' });
  });

  test('several clusters: external labels per cluster file', () => {
    const multi = synthFiles({ ...standalone, clusters: [{ name: 'a' }, { name: 'b', server: 'https://b.example.com' }] });
    expect(multi['values/clusters/b/prometheus.yaml']).toEqual({ server: { global: { external_labels: { cluster: 'b' } } } });
    expect(multi[PROMETHEUS].server.global.external_labels).toBeUndefined();
  });

  test('Grafana off: no grafana part', () => {
    const off = synthFiles({ ...standalone, grafana: { enabled: false } });
    expect(off['argocd/apps/in-cluster/grafana.yaml']).toBeUndefined();
    expect(off[PROMETHEUS]).toBeDefined();
  });
});

describe('metrics-server', () => {
  const files = synthFiles({ metrics: { metricsServer: true } });

  test('an Application in kube-system, in the infrastructure wave, with the chart defaults', () => {
    const app = files['argocd/apps/in-cluster/metrics-server.yaml'];
    expect(app.spec.destination.namespace).toBe('kube-system');
    expect(app.spec.sources[0]).toMatchObject({ chart: 'metrics-server', targetRevision: ChartCatalog.get('metrics-server').version });
    expect(wave(app)).toBe(20);
    expect(wave(app)).toBeLessThan(wave(files['argocd/apps/in-cluster/kube-prometheus-stack.yaml']));
    // Chart defaults: no --kubelet-insecure-tls.
    expect(files['values/metrics-server.yaml']).toEqual({});
  });

  test('the AppProject allows kube-system, the APIService and the RBAC kinds', () => {
    const project = files['argocd/apps/project.yaml'];
    expect(project.spec.destinations).toContainEqual({ server: 'https://kubernetes.default.svc', namespace: 'kube-system' });
    expect(project.spec.sourceRepos).toContain(ChartCatalog.get('metrics-server').repoUrl);
    expect(project.spec.clusterResourceWhitelist).toEqual(expect.arrayContaining([
      { group: 'apiregistration.k8s.io', kind: 'APIService' },
      { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
      { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
    ]));
  });

  test('serves the resource metrics API even without the Prometheus stack', () => {
    const alone = synthFiles({ metrics: { enabled: false, metricsServer: true } });
    expect(alone['argocd/apps/in-cluster/metrics-server.yaml']).toBeDefined();
    expect(alone[KPS]).toBeUndefined();
    expect(alone[PROMETHEUS]).toBeUndefined();
  });

  test('off by default: no APIService in the AppProject', () => {
    const project = synthFiles()['argocd/apps/project.yaml'];
    expect(project.spec.clusterResourceWhitelist).not.toContainEqual({ group: 'apiregistration.k8s.io', kind: 'APIService' });
  });
});

describe('Prometheus durations', () => {
  test('promDurationMs adds every unit', () => {
    expect(promDurationMs('1m30s')).toBe(90_000);
    expect(promDurationMs('500ms')).toBe(500);
    expect(promDurationMs('1d')).toBe(86_400_000);
  });

  test('scrapeTimeout is 10s, or the interval when shorter', () => {
    expect(scrapeTimeout('30s')).toBe('10s');
    expect(scrapeTimeout('10s')).toBe('10s');
    expect(scrapeTimeout('5s')).toBe('5s');
    expect(scrapeTimeout('1m')).toBe('10s');
  });
});
