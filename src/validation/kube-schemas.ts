import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type Ajv from 'ajv';
import type { Options as AjvOptions, ValidateFunction } from 'ajv';
import { SchemaProblem, describeSchemaErrors } from './crd-schema';
import { didYouMean } from './errors';
import { KUBE_FORMATS, KUBE_STANDALONE_REQUIRE } from './kube-runtime';

/*
 * Kubernetes core kinds (Deployments, Services, RBAC, webhooks, CRDs, ...) checked against the
 * upstream OpenAPI v3 schemas of every supported Kubernetes minor, vendored in
 * reference/kubernetes/<minor>.json (see its PROVENANCE.md and scripts/vendor-kube-schemas.mjs),
 * the way the API server's strict field validation sees a manifest:
 *
 *  - unknown fields are rejected (an object schema with `properties` and no
 *    `additionalProperties`), except under `x-kubernetes-preserve-unknown-fields: true` and in
 *    free-form objects (RawExtension, JSON: no properties);
 *  - required fields, types, int32/int64/date-time/byte formats and enums are checked (enum
 *    values from kubernetes-models' 1.36 types, see PROVENANCE.md, plus "", which the API server
 *    defaults);
 *  - list-map keys (duplicate container names, env names, ports) are NOT checked: the schemas
 *    drop `x-kubernetes-list-map-keys`, and only server-side apply rejects duplicates;
 *  - int-or-string accepts an integer or a string; resource.Quantity a number or a string of
 *    the real quantity grammar (QUANTITY in kube-runtime.ts);
 *  - a null field is the same as an absent one (Go's JSON decoding), so nulls are dropped first;
 *  - `status` is not checked (the API server ignores it on create);
 *  - metadata.name is checked for its kind (see nameRule), namespace, label and annotation keys
 *    and label values too.
 *
 * Internal module: not exported from src/index.ts (jsii never sees these types).
 */

/** reference/ at the package root: __dirname is lib/validation (compiled) or src/validation (ts-jest). */
const SCHEMAS_DIR = path.join(__dirname, '..', '..', 'reference', 'kubernetes');
/**
 * Validators compiled at build time by scripts/compile-kube-validators.mjs into
 * lib/validation/kube-validators/<minor>.js (ajv standalone code, one module per minor, one
 * export per kind). Absent under ts-jest (src/), where the schemas are compiled on use.
 */
const PRECOMPILED_DIR = path.join(__dirname, 'kube-validators');

interface MinorSchemas {
  readonly minor: string;
  readonly text: string;
  /** apiVersion -> kind -> definition name. */
  readonly kinds: Record<string, Record<string, string>>;
  readonly definitions: Record<string, any>;
}

let minorsCache: Map<string, MinorSchemas> | undefined;

function compareMinors(a: string, b: string): number {
  const [am, an] = a.split('.').map(Number);
  const [bm, bn] = b.split('.').map(Number);
  return am - bm || an - bn;
}

function minors(): Map<string, MinorSchemas> {
  if (minorsCache) return minorsCache;
  const map = new Map<string, MinorSchemas>();
  const names = fs.existsSync(SCHEMAS_DIR) ? fs.readdirSync(SCHEMAS_DIR).filter((f) => /^\d+\.\d+\.json$/.test(f)) : [];
  for (const f of names.map((n) => n.slice(0, -'.json'.length)).sort(compareMinors)) {
    const text = fs.readFileSync(path.join(SCHEMAS_DIR, `${f}.json`), 'utf8');
    const doc = JSON.parse(text);
    map.set(f, { minor: f, text, kinds: doc.kinds, definitions: doc.definitions });
  }
  minorsCache = map;
  return map;
}

/** The Kubernetes minors whose schemas are vendored, oldest first, e.g. ["1.33", "1.34", "1.35"]. */
export function supportedKubernetesMinors(): string[] {
  return [...minors().keys()];
}

function schemasOf(minor: string): MinorSchemas {
  const m = minors().get(minor);
  if (!m) throw new Error(`Kubernetes ${minor} is not a supported minor; supported: ${supportedKubernetesMinors().join(', ')}`);
  return m;
}

/** True when a supported minor (the given one, or any) serves apiVersion/kind and its schema is vendored. */
export function hasCoreSchema(apiVersion: string, kind: string, minor?: string): boolean {
  if (minor !== undefined) return schemasOf(minor).kinds[apiVersion]?.[kind] !== undefined;
  return servingMinors(apiVersion, kind).length > 0;
}

