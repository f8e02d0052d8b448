import { spawnSync } from 'child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as YAML from 'yaml';
import { MonitorKind, ObservabilityGitOpsProject, ObservabilityGitOpsProjectOptions, ReceiverType, SloKind } from '../src';
import { BASE, synthToDisk } from './util';
import { CheckResult } from '../src/validate/checks';
import { main } from '../src/validate/cli';
import { readPins } from '../src/validate/pins';
import { formatResults, validateRepo } from '../src/validate/run';

/*
 * `obs-gitops validate` on files broken on purpose: each check must fail with
 * a message that names the file and what is wrong (test/validate.test.ts
 * covers YAML parse, unknown Application field, override values key, missing
 * $values file, wave order, plaintext credential, Secret data, broken PromQL
 * in a PrometheusRule). One repo is synthesized once; each test breaks a copy.
 */

/** The full stack with one service (ServiceMonitor, SLOs), dashboards, rule tests and Alertmanager receivers. */
const OPTIONS: Partial<ObservabilityGitOpsProjectOptions> = {
  services: [{
    name: 'checkout',
    namespace: 'shop',
    port: 'http-metrics',
    monitor: MonitorKind.SERVICE_MONITOR,
    slos: [{ kind: SloKind.AVAILABILITY, objective: 99.9 }],
  }],
  alerting: {
    receivers: [
      { name: 'oncall', type: ReceiverType.PAGERDUTY, secretName: 'pagerduty', secretKey: 'routing-key' },
      { name: 'team-slack', type: ReceiverType.SLACK, secretName: 'chat-hooks', secretKey: 'slack-url' },
    ],
  },
};

const DASHBOARDS = 'manifests/in-cluster/dashboards';
const KPS_VALUES = 'values/kube-prometheus-stack.yaml';

let template: string;
const copies: string[] = [];

beforeAll(() => {
  template = mkdtempSync(join(tmpdir(), 'obs-gitops-broken-'));
  const project = new ObservabilityGitOpsProject({
    ...BASE, outdir: template, gitRepoUrl: 'https://github.com/acme/obs.git', ...OPTIONS,
  } as ObservabilityGitOpsProjectOptions);
  synthToDisk(project);
});

afterAll(() => {
  for (const dir of [template, ...copies]) rmSync(dir, { recursive: true, force: true });
});

/** A fresh copy of the clean repo to break. */
function freshRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'obs-gitops-broken-copy-'));
  cpSync(template, dir, { recursive: true });
  copies.push(dir);
  return dir;
}

function editYaml(root: string, file: string, change: (doc: any) => void): void {
  const full = join(root, file);
  const doc = YAML.parse(readFileSync(full, 'utf-8'));
  change(doc);
  writeFileSync(full, YAML.stringify(doc));
}

function editJson(root: string, file: string, change: (doc: any) => void): void {
  const full = join(root, file);
  const doc = JSON.parse(readFileSync(full, 'utf-8'));
  change(doc);
  writeFileSync(full, `${JSON.stringify(doc, null, 2)}\n`);
}

/** Every panel of a dashboard, rows' panels included. */
function panels(dashboard: any): any[] {
  const out: any[] = [];
  const walk = (ps: any[]) => ps.forEach((p) => { out.push(p); if (Array.isArray(p.panels)) walk(p.panels); });
  walk(dashboard.panels);
  return out;
}

/**
 * The problems of `check` as one string, after asserting that exactly the
 * checks `failing` (by default `check` alone) fail and every other one passes.
 */
function onlyFailure(root: string, check: string, failing: string[] = [check]): { result: CheckResult; problems: string } {
  const results = validateRepo(root);
  const failed = results.filter((r) => r.status !== 'pass').map((r) => r.name);
  const result = results.find((r) => r.name === check);
  if (!result || failed.join() !== failing.join()) {
    throw new Error(`expected exactly ${failing.map((f) => `"${f}"`).join(', ')} to fail, got: ${failed.join(', ') || 'none'}\n${formatResults(results)}`);
  }
  return { result, problems: result.problems.join('\n') };
}

