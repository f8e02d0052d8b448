import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as YAML from 'yaml';
import { ObservabilityGitOpsProject, ObservabilityGitOpsProjectOptions, ServiceOptions, SloKind } from '../src';
import { BASE, synthToDisk } from './util';
import { readRepo } from '../src/validate/repo';
import { checkRuleShapes } from '../src/validate/rule-shapes';
import { validateRepo } from '../src/validate/run';
import { runParallel } from '../src/validate/run-parallel';

/*
 * Validate at scale (issue 13): services whose rules differ only in namespace
 * and name share one promtool test (a representative per rule shape), every
 * rule is still checked, validate proves from the files that the shapes
 * cover every service, promtool runs in parallel, and passing runs are not
 * repeated on unchanged files.
 */

const SLOS = [{ kind: SloKind.AVAILABILITY, objective: 99.9 }, { kind: SloKind.LATENCY, objective: 99, latencyThresholdSeconds: 0.5 }];

/** a-d: one shape; e: another p99 threshold (golden signals differ); f: another objective (SLOs differ). */
const SERVICES: ServiceOptions[] = [
  { name: 'a', namespace: 'shop', port: 'http', slos: SLOS },
  { name: 'b', namespace: 'shop', port: 'http', slos: SLOS },
  { name: 'c', namespace: 'pay', port: 'http', slos: SLOS },
  { name: 'd', namespace: 'pay', port: 'metrics', slos: SLOS },
  { name: 'e', namespace: 'shop', port: 'http', latencyThresholdSeconds: 0.5, slos: SLOS },
  { name: 'f', namespace: 'pay', port: 'http', slos: [{ ...SLOS[0], objective: 99.5 }, SLOS[1]] },
];

let template: string;
const dirs: string[] = [];

beforeAll(() => {
  template = mkdtempSync(join(tmpdir(), 'obs-gitops-scale-'));
  dirs.push(template);
  synthToDisk(new ObservabilityGitOpsProject({
    ...BASE, outdir: template, gitRepoUrl: 'https://github.com/acme/obs.git', services: SERVICES,
  } as ObservabilityGitOpsProjectOptions));
});

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function copy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'obs-gitops-scale-copy-'));
  cpSync(template, dir, { recursive: true });
  rmSync(join(dir, 'node_modules'), { recursive: true, force: true }); // no cache from the template's runs
  dirs.push(dir);
  return dir;
}

const read = (root: string, file: string) => YAML.parse(readFileSync(join(root, file), 'utf-8'));
const owners = (doc: any) => [...new Set(doc.groups[0].rules.map((r: any) => `${r.labels.namespace}/${r.labels.service}`))];

describe('one promtool test per rule shape', () => {
  test('the tests load one service per shape; every service stays in the rule files', () => {
    expect(read(template, 'tests/rules/golden-signals.test.yaml').rule_files).toEqual(['golden-signals.shapes.rules.yaml']);
    expect(read(template, 'tests/rules/service-slos.test.yaml').rule_files).toEqual(['service-slos.shapes.rules.yaml']);
    expect(owners(read(template, 'tests/rules/golden-signals.shapes.rules.yaml'))).toEqual(['shop/a', 'shop/e']);
    expect(owners(read(template, 'tests/rules/service-slos.shapes.rules.yaml'))).toEqual(['shop/a', 'pay/f']);
    expect(owners(read(template, 'tests/rules/golden-signals.rules.yaml'))).toEqual(['shop/a', 'shop/b', 'pay/c', 'pay/d', 'shop/e', 'pay/f']);
    // The packs have no per-service rules: their tests load their own file.
    expect(read(template, 'tests/rules/nodes.test.yaml').rule_files).toEqual(['nodes.rules.yaml']);
    expect(existsSync(join(template, 'tests/rules/nodes.shapes.rules.yaml'))).toBe(false);
  });

  test('validate passes, and says how many services each shape file covers', () => {
    const results = validateRepo(template, { cache: false });
    expect(results.filter((r) => r.status !== 'pass')).toEqual([]);
    const test = results.find((r) => r.name === 'promtool test rules')!;
    expect(test.summary).toContain('tests/rules/golden-signals.rules.yaml: 6 services in 2 rule shapes, tested through tests/rules/golden-signals.shapes.rules.yaml');
    expect(test.summary).toContain('tests/rules/service-slos.rules.yaml: 6 services in 2 rule shapes');
    // every rule file gets `promtool check rules`, the shape files included
    const ruleFiles = readdirSync(join(template, 'tests/rules')).filter((f) => f.endsWith('.rules.yaml'));
    expect(ruleFiles).toEqual(expect.arrayContaining(['golden-signals.rules.yaml', 'golden-signals.shapes.rules.yaml', 'service-slos.shapes.rules.yaml']));
    expect(results.find((r) => r.name === 'promtool check rules')!.summary).toBe(`${ruleFiles.length} rule files`);
  });

  test('a service whose deployed rules differ from every tested shape fails validate', () => {
    const root = copy();
    const file = join(root, 'tests/rules/golden-signals.rules.yaml');
    const doc = read(root, 'tests/rules/golden-signals.rules.yaml');
    const rule = doc.groups[0].rules.find((r: any) => r.alert === 'ServiceHighLatency' && r.labels.service === 'd');
    rule.expr = rule.expr.replace(/> 1$/, '> 2');
    writeFileSync(file, YAML.stringify(doc));
    const results = validateRepo(root, { cache: false });
    expect(results.filter((r) => r.status !== 'pass').map((r) => r.name)).toEqual(['promtool test rules']);
    expect(results.find((r) => r.name === 'promtool test rules')!.problems.join('\n')).toMatch(
      /^tests\/rules\/golden-signals\.rules\.yaml: the rules of pay\/d have a shape no tested service has/);
  });

  test('a tested rule that is not the deployed one fails validate', () => {
    const root = copy();
    const file = join(root, 'tests/rules/service-slos.shapes.rules.yaml');
    const doc = read(root, 'tests/rules/service-slos.shapes.rules.yaml');
    doc.groups[0].rules[0].expr = doc.groups[0].rules[0].expr.replace('rate(', 'irate(');
    writeFileSync(file, YAML.stringify(doc));
    const problems = checkRuleShapes(readRepo(root)).problems.join('\n');
    expect(problems).toMatch(/tests\/rules\/service-slos\.shapes\.rules\.yaml: the rules of shop\/a are not the same as in tests\/rules\/service-slos\.rules\.yaml/);
  });
});

