import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as YAML from 'yaml';
import { ObservabilityGitOpsProject, ObservabilityGitOpsProjectOptions } from '../src';
import { BASE, synthToDisk } from './util';
import { formatResults, validateRepo } from '../src/validate/run';

/** Synthesize a repo into a temp folder (kept, unlike Testing.synth) and return its path. */
function synthRepo(options: Partial<ObservabilityGitOpsProjectOptions> = {}): string {
  const outdir = mkdtempSync(join(tmpdir(), 'obs-gitops-validate-'));
  const project = new ObservabilityGitOpsProject({ ...BASE, outdir, gitRepoUrl: 'https://github.com/acme/obs.git', ...options } as ObservabilityGitOpsProjectOptions);
  synthToDisk(project);
  return outdir;
}

function edit(file: string, change: (doc: any) => void): void {
  const doc = YAML.parse(readFileSync(file, 'utf-8'));
  change(doc);
  writeFileSync(file, YAML.stringify(doc));
}

function statusOf(root: string, check: string) {
  const r = validateRepo(root).find((x) => x.name === check)!;
  return { status: r.status, problems: r.problems.join('\n') };
}

describe('obs-gitops validate', () => {
  test('a freshly generated repo passes every check', () => {
    const root = synthRepo();
    const results = validateRepo(root);
    const out = formatResults(results);
    expect(results.filter((r) => r.status === 'fail')).toEqual([]);
    expect(out).toMatch(/^ok {3}parse: \d+ YAML and \d+ JSON files$/m);
    expect(out).toMatch(/^ok {3}schemas: \d+ objects against their CRD schemas, [1-9]\d* core objects against Kubernetes 1\.\d+, 1\.\d+(, 1\.\d+)*, 0 other objects/m);
    expect(out).toMatch(/passed, 0 failed/);
  });

  test('a file that does not parse', () => {
    const root = synthRepo();
    writeFileSync(join(root, 'values/loki.yaml'), 'loki:\n  a: [1, 2\n');
    expect(statusOf(root, 'parse')).toMatchObject({ status: 'fail', problems: expect.stringContaining('values/loki.yaml') });
  });

  test('an unknown field in an Application', () => {
    const root = synthRepo();
    edit(join(root, 'argocd/apps/in-cluster/loki.yaml'), (d) => { d.spec.syncPolicy.automated.selfHael = true; });
    const s = statusOf(root, 'schemas');
    expect(s.status).toBe('fail');
    expect(s.problems).toMatch(/argocd\/apps\/in-cluster\/loki\.yaml: Application "in-cluster-loki": \/spec\/syncPolicy\/automated: unknown field "selfHael" \(did you mean "selfHeal"\?\)/);
  });

  test('an unknown Helm values key, also in a user override file', () => {
    const root = synthRepo();
    writeFileSync(join(root, 'values/overrides/loki.yaml'), 'singleBinary:\n  replicsa: 2\n');
    const s = statusOf(root, 'helm values');
    expect(s.status).toBe('fail');
    expect(s.problems).toMatch(/values\/overrides\/loki\.yaml: "singleBinary\.replicsa" is not a values key of chart loki 18\.11\.0 \(did you mean "replicas"\?\)/);
  });

  test('a $values file that does not exist', () => {
    const root = synthRepo();
    edit(join(root, 'argocd/apps/in-cluster/loki.yaml'), (d) => { d.spec.sources[0].helm.valueFiles[0] = '$values/values/lokii.yaml'; });
    expect(statusOf(root, 'helm values').problems).toMatch(/names \$values\/values\/lokii\.yaml, which does not exist/);
  });

  test('a CRD user synced before its CRDs', () => {
    const root = synthRepo();
    edit(join(root, 'argocd/apps/in-cluster/opentelemetry-resources.yaml'), (d) => { d.metadata.annotations['argocd.argoproj.io/sync-wave'] = '5'; });
    const s = statusOf(root, 'sync waves');
    expect(s.status).toBe('fail');
    expect(s.problems).toMatch(/in-cluster-opentelemetry-resources \(wave 5\) uses opentelemetry\.io resources, but in-cluster-opentelemetry-operator installs their CRDs in wave 10/);
  });

  test('a plaintext credential', () => {
    const root = synthRepo();
    edit(join(root, 'values/kube-prometheus-stack.yaml'), (d) => { d.grafana.adminPassword = 'hunter2'; });
    const s = statusOf(root, 'secrets');
    expect(s.status).toBe('fail');
    expect(s.problems).toMatch(/values\/kube-prometheus-stack\.yaml: grafana\.adminPassword holds a literal credential/);
  });

  test('a Secret with data in Git', () => {
    const root = synthRepo();
    writeFileSync(join(root, 'manifests/in-cluster/opentelemetry-resources/secret-x.yaml'),
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: x\ndata:\n  token: aGVsbG8=\n');
    expect(statusOf(root, 'secrets').problems).toMatch(/Secret "x" carries data in Git/);
  });

  test('a broken PromQL expression in a rule', () => {
    const root = synthRepo();
    writeFileSync(join(root, 'manifests/in-cluster/opentelemetry-resources/prometheusrule-broken.yaml'), YAML.stringify({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: 'broken' },
      spec: { groups: [{ name: 'g', rules: [{ alert: 'Broken', expr: 'sum(rate(x[5m])' }] }] },
    }));
    const s = statusOf(root, 'expressions');
    expect(s.status).toBe('fail');
    expect(s.problems).toMatch(/prometheusrule-broken\.yaml: group g, alert Broken: invalid promql at line 1, column 16/);
  });
});

