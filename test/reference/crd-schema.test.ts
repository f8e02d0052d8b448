import { existsSync, readdirSync, readFileSync } from 'fs';
import { join, relative } from 'path';
import * as compiledAtRunTime from '../../src/validation/crd-schema';

/*
 * Every test runs twice: with validators compiled from the schemas when first used (src/, as
 * under ts-jest), and with the ones compiled at build time into lib/validation/crd-validators/
 * (what a synth from the npm package uses). Both must report exactly the same problems.
 */
const LIB = join(__dirname, '..', '..', 'lib');
const PRECOMPILED_DIR = join(LIB, 'validation', 'crd-validators');
if (!existsSync(PRECOMPILED_DIR)) {
  throw new Error('lib/validation/crd-validators/ is missing: run `npx projen compile` first (precompiled validators are tested from lib/)');
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const precompiled: typeof compiledAtRunTime = require(join(LIB, 'validation', 'crd-schema'));

/** A minimal multi-source Argo CD Application: Helm chart + the values repo as `ref: values`. */
function application(): any {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: 'kube-prometheus-stack',
      namespace: 'argocd',
      labels: { 'app.kubernetes.io/part-of': 'observability' },
      annotations: { 'argocd.argoproj.io/sync-wave': '1' },
      finalizers: ['resources-finalizer.argocd.argoproj.io'],
    },
    spec: {
      project: 'observability',
      sources: [
        {
          repoURL: 'https://prometheus-community.github.io/helm-charts',
          chart: 'kube-prometheus-stack',
          targetRevision: '88.5.3',
          helm: { releaseName: 'kps', valueFiles: ['$values/values/x.yaml'] },
        },
        { repoURL: 'https://github.com/example/gitops.git', targetRevision: 'main', ref: 'values' },
      ],
      destination: { server: 'https://kubernetes.default.svc', namespace: 'monitoring' },
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        syncOptions: ['CreateNamespace=true', 'ServerSideApply=true'],
        retry: { limit: 5, backoff: { duration: '5s', factor: 2, maxDuration: '3m' } },
      },
    },
  };
}

function collector(): any {
  return {
    apiVersion: 'opentelemetry.io/v1beta1',
    kind: 'OpenTelemetryCollector',
    metadata: { name: 'gateway', namespace: 'observability' },
    spec: {
      mode: 'deployment',
      replicas: 2,
      config: {
        receivers: { otlp: { protocols: { grpc: { endpoint: '0.0.0.0:4317' }, http: { endpoint: '0.0.0.0:4318' } } } },
        processors: { batch: {}, memory_limiter: { check_interval: '1s', limit_percentage: 80 } },
        exporters: { 'otlp/tempo': { endpoint: 'tempo:4317', tls: { insecure: true } } },
        service: {
          pipelines: { traces: { receivers: ['otlp'], processors: ['memory_limiter', 'batch'], exporters: ['otlp/tempo'] } },
        },
      },
    },
  };
}

const IMPLEMENTATIONS: Array<[string, typeof compiledAtRunTime, 'precompiled' | 'compiled at run time']> = [
  ['compiled at run time', compiledAtRunTime, 'compiled at run time'],
  ['precompiled (lib/)', precompiled, 'precompiled'],
];

