#!/usr/bin/env node
/**
 * Derive the reference data the library ships (reference/) from the upstream copies in
 * ../shared/reference (Helm chart defaults and CRDs). Maintainers only; the output is committed
 * and the library never reads ../shared.
 *
 *   node scripts/derive-reference.mjs [path-to-shared-reference] [--out <dir>]
 *   npx projen derive-reference [path-to-shared-reference]
 *   node scripts/derive-reference.mjs --chart-package <chart.tgz | chart-folder> [--out <dir>]
 *
 * With --chart-package, derives one chart from a Helm chart package (as `helm pull` or `helm
 * package` makes it; its sub-charts are read from its charts/ folder) or an unpacked chart folder:
 * replaces that chart's key catalog and defaults under <out>/charts/<chart>/ (one version per
 * chart) and its section of <out>/PROVENANCE.md, and leaves every other file alone. A chart
 * without values.yaml is an error (nothing is written). `npx projen update-charts` uses this mode.
 *
 * Paths given as arguments are resolved against the repository root. Default input:
 * ../shared/reference; default output: reference/. The output is deterministic (sorted keys,
 * no timestamps): re-running on the same input produces identical files.
 *
 * Writes:
 *   reference/charts/<chart>/<version>.keys.json   key tree of the newest version of every chart
 *   reference/charts/<chart>/<version>.defaults.json   its default leaves (scalars and non-empty lists)
 *   reference/crds/<group>/<Kind>.<version>.schema.json  openAPIV3Schema without documentation
 *   reference/PROVENANCE.md
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import K from './lib/keys.cjs';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// ---------------------------------------------------------------------------
// Curated decisions (documented in PROVENANCE.md)
// ---------------------------------------------------------------------------

/**
 * Keys that hold Kubernetes API objects or free-form string maps, passed through to manifests
 * with toYaml. values.yaml lists only an example subset of their fields (e.g.
 * `securityContext: {runAsNonRoot: true}`), so they are open wherever they occur.
 */
const K8S_FREEFORM_KEYS = new Set([
  'affinity', 'nodeAffinity', 'podAffinity', 'podAntiAffinity', 'tolerations', 'topologySpreadConstraints', 'nodeSelector',
  'annotations', 'labels', 'matchLabels', 'matchExpressions', 'selector',
  'resources', 'limits', 'requests',
  'securityContext', 'podSecurityContext', 'containerSecurityContext', 'capabilities', 'seccompProfile', 'seLinuxOptions',
  'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle', 'lifecycleHooks',
  'strategy', 'updateStrategy', 'deploymentStrategy', 'rollingUpdate',
  'env', 'extraEnv', 'envFrom', 'extraEnvFrom', 'envValueFrom',
  'volumes', 'volumeMounts', 'extraVolumes', 'extraVolumeMounts', 'initContainers', 'extraContainers', 'sidecars',
  'dnsConfig', 'hostAliases', 'imagePullSecrets', 'persistentVolumeClaimRetentionPolicy', 'volumeClaimTemplate',
  'storageSpec', 'sessionAffinityConfig', 'behavior', 'tlsConfig', 'ipFamilies',
]);
/** Name patterns of the same kind (podAnnotations, serviceLabels, initContainerSecurityContext, ...). */
const K8S_FREEFORM_PATTERNS = [/[a-z](Annotations|Labels|NodeSelector|SecurityContext|Affinity|Tolerations|Resources)$/];

/**
 * Maps rendered verbatim into an application's own configuration (or a ConfigMap's data), so any
 * key is valid beneath them although values.yaml lists only defaults. chart -> key paths.
 */
const EMBEDDED_CONFIG = {
  'argo-cd': [['configs', 'cm'], ['configs', 'params'], ['configs', 'rbac']],
  'grafana': [['grafana.ini']],
  'kube-prometheus-stack': [['alertmanager', 'config']],
  'prometheus': [['server', 'global']],
  'tempo': [['tempo', 'server'], ['tempo', 'storage'], ['tempo', 'receivers'], ['tempo', 'querier'], ['tempo', 'queryFrontend'], ['tempo', 'ingester']],
  'tempo-distributed': [['memberlist'], ['overrides'], ['storage', 'trace']],
};
const EMBEDDED_CONFIG_WHY = {
  'argo-cd': 'data of the argocd-cm / argocd-cmd-params-cm / argocd-rbac-cm ConfigMaps',
  'grafana': 'sections and settings of grafana.ini',
  'kube-prometheus-stack': 'the Alertmanager configuration file',
  'prometheus': 'the `global:` block of prometheus.yml',
  'tempo': 'blocks of the Tempo configuration file',
  'tempo-distributed': 'blocks of the Tempo configuration file (`toYaml` in the chart\'s config template)',
};

