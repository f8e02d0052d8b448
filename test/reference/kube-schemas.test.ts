import { execFileSync } from 'child_process';
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import * as YAML from 'yaml';
import { helmBinary } from '../../scripts/lib/helm-binary.cjs';
import * as compiledAtRunTime from '../../src/validation/kube-schemas';

/*
 * The Kubernetes core kinds against the upstream OpenAPI schemas of every supported minor
 * (reference/kubernetes/<minor>.json). The unit cases run twice: with validators compiled on use
 * (src/, as under ts-jest) and with the ones compiled at build time into
 * lib/validation/kube-validators/ (what the npm package uses); both must agree.
 */
const LIB = join(__dirname, '..', '..', 'lib');
const PRECOMPILED = join(LIB, 'validation', 'kube-validators', 'index.js');
if (!existsSync(PRECOMPILED)) {
  throw new Error('lib/validation/kube-validators/index.js is missing: run `npx projen compile` first (precompiled validators are tested from lib/)');
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const precompiled: typeof compiledAtRunTime = require(join(LIB, 'validation', 'kube-schemas'));
const CHARTS = join(__dirname, '..', 'fixtures', 'chart-packages');

const LABELS = { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/part-of': 'shop' };

function deployment(): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop', labels: LABELS, annotations: { 'example.com/owner': 'team a' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: LABELS },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
      template: {
        metadata: { labels: LABELS, creationTimestamp: null },
        spec: {
          serviceAccountName: 'web',
          securityContext: { runAsNonRoot: true, fsGroup: 65534 },
          containers: [{
            name: 'web',
            image: 'nginx:1.27',
            imagePullPolicy: 'IfNotPresent',
            args: ['--port=8080'],
            env: [{ name: 'MODE', value: 'prod' }, { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
            ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
            resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { 'cpu': 1, 'memory': '1.5Gi', 'ephemeral-storage': '1e9' } },
            readinessProbe: { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 10 },
            livenessProbe: { tcpSocket: { port: 8080 } },
            volumeMounts: [{ name: 'config', mountPath: '/etc/web' }],
          }],
          volumes: [{ name: 'config', configMap: { name: 'web', defaultMode: 0o644 } }, { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }],
          tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule' }],
        },
      },
    },
    status: { replicas: 2, anything: 'status is not checked' },
  };
}

/** Known-good objects of the kinds a rendered stack contains. */
function goodObjects(): any[] {
  return [
    deployment(),
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { type: 'ClusterIP', selector: LABELS, ports: [{ name: 'http', port: 80, targetPort: 'http' }, { port: 9090, targetPort: 9090, protocol: 'TCP' }] } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web.config', namespace: 'shop' }, data: { 'app.yaml': 'a: 1\n' } },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'web', namespace: 'shop' }, type: 'Opaque', data: { password: 'c2VjcmV0', empty: '' }, stringData: { user: 'admin' } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'web', namespace: 'shop' }, automountServiceAccountToken: false },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
    { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } } },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'system:web:reader' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }] },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'system:web:reader' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:web:reader' }, subjects: [{ kind: 'ServiceAccount', name: 'web', namespace: 'shop' }] },
    { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web' }, spec: { minAvailable: 1, selector: { matchLabels: LABELS } } },
    { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 5, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }] } },
    { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web' }, spec: { ingressClassName: 'nginx', rules: [{ host: 'web.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { name: 'http' } } } }] } }] } },
    { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'web' }, spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 'http', protocol: 'TCP' }] }] } },
    { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'cleanup' }, spec: { schedule: '0 * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'busybox' }] } } } } } },
    { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' }, value: 1000000, globalDefault: false },
    { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'fast' }, provisioner: 'ebs.csi.aws.com', parameters: { type: 'gp3' }, reclaimPolicy: 'Delete', volumeBindingMode: 'WaitForFirstConsumer' },
    { apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', metadata: { name: 'v1beta1.metrics.k8s.io' }, spec: { group: 'metrics.k8s.io', version: 'v1beta1', groupPriorityMinimum: 100, versionPriority: 100, service: { name: 'metrics-server', namespace: 'kube-system' }, insecureSkipTLSVerify: true } },
    {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { kind: 'Widget', plural: 'widgets', singular: 'widget', listKind: 'WidgetList' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { 'type': 'object', 'x-kubernetes-preserve-unknown-fields': true } } } } }],
      },
    },
  ];
}