/** The supported minors that serve apiVersion/kind, oldest first. */
export function servingMinors(apiVersion: string, kind: string): string[] {
  return [...minors().values()].filter((m) => m.kinds[apiVersion]?.[kind] !== undefined).map((m) => m.minor);
}

/** True for an API group that Kubernetes itself serves (core, apps, batch, *.k8s.io, ...). */
export function isBuiltInApiVersion(apiVersion: string): boolean {
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  if (group === '' || group.endsWith('.k8s.io')) return true;
  return ['apps', 'autoscaling', 'batch', 'policy', 'extensions'].includes(group);
}

// ---------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

type NameRule = 'subdomain' | 'label' | 'dns1035' | 'path-segment';

/** The API server's name validation per kind (ValidateObjectMeta's nameFn); DNS-1123 subdomain for the rest. */
const NAME_RULES: Record<string, NameRule> = {
  'v1/Service': 'dns1035',
  'v1/Namespace': 'label',
  'rbac.authorization.k8s.io/Role': 'path-segment',
  'rbac.authorization.k8s.io/ClusterRole': 'path-segment',
  'rbac.authorization.k8s.io/RoleBinding': 'path-segment',
  'rbac.authorization.k8s.io/ClusterRoleBinding': 'path-segment',
};

function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : 'v1';
}

/** How metadata.name of this kind is validated. */
export function nameRule(apiVersion: string, kind: string): NameRule {
  return NAME_RULES[`${groupOf(apiVersion)}/${kind}`] ?? 'subdomain';
}

function nameProblem(rule: NameRule, name: string): string | undefined {
  switch (rule) {
    case 'label':
      return name.length <= 63 && DNS1123_LABEL.test(name) ? undefined
        : 'must be a DNS-1123 label (at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit)';
    case 'dns1035':
      return name.length <= 63 && DNS1035_LABEL.test(name) ? undefined
        : 'must be a DNS-1035 label (at most 63 lowercase letters, digits and "-", starting with a letter and ending with a letter or digit)';
    case 'path-segment':
      if (name === '.' || name === '..') return `may not be "${name}"`;
      return /[/%]/.test(name) ? 'may not contain "/" or "%"' : undefined;
    default:
      return name.length <= 253 && DNS1123_SUBDOMAIN.test(name) ? undefined
        : 'must be a DNS-1123 subdomain (at most 253 lowercase letters, digits, "-" and ".", starting and ending with a letter or digit)';
  }
}

function qualifiedNameProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))) {
    return `key "${key}": the prefix before "/" must be a DNS-1123 subdomain`;
  }
  if (name.length === 0 || name.length > 63 || !QUALIFIED_NAME.test(name)) {
    return `key "${key}" is not a valid qualified name (optional DNS prefix and "/", then at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit)`;
  }
  return undefined;
}

/** metadata checks the OpenAPI schema does not express (ValidateObjectMeta). */
function metadataProblems(obj: any): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  const meta = obj.metadata;
  if (meta === null || typeof meta !== 'object' || Array.isArray(meta)) return out; // reported by the schema
  const name = meta.name;
  if (name === undefined || name === null || name === '') {
    out.push({ path: '/metadata', message: "must have required property 'name'" });
  } else if (typeof name === 'string') {
    const rule = nameRule(obj.apiVersion, obj.kind);
    const p = nameProblem(rule, name);
    if (p) out.push({ path: '/metadata/name', message: `${p} (a ${obj.kind} name; got ${JSON.stringify(name)})` });
    if (obj.kind === 'CronJob' && name.length > 52) {
      out.push({ path: '/metadata/name', message: `must be at most 52 characters (a CronJob name; got ${name.length})` });
    }
    const spec = obj.spec ?? {};
    if (obj.kind === 'CustomResourceDefinition' && typeof spec.names?.plural === 'string' && typeof spec.group === 'string'
      && name !== `${spec.names.plural}.${spec.group}`) {
      out.push({ path: '/metadata/name', message: `must be spec.names.plural + "." + spec.group ("${spec.names.plural}.${spec.group}"; got ${JSON.stringify(name)})` });
    }
    if (obj.kind === 'APIService' && typeof spec.version === 'string' && typeof spec.group === 'string' && spec.group !== ''
      && name !== `${spec.version}.${spec.group}`) {
      out.push({ path: '/metadata/name', message: `must be spec.version + "." + spec.group ("${spec.version}.${spec.group}"; got ${JSON.stringify(name)})` });
    }
  }
  if (typeof meta.namespace === 'string' && (meta.namespace.length > 63 || !DNS1123_LABEL.test(meta.namespace))) {
    out.push({ path: '/metadata/namespace', message: `must be a DNS-1123 label (got ${JSON.stringify(meta.namespace)})` });
  }
  for (const field of ['labels', 'annotations']) {
    const map = meta[field];
    if (map === null || typeof map !== 'object' || Array.isArray(map)) continue;
    for (const [k, v] of Object.entries(map)) {
      const p = qualifiedNameProblem(k);
      if (p) out.push({ path: `/metadata/${field}`, message: p });
      if (field === 'labels' && typeof v === 'string' && (v.length > 63 || !LABEL_VALUE.test(v))) {
        out.push({ path: `/metadata/labels/${escapePointer(k)}`, message: `must be a valid label value (at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit; got ${JSON.stringify(v)})` });
      }
    }
  }
  return out;
}

