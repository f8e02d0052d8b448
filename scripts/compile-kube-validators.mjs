#!/usr/bin/env node
/**
 * Compile the validators of the vendored Kubernetes core-kind schemas (reference/kubernetes/<minor>.json)
 * into standalone CommonJS modules, lib/validation/kube-validators/index.js (one export per minor and
 * kind; a definition identical in several minors is compiled once) and light.js (the kinds a synth
 * generates), so validating rendered objects loads them instead of compiling ~600 definitions with ajv.
 *
 * Runs in the compile task after jsii wrote lib/ (it needs lib/validation/kube-schemas.js); the modules
 * ship in the npm package with the rest of lib/. At run time a module is used only if it was compiled
 * from the schema texts it finds (see src/validation/kube-schemas.ts).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'lib', 'validation', 'kube-validators');
const require = createRequire(import.meta.url);
const { standaloneKubeValidators } = require(path.join(ROOT, 'lib', 'validation', 'kube-schemas.js'));

const started = Date.now();
const modules = standaloneKubeValidators();
fs.rmSync(OUT, { recursive: true, force: true });
fs.mkdirSync(OUT, { recursive: true });
const sizes = [];
for (const [file, code] of modules) {
  fs.writeFileSync(path.join(OUT, file), code);
  sizes.push(`${file} ${(code.length / 1024).toFixed(0)} KiB`);
}
console.log(`compile-kube-validators: ${sizes.join(', ')} in ${path.relative(ROOT, OUT)}/ (${Date.now() - started} ms)`);