/**
 * Keys the chart's templates read although values.yaml neither sets nor documents them.
 * chart -> key paths (each added as a known key).
 */
const TEMPLATE_KEYS = {
  // templates/service.yaml: `nodePort: {{ .Values.service.nodePort }}` when service.type is NodePort.
  'grafana': [['service', 'nodePort']],
};

const FILE_KEY_RE = /\.(ya?ml|json|conf|cfg|ini|toml|txt|sh|lua|tpl|river|alloy|rules|xml|properties|js|py|lua)$/i;

// ---------------------------------------------------------------------------

function parseArgs(argv) {
  let input;
  let out;
  let chartPackage;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out') out = argv[++i];
    else if (argv[i] === '--chart-package') chartPackage = argv[++i];
    else if (argv[i] === '-h' || argv[i] === '--help') {
      console.log('usage: node scripts/derive-reference.mjs [path-to-shared-reference] [--out <dir>]\n' +
        '       node scripts/derive-reference.mjs --chart-package <chart.tgz | chart-folder> [--out <dir>]');
      process.exit(0);
    } else input = argv[i];
  }
  return {
    input: path.resolve(REPO_ROOT, input || '../shared/reference'),
    out: path.resolve(REPO_ROOT, out || 'reference'),
    chartPackage: chartPackage === undefined ? undefined : path.resolve(process.cwd(), chartPackage),
  };
}

function readYaml(file) {
  return YAML.parse(fs.readFileSync(file, 'utf8'), { uniqueKeys: false });
}

function listDirs(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort(K.compareStrings);
}

function walkFiles(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walkFiles(p));
    else out.push(p);
  }
  return out.sort(K.compareStrings);
}

/** Source table of the upstream README: relative path -> { repo, sourcePath, ref, commit, date, license }. */
function readSourceTable(input) {
  const table = new Map();
  const readme = path.join(input, 'README.md');
  if (!fs.existsSync(readme)) return table;
  for (const line of fs.readFileSync(readme, 'utf8').split('\n')) {
    const cells = line.split('|').slice(1, -1).map((c) => c.trim().replace(/^`|`$/g, ''));
    if (cells.length !== 7 || cells[0] === 'Path' || /^-+$/.test(cells[0])) continue;
    const [p, repo, sourcePath, ref, commit, date, license] = cells;
    table.set(p, { repo, sourcePath, ref, commit, date, license });
  }
  return table;
}

function isPlainObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Open K8s-typed keys, file maps, label maps and env maps. Returns the list of opened paths. */
function openFreeformMaps(tree, opened, prefix = []) {
  if (!isPlainObject(tree)) return tree;
  for (const k of Object.keys(tree)) {
    const p = [...prefix, k];
    const v = tree[k];
    if (v === K.OPEN) continue;
    if (K8S_FREEFORM_KEYS.has(k) || K8S_FREEFORM_PATTERNS.some((re) => re.test(k))) {
      tree[k] = K.OPEN;
      opened.push({ path: p, why: 'Kubernetes object / string map', keys: Object.keys(v) });
      continue;
    }
    const keys = Object.keys(v);
    if (keys.some((x) => x.includes('/'))) {
      tree[k] = K.OPEN;
      opened.push({ path: p, why: 'label/annotation-style keys' });
    } else if (keys.filter((x) => FILE_KEY_RE.test(x)).length * 2 >= keys.length) {
      tree[k] = K.OPEN;
      opened.push({ path: p, why: 'map of file names' });
    } else if (keys.every((x) => /^[A-Z][A-Z0-9_]*$/.test(x))) {
      tree[k] = K.OPEN;
      opened.push({ path: p, why: 'environment-variable map' });
    } else {
      openFreeformMaps(v, opened, p);
    }
  }
  return tree;
}

// ---------------------------------------------------------------------------
// Charts
// ---------------------------------------------------------------------------

function chartVersions(input, chart) {
  return listDirs(path.join(input, 'charts', chart)).sort(K.compareVersions);
}

