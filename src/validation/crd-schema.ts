import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type Ajv from 'ajv';
import type { ErrorObject, Options as AjvOptions, ValidateFunction } from 'ajv';
import { CRD_FORMATS, STANDALONE_REQUIRE, goRegExp } from './crd-runtime';
import { didYouMean } from './errors';

/*
 * Kubernetes custom resources checked against the real CRD OpenAPI schemas vendored in
 * reference/crds/<group>/<Kind>.<version>.schema.json (see reference/PROVENANCE.md), with the
 * semantics the API server applies (structural schemas, pruning + strict field validation):
 *
 *  - an object schema with `properties` (or an object type) and neither `additionalProperties`
 *    nor `x-kubernetes-preserve-unknown-fields: true` rejects unknown fields;
 *  - `x-kubernetes-preserve-unknown-fields: true` allows anything not described;
 *  - `x-kubernetes-int-or-string: true` accepts an integer or a string;
 *  - `nullable: true` accepts null; other `x-kubernetes-*` keywords (list types, CEL rules) are
 *    not checked;
 *  - `metadata` (the CRDs only say `type: object`) is checked like ObjectMeta: name required and a
 *    DNS-1123 subdomain, namespace a DNS-1123 label, labels/annotations string maps.
 *
 * Internal module: not exported from src/index.ts (jsii never sees these types).
 */

/** One schema violation. */
export interface SchemaProblem {
  /** JSON pointer of the offending value, e.g. `/spec/syncPolicy/automated` ('' is the resource itself). */
  readonly path: string;
  /** What is wrong, without the path, e.g. `unknown field "selfHael" (did you mean "selfHeal"?)`. */
  readonly message: string;
}

/** A CRD version whose schema is vendored. */
export interface CrdKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** `group/version`, as in a resource's apiVersion. */
  readonly apiVersion: string;
}

/** reference/ at the package root: __dirname is lib/validation (compiled) or src/validation (ts-jest). */
const CRDS_DIR = path.join(__dirname, '..', '..', 'reference', 'crds');
/**
 * Validators compiled at build time by scripts/compile-crd-validators.mjs (part of the compile
 * task) into lib/validation/crd-validators/<group>/<Kind>.<version>.js, with ajv's standalone
 * code: loading one costs a few milliseconds where compiling its schema cost up to 0.7 s. Absent
 * under ts-jest (src/), where schemas are compiled on use.
 */
const PRECOMPILED_DIR = path.join(__dirname, 'crd-validators');

const DNS1123_LABEL = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
const DNS1123_SUBDOMAIN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
// Qualified name (label/annotation key): optional DNS subdomain prefix + "/" + name of at most 63 characters.
const QUALIFIED_NAME = '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$';
const LABEL_VALUE = '^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$';

/** ObjectMeta, loosely: what a manifest may set (read-only server fields are accepted too). */
const METADATA_SCHEMA = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 253, pattern: DNS1123_SUBDOMAIN },
    generateName: { type: 'string' },
    namespace: { type: 'string', minLength: 1, maxLength: 63, pattern: DNS1123_LABEL },
    labels: {
      type: 'object',
      propertyNames: { pattern: QUALIFIED_NAME, maxLength: 316 },
      additionalProperties: { type: 'string', maxLength: 63, pattern: LABEL_VALUE },
    },
    annotations: {
      type: 'object',
      propertyNames: { pattern: QUALIFIED_NAME, maxLength: 316 },
      additionalProperties: { type: 'string' },
    },
    finalizers: { type: 'array', items: { type: 'string' } },
    ownerReferences: { type: 'array', items: { type: 'object' } },
    uid: { type: 'string' },
    resourceVersion: { type: 'string' },
    generation: { type: 'integer' },
    creationTimestamp: { type: ['string', 'null'] },
    deletionTimestamp: { type: 'string' },
    deletionGracePeriodSeconds: { type: 'integer' },
    managedFields: { type: 'array' },
    selfLink: { type: 'string' },
  },
};

const FRIENDLY_PATTERN: Record<string, string> = {
  [DNS1123_SUBDOMAIN]: 'must be a DNS-1123 subdomain (lowercase letters, digits, "-" and ".", starting and ending with a letter or digit)',
  [DNS1123_LABEL]: 'must be a DNS-1123 label (lowercase letters, digits and "-", starting and ending with a letter or digit)',
  [LABEL_VALUE]: 'must be a valid label value (letters, digits, "-", "_" and ".", starting and ending with a letter or digit)',
};

