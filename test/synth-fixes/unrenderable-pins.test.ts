import { ChartCatalog } from '../../src/catalog/charts';
import { unrenderablePin, unrenderablePins } from '../../src/catalog/unrenderable-pins';
import { renderApplication } from '../support/render-app';
import { newProject, synthToDisk } from '../util';

/*
 * A chartVersions pin the current Helm cannot render (opentelemetry-operator
 * 0.74.1 to 0.92.4: a values.schema.json the metaschema check rejects) gets a
 * synth warning naming the pin and the fix. The real Helm shows the table is
 * right about the vendored 0.91.1 and the catalog's pin.
 */

const APP = 'argocd/apps/in-cluster/opentelemetry-operator.yaml';

test('a pin in a known unrenderable range is warned about at synth, with the version that fixes it', () => {
  const project = newProject({ chartVersions: { 'opentelemetry-operator': '0.91.1' } });
  expect(project.warnings).toContainEqual(
    'chartVersions.opentelemetry-operator: 0.91.1 cannot be rendered by current Helm (Argo CD\'s repo-server would fail with a ComparisonError): ' +
    'its values.schema.json is rejected by the metaschema check of Helm >= 3.18.5 and Helm 4 ("featureGates/examples: got string, want array"), ' +
    `whatever the values. Pin opentelemetry-operator 0.92.5 or later (the catalog pins ${ChartCatalog.get('opentelemetry-operator').version}).`);
  expect(newProject({ chartVersions: { 'opentelemetry-operator': '0.92.5' } }).warnings.join('\n')).not.toMatch(/cannot be rendered/);
  expect(newProject().warnings.join('\n')).not.toMatch(/cannot be rendered/);
});

test('the range: 0.74.1 (where the schema bug came in) to 0.92.4', () => {
  expect(unrenderablePin('opentelemetry-operator', '0.74.0')).toBeUndefined();
  expect(unrenderablePin('opentelemetry-operator', '0.74.1')?.fixedIn).toBe('0.92.5');
  expect(unrenderablePin('opentelemetry-operator', '0.92.4')?.fixedIn).toBe('0.92.5');
  expect(unrenderablePin('opentelemetry-operator', '0.92.5')).toBeUndefined();
  expect(unrenderablePin('opentelemetry-collector', '0.91.1')).toBeUndefined();
  // No catalog pin is in a known-bad range.
  for (const p of unrenderablePins()) expect(unrenderablePin(p.chart, ChartCatalog.get(p.chart).version)).toBeUndefined();
});

test('the real Helm agrees: 0.91.1 fails on its schema whatever the values, the catalog\'s pin renders', () => {
  const dir = synthToDisk(newProject());
  expect(renderApplication(dir, APP).objects.some((o) => o.kind === 'Deployment')).toBe(true);
  expect(() => renderApplication(dir, APP, { chartVersion: '0.91.1' })).toThrow(/not valid against metaschema[\s\S]*featureGates\/examples': got string, want array/);
});
