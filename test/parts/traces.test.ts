import { ChartCatalog, InstrumentationLanguage, MetricsFlavor, TracesBackend } from '../../src';
import { opentelemetryOperator } from '../../src/model/parts/opentelemetry-operator';
import { instrumentationReadmeLines, opentelemetryResources } from '../../src/model/parts/opentelemetry-resources';
import { tempo } from '../../src/model/parts/tempo';
import { resolveOptions } from '../../src/options/resolve';
import { validateAgainstCrd } from '../../src/validation/crd-schema';
import { BASE, synthFiles } from '../util';

/** Logs off: these tests are about traces (and their link to metrics). */
const NO_LOGS = { logs: { enabled: false } };

const RESOURCES_DIR = 'manifests/in-cluster/opentelemetry-resources';
const COLLECTOR = `${RESOURCES_DIR}/opentelemetrycollector-gateway.yaml`;
const INSTRUMENTATION = `${RESOURCES_DIR}/instrumentation-default.yaml`;
const CLUSTER_ROLE = `${RESOURCES_DIR}/clusterrole-gateway-collector-tracing-k8s-attributes.yaml`;
const CLUSTER_ROLE_BINDING = `${RESOURCES_DIR}/clusterrolebinding-gateway-collector-tracing-k8s-attributes.yaml`;

const wave = (app: any) => Number(app.metadata.annotations['argocd.argoproj.io/sync-wave']);

function resolved(options: Record<string, unknown> = {}) {
  return resolveOptions({ ...BASE, ...options } as any);
}