test('the repo the tests break is clean', () => {
  const results = validateRepo(template);
  expect({ failing: results.filter((r) => r.status !== 'pass'), out: formatResults(results) }).toMatchObject({ failing: [] });
});

describe('dashboards', () => {
  test('a dashboard that is not valid JSON fails the parse check, naming the file', () => {
    const root = freshRepo();
    const file = `${DASHBOARDS}/Kubernetes/obs-nodes.json`;
    writeFileSync(join(root, file), readFileSync(join(root, file), 'utf-8').replace(/\}\s*$/, ',}'));
    const { problems } = onlyFailure(root, 'parse');
    expect(problems).toMatch(/^manifests\/in-cluster\/dashboards\/Kubernetes\/obs-nodes\.json: .*JSON/m);
  });

  test('a LogQL error in a dashboard query names the dashboard file, the panel and the position', () => {
    const root = freshRepo();
    const file = `${DASHBOARDS}/Observability/obs-logs.json`;
    editJson(root, file, (d) => {
      const panel = panels(d).find((p) => p.title === 'Error lines');
      expect(panel.targets[0].datasource.type).toBe('loki');
      panel.targets[0].expr = '{namespace=~"$namespace"} |~ (?i)error'; // the regex is not quoted
    });
    const { problems } = onlyFailure(root, 'expressions');
    expect(problems).toMatch(/^manifests\/in-cluster\/dashboards\/Observability\/obs-logs\.json: panel "Error lines" A: invalid logql at line 1, column \d+/m);
    expect(problems.split('\n')).toHaveLength(1);
  });

  test('a TraceQL error in a dashboard query names the dashboard file and the panel', () => {
    const root = freshRepo();
    const file = `${DASHBOARDS}/Observability/obs-traces.json`;
    editJson(root, file, (d) => {
      const panel = panels(d).find((p) => p.title === 'Slow traces');
      expect(panel.targets[0].datasource.type).toBe('tempo');
      panel.targets[0].query = '{ resource.service.name =~ "$service" && duration > }';
    });
    const { problems } = onlyFailure(root, 'expressions');
    expect(problems).toMatch(/^manifests\/in-cluster\/dashboards\/Observability\/obs-traces\.json: panel "Slow traces" A: invalid traceql at line 1, column \d+/m);
  });

  test('a configMapGenerator file that does not exist fails kubectl kustomize, naming the file', () => {
    const root = freshRepo();
    editYaml(root, `${DASHBOARDS}/kustomization.yaml`, (k) => { k.configMapGenerator[0].files.push('Kubernetes/obs-missing.json'); });
    const { problems } = onlyFailure(root, 'kubectl kustomize');
    expect(problems).toMatch(/^kubectl kustomize manifests\/in-cluster\/dashboards:\n/);
    expect(problems).toMatch(/Kubernetes\/obs-missing\.json/);
    expect(problems).toMatch(/no such file or directory/);
  });
});