function dependenciesOf(dir) {
  const deps = [];
  for (const f of ['Chart.yaml', 'requirements.yaml']) {
    const p = path.join(dir, f);
    if (!fs.existsSync(p)) continue;
    const doc = readYaml(p) || {};
    if (Array.isArray(doc.dependencies)) deps.push(...doc.dependencies.map((d) => ({ ...d, declaredIn: f })));
  }
  const locked = new Map();
  for (const f of ['Chart.lock', 'requirements.lock']) {
    const p = path.join(dir, f);
    if (!fs.existsSync(p)) continue;
    for (const d of (readYaml(p) || {}).dependencies || []) locked.set(d.name, String(d.version));
  }
  return deps.map((d) => ({ ...d, version: d.version === undefined ? undefined : String(d.version), locked: locked.get(d.name) }));
}

/** Derive the key tree of chart@version; memoised; records notes for PROVENANCE.md. */
function makeDeriver(input) {
  const memo = new Map();
  function derive(chart, version) {
    const id = `${chart}@${version}`;
    if (memo.has(id)) return memo.get(id);
    const dir = path.join(input, 'charts', chart, version);
    const result = deriveDir(dir, chart, version, `charts/${chart}/${version}`);
    memo.set(id, result);
    return result;
  }

  function deriveDir(dir, chart, version, rel) {
    const notes = { chart, version, sources: [], commented: 0, schema: false, deps: [], openForLackOfData: [], embedded: [], freeform: [] };
    const valuesFile = path.join(dir, 'values.yaml');
    if (!fs.existsSync(valuesFile)) {
      return { tree: null, notes, defaults: {} }; // caller decides
    }
    notes.sources.push(`${rel}/values.yaml`);
    const valuesText = fs.readFileSync(valuesFile, 'utf8');
    // The chart's default values (a sub-chart's, beneath its key, come from the sub-chart and are
    // overridden by what this chart sets for it, as Helm merges them).
    let defaults = YAML.parse(valuesText) || {};
    const { tree, accepted } = K.valuesYamlTree(valuesText);
    notes.commented = accepted.length;
    notes.commentedPaths = accepted.map((a) => a.path);
    let t = tree;
    const schemaFile = path.join(dir, 'values.schema.json');
    if (fs.existsSync(schemaFile)) {
      notes.sources.push(`${rel}/values.schema.json`);
      notes.schema = true;
      t = K.mergeSchemaIntoTree(t, JSON.parse(fs.readFileSync(schemaFile, 'utf8')));
    }

    // Sub-charts: values are passed under the dependency's alias or name.
    const deps = dependenciesOf(dir);
    if (deps.length > 0) {
      for (const f of ['Chart.yaml', 'requirements.yaml', 'Chart.lock', 'requirements.lock']) {
        if (fs.existsSync(path.join(dir, f))) notes.sources.push(`${rel}/${f}`);
      }
    }
    for (const dep of deps) {
      const key = dep.alias || dep.name;
      const want = dep.locked || dep.version || '*';
      const info = { key, name: dep.name, constraint: dep.version, locked: dep.locked, repository: dep.repository || '(vendored)' };
      const vendored = path.join(dir, 'charts', dep.name);
      let depTree;
      let depDefaults;
      if (fs.existsSync(path.join(vendored, 'Chart.yaml'))) {
        const sub = deriveDir(vendored, dep.name, String((readYaml(path.join(vendored, 'Chart.yaml')) || {}).version || ''), `${rel}/charts/${dep.name}`);
        notes.sources.push(`${rel}/charts/${dep.name}/Chart.yaml`, ...sub.notes.sources);
        depDefaults = sub.defaults;
        depTree = sub.tree === null ? {} : sub.tree;
        info.resolved = sub.tree === null ? 'vendored sub-chart without values.yaml (declares no values)' : `vendored sub-chart charts/${dep.name}`;
      } else {
        const candidates = chartVersions(input, dep.name).filter((v) => (dep.locked ? v === dep.locked : K.satisfies(v, want)));
        const pick = candidates[candidates.length - 1];
        if (pick) {
          const sub = derive(dep.name, pick);
          if (sub.tree !== null) {
            depDefaults = sub.defaults;
            depTree = sub.tree;
            const exact = dep.locked || /^v?\d+\.\d+\.\d+$/.test(String(dep.version || '').trim());
            info.resolved = `reference chart ${dep.name} ${pick}` + (dep.locked ? ' (pinned by the lock file)' : exact ? ' (pinned in Chart.yaml)'
              : ` (newest in the reference matching "${want}"; there is no lock file, so the published chart may bundle another matching version)`);
            notes.sources.push(...sub.notes.sources);
          }
        }
      }
      if (depDefaults !== undefined) defaults = { ...defaults, [key]: K.helmMerge(depDefaults, defaults[key]) };
      if (depTree === undefined) {
        t[key] = K.OPEN;
        info.resolved = 'not in the reference: open';
        notes.openForLackOfData.push({ path: [key], why: `sub-chart ${dep.name} ${want} (${info.repository}) is not in the reference` });
      } else {
        t[key] = K.mergeTrees(t[key] === undefined ? {} : t[key], depTree);
        if (t[key] !== K.OPEN && Object.keys(t[key]).length === 0) t[key] = {};
        // A sub-chart reads `global` from the parent's `global` (merged only where it declares keys).
        if (isPlainObject(depTree) && isPlainObject(depTree.global) && Object.keys(depTree.global).length > 0) {
          t.global = K.mergeTrees(t.global === undefined ? {} : t.global, depTree.global);
        }
      }
      for (const cond of String(dep.condition || '').split(',').map((c) => c.trim()).filter(Boolean)) {
        K.ensurePath(t, cond.split('.'));
      }
      notes.deps.push(info);
    }

    notes.templateKeys = [];
    for (const p of TEMPLATE_KEYS[chart] || []) {
      if (K.ensurePath(t, p)) notes.templateKeys.push(p);
    }

    for (const p of EMBEDDED_CONFIG[chart] || []) {
      const n = K.nodeAt(t, p);
      if (isPlainObject(n)) {
        K.setAt(t, p, K.OPEN);
        notes.embedded.push({ path: p, why: EMBEDDED_CONFIG_WHY[chart] });
      }
    }
    openFreeformMaps(t, notes.freeform);
    if (process.env.DERIVE_DEBUG) {
      for (const f of notes.freeform) console.error(`${chart}: ${f.path.join('.')}: ${f.why} ${(f.keys || []).join(',')}`);
    }
    return { tree: t, notes, defaults };
  }
  derive.dir = deriveDir;
  return derive;
}

