#!/usr/bin/env node
/**
 * Compile the validators of the vendored Kubernetes core-kind schemas (reference/kubernetes/<minor>.json)
 * into one standalone CommonJS module, lib/validation/kube-validators/index.js (one export per minor and
 * kind; a definition identical in several minors is compiled once), so validating rendered objects loads them instead of compiling ~600 definitions with ajv.
 *
 * Runs in the compile task after jsii wrote lib/ (it needs lib/validation/kube-schemas.js); the modules
 * module ships in the npm package with the rest of lib/. At run time it is used only if it was compiled
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
const code = standaloneKubeValidators();
fs.rmSync(OUT, { recursive: true, force: true });
fs.mkdirSync(OUT, { recursive: true });
fs.writeFileSync(path.join(OUT, 'index.js'), code);
console.log(`compile-kube-validators: ${(code.length / 1024).toFixed(0)} KiB in ${path.relative(ROOT, OUT)}/index.js (${Date.now() - started} ms)`);
