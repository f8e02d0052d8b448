import { LogCollector, LogsBackend, MetricsFlavor, ObservabilityGitOpsProjectOptions } from '../../src';
import { buildStackModel } from '../../src/model/build';
import { lokiPushUrl, lokiUrl } from '../../src/model/endpoints';
import { FLUENTD_LOKI_PLUGIN } from '../../src/model/parts/fluentd';
import { LOKI_SCHEMA_FROM } from '../../src/model/parts/loki';
import { StackModel, StackPart, SyncWave } from '../../src/model/stack';
import { resolveOptions } from '../../src/options/resolve';
import { BASE, newProject, synthFiles, synthRaw } from '../util';

const REPO = 'https://github.com/acme/observability.git';
const LOG_PARTS = ['alloy', 'elasticsearch', 'fluent-bit', 'fluentd', 'kibana', 'loki', 'loki-stack', 'promtail'];

/** The stack model for some options, as the project builds it. */
function model(options: Partial<ObservabilityGitOpsProjectOptions> = {}): StackModel {
  return buildStackModel(resolveOptions({ ...BASE, gitRepoUrl: REPO, ...options } as ObservabilityGitOpsProjectOptions));
}

function part(m: StackModel, name: string): StackPart {
  const p = m.parts.find((x) => x.name === name);
  if (!p) throw new Error(`part ${name} is off; on: ${m.parts.map((x) => x.name).join(', ')}`);
  return p;
}

/** Log parts with an Application on the in-cluster cluster. */
function logParts(files: Record<string, any>): string[] {
  return Object.keys(files)
    .filter((f) => f.startsWith('argocd/apps/in-cluster/'))
    .map((f) => f.replace('argocd/apps/in-cluster/', '').replace('.yaml', ''))
    .filter((p) => LOG_PARTS.includes(p))
    .sort();
}

const app = (files: Record<string, any>, name: string, cluster = 'in-cluster') => files[`argocd/apps/${cluster}/${name}.yaml`];
const wave = (application: any) => Number(application.metadata.annotations['argocd.argoproj.io/sync-wave']);

/** A Loki `logs` option without traces (keeps the synthesized repos small). */
function logs(l: Record<string, unknown>): Partial<ObservabilityGitOpsProjectOptions> {
  return { logs: l, traces: { enabled: false } } as Partial<ObservabilityGitOpsProjectOptions>;
}

