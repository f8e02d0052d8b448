import { execFileSync, spawn } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { helmBinary } from '../scripts/lib/helm-binary.cjs';

/*
 * `npx projen update-charts` (scripts/update-charts.mjs) against Helm repositories served on
 * loopback: an HTTP repository whose index.yaml the real `helm repo index` builds over real chart
 * packages (the vendored ones, and newer versions repacked from them by the real `helm package`),
 * and an OCI registry (the distribution API's tags list, manifests and blobs, behind an anonymous
 * bearer-token challenge). The command runs as a child process, unchanged, on a temporary copy of
 * the project files it touches; the real tree is never edited.
 */

const ROOT = path.join(__dirname, '..');
const SCRIPT = path.join(ROOT, 'scripts', 'update-charts.mjs');
const PACKAGES = path.join(ROOT, 'test', 'fixtures', 'chart-packages');
const HELM_CHART_LAYER = 'application/vnd.cncf.helm.chart.content.v1.tar+gzip';
const HELM_CONFIG = 'application/vnd.cncf.helm.config.v1+json';
const TOKEN = 'loopback-pull-token';

jest.setTimeout(180_000);

const sha256 = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

let tmp: string;
let helm: string;
let server: http.Server;
let base: string;
let closedPort: number;
/** OCI registry contents of one repository: tags, manifests by tag, blobs by digest. */
interface OciRepo { tags: string[]; manifests: Map<string, Buffer>; blobs: Map<string, Buffer> }
const oci = new Map<string, OciRepo>();
const requests: string[] = [];

/** A chart package repacked by the real `helm package` with another version (and edits). */
function repack(pkg: string, version: string, outDir: string, edit?: (chartDir: string) => void): string {
  const work = fs.mkdtempSync(path.join(tmp, 'repack-'));
  execFileSync('tar', ['-xzf', pkg, '-C', work]);
  const [name] = fs.readdirSync(work);
  const dir = path.join(work, name);
  const chartYaml = path.join(dir, 'Chart.yaml');
  const text = fs.readFileSync(chartYaml, 'utf8');
  expect(text).toMatch(/^version: \S+$/m);
  fs.writeFileSync(chartYaml, text.replace(/^version: \S+$/m, `version: ${version}`));
  edit?.(dir);
  fs.mkdirSync(outDir, { recursive: true });
  execFileSync(helm, ['package', dir, '-d', outDir], { stdio: 'pipe' });
  const out = path.join(outDir, `${name}-${version}.tgz`);
  expect(fs.existsSync(out)).toBe(true);
  return out;
}

/** Add a values key, so the derived key catalog and defaults show the refresh. */
const addValuesKey = (key: string) => (dir: string) => {
  fs.appendFileSync(path.join(dir, 'values.yaml'), `\n${key}:\n  enabled: true\n`);
};

function helmIndex(dir: string, name: string) {
  execFileSync(helm, ['repo', 'index', dir, '--url', `${base}/${name}`], { stdio: 'pipe' });
}

/** Push a package into the loopback OCI registry as Helm lays it out (config + chart layer). */
function ociPush(repo: string, pkg: string, version: string, chartMeta: object) {
  const entry: OciRepo = oci.get(repo) ?? { tags: [], manifests: new Map(), blobs: new Map() };
  oci.set(repo, entry);
  const layer = fs.readFileSync(pkg);
  const config = Buffer.from(JSON.stringify(chartMeta));
  const ld = `sha256:${sha256(layer)}`;
  const cd = `sha256:${sha256(config)}`;
  entry.blobs.set(ld, layer);
  entry.blobs.set(cd, config);
  entry.manifests.set(version.replace(/\+/g, '_'), Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: HELM_CONFIG, digest: cd, size: config.length },
    layers: [{ mediaType: HELM_CHART_LAYER, digest: ld, size: layer.length }],
  })));
  entry.tags.push(version.replace(/\+/g, '_'));
}