// ---------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------

function writeFile(file, text, written) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  written.push(file);
}

function removeGenerated(dir, suffix) {
  if (!fs.existsSync(dir)) return;
  for (const f of walkFiles(dir)) if (f.endsWith(suffix)) fs.unlinkSync(f);
  // remove empty directories
  for (const d of listDirs(dir)) {
    const p = path.join(dir, d);
    if (fs.readdirSync(p).length === 0) fs.rmdirSync(p);
  }
}

/** Write the key catalog and defaults of one derived chart; returns its PROVENANCE.md record. */
function writeChart(out, chart, version, { tree, notes, defaults }, skipped, written) {
  let finalTree = tree;
  // Every chart accepts `global`; open unless the chart (or a sub-chart) declares keys under it.
  if (isPlainObject(finalTree) && (!isPlainObject(finalTree.global) || Object.keys(finalTree.global).length === 0)) {
    finalTree.global = K.OPEN;
  }
  if (tree === null) finalTree = K.OPEN;
  const file = path.join(out, 'charts', chart, `${version}.keys.json`);
  const text = K.stableJson(finalTree, 1);
  writeFile(file, text, written);
  const leaves = K.defaultLeaves(defaults);
  if (leaves !== undefined) writeFile(path.join(out, 'charts', chart, `${version}.defaults.json`), K.stableJson(leaves, 1), written);
  return { chart, version, skipped, notes, file, bytes: Buffer.byteLength(text), stats: finalTree === K.OPEN ? { keys: 0, open: 1 } : K.treeStats(finalTree) };
}

// ---------------------------------------------------------------------------
// One chart from a chart package (--chart-package)
// ---------------------------------------------------------------------------

/** Unpack sub-chart archives (charts/*.tgz) in place, recursively, so they read as vendored folders. */
function unpackSubcharts(dir) {
  const charts = path.join(dir, 'charts');
  if (!fs.existsSync(charts)) return;
  for (const f of fs.readdirSync(charts).sort(K.compareStrings)) {
    if (!/\.tgz$/.test(f)) continue;
    execFileSync('tar', ['-xzf', path.join(charts, f), '-C', charts], { stdio: 'pipe' });
    fs.unlinkSync(path.join(charts, f));
  }
  for (const d of listDirs(charts)) unpackSubcharts(path.join(charts, d));
}

/** The chart folder of a package (.tgz, unpacked into tmp) or of a folder given as is. */
function chartFolder(pkg, tmp) {
  if (fs.statSync(pkg).isDirectory()) return pkg;
  try {
    execFileSync('tar', ['-xzf', pkg, '-C', tmp], { stdio: 'pipe' });
  } catch (e) {
    throw new Error(`${pkg} is not a chart package (tar: ${String(e.stderr || e.message).trim()})`);
  }
  const tops = listDirs(tmp);
  if (tops.length !== 1) throw new Error(`${pkg}: a chart package holds one top folder, found ${tops.length}`);
  const dir = path.join(tmp, tops[0]);
  unpackSubcharts(dir);
  return dir;
}

