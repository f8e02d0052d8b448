import * as fs from 'fs';
import * as path from 'path';
import * as K from '../../scripts/lib/keys.cjs';

/*
 * The derived files under reference/ (written by scripts/derive-reference.mjs). These tests do
 * not read ../shared: they check that every file is valid, in the derive script's canonical
 * (sorted, stable) form, and listed in PROVENANCE.md.
 */

const REFERENCE = path.join(__dirname, '..', '..', 'reference');

function filesUnder(dir: string, suffix: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p, suffix));
    else if (e.name.endsWith(suffix)) out.push(p);
  }
  return out.sort();
}

const keyFiles = filesUnder(path.join(REFERENCE, 'charts'), '.keys.json');
const schemaFiles = filesUnder(path.join(REFERENCE, 'crds'), '.schema.json');
const provenance = fs.readFileSync(path.join(REFERENCE, 'PROVENANCE.md'), 'utf8');
const rel = (f: string) => path.relative(REFERENCE, f).split(path.sep).join('/');

function isKeyTree(t: unknown): boolean {
  if (t === '*') return true;
  if (t === null || typeof t !== 'object' || Array.isArray(t)) return false;
  return Object.values(t).every(isKeyTree);
}

test('one key catalog per chart and the expected CRD schemas exist', () => {
  expect(keyFiles.map(rel)).toHaveLength(21);
  expect(schemaFiles.map(rel)).toEqual([
    'crds/argoproj.io/AppProject.v1alpha1.schema.json',
    'crds/argoproj.io/Application.v1alpha1.schema.json',
    'crds/argoproj.io/ApplicationSet.v1alpha1.schema.json',
    'crds/monitoring.coreos.com/AlertmanagerConfig.v1alpha1.schema.json',
    'crds/monitoring.coreos.com/PodMonitor.v1.schema.json',
    'crds/monitoring.coreos.com/Probe.v1.schema.json',
    'crds/monitoring.coreos.com/PrometheusRule.v1.schema.json',
    'crds/monitoring.coreos.com/ScrapeConfig.v1alpha1.schema.json',
    'crds/monitoring.coreos.com/ServiceMonitor.v1.schema.json',
    'crds/opentelemetry.io/Instrumentation.v1alpha1.schema.json',
    'crds/opentelemetry.io/OpenTelemetryCollector.v1beta1.schema.json',
  ]);
});

describe.each(keyFiles.map((f) => [rel(f), f]))('%s', (_name, file) => {
  test('is a key tree in canonical form (sorted keys, 1-space indent) and listed in PROVENANCE.md', () => {
    const text = fs.readFileSync(file, 'utf8');
    const tree = JSON.parse(text);
    expect(isKeyTree(tree)).toBe(true);
    expect(K.stableJson(tree, 1)).toBe(text);
    expect(provenance).toContain(`\`${rel(file)}\``);
  });
});

describe.each(schemaFiles.map((f) => [rel(f), f]))('%s', (_name, file) => {
  test('is a documentation-free object schema in canonical (minified, sorted) form, listed in PROVENANCE.md', () => {
    const text = fs.readFileSync(file, 'utf8');
    const schema = JSON.parse(text);
    expect(K.stableJson(schema, 0)).toBe(text);
    expect(schema.type).toBe('object');
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['apiVersion', 'kind', 'metadata', 'spec']));
    expect(K.stripDocs(schema)).toEqual(schema); // nothing left to strip
    expect(provenance).toContain(`\`${rel(file)}\``);
  });
});

test('PROVENANCE.md names the upstream commits, licences and the regeneration command', () => {
  expect(provenance).toContain('npx projen derive-reference');
  expect(provenance).toContain('Open for lack of upstream data');
  expect(provenance).toMatch(/thanos[\s\S]*MIT/);
  expect(provenance).toContain('ea930baeebeba39f56d6b44e351f23b2a072a600'); // kube-prometheus-stack 88.5.3
  expect(provenance).toContain('443415b5527ac55366e0760c93ef0e1abd0cf273'); // argo-cd v3.4.4 CRDs
});