function serve(req: http.IncomingMessage, res: http.ServerResponse) {
  const url = new URL(req.url ?? '/', base);
  requests.push(`${req.method} ${url.pathname}`);
  if (url.pathname === '/token') {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ token: TOKEN }));
    return;
  }
  const v2 = /^\/v2\/(.+)\/(tags\/list|manifests\/[^/]+|blobs\/[^/]+)$/.exec(url.pathname);
  if (v2) {
    if (req.headers.authorization !== `Bearer ${TOKEN}`) {
      res.writeHead(401, { 'WWW-Authenticate': `Bearer realm="${base}/token",service="loopback",scope="repository:${v2[1]}:pull"` });
      res.end();
      return;
    }
    const repo = oci.get(v2[1]);
    const [kind, ref] = v2[2].split('/');
    let body: Buffer | undefined;
    let type = 'application/octet-stream';
    if (repo && kind === 'tags') {
      body = Buffer.from(JSON.stringify({ name: v2[1], tags: repo.tags }));
      type = 'application/json';
    } else if (repo && kind === 'manifests') {
      body = repo.manifests.get(ref);
      type = 'application/vnd.oci.image.manifest.v1+json';
    } else if (repo && kind === 'blobs') {
      body = repo.blobs.get(ref);
    }
    if (!body) {
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ code: 'NAME_UNKNOWN', message: 'repository name not known to registry' }] }));
      return;
    }
    res.writeHead(200, { 'Content-Type': type });
    res.end(body);
    return;
  }
  const file = path.join(tmp, 'www', path.normalize(url.pathname));
  if (!file.startsWith(path.join(tmp, 'www') + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
    res.writeHead(404);
    res.end('not found');
    return;
  }
  res.writeHead(200);
  res.end(fs.readFileSync(file));
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'update-charts-test-'));
  helm = helmBinary();
  server = http.createServer(serve);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // A port nothing listens on: bound, then closed.
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  closedPort = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));

  const www = path.join(tmp, 'www');
  const fluentd = path.join(PACKAGES, 'fluentd-0.6.0.tgz');
  const tempo = path.join(PACKAGES, 'tempo-2.2.4.tgz');

  // "good": fluentd 0.6.0 (pinned), 0.6.1 (patch), 0.7.0 (minor, with a new values key),
  // 0.8.0-rc.1 (prerelease), 1.0.0 and 2.0.0 (majors).
  const good = path.join(www, 'good');
  fs.mkdirSync(good, { recursive: true });
  fs.copyFileSync(fluentd, path.join(good, 'fluentd-0.6.0.tgz'));
  repack(fluentd, '0.6.1', good);
  repack(fluentd, '0.7.0', good, addValuesKey('updateChartsMinorKey'));
  repack(fluentd, '0.8.0-rc.1', good, addValuesKey('updateChartsPrereleaseKey'));
  repack(fluentd, '1.0.0', good);
  repack(fluentd, '2.0.0', good);
  helmIndex(good, 'good');

  // "json": the good index written as JSON (valid YAML, not Helm's layout): parsed whole.
  fs.mkdirSync(path.join(www, 'json'));
  fs.writeFileSync(path.join(www, 'json', 'index.yaml'), JSON.stringify(YAML.parse(fs.readFileSync(path.join(good, 'index.yaml'), 'utf8'))));

  // "missing": a repository whose index has fluentd only.
  const missing = path.join(www, 'missing');
  fs.mkdirSync(missing, { recursive: true });
  fs.copyFileSync(fluentd, path.join(missing, 'fluentd-0.6.0.tgz'));
  helmIndex(missing, 'missing');

  // "novalues": tempo 2.2.5 packaged without values.yaml.
  const novalues = path.join(www, 'novalues');
  repack(tempo, '2.2.5', novalues, (dir) => fs.rmSync(path.join(dir, 'values.yaml')));
  helmIndex(novalues, 'novalues');

  // "tampered": the good fluentd packages, with an index whose digests do not match.
  const tampered = path.join(www, 'tampered');
  fs.cpSync(good, tampered, { recursive: true });
  helmIndex(tampered, 'tampered');
  const idx = path.join(tampered, 'index.yaml');
  fs.writeFileSync(idx, fs.readFileSync(idx, 'utf8').replace(/digest: [0-9a-f]{64}/g, `digest: ${'0'.repeat(64)}`));

  // OCI: tempo 2.2.4 (pinned), 2.2.5 (patch, with a new values key), 3.0.0 (major).
  const ociDir = path.join(tmp, 'oci');
  const meta = (version: string) => ({ apiVersion: 'v2', name: 'tempo', version, home: 'https://grafana.net', sources: ['https://github.com/grafana/tempo'] });
  ociPush('charts/tempo', tempo, '2.2.4', meta('2.2.4'));
  ociPush('charts/tempo', repack(tempo, '2.2.5', ociDir, addValuesKey('updateChartsPatchKey')), '2.2.5', meta('2.2.5'));
  ociPush('charts/tempo', repack(tempo, '3.0.0', ociDir), '3.0.0', meta('3.0.0'));
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** A temporary copy of the project files update-charts reads and writes. */
function projectCopy(): string {
  const dir = fs.mkdtempSync(path.join(tmp, 'project-'));
  const copy = (rel: string) => fs.cpSync(path.join(ROOT, rel), path.join(dir, rel), { recursive: true });
  for (const rel of [
    'src/catalog/charts.ts', 'reference/PROVENANCE.md', 'reference/charts/fluentd', 'reference/charts/tempo',
    'test/fixtures/chart-packages/README.md', 'test/fixtures/chart-packages/SHA256SUMS',
    'test/fixtures/chart-packages/fluentd-0.6.0.tgz', 'test/fixtures/chart-packages/tempo-2.2.4.tgz',
  ]) copy(rel);
  return dir;
}