describe('alert rules and their tests (promtool)', () => {
  test('a wrong expectation in a promtool test fails promtool test rules, naming the test and the alert', () => {
    const root = freshRepo();
    editYaml(root, 'tests/rules/nodes.test.yaml', (t) => {
      const test = t.tests.find((x: any) => x.alert_rule_test.some((a: any) => a.exp_alerts.length > 0));
      const expectation = test.alert_rule_test.find((a: any) => a.exp_alerts.length > 0);
      expectation.exp_alerts[0].exp_labels.severity = 'critical'; // the rule says warning
    });
    const { problems } = onlyFailure(root, 'promtool test rules');
    expect(problems).toMatch(/^promtool test rules tests\/rules\/[^\n]*nodes\.test\.yaml/);
    expect(problems).toMatch(/FAILED:/);
    expect(problems).toMatch(/name: NodeFilesystemRunningOut: just below the free-space threshold,/);
    expect(problems).toMatch(/alertname: NodeFilesystemRunningOut, time: 31m30s/);
    expect(problems).toMatch(/exp:[\s\S]*severity="critical"[\s\S]*got:[\s\S]*severity="warning"/);
  });

  // The tests load the rule files, so a rule file promtool rejects fails `promtool test rules` too.
  const RULE_CHECKS = ['promtool check rules', 'promtool test rules'];

  test('an unknown field in a rule fails promtool check rules, naming the file, the line and the field', () => {
    const root = freshRepo();
    editYaml(root, 'tests/rules/nodes.rules.yaml', (r) => { r.groups[0].rules[0].severity = 'warning'; }); // belongs under labels
    const { problems } = onlyFailure(root, 'promtool check rules', RULE_CHECKS);
    expect(problems).toMatch(/tests\/rules\/nodes\.rules\.yaml: yaml: unmarshal errors:\n\s+line \d+: field severity not found in type rulefmt\.RuleNode/);
  });

  test('a duplicate rule group fails promtool check rules', () => {
    const root = freshRepo();
    editYaml(root, 'tests/rules/nodes.rules.yaml', (r) => { r.groups.push(r.groups[0]); });
    const { problems } = onlyFailure(root, 'promtool check rules', RULE_CHECKS);
    expect(problems).toMatch(/tests\/rules\/nodes\.rules\.yaml: \d+:\d+: groupname: "nodes" is repeated in the same file/);
  });
});

describe('Alertmanager configuration (amtool)', () => {
  test('a route to a receiver that does not exist fails amtool check-config', () => {
    const root = freshRepo();
    editYaml(root, KPS_VALUES, (v) => {
      expect(v.alertmanager.config.receivers.map((r: any) => r.name)).toContain('oncall');
      v.alertmanager.config.route.routes.push({ receiver: 'on-call', matchers: ['severity="critical"'] });
    });
    const { problems } = onlyFailure(root, 'amtool check-config');
    expect(problems).toMatch(/^amtool check-config values\/kube-prometheus-stack\.yaml \(alertmanager\.config\):/);
    expect(problems).toMatch(/FAILED: undefined receiver "on-call" used in route/);
  });
});

describe('Kubernetes objects against their CRD schemas', () => {
  test('an unknown field in a ServiceMonitor', () => {
    const root = freshRepo();
    // Found by prefix: the file name may carry the service's namespace (servicemonitor-checkout[.shop].yaml).
    const dir = 'manifests/in-cluster/service-monitors';
    const file = `${dir}/${readdirSync(join(root, dir)).find((f) => f.startsWith('servicemonitor-checkout'))}`;
    editYaml(root, file, (m) => { m.spec.endpoints[0].intervall = '30s'; });
    const { problems } = onlyFailure(root, 'schemas');
    expect(problems).toBe(`${file}: ServiceMonitor "checkout": /spec/endpoints/0: unknown field "intervall" (did you mean "interval"?)`);
  });

  test('an unknown field in an OpenTelemetryCollector', () => {
    const root = freshRepo();
    const file = 'manifests/in-cluster/opentelemetry-resources/opentelemetrycollector-gateway.yaml';
    editYaml(root, file, (c) => { c.spec.replica = 2; });
    const { problems } = onlyFailure(root, 'schemas');
    expect(problems).toMatch(new RegExp(`^${file.replace(/\./g, '\\.')}: OpenTelemetryCollector "gateway": /spec: unknown field "replica" \\(did you mean "replicas"\\?\\)$`));
  });
});