describe('traces: defaults (Tempo, operator, gateway, instrumentation)', () => {
  const files = synthFiles(NO_LOGS);

  test('three Applications in dependency order: operator (10), Tempo (30), resources (40)', () => {
    const operator = files['argocd/apps/in-cluster/opentelemetry-operator.yaml'];
    const tempoApp = files['argocd/apps/in-cluster/tempo.yaml'];
    const resources = files['argocd/apps/in-cluster/opentelemetry-resources.yaml'];
    expect([wave(operator), wave(tempoApp), wave(resources)]).toEqual([10, 30, 40]);
    expect(operator.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'opentelemetry-operator-system' });
    expect(tempoApp.spec.destination.namespace).toBe('tracing');
    expect(resources.spec.destination.namespace).toBe('tracing');
  });

  test('the operator and Tempo come from their pinned charts', () => {
    const operator = files['argocd/apps/in-cluster/opentelemetry-operator.yaml'];
    expect(operator.spec.sources[0]).toMatchObject({
      repoURL: 'https://open-telemetry.github.io/opentelemetry-helm-charts',
      chart: 'opentelemetry-operator',
      targetRevision: ChartCatalog.get('opentelemetry-operator').version,
      helm: { releaseName: 'opentelemetry-operator' },
    });
    // Large CRDs: server-side apply.
    expect(operator.spec.syncPolicy.syncOptions).toEqual(['CreateNamespace=true', 'ServerSideApply=true']);
    const tempoApp = files['argocd/apps/in-cluster/tempo.yaml'];
    expect(tempoApp.spec.sources[0]).toMatchObject({
      repoURL: 'https://grafana-community.github.io/helm-charts',
      chart: 'tempo',
      targetRevision: '2.2.4',
      helm: { releaseName: 'tempo', valueFiles: ['$values/values/tempo.yaml', '$values/values/overrides/tempo.yaml'] },
    });
  });

  test('the resources Application syncs only its manifests folder, skipping the dry run of missing CRDs', () => {
    const app = files['argocd/apps/in-cluster/opentelemetry-resources.yaml'];
    expect(app.spec.sources).toEqual([
      { repoURL: 'https://github.com/acme/observability.git', targetRevision: 'main', path: RESOURCES_DIR },
    ]);
    expect(app.spec.syncPolicy.syncOptions).toEqual(['CreateNamespace=true', 'SkipDryRunOnMissingResource=true']);
    expect(files['values/opentelemetry-resources.yaml']).toBeUndefined();
    expect(Object.keys(files).filter((f) => f.startsWith(`${RESOURCES_DIR}/`)).sort()).toEqual(
      [CLUSTER_ROLE, CLUSTER_ROLE_BINDING, INSTRUMENTATION, COLLECTOR].sort());
  });

  test('Tempo: OTLP receivers on 0.0.0.0, retention, persistent storage, ServiceMonitor', () => {
    const values = files['values/tempo.yaml'];
    expect(values.tempo.receivers).toEqual({
      otlp: { protocols: { grpc: { endpoint: '0.0.0.0:4317' }, http: { endpoint: '0.0.0.0:4318' } } },
    });
    expect(values.tempo.retention).toBe('336h');
    expect(values.persistence).toEqual({ enabled: true, size: '10Gi' });
    expect(values.serviceMonitor).toEqual({ enabled: true });
  });

  test('Tempo: metrics-generator remote-writes service graphs and span metrics (with exemplars) to Prometheus', () => {
    const values = files['values/tempo.yaml'];
    expect(values.tempo.metricsGenerator).toEqual({
      enabled: true,
      storage: {
        path: '/var/tempo/generator/wal',
        remote_write: [{ url: 'http://kube-prometheus-stack-prometheus.monitoring.svc:9090/api/v1/write', send_exemplars: true }],
      },
      traces_storage: { path: '/var/tempo/generator/traces' },
    });
    expect(values.tempo.overrides).toEqual({ defaults: { metrics_generator: { processors: ['service-graphs', 'span-metrics'] } } });
  });

  test('operator: chart-generated webhook certificates (no cert-manager), k8s collector distribution', () => {
    const values = files['values/opentelemetry-operator.yaml'];
    expect(values.admissionWebhooks).toEqual({ certManager: { enabled: false }, autoGenerateCert: { enabled: true } });
    expect(values.crds).toEqual({ create: true });
    expect(values.manager.collectorImage).toEqual({
      repository: 'ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-k8s',
    });
    // Every language on: Go needs the operator flag; only Apache HTTPD (gRPC only) is switched off.
    expect(values.manager.autoInstrumentation).toEqual({ go: { enabled: true } });
    expect(values.manager.extraArgs).toEqual(['--enable-apache-httpd-instrumentation=false']);
  });

  test('operator: Argo CD ignores the regenerated caBundles and certificate Secret', () => {
    const app = files['argocd/apps/in-cluster/opentelemetry-operator.yaml'];
    expect(app.spec.ignoreDifferences).toEqual([
      {
        group: 'admissionregistration.k8s.io',
        kind: 'MutatingWebhookConfiguration',
        name: 'opentelemetry-operator-mutation',
        jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'],
      },
      {
        group: 'admissionregistration.k8s.io',
        kind: 'ValidatingWebhookConfiguration',
        name: 'opentelemetry-operator-validation',
        jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'],
      },
      { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition', jsonPointers: ['/spec/conversion/webhook/clientConfig/caBundle'] },
      {
        group: '',
        kind: 'Secret',
        name: 'opentelemetry-operator-controller-manager-service-cert',
        namespace: 'opentelemetry-operator-system',
        jsonPointers: ['/data'],
      },
    ]);
    // A partial apply would pair an old caBundle with a new certificate.
    expect(app.spec.syncPolicy.syncOptions).not.toContain('RespectIgnoreDifferences=true');
    expect(app.spec.syncPolicy.syncOptions).not.toContain('ApplyOutOfSyncOnly=true');
  });

  test('gateway collector: OTLP in on 0.0.0.0, cluster name added, OTLP/gRPC to Tempo without TLS', () => {
    const collector = files[COLLECTOR];
    expect(collector).toMatchObject({
      apiVersion: 'opentelemetry.io/v1beta1',
      kind: 'OpenTelemetryCollector',
      metadata: { name: 'gateway', namespace: 'tracing' },
      spec: { mode: 'deployment' },
    });
    const config = collector.spec.config;
    expect(config.receivers.otlp.protocols).toEqual({ grpc: { endpoint: '0.0.0.0:4317' }, http: { endpoint: '0.0.0.0:4318' } });
    expect(config.processors.resource).toEqual({ attributes: [{ key: 'k8s.cluster.name', value: 'in-cluster', action: 'upsert' }] });
    expect(config.exporters).toEqual({ otlp_grpc: { endpoint: 'tempo.tracing.svc:4317', tls: { insecure: true } } });
    expect(config.service.pipelines).toEqual({
      traces: { receivers: ['otlp'], processors: ['memory_limiter', 'k8s_attributes', 'resource', 'batch'], exporters: ['otlp_grpc'] },
    });
    // memory_limiter's percentages need a memory limit.
    expect(collector.spec.resources.limits.memory).toBe('512Mi');
  });

  test('gateway collector: its own metrics on :8888, scraped through the ServiceMonitor the operator creates', () => {
    const collector = files[COLLECTOR];
    expect(collector.spec.config.service.telemetry.metrics.readers).toEqual([{ pull: { exporter: { prometheus: { host: '0.0.0.0', port: 8888 } } } }]);
    expect(collector.spec.observability).toEqual({ metrics: { enableMetrics: true } });
  });

  test('gateway collector, standalone prometheus chart: no ServiceMonitor, no prometheus.io/scrape pod annotations', () => {
    // No ServiceMonitor CRD: a job of prometheus.yml scrapes the monitoring Service
    // (test/alerts/standalone-stack-scrape.test.ts); without the operator's default pod
    // annotations the chart's kubernetes-pods job does not scrape the collector a second time.
    const standalone = synthFiles({ ...NO_LOGS, metrics: { flavor: 'standalone' } } as any)[COLLECTOR];
    expect(standalone.spec.observability).toEqual({ metrics: { enableMetrics: false, disablePrometheusAnnotations: true } });
  });

  test('gateway collector: the k8s_attributes processor can read pods, namespaces and replicasets', () => {
    expect(files[CLUSTER_ROLE].rules).toEqual([
      { apiGroups: [''], resources: ['pods', 'namespaces'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['apps'], resources: ['replicasets'], verbs: ['get', 'list', 'watch'] },
    ]);
    expect(files[CLUSTER_ROLE_BINDING]).toMatchObject({
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'gateway-collector-tracing-k8s-attributes' },
      // The ServiceAccount the operator creates for the "gateway" collector.
      subjects: [{ kind: 'ServiceAccount', name: 'gateway-collector', namespace: 'tracing' }],
    });
  });

  test('Instrumentation: OTLP/HTTP to the gateway, W3C propagation, parent-based ratio sampling, every language', () => {
    const inst = files[INSTRUMENTATION];
    expect(inst).toMatchObject({ apiVersion: 'opentelemetry.io/v1alpha1', kind: 'Instrumentation', metadata: { name: 'default', namespace: 'tracing' } });
    expect(inst.spec.exporter).toEqual({ endpoint: 'http://gateway-collector.tracing.svc:4318' });
    expect(inst.spec.propagators).toEqual(['tracecontext', 'baggage']);
    expect(inst.spec.sampler).toEqual({ type: 'parentbased_traceidratio', argument: '1' });
    for (const language of ['java', 'nodejs', 'python', 'dotnet', 'go']) {
      expect(inst.spec[language].env).toEqual([
        { name: 'OTEL_EXPORTER_OTLP_PROTOCOL', value: 'http/protobuf' },
        { name: 'OTEL_METRICS_EXPORTER', value: 'none' },
        { name: 'OTEL_LOGS_EXPORTER', value: 'none' },
      ]);
    }
  });

  test('the generated custom resources validate against the vendored CRD schemas', () => {
    expect(validateAgainstCrd(files[COLLECTOR])).toEqual([]);
    expect(validateAgainstCrd(files[INSTRUMENTATION])).toEqual([]);
  });

  test('a broken variant fails validation (typo, bad sampler, pipeline without exporters)', () => {
    const inst = JSON.parse(JSON.stringify(files[INSTRUMENTATION]));
    inst.spec.sampler = { type: 'parentbased_ratio', argument: 0.1 };
    inst.spec.exporter.endpointt = 'x';
    const problems = validateAgainstCrd(inst);
    expect(problems).toEqual(expect.arrayContaining([
      expect.objectContaining({ path: '/spec/sampler/type', message: expect.stringMatching(/must be one of .*"parentbased_traceidratio"/) }),
      expect.objectContaining({ path: '/spec/sampler/argument', message: expect.stringMatching(/must be string/) }),
      expect.objectContaining({ path: '/spec/exporter', message: expect.stringMatching(/unknown field "endpointt" \(did you mean "endpoint"\?\)/) }),
    ]));

    const collector = JSON.parse(JSON.stringify(files[COLLECTOR]));
    delete collector.spec.config.service.pipelines.traces.exporters;
    collector.spec.mode = 'gateway';
    const collectorProblems = validateAgainstCrd(collector);
    expect(collectorProblems).toEqual(expect.arrayContaining([
      expect.objectContaining({ path: '/spec/config/service/pipelines/traces', message: expect.stringMatching(/exporters/) }),
      expect.objectContaining({ path: '/spec/mode' }),
    ]));
  });

  test('the AppProject allows the cluster-scoped kinds of the three parts', () => {
    const whitelist = files['argocd/apps/project.yaml'].spec.clusterResourceWhitelist;
    for (const kind of [
      { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' },
      { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
      { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
      { group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration' },
      { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration' },
    ]) expect(whitelist).toContainEqual(kind);
    expect(files['argocd/apps/project.yaml'].spec.sourceRepos).toEqual(expect.arrayContaining([
      'https://open-telemetry.github.io/opentelemetry-helm-charts',
      'https://grafana-community.github.io/helm-charts',
    ]));
  });
});

describe('traces: variations', () => {
  test('OTLP_ENDPOINT backend: no Tempo, the gateway exports to the given endpoint with TLS', () => {
    const files = synthFiles({ ...NO_LOGS, traces: { backend: TracesBackend.OTLP_ENDPOINT, otlpEndpoint: 'otlp.example.com:4317' } });
    expect(files['argocd/apps/in-cluster/tempo.yaml']).toBeUndefined();
    expect(files['values/tempo.yaml']).toBeUndefined();
    expect(files['argocd/apps/in-cluster/opentelemetry-operator.yaml']).toBeDefined();
    expect(files[COLLECTOR].spec.config.exporters).toEqual({ otlp_grpc: { endpoint: 'otlp.example.com:4317' } });
    // SDKs still go through the gateway.
    expect(files[INSTRUMENTATION].spec.exporter.endpoint).toBe('http://gateway-collector.tracing.svc:4318');
  });

  test('sampler ratio 0.1 becomes the string argument "0.1"', () => {
    const files = synthFiles({ ...NO_LOGS, traces: { samplerRatio: 0.1 } });
    expect(files[INSTRUMENTATION].spec.sampler).toEqual({ type: 'parentbased_traceidratio', argument: '0.1' });
  });

  test('two clusters: one gateway per cluster, each labelling spans with its own cluster name', () => {
    const files = synthFiles({
      ...NO_LOGS,
      clusters: [{ name: 'prod-eu', server: 'https://eu.example.com' }, { name: 'prod-us', server: 'https://us.example.com' }],
    });
    const clusterName = (cluster: string) => files[`manifests/${cluster}/opentelemetry-resources/opentelemetrycollector-gateway.yaml`]
      .spec.config.processors.resource.attributes[0];
    expect(clusterName('prod-eu')).toEqual({ key: 'k8s.cluster.name', value: 'prod-eu', action: 'upsert' });
    expect(clusterName('prod-us')).toEqual({ key: 'k8s.cluster.name', value: 'prod-us', action: 'upsert' });
    expect(files['argocd/apps/prod-us/opentelemetry-resources.yaml'].spec.sources[0].path).toBe('manifests/prod-us/opentelemetry-resources');
    expect(files['argocd/apps/prod-us/opentelemetry-resources.yaml'].spec.destination.server).toBe('https://us.example.com');
  });

  test('traces off: none of the three parts', () => {
    const files = synthFiles({ ...NO_LOGS, traces: { enabled: false } });
    const traceFiles = Object.keys(files).filter((f) => /tempo|opentelemetry/.test(f));
    expect(traceFiles).toEqual([]);
    const options = resolved({ traces: { enabled: false } });
    expect([tempo, opentelemetryOperator, opentelemetryResources].map((p) => p.build(options))).toEqual([undefined, undefined, undefined]);
    expect(instrumentationReadmeLines(options)).toEqual([]);
  });

  test('a subset of languages: only those in the Instrumentation, the others disabled in the operator', () => {
    const files = synthFiles({
      ...NO_LOGS,
      traces: { instrumentationLanguages: [InstrumentationLanguage.JAVA, InstrumentationLanguage.PYTHON] },
    });
    const spec = files[INSTRUMENTATION].spec;
    expect(Object.keys(spec).sort()).toEqual(['exporter', 'java', 'propagators', 'python', 'sampler']);
    const values = files['values/opentelemetry-operator.yaml'];
    expect(values.manager.autoInstrumentation).toEqual({ go: { enabled: false } });
    expect(values.manager.extraArgs).toEqual([
      '--enable-nodejs-instrumentation=false',
      '--enable-dotnet-instrumentation=false',
      '--enable-apache-httpd-instrumentation=false',
    ]);
    expect(validateAgainstCrd(files[INSTRUMENTATION])).toEqual([]);
  });

  test('custom namespaces, retention and storage class', () => {
    const files = synthFiles({
      ...NO_LOGS,
      traces: { namespace: 'otel', operatorNamespace: 'otel-operator', retention: '72h', storage: { size: '20Gi', storageClassName: 'fast-ssd' } },
    });
    expect(files['values/tempo.yaml'].tempo.retention).toBe('72h');
    expect(files['values/tempo.yaml'].persistence).toEqual({ enabled: true, size: '20Gi', storageClassName: 'fast-ssd' });
    expect(files['argocd/apps/in-cluster/opentelemetry-operator.yaml'].spec.destination.namespace).toBe('otel-operator');
    const dir = 'manifests/in-cluster/opentelemetry-resources';
    expect(files[`${dir}/opentelemetrycollector-gateway.yaml`].spec.config.exporters.otlp_grpc.endpoint).toBe('tempo.otel.svc:4317');
    expect(files[`${dir}/instrumentation-default.yaml`].spec.exporter.endpoint).toBe('http://gateway-collector.otel.svc:4318');
    expect(files[`${dir}/clusterrolebinding-gateway-collector-otel-k8s-attributes.yaml`].subjects)
      .toEqual([{ kind: 'ServiceAccount', name: 'gateway-collector', namespace: 'otel' }]);
    const secret = files['argocd/apps/in-cluster/opentelemetry-operator.yaml'].spec.ignoreDifferences.find((d: any) => d.kind === 'Secret');
    expect(secret.namespace).toBe('otel-operator');
  });

  test('metrics off: Tempo has no metrics-generator and no ServiceMonitor', () => {
    const values = tempo.build(resolved({ metrics: { enabled: false }, grafana: { enabled: false } }))!.values as any;
    expect(values.tempo.metricsGenerator).toBeUndefined();
    expect(values.tempo.overrides).toBeUndefined();
    expect(values.serviceMonitor).toEqual({ enabled: false });
  });

  test('standalone Prometheus: remote write to prometheus-server, no ServiceMonitor (no CRD)', () => {
    const values = tempo.build(resolved({ metrics: { flavor: MetricsFlavor.STANDALONE } }))!.values as any;
    expect(values.tempo.metricsGenerator.storage.remote_write).toEqual([
      { url: 'http://prometheus-server.monitoring.svc:80/api/v1/write', send_exemplars: true },
    ]);
    expect(values.serviceMonitor).toEqual({ enabled: false });
  });
});

describe('traces: README lines on auto-instrumentation', () => {
  test('one annotation per enabled language, naming the Instrumentation in the traces namespace', () => {
    const lines = instrumentationReadmeLines(resolved({ traces: { namespace: 'otel' } }));
    expect(lines[0]).toBe('## Traces: auto-instrumentation');
    const rows = lines.filter((l) => l.includes('instrumentation.opentelemetry.io/inject-'));
    expect(rows).toEqual([
      '| Java | `instrumentation.opentelemetry.io/inject-java: "otel/default"` |',
      '| Node.js | `instrumentation.opentelemetry.io/inject-nodejs: "otel/default"` |',
      '| Python | `instrumentation.opentelemetry.io/inject-python: "otel/default"` |',
      '| .NET | `instrumentation.opentelemetry.io/inject-dotnet: "otel/default"` |',
      '| Go | `instrumentation.opentelemetry.io/inject-go: "otel/default"` |',
    ]);
    const text = lines.join('\n');
    expect(text).toMatch(/pod template/);
    expect(text).toContain('instrumentation.opentelemetry.io/otel-go-auto-target-exe');
    expect(text).toMatch(/privileged/);
  });

  test('without Go: no Go caveat', () => {
    const lines = instrumentationReadmeLines(resolved({ traces: { instrumentationLanguages: [InstrumentationLanguage.NODEJS] } }));
    expect(lines.filter((l) => l.includes('inject-'))).toEqual(['| Node.js | `instrumentation.opentelemetry.io/inject-nodejs: "tracing/default"` |']);
    expect(lines.join('\n')).not.toContain('otel-go-auto-target-exe');
  });

  test('no language: says so', () => {
    const lines = instrumentationReadmeLines(resolved({ traces: { instrumentationLanguages: [] } }));
    expect(lines.join('\n')).toMatch(/No language is enabled/);
    expect(lines.join('\n')).not.toContain('inject-');
  });
});