function escapePointer(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

// ---------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------

/** A copy without null object members: the API server decodes `field: null` as an absent field. */
function withoutNulls(v: any): any {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (v === null || typeof v !== 'object') return v;
  const out: any = {};
  for (const [k, x] of Object.entries(v)) if (x !== null) out[k] = withoutNulls(x);
  return out;
}

/**
 * Validate a Kubernetes object (a plain object, as parsed from YAML) against the upstream
 * schema of its apiVersion and kind in Kubernetes `minor`. Returns an empty list when valid; an
 * apiVersion/kind that minor does not serve yields one problem naming what it serves instead.
 */
export function validateCoreObject(obj: any, minor: string): SchemaProblem[] {
  const schemas = schemasOf(minor);
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    return [{ path: '', message: 'must be an object (a Kubernetes resource)' }];
  }
  const { apiVersion, kind } = obj;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
    const problems: SchemaProblem[] = [];
    if (typeof apiVersion !== 'string') problems.push({ path: '/apiVersion', message: 'must be a string such as "apps/v1"' });
    if (typeof kind !== 'string') problems.push({ path: '/kind', message: 'must be a string such as "Deployment"' });
    return problems;
  }
  if (schemas.kinds[apiVersion]?.[kind] === undefined) {
    return [{ path: '/apiVersion', message: notServedMessage(apiVersion, kind, minor) }];
  }
  const validate = kindValidator(minor, apiVersion, kind);
  const data = withoutNulls(obj);
  const described = validate(data) ? [] : describeSchemaErrors(validate.errors ?? [], data);
  // A value of the wrong type is not also reported for its format ("must be a valid int32").
  const typeWrong = new Set(described.filter((p) => p.message.startsWith('must be ') && / \(got [a-z]+\)$/.test(p.message)).map((p) => p.path));
  const problems = described
    .filter((p) => !(typeWrong.has(p.path) && p.message.startsWith('must be a valid ')))
    .map((p) => withHint({ path: p.path, message: p.message.replace(/^must be ([a-z]+),([a-z]+) /, 'must be $1 or $2 ') }, schemas, schemas.kinds[apiVersion][kind]));
  return [...problems, ...metadataProblems(data)];
}

/** An unknown field's problem with the did-you-mean of the fields known at its path. */
function withHint(p: SchemaProblem, schemas: MinorSchemas, def: string): SchemaProblem {
  const m = /^unknown field "(.*)"$/.exec(p.message);
  if (!m) return p;
  const close = didYouMean(m[1], knownFields(schemas, def, p.path), 3);
  return close.length > 0 ? { ...p, message: `${p.message} (did you mean ${close.map((c) => `"${c}"`).join(' or ')}?)` } : p;
}

/** The fields the schema knows at a JSON pointer inside an object of definition `def`. */
function knownFields(schemas: MinorSchemas, def: string, pointer: string): string[] {
  const resolve = (n: any): any => {
    for (let i = 0; i < 20 && n; i++) {
      if (typeof n.$ref === 'string') n = schemas.definitions[n.$ref];
      else if (Array.isArray(n.allOf) && n.allOf.length === 1 && n.properties === undefined) n = n.allOf[0];
      else break;
    }
    return n;
  };
  let node = resolve(schemas.definitions[def]);
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!node) return [];
    if (node.properties?.[seg] !== undefined) node = node.properties[seg];
    else if (node.items !== undefined && /^\d+$/.test(seg)) node = node.items;
    else if (typeof node.additionalProperties === 'object') node = node.additionalProperties;
    else return [];
    node = resolve(node);
  }
  return Object.keys(node?.properties ?? {});
}

