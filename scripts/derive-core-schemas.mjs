#!/usr/bin/env node
/**
 * Derive JSON schemas of the core Kubernetes kinds the generated repositories
 * contain (RBAC objects, ConfigMaps, Services, ...) into reference/kubernetes/,
 * so `obs-gitops validate` checks them like the CRDs: unknown fields rejected.
 *
 *   npx projen derive-core-schemas
 *
 * Source: the `kubernetes-types` package (TypeScript types generated from the
 * Kubernetes OpenAPI specification; its version is the Kubernetes minor it was
 * generated from), turned into JSON Schema by ts-json-schema-generator with
 * every type inlined, descriptions dropped and additional properties refused.
 * The output is deterministic; re-running it changes nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { createGenerator } from 'ts-json-schema-generator';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const TYPES = path.dirname(require.resolve('kubernetes-types/package.json'));
const VERSION = JSON.parse(fs.readFileSync(path.join(TYPES, 'package.json'), 'utf8')).version;
const OUT = path.join(ROOT, 'reference', 'kubernetes');

/** group dir ("core" for the core group), version, kind, the kubernetes-types module */
const KINDS = [
  ['rbac.authorization.k8s.io', 'v1', 'ClusterRole', 'rbac/v1.d.ts'],
  ['rbac.authorization.k8s.io', 'v1', 'ClusterRoleBinding', 'rbac/v1.d.ts'],
  ['rbac.authorization.k8s.io', 'v1', 'Role', 'rbac/v1.d.ts'],
  ['rbac.authorization.k8s.io', 'v1', 'RoleBinding', 'rbac/v1.d.ts'],
  ['core', 'v1', 'ConfigMap', 'core/v1.d.ts'],
  ['core', 'v1', 'Namespace', 'core/v1.d.ts'],
  ['core', 'v1', 'Secret', 'core/v1.d.ts'],
  ['core', 'v1', 'Service', 'core/v1.d.ts'],
  ['core', 'v1', 'ServiceAccount', 'core/v1.d.ts'],
];

function sortKeys(v) {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])]));
  return v;
}

const written = [];
for (const [group, version, kind, file] of KINDS) {
  const schema = createGenerator({
    path: path.join(TYPES, file), type: kind, expose: 'none', topRef: false,
    additionalProperties: false, skipTypeCheck: true, jsDoc: 'none',
  }).createSchema(kind);
  delete schema.$schema;
  const target = path.join(OUT, group, `${kind}.${version}.schema.json`);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, `${JSON.stringify(sortKeys(schema))}\n`);
  written.push(path.relative(ROOT, target));
}
fs.writeFileSync(path.join(OUT, 'PROVENANCE.md'), [
  '# Core Kubernetes object schemas',
  '',
  `Derived by \`scripts/derive-core-schemas.mjs\` from the npm package \`kubernetes-types\` ${VERSION}`,
  '(TypeScript types generated from the Kubernetes OpenAPI specification, Apache-2.0), with',
  'ts-json-schema-generator: every type inlined, descriptions dropped, additional properties refused.',
  'Regenerate with `npx projen derive-core-schemas`.',
  '',
  ...written.map((f) => `- \`${f}\``),
  '',
].join('\n'));
console.log(`derive-core-schemas: wrote ${written.length} schemas from kubernetes-types ${VERSION}`);