describe('Helm values', () => {
  test('a key typo in a generated values file names the file, the key path, the pinned chart and a suggestion', () => {
    const root = freshRepo();
    editYaml(root, KPS_VALUES, (v) => {
      v.prometheus.prometheusSpec.retentoin = v.prometheus.prometheusSpec.retention;
      delete v.prometheus.prometheusSpec.retention;
    });
    const version = readPins(root)['kube-prometheus-stack'];
    const { problems } = onlyFailure(root, 'helm values');
    expect(problems).toBe(`${KPS_VALUES}: "prometheus.prometheusSpec.retentoin" is not a values key of chart kube-prometheus-stack ${version} (did you mean "retention"?)`);
  });
});

describe('a missing tool', () => {
  const TOOL_CHECKS = ['promtool check rules', 'promtool test rules', 'amtool check-config', 'kubectl kustomize'];

  /**
   * Run `script` (with `validateRepo`, `formatResults` and `main` of src/validate in scope) in a
   * child Node process whose PATH is an empty folder, so no tool is found. A child process, because
   * the tools are looked up in the real environment, which jest's sandboxed process.env does not change.
   */
  function withoutTools(script: string): { status: number | null; stdout: string; stderr: string } {
    const empty = mkdtempSync(join(tmpdir(), 'obs-gitops-empty-path-'));
    copies.push(empty);
    const src = join(__dirname, '..', 'src', 'validate');
    const prelude = `const { validateRepo, formatResults } = require(${JSON.stringify(join(src, 'run'))}); ` +
      `const { main } = require(${JSON.stringify(join(src, 'cli'))}); `;
    const r = spawnSync(process.execPath, ['-r', require.resolve('ts-node/register/transpile-only'), '-e', prelude + script], {
      cwd: join(__dirname, '..'),
      env: { ...process.env, PATH: empty },
      encoding: 'utf-8',
    });
    if (r.error) throw r.error;
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  test('each tool check says NOT CHECKED and how to install the tool on Debian/Ubuntu and macOS', () => {
    const child = withoutTools(`process.stdout.write(JSON.stringify(validateRepo(${JSON.stringify(template)})));`);
    expect(child).toMatchObject({ status: 0 });
    const results: CheckResult[] = JSON.parse(child.stdout);
    const byName = Object.fromEntries(results.map((r) => [r.name, r]));
    for (const name of TOOL_CHECKS) expect({ name, status: byName[name].status }).toEqual({ name, status: 'not-run' });
    expect(byName['promtool check rules'].summary).toBe('NOT CHECKED: promtool is not installed (Debian/Ubuntu: sudo apt-get install prometheus; macOS: brew install prometheus)');
    expect(byName['promtool test rules'].summary).toBe('NOT CHECKED: promtool is not installed (Debian/Ubuntu: sudo apt-get install prometheus; macOS: brew install prometheus)');
    expect(byName['amtool check-config'].summary).toBe('NOT CHECKED: amtool is not installed (Debian/Ubuntu: sudo apt-get install prometheus-alertmanager; macOS: brew install alertmanager)');
    expect(byName['kubectl kustomize'].summary).toMatch(/^NOT CHECKED: kubectl is not installed \(Debian\/Ubuntu: sudo apt-get install kubectl .*; macOS: brew install kubectl\)$/);
    // The in-process checks still run and pass.
    expect(results.filter((r) => !TOOL_CHECKS.includes(r.name)).map((r) => r.status)).toEqual(Array(7).fill('pass'));
    const out = formatResults(results);
    expect(out).toMatch(/^SKIP promtool test rules: NOT CHECKED: promtool is not installed \(Debian\/Ubuntu: sudo apt-get install prometheus; macOS: brew install prometheus\)$/m);
    expect(out).toMatch(/\n7 passed, 0 failed, 4 not run \(tool or chart missing\)$/);
  });

  test('the CLI exits 0 without --require-tools and 1 with it', () => {
    const plain = withoutTools(`main(['validate', ${JSON.stringify(template)}]).then((c) => { process.exitCode = c; });`);
    expect(plain.status).toBe(0);
    expect(plain.stdout).toMatch(/^SKIP amtool check-config: NOT CHECKED: amtool is not installed \(Debian\/Ubuntu: sudo apt-get install prometheus-alertmanager; macOS: brew install alertmanager\)$/m);
    // No Helm either: the render stage says so and how to get it.
    expect(plain.stdout).toMatch(/^SKIP render: NOT CHECKED: helm is not on PATH \(Debian\/Ubuntu: sudo snap install helm --classic .*; macOS: brew install helm; or pass --helm PATH\)$/m);
    expect(plain.stdout.trimEnd()).toMatch(/\n7 passed, 0 failed, 5 not run \(tool or chart missing\)$/);
    const strict = withoutTools(`main(['validate', ${JSON.stringify(template)}, '--require-tools']).then((c) => { process.exitCode = c; });`);
    expect(strict.status).toBe(1);
    expect(strict.stdout).toMatch(/^SKIP kubectl kustomize: NOT CHECKED: kubectl is not installed/m);
    // --require-tools names each missing tool once, with how to install it
    expect(strict.stdout).toMatch(/^FAIL --require-tools: promtool is missing\. Install it: Debian\/Ubuntu: sudo apt-get install prometheus; macOS: brew install prometheus$/m);
    expect(strict.stdout).toMatch(/^FAIL --require-tools: amtool is missing\. Install it: Debian\/Ubuntu: sudo apt-get install prometheus-alertmanager; macOS: brew install alertmanager$/m);
    expect(strict.stdout).toMatch(/^FAIL --require-tools: kubectl is missing\. Install it: .*brew install kubectl$/m);
    expect(strict.stdout).toMatch(/^FAIL --require-tools: helm is missing\. Install it: .*brew install helm$/m);
    expect(strict.stdout.match(/^FAIL --require-tools: promtool/gm)).toHaveLength(1);
  });
});

/** Run the CLI, capturing what it prints. */
async function runCli(argv: string[]): Promise<{ code: number; out: string }> {
  const chunks: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: any) => { chunks.push(String(chunk)); return true; });
  try {
    return { code: await main(argv), out: chunks.join('') };
  } finally {
    spy.mockRestore();
  }
}

