#!/usr/bin/env node
/**
 * Keep the chart catalog's pins current (maintainers of this library only; not in the npm package).
 *
 *   npx projen update-charts [--dry-run] [--chart NAME]... [--repo-override NAME=URL]... [--summary FILE]
 *   node scripts/update-charts.mjs [same flags] [--root DIR]
 *
 * For every chart of src/catalog/charts.ts (or the --chart ones) it reads the chart's Helm
 * repository: `<repoUrl>/index.yaml` over HTTP(S), or for an `oci://host/path` repository the tag
 * list of the OCI distribution API (`/v2/<path>/<chart>/tags/list`, with the registry's anonymous
 * bearer token when it asks for one). Prereleases are ignored. The newest newer version with the
 * same major version is applied; a newer major version is only reported, with its upgrade notes.
 *
 * Applying a chart update:
 *   1. downloads the package (the index entry's URL, checked against its sha256 `digest`; for OCI
 *      the manifest's chart layer, checked against its digest) and checks its Chart.yaml name and
 *      version and that it has a values.yaml;
 *   2. derives the chart's key catalog and defaults into reference/charts/<chart>/ (replacing the
 *      previous version's) and its PROVENANCE.md section (scripts/derive-reference.mjs --chart-package);
 *   3. vendors the package into test/fixtures/chart-packages (replacing the previous pin's), with its
 *      SHA256SUMS line and README row;
 *   4. rewrites the version literal of the chart in src/catalog/charts.ts (nothing else in the file).
 * Everything is staged in a temporary folder first; files are changed only when every selected chart
 * succeeded, so a failing chart (unreachable repository, chart missing from its index, package
 * without values.yaml, digest mismatch) names the chart and leaves every file as it was.
 *
 * Prints a markdown summary (usable as a pull request body) on stdout, progress on stderr.
 * --dry-run lists the updates and changes nothing. --repo-override NAME=URL (repeatable; or the
 * UPDATE_CHARTS_REPO_OVERRIDES environment variable, "NAME=URL,NAME=URL") reads chart NAME from
 * another repository (a mirror, or the tests' loopback repository); the catalog keeps its repoUrl.
 * --root DIR works on another copy of the project (the tests use a temporary copy).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';
import YAML from 'yaml';
import K from './lib/keys.cjs';

const SCRIPTS = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.resolve(SCRIPTS, '..');
const CATALOG_FILE = 'src/catalog/charts.ts';
const PACKAGES_DIR = 'test/fixtures/chart-packages';
const HTTP_TIMEOUT_MS = Number(process.env.UPDATE_CHARTS_TIMEOUT_MS || 60_000);
const HELM_CHART_LAYER = 'application/vnd.cncf.helm.chart.content.v1.tar+gzip';
const OCI_MANIFEST_TYPES = 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json';

/**
 * Where a chart's notes for a new major version are (checked against the READMEs of the vendored
 * packages: each has the section). Charts not listed fall back to the index entry's sources/home.
 */
const PROMETHEUS_COMMUNITY_NOTES = (chart) => `https://github.com/prometheus-community/helm-charts/tree/main/charts/${chart}#upgrading-chart`;
const UPGRADE_NOTES = {
  'kube-prometheus-stack': PROMETHEUS_COMMUNITY_NOTES('kube-prometheus-stack'),
  'prometheus': PROMETHEUS_COMMUNITY_NOTES('prometheus'),
  'prometheus-operator-crds': PROMETHEUS_COMMUNITY_NOTES('prometheus-operator-crds'),
  'kube-state-metrics': PROMETHEUS_COMMUNITY_NOTES('kube-state-metrics'),
  'prometheus-node-exporter': PROMETHEUS_COMMUNITY_NOTES('prometheus-node-exporter'),
  'grafana': 'https://github.com/grafana-community/helm-charts/tree/main/charts/grafana#upgrading',
  'loki': 'https://github.com/grafana-community/helm-charts/tree/main/charts/loki#upgrading',
  'opentelemetry-collector': 'https://github.com/open-telemetry/opentelemetry-helm-charts/tree/main/charts/opentelemetry-collector#upgrading',
  'argo-cd': 'https://github.com/argoproj/argo-helm/tree/main/charts/argo-cd#upgrading',
};

class UsageError extends Error {}
/** A failure of one chart: the message names it. */
class ChartError extends Error {
  constructor(chart, message) {
    super(`chart ${chart}: ${message}`);
    this.chart = chart;
  }
}

const log = (msg) => process.stderr.write(`update-charts: ${msg}\n`);

// ---------------------------------------------------------------------------
// Arguments
// ---------------------------------------------------------------------------

