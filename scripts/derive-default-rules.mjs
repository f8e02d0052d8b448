#!/usr/bin/env node
/**
 * The default alert rules of a kube-prometheus-stack chart package, as the
 * chart lets values change them: every alert `defaultRules.disabled.<Alert>`
 * turns off, with the `for` and severity its template defaults to (and that
 * `customRules.<Alert>.for` / `.severity` override). Alerts whose template
 * has no such hook are listed with `for: null` / `severities: []`.
 *
 *   node scripts/derive-default-rules.mjs [chart.tgz]
 *
 * Reads test/fixtures/chart-packages/kube-prometheus-stack-<pin>.tgz by default
 * and writes reference/charts/kube-prometheus-stack/<version>.default-rules.json
 * (names and defaults only: no upstream text).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tgz = process.argv[2] ?? fs.readdirSync(path.join(ROOT, 'test/fixtures/chart-packages'))
  .filter((f) => /^kube-prometheus-stack-[\d.]+\.tgz$/.test(f)).map((f) => path.join(ROOT, 'test/fixtures/chart-packages', f)).sort().pop();
const version = /kube-prometheus-stack-([\d.]+)\.tgz$/.exec(tgz)[1];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kps-rules-'));
execFileSync('tar', ['xzf', tgz, '-C', dir]);
const rulesDir = path.join(dir, 'kube-prometheus-stack/templates/prometheus/rules-1.14');
const alerts = {};
for (const file of fs.readdirSync(rulesDir).sort()) {
  const text = fs.readFileSync(path.join(rulesDir, file), 'utf8');
  // One block per alert: from its `if not (.Values.defaultRules.disabled.X ...)` to the next.
  const blocks = text.split(/(?=\{\{- if not \(\.Values\.defaultRules\.disabled\.)/);
  for (const block of blocks) {
    const m = /^\{\{- if not \(\.Values\.defaultRules\.disabled\.([A-Za-z0-9]+) /.exec(block);
    if (!m || !/\n\s+- alert: /.test(block)) continue;
    const name = m[1];
    const forDefault = new RegExp(`dig "${name}" "for" "([^"]+)" \\.Values\\.customRules`).exec(block)?.[1] ?? null;
    const severity = new RegExp(`dig "${name}" "severity" "([^"]+)" \\.Values\\.customRules`).exec(block)?.[1];
    const entry = alerts[name] ?? { group: file.replace(/\.yaml$/, ''), for: forDefault, severities: [] };
    if (severity && !entry.severities.includes(severity)) entry.severities.push(severity);
    if (entry.for === null && forDefault !== null) entry.for = forDefault;
    alerts[name] = entry;
  }
}
fs.rmSync(dir, { recursive: true, force: true });
const sorted = Object.fromEntries(Object.keys(alerts).sort().map((k) => [k, { ...alerts[k], severities: alerts[k].severities.sort() }]));
const out = path.join(ROOT, 'reference/charts/kube-prometheus-stack', `${version}.default-rules.json`);
fs.writeFileSync(out, `${JSON.stringify({ chart: 'kube-prometheus-stack', version, alerts: sorted }, null, 2)}\n`);
console.log(`derive-default-rules: ${Object.keys(sorted).length} alerts of kube-prometheus-stack ${version} -> ${path.relative(ROOT, out)}`);
