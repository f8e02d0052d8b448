#!/usr/bin/env node
/**
 * Vendor the upstream Kubernetes OpenAPI v3 schemas of the supported minors into
 * reference/kubernetes/<minor>.json (maintainers only; the output is committed).
 *
 *   npx projen vendor-kube-schemas -- --specs DIR --specs-commit SHA [--enums DIR]
 *
 * --specs DIR: a folder with one sub-folder per minor (1.33/, 1.34/, ...), each holding the
 *   upstream `api/openapi-spec/v3` files of that release branch of kubernetes/kubernetes as
 *   `api/v1.json` and `apis/<group>/<version>.json`; kubernetes-sigs/kubectl-validate keeps
 *   exactly these (verbatim) in `pkg/openapiclient/builtins/`. --specs-commit names the commit
 *   of that checkout, for the provenance.
 * --enums DIR: the unpacked npm package kubernetes-models (its per-model .d.ts files carry
 *   the enum values the API server's Go validation accepts, as string-literal unions); the
 *   committed upstream specs carry none.
 *
 * What is kept: every object kind of every group/version the spec serves (lists, status and
 * review/subresource kinds left out), every definition they reach, with descriptions,
 * defaults and patch/list-map hints dropped, `allOf: [{$ref}]` wrappers collapsed to `$ref`
 * (refs are bare definition names) and keys sorted. Deterministic: re-running changes nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'reference', 'kubernetes');
/** The Kubernetes minors vendored (oldest first). */
const MINORS = ['1.33', '1.34', '1.35'];
/** Kinds that are not stored objects (subresources, reviews): never in a manifest. */
const NOT_OBJECTS = new Set([
  'Binding', 'Eviction', 'Scale', 'TokenRequest', 'TokenReview', 'SelfSubjectReview', 'LocalSubjectAccessReview',
  'SelfSubjectAccessReview', 'SelfSubjectRulesReview', 'SubjectAccessReview', 'Status', 'WatchEvent', 'DeleteOptions',
  'APIGroup', 'APIGroupList', 'APIResourceList', 'APIVersions',
]);
/** Schema keywords dropped: documentation and client hints the validation never uses. */
const DROP = new Set([
  'description', 'default', 'example', 'x-kubernetes-patch-strategy', 'x-kubernetes-patch-merge-key',
  'x-kubernetes-list-map-keys', 'x-kubernetes-list-type', 'x-kubernetes-map-type', 'x-kubernetes-group-version-kind',
  'x-kubernetes-unions', 'x-kubernetes-validations', 'x-kubernetes-action',
]);

function arg(name) {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}

const SPECS = arg('--specs');
const SPECS_COMMIT = arg('--specs-commit') ?? 'unknown';
const ENUMS = arg('--enums');
if (!SPECS) {
  console.error('usage: vendor-kube-schemas --specs DIR --specs-commit SHA [--enums DIR]');
  process.exit(2);
}

function sortKeys(v) {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])]));
  return v;
}

function files(dir) {
  const out = [];
  (function walk(d) {
    for (const f of fs.readdirSync(d).sort()) {
      const p = path.join(d, f);
      if (fs.statSync(p).isDirectory()) walk(p);
      else if (f.endsWith('.json')) out.push(p);
    }
  })(dir);
  return out;
}

const REF = '#/components/schemas/';

/** Compact one schema node: drop documentation, collapse single-ref allOf, bare ref names. */
function compact(node) {
  if (Array.isArray(node)) return node.map(compact);
  if (!node || typeof node !== 'object') return node;
  const out = {};
  for (const [k, v] of Object.entries(node)) {
    if (DROP.has(k)) continue;
    if (k === '$ref') out.$ref = v.startsWith(REF) ? v.slice(REF.length) : v;
    else if (k === 'properties' || k === 'patternProperties') out[k] = Object.fromEntries(Object.entries(v).map(([p, s]) => [p, compact(s)]));
    else out[k] = compact(v);
  }
  if (Array.isArray(out.allOf) && out.allOf.length === 1 && out.allOf[0].$ref && Object.keys(out.allOf[0]).length === 1) {
    const ref = out.allOf[0].$ref;
    delete out.allOf;
    if (Object.keys(out).length === 0) return { $ref: ref };
    out.allOf = [{ $ref: ref }];
  }
  return out;
}