/** Replace (or add) one chart's entries in an existing PROVENANCE.md. */
function replaceProvenanceSection(text, record, out) {
  const lines = text.split('\n');
  const { section, lacking } = renderChartProvenance(record, out, packageSources(record));
  // The chart's own section: from `### <chart> <version>` to the next heading.
  const start = lines.findIndex((l) => l.startsWith(`### ${record.chart} `));
  let end = start + 1;
  while (start >= 0 && end < lines.length && !/^#{2,3} /.test(lines[end])) end++;
  if (start >= 0) lines.splice(start, end - start, ...section);
  else {
    const at = lines.findIndex((l) => l.startsWith('## Chart defaults'));
    lines.splice(at < 0 ? lines.length : at, 0, ...section);
  }
  // Its lines in "Open for lack of upstream data".
  const lackStart = lines.findIndex((l) => l === '### Open for lack of upstream data');
  if (lackStart >= 0) {
    // Items are grouped by chart, charts in code-point order (as the full derivation writes them).
    const chartOf = (l) => (/^- (\S+) /.exec(l) || [])[1];
    const i = lackStart + 2;
    let j = i;
    while (j < lines.length && lines[j].startsWith('- ')) j++;
    const kept = lines.slice(i, j).filter((l) => chartOf(l) !== record.chart);
    let at = kept.findIndex((l) => K.compareStrings(chartOf(l), record.chart) > 0);
    if (at < 0) at = kept.length;
    kept.splice(at, 0, ...lacking);
    lines.splice(i, j - i, ...kept);
  }
  return lines.join('\n');
}

/** Source descriptions for a chart derived from a package: its file and sha256. */
function packageSources(record) {
  const map = new Map();
  for (const s of record.notes.sources) map.set(s, { pkg: record.pkg });
  return map;
}

function derivePackage(pkg, out) {
  if (!fs.existsSync(pkg)) throw new Error(`${pkg}: no such chart package or folder`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'derive-chart-'));
  try {
    const dir = chartFolder(pkg, tmp);
    const chartYaml = path.join(dir, 'Chart.yaml');
    if (!fs.existsSync(chartYaml)) throw new Error(`${pkg}: no Chart.yaml (not a Helm chart)`);
    // failsafe: a version such as 1.10 stays the string it is.
    const meta = YAML.parse(fs.readFileSync(chartYaml, 'utf8'), { schema: 'failsafe' }) || {};
    const chart = String(meta.name || '');
    const version = String(meta.version || '');
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(chart) || !/^[A-Za-z0-9][A-Za-z0-9.+_-]*$/.test(version)) {
      throw new Error(`${pkg}: Chart.yaml name "${chart}" / version "${version}" is not a plain chart name and version`);
    }
    if (!fs.existsSync(path.join(dir, 'values.yaml'))) {
      throw new Error(`chart ${chart} ${version}: the package has no values.yaml, so no key catalog can be derived from it`);
    }
    const label = fs.statSync(pkg).isDirectory() ? path.basename(pkg) : path.basename(pkg);
    // Sub-charts come from the package's charts/ folder; none is looked up elsewhere.
    const derive = makeDeriver(path.join(tmp, 'no-reference'));
    const derived = derive.dir(dir, chart, version, label);
    const chartDir = path.join(out, 'charts', chart);
    const previous = fs.existsSync(chartDir) ? fs.readdirSync(chartDir).filter((f) => /\.(keys|defaults)\.json$/.test(f)).sort(K.compareStrings) : [];
    const written = [];
    for (const f of previous) fs.unlinkSync(path.join(chartDir, f));
    const record = writeChart(out, chart, version, derived, [], written);
    record.pkg = fs.statSync(pkg).isDirectory()
      ? { label, sha256: undefined, license: (meta.annotations || {})['artifacthub.io/license'] }
      : { label, sha256: crypto.createHash('sha256').update(fs.readFileSync(pkg)).digest('hex'), license: (meta.annotations || {})['artifacthub.io/license'] };
    const provenanceFile = path.join(out, 'PROVENANCE.md');
    if (fs.existsSync(provenanceFile)) {
      const before = fs.readFileSync(provenanceFile, 'utf8');
      if (!record.pkg.license) record.pkg.license = previousLicence(before, chart);
      writeFile(provenanceFile, replaceProvenanceSection(before, record, out), written);
    }
    const removed = previous.filter((f) => !written.includes(path.join(chartDir, f)));
    console.log(`derive-reference: ${chart} ${version} from ${label}: wrote ${written.map((f) => path.relative(out, f)).join(', ')}` +
      (removed.length > 0 ? `; removed ${removed.map((f) => `charts/${chart}/${f}`).join(', ')}` : ''));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** The licence a chart's PROVENANCE.md section named before (a package rarely states one). */
function previousLicence(text, chart) {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`### ${chart} `));
  for (let i = start + 1; start >= 0 && i < lines.length && !/^#{2,3} /.test(lines[i]); i++) {
    const m = /^- Licence: (.+)$/.exec(lines[i]);
    if (m) return m[1];
  }
  return undefined;
}