/** A vendored schema: its kind, its file and the validator module compiled from it at build time. */
interface KindEntry {
  readonly crd: CrdKind;
  readonly file: string;
  /** Path of the precompiled validator, relative to PRECOMPILED_DIR. */
  readonly precompiled: string;
}

let kindsCache: Map<string, KindEntry> | undefined;
const validators = new Map<string, ValidateFunction>();
const precompiledIds = new Set<string>();
let ajvInstance: Ajv | undefined;

function kindId(apiVersion: string, kind: string): string {
  return `${apiVersion}|${kind}`;
}

function kinds(): Map<string, KindEntry> {
  if (kindsCache) return kindsCache;
  const map = new Map<string, KindEntry>();
  for (const root of [CRDS_DIR]) {
    if (!fs.existsSync(root)) continue;
    for (const group of fs.readdirSync(root).sort()) {
      const dir = path.join(root, group);
      if (!fs.statSync(dir).isDirectory()) continue;
      for (const f of fs.readdirSync(dir).sort()) {
        const m = /^([A-Za-z0-9]+)\.([a-z0-9]+)\.schema\.json$/.exec(f);
        if (!m) continue;
        const apiVersion = group === 'core' ? m[2] : `${group}/${m[2]}`;
        const crd: CrdKind = { group: group === 'core' ? '' : group, version: m[2], kind: m[1], apiVersion };
        map.set(kindId(crd.apiVersion, crd.kind), { crd, file: path.join(dir, f), precompiled: `${group}/${m[1]}.${m[2]}.js` });
      }
    }
  }
  kindsCache = map;
  return map;
}

/** The CRD kinds whose schemas are vendored, sorted by apiVersion and kind. */
export function knownCrdKinds(): CrdKind[] {
  return [...kinds().values()].map((k) => k.crd);
}

/** True when a schema is vendored for this apiVersion and kind. */
export function hasCrdSchema(apiVersion: string, kind: string): boolean {
  return kinds().has(kindId(apiVersion, kind));
}

/**
 * Validate a custom resource (a plain object, as it will be written to YAML) against the
 * vendored CRD schema selected by its apiVersion and kind. Returns an empty list when valid.
 * A resource of a kind that is not vendored yields one problem naming the known kinds.
 */
export function validateAgainstCrd(resource: any): SchemaProblem[] {
  if (resource === null || typeof resource !== 'object' || Array.isArray(resource)) {
    return [{ path: '', message: 'must be an object (a Kubernetes resource)' }];
  }
  const { apiVersion, kind } = resource;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
    const problems: SchemaProblem[] = [];
    if (typeof apiVersion !== 'string') problems.push({ path: '/apiVersion', message: 'must be a string such as "argoproj.io/v1alpha1"' });
    if (typeof kind !== 'string') problems.push({ path: '/kind', message: 'must be a string such as "Application"' });
    return problems;
  }
  const entry = kinds().get(kindId(apiVersion, kind));
  if (!entry) {
    const known = knownCrdKinds();
    const sameKind = known.filter((k) => k.kind === kind);
    const hint = sameKind.length > 0 ? ` (${kind} is vendored as ${sameKind.map((k) => k.apiVersion).join(', ')})` : '';
    return [{
      path: '',
      message: `no vendored CRD schema for ${apiVersion} ${kind}${hint}; known kinds: ${known.map((k) => `${k.apiVersion} ${k.kind}`).join(', ')}`,
    }];
  }
  const validate = compiledValidator(entry);
  if (validate(resource)) return [];
  return describeErrors(validate.errors ?? [], { root: resource });
}

/** The validator of a vendored kind (once): precompiled when its module is current, else compiled now. */
function compiledValidator(entry: KindEntry): ValidateFunction {
  const id = kindId(entry.crd.apiVersion, entry.crd.kind);
  const cached = validators.get(id);
  if (cached) return cached;
  const text = fs.readFileSync(entry.file, 'utf8');
  const loaded = precompiledValidator(entry, text);
  if (loaded) precompiledIds.add(id);
  const validate = loaded ?? compileSchema(getAjv(), text);
  validators.set(id, validate);
  return validate;
}

/**
 * The build-time validator of a kind, if there is one and it was compiled from this very schema
 * text (a schema edited after the build is compiled at run time instead).
 */