describe('default: Loki + Alloy', () => {
  const files = synthFiles({ traces: { enabled: false } });
  const loki = files['values/loki.yaml'];
  const alloy = files['values/alloy.yaml'];
  const config: string = alloy.alloy.configMap.content;

  test('Loki and Alloy are deployed into the logs namespace, Alloy in the collectors wave', () => {
    expect(logParts(files)).toEqual(['alloy', 'loki']);
    expect(app(files, 'loki').spec.destination.namespace).toBe('logging');
    expect(app(files, 'alloy').spec.destination.namespace).toBe('logging');
    expect(wave(app(files, 'alloy'))).toBe(SyncWave.INFRASTRUCTURE);
    expect(wave(app(files, 'loki'))).toBe(SyncWave.STACKS);
    expect(app(files, 'loki').spec.sources[0]).toMatchObject({ chart: 'loki', targetRevision: '18.11.0', repoURL: 'https://grafana-community.github.io/helm-charts' });
    expect(app(files, 'alloy').spec.sources[0]).toMatchObject({ chart: 'alloy', targetRevision: '1.11.1' });
    expect(app(files, 'loki').spec.syncPolicy.syncOptions).toContain('ServerSideApply=true');
  });

  test('Loki: monolithic on a filesystem volume, schema v13 / tsdb, single tenant', () => {
    expect(loki.deploymentMode).toBe('Monolithic');
    expect(loki.loki.auth_enabled).toBe(false);
    expect(loki.loki.commonConfig).toEqual({ replication_factor: 1 });
    expect(loki.loki.storage).toEqual({ type: 'filesystem' });
    expect(loki.loki.schemaConfig.configs).toEqual([{
      from: LOKI_SCHEMA_FROM, store: 'tsdb', object_store: 'filesystem', schema: 'v13', index: { prefix: 'loki_index_', period: '24h' },
    }]);
    expect(loki.singleBinary).toEqual({ replicas: 1, persistence: { enabled: true, size: '10Gi' } });
    // The chart refuses scalable targets on a filesystem store.
    expect([loki.read.replicas, loki.write.replicas, loki.backend.replicas]).toEqual([0, 0, 0]);
  });

  test('Loki: retention by the compactor, from logs.retention', () => {
    expect(loki.loki.compactor).toEqual({ retention_enabled: true, delete_request_store: 'filesystem' });
    expect(loki.loki.limits_config).toEqual({ retention_period: '7d' });
  });

  test('Loki: no memcached, no canary or Helm test, gateway on, no cluster-wide RBAC, a ServiceMonitor', () => {
    expect(loki.chunksCache).toEqual({ enabled: false });
    expect(loki.resultsCache).toEqual({ enabled: false });
    expect(loki.lokiCanary).toEqual({ enabled: false });
    expect(loki.test).toEqual({ enabled: false });
    expect(loki.gateway).toEqual({ enabled: true });
    expect(loki.sidecar).toEqual({ rules: { enabled: false } });
    expect(loki.rbac).toEqual({ namespaced: true });
    expect(loki.monitoring).toEqual({ serviceMonitor: { enabled: true } });
    expect(part(model(), 'loki').clusterResources).toEqual([]);
  });

  test('the collectors push to the gateway Service the loki chart creates (<release>-gateway, port 80)', () => {
    const resolved = resolveOptions({ ...BASE } as ObservabilityGitOpsProjectOptions);
    expect(lokiUrl(resolved)).toBe('http://loki-gateway.logging.svc:80');
    expect(config).toContain(`url = "${lokiPushUrl(resolved)}"`);
    expect(config).toContain('url = "http://loki-gateway.logging.svc:80/loki/api/v1/push"');
  });

  test('Alloy: a DaemonSet tailing its own node\'s pod logs, with the stack\'s labels', () => {
    expect(alloy.controller).toEqual({ type: 'daemonset', tolerations: [{ operator: 'Exists' }] });
    expect(alloy.alloy.mounts).toEqual({ varlog: true });
    expect(config).toContain('discovery.kubernetes "pods" {');
    expect(config).toContain('field = "spec.nodeName=" + sys.env("HOSTNAME")');
    for (const [meta, label] of [
      ['__meta_kubernetes_namespace', 'namespace'],
      ['__meta_kubernetes_pod_name', 'pod'],
      ['__meta_kubernetes_pod_container_name', 'container'],
      ['__meta_kubernetes_pod_node_name', 'node'],
    ]) {
      expect(config).toMatch(new RegExp(`source_labels = \\["${meta}"\\]\\n\\s+target_label  = "${label}"`));
    }
    expect(config).toMatch(/target_label {2}= "app"/);
    expect(config).toMatch(/target_label {2}= "job"/);
    expect(config).toContain('replacement   = "/var/log/pods/*$1/*.log"');
    expect(config).toContain('loki.source.file "pod_logs" {');
    expect(config).toContain('stage.cri {}');
    expect(config).toContain('external_labels = { cluster = sys.env("CLUSTER") }');
    // No namespace filter without the options.
    expect(config).not.toMatch(/action {8}= "(keep|drop)"\n[^}]*__meta_kubernetes_namespace/);
    expect(config).not.toContain('{{');
  });

  test('Alloy: the cluster label from the environment, least-privilege RBAC, no CRDs, a ServiceMonitor', () => {
    expect(alloy.alloy.extraEnv).toEqual([{ name: 'CLUSTER', value: 'in-cluster' }]);
    // Split across both lists: the chart's template breaks on an empty one (test/synth-fixes/alloy-rbac.test.ts).
    expect(alloy.rbac).toEqual({
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['list', 'watch'] }],
      clusterRules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }],
    });
    expect(alloy.crds).toEqual({ create: false });
    expect(alloy.serviceMonitor).toEqual({ enabled: true });
    expect(part(model(), 'alloy').clusterResources).toEqual([
      { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
      { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
    ]);
  });

  test('storage size and class reach the volume', () => {
    const custom = synthFiles(logs({ storage: { size: '50Gi', storageClassName: 'fast-ssd' }, retention: '30d' }));
    expect(custom['values/loki.yaml'].singleBinary.persistence).toEqual({ enabled: true, size: '50Gi', storageClass: 'fast-ssd' });
    expect(custom['values/loki.yaml'].loki.limits_config.retention_period).toBe('30d');
  });
});