function notServedMessage(apiVersion: string, kind: string, minor: string): string {
  const here = Object.keys(schemasOf(minor).kinds).filter((v) => schemasOf(minor).kinds[v][kind] !== undefined).sort();
  const elsewhere = servingMinors(apiVersion, kind);
  const parts = [`${apiVersion} ${kind} is not served by Kubernetes ${minor}`];
  if (here.length > 0) parts.push(`${kind} is served there as ${here.join(', ')}`);
  if (elsewhere.length > 0) parts.push(`${apiVersion} ${kind} is served by Kubernetes ${elsewhere.join(', ')}`);
  return parts.join('; ');
}

/** One problem found on some of the supported minors. */
export interface MinorsProblem extends SchemaProblem {
  /** The minors with this problem, oldest first. */
  readonly minors: readonly string[];
}

/**
 * Validate on every supported minor; a problem found on several minors is reported once,
 * with the minors it was found on.
 */
export function validateCoreObjectOnSupportedMinors(obj: any): MinorsProblem[] {
  const byKey = new Map<string, { path: string; message: string; minors: string[] }>();
  for (const minor of supportedKubernetesMinors()) {
    for (const p of validateCoreObject(obj, minor)) {
      // "not served by Kubernetes 1.33" differs per minor: fold those by their first clause.
      const message = p.message.replace(/ is not served by Kubernetes \d+\.\d+(;.*)?$/, ' is not served');
      const key = `${p.path}\u0000${message}`;
      const entry = byKey.get(key) ?? { path: p.path, message, minors: [] };
      entry.minors.push(minor);
      byKey.set(key, entry);
    }
  }
  return [...byKey.values()].map((e) => e.message.endsWith(' is not served')
    ? { ...e, message: `${e.message} by Kubernetes ${e.minors.join(', ')}${servedHint(obj)}` }
    : e);
}

function servedHint(obj: any): string {
  const served = servingMinors(obj.apiVersion, obj.kind);
  if (served.length > 0) return ` (it is served by ${served.join(', ')})`;
  const elsewhere = new Set<string>();
  for (const m of minors().values()) for (const v of Object.keys(m.kinds)) if (m.kinds[v][obj.kind] !== undefined) elsewhere.add(v);
  return elsewhere.size > 0 ? ` (${obj.kind} is served as ${[...elsewhere].sort().join(', ')})` : '';
}

// ---------------------------------------------------------------------------
// Compilation
// ---------------------------------------------------------------------------

const validators = new Map<string, ValidateFunction>();
let ajvInstance: Ajv | undefined;
/** Loaded build-time modules by file name (null: absent or stale). */
const precompiled = new Map<string, Record<string, ValidateFunction> | null>();

/**
 * The kinds a synth generates itself (RBAC, Secrets, ConfigMaps, ...): their validators also go
 * into a small module of their own, so a synth loads ~100 KiB of code instead of the ~2.3 MiB
 * that every kind of every minor takes (PodSpec and everything around it).
 */
const LIGHT_KINDS = new Set([
  'v1 ConfigMap', 'v1 Namespace', 'v1 Secret', 'v1 Service', 'v1 ServiceAccount',
  'rbac.authorization.k8s.io/v1 ClusterRole', 'rbac.authorization.k8s.io/v1 ClusterRoleBinding',
  'rbac.authorization.k8s.io/v1 Role', 'rbac.authorization.k8s.io/v1 RoleBinding',
]);
/** The build-time modules: every kind, and the light kinds alone. */
const MODULE_ALL = 'index.js';
const MODULE_LIGHT = 'light.js';

/** The export name of a kind's validator: "<minor> <apiVersion> <kind>". */
function exportName(minor: string, apiVersion: string, kind: string): string {
  return `${minor} ${apiVersion} ${kind}`;
}

function kindValidator(minor: string, apiVersion: string, kind: string): ValidateFunction {
  const id = exportName(minor, apiVersion, kind);
  const cached = validators.get(id);
  if (cached) return cached;
  const module = precompiledModule(LIGHT_KINDS.has(`${apiVersion} ${kind}`) ? MODULE_LIGHT : MODULE_ALL);
  const validate = module?.[id] ?? compiledKind(minor, apiVersion, kind);
  validators.set(id, validate);
  return validate;
}

