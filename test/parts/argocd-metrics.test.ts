import { spawnSync } from 'child_process';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as YAML from 'yaml';
import { helmBinary } from '../../scripts/lib/helm-binary.cjs';
import { MetricsFlavor } from '../../src';
import { validateAgainstCrd } from '../../src/validation/crd-schema';
import { synthFiles } from '../util';

/*
 * Argo CD is scraped (and its ArgoCd* alerts generated) whether or not it is
 * self-managed: a ServiceMonitor of its own (parts/argocd-metrics.ts) selects
 * the metrics Service of the upstream install manifests and of the argo-cd chart.
 */

const FILE = 'manifests/in-cluster/argocd-metrics/servicemonitor-argocd-metrics.yaml';

describe('argocd-metrics part (kube-prometheus-stack, Argo CD not self-managed)', () => {
  const files = synthFiles();
  const monitor = files[FILE];

  test('a ServiceMonitor in the argocd namespace, valid against the CRD, with an Application', () => {
    expect(monitor).toMatchObject({
      kind: 'ServiceMonitor',
      metadata: { name: 'argocd-metrics', namespace: 'argocd' },
      spec: { selector: { matchLabels: { 'app.kubernetes.io/name': 'argocd-metrics' } } },
    });
    expect(validateAgainstCrd(monitor)).toEqual([]);
    expect(Object.keys(files).some((f) => /argocd\/apps\/.*argocd-metrics/.test(f))).toBe(true);
  });

  test('the argo-cd chart\'s controller metrics Service carries the label and one of the two ports', () => {
    // The chart as the self-managed part renders it: its controller metrics Service.
    const dir = mkdtempSync(join(tmpdir(), 'obs-argocd-'));
    writeFileSync(join(dir, 'v.yaml'), YAML.stringify({ fullnameOverride: 'argocd', controller: { metrics: { enabled: true } } }));
    const chart = join(__dirname, '..', 'fixtures', 'chart-packages', 'argo-cd-10.1.1.tgz');
    const r = spawnSync(helmBinary(), ['template', 'argo-cd', chart, '-n', 'argocd', '-f', join(dir, 'v.yaml')], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    expect(r.status).toBe(0);
    const services = YAML.parseAllDocuments(r.stdout).map((d) => d.toJS()).filter((d) => d?.kind === 'Service');
    const selected = services.filter((s) => s.metadata.labels?.['app.kubernetes.io/name'] === 'argocd-metrics');
    expect(selected.map((s) => s.metadata.name)).toEqual(['argocd-application-controller-metrics']);
    const ports = monitor.spec.endpoints.map((e: any) => e.port);
    expect(selected[0].spec.ports.map((p: any) => p.name).filter((n: string) => ports.includes(n))).toEqual(['http-metrics']);
  });

  test('none when Argo CD is self-managed (its chart has its ServiceMonitor) or with the standalone flavor (a scrape job)', () => {
    expect(synthFiles({ argocd: { selfManaged: true } })[FILE]).toBeUndefined();
    expect(synthFiles({ metrics: { flavor: MetricsFlavor.STANDALONE } })[FILE]).toBeUndefined();
  });
});
