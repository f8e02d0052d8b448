import { synthFiles } from './util';
import { deepMerge } from '../src/merge';

/*
 * valuesOverrides always win (issue 14): keys the library sets per cluster (externalLabels,
 * promtail's clients, the collectors' env) live in a values layer Argo CD applies after the
 * part's values, so they used to override the user's override silently. Each key is checked
 * here the way Helm sees it: the Application's valueFiles merged in order.
 */

/** The values Helm renders a part with on a cluster: the Application's value files, merged in order. */
function effectiveValues(files: Record<string, any>, part: string, cluster: string, environment?: string): Record<string, unknown> {
  const appFile = Object.keys(files).find((f) => f === `argocd/${environment ? `${environment}/` : ''}apps/${cluster}/${part}.yaml`);
  if (!appFile) throw new Error(`no Application for ${part} on ${cluster}: ${Object.keys(files).filter((f) => f.includes('/apps/')).join(', ')}`);
  const helm = files[appFile].spec.sources.find((s: any) => s.helm)?.helm;
  let values: Record<string, unknown> = {};
  for (const ref of helm.valueFiles as string[]) {
    const file = ref.replace(/^\$values\//, '');
    if (files[file] !== undefined) values = deepMerge(values, files[file]);
  }
  return values;
}

function at(values: unknown, path: string): unknown {
  return path.split('.').reduce((v: any, k) => (v === undefined || v === null ? undefined : v[k]), values);
}

const TWO_CLUSTERS = { clusters: [{ name: 'eu-1', server: 'https://eu-1.example.com' }, { name: 'us-1', server: 'https://us-1.example.com' }] };
const MY_ENV = [{ name: 'TEAM', value: 'sre' }];
const MY_CLIENTS = [{ url: 'http://my-loki.logging:3100/loki/api/v1/push', tenant_id: 'mine' }];

/** [what, options, part, path in the values, the user's value] */
const KEYS: Array<[string, Record<string, unknown>, string, string, unknown]> = [
  ['kube-prometheus-stack externalLabels', {}, 'kube-prometheus-stack', 'prometheus.prometheusSpec.externalLabels', { cluster: 'mine', team: 'sre' }],
  ['standalone prometheus external_labels', { metrics: { flavor: 'standalone' } }, 'prometheus', 'server.global.external_labels', { cluster: 'mine' }],
  ['alloy extraEnv', {}, 'alloy', 'alloy.extraEnv', MY_ENV],
  ['promtail clients', { logs: { collectors: ['promtail'] } }, 'promtail', 'config.clients', MY_CLIENTS],
  ['loki-stack promtail clients', { logs: { backend: 'loki-stack' } }, 'loki-stack', 'promtail.config.clients', MY_CLIENTS],
  ['fluent-bit env', { logs: { collectors: ['fluent-bit'] } }, 'fluent-bit', 'env', MY_ENV],
  ['fluentd env', { logs: { backend: 'elasticsearch', collectors: ['fluentd'] } }, 'fluentd', 'env', MY_ENV],
];

function overrideAt(path: string, value: unknown): Record<string, unknown> {
  return path.split('.').reduceRight<unknown>((inner, key) => ({ [key]: inner }), value) as Record<string, unknown>;
}

describe('a valuesOverrides key the library also sets per cluster: the user wins', () => {
  test.each(KEYS)('%s, one cluster', (_what, options, part, path, mine) => {
    const files = synthFiles({ ...options, valuesOverrides: { [part]: overrideAt(path, mine) } } as any);
    const values = effectiveValues(files, part, 'in-cluster');
    const got = at(values, path);
    if (Array.isArray(mine)) expect(got).toEqual(mine);
    else expect(got).toEqual(expect.objectContaining(mine as object));
  });

  test.each(KEYS)('%s, two clusters (per-cluster values files)', (_what, options, part, path, mine) => {
    const files = synthFiles({ ...options, ...TWO_CLUSTERS, valuesOverrides: { [part]: overrideAt(path, mine) } } as any);
    for (const cluster of ['eu-1', 'us-1']) {
      const got = at(effectiveValues(files, part, cluster), path);
      if (Array.isArray(mine)) expect(got).toEqual(mine);
      else expect(got).toEqual(expect.objectContaining(mine as object));
    }
  });

  test('an environment\'s override wins over the per-cluster values too', () => {
    const files = synthFiles({
      environments: [{ name: 'prod', valuesOverrides: { 'kube-prometheus-stack': overrideAt('prometheus.prometheusSpec.externalLabels', { cluster: 'prod-mine' }) } }, { name: 'dev' }],
      clusters: [{ name: 'prod-1', environment: 'prod' }, { name: 'dev-1', environment: 'dev', server: 'https://dev.example.com' }],
    } as any);
    expect(at(effectiveValues(files, 'kube-prometheus-stack', 'prod-1', 'prod'), 'prometheus.prometheusSpec.externalLabels.cluster')).toBe('prod-mine');
    // the other environment keeps the generated label
    expect(at(effectiveValues(files, 'kube-prometheus-stack', 'dev-1', 'dev'), 'prometheus.prometheusSpec.externalLabels.cluster')).toBe('dev-1');
  });

  test('without an override the generated per-cluster value stays', () => {
    const files = synthFiles(TWO_CLUSTERS as any);
    expect(at(effectiveValues(files, 'kube-prometheus-stack', 'us-1'), 'prometheus.prometheusSpec.externalLabels.cluster')).toBe('us-1');
  });
});