/** Hash of every vendored minor's schema text, in order. */
function schemasSha256(): string {
  const hash = createHash('sha256');
  for (const m of minors().values()) hash.update(`${m.minor}\n${m.text}\n`);
  return hash.digest('hex');
}

/** A build-time module, if there is one and it was compiled from these very schema texts. */
function precompiledModule(file: string): Record<string, ValidateFunction> | undefined {
  if (!precompiled.has(file)) {
    const full = path.join(PRECOMPILED_DIR, file);
    let module: Record<string, ValidateFunction> | null = null;
    if (fs.existsSync(full)) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- generated CommonJS module, loaded on first use
      const loaded = require(full);
      if (loaded.schemaSha256 === schemasSha256()) module = loaded;
    }
    precompiled.set(file, module);
  }
  return precompiled.get(file) ?? undefined;
}

/** Whether the validators were built at build time or are compiled at run time (for tests). */
export function kubeValidatorOrigin(): 'precompiled' | 'compiled at run time' {
  return precompiledModule(MODULE_ALL) && precompiledModule(MODULE_LIGHT) ? 'precompiled' : 'compiled at run time';
}

const SCHEMA_ID = 'kubernetes';

function compiledKind(minor: string, apiVersion: string, kind: string): ValidateFunction {
  if (!ajvInstance) {
    const merged = mergedSchema();
    ajvInstance = newAjv(false);
    ajvInstance.addSchema(merged.schema);
    mergedRefs = merged.refs;
  }
  const validate = ajvInstance.getSchema(mergedRefs!.get(exportName(minor, apiVersion, kind))!);
  if (!validate) throw new Error(`internal: no schema for ${apiVersion} ${kind} in Kubernetes ${minor}`);
  return validate;
}
let mergedRefs: Map<string, string> | undefined;

/**
 * Build time (scripts/compile-kube-validators.mjs): the standalone CommonJS modules by file name
 * under lib/validation/kube-validators/: `index.js` exports a validator per minor and kind (named
 * by exportName), `light.js` those of the kinds a synth generates; both export `schemaSha256`,
 * the hash of the schema texts they were compiled from. A definition identical in several minors
 * is compiled once. Deterministic.
 */
export function standaloneKubeValidators(): Map<string, string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- build-time only
  const standaloneCode: (ajv: Ajv, refs: Record<string, string>) => string = require('ajv/dist/standalone').default;
  const merged = mergedSchema();
  const out = new Map<string, string>();
  const light = new Map([...merged.refs].filter(([id]) => LIGHT_KINDS.has(id.slice(id.indexOf(' ') + 1))));
  for (const [file, refs] of [[MODULE_ALL, merged.refs], [MODULE_LIGHT, light]] as const) {
    const ajv = newAjv(true);
    ajv.addSchema(merged.schema);
    const code = standaloneCode(ajv, Object.fromEntries(refs));
    out.set(file, `${code}\nmodule.exports.schemaSha256 = ${JSON.stringify(schemasSha256())};\n`);
  }
  return out;
}

const QUANTITY_DEF = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
const INT_OR_STRING_DEF = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';

/**
 * Every minor's definitions as one JSON Schema for ajv. A definition is keyed
 * `<name>@<first minor of its version>`: a definition whose content, and the content of
 * everything it references, is the same in several minors appears (and is compiled) once.
 * Returns the schema and each kind's ref by export name.
 */