const IMPLEMENTATIONS: Array<[string, typeof compiledAtRunTime, 'precompiled' | 'compiled at run time']> = [
  ['compiled at run time', compiledAtRunTime, 'compiled at run time'],
  ['precompiled (lib/)', precompiled, 'precompiled'],
];

test('the supported minors are the vendored ones, oldest first, at least two', () => {
  expect(compiledAtRunTime.supportedKubernetesMinors()).toEqual(['1.33', '1.34', '1.35']);
});

describe.each(IMPLEMENTATIONS)('validators %s', (_name, impl, origin) => {
  const { supportedKubernetesMinors, validateCoreObject, validateCoreObjectOnSupportedMinors, hasCoreSchema } = impl;
  const MINORS = supportedKubernetesMinors();

  test.each(MINORS)('known-good objects of every common kind pass on Kubernetes %s', (minor) => {
    for (const o of goodObjects()) expect([o.kind, validateCoreObject(o, minor)]).toEqual([o.kind, []]);
  });

  test('an unknown field fails with its path and a did-you-mean', () => {
    const d = deployment();
    d.spec.template.spec.containers[0].imagePullPolcy = 'Always';
    d.spec.replica = 3;
    for (const minor of MINORS) {
      expect(validateCoreObject(d, minor)).toEqual([
        { path: '/spec', message: 'unknown field "replica" (did you mean "replicas"?)' },
        { path: '/spec/template/spec/containers/0', message: 'unknown field "imagePullPolcy" (did you mean "imagePullPolicy"?)' },
      ]);
    }
  });

  test('wrong types, an enum, int-or-string and int32', () => {
    const d = deployment();
    d.spec.replicas = '2';
    d.spec.template.spec.containers[0].ports[0].containerPort = 80.5;
    d.spec.template.spec.containers[0].ports[0].protocol = 'tcp';
    d.spec.strategy.rollingUpdate.maxSurge = true;
    d.spec.template.spec.containers[0].args = '--port=8080';
    expect(validateCoreObject(d, '1.35')).toEqual([
      { path: '/spec/replicas', message: 'must be integer (got string)' },
      { path: '/spec/strategy/rollingUpdate/maxSurge', message: 'must be integer or string (got boolean)' },
      { path: '/spec/template/spec/containers/0/args', message: 'must be array (got string)' },
      { path: '/spec/template/spec/containers/0/ports/0/containerPort', message: 'must be integer (got number)' },
      { path: '/spec/template/spec/containers/0/ports/0/protocol', message: 'must be one of "", "SCTP", "TCP", "UDP" (got "tcp")' },
    ]);
  });

  test('a quantity is checked with the real grammar', () => {
    for (const good of ['1', '0.5', '.5', '1.', '100m', '1Gi', '1.5Gi', '1e3', '1E-3', '+1k', '-1', '129M', '1n', '1u']) {
      const d = deployment();
      d.spec.template.spec.containers[0].resources.limits.memory = good;
      expect([good, validateCoreObject(d, '1.33')]).toEqual([good, []]);
    }
    for (const bad of ['1GB', '500mb', '1 Gi', 'Gi', '1.5.5', '', '1Ki1', '1e', '0x10']) {
      const d = deployment();
      d.spec.template.spec.containers[0].resources.limits.memory = bad;
      expect(validateCoreObject(d, '1.33')).toEqual([
        { path: '/spec/template/spec/containers/0/resources/limits/memory', message: `must be a valid quantity (got ${JSON.stringify(bad)})` },
      ]);
    }
    const pvc = goodObjects().find((o) => o.kind === 'PersistentVolumeClaim');
    pvc.spec.resources.requests.storage = '10GiB';
    expect(validateCoreObject(pvc, '1.34')).toEqual([{ path: '/spec/resources/requests/storage', message: 'must be a valid quantity (got "10GiB")' }]);
  });

  test('a missing required field fails with its path', () => {
    const d = deployment();
    delete d.spec.selector;
    delete d.spec.template.spec.containers[0].name;
    expect(validateCoreObject(d, '1.35')).toEqual([
      { path: '/spec', message: "must have required property 'selector'" },
      { path: '/spec/template/spec/containers/0', message: "must have required property 'name'" },
    ]);
    const crb = goodObjects().find((o) => o.kind === 'ClusterRoleBinding');
    delete crb.roleRef;
    expect(validateCoreObject(crb, '1.33')).toEqual([{ path: '', message: "must have required property 'roleRef'" }]);
    // A null is an absent field (Go's JSON decoding): fine where optional, missing where required.
    const svc = goodObjects().find((o) => o.kind === 'Service');
    svc.spec.ports[0].port = null;
    svc.metadata.annotations = null;
    expect(validateCoreObject(svc, '1.35')).toEqual([{ path: '/spec/ports/0', message: "must have required property 'port'" }]);
  });

  test('metadata.name is checked for its kind', () => {
    const named = (kind: string, name: string) => ({ ...goodObjects().find((o) => o.kind === kind), metadata: { name } });
    // DNS-1123 subdomain for most kinds
    expect(validateCoreObject(named('ConfigMap', 'Web_Config'), '1.35')).toEqual([{
      path: '/metadata/name',
      message: 'must be a DNS-1123 subdomain (at most 253 lowercase letters, digits, "-" and ".", starting and ending with a letter or digit) (a ConfigMap name; got "Web_Config")',
    }]);
    expect(validateCoreObject(named('Deployment', 'web.v2'), '1.35')).toEqual([]);
    // DNS-1035 label for Services: no dots, starts with a letter
    expect(validateCoreObject(named('Service', 'web.v2'), '1.35')[0].message).toMatch(/^must be a DNS-1035 label .*\(a Service name; got "web\.v2"\)$/);
    expect(validateCoreObject(named('Service', '2web'), '1.35')[0].path).toBe('/metadata/name');
    // DNS-1123 label for Namespaces
    expect(validateCoreObject(named('Namespace', 'a.b'), '1.35')[0].message).toMatch(/^must be a DNS-1123 label /);
    // path segment for RBAC: colons are fine, "/" and "%" are not
    expect(validateCoreObject(named('ClusterRole', 'system:metrics-reader'), '1.35')).toEqual([]);
    expect(validateCoreObject(named('ClusterRole', 'a/b'), '1.35')).toEqual([{ path: '/metadata/name', message: 'may not contain "/" or "%" (a ClusterRole name; got "a/b")' }]);
    // a missing name, a bad namespace, label key and value
    expect(validateCoreObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace: 'Shop', labels: { 'a/b/c': 'x', '-x': 'y', 'ok': 'not ok!' } } }, '1.35')).toEqual([
      { path: '/metadata', message: "must have required property 'name'" },
      { path: '/metadata/namespace', message: 'must be a DNS-1123 label (got "Shop")' },
      { path: '/metadata/labels', message: 'key "a/b/c": the prefix before "/" must be a DNS-1123 subdomain' },
      { path: '/metadata/labels', message: 'key "-x" is not a valid qualified name (optional DNS prefix and "/", then at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit)' },
      { path: '/metadata/labels/ok', message: expect.stringMatching(/^must be a valid label value .*got "not ok!"\)$/) },
    ]);
    // a CRD's name is its plural and group
    const crd = goodObjects().find((o) => o.kind === 'CustomResourceDefinition');
    crd.metadata.name = 'widget.example.com';
    expect(validateCoreObject(crd, '1.35')).toEqual([{ path: '/metadata/name', message: 'must be spec.names.plural + "." + spec.group ("widgets.example.com"; got "widget.example.com")' }]);
  });

  test('an apiVersion a minor does not serve is reported as not served, naming where it is', () => {
    const pdb = { apiVersion: 'policy/v1beta1', kind: 'PodDisruptionBudget', metadata: { name: 'web' }, spec: { minAvailable: 1 } };
    for (const minor of MINORS) {
      expect(hasCoreSchema(pdb.apiVersion, pdb.kind, minor)).toBe(false);
      expect(validateCoreObject(pdb, minor)).toEqual([{
        path: '/apiVersion',
        message: `policy/v1beta1 PodDisruptionBudget is not served by Kubernetes ${minor}; PodDisruptionBudget is served there as policy/v1`,
      }]);
    }
    expect(validateCoreObjectOnSupportedMinors(pdb)).toEqual([{
      path: '/apiVersion',
      minors: MINORS,
      message: `policy/v1beta1 PodDisruptionBudget is not served by Kubernetes ${MINORS.join(', ')} (PodDisruptionBudget is served as policy/v1)`,
    }]);
    // storage.k8s.io/v1alpha1 VolumeAttributesClass: served by 1.33 and 1.34, gone in 1.35 (v1beta1 and v1 remain)
    const vac = { apiVersion: 'storage.k8s.io/v1alpha1', kind: 'VolumeAttributesClass', metadata: { name: 'gold' }, driverName: 'ebs.csi.aws.com', parameters: { iops: '3000' } };
    expect(validateCoreObject(vac, '1.33')).toEqual([]);
    expect(validateCoreObject(vac, '1.35')).toEqual([{
      path: '/apiVersion',
      message: 'storage.k8s.io/v1alpha1 VolumeAttributesClass is not served by Kubernetes 1.35; VolumeAttributesClass is served there as storage.k8s.io/v1, storage.k8s.io/v1beta1; storage.k8s.io/v1alpha1 VolumeAttributesClass is served by Kubernetes 1.33, 1.34',
    }]);
    expect(validateCoreObjectOnSupportedMinors(vac)).toEqual([{
      path: '/apiVersion',
      minors: ['1.35'],
      message: 'storage.k8s.io/v1alpha1 VolumeAttributesClass is not served by Kubernetes 1.35 (it is served by 1.33, 1.34)',
    }]);
  });

  test('problems found on several minors are reported once, with the minors', () => {
    const d = deployment();
    d.spec.template.spec.containers[0].resources.limits.memory = '1GB';
    expect(validateCoreObjectOnSupportedMinors(d)).toEqual([
      { path: '/spec/template/spec/containers/0/resources/limits/memory', message: 'must be a valid quantity (got "1GB")', minors: MINORS },
    ]);
  });

  test('not an object, or without apiVersion/kind', () => {
    expect(validateCoreObject([], '1.35')).toEqual([{ path: '', message: 'must be an object (a Kubernetes resource)' }]);
    expect(validateCoreObject({ metadata: { name: 'x' } }, '1.35')).toEqual([
      { path: '/apiVersion', message: 'must be a string such as "apps/v1"' },
      { path: '/kind', message: 'must be a string such as "Deployment"' },
    ]);
    expect(() => validateCoreObject(deployment(), '1.20')).toThrow('Kubernetes 1.20 is not a supported minor; supported: 1.33, 1.34, 1.35');
  });

  test(`the validators are ${origin}`, () => {
    expect(impl.kubeValidatorOrigin()).toBe(origin);
  });
});

