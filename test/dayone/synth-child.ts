/*
 * Run by the locale and kill tests in a child process (`node -r ts-node/register/transpile-only`):
 * synthesizes the project whose options are in the JSON file argv[3] into the folder argv[2], as
 * `npx projen` does (project.synth(), post-synth steps off: no npm install).
 */
import * as fs from 'fs';
import { ObservabilityGitOpsProject } from '../../src';

const [outdir, optionsFile] = process.argv.slice(2);
process.env.PROJEN_DISABLE_POST = 'true';
const options = JSON.parse(fs.readFileSync(optionsFile, 'utf-8'));
const project = new ObservabilityGitOpsProject({ ...options, outdir });
if (process.env.SYNTH_CHILD_READY) fs.writeFileSync(process.env.SYNTH_CHILD_READY, 'constructed'); // synth starts now
project.synth();