describe.each(IMPLEMENTATIONS)('validators %s', (_name, impl, origin) => {
  const { hasCrdSchema, knownCrdKinds, validateAgainstCrd, warmUpCrdValidator } = impl;

  describe('validateAgainstCrd: Argo CD Application', () => {
    test('a minimal multi-source Application is valid', () => {
      expect(validateAgainstCrd(application())).toEqual([]);
    });

    test('a typo in a field name is rejected with the path and a suggestion', () => {
      const app = application();
      app.spec.syncPolicy.automated.selfHael = true;
      expect(validateAgainstCrd(app)).toEqual([
        { path: '/spec/syncPolicy/automated', message: 'unknown field "selfHael" (did you mean "selfHeal"?)' },
      ]);
    });

    test('a missing destination is reported on /spec', () => {
      const app = application();
      delete app.spec.destination;
      expect(validateAgainstCrd(app)).toEqual([{ path: '/spec', message: "must have required property 'destination'" }]);
    });

    test('all problems are reported, with types and paths inside arrays', () => {
      const app = application();
      app.spec.sources[0].helm.valueFiles = '$values/values/x.yaml';
      app.spec.sources[1].reff = 'values';
      app.spec.syncPolicy.retry.limit = 'five';
      const problems = validateAgainstCrd(app);
      expect(problems).toEqual(expect.arrayContaining([
        { path: '/spec/sources/0/helm/valueFiles', message: 'must be array (got string)' },
        { path: '/spec/sources/1', message: 'unknown field "reff" (did you mean "ref"?)' },
        { path: '/spec/syncPolicy/retry/limit', message: 'must be integer (got string)' },
      ]));
      expect(problems).toHaveLength(3);
    });

    test('an unknown top-level field is rejected (structural schema: no preserve-unknown-fields)', () => {
      const app = application();
      app.specs = {};
      expect(validateAgainstCrd(app)).toEqual([{ path: '', message: 'unknown field "specs" (did you mean "spec"?)' }]);
    });

    test('status is not checked', () => {
      const app = application();
      app.status = { sync: { status: 'Synced' }, anything: true };
      expect(validateAgainstCrd(app)).toEqual([]);
    });
  });

  describe('validateAgainstCrd: metadata', () => {
    test('name is required and must be a DNS-1123 subdomain', () => {
      const app = application();
      app.metadata.name = 'Kube_Prometheus';
      expect(validateAgainstCrd(app)).toEqual([{
        path: '/metadata/name',
        message: 'must be a DNS-1123 subdomain (lowercase letters, digits, "-" and ".", starting and ending with a letter or digit) (got "Kube_Prometheus")',
      }]);
      delete app.metadata.name;
      expect(validateAgainstCrd(app)).toEqual([{ path: '/metadata', message: "must have required property 'name'" }]);
      delete app.metadata;
      expect(validateAgainstCrd(app)).toEqual([{ path: '', message: "must have required property 'metadata'" }]);
    });

    test('labels and annotations are string maps; unknown metadata fields are rejected', () => {
      const app = application();
      app.metadata.labels = { 'tier': 3, 'bad key!': 'x' };
      app.metadata.annotations = { note: true };
      app.metadata.lables = {};
      app.metadata.namespace = 'Argo CD';
      const problems = validateAgainstCrd(app);
      expect(problems).toEqual(expect.arrayContaining([
        { path: '/metadata', message: 'unknown field "lables" (did you mean "labels"?)' },
        { path: '/metadata/labels/tier', message: 'must be string (got number)' },
        expect.objectContaining({ path: '/metadata/labels', message: expect.stringContaining('key "bad key!" is not a valid qualified name') }),
        { path: '/metadata/annotations/note', message: 'must be string (got boolean)' },
        expect.objectContaining({ path: '/metadata/namespace', message: expect.stringContaining('must be a DNS-1123 label') }),
      ]));
      expect(problems).toHaveLength(5);
    });
  });

  describe('validateAgainstCrd: AppProject and ApplicationSet', () => {
    const project = (): any => ({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name: 'observability', namespace: 'argocd' },
      spec: {
        description: 'Observability stack',
        sourceRepos: ['https://github.com/example/gitops.git', 'https://prometheus-community.github.io/helm-charts'],
        destinations: [{ server: 'https://kubernetes.default.svc', namespace: 'monitoring' }],
        clusterResourceWhitelist: [{ group: '*', kind: '*' }],
        namespaceResourceWhitelist: [{ group: '*', kind: '*' }],
      },
    });

    test('a valid AppProject (including a field named "description") passes', () => {
      expect(validateAgainstCrd(project())).toEqual([]);
    });

    test('an invalid AppProject is rejected', () => {
      const p = project();
      p.spec.destinations = 'https://kubernetes.default.svc';
      p.spec.sourceRepo = ['x'];
      p.spec.clusterResourceWhitelist = [{ group: '*' }];
      expect(validateAgainstCrd(p)).toEqual(expect.arrayContaining([
        { path: '/spec', message: 'unknown field "sourceRepo" (did you mean "sourceRepos"?)' },
        { path: '/spec/destinations', message: 'must be array (got string)' },
        { path: '/spec/clusterResourceWhitelist/0', message: "must have required property 'kind'" },
      ]));
    });

    test('ApplicationSet: errors inside shared (deduplicated) subschemas keep their own path', () => {
      const set: any = {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'ApplicationSet',
        metadata: { name: 'clusters', namespace: 'argocd' },
        spec: {
          goTemplate: true,
          generators: [{ list: { elements: [{ cluster: 'a', url: 'https://a' }] } }],
          template: {
            metadata: { name: '{{.cluster}}-observability' },
            spec: {
              project: 'observability',
              sources: [{ repoURL: 'https://github.com/example/gitops.git', targetRevision: 'main', ref: 'values' }],
              destination: { server: '{{.url}}', namespace: 'monitoring' },
              syncPolicy: { automated: { prune: true } },
            },
          },
        },
      };
      expect(validateAgainstCrd(set)).toEqual([]);
      set.spec.template.spec.sources[0].reff = 'x';
      set.spec.template.spec.syncPolicy.automated.selfHael = true;
      expect(validateAgainstCrd(set)).toEqual([
        { path: '/spec/template/spec/sources/0', message: 'unknown field "reff" (did you mean "ref"?)' },
        { path: '/spec/template/spec/syncPolicy/automated', message: 'unknown field "selfHael" (did you mean "selfHeal"?)' },
      ]);
    });
  });

  describe('validateAgainstCrd: OpenTelemetry', () => {
    test('an OpenTelemetryCollector v1beta1 with a full config is valid', () => {
      expect(validateAgainstCrd(collector())).toEqual([]);
    });

    test('spec.config preserves unknown fields, but its described parts are checked', () => {
      const c = collector();
      c.spec.config.connectors = { spanmetrics: {} }; // not described: preserved
      c.spec.config.receivers.otlp.anything = { goes: true }; // receivers: preserve-unknown-fields
      expect(validateAgainstCrd(c)).toEqual([]);
      delete c.spec.config.exporters;
      c.spec.config.service.pipeline = {};
      expect(validateAgainstCrd(c)).toEqual(expect.arrayContaining([
        { path: '/spec/config', message: "must have required property 'exporters'" },
        { path: '/spec/config/service', message: 'unknown field "pipeline" (did you mean "pipelines"?)' },
      ]));
    });

    test('the deprecated v1alpha1 OpenTelemetryCollector is not vendored: the problem names v1beta1', () => {
      const c = collector();
      c.apiVersion = 'opentelemetry.io/v1alpha1';
      const problems = validateAgainstCrd(c);
      expect(problems).toHaveLength(1);
      expect(problems[0].message).toContain('no vendored CRD schema for opentelemetry.io/v1alpha1 OpenTelemetryCollector');
      expect(problems[0].message).toContain('vendored as opentelemetry.io/v1beta1');
    });

    test('Instrumentation with a parent-based ratio sampler', () => {
      const inst: any = {
        apiVersion: 'opentelemetry.io/v1alpha1',
        kind: 'Instrumentation',
        metadata: { name: 'default', namespace: 'apps' },
        spec: {
          exporter: { endpoint: 'http://otel-collector.observability:4318' },
          propagators: ['tracecontext', 'baggage'],
          sampler: { type: 'parentbased_traceidratio', argument: '0.25' },
        },
      };
      expect(validateAgainstCrd(inst)).toEqual([]);
      inst.spec.sampler = { type: 'sometimes', argument: 0.25 };
      const problems = validateAgainstCrd(inst);
      expect(problems).toEqual(expect.arrayContaining([
        { path: '/spec/sampler/argument', message: 'must be string (got number)' },
        expect.objectContaining({ path: '/spec/sampler/type', message: expect.stringMatching(/^must be one of "always_on", .*"parentbased_traceidratio".* \(got "sometimes"\)$/) }),
      ]));
    });
  });

  describe('validateAgainstCrd: prometheus-operator', () => {
    const serviceMonitor = (): any => ({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: { name: 'app', namespace: 'apps', labels: { release: 'kps' } },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        endpoints: [{ port: 'http', interval: '30s', path: '/metrics' }, { targetPort: 8080 }],
      },
    });

    test('a valid ServiceMonitor; int-or-string accepts both forms', () => {
      expect(validateAgainstCrd(serviceMonitor())).toEqual([]);
      const sm = serviceMonitor();
      sm.spec.endpoints[1].targetPort = 'metrics';
      expect(validateAgainstCrd(sm)).toEqual([]);
    });

    test('int-or-string errors are folded into one message; patterns are checked', () => {
      const sm = serviceMonitor();
      sm.spec.endpoints[1].targetPort = true;
      sm.spec.endpoints[0].interval = '30 seconds';
      expect(validateAgainstCrd(sm)).toEqual([
        expect.objectContaining({ path: '/spec/endpoints/0/interval', message: expect.stringMatching(/^must match pattern .* \(got "30 seconds"\)$/) }),
        { path: '/spec/endpoints/1/targetPort', message: 'must be integer or string (got boolean)' },
      ]);
    });

    test('PrometheusRule: expr is required', () => {
      const rule: any = {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PrometheusRule',
        metadata: { name: 'rules' },
        spec: { groups: [{ name: 'g', rules: [{ alert: 'Down', expr: 'up == 0', for: '5m', labels: { severity: 'critical' } }] }] },
      };
      expect(validateAgainstCrd(rule)).toEqual([]);
      delete rule.spec.groups[0].rules[0].expr;
      expect(validateAgainstCrd(rule)).toEqual([{ path: '/spec/groups/0/rules/0', message: "must have required property 'expr'" }]);
    });
  });

  describe('known kinds', () => {
    test('the vendored kinds', () => {
      expect(knownCrdKinds().map((k) => `${k.apiVersion} ${k.kind}`).sort()).toEqual([
        'argoproj.io/v1alpha1 AppProject',
        'argoproj.io/v1alpha1 Application',
        'argoproj.io/v1alpha1 ApplicationSet',
        'monitoring.coreos.com/v1 PodMonitor',
        'monitoring.coreos.com/v1 Probe',
        'monitoring.coreos.com/v1 PrometheusRule',
        'monitoring.coreos.com/v1 ServiceMonitor',
        'monitoring.coreos.com/v1alpha1 AlertmanagerConfig',
        'monitoring.coreos.com/v1alpha1 ScrapeConfig',
        'opentelemetry.io/v1alpha1 Instrumentation',
        'opentelemetry.io/v1beta1 OpenTelemetryCollector',
      ]);
      expect(hasCrdSchema('argoproj.io/v1alpha1', 'Application')).toBe(true);
      // core kinds are the upstream Kubernetes schemas' (src/validation/kube-schemas.ts)
      expect(hasCrdSchema('v1', 'ConfigMap')).toBe(false);
      expect(hasCrdSchema('apps/v1', 'Deployment')).toBe(false);
    });

    test('an unknown kind yields one problem listing the known kinds', () => {
      const problems = validateAgainstCrd({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' } });
      expect(problems).toHaveLength(1);
      expect(problems[0].path).toBe('');
      expect(problems[0].message).toMatch(/^no vendored CRD schema for apps\/v1 Deployment; known kinds: .*argoproj\.io\/v1alpha1 Application,/);
    });

    test('a resource without apiVersion/kind', () => {
      expect(validateAgainstCrd({ metadata: { name: 'x' } })).toEqual([
        { path: '/apiVersion', message: 'must be a string such as "argoproj.io/v1alpha1"' },
        { path: '/kind', message: 'must be a string such as "Application"' },
      ]);
      expect(validateAgainstCrd([])).toEqual([{ path: '', message: 'must be an object (a Kubernetes resource)' }]);
    });

    test('every vendored schema compiles (Go (?i) patterns included) and AlertmanagerConfig accepts matchType "="', () => {
      for (const k of knownCrdKinds()) expect(warmUpCrdValidator(k.apiVersion, k.kind)).toBe(true);
      const amc: any = {
        apiVersion: 'monitoring.coreos.com/v1alpha1',
        kind: 'AlertmanagerConfig',
        metadata: { name: 'team' },
        spec: {
          route: { receiver: 'null', matchers: [{ name: 'team', value: 'a', matchType: '=' }] },
          receivers: [{ name: 'null' }],
          muteTimeIntervals: [{ name: 'weekends', timeIntervals: [{ weekdays: ['Saturday', 'sunday'], months: ['january', 'March:May'] }] }],
        },
      };
      expect(validateAgainstCrd(amc)).toEqual([]);
      amc.spec.route.matchers[0].matchType = '==';
      amc.spec.muteTimeIntervals[0].timeIntervals[0].weekdays = ['Funday'];
      expect(validateAgainstCrd(amc)).toEqual([
        { path: '/spec/muteTimeIntervals/0/timeIntervals/0/weekdays/0', message: expect.stringMatching(/^must match pattern ".*\(got "Funday"\)$/) },
        { path: '/spec/route/matchers/0/matchType', message: 'must be one of "!=", "=", "=~", "!~" (got "==")' },
      ]);
    });
  });

  test(`every kind's validator is ${origin}`, () => {
    for (const k of knownCrdKinds()) expect([k.kind, impl.crdValidatorOrigin(k.apiVersion, k.kind)]).toEqual([k.kind, origin]);
  });
});

describe('precompiled validators', () => {
  test('lib/validation/crd-validators/ is what the current sources and schemas compile to', () => {
    const expected = compiledAtRunTime.standaloneCrdValidators();
    const files = (readdirSync(PRECOMPILED_DIR, { recursive: true }) as string[])
      .filter((f) => f.endsWith('.js')).map((f) => relative(PRECOMPILED_DIR, join(PRECOMPILED_DIR, f))).sort();
    expect(files).toEqual([...expected.keys()].sort());
    for (const [file, code] of expected) {
      expect([file, readFileSync(join(PRECOMPILED_DIR, file), 'utf8') === code]).toEqual([file, true]);
    }
  });
});