describe('every object the real Helm renders from the vendored charts validates on every supported minor', () => {
  const CASES: Array<[string, string[]]> = [
    ['kube-state-metrics-8.4.0', []],
    ['grafana-12.11.1', []],
    ['prometheus-node-exporter-4.56.1', []],
    ['argo-cd-10.1.1', []],
    ['metrics-server-3.13.1', []],
    ['opentelemetry-operator-0.122.0', []],
    ['kube-prometheus-stack-88.5.3', ['--set', 'windowsMonitoring.enabled=true']],
  ];
  const { validateCoreObjectOnSupportedMinors, hasCoreSchema, isBuiltInApiVersion } = precompiled;

  test.each(CASES)('%s', (chart, args) => {
    const out = execFileSync(helmBinary(), ['template', 't', join(CHARTS, `${chart}.tgz`), '--namespace', 'obs', ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    const objects = YAML.parseAllDocuments(out).map((d) => d.toJS()).filter((o) => o && typeof o === 'object');
    const core = objects.filter((o) => isBuiltInApiVersion(o.apiVersion));
    expect(core.length).toBeGreaterThan(2);
    const problems = core.flatMap((o) => validateCoreObjectOnSupportedMinors(o).map((p) => `${o.kind} ${o.metadata?.name}: ${p.path} ${p.message}`));
    expect(problems).toEqual([]);
    expect(core.filter((o) => !hasCoreSchema(o.apiVersion, o.kind))).toEqual([]);
    // the check is live on these very objects: one broken field is caught
    const broken = JSON.parse(JSON.stringify(core[0]));
    broken.metadata.labelz = {};
    expect(validateCoreObjectOnSupportedMinors(broken)).toEqual([
      { path: '/metadata', message: 'unknown field "labelz" (did you mean "labels"?)', minors: precompiled.supportedKubernetesMinors() },
    ]);
  });

  test('a chart rendered for an old cluster (PodSecurityPolicy) is reported as not served by any supported minor', () => {
    const out = execFileSync(helmBinary(), ['template', 't', join(CHARTS, 'kube-prometheus-stack-45.2.0.tgz'), '--namespace', 'obs',
      '--set', 'global.rbac.pspEnabled=true', '--kube-version', '1.24.0', '--api-versions', 'policy/v1beta1/PodSecurityPolicy'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    const core = YAML.parseAllDocuments(out).map((d) => d.toJS()).filter((o) => o && isBuiltInApiVersion(o.apiVersion));
    const problems = core.flatMap((o) => validateCoreObjectOnSupportedMinors(o).map((p) => `${o.kind} ${o.metadata?.name}: ${p.path} ${p.message}`));
    expect(problems.sort()).toEqual(['admission', 'alertmanager', 'operator', 'prometheus'].map((n) =>
      `PodSecurityPolicy t-kube-prometheus-stack-${n}: /apiVersion policy/v1beta1 PodSecurityPolicy is not served by Kubernetes 1.33, 1.34, 1.35`));
  });

  test('600 rendered objects validate on every supported minor well under a second', () => {
    const out = execFileSync(helmBinary(), ['template', 't', join(CHARTS, 'kube-prometheus-stack-88.5.3.tgz'), '--namespace', 'obs', '--set', 'windowsMonitoring.enabled=true'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    const core = YAML.parseAllDocuments(out).map((d) => d.toJS()).filter((o) => o && isBuiltInApiVersion(o.apiVersion));
    const objects = Array.from({ length: 600 }, (_, i) => core[i % core.length]);
    const started = process.hrtime.bigint();
    for (const o of objects) validateCoreObjectOnSupportedMinors(o);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    expect(ms).toBeLessThan(1000);
  });
});

describe('precompiled validators', () => {
  test('lib/validation/kube-validators/ is what the current sources and schemas compile to', () => {
    const expected = compiledAtRunTime.standaloneKubeValidators();
    expect([...expected.keys()].sort()).toEqual(['index.js', 'light.js']);
    for (const [file, code] of expected) {
      expect([file, readFileSync(join(LIB, 'validation', 'kube-validators', file), 'utf8') === code]).toEqual([file, true]);
    }
  });

  test('a synth that validates only the kinds it generates loads the light module, not every kind', () => {
    const script = `
      const k = require(${JSON.stringify(join(LIB, 'validation', 'kube-schemas'))});
      const problems = k.validateCoreObjectOnSupportedMinors({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'x' }, rules: [{ verbs: ['get'] }] });
      const loaded = Object.keys(require.cache).filter((f) => f.includes('kube-validators')).map((f) => f.split('/').pop());
      console.log(JSON.stringify({ problems, loaded }));`;
    expect(JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }))).toEqual({ problems: [], loaded: ['light.js'] });
  });
});