function main() {
  const { input, out, chartPackage } = parseArgs(process.argv.slice(2));
  if (chartPackage !== undefined) {
    try {
      derivePackage(chartPackage, out);
    } catch (e) {
      console.error(`derive-reference: ${e.message}`);
      process.exit(1);
    }
    return;
  }
  if (!fs.existsSync(path.join(input, 'charts')) || !fs.existsSync(path.join(input, 'crds'))) {
    console.error(`derive-reference: ${input} has no charts/ and crds/ (pass the path to the shared reference)`);
    process.exit(1);
  }
  const sources = readSourceTable(input);
  const written = [];
  removeGenerated(path.join(out, 'charts'), '.keys.json');
  removeGenerated(path.join(out, 'charts'), '.defaults.json');
  removeGenerated(path.join(out, 'crds'), '.schema.json');

  // Charts: newest version of each.
  const derive = makeDeriver(input);
  const chartResults = [];
  for (const chart of listDirs(path.join(input, 'charts'))) {
    const versions = chartVersions(input, chart);
    const version = versions[versions.length - 1];
    const skipped = versions.slice(0, -1);
    const derived = derive(chart, version);
    if (derived.tree === null) {
      derived.notes.sources.push(`charts/${chart}/${version}/Chart.yaml`);
      derived.notes.openForLackOfData.push({ path: [], why: 'the reference has no values.yaml for this chart: the whole catalog is open' });
    }
    chartResults.push(writeChart(out, chart, version, derived, skipped, written));
  }

  // CRDs.
  const crdResults = [];
  for (const f of walkFiles(path.join(input, 'crds')).filter((x) => /\.ya?ml$/.test(x))) {
    const rel = path.relative(input, f).split(path.sep).join('/');
    for (const doc of YAML.parseAllDocuments(fs.readFileSync(f, 'utf8'))) {
      const crd = doc.toJS();
      if (!crd || crd.kind !== 'CustomResourceDefinition') continue;
      const skippedVersions = (crd.spec.versions || []).filter((v) => !v.served || v.deprecated).map((v) => v.name + (v.deprecated ? ' (deprecated)' : ' (not served)'));
      for (const v of K.crdVersions(crd)) {
        const file = path.join(out, 'crds', v.group, `${v.kind}.${v.version}.schema.json`);
        const text = K.stableJson(v.schema, 0);
        writeFile(file, text, written);
        crdResults.push({ ...v, source: rel, file, bytes: Buffer.byteLength(text), inputBytes: fs.statSync(f).size, skippedVersions });
      }
    }
  }
  crdResults.sort((a, b) => K.compareStrings(a.file, b.file));

  const provenance = renderProvenance({ input, out, sources, chartResults, crdResults });
  writeFile(path.join(out, 'PROVENANCE.md'), provenance, written);

  const total = written.reduce((s, f) => s + fs.statSync(f).size, 0);
  console.log(`derive-reference: wrote ${written.length} files, ${(total / 1024).toFixed(1)} KiB, to ${path.relative(REPO_ROOT, out) || '.'}`);
}

// ---------------------------------------------------------------------------
// PROVENANCE.md
// ---------------------------------------------------------------------------

const dotted = (p) => (p.length === 0 ? '(root)' : p.join('.'));

/**
 * One chart's PROVENANCE.md lines: its section and its "open for lack of upstream data" items.
 * `sources` maps a source path to its upstream copy ({ repo, sourcePath, ref, commit, date, license })
 * or to the chart package it was read from ({ pkg: { label, sha256, license } }).
 */