function parseOverride(text, where) {
  const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)=(\S+)$/.exec(text.trim());
  if (!m) throw new UsageError(`${where}: "${text}" is not NAME=URL (e.g. grafana=https://mirror.example/charts)`);
  if (!/^(https?|oci):\/\//.test(m[2])) throw new UsageError(`${where}: ${m[1]}: "${m[2]}" is not an http(s):// or oci:// repository URL`);
  return [m[1], m[2]];
}

function parseArgs(argv) {
  const opts = { dryRun: false, charts: [], overrides: new Map(), root: REPO_ROOT, summary: undefined };
  for (const item of (process.env.UPDATE_CHARTS_REPO_OVERRIDES || '').split(/[,\s]+/).filter(Boolean)) {
    const [name, url] = parseOverride(item, 'UPDATE_CHARTS_REPO_OVERRIDES');
    opts.overrides.set(name, url);
  }
  const value = (i, flag) => {
    if (i >= argv.length || argv[i].startsWith('--')) throw new UsageError(`${flag} needs a value`);
    return argv[i];
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--dry-run') opts.dryRun = true;
    else if (a === '--chart') opts.charts.push(value(++i, a));
    else if (a === '--repo-override') {
      const [name, url] = parseOverride(value(++i, a), '--repo-override');
      opts.overrides.set(name, url);
    } else if (a === '--root') opts.root = path.resolve(value(++i, a));
    else if (a === '--summary') opts.summary = path.resolve(value(++i, a));
    else if (a === '-h' || a === '--help') {
      console.log('usage: node scripts/update-charts.mjs [--dry-run] [--chart NAME]... [--repo-override NAME=URL]... [--summary FILE] [--root DIR]');
      process.exit(0);
    } else throw new UsageError(`unknown argument "${a}" (valid: --dry-run, --chart NAME, --repo-override NAME=URL, --summary FILE, --root DIR)`);
  }
  return opts;
}

// ---------------------------------------------------------------------------
// The catalog (src/catalog/charts.ts): read, and rewrite one version literal
// ---------------------------------------------------------------------------

const ENTRY_RE = /\{\s*name: '([^']+)',\s*repoUrl: ([A-Z_][A-Z0-9_]*|'[^']*'),\s*version: '([^']+)'([^{}]*)\}/dg;

