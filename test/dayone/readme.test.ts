import { ObjectStorageProvider, Profile } from '../../src';
import { synthFiles } from '../util';

/*
 * The generated README answers a first day's questions: what runs where (a mermaid diagram, per
 * environment for fleets), how to reach Grafana, Prometheus and Alertmanager and log in, which
 * Secrets to create before the root Application (in order), what to look at when an Application
 * is stuck, how to add a dashboard and an alert rule, how upgrades arrive.
 */

const RECEIVERS = { receivers: [{ name: 'oncall', type: 'pagerduty', secretName: 'pagerduty', secretKey: 'routing-key' }] };

/** The mermaid block of a README: its lines, with subgraphs balanced and node ids unique. */
function mermaid(readme: string): string[] {
  const m = /```mermaid\n([\s\S]*?)\n```/.exec(readme);
  expect(m).not.toBeNull();
  const lines = m![1].split('\n');
  expect(lines[0]).toBe('flowchart LR');
  expect(lines.filter((l) => /^\s*subgraph /.test(l)).length).toBe(lines.filter((l) => /^\s*end$/.test(l)).length);
  const ids = lines.map((l) => /^\s+(\w+)\[/.exec(l)?.[1]).filter((x) => x !== undefined);
  expect(new Set(ids).size).toBe(ids.length);
  return lines;
}

describe('single cluster', () => {
  const readme: string = synthFiles({ alerting: RECEIVERS } as any)['README.md'];

  test('a mermaid diagram of the parts by namespace', () => {
    const lines = mermaid(readme);
    expect(lines).toContainEqual(expect.stringMatching(/^ {4}g0_monitoring\["monitoring: .*kube-prometheus-stack/));
    expect(lines).toContainEqual(expect.stringMatching(/^ {4}g0_logging\["logging: alloy, loki"\]$/));
  });

  test('how to reach Grafana (Service, port-forward, login from the Secret), Prometheus and Alertmanager', () => {
    expect(readme).toContain('kubectl -n monitoring port-forward svc/kube-prometheus-stack-grafana 3000:80');
    expect(readme).toContain("kubectl -n monitoring get secret grafana-admin-credentials -o jsonpath='{.data.admin-password}' | base64 -d");
    expect(readme).toContain('kubectl -n monitoring port-forward svc/kube-prometheus-stack-prometheus 9090:9090');
    expect(readme).toContain('kubectl -n monitoring port-forward svc/kube-prometheus-stack-alertmanager 9093:9093');
  });

  test('the Secrets to create, in order, come before the root Application is applied', () => {
    const secrets = readme.indexOf('Create these Secrets first, in this order, before the root Application');
    const grafana = readme.indexOf('1. `grafana-admin-credentials` in `monitoring`');
    const receiver = readme.indexOf('2. `pagerduty` in `monitoring`');
    const root = readme.indexOf('kubectl apply -n argocd -f argocd/root.yaml');
    expect(secrets).toBeGreaterThan(readme.indexOf('## Bootstrap'));
    expect([secrets, grafana, receiver, root]).toEqual([...[secrets, grafana, receiver, root]].sort((a, b) => a - b));
    expect(grafana).toBeGreaterThan(0);
  });

  test('troubleshooting: OutOfSync, ComparisonError, Degraded, missing CRDs and a missing receiver Secret, with commands', () => {
    const t = readme.slice(readme.indexOf('## Troubleshooting'));
    for (const s of ['**OutOfSync', '**ComparisonError**', '**Degraded**', '**CRDs missing**', '**A receiver Secret missing**']) expect(t).toContain(s);
    expect(t).toContain('kubectl -n argocd get applications.argoproj.io');
    expect(t).toContain("kubectl -n argocd get application in-cluster-kube-prometheus-stack -o jsonpath='{.status.conditions}'");
    expect(t).toContain('kubectl -n monitoring get events --field-selector reason=FailedMount');
    expect(t).toContain('kubectl get crd | grep');
  });

  test('how to add a dashboard and an alert rule, and how upgrades arrive', () => {
    expect(readme).toContain('## Add your own dashboard and alert rule');
    expect(readme).toContain('ConfigMap labelled `grafana_dashboard: "1"`');
    expect(readme).toContain('`alerting.customRules`');
    expect(readme).toContain('## Upgrade');
    expect(readme).toContain('The `upgrade` workflow does this every Monday');
    expect(readme).toContain('syncs the new `targetRevision`s in sync-wave order, CRDs first');
  });
});

test('a fleet: one subgraph per environment and role, edge clusters shipping to their central cluster', () => {
  const readme: string = synthFiles({
    profile: Profile.DISTRIBUTED,
    objectStorage: { provider: ObjectStorageProvider.S3, region: 'eu-west-1', secretName: 'obs-s3' },
    metrics: { remoteWriteUrl: 'https://mimir.example.com/api/v1/push' },
    logs: { pushUrl: 'https://loki.example.com/loki/api/v1/push' },
    traces: { otlpEndpoint: 'tempo.example.com:4317', kafkaAddress: 'kafka.streaming.svc:9092' },
    environments: [{ name: 'dev', profile: Profile.SINGLE_NODE }, { name: 'prod' }],
    clusters: [
      { name: 'dev-1', environment: 'dev', server: 'https://dev-1.example.com' },
      { name: 'prod-hub', environment: 'prod', central: true },
      { name: 'prod-eu', environment: 'prod', server: 'https://eu.example.com' },
    ],
  } as any)['README.md'];
  const lines = mermaid(readme);
  const subgraphs = lines.filter((l) => /^\s*subgraph /.test(l));
  expect(subgraphs).toEqual([
    '  subgraph g0["dev: dev-1"]',
    '  subgraph g1["prod: prod-hub (central)"]',
    '  subgraph g2["prod: prod-eu (edge)"]',
  ]);
  expect(lines).toContain('  g2 -- "metrics, logs, traces" --> g1');
  expect(readme).toMatch(/`obs-s3` \(object storage credentials/);
});