describe('Loki + Promtail with includeNamespaces', () => {
  const files = synthFiles(logs({ collectors: [LogCollector.PROMTAIL], includeNamespaces: ['shop', 'payments'] }));
  const values = files['values/promtail.yaml'];

  test('Promtail instead of Alloy, in the collectors wave', () => {
    expect(logParts(files)).toEqual(['loki', 'promtail']);
    expect(wave(app(files, 'promtail'))).toBe(SyncWave.INFRASTRUCTURE);
    expect(app(files, 'promtail').spec.sources[0]).toMatchObject({ chart: 'promtail', targetRevision: '6.17.1' });
  });

  test('the namespace filter is a keep rule on the namespace label', () => {
    expect(values.config.snippets.extraRelabelConfigs).toEqual([{ source_labels: ['namespace'], regex: 'shop|payments', action: 'keep' }]);
  });

  test('streams carry namespace, pod, container, node labels and the cluster as an external label', () => {
    const targets = values.config.snippets.common.map((r: any) => r.target_label);
    expect(targets).toEqual(expect.arrayContaining(['namespace', 'pod', 'container', 'node', 'job', '__path__']));
    expect(targets).not.toContain('node_name');
    expect(values.config.clients).toEqual([{
      url: 'http://loki-gateway.logging.svc:80/loki/api/v1/push',
      external_labels: { cluster: 'in-cluster' },
    }]);
  });

  test('readiness does not depend on having a target; every node; a ServiceMonitor', () => {
    expect(values.readinessProbe).toEqual({ httpGet: { path: '/metrics' } });
    expect(values.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(values.serviceMonitor).toEqual({ enabled: true });
  });

  test('excludeNamespaces adds a drop rule after the keep rule', () => {
    const both = synthFiles(logs({ collectors: [LogCollector.PROMTAIL], includeNamespaces: ['shop'], excludeNamespaces: ['kube-system', 'logging'] }));
    expect(both['values/promtail.yaml'].config.snippets.extraRelabelConfigs).toEqual([
      { source_labels: ['namespace'], regex: 'shop', action: 'keep' },
      { source_labels: ['namespace'], regex: 'kube-system|logging', action: 'drop' },
    ]);
  });
});

describe('Fluent Bit + Loki with excludeNamespaces', () => {
  const files = synthFiles(logs({ collectors: [LogCollector.FLUENT_BIT], excludeNamespaces: ['kube-system', 'logging'] }));
  const values = files['values/fluent-bit.yaml'];

  test('Fluent Bit in the collectors wave, beside Loki', () => {
    expect(logParts(files)).toEqual(['fluent-bit', 'loki']);
    expect(wave(app(files, 'fluent-bit'))).toBe(SyncWave.INFRASTRUCTURE);
    expect(app(files, 'fluent-bit').spec.sources[0]).toMatchObject({ chart: 'fluent-bit', targetRevision: '0.58.1' });
  });

  test('tail input, kubernetes filter, and the exclusion as a grep filter on the namespace', () => {
    expect(values.config.inputs).toMatch(/Name +tail\n +Path +\/var\/log\/containers\/\*\.log/);
    expect(values.config.filters).toMatch(/Name +kubernetes\n +Match +kube\.\*/);
    expect(values.config.filters).toContain("Exclude $kubernetes['namespace_name'] ^(kube-system|logging)$");
    expect(values.config.filters).not.toMatch(/^ +Regex /m);
  });

  test('the loki output targets the gateway with namespace, pod, container, node and cluster labels', () => {
    const out: string = values.config.outputs;
    expect(out).toMatch(/Name +loki\n/);
    expect(out).toMatch(/Host +loki-gateway\.logging\.svc\n/);
    expect(out).toMatch(/Port +80\n/);
    const labels = /Labels +(.*)\n/.exec(out)![1].split(', ');
    expect(labels).toEqual(expect.arrayContaining([
      'cluster=${CLUSTER}',
      "namespace=$kubernetes['namespace_name']",
      "pod=$kubernetes['pod_name']",
      "container=$kubernetes['container_name']",
      "node=$kubernetes['host']",
    ]));
    expect(values.env).toEqual([{ name: 'CLUSTER', value: 'in-cluster' }]);
  });

  test('readiness does not depend on Loki being up; no Helm test pod; every node', () => {
    expect(values.readinessProbe).toEqual({ httpGet: { path: '/', port: 'http' } });
    expect(values.testFramework).toEqual({ enabled: false });
    expect(values.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(values.serviceMonitor).toEqual({ enabled: true });
  });

  test('includeNamespaces becomes a Regex grep filter', () => {
    const include = synthFiles(logs({ collectors: [LogCollector.FLUENT_BIT], includeNamespaces: ['shop'] }));
    expect(include['values/fluent-bit.yaml'].config.filters).toContain("Regex $kubernetes['namespace_name'] ^(shop)$");
  });
});

describe('Fluentd to Elasticsearch + Kibana', () => {
  const opts = logs({ backend: LogsBackend.ELASTICSEARCH, includeNamespaces: ['shop'] });
  const files = synthFiles(opts);
  const fluentd = files['values/fluentd.yaml'];
  const es = files['values/elasticsearch.yaml'];
  const filters: string = fluentd.fileConfigs['02_filters.conf'];
  const outputs: string = fluentd.fileConfigs['04_outputs.conf'];

  test('Elasticsearch, Kibana and Fluentd (the default collector), all in the stacks wave', () => {
    expect(logParts(files)).toEqual(['elasticsearch', 'fluentd', 'kibana']);
    for (const name of ['elasticsearch', 'kibana', 'fluentd']) {
      expect(app(files, name).spec.destination.namespace).toBe('logging');
      expect(wave(app(files, name))).toBe(SyncWave.STACKS);
    }
    expect(app(files, 'elasticsearch').spec.sources[0]).toMatchObject({ chart: 'elasticsearch', targetRevision: '8.5.1', repoURL: 'https://helm.elastic.co' });
    expect(app(files, 'kibana').spec.sources[0]).toMatchObject({ chart: 'kibana', targetRevision: '8.5.1' });
    expect(app(files, 'fluentd').spec.sources[0]).toMatchObject({ chart: 'fluentd', targetRevision: '0.6.0' });
  });

  test('Fluentd: elasticsearch8 image, HTTPS verified with the chart CA, elastic user, password from the Secret', () => {
    expect(fluentd.variant).toBe('elasticsearch8');
    expect(fluentd.plugins).toBeUndefined();
    expect(outputs).toContain('@type elasticsearch');
    expect(outputs).toContain('host elasticsearch-master.logging.svc');
    expect(outputs).toContain('port 9200');
    expect(outputs).toContain('scheme https');
    expect(outputs).toContain('ssl_verify true');
    expect(outputs).toContain('ca_file /etc/elasticsearch/certs/ca.crt');
    expect(outputs).toContain('user elastic');
    expect(outputs).toContain('password "#{ENV[\'ELASTICSEARCH_PASSWORD\']}"');
    expect(outputs).toContain('logstash_format true');
    expect(outputs).toContain('suppress_type_name true');
    expect(fluentd.env).toEqual([
      { name: 'CLUSTER', value: 'in-cluster' },
      { name: 'ELASTICSEARCH_PASSWORD', valueFrom: { secretKeyRef: { name: 'elasticsearch-master-credentials', key: 'password' } } },
    ]);
    expect(fluentd.volumes).toEqual([{ name: 'elasticsearch-certs', secret: { secretName: 'elasticsearch-master-certs' } }]);
    expect(fluentd.volumeMounts).toEqual([{ name: 'elasticsearch-certs', mountPath: '/etc/elasticsearch/certs', readOnly: true }]);
  });

  test('Fluentd: namespace filter, cluster field, no PodSecurityPolicy', () => {
    expect(filters).toContain('@type kubernetes_metadata');
    expect(filters).toMatch(/<regexp>\n\s+key \$\.kubernetes\.namespace_name\n\s+pattern \/\^\(shop\)\$\/\n\s+<\/regexp>/);
    expect(filters).not.toContain('<exclude>');
    expect(filters).toContain('cluster "#{ENV[\'CLUSTER\']}"');
    expect(fluentd.podSecurityPolicy).toEqual({ enabled: false });
    expect(fluentd.metrics).toEqual({ serviceMonitor: { enabled: true } });
  });

  test('Elasticsearch: one node, relaxed health check, volume from logs.storage, no test pod', () => {
    expect(es).toEqual({
      replicas: 1,
      minimumMasterNodes: 1,
      clusterHealthCheckParams: 'wait_for_status=yellow&timeout=1s',
      volumeClaimTemplate: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '30Gi' } } },
      tests: { enabled: false },
    });
  });

  test('Elasticsearch: the generated Secrets are created once and never overwritten by a sync', () => {
    const application = app(files, 'elasticsearch');
    expect(application.spec.syncPolicy.syncOptions).toEqual(['CreateNamespace=true', 'ServerSideApply=true', 'RespectIgnoreDifferences=true']);
    expect(application.spec.ignoreDifferences).toEqual([
      { group: '', kind: 'Secret', name: 'elasticsearch-master-credentials', namespace: 'logging', jsonPointers: ['/data'] },
      { group: '', kind: 'Secret', name: 'elasticsearch-master-certs', namespace: 'logging', jsonPointers: ['/data'] },
    ]);
  });

  test('Kibana: elasticsearch-master with the chart-generated certificate and credentials Secrets', () => {
    expect(files['values/kibana.yaml']).toEqual({
      elasticsearchHosts: 'https://elasticsearch-master.logging.svc:9200',
      elasticsearchCertificateSecret: 'elasticsearch-master-certs',
      elasticsearchCertificateAuthoritiesFile: 'ca.crt',
      elasticsearchCredentialSecret: 'elasticsearch-master-credentials',
    });
  });

  test('cluster-scoped kinds: only the collector\'s RBAC', () => {
    const m = model(opts);
    expect(part(m, 'elasticsearch').clusterResources).toEqual([]);
    expect(part(m, 'kibana').clusterResources).toEqual([]);
    expect(part(m, 'fluentd').clusterResources.map((k) => k.kind)).toEqual(['ClusterRole', 'ClusterRoleBinding']);
  });

  test('storage class reaches the volumeClaimTemplate', () => {
    const custom = synthFiles(logs({ backend: LogsBackend.ELASTICSEARCH, storage: { size: '100Gi', storageClassName: 'gp3' } }));
    expect(custom['values/elasticsearch.yaml'].volumeClaimTemplate).toEqual({
      accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '100Gi' } }, storageClassName: 'gp3',
    });
  });

  test('the archived elastic charts are flagged at synth', () => {
    const project = newProject(opts);
    expect(project.warnings.join('\n')).toMatch(/chart elasticsearch is deprecated/);
    expect(project.warnings.join('\n')).toMatch(/chart kibana is deprecated/);
  });
});