describe('rules inside Helm values are checked too', () => {
  test('the standalone flavor: a broken expression in serverFiles', () => {
    const root = synthRepo({ metrics: { flavor: 'standalone' as any } });
    edit(join(root, 'values/prometheus.yaml'), (d) => { d.serverFiles['alerting_rules.yml'].groups[0].rules[0].expr = 'sum(up'; });
    const s = statusOf(root, 'expressions');
    expect(s.status).toBe('fail');
    expect(s.problems).toMatch(/values\/prometheus\.yaml: serverFiles\.alerting_rules\.yml: group [\w-]+, alert \w+: invalid promql/);
  });

  test('a user override: a broken expression in additionalPrometheusRulesMap', () => {
    const root = synthRepo();
    writeFileSync(join(root, 'values/overrides/kube-prometheus-stack.yaml'), YAML.stringify({
      additionalPrometheusRulesMap: { mine: { groups: [{ name: 'mine', rules: [{ alert: 'Mine', expr: 'rate(x[5m]' }] }] } },
    }));
    expect(statusOf(root, 'expressions').problems).toMatch(/additionalPrometheusRulesMap\.mine: group mine, alert Mine: invalid promql/);
  });

  test('an invalid Alertmanager configuration names the values file', () => {
    const root = synthRepo();
    edit(join(root, 'values/kube-prometheus-stack.yaml'), (d) => { d.alertmanager.config.route.receiver = 'nobody'; });
    const s = statusOf(root, 'amtool check-config');
    expect(s.status).toBe('fail');
    expect(s.problems).toMatch(/values\/kube-prometheus-stack\.yaml \(alertmanager\.config\)/);
    expect(s.problems).toMatch(/nobody/);
  });
});

describe('amtool and fields newer than it', () => {
  const summary = (root: string) => validateRepo(root).find((r) => r.name === 'amtool check-config')!;

  test('without such receivers the summary claims nothing', () => {
    const r = summary(synthRepo());
    expect(r.status).toBe('pass');
    expect(r.summary).not.toMatch(/not checked/);
  });

  test('a webhook receiver passes, and the summary says url_file was not checked by this amtool', () => {
    const r = summary(synthRepo({
      alerting: { receivers: [{ name: 'hook', type: 'webhook' as any, secretName: 'hook', secretKey: 'url' }], chatReceiver: 'hook' },
    }));
    expect(r.status).toBe('pass');
    expect(r.summary).toMatch(/amtool 0\.25 does not know webhook url_file \(0\.26\)/);
  });
});

describe('core Kubernetes objects are checked against their schemas too', () => {
  test('an unknown field in a ClusterRole fails, naming the path', () => {
    const root = synthRepo();
    const file = join(root, 'manifests/in-cluster/opentelemetry-resources/clusterrole-gateway-collector-tracing-k8s-attributes.yaml');
    edit(file, (d) => { d.rules[0].verb = ['get']; });
    const s = statusOf(root, 'schemas');
    expect(s.status).toBe('fail');
    expect(s.problems).toMatch(/ClusterRole "gateway-collector-tracing-k8s-attributes": \/rules\/0: unknown field "verb" \(did you mean "verbs"\?\)/);
  });

  test('a ClusterRoleBinding without its roleRef fails', () => {
    const root = synthRepo();
    const file = join(root, 'manifests/in-cluster/opentelemetry-resources/clusterrolebinding-gateway-collector-tracing-k8s-attributes.yaml');
    edit(file, (d) => { delete d.roleRef; });
    expect(statusOf(root, 'schemas').problems).toMatch(/ClusterRoleBinding "gateway-collector-tracing-k8s-attributes": \/: must have required property 'roleRef'/);
  });
});
