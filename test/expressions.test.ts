import { existsSync, mkdtempSync, readdirSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ObservabilityGitOpsProject } from '../src';
import { mulberry32 } from './util';
import { assertValidExpression, findExpressionProblem, parseProblem, promqlShape, substituteGrafanaVariables } from '../src/validation/expressions';

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

describe('PromQL expressions that differ only inside string literals share one parse', () => {
  const parses = (expr: string) => parseProblem('promql', expr) === undefined;

  test('the shape empties closed string literals and gives up where it cannot be sure', () => {
    expect(promqlShape('rate(x{service="svc-1", ns=\'a\\\'b\'}[5m]) > `raw"`')).toBe('rate(x{service="", ns=\'\'}[5m]) > ``');
    expect(promqlShape('up{a="x\ny"}')).toBeUndefined(); // a newline in a quoted string does not lex
    expect(promqlShape('up{a="x}')).toBeUndefined(); // unclosed
    expect(promqlShape('up # a comment with a "quote')).toBeUndefined();
    expect(promqlShape('up{a="\\\\"}')).toBe('up{a=""}'); // an escaped backslash, then the closing quote
  });

  test('an expression and its shape always get the same verdict from the grammar (random expressions)', () => {
    const random = mulberry32(4);
    const pieces = ['up', 'rate(', 'sum by (a) (', ')', '{', '}', 'a=', 'b!~', ',', '[5m]', ' ', 'x', '1', 'or', '/', 'offset 1m', '"', '\''];
    const inside = ['a', '\\\\', '\\"', '\\n', '\'', '"', '`', '}', ')', ' ', '\\'];
    const literal = () => {
      const quote = ['"', '\'', '`'][Math.floor(random() * 3)];
      let text = '';
      for (let k = Math.floor(random() * 5); k > 0; k--) text += inside[Math.floor(random() * inside.length)];
      return quote + text + quote;
    };
    const templates = ['rate(x{a=L, b!~L}[5m])', 'label_replace(up, L, L, L, L)', 'up{L=L}', '{L, a=~L}', 'count_values(L, up) or vector(1)'];
    let compared = 0;
    let valid = 0;
    for (let i = 0; i < 3000; i++) {
      let expr = '';
      if (i % 2) {
        const n = 1 + Math.floor(random() * 12);
        for (let k = 0; k < n; k++) expr += random() < 0.3 ? literal() : pieces[Math.floor(random() * pieces.length)];
      } else {
        // the shapes the library writes: literals as label values, quoted names, function arguments
        expr = templates[i % templates.length].replace(/L/g, literal);
      }
      const shape = promqlShape(expr);
      if (shape === undefined || shape === expr) continue;
      compared++;
      const verdict = parses(expr);
      if (verdict) valid++;
      expect({ expr, parses: parses(shape) }).toEqual({ expr, parses: verdict });
    }
    // enough of both verdicts that the comparison means something
    expect(compared).toBeGreaterThan(1000);
    expect(valid).toBeGreaterThan(100);
  });

  test('a broken expression is still reported at its own position after a valid one of the same shape', () => {
    expect(findExpressionProblem('promql', 'sum(rate(x{service="a"}[5m]))')).toBeUndefined();
    expect(findExpressionProblem('promql', 'sum(rate(x{service="b"}[5m]))')).toBeUndefined();
    const problem = findExpressionProblem('promql', 'sum(rate(x{service="c"}[5m])');
    expect(problem).toMatchObject({ line: 1, column: 29 });
  });
});

describe('expressions the user supplies are parsed at synth', () => {
  test('a broken expression in a custom rule fails the synth with the option, the position and a caret, before anything is written', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'obs-gitops-expr-'));
    expect(() => new ObservabilityGitOpsProject({
      name: 'x',
      defaultReleaseBranch: 'main',
      outdir,
      alerting: { customRules: [{ alert: 'QueueBacklog', expr: 'sum(rate(queue_depth[5m])', summary: 'Backlog' }] },
    })).toThrow(/^Invalid option "alerting\.customRules\[0\]\.expr": "sum\(rate\(queue_depth\[5m\]\)" is not valid PromQL \(line 1, column 26\):\n {4}sum\(rate\(queue_depth\[5m\]\)\n {29}\^$/);
    expect(existsSync(outdir) ? readdirSync(outdir) : []).toEqual([]);
  });
});