describe('the CLI', () => {
  test('a clean repo: exit code 0, one line per check and a summary', async () => {
    const { code, out } = await runCli(['validate', template, '--no-render']);
    expect(code).toBe(0);
    const lines = out.trimEnd().split('\n');
    const checks = [
      'parse', 'schemas', 'helm values', 'sync waves', 'expressions', 'promtool check rules', 'promtool test rules',
      'amtool check-config', 'kubectl kustomize', 'secrets', 'repository URL',
    ];
    expect(lines).toHaveLength(checks.length + 1);
    checks.forEach((name, i) => expect(lines[i]).toMatch(new RegExp(`^ok {3}${name}: \\S`)));
    expect(lines[lines.length - 1]).toMatch(/^\d+ passed, 0 failed$/);
    expect(lines[lines.length - 1]).toBe(`${checks.length} passed, 0 failed`);
  });

  test('a broken repo: exit code 1, the problem printed under its check', async () => {
    const root = freshRepo();
    unlinkSync(join(root, `${DASHBOARDS}/Kubernetes/obs-nodes.json`));
    const { code, out } = await runCli(['validate', root, '--no-render']);
    expect(code).toBe(1);
    expect(out).toMatch(/^FAIL kubectl kustomize: /m);
    expect(out).toMatch(/^ {7}kubectl kustomize manifests\/in-cluster\/dashboards:$/m);
    expect(out.trimEnd()).toMatch(/\n\d+ passed, 1 failed$/);
  });

  test('a folder that does not exist: exit code 2', async () => {
    const chunks: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: any) => { chunks.push(String(chunk)); return true; });
    try {
      expect(await main(['validate', join(tmpdir(), 'obs-gitops-no-such-dir-x9')])).toBe(2);
    } finally {
      spy.mockRestore();
    }
    expect(chunks.join('')).toMatch(/is not a directory/);
  });
});
