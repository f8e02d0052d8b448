import { ChartCatalog } from '../../src/catalog/charts';
import { objectsOf, renderApplication } from '../support/render-app';
import { newProject, synthToDisk } from '../util';

/*
 * One owner for the monitoring.coreos.com CRDs: the prometheus-operator-crds
 * Application. kube-prometheus-stack ships them too: in its own crds/ folder
 * up to 45.x (no value turns that off), in a `crds` sub-chart from 56.x on
 * (`crds.enabled`). Its Application sets `helm.skipCrds` and the values turn
 * the sub-chart off, so at any pin it renders no CustomResourceDefinition.
 * Rendered with the real Helm at 45.2.0, 56.3.0 and the catalog's pin.
 */

const APP = 'argocd/apps/in-cluster/kube-prometheus-stack.yaml';
const PINNED = ChartCatalog.get('kube-prometheus-stack').version;

function crdNames(objects: readonly Record<string, any>[]): string[] {
  return objectsOf(objects, 'CustomResourceDefinition').map((o) => o.metadata.name).sort();
}

const operatorCrds = crdNames(renderApplication(synthToDisk(newProject()), 'argocd/apps/in-cluster/prometheus-operator-crds.yaml').objects);

test('prometheus-operator-crds renders the monitoring.coreos.com CRDs', () => {
  expect(operatorCrds).toContain('prometheusrules.monitoring.coreos.com');
  expect(operatorCrds.length).toBeGreaterThanOrEqual(10);
  expect(operatorCrds.every((n) => n.endsWith('.monitoring.coreos.com'))).toBe(true);
});

describe.each(['45.2.0', '56.3.0', PINNED])('kube-prometheus-stack %s', (pin) => {
  const dir = synthToDisk(newProject(pin === PINNED ? {} : { chartVersions: { 'kube-prometheus-stack': pin } }));

  test('its Application skips the chart\'s CRDs and renders none', () => {
    const { application, objects, args } = renderApplication(dir, APP);
    const source = application.spec.sources.find((s: any) => s.chart === 'kube-prometheus-stack');
    expect(source.targetRevision).toBe(pin);
    expect(source.helm.skipCrds).toBe(true);
    expect(args).toContain('--skip-crds');
    expect(objectsOf(objects, 'Prometheus')).toHaveLength(1);
    expect(crdNames(objects)).toEqual([]);
  });

  test('without helm.skipCrds only the 45.x chart would apply CRDs (its crds/ folder), all of them owned by prometheus-operator-crds', () => {
    const without = crdNames(renderApplication(dir, APP, { ignoreSkipCrds: true }).objects);
    if (pin === '45.2.0') {
      expect(without.length).toBeGreaterThanOrEqual(8);
      for (const n of without) expect(operatorCrds).toContain(n);
    } else {
      // From 56.x on the `crds` sub-chart holds them, and the values turn it off.
      expect(without).toEqual([]);
    }
  });
});
