import { LogCollector, LogsBackend, MetricsFlavor } from '../src';
import { synthFiles } from './util';

/** Part names of a synthesized repo, from its child Application files. */
function partsOf(files: Record<string, any>): string[] {
  return Object.keys(files)
    .filter((f) => f.startsWith('argocd/apps/in-cluster/'))
    .map((f) => f.replace('argocd/apps/in-cluster/', '').replace('.yaml', ''))
    .sort();
}

function appOf(files: Record<string, any>, part: string): any {
  return files[`argocd/apps/in-cluster/${part}.yaml`];
}

/** Every chart repo and Git repo the Applications use are in the AppProject, and nothing else. */
function expectProjectMatchesApps(files: Record<string, any>): void {
  const project = files['argocd/apps/project.yaml'].spec;
  const repos = new Set<string>([files['argocd/root.yaml'].spec.source.repoURL]);
  const destinations = new Set<string>();
  for (const part of partsOf(files)) {
    const app = appOf(files, part);
    for (const s of app.spec.sources) repos.add(s.repoURL);
    destinations.add(`${app.spec.destination.server} ${app.spec.destination.namespace}`);
  }
  expect(new Set(project.sourceRepos)).toEqual(repos);
  const allowed = new Set(project.destinations.map((d: any) => `${d.server} ${d.namespace}`));
  for (const d of destinations) expect(allowed).toContain(d);
}

describe('seed configurations', () => {
  test('the default scaffold is the integrated stack: metrics + logs + traces + Grafana', () => {
    const files = synthFiles();
    expect(partsOf(files)).toEqual([
      'alert-rules', 'alloy', 'argocd-metrics', 'dashboards', 'kube-prometheus-stack', 'loki', 'opentelemetry-operator', 'opentelemetry-resources',
      'prometheus-operator-crds', 'tempo',
    ]);
    expectProjectMatchesApps(files);
  });

  test('kube-prometheus-stack + Loki + Promtail with a namespace filter', () => {
    const files = synthFiles({
      logs: { collectors: [LogCollector.PROMTAIL], includeNamespaces: ['shop', 'payments'] },
      traces: { enabled: false },
    });
    expect(partsOf(files)).toEqual(['alert-rules', 'argocd-metrics', 'dashboards', 'kube-prometheus-stack', 'loki', 'prometheus-operator-crds', 'promtail']);
    expect(JSON.stringify(files['values/promtail.yaml'])).toMatch(/shop/);
    expect(JSON.stringify(files['values/promtail.yaml'])).toMatch(/payments/);
    expectProjectMatchesApps(files);
  });

  test('standalone prometheus + grafana + Fluentd + Promtail', () => {
    const files = synthFiles({
      metrics: { flavor: MetricsFlavor.STANDALONE },
      logs: { collectors: [LogCollector.FLUENTD, LogCollector.PROMTAIL] },
      traces: { enabled: false },
    });
    expect(partsOf(files)).toEqual(['dashboards', 'fluentd', 'grafana', 'loki', 'prometheus', 'promtail']);
    expectProjectMatchesApps(files);
  });

  test('metrics + logs + traces with Fluent Bit, Tempo and OpenTelemetry', () => {
    const files = synthFiles({ logs: { collectors: [LogCollector.FLUENT_BIT] } });
    expect(partsOf(files)).toEqual([
      'alert-rules', 'argocd-metrics', 'dashboards', 'fluent-bit', 'kube-prometheus-stack', 'loki', 'opentelemetry-operator', 'opentelemetry-resources',
      'prometheus-operator-crds', 'tempo',
    ]);
    expectProjectMatchesApps(files);
  });

  test('Fluentd to Elasticsearch + Kibana', () => {
    const files = synthFiles({ logs: { backend: LogsBackend.ELASTICSEARCH }, traces: { enabled: false } });
    expect(partsOf(files)).toEqual(['alert-rules', 'argocd-metrics', 'dashboards', 'elasticsearch', 'fluentd', 'kibana', 'kube-prometheus-stack', 'prometheus-operator-crds']);
    expectProjectMatchesApps(files);
  });

  test('sync waves run CRDs, operators, collectors, stacks, configuration in that order', () => {
    const files = synthFiles();
    const wave = (part: string) => Number(appOf(files, part).metadata.annotations['argocd.argoproj.io/sync-wave']);
    expect(wave('prometheus-operator-crds')).toBeLessThan(wave('opentelemetry-operator'));
    expect(wave('opentelemetry-operator')).toBeLessThan(wave('alloy'));
    expect(wave('alloy')).toBeLessThan(wave('loki'));
    expect(wave('loki')).toBe(wave('kube-prometheus-stack'));
    expect(wave('tempo')).toBeLessThan(wave('opentelemetry-resources'));
  });

  test('no generated file carries a secret in plain text', () => {
    for (const options of [{}, { logs: { backend: LogsBackend.ELASTICSEARCH } }, { metrics: { flavor: MetricsFlavor.STANDALONE } }]) {
      const files = synthFiles(options as any);
      for (const [path, content] of Object.entries(files)) {
        if (!/\.(ya?ml|json|sh)$/.test(path) || path.startsWith('.projen/') || path === 'package.json') continue;
        const text = typeof content === 'string' ? content : JSON.stringify(content);
        // a password/secret/token key with a literal value (not a reference to a Secret or an env var)
        const literal = /"(password|adminPassword|secret|token|apiKey)"\s*:\s*"(?!\$|\{\{)[^"]+"/i.exec(text);
        expect({ path, literal: literal?.[0] }).toEqual({ path, literal: undefined });
      }
    }
  });
});
