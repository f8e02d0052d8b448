#!/usr/bin/env node
// The `obs-gitops` command of a generated repository, run from this library's sources (ts-node),
// so tests run projen's real task runner on tasks that call it without packing the library first.
const path = require('path');
require(require.resolve('ts-node', { paths: [path.join(__dirname, '..', '..')] })).register({
  transpileOnly: true,
  project: path.join(__dirname, '..', 'tsconfig.json'),
});
require('../../src/validate/cli').main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