describe('Fluent Bit to Elasticsearch', () => {
  const files = synthFiles(logs({ backend: LogsBackend.ELASTICSEARCH, collectors: [LogCollector.FLUENT_BIT], excludeNamespaces: ['kube-system'] }));
  const values = files['values/fluent-bit.yaml'];

  test('the es output over verified TLS with the password from the environment', () => {
    expect(logParts(files)).toEqual(['elasticsearch', 'fluent-bit', 'kibana']);
    expect(wave(app(files, 'fluent-bit'))).toBe(SyncWave.STACKS);
    const out: string = values.config.outputs;
    expect(out).toMatch(/Name +es\n/);
    expect(out).toMatch(/Host +elasticsearch-master\.logging\.svc\n/);
    expect(out).toMatch(/Port +9200\n/);
    expect(out).toMatch(/HTTP_User +elastic\n/);
    expect(out).toMatch(/HTTP_Passwd +\$\{ELASTICSEARCH_PASSWORD\}\n/);
    expect(out).toMatch(/tls +On\n/);
    expect(out).toMatch(/tls\.verify +On\n/);
    expect(out).toMatch(/tls\.ca_file +\/etc\/elasticsearch\/certs\/ca\.crt\n/);
    expect(out).toMatch(/Suppress_Type_Name +On\n/);
    expect(values.env).toContainEqual({
      name: 'ELASTICSEARCH_PASSWORD', valueFrom: { secretKeyRef: { name: 'elasticsearch-master-credentials', key: 'password' } },
    });
    expect(values.extraVolumes).toEqual([{ name: 'elasticsearch-certs', secret: { secretName: 'elasticsearch-master-certs' } }]);
    expect(values.extraVolumeMounts).toEqual([{ name: 'elasticsearch-certs', mountPath: '/etc/elasticsearch/certs', readOnly: true }]);
  });

  test('the namespace filter and the cluster field', () => {
    expect(values.config.filters).toContain("Exclude $kubernetes['namespace_name'] ^(kube-system)$");
    expect(values.config.filters).toMatch(/Name +record_modifier\n +Match +kube\.\*\n +Record +cluster \$\{CLUSTER\}/);
  });
});