/** Definition name -> { property -> enum values } from kubernetes-models' .d.ts files. */
function readEnums(dir) {
  const out = new Map();
  if (!dir) return out;
  const pascal = new Map(); // IoK8sApiCoreV1ServicePort -> file stem
  for (const f of fs.readdirSync(dir, { recursive: true }).map(String).sort()) {
    if (!f.endsWith('.js') || f.startsWith('_schemas') || f.includes('node_modules')) continue;
    const js = fs.readFileSync(path.join(dir, f), 'utf8');
    const m = /from"\.\.\/(?:\.\.\/)?_schemas\/([A-Za-z0-9]+)\.js"/.exec(js);
    const dts = path.join(dir, f.replace(/\.js$/, '.d.ts'));
    if (!m || !fs.existsSync(dts)) continue;
    const props = {};
    for (const pm of fs.readFileSync(dts, 'utf8').matchAll(/^ {4}"([A-Za-z0-9]+)"\??: (Array<)?((?:"[^"]*"(?: \| )?)+)>?;$/gm)) {
      props[pm[1]] = { array: pm[2] !== undefined, values: [...pm[3].matchAll(/"([^"]*)"/g)].map((x) => x[1]) };
    }
    if (Object.keys(props).length > 0) pascal.set(m[1], props);
  }
  return pascal;
}

function pascalName(def) {
  return def.split(/[.-]/).map((s) => s.charAt(0).toUpperCase() + s.slice(1)).join('');
}

const enumsByPascal = readEnums(ENUMS);
const enumsVersion = ENUMS ? JSON.parse(fs.readFileSync(path.join(ENUMS, 'package.json'), 'utf8')).version : undefined;
fs.mkdirSync(OUT, { recursive: true });
const summary = [];
for (const minor of MINORS) {
  const dir = path.join(SPECS, minor);
  const all = {};
  for (const f of files(dir)) Object.assign(all, JSON.parse(fs.readFileSync(f, 'utf8')).components?.schemas ?? {});
  const kinds = {};
  for (const [name, def] of Object.entries(all)) {
    for (const g of def['x-kubernetes-group-version-kind'] ?? []) {
      if (g.kind.endsWith('List') || NOT_OBJECTS.has(g.kind)) continue;
      if (!def.properties?.metadata) continue;
      const apiVersion = g.group ? `${g.group}/${g.version}` : g.version;
      (kinds[apiVersion] ??= {})[g.kind] = name;
    }
  }
  // Every definition the kinds reach.
  const definitions = {};
  const queue = Object.values(kinds).flatMap((m) => Object.values(m));
  while (queue.length > 0) {
    const name = queue.pop();
    if (definitions[name] || !all[name]) continue;
    definitions[name] = compact(all[name]);
    JSON.stringify(definitions[name], (k, v) => {
      if (k === '$ref' && typeof v === 'string') queue.push(v);
      return v;
    });
  }
  let enums = 0;
  for (const [name, def] of Object.entries(definitions)) {
    const props = enumsByPascal.get(pascalName(name));
    if (!props) continue;
    for (const [p, e] of Object.entries(props)) {
      const target = e.array ? def.properties?.[p]?.items : def.properties?.[p];
      if (!target || target.type !== 'string' || (e.array && def.properties[p].type !== 'array')) continue;
      target.enum = [...e.values].sort();
      enums++;
    }
  }
  const doc = sortKeys({ kubernetes: minor, kinds, definitions });
  const file = path.join(OUT, `${minor}.json`);
  fs.writeFileSync(file, `${JSON.stringify(doc)}\n`);
  const kindCount = Object.values(kinds).reduce((n, m) => n + Object.keys(m).length, 0);
  summary.push({ minor, kinds: kindCount, definitions: Object.keys(definitions).length, enums, bytes: fs.statSync(file).size });
}

fs.writeFileSync(path.join(OUT, 'PROVENANCE.md'), [
  '# Kubernetes core object schemas (upstream OpenAPI v3)',
  '',
  'One file per supported Kubernetes minor, `reference/kubernetes/<minor>.json`: the OpenAPI v3',
  'definitions that the Kubernetes project publishes in `api/openapi-spec/v3/` of',
  'kubernetes/kubernetes (licence Apache-2.0, © The Kubernetes Authors), as of the head of the',
  '`release-<minor>` branch. They were read from the verbatim copies that',
  'kubernetes-sigs/kubectl-validate (Apache-2.0) keeps in `pkg/openapiclient/builtins/<minor>/`',
  `(commit ${SPECS_COMMIT}; the three folders were last refreshed from the release branches`,
  'in its commit 9431c46daf3fdcbdcc480134767eafdd990f8fc5, 2025-12-23). Only data is vendored; none of',
  'kubectl-validate\'s code.',
  '',
  'Why these minors: 1.33, 1.34 and 1.35 are the newest three minors whose published schemas could be',
  'obtained here, the window of minors the Kubernetes project supports at a time. The npm package',
  '`kubernetes-models` 5.1.0 carries Kubernetes 1.36, but only as compiled validators (no schema',
  'data), and its validators accept unknown fields; `kubernetes-types` carries TypeScript types only.',
  'kubernetes/kubernetes itself is too large to fetch here.',
  '',
  'Kept: every object kind of every group/version the minor serves, alpha and beta included (lists,',
  'status and review kinds left out), and every definition they reach. Dropped: descriptions,',
  'defaults, patch and list-map hints. `allOf: [{$ref}]` wrappers are collapsed and references are',
  'bare definition names.',
  '',
  enumsVersion
    ? `Enums: the committed upstream specs carry none (the API server checks them in Go), so the enum values come from the npm package \`kubernetes-models\` ${enumsVersion} (MIT; its types list Kubernetes 1.36's "Possible enum values"), applied to the same definition and property in every minor. A value added in 1.36 is therefore accepted on older minors too, and the validator also accepts "" (an unset value the API server defaults).`
    : 'Enums: none.',
  '',
  'Regenerate with `npx projen vendor-kube-schemas -- --specs DIR --specs-commit SHA --enums DIR`',
  '(see scripts/vendor-kube-schemas.mjs), then `npx projen compile` rebuilds the validators.',
  '',
  '| minor | kinds | definitions | enum properties | bytes |',
  '| --- | --- | --- | --- | --- |',
  ...summary.map((s) => `| ${s.minor} | ${s.kinds} | ${s.definitions} | ${s.enums} | ${s.bytes} |`),
  '',
].join('\n'));
for (const s of summary) console.log(`vendor-kube-schemas: ${s.minor}: ${s.kinds} kinds, ${s.definitions} definitions, ${s.enums} enums, ${s.bytes} bytes`);