function precompiledValidator(entry: KindEntry, schemaText: string): ValidateFunction | undefined {
  const file = path.join(PRECOMPILED_DIR, entry.precompiled);
  if (!fs.existsSync(file)) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- generated CommonJS module, loaded on first use
  const validate = require(file);
  return validate.schemaSha256 === sha256(schemaText) ? validate : undefined;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The ajv schema of a vendored schema file's text, compiled with `ajv`. */
function compileSchema(ajv: Ajv, schemaText: string): ValidateFunction {
  const schema = shareRepeatedSubschemas(toAjvSchema(JSON.parse(schemaText), true));
  registerFormats(ajv, schema);
  return ajv.compile(schema);
}

/** Compile the validator for apiVersion/kind ahead of use (returns false when not vendored). */
export function warmUpCrdValidator(apiVersion: string, kind: string): boolean {
  const entry = kinds().get(kindId(apiVersion, kind));
  if (!entry) return false;
  compiledValidator(entry);
  return true;
}

/** Whether a kind's validator was built at build time or compiled at run time (for tests); undefined when not vendored. */
export function crdValidatorOrigin(apiVersion: string, kind: string): 'precompiled' | 'compiled at run time' | undefined {
  if (!warmUpCrdValidator(apiVersion, kind)) return undefined;
  return precompiledIds.has(kindId(apiVersion, kind)) ? 'precompiled' : 'compiled at run time';
}

/**
 * Build time (scripts/compile-crd-validators.mjs): every vendored kind's validator as a
 * standalone CommonJS module (ajv's standalone code, same options as at run time), keyed by its
 * path under lib/validation/crd-validators/. Each module exports the validate function, with
 * `schemaSha256`, the hash of the schema text it was compiled from. Deterministic: the same
 * schemas give the same text.
 */
export function standaloneCrdValidators(): Map<string, string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- build-time only
  const standaloneCode: (ajv: Ajv, validate: ValidateFunction) => string = require('ajv/dist/standalone').default;
  const out = new Map<string, string>();
  for (const entry of kinds().values()) {
    const text = fs.readFileSync(entry.file, 'utf8');
    const ajv = newAjv(true);
    const code = standaloneCode(ajv, compileSchema(ajv, text));
    out.set(entry.precompiled, `${code}\nmodule.exports.schemaSha256 = ${JSON.stringify(sha256(text))};\n`);
  }
  return out;
}

// ---------------------------------------------------------------------------
// Schema transformation (Kubernetes structural schema -> JSON Schema for ajv)
// ---------------------------------------------------------------------------