describe('Fluentd to Loki', () => {
  const files = synthFiles(logs({ collectors: [LogCollector.FLUENTD], excludeNamespaces: ['kube-system'] }));
  const values = files['values/fluentd.yaml'];
  const outputs: string = values.fileConfigs['04_outputs.conf'];

  test('the image has no Loki plugin: the forward variant plus the pinned plugin installed at start', () => {
    expect(logParts(files)).toEqual(['fluentd', 'loki']);
    expect(wave(app(files, 'fluentd'))).toBe(SyncWave.INFRASTRUCTURE);
    expect(values.variant).toBe('forward');
    expect(values.plugins).toEqual([FLUENTD_LOKI_PLUGIN]);
    expect(FLUENTD_LOKI_PLUGIN).toMatch(/^fluent-plugin-grafana-loki -v \d+\.\d+\.\d+$/);
    expect(values.volumes).toBeUndefined();
  });

  test('the loki output: gateway URL, namespace / pod / container / node / cluster labels', () => {
    expect(outputs).toContain('@type loki');
    expect(outputs).toContain('url "http://loki-gateway.logging.svc:80"');
    for (const label of [
      'cluster $.cluster', 'namespace $.kubernetes.namespace_name', 'pod $.kubernetes.pod_name',
      'container $.kubernetes.container_name', 'node $.kubernetes.host',
    ]) {
      expect(outputs).toContain(label);
    }
    // Chunks below the gateway's 4 MiB body limit.
    expect(outputs).toContain('chunk_limit_size 1m');
    expect(values.fileConfigs['02_filters.conf']).toMatch(/<exclude>\n\s+key \$\.kubernetes\.namespace_name\n\s+pattern \/\^\(kube-system\)\$\/\n\s+<\/exclude>/);
    expect(values.env).toEqual([{ name: 'CLUSTER', value: 'in-cluster' }]);
  });
});

