#!/usr/bin/env node
/**
 * Compile the validators of the vendored CRD and core Kubernetes schemas (reference/crds,
 * reference/kubernetes) into standalone CommonJS modules under lib/validation/crd-validators/,
 * so a synth loads them instead of compiling the schemas with ajv (~0.5 s for the default stack).
 *
 * Runs as the last step of the compile task (after jsii wrote lib/), so the modules are always
 * built from the current schemas and lib/validation/crd-schema.js; they ship in the npm package
 * with the rest of lib/. At run time a module is used only if it was compiled from the schema
 * text it finds (see src/validation/crd-schema.ts).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'lib', 'validation', 'crd-validators');
const require = createRequire(import.meta.url);
const { standaloneCrdValidators } = require(path.join(ROOT, 'lib', 'validation', 'crd-schema.js'));

const modules = standaloneCrdValidators();
fs.rmSync(OUT, { recursive: true, force: true });
let bytes = 0;
for (const [rel, code] of modules) {
  const file = path.join(OUT, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, code);
  bytes += code.length;
}
console.log(`compile-crd-validators: ${modules.size} validators, ${(bytes / 1024).toFixed(0)} KiB in ${path.relative(ROOT, OUT)}/`);