function toAjvSchema(node: any, isRoot: boolean): any {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return node;
  const out: any = {};
  for (const [k, v] of Object.entries(node)) {
    switch (k) {
      case 'properties':
      case 'patternProperties': {
        const m: any = {};
        for (const [name, sub] of Object.entries(v as object)) m[name] = toAjvSchema(sub, false);
        out[k] = m;
        break;
      }
      case 'items':
        out.items = Array.isArray(v) ? v.map((s) => toAjvSchema(s, false)) : toAjvSchema(v, false);
        break;
      case 'additionalProperties':
      case 'not':
        out[k] = typeof v === 'object' ? toAjvSchema(v, false) : v;
        break;
      case 'allOf':
      case 'anyOf':
      case 'oneOf':
        out[k] = (v as any[]).map((s) => toAjvSchema(s, false));
        break;
      default:
        out[k] = v;
    }
  }
  if (out['x-kubernetes-int-or-string'] === true) {
    delete out.type;
    delete out.anyOf;
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  if (out.nullable === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    delete out.nullable;
  }
  const preserve = out['x-kubernetes-preserve-unknown-fields'] === true;
  const isObject = out.type === 'object' || out.properties !== undefined;
  if (isObject && out.additionalProperties === undefined && out.patternProperties === undefined && !preserve) {
    out.additionalProperties = false;
  }
  if (isRoot) {
    out.properties = { ...(out.properties ?? {}), metadata: JSON.parse(JSON.stringify(METADATA_SCHEMA)) };
    out.required = [...new Set([...(out.required ?? []), 'apiVersion', 'kind', 'metadata'])];
    // `status` is written by controllers, not by manifests (the API server ignores it on create):
    // not checked, which also keeps compile time down (Application's status is most of its schema).
    if (out.properties.status !== undefined) out.properties.status = {};
  }
  return out;
}

/** Subschemas at least this long (serialised) that occur more than once are compiled once. */
const SHARE_MIN_LENGTH = 1500;

/**
 * Move repeated large subschemas (e.g. an Application source under `source`, `sources[]` and
 * `operation.sync`, or ApplicationSet's nested generators) into `$defs` and reference them, so
 * ajv compiles each once. Only schema positions are considered (property values, items,
 * additionalProperties), never direct anyOf/oneOf branches (error folding relies on them).
 */
function shareRepeatedSubschemas(root: any): any {
  const text = new Map<any, string>();
  const counts = new Map<string, number>();
  const serialise = (n: any): string => {
    if (n === null || typeof n !== 'object') return JSON.stringify(n) ?? 'null';
    const cached = text.get(n);
    if (cached !== undefined) return cached;
    const s = Array.isArray(n) ? `[${n.map(serialise).join(',')}]` : `{${Object.keys(n).map((k) => `${JSON.stringify(k)}:${serialise(n[k])}`).join(',')}}`;
    text.set(n, s);
    return s;
  };
  const forEachSchemaChild = (n: any, fn: (child: any, set: (v: any) => void) => void): void => {
    if (n === null || typeof n !== 'object' || Array.isArray(n)) return;
    for (const kw of ['properties', 'patternProperties']) {
      if (n[kw] && typeof n[kw] === 'object') for (const name of Object.keys(n[kw])) fn(n[kw][name], (v) => { n[kw][name] = v; });
    }
    if (n.items && typeof n.items === 'object' && !Array.isArray(n.items)) fn(n.items, (v) => { n.items = v; });
    if (n.additionalProperties && typeof n.additionalProperties === 'object') fn(n.additionalProperties, (v) => { n.additionalProperties = v; });
    for (const kw of ['allOf', 'anyOf', 'oneOf']) {
      if (Array.isArray(n[kw])) for (const b of n[kw]) forEachSchemaChild(b, fn);
    }
  };
  (function count(n: any): void {
    forEachSchemaChild(n, (child) => {
      const s = serialise(child);
      if (s.length >= SHARE_MIN_LENGTH) counts.set(s, (counts.get(s) ?? 0) + 1);
      count(child);
    });
  })(root);
  const defs: Record<string, any> = {};
  const names = new Map<string, string>();
  (function replace(n: any): void {
    forEachSchemaChild(n, (child, set) => {
      const s = serialise(child);
      if ((counts.get(s) ?? 0) < 2) {
        replace(child);
        return;
      }
      let name = names.get(s);
      if (name === undefined) {
        name = `s${names.size}`;
        names.set(s, name);
        defs[name] = child;
        replace(child);
      }
      set({ $ref: `#/$defs/${name}` });
    });
  })(root);
  if (names.size > 0) root.$defs = defs;
  return root;
}

// ---------------------------------------------------------------------------
// ajv set-up
// ---------------------------------------------------------------------------

function getAjv(): Ajv {
  ajvInstance ??= newAjv(false);
  return ajvInstance;
}

/** An ajv instance with the CRD options; `standalone` keeps the code for ajv/dist/standalone. */
function newAjv(standalone: boolean): Ajv {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when a schema is compiled
  const { default: AjvClass, _ } = require('ajv') as typeof import('ajv');
  const options: AjvOptions = {
    allErrors: true,
    strict: false, // x-kubernetes-* and other annotation keywords are ignored
    logger: false,
    // errors carry parentSchema (used for did-you-mean on unknown fields); schemaPath alone is
    // relative to a shared $defs subschema when the error is inside one
    verbose: true,
    validateSchema: false,
    unicodeRegExp: false,
    // Smaller generated code: compiling Application or OpenTelemetryCollector takes about half the time.
    code: {
      regExp: goRegExp,
      optimize: false,
      // standalone modules live in lib/validation/crd-validators/<group>/ and require ../../crd-runtime
      ...(standalone ? { source: true, formats: _`require(${STANDALONE_REQUIRE}).CRD_FORMATS` } : {}),
    },
  };
  const ajv = new AjvClass(options);
  for (const [name, format] of Object.entries(CRD_FORMATS)) ajv.addFormat(name, format);
  return ajv;
}

/** Register every other format a schema uses as "anything" (the API server checks only a few). */
function registerFormats(ajv: Ajv, schema: any): void {
  const seen = new Set<string>();
  (function walk(n: any): void {
    if (n === null || typeof n !== 'object') return;
    if (Array.isArray(n)) {
      n.forEach(walk);
      return;
    }
    if (typeof n.format === 'string') seen.add(n.format);
    for (const v of Object.values(n)) if (typeof v === 'object') walk(v);
  })(schema);
  for (const f of seen) {
    if (!ajv.formats[f]) ajv.addFormat(f, true);
  }
}


// ---------------------------------------------------------------------------
// Error messages
// ---------------------------------------------------------------------------

/** What error descriptions look up: the validated resource. */
interface ErrorContext {
  readonly root: unknown;
}

/** Value at a JSON pointer (instancePath; '' is the root); undefined when absent. */
function atPointer(root: unknown, pointer: string): any {
  let n: any = root;
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (n === null || typeof n !== 'object') return undefined;
    n = n[seg];
  }
  return n;
}

