import { MetricsFlavor } from '../../src';
import { synthRaw } from '../util';

/* The generated README says, per flavor, what the alerts watch, where Argo CD is scraped, and the heartbeat. */

describe('README: alert coverage per flavor', () => {
  test('kube-prometheus-stack: the chart\'s rules, what the packs replace, every pack with its runbooks, Argo CD\'s ServiceMonitor', () => {
    const readme: string = synthRaw()['README.md'];
    expect(readme).toContain('## Alerts: what is watched');
    expect(readme).toContain('`KubePodNotReady`, `KubeStatefulSetReplicasMismatch`');
    expect(readme).toMatch(/\| `pipelines` \| the telemetry pipelines: .* \| \[AlloyLogsPushFailing\]\(docs\/runbooks\/AlloyLogsPushFailing\.md\)/);
    expect(readme).not.toContain('| `cluster` |');
    expect(readme).toContain('by the ServiceMonitor `argocd-metrics` in `argocd`');
    expect(readme).toContain('**No dead man\'s switch.**');
  });

  test('standalone: the cluster pack and the Watchdog heartbeat, Argo CD\'s scrape job', () => {
    const readme: string = synthRaw({ metrics: { flavor: MetricsFlavor.STANDALONE } })['README.md'];
    expect(readme).toContain('The standalone prometheus chart ships no alert rules');
    expect(readme).toMatch(/\| `cluster` \| the cluster where .* \| \[Watchdog\]\(docs\/runbooks\/Watchdog\.md\), \[KubeAPIServerDown\]/);
    expect(readme).toContain('by the job `stack/argocd/argocd-metrics` of `values/prometheus.yaml`');
  });
});
