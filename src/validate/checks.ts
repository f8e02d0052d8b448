import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { Repo, argoApplications, kubeObjects } from './repo';
import { deepMerge } from '../merge';
import { findUnknownValuesKeys, hasKeyCatalog } from '../validation/chart-keys';
import { hasCrdSchema, validateAgainstCrd } from '../validation/crd-schema';
import { QueryLanguage, findExpressionProblem, substituteGrafanaVariables } from '../validation/expressions';

/** The outcome of one check. */
export interface CheckResult {
  /** Short name, e.g. "schemas". */
  readonly name: string;
  /** pass, fail, or not-run (a tool is missing: `detail` says which package provides it). */
  readonly status: 'pass' | 'fail' | 'not-run';
  /** One line: what was checked, or why not. */
  readonly summary: string;
  /** The problems, one per line (for fail). */
  readonly problems: readonly string[];
}

function result(name: string, problems: string[], summary: string): CheckResult {
  return { name, status: problems.length > 0 ? 'fail' : 'pass', summary, problems };
}

/** Every YAML and JSON file parses. */
export function checkParse(repo: Repo): CheckResult {
  return result('parse', repo.parseErrors.map((e) => `${e.file}: ${e.message}`),
    `${repo.counts.yaml} YAML and ${repo.counts.json} JSON files`);
}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Every Kubernetes object: custom resources against their CRD schema (Argo CD,
 * prometheus-operator, OpenTelemetry; unknown fields rejected), other objects
 * for a valid name.
 */