describe('loki-stack (deprecated)', () => {
  const opts = logs({ backend: LogsBackend.LOKI_STACK, includeNamespaces: ['shop'], retention: '14d', storage: { size: '20Gi', storageClassName: 'standard' } });
  const files = synthFiles(opts);
  const values = files['values/loki-stack.yaml'];

  test('one part, no separate collector, in the stacks wave', () => {
    expect(logParts(files)).toEqual(['loki-stack']);
    expect(wave(app(files, 'loki-stack'))).toBe(SyncWave.STACKS);
    expect(app(files, 'loki-stack').spec.sources[0]).toMatchObject({ chart: 'loki-stack', targetRevision: '2.10.3', repoURL: 'https://grafana.github.io/helm-charts' });
  });

  test('Loki: persistence, compactor retention, no PodSecurityPolicy', () => {
    expect(values.loki.persistence).toEqual({ enabled: true, size: '20Gi', storageClassName: 'standard' });
    expect(values.loki.config).toEqual({ compactor: { retention_enabled: true }, limits_config: { retention_period: '14d' } });
    expect(values.loki.rbac).toEqual({ pspEnabled: false });
  });

  test('the bundled Promtail: namespace filter, labels, cluster, push to loki-stack:3100', () => {
    expect(values.promtail.config.snippets.extraRelabelConfigs).toEqual([{ source_labels: ['namespace'], regex: 'shop', action: 'keep' }]);
    expect(values.promtail.config.snippets.common.map((r: any) => r.target_label)).toEqual(expect.arrayContaining(['namespace', 'pod', 'container', 'node']));
    expect(values.promtail.config.clients).toEqual([{ url: 'http://loki-stack.logging.svc:3100/loki/api/v1/push', external_labels: { cluster: 'in-cluster' } }]);
    expect(values.promtail.readinessProbe).toEqual({ httpGet: { path: '/metrics' } });
  });

  test('no stray Grafana datasource ConfigMap, no test pod, the deprecation warning', () => {
    expect(values.grafana).toEqual({ sidecar: { datasources: { enabled: false } } });
    expect(values.test_pod).toEqual({ enabled: false });
    expect(newProject(opts).warnings.join('\n')).toMatch(/chart loki-stack is deprecated/);
    expect(part(model(opts), 'loki-stack').clusterResources.map((k) => k.kind)).toEqual(['ClusterRole', 'ClusterRoleBinding']);
  });
});