function renderChartProvenance(r, out, sources) {
  const rel = (f) => path.relative(out, f).split(path.sep).join('/');
  const src = (p) => {
    const s = sources.get(p);
    if (!s) return `\`${p}\` (not listed in the upstream README)`;
    if (s.pkg) return `\`${p}\``;
    return `\`${p}\` ← ${s.repo} \`${s.sourcePath}\` @ \`${s.ref}\` (commit \`${s.commit}\`, ${s.date}, ${s.license})`;
  };
  const licences = (paths) => [...new Set(paths.map((p) => { const s = sources.get(p) || {}; return s.pkg ? s.pkg.license : s.license; }).filter(Boolean))].sort().join(', ') || 'unknown';
  const lacking = r.notes.openForLackOfData.map((o) => `- ${r.chart} ${r.version}: \`${dotted(o.path)}\` — ${o.why}`);
  const L = [];
  const n = r.notes;
  L.push(`### ${r.chart} ${r.version}`);
  L.push('');
  L.push(`- Output: \`${rel(r.file)}\` (${r.bytes} bytes; ${r.stats.keys} known keys, ${r.stats.open} open subtrees)`);
  L.push(`- Licence: ${licences(n.sources)}`);
  if (r.pkg) L.push(`- Derived from the chart package \`${r.pkg.label}\`${r.pkg.sha256 ? ` (sha256 \`${r.pkg.sha256}\`)` : ''} by \`scripts/derive-reference.mjs --chart-package\` (\`npx projen update-charts\`).`);
  L.push('- Sources:');
  for (const s of [...new Set(n.sources)]) L.push(`  - ${src(s)}`);
  if (n.schema) L.push('- Merged `values.schema.json`.');
  if (n.commented !== undefined && n.commented > 0) {
    L.push(`- Keys taken from commented-out YAML (${n.commented}): ${n.commentedPaths.map((p) => '`' + dotted(p) + '`').join(', ')}.`);
  }
  for (const d of n.deps) {
    const c = d.locked ? `locked ${d.locked}` : `constraint "${d.constraint ?? '*'}"`;
    L.push(`- Dependency \`${d.key}\` (${d.name}, ${c}): ${d.resolved}.`);
  }
  for (const e of n.embedded) L.push(`- Open (embedded configuration, ${e.why}): \`${dotted(e.path)}\`.`);
  for (const p of n.templateKeys || []) L.push(`- Added (read by the chart's templates, not in values.yaml): \`${dotted(p)}\`.`);
  if (n.freeform.length > 0) L.push(`- Opened by the Kubernetes-object / string-map rule: ${n.freeform.length} keys.`);
  if (r.skipped.length > 0) L.push(`- Skipped older versions in the reference: ${r.skipped.join(', ')}.`);
  L.push('');
  return { section: L, lacking };
}