/** The catalog's entries: name, repoUrl, version, keysChecked, and where the version literal is. */
function readCatalog(text) {
  const consts = new Map([...text.matchAll(/^const ([A-Z_][A-Z0-9_]*) = '([^']*)';$/gm)].map((m) => [m[1], m[2]]));
  const entries = [];
  for (const m of text.matchAll(ENTRY_RE)) {
    const repo = m[2].startsWith("'") ? m[2].slice(1, -1) : consts.get(m[2]);
    if (repo === undefined) throw new Error(`${CATALOG_FILE}: chart ${m[1]}: repoUrl ${m[2]} is not a string constant of the file`);
    entries.push({
      name: m[1], repoUrl: repo, version: m[3], keysChecked: !/keysChecked:\s*false/.test(m[4]),
      deprecated: /deprecated:\s*true/.test(m[4]), versionAt: m.indices[3],
    });
  }
  if (entries.length === 0) throw new Error(`${CATALOG_FILE}: no chart entries found ({ name: '...', repoUrl: ..., version: '...' })`);
  const names = entries.map((e) => e.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new Error(`${CATALOG_FILE}: chart ${dup} is listed twice`);
  return entries;
}

/** The catalog text with new version literals (only those characters change). */
function rewriteCatalog(text, updates) {
  const entries = readCatalog(text);
  const edits = updates.map((u) => {
    const e = entries.find((x) => x.name === u.chart);
    if (!e || e.version !== u.from) throw new Error(`${CATALOG_FILE}: chart ${u.chart} is no longer pinned at ${u.from}`);
    return { at: e.versionAt, to: u.to };
  }).sort((a, b) => b.at[0] - a.at[0]);
  let out = text;
  for (const { at, to } of edits) out = out.slice(0, at[0]) + to + out.slice(at[1]);
  // The rewrite must read back as exactly the intended catalog.
  const after = readCatalog(out);
  for (const e of entries) {
    const u = updates.find((x) => x.chart === e.name);
    const want = u ? u.to : e.version;
    const got = after.find((x) => x.name === e.name);
    if (!got || got.version !== want || got.repoUrl !== e.repoUrl) throw new Error(`${CATALOG_FILE}: rewriting ${e.name} did not give version ${want}`);
  }
  return out;
}

// ---------------------------------------------------------------------------
// Repositories: HTTP(S) index.yaml and OCI registries
// ---------------------------------------------------------------------------

function describeFetchError(e) {
  const cause = e && e.cause ? (e.cause.code || e.cause.message) : undefined;
  if (e && e.name === 'TimeoutError') return `no answer within ${HTTP_TIMEOUT_MS} ms`;
  return cause ? `${e.message} (${cause})` : String(e && e.message ? e.message : e);
}

async function httpGet(url, headers = {}) {
  let res;
  try {
    res = await fetch(url, { headers: { 'User-Agent': 'obs-gitops-template update-charts', ...headers }, signal: AbortSignal.timeout(HTTP_TIMEOUT_MS), redirect: 'follow' });
  } catch (e) {
    throw new Error(`${url} is unreachable: ${describeFetchError(e)}`);
  }
  return res;
}

async function httpBytes(url, headers = {}) {
  const res = await httpGet(url, headers);
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status} ${res.statusText}`);
  try {
    return Buffer.from(await res.arrayBuffer());
  } catch (e) {
    throw new Error(`GET ${url}: ${describeFetchError(e)}`);
  }
}

const sha256 = (buf) => crypto.createHash('sha256').update(buf).digest('hex');

function parseIndexYaml(url, text) {
  let doc;
  try {
    // failsafe: every scalar stays a string (a version `1.10` or a digest `1e5...` is not a number).
    doc = YAML.parse(text, { schema: 'failsafe', maxAliasCount: -1 });
  } catch (e) {
    throw new Error(`${url} is not YAML: ${e.message.split('\n')[0]}`);
  }
  if (!doc || typeof doc !== 'object' || !doc.entries || typeof doc.entries !== 'object') {
    throw new Error(`${url} is not a Helm repository index (no "entries")`);
  }
  return doc.entries;
}

/**
 * Where each chart's entries are in an index.yaml as Helm writes it (`entries:` at column 0, chart
 * names at column 2): name -> [first line, end line). Big indexes (tens of MB) are slow to parse
 * whole, so only the wanted chart's block is parsed. Undefined when the layout is not Helm's.
 */
function indexBlocks(lines) {
  const start = lines.indexOf('entries:');
  if (start < 0) return undefined;
  const blocks = new Map();
  let current;
  let i = start + 1;
  for (; i < lines.length; i++) {
    const l = lines[i];
    if (l === '' || l.startsWith('  - ') || l.startsWith('    ')) continue;
    const m = /^  ("[^"]+"|'[^']+'|[^\s#"'-][^:]*):\s*$/.exec(l);
    if (!m) break;
    if (current) current[1][1] = i;
    current = [m[1].replace(/^["']|["']$/g, ''), [i, lines.length]];
    blocks.set(current[0], current[1]);
  }
  if (current) current[1][1] = i;
  return blocks.size > 0 ? blocks : undefined;
}

/** A Helm repository reached over HTTP(S): its index.yaml, fetched once per URL. */
const indexCache = new Map();
function httpRepoIndex(repoUrl) {
  const base = repoUrl.replace(/\/+$/, '');
  if (!indexCache.has(base)) {
    indexCache.set(base, (async () => {
      const url = `${base}/index.yaml`;
      const text = (await httpBytes(url)).toString('utf8');
      const lines = text.split('\n');
      const blocks = indexBlocks(lines);
      let all;
      const entries = (chart) => {
        if (blocks) {
          const at = blocks.get(chart);
          if (!at) return { list: undefined, count: blocks.size };
          const list = parseIndexYaml(url, ['entries:', ...lines.slice(at[0], at[1])].join('\n'))[chart];
          return { list, count: blocks.size };
        }
        all = all || parseIndexYaml(url, text);
        return { list: all[chart], count: Object.keys(all).length };
      };
      return { url, entries };
    })());
  }
  return indexCache.get(base);
}

/** oci://host[:port]/path -> { registry base URL, repository path of the chart }. */
function ociLocation(repoUrl, chart) {
  const u = new URL(repoUrl.replace(/^oci:/, 'https:'));
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname);
  // Like `helm --plain-http`, but only for a registry on this machine.
  const scheme = loopback ? 'http' : 'https';
  const repo = [...u.pathname.split('/').filter(Boolean), chart].join('/');
  return { base: `${scheme}://${u.host}`, repo, ref: `${repoUrl.replace(/\/+$/, '')}/${chart}` };
}

const ociTokens = new Map();
/** GET against an OCI registry, answering a bearer challenge with an anonymous pull token. */
async function ociGet(loc, url, headers = {}) {
  const withAuth = () => (ociTokens.has(loc.repo) ? { ...headers, Authorization: `Bearer ${ociTokens.get(loc.repo)}` } : headers);
  let res = await httpGet(url, withAuth());
  if (res.status === 401) {
    const challenge = res.headers.get('www-authenticate') || '';
    const params = Object.fromEntries([...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (!/^Bearer /i.test(challenge) || !params.realm) throw new Error(`GET ${url}: HTTP 401 without a bearer challenge (credentials are not supported)`);
    const tokenUrl = new URL(params.realm);
    if (params.service) tokenUrl.searchParams.set('service', params.service);
    tokenUrl.searchParams.set('scope', params.scope || `repository:${loc.repo}:pull`);
    const body = JSON.parse((await httpBytes(tokenUrl.toString())).toString('utf8'));
    const token = body.token || body.access_token;
    if (!token) throw new Error(`${tokenUrl}: no token in the answer`);
    ociTokens.set(loc.repo, token);
    res = await httpGet(url, withAuth());
  }
  return res;
}

/** The chart's versions in an OCI registry (tags; Helm writes `+` as `_`). */
async function ociVersions(repoUrl, chart) {
  const loc = ociLocation(repoUrl, chart);
  const tags = [];
  let next = `${loc.base}/v2/${loc.repo}/tags/list?n=1000`;
  for (let page = 0; next && page < 100; page++) {
    const res = await ociGet(loc, next);
    if (res.status === 404) throw new ChartError(chart, `is not in the registry ${repoUrl} (${next}: HTTP 404)`);
    if (!res.ok) throw new Error(`GET ${next}: HTTP ${res.status} ${res.statusText}`);
    const body = await res.json();
    tags.push(...(body.tags || []));
    const link = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') || '');
    next = link ? new URL(link[1], loc.base).toString() : undefined;
  }
  return tags.map((t) => ({ version: t.replace(/_/g, '+'), tag: t, oci: loc }));
}

/** Every version the chart's repository offers: [{ version, urls, digest, home, sources } | { version, tag, oci }]. */
async function repositoryVersions(chart, repoUrl) {
  try {
    if (repoUrl.startsWith('oci://')) return await ociVersions(repoUrl, chart);
    const index = await httpRepoIndex(repoUrl);
    const { list, count } = index.entries(chart);
    if (!Array.isArray(list) || list.length === 0) {
      throw new ChartError(chart, `is not in the index of its repository (${index.url} lists ${count} other charts)`);
    }
    return list.map((e) => ({ ...e, version: String(e.version), indexUrl: index.url }));
  } catch (e) {
    if (e instanceof ChartError) throw e;
    throw new ChartError(chart, `repository ${repoUrl} could not be read: ${e.message}`);
  }
}

/** The manifest of an OCI chart version. */
async function ociManifest(chart, entry) {
  const loc = entry.oci;
  const mUrl = `${loc.base}/v2/${loc.repo}/manifests/${entry.tag}`;
  const res = await ociGet(loc, mUrl, { Accept: OCI_MANIFEST_TYPES });
  if (!res.ok) throw new ChartError(chart, `GET ${mUrl}: HTTP ${res.status}`);
  return res.json();
}

/** Chart.yaml metadata of an OCI chart version (Helm stores it as the manifest's config, in JSON). */
async function ociChartMeta(chart, entry) {
  const manifest = await ociManifest(chart, entry);
  const loc = entry.oci;
  const res = await ociGet(loc, `${loc.base}/v2/${loc.repo}/blobs/${manifest.config.digest}`);
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.json();
}

/** The package bytes of one version, checked against the digest its repository publishes. */
async function download(chart, entry) {
  if (entry.oci) {
    const loc = entry.oci;
    const manifest = await ociManifest(chart, entry);
    const layer = (manifest.layers || []).find((l) => l.mediaType === HELM_CHART_LAYER);
    if (!layer) throw new ChartError(chart, `${loc.ref}:${entry.tag} has no Helm chart layer (${HELM_CHART_LAYER})`);
    const bUrl = `${loc.base}/v2/${loc.repo}/blobs/${layer.digest}`;
    const r = await ociGet(loc, bUrl);
    if (!r.ok) throw new ChartError(chart, `GET ${bUrl}: HTTP ${r.status}`);
    const bytes = Buffer.from(await r.arrayBuffer());
    const got = `sha256:${sha256(bytes)}`;
    if (got !== layer.digest) throw new ChartError(chart, `${loc.ref}:${entry.tag}: the chart layer's sha256 is ${got}, the manifest says ${layer.digest}`);
    return { bytes, source: `${loc.ref}:${entry.tag}`, digest: layer.digest };
  }
  const urls = Array.isArray(entry.urls) ? entry.urls : [];
  if (urls.length === 0) throw new ChartError(chart, `${entry.version}: the index entry has no urls`);
  if (!/^[0-9a-f]{64}$/.test(String(entry.digest || ''))) {
    throw new ChartError(chart, `${entry.version}: the index entry has no sha256 digest, so the download cannot be verified`);
  }
  const url = new URL(urls[0], entry.indexUrl).toString();
  let bytes;
  try {
    bytes = await httpBytes(url);
  } catch (e) {
    throw new ChartError(chart, `${entry.version}: download failed: ${e.message}`);
  }
  const got = sha256(bytes);
  if (got !== entry.digest) throw new ChartError(chart, `${url}: sha256 ${got} differs from the index digest ${entry.digest}`);
  return { bytes, source: url, digest: `sha256:${got}` };
}

// ---------------------------------------------------------------------------
// Planning: which versions are newer
// ---------------------------------------------------------------------------

function upgradeNotes(chart, entry) {
  if (UPGRADE_NOTES[chart]) return UPGRADE_NOTES[chart];
  const sources = Array.isArray(entry && entry.sources) ? entry.sources.map(String) : [];
  return sources.find((s) => /github\.com/.test(s)) || sources[0] || (entry && entry.home ? String(entry.home) : undefined);
}

async function planChart(spec, repoUrl) {
  if (semver.valid(spec.version) !== spec.version) throw new ChartError(spec.name, `the catalog pin "${spec.version}" is not an exact semver version`);
  const all = await repositoryVersions(spec.name, repoUrl);
  // Exact semver only (no "v" prefix, which would end up in the catalog), no prereleases.
  const stable = all.filter((e) => semver.valid(e.version) === e.version && semver.prerelease(e.version) === null);
  const newer = stable.filter((e) => semver.gt(e.version, spec.version)).sort((a, b) => semver.rcompare(a.version, b.version));
  const sameMajor = newer.filter((e) => semver.major(e.version) === semver.major(spec.version));
  const majors = newer.filter((e) => semver.major(e.version) > semver.major(spec.version));
  const plan = { chart: spec.name, from: spec.version, repoUrl, spec };
  if (sameMajor.length > 0) {
    const to = sameMajor[0];
    plan.apply = { entry: to, to: to.version, kind: semver.minor(to.version) === semver.minor(spec.version) ? 'patch' : 'minor' };
  }
  if (majors.length > 0) {
    // An OCI tag carries no metadata: the chart's sources/home are in the manifest's config blob.
    const meta = majors[0].oci && !UPGRADE_NOTES[spec.name] ? await ociChartMeta(spec.name, majors[0]).catch(() => undefined) : majors[0];
    plan.major = {
      to: majors[0].version,
      majors: [...new Set(majors.map((e) => semver.major(e.version)))].sort((a, b) => a - b),
      notes: upgradeNotes(spec.name, meta),
    };
  }
  return plan;
}

// ---------------------------------------------------------------------------
// Staging an update
// ---------------------------------------------------------------------------

function tarList(file) {
  return execFileSync('tar', ['-tzf', file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).split('\n').filter(Boolean);
}

/** Check a downloaded package: a chart archive of this name and version, with a values.yaml. */
function inspectPackage(chart, version, file) {
  let entries;
  try {
    entries = tarList(file);
  } catch (e) {
    throw new ChartError(chart, `${version}: the download is not a chart package (tar: ${String(e.stderr || e.message).trim()})`);
  }
  if (!entries.includes(`${chart}/Chart.yaml`)) throw new ChartError(chart, `${version}: the package has no ${chart}/Chart.yaml`);
  const meta = YAML.parse(execFileSync('tar', ['-xzOf', file, `${chart}/Chart.yaml`], { encoding: 'utf8' }), { schema: 'failsafe' }) || {};
  if (String(meta.name) !== chart || String(meta.version) !== version) {
    throw new ChartError(chart, `${version}: the package's Chart.yaml says ${meta.name} ${meta.version}`);
  }
  if (!entries.includes(`${chart}/values.yaml`)) {
    throw new ChartError(chart, `${version}: the package has no values.yaml (nothing to derive the key catalog and defaults from)`);
  }
  const deps = entries.filter((e) => /^[^/]+\/charts\/[^/]+\/Chart\.yaml$/.test(e)).map((e) => {
    const d = YAML.parse(execFileSync('tar', ['-xzOf', file, e], { encoding: 'utf8' }), { schema: 'failsafe' }) || {};
    return `${d.name}@${d.version}`;
  }).sort(K.compareStrings);
  return { meta, deps };
}

/** The real Helm, when the devDependency that carries it is installed. */
function helm() {
  try {
    return execFileSync(process.execPath, [path.join(SCRIPTS, 'lib', 'helm-binary.cjs')], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

/** "yes (N objects)" / "no with defaults" from `helm template` of the package with its defaults. */
function renderCheck(file) {
  const bin = helm();
  if (!bin) return 'not checked (no Helm)';
  const r = spawnSync(bin, ['template', 'test', file, '-n', 'test'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) return 'no with defaults';
  const objects = YAML.parseAllDocuments(r.stdout).filter((d) => { const o = d.toJS(); return o && o.kind; }).length;
  return `yes (${objects} objects)`;
}

/**
 * Top-most keys a values file may set under key tree `after` but not under `before` (a key beneath
 * a subtree that `before` left open was accepted already, so it is not new).
 */
function acceptedOnlyIn(after, before, prefix = [], out = []) {
  const isMap = (t) => t !== null && typeof t === 'object';
  if (before === K.OPEN || !isMap(after)) return out;
  for (const k of Object.keys(after)) {
    const p = [...prefix, k];
    if (!isMap(before) || !Object.prototype.hasOwnProperty.call(before, k)) out.push(p.join('.'));
    else acceptedOnlyIn(after[k], before[k], p, out);
  }
  return out;
}

function keyDiff(beforeFile, afterFile) {
  const read = (f) => (f && fs.existsSync(f) ? JSON.parse(fs.readFileSync(f, 'utf8')) : {});
  const a = read(beforeFile);
  const b = read(afterFile);
  return {
    added: acceptedOnlyIn(b, a).sort(K.compareStrings),
    removed: acceptedOnlyIn(a, b).sort(K.compareStrings),
  };
}

function mdCell(text) {
  return String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The README table row of a downloaded package (same columns as the rows of the built packages). */
function readmeRow(root, plan, pkgFile, info, download) {
  const readme = fs.readFileSync(path.join(root, PACKAGES_DIR, 'README.md'), 'utf8');
  const old = readme.split('\n').find((l) => l.startsWith(`| ${plan.chart} | ${plan.from} |`));
  const oldLicence = old ? old.split(' | ')[5] : undefined;
  const licence = (info.meta.annotations || {})['artifacthub.io/license'] || oldLicence || 'see the chart';
  const size = fs.statSync(pkgFile).size.toLocaleString('en-US');
  return `| ${plan.chart} | ${plan.apply.to} | ${mdCell(download.source)} | - | - (downloaded by \`npx projen update-charts\`, ${download.digest}) | ${mdCell(licence)} | ${info.deps.length > 0 ? info.deps.join('<br>') : '-'} | ${size} | ${renderCheck(pkgFile)} | Published package, unchanged. |`;
}

/** Stage every applied update in `stage`; returns the file operations that apply them. */
async function stageUpdates(root, plans, stage) {
  const ops = { write: new Map(), remove: new Set() }; // target (relative to root) -> staged source file
  const refOut = path.join(stage, 'reference');
  fs.mkdirSync(path.join(refOut, 'charts'), { recursive: true });
  fs.copyFileSync(path.join(root, 'reference', 'PROVENANCE.md'), path.join(refOut, 'PROVENANCE.md'));
  const pkgDir = path.join(stage, 'packages');
  fs.mkdirSync(pkgDir, { recursive: true });
  let sums = fs.readFileSync(path.join(root, PACKAGES_DIR, 'SHA256SUMS'), 'utf8');
  let readme = fs.readFileSync(path.join(root, PACKAGES_DIR, 'README.md'), 'utf8');
  const errors = [];
  for (const plan of plans.filter((p) => p.apply)) {
    const { chart } = plan;
    const to = plan.apply.to;
    try {
      log(`${chart}: downloading ${to}`);
      const dl = await download(chart, plan.apply.entry);
      const file = path.join(pkgDir, `${chart}-${to}.tgz`);
      fs.writeFileSync(file, dl.bytes);
      const info = inspectPackage(chart, to, file);
      plan.apply.deps = info.deps;
      plan.apply.source = dl.source;
      // Key catalog and defaults (the chart's current files are staged first, so the derive
      // script replaces them in the stage, never in the tree).
      const refChart = path.join(root, 'reference', 'charts', chart);
      const before = fs.existsSync(refChart) ? fs.readdirSync(refChart).filter((f) => /\.(keys|defaults)\.json$/.test(f)) : [];
      if (plan.spec.keysChecked) {
        fs.mkdirSync(path.join(refOut, 'charts', chart), { recursive: true });
        for (const f of before) fs.copyFileSync(path.join(refChart, f), path.join(refOut, 'charts', chart, f));
        const r = spawnSync(process.execPath, [path.join(SCRIPTS, 'derive-reference.mjs'), '--chart-package', file, '--out', refOut], { encoding: 'utf8' });
        if (r.status !== 0) throw new ChartError(chart, `${to}: deriving the key catalog failed: ${(r.stderr || r.stdout).trim()}`);
        const after = fs.readdirSync(path.join(refOut, 'charts', chart));
        for (const f of before) if (!after.includes(f)) ops.remove.add(`reference/charts/${chart}/${f}`);
        for (const f of after) ops.write.set(`reference/charts/${chart}/${f}`, path.join(refOut, 'charts', chart, f));
        plan.apply.keys = keyDiff(path.join(refChart, `${plan.from}.keys.json`), path.join(refOut, 'charts', chart, `${to}.keys.json`));
        ops.write.set('reference/PROVENANCE.md', path.join(refOut, 'PROVENANCE.md'));
      }
      // The vendored test package, its checksum and its README row.
      const oldName = `${chart}-${plan.from}.tgz`;
      const newName = `${chart}-${to}.tgz`;
      ops.write.set(`${PACKAGES_DIR}/${newName}`, file);
      if (fs.existsSync(path.join(root, PACKAGES_DIR, oldName))) ops.remove.add(`${PACKAGES_DIR}/${oldName}`);
      const sumLines = sums.split('\n').filter((l) => l && !l.endsWith(`  ${oldName}`) && !l.endsWith(`  ${newName}`));
      sumLines.push(`${sha256(dl.bytes)}  ${newName}`);
      sums = sumLines.sort((a, b) => K.compareStrings(a.slice(66), b.slice(66))).join('\n') + '\n';
      const row = readmeRow(root, plan, file, info, dl);
      const lines = readme.split('\n');
      const at = lines.findIndex((l) => l.startsWith(`| ${chart} | ${plan.from} |`));
      if (at >= 0) lines.splice(at, 1, row);
      else {
        let last = -1;
        lines.forEach((l, i) => { if (/^\| [^|]+ \| \d/.test(l)) last = i; });
        lines.splice(last + 1, 0, row);
      }
      readme = lines.join('\n');
      log(`${chart}: staged ${to} (${dl.source})`);
    } catch (e) {
      errors.push(e instanceof ChartError ? e.message : `chart ${chart}: ${e.message}`);
    }
  }
  // README: the total size line.
  const names = new Set(fs.readdirSync(path.join(root, PACKAGES_DIR)).filter((f) => f.endsWith('.tgz')));
  for (const r of ops.remove) names.delete(path.basename(r));
  let total = 0;
  for (const n of [...names]) total += fs.statSync(path.join(root, PACKAGES_DIR, n)).size;
  for (const [target, src] of ops.write) {
    if (target.startsWith(`${PACKAGES_DIR}/`) && target.endsWith('.tgz')) {
      names.add(path.basename(target));
      total += fs.statSync(src).size;
    }
  }
  readme = readme.replace(/^Total size: [\d,]+ bytes \(\d+ packages\)\.$/m, `Total size: ${total.toLocaleString('en-US')} bytes (${names.size} packages).`);
  fs.writeFileSync(path.join(stage, 'SHA256SUMS'), sums);
  fs.writeFileSync(path.join(stage, 'README.md'), readme);
  ops.write.set(`${PACKAGES_DIR}/SHA256SUMS`, path.join(stage, 'SHA256SUMS'));
  ops.write.set(`${PACKAGES_DIR}/README.md`, path.join(stage, 'README.md'));
  // The catalog.
  const catalogText = fs.readFileSync(path.join(root, CATALOG_FILE), 'utf8');
  const rewritten = rewriteCatalog(catalogText, plans.filter((p) => p.apply).map((p) => ({ chart: p.chart, from: p.from, to: p.apply.to })));
  fs.writeFileSync(path.join(stage, 'charts.ts'), rewritten);
  ops.write.set(CATALOG_FILE, path.join(stage, 'charts.ts'));
  return { ops, errors };
}

/** Apply staged operations: every write lands through a rename next to its target. */
function applyOps(root, ops) {
  const tmps = [];
  for (const [target, src] of [...ops.write].sort((a, b) => K.compareStrings(a[0], b[0]))) {
    const dest = path.join(root, target);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    const tmp = `${dest}.update-charts-${process.pid}`;
    fs.copyFileSync(src, tmp);
    tmps.push([tmp, dest]);
  }
  for (const [tmp, dest] of tmps) fs.renameSync(tmp, dest);
  for (const target of [...ops.remove].sort(K.compareStrings)) {
    if (!ops.write.has(target)) fs.rmSync(path.join(root, target), { force: true });
  }
}

// ---------------------------------------------------------------------------
// Summary
// ---------------------------------------------------------------------------

function summary(plans, { dryRun, ops }) {
  const L = [];
  const applied = plans.filter((p) => p.apply);
  const majors = plans.filter((p) => p.major);
  L.push(dryRun ? '## Chart updates available (dry run: nothing changed)' : '## Chart updates');
  L.push('');
  if (applied.length === 0) L.push('No patch or minor updates: every checked chart is at the newest version of its major version.');
  else {
    L.push(dryRun ? 'Patch and minor updates that would be applied:' : 'Patch and minor updates applied (catalog pins, key catalogs and defaults, vendored test packages):');
    L.push('');
    L.push('| Chart | From | To | Update | Repository |');
    L.push('|---|---|---|---|---|');
    for (const p of applied) L.push(`| ${p.chart} | ${p.from} | ${p.apply.to} | ${p.apply.kind} | ${p.repoUrl} |`);
    for (const p of applied.filter((x) => x.apply.keys)) {
      const { added, removed } = p.apply.keys;
      const list = (ks) => ks.slice(0, 25).map((k) => `\`${k}\``).join(', ') + (ks.length > 25 ? `, … (${ks.length - 25} more)` : '');
      L.push('');
      L.push(`- **${p.chart}** values keys: ${added.length} added${added.length ? ` (${list(added)})` : ''}; ${removed.length} removed${removed.length ? ` (${list(removed)})` : ''}.` +
        (p.apply.deps && p.apply.deps.length ? ` Sub-charts: ${p.apply.deps.join(', ')}.` : ''));
    }
  }
  if (majors.length > 0) {
    L.push('');
    L.push('### New major versions (not applied: read the upgrade notes, then bump by hand)');
    L.push('');
    L.push('| Chart | Pinned | Newest | Upgrade notes |');
    L.push('|---|---|---|---|');
    for (const p of majors) L.push(`| ${p.chart} | ${p.apply && !dryRun ? `${p.apply.to} (was ${p.from})` : p.from} | ${p.major.to} (major ${p.major.majors.join(', ')}) | ${p.major.notes || 'no link in the index'} |`);
  }
  const current = plans.filter((p) => !p.apply && !p.major).map((p) => `${p.chart} ${p.from}`);
  if (current.length > 0) {
    L.push('');
    L.push(`Up to date: ${current.join(', ')}.`);
  }
  if (ops) {
    L.push('');
    L.push('<details><summary>Files changed</summary>');
    L.push('');
    for (const t of [...ops.write.keys()].sort(K.compareStrings)) L.push(`- ${ops.remove.has(t) ? 'replaced' : 'written'}: \`${t}\``);
    for (const t of [...ops.remove].filter((x) => !ops.write.has(x)).sort(K.compareStrings)) L.push(`- removed: \`${t}\``);
    L.push('');
    L.push('</details>');
  }
  L.push('');
  return L.join('\n');
}

// ---------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------

function writeSummary(file, text) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const catalogPath = path.join(opts.root, CATALOG_FILE);
  if (!fs.existsSync(catalogPath)) throw new UsageError(`--root ${opts.root}: no ${CATALOG_FILE} there`);
  const catalog = readCatalog(fs.readFileSync(catalogPath, 'utf8'));
  const known = catalog.map((c) => c.name);
  for (const name of [...opts.charts, ...opts.overrides.keys()]) {
    if (!known.includes(name)) throw new UsageError(`chart "${name}" is not in ${CATALOG_FILE} (known: ${known.join(', ')})`);
  }
  const selected = opts.charts.length > 0 ? catalog.filter((c) => opts.charts.includes(c.name)) : catalog;

  const plans = [];
  const errors = [];
  for (const spec of selected) {
    const repoUrl = opts.overrides.get(spec.name) || spec.repoUrl;
    try {
      log(`${spec.name}: reading ${repoUrl}`);
      plans.push(await planChart(spec, repoUrl));
    } catch (e) {
      errors.push(e instanceof ChartError ? e.message : `chart ${spec.name}: ${e.message}`);
    }
  }
  const fail = (errs) => {
    for (const e of errs) process.stderr.write(`update-charts: error: ${e}\n`);
    process.stderr.write(`update-charts: no file was changed (${errs.length} chart${errs.length === 1 ? '' : 's'} failed; fix them or leave them out with --chart)\n`);
    process.exitCode = 1;
  };
  if (errors.length > 0) return fail(errors);

  if (opts.dryRun || plans.every((p) => !p.apply)) {
    const text = summary(plans, { dryRun: opts.dryRun });
    process.stdout.write(text);
    if (opts.summary) writeSummary(opts.summary, text);
    return;
  }
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'update-charts-'));
  try {
    const { ops, errors: stageErrors } = await stageUpdates(opts.root, plans, stage);
    if (stageErrors.length > 0) return fail(stageErrors);
    applyOps(opts.root, ops);
    const text = summary(plans, { dryRun: false, ops });
    process.stdout.write(text);
    if (opts.summary) writeSummary(opts.summary, text);
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`update-charts: ${e instanceof UsageError ? '' : 'error: '}${e.message}\n`);
  process.exitCode = e instanceof UsageError ? 2 : 1;
});
