import { existsSync, mkdtempSync, readdirSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ObservabilityGitOpsProject } from '../src';
import { assertValidExpression, findExpressionProblem, substituteGrafanaVariables } from '../src/validation/expressions';

describe('expressions are parsed with the real grammars', () => {
  test.each([
    ['promql', 'sum by (service) (rate(http_requests_total{code=~"5.."}[5m])) / sum by (service) (rate(http_requests_total[5m]))'],
    ['promql', 'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[5m]))) > 0.5'],
    ['logql', 'sum by (namespace) (count_over_time({namespace="shop"} |= "error" [5m]))'],
    ['logql', '{namespace=~"shop|payments", container="api"} | json | level="error"'],
    ['traceql', '{ resource.service.name = "checkout" && status = error }'],
    ['traceql', '{ span.http.status_code >= 500 } | count() > 2'],
  ] as const)('%s parses: %s', (language, expression) => {
    expect(findExpressionProblem(language, expression)).toBeUndefined();
  });

  test.each([
    ['promql', 'sum(rate(http_requests_total[5m])', 1, 34],
    ['promql', 'rate(http_requests_total[5m]) by (service)', 1, 31],
    ['promql', 'nosuchfunction(up)', 1, 15],
    ['logql', '{namespace="shop"} |= ', 1, 23],
    ['traceql', '{ span.http.status_code >= }', 1, 28],
  ] as const)('%s fails with a position: %s', (language, expression, line, column) => {
    const problem = findExpressionProblem(language, expression);
    expect(problem).toBeDefined();
    expect({ line: problem!.line, column: problem!.column }).toEqual({ line, column });
  });

  test('multi-line expressions report line and column, and the error names where the expression is', () => {
    const expr = 'sum(\n  rate(http_requests_total[5m]\n)';
    expect(() => assertValidExpression('promql', expr, 'rules/golden-signals.yaml: alert HighErrorRate'))
      .toThrow(/rules\/golden-signals\.yaml: alert HighErrorRate: invalid PromQL at line 3, column 2/);
  });

  test('an empty expression is a problem', () => {
    expect(findExpressionProblem('promql', '  ')).toBeDefined();
  });

  test('Grafana variables are substituted so dashboard queries parse', () => {
    const q = 'sum by (pod) (rate(container_cpu_usage_seconds_total{namespace="$namespace", pod=~"${pod:regex}"}[$__rate_interval]))';
    expect(findExpressionProblem('promql', q)).toBeDefined();
    const s = substituteGrafanaVariables(q);
    expect(s).toContain('[5m]');
    expect(s).toContain('namespace="$namespace"');
    expect(findExpressionProblem('promql', s)).toBeUndefined();
    expect(findExpressionProblem('promql', substituteGrafanaVariables('topk($topk, up)'))).toBeUndefined();
  });
});

describe('expressions the user supplies are parsed at synth', () => {
  test('a broken expression in a custom rule fails the synth with the file, the rule and the position, before anything is written', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'obs-gitops-expr-'));
    expect(() => new ObservabilityGitOpsProject({
      name: 'x',
      defaultReleaseBranch: 'main',
      outdir,
      alerting: { customRules: [{ alert: 'QueueBacklog', expr: 'sum(rate(queue_depth[5m])', summary: 'Backlog' }] },
    })).toThrow(/alert-rules-custom\.yaml: group custom, alert QueueBacklog: invalid PromQL at line 1, column 26:\n {2}sum\(rate\(queue_depth\[5m\]\)\n {27}\^/);
    expect(existsSync(outdir) ? readdirSync(outdir) : []).toEqual([]);
  });
});