export function checkSchemas(repo: Repo): CheckResult {
  const problems: string[] = [];
  let crd = 0;
  let other = 0;
  for (const doc of kubeObjects(repo)) {
    const o = doc.value;
    if (o.apiVersion.startsWith('kustomize.config.k8s.io/')) continue;
    const where = `${doc.file}${doc.index > 0 ? `#${doc.index}` : ''}: ${o.kind} "${o.metadata?.name}"`;
    if (hasCrdSchema(o.apiVersion, o.kind)) {
      crd++;
      for (const p of validateAgainstCrd(o)) problems.push(`${where}: ${p.path || '/'}: ${p.message}`);
    } else if (o.apiVersion.match(/(argoproj\.io|monitoring\.coreos\.com|opentelemetry\.io)\//)) {
      crd++;
      problems.push(`${where}: ${o.apiVersion} ${o.kind} has no known schema (wrong apiVersion?)`);
    } else {
      other++;
      const name = o.metadata?.name;
      if (typeof name !== 'string' || name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) {
        problems.push(`${where}: metadata.name is not a DNS-1123 subdomain`);
      }
    }
  }
  return result('schemas', problems, `${crd} objects against their schemas (CRDs and core kinds), ${other} other objects by name`);
}

interface HelmSource { app: string; file: string; chart: string; version: string; valueFiles: string[]; ignoreMissing: boolean }

/** Helm sources of every Argo CD Application under argocd/. */
export function helmSources(repo: Repo): HelmSource[] {
  const out: HelmSource[] = [];
  for (const doc of argoApplications(repo)) {
    const o = doc.value;
    const sources: any[] = o.spec?.sources ?? (o.spec?.source ? [o.spec.source] : []);
    for (const s of sources) {
      if (!s?.chart) continue;
      out.push({
        app: String(o.metadata?.name),
        file: doc.file,
        chart: String(s.chart),
        version: String(s.targetRevision),
        valueFiles: (s.helm?.valueFiles ?? []).map(String),
        ignoreMissing: s.helm?.ignoreMissingValueFiles === true,
      });
    }
  }
  return out;
}

/**
 * Every `$values/…` file an Application names exists (the user-owned
 * `values/overrides/…` ones may be missing), and every values file's keys
 * are known to the pinned chart.
 */
export function checkHelmValues(repo: Repo): CheckResult {
  const problems: string[] = [];
  let checked = 0;
  let unchecked = 0;
  for (const src of helmSources(repo)) {
    for (const ref of src.valueFiles) {
      const m = /^\$values\/(.+)$/.exec(ref);
      if (!m) continue;
      const rel = m[1];
      const full = path.join(repo.root, rel);
      if (!fs.existsSync(full)) {
        if (!rel.startsWith('values/overrides/')) problems.push(`${src.file}: Application ${src.app} names ${ref}, which does not exist`);
        continue;
      }
      if (!hasKeyCatalog(src.chart, src.version)) {
        unchecked++;
        continue;
      }
      const doc = repo.documents.find((d) => d.file === rel);
      if (!doc) continue; // a parse error, reported by the parse check
      checked++;
      for (const u of findUnknownValuesKeys(src.chart, src.version, doc.value ?? {})) {
        const hint = u.suggestions.length > 0 ? ` (did you mean ${u.suggestions.map((s) => `"${s}"`).join(' or ')}?)` : '';
        problems.push(`${rel}: "${u.path}" is not a values key of chart ${src.chart} ${src.version}${hint}`);
      }
    }
  }
  const extra = unchecked > 0 ? `; ${unchecked} files of charts without a key catalog not checked` : '';
  return result('helm values', problems, `${checked} values files against their pinned charts' keys${extra}`);
}

/** Which API groups a part's Application provides CRDs for, by chart. */
const CRD_PROVIDERS: Record<string, string[]> = {
  'prometheus-operator-crds': ['monitoring.coreos.com'],
  'opentelemetry-operator': ['opentelemetry.io'],
  'argo-cd': ['argoproj.io'],
};

/**
 * Sync waves order CRDs before their users: an Application whose manifests
 * use a custom resource syncs in a later wave than the Application that
 * installs its CRD, on the same cluster.
 */
export function checkSyncWaves(repo: Repo): CheckResult {
  const problems: string[] = [];
  const apps = argoApplications(repo);
  const wave = (o: any) => Number(o.metadata?.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0);
  const providers: Array<{ group: string; wave: number; server: string; app: string }> = [];
  for (const a of apps) {
    for (const s of a.value.spec?.sources ?? [a.value.spec?.source]) {
      for (const group of CRD_PROVIDERS[s?.chart] ?? []) {
        providers.push({ group, wave: wave(a.value), server: a.value.spec?.destination?.server, app: a.value.metadata?.name });
      }
    }
  }
  let pairs = 0;
  for (const a of apps) {
    const paths: string[] = (a.value.spec?.sources ?? [a.value.spec?.source]).filter((s: any) => s?.path && !s.chart).map((s: any) => s.path);
    const groups = new Set<string>();
    for (const doc of kubeObjects(repo)) {
      if (!paths.some((p) => doc.file.startsWith(`${p}/`))) continue;
      groups.add(String(doc.value.apiVersion).split('/')[0]);
    }
    for (const group of groups) {
      for (const p of providers.filter((x) => x.group === group && x.server === a.value.spec?.destination?.server)) {
        pairs++;
        if (p.wave >= wave(a.value)) {
          problems.push(`${a.file}: Application ${a.value.metadata?.name} (wave ${wave(a.value)}) uses ${group} resources, ` +
            `but ${p.app} installs their CRDs in wave ${p.wave}: it must sync first`);
        }
      }
    }
  }
  return result('sync waves', problems, `${apps.length} Applications, ${pairs} CRD provider/user pairs in order`);
}

/** Every PromQL, LogQL and TraceQL expression in rules and dashboards parses. */
export function checkExpressions(repo: Repo): CheckResult {
  const problems: string[] = [];
  let count = 0;
  const check = (language: QueryLanguage, expr: unknown, where: string) => {
    if (typeof expr !== 'string') return;
    count++;
    const p = findExpressionProblem(language, language === 'traceql' ? expr : substituteGrafanaVariables(expr));
    if (p) problems.push(`${where}: invalid ${language} at line ${p.line}, column ${p.column}: ${p.excerpt.split('\n')[0]}`);
  };
  for (const doc of repo.documents) {
    const v: any = doc.value;
    if (!v || typeof v !== 'object') continue;
    // PrometheusRule resources and promtool rule files
    for (const { groups, where } of ruleGroupsIn(doc.file, v)) {
      for (const g of groups ?? []) {
        for (const r of g?.rules ?? []) check('promql', r?.expr, `${where}: group ${g.name}, ${r.alert ? `alert ${r.alert}` : `record ${r.record}`}`);
      }
    }
    // Grafana dashboards (a JSON model with panels)
    if (Array.isArray(v.panels) && doc.file.endsWith('.json')) {
      const panels: any[] = [];
      const collect = (ps: any[]) => ps.forEach((p) => { panels.push(p); if (Array.isArray(p.panels)) collect(p.panels); });
      collect(v.panels);
      for (const p of panels) {
        for (const t of p.targets ?? []) {
          const type = String(t.datasource?.type ?? p.datasource?.type ?? '');
          const where = `${doc.file}: panel "${p.title}" ${t.refId ?? ''}`.trim();
          if (type === 'loki') check('logql', t.expr, where);
          else if (type === 'tempo') check('traceql', t.query, where);
          else if (type === 'prometheus' || type === '') check('promql', t.expr, where);
        }
      }
    }
  }
  return result('expressions', problems, `${count} PromQL, LogQL and TraceQL expressions`);
}

/**
 * Rule groups in a document: a PrometheusRule, a promtool rule file, and in
 * Helm values the prometheus chart's rule files (`serverFiles`) and
 * kube-prometheus-stack's `additionalPrometheusRulesMap`.
 */
function ruleGroupsIn(file: string, v: any): Array<{ groups: any[] | undefined; where: string }> {
  if (v.kind === 'PrometheusRule') return [{ groups: v.spec?.groups, where: file }];
  if (Array.isArray(v.groups) && !v.kind) return [{ groups: v.groups, where: file }];
  const out: Array<{ groups: any[] | undefined; where: string }> = [];
  if (file.startsWith('values/')) {
    for (const name of ['alerting_rules.yml', 'recording_rules.yml']) {
      const groups = v.serverFiles?.[name]?.groups;
      if (Array.isArray(groups)) out.push({ groups, where: `${file}: serverFiles.${name}` });
    }
    for (const [key, entry] of Object.entries<any>(v.additionalPrometheusRulesMap ?? {})) {
      if (Array.isArray(entry?.groups)) out.push({ groups: entry.groups, where: `${file}: additionalPrometheusRulesMap.${key}` });
    }
  }
  return out;
}

/** A credential-looking key with a literal value: `password: hunter2`. */
const SECRET_KEY = /(^|_|-|\.)(password|passwd|secret|token|api_?key|apikey|api_url|routing_key|service_key|webhook_url|auth_password|private_key|access_key|secret_key)$/i;
/** `adminPassword` → `admin_password`; keys naming an existing Secret or a file are references. */
function isCredentialKey(key: string): boolean {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
  if (/(^|_)existing_/.test(words) || words.endsWith('_file')) return false;
  // The name of a Secret, not its content (elastic charts: elasticsearchCredentialSecret, elasticsearchCertificateSecret).
  if (/(^|_)(credentials?|certificates?|certs?|tls|ca)_secret(_name)?$/.test(words)) return false;
  return SECRET_KEY.test(words);
}

/** Values that reference a secret instead of holding one. */
const REFERENCE = /^(\$__env\{|\$\{|\{\{|\$[A-Z_]+$|\/)/;

/**
 * No secret in plain text: no Secret objects with data in Git, and no
 * credential-looking key with a literal value in any YAML or JSON file.
 */
export function checkSecrets(repo: Repo): CheckResult {
  const problems: string[] = [];
  for (const doc of repo.documents) {
    const v: any = doc.value;
    if (v && v.kind === 'Secret' && (v.data || v.stringData)) {
      problems.push(`${doc.file}: Secret "${v.metadata?.name}" carries data in Git; create it in the cluster (or use a sealed/external secret)`);
    }
    const walk = (node: unknown, at: string[]) => {
      if (Array.isArray(node)) {
        node.forEach((n, i) => walk(n, [...at, String(i)]));
      } else if (node && typeof node === 'object') {
        for (const [k, val] of Object.entries(node)) {
          if (typeof val === 'string' && isCredentialKey(k) && val.trim() !== '' && !REFERENCE.test(val)) {
            problems.push(`${doc.file}: ${[...at, k].join('.')} holds a literal credential; reference a Secret instead`);
          }
          walk(val, [...at, k]);
        }
      }
    };
    if (!doc.file.startsWith('.projen/') && doc.file !== 'package.json' && doc.file !== 'package-lock.json') walk(v, []);
  }
  return result('secrets', problems, 'no Secret data and no literal credentials in YAML and JSON files');
}

/** Run a tool, or say plainly that it is missing and which package provides it. */
function tool(name: string, command: string, pkg: string, args: string[][], cwd: string): CheckResult {
  if (args.length === 0) return { name, status: 'pass', summary: 'nothing to check', problems: [] };
  const probe = spawnSync(command, ['--version'], { encoding: 'utf-8' });
  if (probe.error) {
    return { name, status: 'not-run', summary: `NOT CHECKED: ${command} is not installed (Debian package ${pkg})`, problems: [] };
  }
  const problems: string[] = [];
  for (const a of args) {
    const r = spawnSync(command, a, { cwd, encoding: 'utf-8', maxBuffer: 64 * 1024 * 1024 });
    if (r.status !== 0) problems.push(`${command} ${a.join(' ')}:\n${`${r.stdout}${r.stderr}`.trim().split('\n').map((l) => `    ${l}`).join('\n')}`);
  }
  return result(name, problems, `${args.length} ${command} runs`);
}

/** `promtool check rules` and `promtool test rules` on tests/rules/. */
export function checkPromtool(repo: Repo): CheckResult[] {
  const rules = repo.files.filter((f) => /^tests\/rules\/.+\.rules\.ya?ml$/.test(f));
  const tests = repo.files.filter((f) => /^tests\/rules\/.+\.test\.ya?ml$/.test(f));
  return [
    tool('promtool check rules', 'promtool', 'prometheus', rules.length > 0 ? [['check', 'rules', ...rules]] : [], repo.root),
    tool('promtool test rules', 'promtool', 'prometheus', tests.length > 0 ? [['test', 'rules', ...tests]] : [], repo.root),
  ];
}

/**
 * `amtool check-config` on the Alertmanager configuration each Application
 * deploys: its values files merged in order, as Helm merges them (an
 * environment's layer may change only the receivers).
 */
export function checkAmtool(repo: Repo): CheckResult {
  const configs: Array<{ file: string; config: unknown }> = [];
  const seen = new Set<string>();
  for (const src of helmSources(repo)) {
    let merged: Record<string, unknown> = {};
    const files: string[] = [];
    for (const ref of src.valueFiles) {
      const rel = /^\$values\/(.+)$/.exec(ref)?.[1];
      const doc = rel === undefined ? undefined : repo.documents.find((d) => d.file === rel);
      const value = doc?.value;
      if (!value || typeof value !== 'object' || Array.isArray(value)) continue;
      merged = deepMerge(merged, value as Record<string, unknown>);
      if ((value as any).alertmanager?.config !== undefined) files.push(rel!);
    }
    const cfg = (merged as any).alertmanager?.config;
    if (files.length === 0 || !cfg || typeof cfg !== 'object') continue;
    const key = JSON.stringify(cfg);
    if (seen.has(key)) continue;
    seen.add(key);
    configs.push({ file: files.join(' + '), config: cfg });
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'obs-gitops-amtool-'));
  const version = amtoolVersion();
  const args = configs.map((c, i) => {
    const f = path.join(dir, `alertmanager-${i}.yaml`);
    fs.writeFileSync(f, YAML.stringify(forAmtool(c.config, version)));
    return ['check-config', f];
  });
  try {
    const r = tool('amtool check-config', 'amtool', 'prometheus-alertmanager', args, repo.root);
    const newer = configs.some((c) => ((c.config as any).receivers ?? []).some((rc: any) =>
      (rc.webhook_configs ?? []).some((w: any) => w.url_file) || rc.msteamsv2_configs));
    const skipped = version && version[0] === 0 && version[1] < 28 && newer
      ? `; amtool ${version.join('.')} does not know webhook url_file (0.26) and msteamsv2_configs (0.28): those fields were not checked`
      : '';
    const named = r.problems.map((p) => configs.reduce((text, c, i) => text.split(path.join(dir, `alertmanager-${i}.yaml`)).join(`${c.file} (alertmanager.config)`), p));
    return { ...r, problems: named, summary: `${r.summary}${skipped}` };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** `kubectl kustomize` on every kustomization. */
export function checkKustomize(repo: Repo): CheckResult {
  const dirs = repo.files.filter((f) => /(^|\/)kustomization\.ya?ml$/.test(f)).map((f) => path.dirname(f));
  return tool('kubectl kustomize', 'kubectl', 'kubectl (the Kubernetes apt repository)', dirs.map((d) => ['kustomize', d]), repo.root);
}

/** amtool's version as [major, minor], or undefined. */
function amtoolVersion(): [number, number] | undefined {
  const r = spawnSync('amtool', ['--version'], { encoding: 'utf-8' });
  const m = /version (\d+)\.(\d+)/.exec(`${r.stdout}${r.stderr}`);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/** Fields newer than an older amtool (Debian bookworm ships 0.25) replaced by what it knows. */
function forAmtool(config: unknown, version: [number, number] | undefined): unknown {
  if (!version || version[0] > 0 || version[1] >= 28) return config;
  const copy = JSON.parse(JSON.stringify(config));
  for (const r of copy.receivers ?? []) {
    if (version[1] < 26) {
      for (const w of r.webhook_configs ?? []) {
        if (w.url_file) { delete w.url_file; w.url = 'https://url-file.invalid/'; }
      }
    }
    delete r.msteamsv2_configs;
  }
  return copy;
}
