import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';

/**
 * A generated repository on disk, read once: every YAML and JSON file parsed,
 * with parse errors kept so the checks can report them.
 */

/** One YAML document or JSON file. */
export interface RepoDocument {
  /** Path relative to the repository root. */
  readonly file: string;
  /** 0-based index of the document in a multi-document YAML file. */
  readonly index: number;
  readonly value: unknown;
}

export interface ParseError {
  readonly file: string;
  readonly message: string;
}

export interface Repo {
  readonly root: string;
  /** Every file (relative paths), sorted. */
  readonly files: readonly string[];
  readonly documents: readonly RepoDocument[];
  readonly parseErrors: readonly ParseError[];
  /** Counts of parsed files per kind. */
  readonly counts: { readonly yaml: number; readonly json: number };
}

const SKIP_DIRS = new Set(['node_modules', '.git', 'coverage', 'dist', 'lib']);

export function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name)) walk(path.join(dir, entry.name));
      } else if (entry.isFile()) {
        out.push(path.relative(root, path.join(dir, entry.name)).split(path.sep).join('/'));
      }
    }
  };
  walk(root);
  return out.sort();
}

export function readRepo(root: string): Repo {
  const files = listFiles(root);
  const documents: RepoDocument[] = [];
  const parseErrors: ParseError[] = [];
  let yaml = 0;
  let json = 0;
  for (const file of files) {
    const full = path.join(root, file);
    if (/\.ya?ml$/.test(file)) {
      yaml++;
      const docs = YAML.parseAllDocuments(fs.readFileSync(full, 'utf-8'), { prettyErrors: true });
      const list = Array.isArray(docs) ? docs : [docs];
      list.forEach((doc, index) => {
        if (doc.errors.length > 0) {
          parseErrors.push({ file, message: doc.errors[0].message.split('\n')[0] });
        } else {
          documents.push({ file, index, value: doc.toJS({ maxAliasCount: 1000 }) });
        }
      });
    } else if (file.endsWith('.json')) {
      json++;
      try {
        documents.push({ file, index: 0, value: parseJson(fs.readFileSync(full, 'utf-8')) });
      } catch (e) {
        parseErrors.push({ file, message: (e as Error).message });
      }
    }
  }
  return { root, files, documents, parseErrors, counts: { yaml, json } };
}

/** JSON, allowing whole-line `//` comments (projen marks tsconfig files that way). */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    if (!/^\s*\/\//m.test(text)) throw e;
    return JSON.parse(text.split('\n').filter((l) => !/^\s*\/\//.test(l)).join('\n'));
  }
}

/** Kubernetes objects among the documents (an object with apiVersion and kind). */
export function kubeObjects(repo: Repo): Array<RepoDocument & { readonly value: Record<string, any> }> {
  return repo.documents.filter((d): d is RepoDocument & { value: Record<string, any> } => {
    const v = d.value as any;
    return v !== null && typeof v === 'object' && !Array.isArray(v) && typeof v.apiVersion === 'string' && typeof v.kind === 'string';
  });
}

/** Go template expressions of an ApplicationSet template that name a cluster (see src/render/argocd.ts). */
const CLUSTER_EXPRESSIONS = ['{{.cluster}}', '{{index .metadata.labels "obs-gitops.io/cluster"}}'];

/**
 * Every Argo CD Application the repository defines: the Application files,
 * and each ApplicationSet's template instantiated for every cluster its
 * generator lists (a list generator's elements, or the cluster names a
 * cluster generator selects by the `obs-gitops.io/cluster` label).
 */
export function argoApplications(repo: Repo): Array<RepoDocument & { readonly value: Record<string, any> }> {
  const out: Array<RepoDocument & { readonly value: Record<string, any> }> = [];
  for (const doc of kubeObjects(repo)) {
    if (!String(doc.value.apiVersion).startsWith('argoproj.io/')) continue;
    if (doc.value.kind === 'Application') out.push(doc);
    if (doc.value.kind !== 'ApplicationSet') continue;
    for (const params of generatorParams(doc.value)) {
      out.push({ ...doc, value: { apiVersion: doc.value.apiVersion, kind: 'Application', ...instantiate(doc.value.spec?.template ?? {}, params) } });
    }
  }
  return out;
}

function generatorParams(appSet: Record<string, any>): Array<Record<string, string>> {
  const out: Array<Record<string, string>> = [];
  for (const g of appSet.spec?.generators ?? []) {
    for (const e of g.list?.elements ?? []) out.push(Object.fromEntries(Object.entries(e).map(([k, v]) => [k, String(v)])));
    for (const m of g.clusters?.selector?.matchExpressions ?? []) {
      if (m.key === 'obs-gitops.io/cluster' && m.operator === 'In') for (const name of m.values ?? []) out.push({ cluster: String(name) });
    }
  }
  return out;
}

function instantiate(node: unknown, params: Record<string, string>): any {
  if (typeof node === 'string') {
    let s = node;
    for (const e of CLUSTER_EXPRESSIONS) s = s.split(e).join(params.cluster ?? e);
    return s.replace(/\{\{\.([A-Za-z]+)\}\}/g, (m, key) => params[key] ?? m);
  }
  if (Array.isArray(node)) return node.map((n) => instantiate(n, params));
  if (node && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, instantiate(v, params)]));
  return node;
}