describe('every collector filters namespaces in its own configuration language', () => {
  const include = ['shop', 'payments'];
  const exclude = ['kube-system'];
  const cases: Array<[string, Record<string, unknown>, (files: Record<string, any>) => string, RegExp, RegExp]> = [
    ['alloy', { collectors: [LogCollector.ALLOY] }, (f) => f['values/alloy.yaml'].alloy.configMap.content,
      /source_labels = \["__meta_kubernetes_namespace"\]\n\s+regex {9}= "shop\|payments"\n\s+action {8}= "keep"/,
      /source_labels = \["__meta_kubernetes_namespace"\]\n\s+regex {9}= "kube-system"\n\s+action {8}= "drop"/],
    ['promtail', { collectors: [LogCollector.PROMTAIL] }, (f) => JSON.stringify(f['values/promtail.yaml'].config.snippets.extraRelabelConfigs),
      /"regex":"shop\|payments","action":"keep"/, /"regex":"kube-system","action":"drop"/],
    ['fluent-bit', { collectors: [LogCollector.FLUENT_BIT] }, (f) => f['values/fluent-bit.yaml'].config.filters,
      /Regex \$kubernetes\['namespace_name'\] \^\(shop\|payments\)\$/, /Exclude \$kubernetes\['namespace_name'\] \^\(kube-system\)\$/],
    ['fluentd', { collectors: [LogCollector.FLUENTD] }, (f) => f['values/fluentd.yaml'].fileConfigs['02_filters.conf'],
      /<regexp>\n\s+key \$\.kubernetes\.namespace_name\n\s+pattern \/\^\(shop\|payments\)\$\//,
      /<exclude>\n\s+key \$\.kubernetes\.namespace_name\n\s+pattern \/\^\(kube-system\)\$\//],
    ['loki-stack', { backend: LogsBackend.LOKI_STACK }, (f) => JSON.stringify(f['values/loki-stack.yaml'].promtail.config.snippets.extraRelabelConfigs),
      /"regex":"shop\|payments","action":"keep"/, /"regex":"kube-system","action":"drop"/],
  ];

  test.each(cases)('%s', (_name, l, configOf, keep, drop) => {
    const filtered = configOf(synthFiles(logs({ ...l, includeNamespaces: include, excludeNamespaces: exclude })));
    expect(filtered).toMatch(keep);
    expect(filtered).toMatch(drop);
    const unfiltered = configOf(synthFiles(logs(l)));
    expect(unfiltered).not.toMatch(keep);
    expect(unfiltered).not.toMatch(drop);
  });
});

describe('the cluster label is set per cluster', () => {
  const clusters = [{ name: 'prod-eu' }, { name: 'prod-us', server: 'https://prod-us.example.com' }];
  const cases: Array<[string, Record<string, unknown>, (v: any) => unknown, (c: string) => unknown]> = [
    ['alloy', { collectors: [LogCollector.ALLOY] }, (v) => v.alloy?.extraEnv, (c) => [{ name: 'CLUSTER', value: c }]],
    ['fluent-bit', { collectors: [LogCollector.FLUENT_BIT] }, (v) => v.env, (c) => [{ name: 'CLUSTER', value: c }]],
    ['fluentd', { collectors: [LogCollector.FLUENTD] }, (v) => v.env, (c) => [{ name: 'CLUSTER', value: c }]],
    ['promtail', { collectors: [LogCollector.PROMTAIL] }, (v) => v.config?.clients,
      (c) => [{ url: 'http://loki-gateway.logging.svc:80/loki/api/v1/push', external_labels: { cluster: c } }]],
    ['loki-stack', { backend: LogsBackend.LOKI_STACK }, (v) => v.promtail?.config?.clients,
      (c) => [{ url: 'http://loki-stack.logging.svc:3100/loki/api/v1/push', external_labels: { cluster: c } }]],
  ];

  test.each(cases)('%s: values/clusters/<cluster>/%s.yaml', (name, l, pick, expected) => {
    const files = synthFiles({ clusters, ...logs(l) });
    for (const { name: cluster } of clusters) {
      expect(pick(files[`values/clusters/${cluster}/${name}.yaml`])).toEqual(expected(cluster));
      expect(app(files, name, cluster).spec.sources[0].helm.valueFiles).toContain(`$values/values/clusters/${cluster}/${name}.yaml`);
    }
    // The common values name no cluster.
    expect(JSON.stringify(files[`values/${name}.yaml`])).not.toMatch(/prod-(eu|us)/);
  });

  test('Fluent Bit to Elasticsearch repeats the password reference in each cluster\'s env list', () => {
    const files = synthFiles({ clusters, ...logs({ backend: LogsBackend.ELASTICSEARCH, collectors: [LogCollector.FLUENT_BIT] }) });
    expect(files['values/clusters/prod-us/fluent-bit.yaml'].env).toEqual([
      { name: 'CLUSTER', value: 'prod-us' },
      { name: 'ELASTICSEARCH_PASSWORD', valueFrom: { secretKeyRef: { name: 'elasticsearch-master-credentials', key: 'password' } } },
    ]);
  });
});

describe('no secret in plain text', () => {
  test.each([
    ['Fluentd to Elasticsearch', logs({ backend: LogsBackend.ELASTICSEARCH })],
    ['Fluent Bit to Elasticsearch', logs({ backend: LogsBackend.ELASTICSEARCH, collectors: [LogCollector.FLUENT_BIT] })],
    ['Fluentd to Loki', logs({ collectors: [LogCollector.FLUENTD] })],
    ['loki', logs({})],
    ['loki-stack', logs({ backend: LogsBackend.LOKI_STACK })],
  ])('%s', (_name, opts) => {
    const raw = synthRaw(opts);
    for (const [path, content] of Object.entries(raw)) {
      if (!path.startsWith('values/') && !path.startsWith('argocd/')) continue;
      const text = typeof content === 'string' ? content : JSON.stringify(content);
      // "password: <literal>" in YAML, "password <literal>" in Fluentd / Fluent Bit configuration.
      expect({ path, yaml: /password:[ \t]*["']?[^\s"'#{$][^\n]*/im.exec(text)?.[0] }).toEqual({ path, yaml: undefined });
      expect({ path, config: /\b(password|HTTP_Passwd)[ \t]+(?!"#\{ENV\[|\$\{)\S+/i.exec(text)?.[0] }).toEqual({ path, config: undefined });
      // The fluentd chart's default output (`password changeme`) is replaced.
      expect(text).not.toContain('changeme');
    }
  });
});

describe('parts on and off', () => {
  test('logs.enabled false deploys no logs part', () => {
    const off = [{ enabled: false }, { enabled: false, backend: LogsBackend.ELASTICSEARCH }, { enabled: false, backend: LogsBackend.LOKI_STACK }];
    for (const l of off) {
      const names = model(logs(l)).parts.map((p) => p.name);
      expect(names.filter((n) => LOG_PARTS.includes(n))).toEqual([]);
    }
  });

  test('exactly the backend and its collector are on', () => {
    const on = (l: Record<string, unknown>) => model(logs(l)).parts.map((p) => p.name).filter((n) => LOG_PARTS.includes(n)).sort();
    expect(on({})).toEqual(['alloy', 'loki']);
    expect(on({ collectors: [LogCollector.PROMTAIL] })).toEqual(['loki', 'promtail']);
    expect(on({ collectors: [LogCollector.FLUENT_BIT] })).toEqual(['fluent-bit', 'loki']);
    expect(on({ collectors: [LogCollector.FLUENTD] })).toEqual(['fluentd', 'loki']);
    expect(on({ backend: LogsBackend.ELASTICSEARCH })).toEqual(['elasticsearch', 'fluentd', 'kibana']);
    expect(on({ backend: LogsBackend.ELASTICSEARCH, collectors: [LogCollector.FLUENT_BIT] })).toEqual(['elasticsearch', 'fluent-bit', 'kibana']);
    expect(on({ backend: LogsBackend.LOKI_STACK })).toEqual(['loki-stack']);
  });

  test('a collector that cannot ship to Elasticsearch is refused, naming the option', () => {
    expect(() => model(logs({ backend: LogsBackend.ELASTICSEARCH, collectors: [LogCollector.PROMTAIL] }))).toThrow(/"logs\.collectors\[0\]"/);
  });
});

describe('ServiceMonitors only where prometheus-operator\'s CRDs exist', () => {
  const serviceMonitorFlags = (files: Record<string, any>) => ({
    loki: files['values/loki.yaml'].monitoring.serviceMonitor.enabled,
    alloy: files['values/alloy.yaml'].serviceMonitor.enabled,
  });

  test('kube-prometheus-stack: on', () => {
    expect(serviceMonitorFlags(synthFiles(logs({})))).toEqual({ loki: true, alloy: true });
  });

  test('standalone Prometheus: off everywhere', () => {
    const files = synthFiles({ metrics: { flavor: MetricsFlavor.STANDALONE }, ...logs({}) });
    expect(serviceMonitorFlags(files)).toEqual({ loki: false, alloy: false });
    for (const [l, pick] of [
      [{ collectors: [LogCollector.PROMTAIL] }, (f: any) => f['values/promtail.yaml'].serviceMonitor.enabled],
      [{ collectors: [LogCollector.FLUENT_BIT] }, (f: any) => f['values/fluent-bit.yaml'].serviceMonitor.enabled],
      [{ collectors: [LogCollector.FLUENTD] }, (f: any) => f['values/fluentd.yaml'].metrics.serviceMonitor.enabled],
      [{ backend: LogsBackend.LOKI_STACK }, (f: any) => [f['values/loki-stack.yaml'].loki.serviceMonitor.enabled, f['values/loki-stack.yaml'].promtail.serviceMonitor.enabled]],
    ] as Array<[Record<string, unknown>, (f: any) => unknown]>) {
      const value = pick(synthFiles({ metrics: { flavor: MetricsFlavor.STANDALONE }, ...logs(l) }));
      expect(Array.isArray(value) ? value : [value]).toEqual(Array.isArray(value) ? [false, false] : [false]);
    }
  });

  test('metrics off: off', () => {
    const files = synthFiles({ metrics: { enabled: false }, ...logs({}) });
    expect(serviceMonitorFlags(files)).toEqual({ loki: false, alloy: false });
  });
});

describe('sync waves', () => {
  test('collectors to Loki before Loki; Elasticsearch, Kibana and their collector together', () => {
    const waves = (l: Record<string, unknown>) => Object.fromEntries(model(logs(l)).parts
      .filter((p) => LOG_PARTS.includes(p.name)).map((p) => [p.name, p.wave]));
    expect(waves({})).toEqual({ alloy: SyncWave.INFRASTRUCTURE, loki: SyncWave.STACKS });
    expect(waves({ collectors: [LogCollector.PROMTAIL] })).toEqual({ promtail: SyncWave.INFRASTRUCTURE, loki: SyncWave.STACKS });
    expect(waves({ collectors: [LogCollector.FLUENT_BIT] })).toEqual({ 'fluent-bit': SyncWave.INFRASTRUCTURE, 'loki': SyncWave.STACKS });
    expect(waves({ collectors: [LogCollector.FLUENTD] })).toEqual({ fluentd: SyncWave.INFRASTRUCTURE, loki: SyncWave.STACKS });
    expect(waves({ backend: LogsBackend.ELASTICSEARCH }))
      .toEqual({ elasticsearch: SyncWave.STACKS, kibana: SyncWave.STACKS, fluentd: SyncWave.STACKS });
    expect(waves({ backend: LogsBackend.LOKI_STACK })).toEqual({ 'loki-stack': SyncWave.STACKS });
  });

  test('the Application annotations carry those waves', () => {
    const files = synthFiles(logs({}));
    expect(wave(app(files, 'alloy'))).toBeLessThan(wave(app(files, 'loki')));
  });
});