/** Every file of a folder with its sha256, to prove a failed run changed nothing. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = sha256(fs.readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

interface Run { status: number | null; stdout: string; stderr: string }

/** Run the command as a child process (async: the loopback server answers from this process). */
function run(root: string, args: string[], charts = ['fluentd', 'tempo']): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SCRIPT, '--root', root, ...charts.flatMap((c) => ['--chart', c]), ...args], {
      env: { ...process.env, UPDATE_CHARTS_REPO_OVERRIDES: '', UPDATE_CHARTS_TIMEOUT_MS: '20000' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const goodOverrides = () => ['--repo-override', `fluentd=${base}/good`, '--repo-override', `tempo=oci://127.0.0.1:${new URL(base).port}/charts`];

test('--dry-run lists the updates and changes nothing', async () => {
  const root = projectCopy();
  const before = snapshot(root);
  const r = await run(root, ['--dry-run', ...goodOverrides()]);
  expect(r.stderr).not.toMatch(/error/);
  expect(r.status).toBe(0);
  expect(r.stdout).toContain('dry run: nothing changed');
  expect(r.stdout).toContain('| fluentd | 0.6.0 | 0.7.0 | minor |');
  expect(r.stdout).toContain('| tempo | 2.2.4 | 2.2.5 | patch |');
  expect(snapshot(root)).toEqual(before);
});

test('an index.yaml not in Helm\'s own layout is parsed whole', async () => {
  const root = projectCopy();
  const r = await run(root, ['--dry-run', '--repo-override', `fluentd=${base}/json`, '--repo-override', `tempo=${base}/missing`]);
  expect(r.status).toBe(1); // tempo is missing from that repository
  expect(r.stderr).toMatch(/chart tempo: is not in the index of its repository \(.*lists 1 other charts\)/);
  const ok = await run(root, ['--dry-run', '--repo-override', `fluentd=${base}/json`], ['fluentd']);
  expect(ok.stderr).not.toMatch(/error/);
  expect(ok.stdout).toContain('| fluentd | 0.6.0 | 0.7.0 | minor |');
  expect(ok.stdout).toMatch(/\| fluentd \| 0\.6\.0 \| 2\.0\.0 \(major 1, 2\) \|/);
});

test('patch and minor updates are applied, majors reported, prereleases skipped', async () => {
  const root = projectCopy();
  const catalogBefore = fs.readFileSync(path.join(root, 'src/catalog/charts.ts'), 'utf8');
  requests.length = 0;
  const r = await run(root, goodOverrides());
  expect(r.stderr).not.toMatch(/error/);
  expect(r.status).toBe(0);

  // The summary (a PR body): applied updates, reported majors with their notes.
  expect(r.stdout).toContain('| fluentd | 0.6.0 | 0.7.0 | minor |');
  expect(r.stdout).toContain('| tempo | 2.2.4 | 2.2.5 | patch |');
  expect(r.stdout).toMatch(/\| fluentd \| 0\.7\.0 \(was 0\.6\.0\) \| 2\.0\.0 \(major 1, 2\) \| https:\/\/github\.com\/fluent\/fluentd\/ \|/);
  expect(r.stdout).toMatch(/\| tempo \| 2\.2\.5 \(was 2\.2\.4\) \| 3\.0\.0 \(major 3\) \| https:\/\/github\.com\/grafana\/tempo \|/);
  expect(r.stdout).toContain('1 added (`updateChartsMinorKey`)');
  expect(r.stdout).not.toContain('0.8.0-rc.1');
  // The OCI registry was asked through its token challenge.
  expect(requests).toContain('GET /token');
  expect(requests).toContain('GET /v2/charts/tempo/tags/list');

  // The catalog: only the two version literals changed.
  const catalogAfter = fs.readFileSync(path.join(root, 'src/catalog/charts.ts'), 'utf8');
  expect(catalogAfter).toBe(catalogBefore
    .replace("{ name: 'fluentd', repoUrl: FLUENT, version: '0.6.0' }", "{ name: 'fluentd', repoUrl: FLUENT, version: '0.7.0' }")
    .replace("{ name: 'tempo', repoUrl: GRAFANA_COMMUNITY, version: '2.2.4' }", "{ name: 'tempo', repoUrl: GRAFANA_COMMUNITY, version: '2.2.5' }"));
  expect(catalogAfter).not.toBe(catalogBefore);

  // Key catalogs and defaults: derived from the new packages, replacing the old versions'.
  const ref = (rel: string) => path.join(root, 'reference', 'charts', rel);
  expect(fs.readdirSync(ref('fluentd')).sort()).toEqual(['0.7.0.defaults.json', '0.7.0.keys.json']);
  expect(fs.readdirSync(ref('tempo')).sort()).toEqual(['2.2.5.defaults.json', '2.2.5.keys.json']);
  const fluentdKeys = JSON.parse(fs.readFileSync(ref('fluentd/0.7.0.keys.json'), 'utf8'));
  expect(fluentdKeys.updateChartsMinorKey).toEqual({ enabled: '*' });
  const oldKeys = JSON.parse(fs.readFileSync(path.join(ROOT, 'reference/charts/fluentd/0.6.0.keys.json'), 'utf8'));
  expect({ ...fluentdKeys, updateChartsMinorKey: undefined }).toEqual({ ...oldKeys, updateChartsMinorKey: undefined });
  expect(JSON.parse(fs.readFileSync(ref('fluentd/0.7.0.defaults.json'), 'utf8')).updateChartsMinorKey).toEqual({ enabled: true });
  expect(JSON.parse(fs.readFileSync(ref('tempo/2.2.5.keys.json'), 'utf8')).updateChartsPatchKey).toEqual({ enabled: '*' });
  const provenance = fs.readFileSync(path.join(root, 'reference/PROVENANCE.md'), 'utf8');
  expect(provenance).toContain('`charts/fluentd/0.7.0.keys.json`');
  expect(provenance).toContain('### tempo 2.2.5');
  expect(provenance).not.toContain('### fluentd 0.6.0');

  // The vendored test packages: the published bytes, checksums and README rows.
  const pk = (rel: string) => path.join(root, 'test/fixtures/chart-packages', rel);
  expect(fs.existsSync(pk('fluentd-0.6.0.tgz'))).toBe(false);
  expect(fs.readFileSync(pk('fluentd-0.7.0.tgz')).equals(fs.readFileSync(path.join(tmp, 'www/good/fluentd-0.7.0.tgz')))).toBe(true);
  expect(fs.readFileSync(pk('tempo-2.2.5.tgz')).equals(fs.readFileSync(path.join(tmp, 'oci/tempo-2.2.5.tgz')))).toBe(true);
  const sums = fs.readFileSync(pk('SHA256SUMS'), 'utf8');
  expect(sums).toContain(`${sha256(fs.readFileSync(pk('fluentd-0.7.0.tgz')))}  fluentd-0.7.0.tgz\n`);
  expect(sums).not.toContain('fluentd-0.6.0.tgz');
  expect(sums.split('\n').filter(Boolean).map((l) => l.slice(66))).toEqual(
    sums.split('\n').filter(Boolean).map((l) => l.slice(66)).sort());
  const readme = fs.readFileSync(pk('README.md'), 'utf8');
  expect(readme).toMatch(/^\| fluentd \| 0\.7\.0 \| http:\/\/127\.0\.0\.1:\d+\/good\/fluentd-0\.7\.0\.tgz \|.*\| yes \(11 objects\) \|/m);
  expect(readme).toMatch(/^\| tempo \| 2\.2\.5 \| oci:\/\/127\.0\.0\.1:\d+\/charts\/tempo:2\.2\.5 \|.*\| yes \(4 objects\) \|/m);
  expect(readme).not.toMatch(/^\| fluentd \| 0\.6\.0 \|/m);
  // The vendored package renders with the real Helm.
  const rendered = execFileSync(helm, ['template', 't', pk('fluentd-0.7.0.tgz'), '-n', 't'], { encoding: 'utf8' });
  expect(rendered).toContain('kind: DaemonSet');

  // A second run finds nothing to apply and changes nothing.
  const before = snapshot(root);
  const again = await run(root, goodOverrides());
  expect(again.status).toBe(0);
  expect(again.stdout).toContain('No patch or minor updates');
  expect(snapshot(root)).toEqual(before);
});

describe('bad input names the chart and changes nothing', () => {
  const cases: Array<[string, () => string[], RegExp]> = [
    ['an unreachable repository', () => ['--repo-override', `tempo=http://127.0.0.1:${closedPort}/charts`],
      /chart tempo: repository http:\/\/127\.0\.0\.1:\d+\/charts could not be read: .*unreachable.*ECONNREFUSED/],
    ['a chart missing from its index', () => ['--repo-override', `tempo=${base}/missing`],
      /chart tempo: is not in the index of its repository \(http:\/\/127\.0\.0\.1:\d+\/missing\/index\.yaml/],
    ['a package without values.yaml', () => ['--repo-override', `tempo=${base}/novalues`],
      /chart tempo: 2\.2\.5: the package has no values\.yaml/],
    ['a package whose digest differs from the index', () => ['--repo-override', `tempo=oci://127.0.0.1:${new URL(base).port}/charts`, '--repo-override', `fluentd=${base}/tampered`],
      /chart fluentd: http:\/\/127\.0\.0\.1:\d+\/tampered\/fluentd-0\.7\.0\.tgz: sha256 [0-9a-f]{64} differs from the index digest 0{64}/],
  ];
  test.each(cases)('%s', async (_name, args, message) => {
    const root = projectCopy();
    const before = snapshot(root);
    // fluentd is fine in each case (except the tampered one): the run is all or nothing.
    const r = await run(root, ['--repo-override', `fluentd=${base}/good`, ...args()]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain('no file was changed');
    expect(r.stdout).toBe('');
    expect(snapshot(root)).toEqual(before);
  });
});

test('usage errors name the flag and what is valid', async () => {
  const root = projectCopy();
  const r1 = await run(root, ['--repo-override', 'fluentd']);
  expect(r1.status).toBe(2);
  expect(r1.stderr).toContain('--repo-override: "fluentd" is not NAME=URL');
  const r2 = await run(root, ['--repo-override', 'nope=http://127.0.0.1:1/']);
  expect(r2.status).toBe(2);
  expect(r2.stderr).toMatch(/chart "nope" is not in src\/catalog\/charts\.ts \(known: kube-prometheus-stack, /);
});

test('the weekly workflow runs the task with least privilege and SHA-pinned actions', () => {
  const wf = YAML.parse(fs.readFileSync(path.join(ROOT, '.github/workflows/update-charts.yml'), 'utf8'));
  expect(wf.on.schedule[0].cron).toBe('0 6 * * 1');
  expect(wf.permissions).toBeUndefined(); // every job states its own
  expect(wf.jobs.update.permissions).toEqual({ contents: 'read' });
  expect(wf.jobs.pr.permissions).toEqual({ 'contents': 'write', 'pull-requests': 'write' });
  expect(wf.jobs.update.steps.map((s: any) => s.run).join('\n')).toContain('npx projen update-charts --summary');
  expect(wf.jobs.update.steps.map((s: any) => s.run).join('\n')).toContain('npx jest --ci=false -u test/snapshots.test.ts test/fleet.test.ts');
  // The job that pushes runs no project code (no install, no projen).
  expect(wf.jobs.pr.steps.map((s: any) => s.run ?? '').join('\n')).not.toMatch(/npm|npx|projen/);
  for (const job of Object.values<any>(wf.jobs)) {
    for (const step of job.steps) if (step.uses) expect(step.uses).toMatch(/^[\w-]+\/[\w-]+@[0-9a-f]{40}$/);
  }
  const tasks = JSON.parse(fs.readFileSync(path.join(ROOT, '.projen/tasks.json'), 'utf8')).tasks;
  expect(tasks['update-charts'].steps).toEqual([{ exec: 'node scripts/update-charts.mjs', receiveArgs: true }]);
});