/** ajv errors (from a validator built with `verbose: true`) as problems, anyOf/oneOf branches folded. */
export function describeSchemaErrors(errors: ErrorObject[], root: unknown): SchemaProblem[] {
  return describeErrors(errors, { root });
}

function describeErrors(errors: ErrorObject[], ctx: ErrorContext): SchemaProblem[] {
  // Branch errors of a failed anyOf/oneOf are folded into one message for that anyOf/oneOf.
  const combinators = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  const inside = (b: ErrorObject, c: ErrorObject) =>
    b !== c && b.schemaPath.startsWith(c.schemaPath + '/') && (b.instancePath === c.instancePath || b.instancePath.startsWith(c.instancePath + '/'));
  const branchOf = (e: ErrorObject) => combinators.find((c) => inside(e, c));
  const problems: SchemaProblem[] = [];
  const seen = new Set<string>();
  const add = (p: SchemaProblem) => {
    const key = `${p.path}\u0000${p.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    problems.push(p);
  };
  for (const e of errors) {
    if (branchOf(e)) continue;
    if (e.keyword === 'propertyNames') continue; // reported by the nested pattern error
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf') {
      const branches = errors.filter((b) => inside(b, e) && !combinators.some((c) => c !== e && inside(c, e) && inside(b, c)));
      add({ path: e.instancePath, message: describeCombinator(e, branches, ctx) });
      continue;
    }
    add({ path: e.instancePath, message: describeError(e, ctx) });
  }
  return problems;
}

function describeCombinator(e: ErrorObject, branches: ErrorObject[], ctx: ErrorContext): string {
  const types = branches.filter((b) => b.keyword === 'type').map((b) => String(b.params.type));
  if (branches.length > 0 && types.length === branches.length) {
    return `must be ${[...new Set(types)].join(' or ')}${gotType(atPointer(ctx.root, e.instancePath))}`;
  }
  const messages = [...new Set(branches.map((b) => `${b.instancePath === e.instancePath ? '' : b.instancePath.slice(e.instancePath.length) + ' '}${describeError(b, ctx)}`))];
  const which = e.keyword === 'oneOf' ? 'exactly one' : 'at least one';
  return messages.length > 0 ? `must match ${which} of the allowed forms: ${messages.join('; ')}` : `must match ${which} of the allowed forms`;
}

function describeError(e: ErrorObject, ctx: ErrorContext): string {
  const data = () => atPointer(ctx.root, e.instancePath);
  switch (e.keyword) {
    case 'additionalProperties': {
      const field = String(e.params.additionalProperty);
      const known = Object.keys((e.parentSchema as any)?.properties ?? {});
      const close = didYouMean(field, known, 3);
      const hint = close.length > 0 ? ` (did you mean ${close.map((c) => `"${c}"`).join(' or ')}?)` : '';
      return `unknown field "${field}"${hint}`;
    }
    case 'required':
      return `must have required property '${String(e.params.missingProperty)}'`;
    case 'type':
      return `must be ${String(e.params.type)}${gotType(data())}`;
    case 'enum': {
      const allowed = (e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v));
      const list = allowed.length > 12 ? `${allowed.slice(0, 12).join(', ')}, ...` : allowed.join(', ');
      return `must be one of ${list} (got ${JSON.stringify(data())})`;
    }
    case 'pattern': {
      const friendly = FRIENDLY_PATTERN[String(e.params.pattern)];
      const what = e.propertyName !== undefined ? `key "${e.propertyName}" ` : '';
      if (e.params.pattern === QUALIFIED_NAME) return `key "${String(e.propertyName)}" is not a valid qualified name (optional DNS prefix and "/", then at most 63 letters, digits, "-", "_" or ".")`;
      const got = e.propertyName !== undefined ? '' : ` (got ${JSON.stringify(data())})`;
      return `${what}${friendly ?? `must match pattern "${String(e.params.pattern)}"`}${got}`;
    }
    case 'format':
      return `must be a valid ${String(e.params.format)} (got ${JSON.stringify(data())})`;
    default:
      return e.message ?? `fails ${e.keyword}`;
  }
}

function gotType(data: unknown): string {
  if (data === undefined) return '';
  const t = data === null ? 'null' : Array.isArray(data) ? 'array' : typeof data;
  return ` (got ${t})`;
}


