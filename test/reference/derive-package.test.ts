import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { helmBinary } from '../../scripts/lib/helm-binary.cjs';

/*
 * scripts/derive-reference.mjs --chart-package: one chart's key catalog and defaults from a real
 * chart package (or an unpacked chart folder), as `npx projen update-charts` uses it.
 */

const ROOT = path.join(__dirname, '..', '..');
const SCRIPT = path.join(ROOT, 'scripts', 'derive-reference.mjs');
const PACKAGES = path.join(ROOT, 'test', 'fixtures', 'chart-packages');

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'derive-package-test-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function referenceCopy(): string {
  const out = fs.mkdtempSync(path.join(tmp, 'reference-'));
  fs.cpSync(path.join(ROOT, 'reference', 'charts'), path.join(out, 'charts'), { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'reference', 'PROVENANCE.md'), path.join(out, 'PROVENANCE.md'));
  return out;
}

const derive = (pkg: string, out: string) => spawnSync(process.execPath, [SCRIPT, '--chart-package', pkg, '--out', out], { encoding: 'utf8' });

test.each(['grafana-12.11.1.tgz', 'fluentd-0.6.0.tgz'])('%s: the package gives the same catalog and defaults as the upstream folder', (file) => {
  // These charts have no sub-charts, so the package and the shared reference hold the same inputs.
  const [, chart, version] = /^(.+)-(\d+\.\d+\.\d+)\.tgz$/.exec(file)!;
  const out = referenceCopy();
  fs.rmSync(path.join(out, 'charts', chart), { recursive: true });
  const r = derive(path.join(PACKAGES, file), out);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  for (const kind of ['keys', 'defaults']) {
    const rel = path.join('charts', chart, `${version}.${kind}.json`);
    expect(fs.readFileSync(path.join(out, rel), 'utf8')).toBe(fs.readFileSync(path.join(ROOT, 'reference', rel), 'utf8'));
  }
  const provenance = fs.readFileSync(path.join(out, 'PROVENANCE.md'), 'utf8');
  expect(provenance).toContain(`- Derived from the chart package \`${file}\``);
  expect(provenance.match(new RegExp(`^### ${chart} `, 'gm'))).toHaveLength(1);
});

test('sub-charts come from the package: kube-prometheus-stack knows the Windows exporter\'s keys', () => {
  const out = referenceCopy();
  const r = derive(path.join(PACKAGES, 'kube-prometheus-stack-88.5.3.tgz'), out);
  expect(r.status).toBe(0);
  const keys = JSON.parse(fs.readFileSync(path.join(out, 'charts/kube-prometheus-stack/88.5.3.keys.json'), 'utf8'));
  const before = JSON.parse(fs.readFileSync(path.join(ROOT, 'reference/charts/kube-prometheus-stack/88.5.3.keys.json'), 'utf8'));
  expect(before['prometheus-windows-exporter']).toBe('*'); // not in the shared reference: open
  expect(Object.keys(keys['prometheus-windows-exporter'])).toEqual(expect.arrayContaining(['image', 'config', 'service']));
  const provenance = fs.readFileSync(path.join(out, 'PROVENANCE.md'), 'utf8');
  expect(provenance).not.toContain('- kube-prometheus-stack 88.5.3: `prometheus-windows-exporter` — sub-chart');
  expect(provenance).toContain('- loki-stack 2.10.3: `loki` — sub-chart'); // other charts' lines stay
});

test('a new version replaces the previous one (one catalog per chart); a folder works as a package', () => {
  const out = referenceCopy();
  const work = fs.mkdtempSync(path.join(tmp, 'chart-'));
  execFileSync('tar', ['-xzf', path.join(PACKAGES, 'tempo-2.2.4.tgz'), '-C', work]);
  const chartYaml = path.join(work, 'tempo', 'Chart.yaml');
  fs.writeFileSync(chartYaml, fs.readFileSync(chartYaml, 'utf8').replace(/^version: 2\.2\.4$/m, 'version: 2.10.0'));
  const r = derive(path.join(work, 'tempo'), out);
  expect(r.status).toBe(0);
  expect(r.stdout).toContain('; removed charts/tempo/2.2.4.defaults.json, charts/tempo/2.2.4.keys.json');
  expect(fs.readdirSync(path.join(out, 'charts', 'tempo')).sort()).toEqual(['2.10.0.defaults.json', '2.10.0.keys.json']);
  expect(fs.readFileSync(path.join(out, 'PROVENANCE.md'), 'utf8')).toContain('### tempo 2.10.0');
});

test('a package without values.yaml is an error naming the chart, and nothing is written', () => {
  const out = referenceCopy();
  const work = fs.mkdtempSync(path.join(tmp, 'chart-'));
  execFileSync('tar', ['-xzf', path.join(PACKAGES, 'tempo-2.2.4.tgz'), '-C', work]);
  fs.rmSync(path.join(work, 'tempo', 'values.yaml'));
  execFileSync(helmBinary(), ['package', path.join(work, 'tempo'), '-d', work], { stdio: 'pipe' });
  const provenance = fs.readFileSync(path.join(out, 'PROVENANCE.md'), 'utf8');
  const r = derive(path.join(work, 'tempo-2.2.4.tgz'), out);
  expect(r.status).toBe(1);
  expect(r.stderr).toContain('derive-reference: chart tempo 2.2.4: the package has no values.yaml');
  expect(fs.readdirSync(path.join(out, 'charts', 'tempo')).sort()).toEqual(['2.2.4.defaults.json', '2.2.4.keys.json']);
  expect(fs.readFileSync(path.join(out, 'PROVENANCE.md'), 'utf8')).toBe(provenance);
});