function mergedSchema(): { schema: any; refs: Map<string, string> } {
  const all = [...minors().values()];
  // Own content of each (minor, definition), with `status` of kinds not checked.
  const own = new Map<string, Map<string, any>>();
  for (const m of all) {
    const kindDefs = new Set(Object.values(m.kinds).flatMap((k) => Object.values(k)));
    const defs = new Map<string, any>();
    for (const [name, def] of Object.entries(m.definitions)) {
      let d = def;
      if (kindDefs.has(name) && d.properties?.status !== undefined) d = { ...d, properties: { ...d.properties, status: {} } };
      defs.set(name, d);
    }
    own.set(m.minor, defs);
  }
  const refsOf = (def: any): string[] => {
    const out: string[] = [];
    JSON.stringify(def, (k, v) => {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      return v;
    });
    return out;
  };
  // Partition refinement: same class = same own content and same classes referenced.
  let cls = new Map<string, number>(); // "minor name" -> class
  const text = new Map<string, string>();
  for (const m of all) for (const [name, def] of own.get(m.minor)!) text.set(`${m.minor} ${name}`, `${name}\u0000${JSON.stringify(def)}`);
  const assign = (keyOf: (id: string) => string) => {
    const ids = new Map<string, number>();
    const next = new Map<string, number>();
    for (const id of [...text.keys()].sort()) {
      const key = keyOf(id);
      if (!ids.has(key)) ids.set(key, ids.size);
      next.set(id, ids.get(key)!);
    }
    return { next, count: ids.size };
  };
  let { next, count } = assign((id) => text.get(id)!);
  cls = next;
  for (;;) {
    const r = assign((id) => {
      const [minor, name] = id.split(' ');
      return `${cls.get(id)}|${refsOf(own.get(minor)!.get(name)).map((ref) => cls.get(`${minor} ${ref}`)).join(',')}`;
    });
    cls = r.next;
    if (r.count === count) break;
    count = r.count;
  }
  // Name each class after its first minor.
  const firstMinor = new Map<number, string>();
  for (const m of all) for (const name of own.get(m.minor)!.keys()) if (!firstMinor.has(cls.get(`${m.minor} ${name}`)!)) firstMinor.set(cls.get(`${m.minor} ${name}`)!, m.minor);
  const keyOf = (minor: string, name: string) => `${name}@${firstMinor.get(cls.get(`${minor} ${name}`)!)}`;
  const defs: Record<string, any> = {};
  for (const m of all) {
    for (const [name, def] of own.get(m.minor)!) {
      const key = keyOf(m.minor, name);
      if (defs[key] !== undefined) continue;
      if (name === QUANTITY_DEF) defs[key] = { type: ['string', 'number'], format: 'quantity' };
      else if (name === INT_OR_STRING_DEF) defs[key] = { type: ['integer', 'string'] };
      else defs[key] = convert(def, (ref) => `${SCHEMA_ID}#/$defs/${keyOf(m.minor, ref)}`);
    }
  }
  const refs = new Map<string, string>();
  for (const m of all) {
    for (const apiVersion of Object.keys(m.kinds).sort()) {
      for (const kind of Object.keys(m.kinds[apiVersion]).sort()) {
        refs.set(exportName(m.minor, apiVersion, kind), `${SCHEMA_ID}#/$defs/${keyOf(m.minor, m.kinds[apiVersion][kind])}`);
      }
    }
  }
  return { schema: { $id: SCHEMA_ID, $defs: Object.fromEntries(Object.keys(defs).sort().map((k) => [k, defs[k]])) }, refs };
}

/** A vendored schema node as ajv JSON Schema; `ref` maps a definition name to its $ref. */
function convert(node: any, ref: (name: string) => string): any {
  if (Array.isArray(node)) return node.map((n) => convert(n, ref));
  if (node === null || typeof node !== 'object') return node;
  const out: any = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === '$ref') out.$ref = ref(String(v));
    else if (k === 'properties') out.properties = Object.fromEntries(Object.entries(v as object).map(([p, s]) => [p, convert(s, ref)]));
    else if (k === 'enum') out.enum = (v as string[]).includes('') ? v : ['', ...(v as string[])];
    else if (k === 'format' && v === 'int-or-string') continue;
    else out[k] = typeof v === 'object' ? convert(v, ref) : v;
  }
  if (out['x-kubernetes-int-or-string'] === true) {
    delete out.type;
    out.type = ['integer', 'string'];
  }
  const preserve = out['x-kubernetes-preserve-unknown-fields'] === true;
  if (out.properties !== undefined && out.additionalProperties === undefined && !preserve) out.additionalProperties = false;
  return out;
}

function newAjv(standalone: boolean): Ajv {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when a schema is compiled
  const { default: AjvClass, _ } = require('ajv') as typeof import('ajv');
  const options: AjvOptions = {
    allErrors: true,
    strict: false,
    logger: false,
    validateSchema: false,
    inlineRefs: false,
    code: {
      ...(standalone ? { source: true, formats: _`require(${KUBE_STANDALONE_REQUIRE}).KUBE_FORMATS` } : {}),
    },
  };
  const ajv = new AjvClass(options);
  for (const [name, format] of Object.entries(KUBE_FORMATS)) ajv.addFormat(name, format as any);
  return ajv;
}
