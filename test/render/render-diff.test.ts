import { execFileSync } from 'child_process';
import { cpSync, readFileSync, readdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import * as YAML from 'yaml';
import { helmBinary } from '../../scripts/lib/helm-binary.cjs';
import { ObservabilityGitOpsProject, ObservabilityGitOpsProjectOptions } from '../../src';
import { main } from '../../src/validate/cli';
import { renderDiffMarkdown, renderSnapshot } from '../../src/validate/render/diff';
import { readRepo } from '../../src/validate/repo';
import { FIXTURE_CHARTS, renderOptions, tempDirs } from '../support/render';
import { BASE, synthToDisk } from '../util';

/*
 * The upgrade pull request's "What changes in the clusters": two trees rendered
 * with the real Helm, the difference per Application by kind, CRDs named.
 */

jest.setTimeout(300_000);

const dirs = tempDirs();
const tempDir = (prefix: string): string => dirs.make(prefix);

let before: string;
let after: string;
let charts: string;

beforeAll(() => {
  before = tempDir('obs-gitops-diff-before-');
  synthToDisk(new ObservabilityGitOpsProject({ ...BASE, outdir: before, gitRepoUrl: 'https://github.com/acme/obs.git' } as ObservabilityGitOpsProjectOptions));
  after = tempDir('obs-gitops-diff-after-');
  cpSync(before, after, { recursive: true });

  // A "newer" prometheus-operator-crds: the real 31.0.1 package with one CRD's schema grown,
  // packaged by the real Helm as 31.0.2 (an upgrade that changes a CRD).
  charts = tempDir('obs-gitops-diff-charts-');
  for (const f of readdirSync(FIXTURE_CHARTS).filter((x) => x.endsWith('.tgz'))) cpSync(join(FIXTURE_CHARTS, f), join(charts, f));
  const src = tempDir('obs-gitops-diff-src-');
  execFileSync('tar', ['xzf', join(FIXTURE_CHARTS, 'prometheus-operator-crds-31.0.1.tgz'), '-C', src]);
  const crd = join(src, 'prometheus-operator-crds/charts/crds/templates/crd-servicemonitors.yaml');
  const text = readFileSync(crd, 'utf-8');
  expect(text).toContain('operator.prometheus.io/version: 0.93.1');
  writeFileSync(crd, text.replace('operator.prometheus.io/version: 0.93.1', 'operator.prometheus.io/version: 0.93.2'));
  execFileSync(helmBinary(), ['package', join(src, 'prometheus-operator-crds'), '--version', '31.0.2', '-d', charts]);

  const app = join(after, 'argocd/apps/in-cluster/prometheus-operator-crds.yaml');
  const doc = YAML.parse(readFileSync(app, 'utf-8'));
  doc.spec.sources[0].targetRevision = '31.0.2';
  writeFileSync(app, YAML.stringify(doc));
  // and a values change: Loki's retention
  writeFileSync(join(after, 'values/overrides/loki.yaml'), 'loki:\n  limits_config:\n    retention_period: 240h\n');
});

test('per Application: the chart move and objects changed by kind; the changed CRD named; unchanged Applications left out', async () => {
  const options = { ...renderOptions(), chartsDir: charts };
  const md = renderDiffMarkdown(await renderSnapshot(readRepo(before), options), await renderSnapshot(readRepo(after), options));
  expect(md).toMatch(/^## What changes in the clusters$/m);
  expect(md).toContain('| `in-cluster-prometheus-operator-crds` | prometheus-operator-crds@31.0.1 → prometheus-operator-crds@31.0.2 |  |  | 1 CustomResourceDefinition |');
  expect(md).toMatch(/^\| `in-cluster-loki` \| loki@18\.11\.0 \|  \|  \| .*\d+ ConfigMap.* \|$/m);
  expect(md).toMatch(/### CustomResourceDefinitions[\s\S]*- `servicemonitors\.monitoring\.coreos\.com` changed \(`in-cluster-prometheus-operator-crds`\)/);
  // Charts that render fresh certificates each time (the operator's webhook CA) are not a change.
  expect(md).not.toMatch(/in-cluster-tempo|in-cluster-alloy|in-cluster-kube-prometheus-stack|in-cluster-opentelemetry-operator/);
  // the root Application renders the child Application whose targetRevision moved
  expect(md).toContain('| `observability-root` | plain manifests |  |  | 1 Application |');
});

test('a chart move that renders the same objects is still listed', async () => {
  const options = { ...renderOptions(), chartsDir: charts };
  const a = await renderSnapshot(readRepo(before), options);
  const moved = { apps: { ...a.apps, 'in-cluster-tempo': { ...a.apps['in-cluster-tempo'], charts: ['tempo@2.2.5'] } } };
  expect(renderDiffMarkdown(a, moved)).toContain('| `in-cluster-tempo` | tempo@2.2.4 → tempo@2.2.5 |  |  | no object changes |');
});

test('the same tree twice: no change', async () => {
  const snapshot = await renderSnapshot(readRepo(before), renderOptions());
  expect(renderDiffMarkdown(snapshot, snapshot)).toMatch(/^No rendered object changes\.$/m);
});

test('the CLI: render-snapshot writes JSON that render-diff reads', async () => {
  const out: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((c: any) => { out.push(String(c)); return true; });
  const flags = ['--helm', helmBinary(), '--charts', charts, '--offline'];
  try {
    expect(await main(['render-snapshot', before, ...flags])).toBe(0);
    const file = join(tempDir('obs-gitops-diff-json-'), 'before.json');
    writeFileSync(file, out.join(''));
    out.length = 0;
    expect(await main(['render-diff', file, after, ...flags])).toBe(0);
  } finally {
    spy.mockRestore();
  }
  expect(out.join('')).toContain('prometheus-operator-crds@31.0.1 → prometheus-operator-crds@31.0.2');
});