describe('promtool runs: parallel, and not repeated on unchanged files', () => {
  test('a second run skips the files that passed; a changed file runs again and fails', () => {
    const root = copy();
    const inRules = readdirSync(join(root, 'tests/rules'));
    const ruleFiles = inRules.filter((f) => f.endsWith('.rules.yaml')).length;
    const testFiles = inRules.filter((f) => f.endsWith('.test.yaml')).length;
    expect(testFiles).toBeGreaterThanOrEqual(5);
    const first = validateRepo(root);
    expect(first.find((r) => r.name === 'promtool test rules')!.summary).toMatch(new RegExp(`^${testFiles} test files;`));
    expect(readdirSync(join(root, 'node_modules/.cache/obs-gitops-validate/promtool'))).toHaveLength(ruleFiles + testFiles);
    const second = validateRepo(root);
    expect(second.find((r) => r.name === 'promtool check rules')!.summary).toBe(`${ruleFiles} rule files (${ruleFiles} unchanged since a passing run, not run again)`);
    expect(second.find((r) => r.name === 'promtool test rules')!.summary)
      .toMatch(new RegExp(`^${testFiles} test files \\(${testFiles} unchanged since a passing run, not run again\\);`));
    // A wrong expectation: the file's hash changes, so promtool runs on it and fails.
    const file = join(root, 'tests/rules/nodes.test.yaml');
    const doc = read(root, 'tests/rules/nodes.test.yaml');
    const check = doc.tests.flatMap((t: any) => t.alert_rule_test).find((a: any) => a.exp_alerts.length > 0);
    check.exp_alerts[0].exp_labels.severity = 'critical';
    writeFileSync(file, YAML.stringify(doc));
    const third = validateRepo(root).find((r) => r.name === 'promtool test rules')!;
    expect(third.status).toBe('fail');
    expect(third.summary).toMatch(new RegExp(`^${testFiles} test files \\(${testFiles - 1} unchanged since a passing run, not run again\\);`));
    expect(third.problems.join('\n')).toMatch(/^promtool test rules tests\/rules\/nodes\.test\.yaml:/);
    // A failure is not remembered: it fails again.
    expect(validateRepo(root).find((r) => r.name === 'promtool test rules')!.status).toBe('fail');
  });

  test('runParallel keeps the order of the commands and reports a command that cannot start', () => {
    const results = runParallel([
      { command: 'sh', args: ['-c', 'sleep 0.3; echo first'], cwd: '/' },
      { command: 'sh', args: ['-c', 'echo second >&2; exit 3'], cwd: '/' },
      { command: 'no-such-command-obs-gitops', args: [], cwd: '/' },
      { command: 'sh', args: ['-c', 'echo fourth'], cwd: '/' },
    ], 2);
    const seen = results.map((r) => [r.status, r.stdout.trim(), r.stderr.trim()]);
    expect([seen[0], seen[1], seen[3]]).toEqual([[0, 'first', ''], [3, '', 'second'], [0, 'fourth', '']]);
    expect(results[2].status).not.toBe(0);
    expect(results[2].error).toBe('ENOENT');
  });
});
