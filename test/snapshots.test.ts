/**
 * Snapshots of the generated tree per flavor: a reviewer sees every change to
 * generated output as a diff of __snapshots__/snapshots.test.ts.snap.
 * The build runs jest with --ci, so a difference fails; after an intended
 * change, update with `npx jest -u test/snapshots.test.ts` and review the diff.
 */
import { LogCollector, LogsBackend, MetricsFlavor, TracesBackend } from '../src';
import { synthRaw } from './util';

const GENERATED = /^(argocd|values|manifests|scripts)\/|^README\.md$/;

function generated(options: Record<string, unknown>): Record<string, string> {
  const files = synthRaw(options as any);
  return Object.fromEntries(Object.entries(files).filter(([f]) => GENERATED.test(f)).sort(([a], [b]) => a.localeCompare(b)));
}

const FLAVORS: Array<[string, Record<string, unknown>]> = [
  ['default (kube-prometheus-stack, Loki + Alloy, Tempo + OpenTelemetry)', {}],
  ['standalone prometheus + grafana, Fluentd + Promtail, no traces', {
    metrics: { flavor: MetricsFlavor.STANDALONE },
    logs: { collectors: [LogCollector.FLUENTD, LogCollector.PROMTAIL] },
    traces: { enabled: false },
  }],
  ['Elasticsearch + Kibana with Fluent Bit, traces to an external OTLP endpoint', {
    logs: { backend: LogsBackend.ELASTICSEARCH, collectors: [LogCollector.FLUENT_BIT] },
    traces: { backend: TracesBackend.OTLP_ENDPOINT, otlpEndpoint: 'otel.example.com:4317' },
  }],
  ['loki-stack, Argo CD self-managed, metrics-server', {
    logs: { backend: LogsBackend.LOKI_STACK },
    argocd: { selfManaged: true },
    metrics: { metricsServer: true },
  }],
];

describe('generated tree', () => {
  test.each(FLAVORS)('%s', (_name, options) => {
    expect(generated(options)).toMatchSnapshot();
  });
});