function renderProvenance({ out, sources, chartResults, crdResults }) {
  const rel = (f) => path.relative(out, f).split(path.sep).join('/');
  const L = [];
  L.push('# Provenance of the derived reference data');
  L.push('');
  L.push('Generated by `scripts/derive-reference.mjs` (regenerate with `npx projen derive-reference`, which reads');
  L.push('`../shared/reference`; pass another path as the first argument). Do not edit these files by hand.');
  L.push('The library reads only this directory at run time.');
  L.push('');
  L.push('Upstream copies are verbatim files from public GitHub repositories (see the table in');
  L.push('`shared/reference/README.md`). All sources are Apache-2.0 except the thanos chart');
  L.push('(stevehipwell/helm-charts), which is MIT. The derived files keep no upstream text (no descriptions or');
  L.push('comments), only key names and schema structure.');
  L.push('');
  L.push('## Chart key catalogs: `charts/<chart>/<version>.keys.json`');
  L.push('');
  L.push('A JSON key tree: an object is a closed map (only its keys are known), the string `"*"` is open');
  L.push('(anything beneath is accepted). Derived, for the newest version of each chart, as the union of:');
  L.push('');
  L.push('1. the keys of the parsed `values.yaml` defaults: non-empty maps are closed; scalars, lists, null and');
  L.push('   empty maps (`{}`) are open;');
  L.push('2. keys documented as commented-out YAML in `values.yaml` (`# key: value`). A commented key is accepted');
  L.push('   only if its indentation places it directly in a map that is closed in (1); it is recorded as open.');
  L.push('   Not accepted: `##` / `# --` / `# @` lines (prose by convention), lines that do not look like');
  L.push('   `key: value`, prose-like values ("Note: ...", "Ref: https://...", sentences), capitalised words');
  L.push('   (unless the map already has such keys), list items, lines inside block scalars, a key that');
  L.push('   re-states its parent, and keys that directly follow an empty map `foo: {}` at the same column');
  L.push('   (most likely the example content of `foo`, so ambiguous);');
  L.push('3. `values.schema.json` where present: `properties` recursively (local `$ref`s followed,');
  L.push('   `allOf`/`anyOf`/`oneOf` joined). A map is open where the schema has `additionalProperties: true`');
  L.push('   or a schema, `patternProperties`, or an object type without properties; it is closed where the');
  L.push('   schema is `additionalProperties: false` even if the `values.yaml` default is `{}`. The root is never');
  L.push('   opened (loki\'s schema has `additionalProperties: true` at the root);');
  L.push('4. sub-charts (`dependencies` in Chart.yaml / requirements.yaml, versions pinned by Chart.lock where');
  L.push('   present): the dependency\'s own catalog is merged under its alias or name when that chart version is');
  L.push('   in the reference, and its `global` keys are merged into the parent\'s `global`. Otherwise the key is');
  L.push('   open. Dependency `condition` paths (e.g. `grafana.enabled`) are always known;');
  L.push('5. `global` is open unless the chart (or a sub-chart) declares keys under it;');
  L.push('6. curated openings: keys holding Kubernetes objects or string maps, wherever they occur');
  L.push(`   (${[...K8S_FREEFORM_KEYS].sort(K.compareStrings).map((k) => '`' + k + '`').join(', ')}, and names ending in`);
  L.push('   Annotations/Labels/NodeSelector/SecurityContext/Affinity/Tolerations/Resources), maps whose keys contain');
  L.push('   `/` (labels), look like file names, or are all environment-variable names; and maps rendered verbatim');
  L.push('   into an application\'s configuration (listed per chart below).');
  L.push('');
  L.push('Only the newest version of each chart is derived; older versions in the reference are listed as skipped.');
  L.push('');
  L.push('### Open for lack of upstream data');
  L.push('');
  const sections = chartResults.map((r) => renderChartProvenance(r, out, sources));
  for (const s of sections) L.push(...s.lacking);
  L.push('');
  for (const s of sections) L.push(...s.section);
  L.push('## Chart defaults: `charts/<chart>/<version>.defaults.json`');
  L.push('');
  L.push('For the same chart versions: the leaves of the parsed `values.yaml` defaults that are scalars other than');
  L.push('null and `""`, or non-empty lists, in their maps; a sub-chart\'s defaults (from the chart version the key');
  L.push('catalog merged) sit under its alias or name, overridden by what the parent\'s `values.yaml` sets for it, as');
  L.push('Helm merges them. A values layer of an environment restores these where it leaves out a key the');
  L.push('project-wide layer set (a null would delete the chart\'s default too); see `valuesDiff` in `src/merge.ts`.');
  L.push('');
  L.push('## CRD schemas: `crds/<group>/<Kind>.<version>.schema.json`');
  L.push('');
  L.push('The `openAPIV3Schema` of every served, non-deprecated version, with documentation keywords removed');
  L.push('(`description`, `example`, `examples`, `externalDocs`, `title`, `$comment`; property *names* are');
  L.push('kept) and everything else kept verbatim (`type`, `properties`, `required`, `items`, `enum`, `format`,');
  L.push('`pattern`, `default`, min/max, `anyOf`/`oneOf`/`allOf`, `additionalProperties`, `x-kubernetes-*`).');
  L.push('Keys are sorted; the JSON is minified. The library applies Kubernetes structural-schema semantics at');
  L.push('validation time (unknown fields rejected unless `x-kubernetes-preserve-unknown-fields`).');
  L.push('');
  L.push('| Output | Kind | Version | Source | Licence |');
  L.push('|---|---|---|---|---|');
  for (const c of crdResults) {
    const s = sources.get(c.source) || {};
    const from = s.repo ? `${s.repo} \`${s.sourcePath}\` @ \`${s.ref}\` (\`${s.commit}\`)` : `\`${c.source}\``;
    L.push(`| \`${rel(c.file)}\` (${c.bytes} bytes) | ${c.group}/${c.kind} | ${c.version}${c.storage ? ' (storage)' : ''} | ${from} | ${s.license || 'unknown'} |`);
  }
  const skipped = crdResults.filter((c) => c.skippedVersions.length > 0);
  if (skipped.length > 0) {
    L.push('');
    for (const c of skipped) L.push(`- ${c.group}/${c.kind}: not derived: ${c.skippedVersions.join(', ')}.`);
  }
  L.push('');
  L.push('Note: `crd-alertmanagerconfigs.yaml` contains an enum item `- =`, which the `yaml` package reads as the');
  L.push('string `"="` (correct YAML 1.2).');
  L.push('');
  return L.join('\n');
}

main();
