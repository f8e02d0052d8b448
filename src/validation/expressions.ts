import type { Tree } from '@lezer/common';

/*
 * Every PromQL, LogQL and TraceQL expression the library writes or a user
 * supplies is parsed with the real grammars (the lezer grammars Prometheus'
 * and Grafana's own editors use) before anything is written.
 *
 * The grammars check syntax, and unknown function names are errors; they do
 * not check types (`rate(up)` parses).
 */

/** A query language the library parses. */
export type QueryLanguage = 'promql' | 'logql' | 'traceql';

/** A syntax error in an expression, with where it is. */
export interface ExpressionProblem {
  readonly language: QueryLanguage;
  readonly expression: string;
  /** 0-based offset of the first error. */
  readonly offset: number;
  /** 1-based line and column of the first error. */
  readonly line: number;
  readonly column: number;
  /** The line with a caret under the error. */
  readonly excerpt: string;
}

interface Parser { parse(input: string): Tree }

// Grammars load lazily: only what is used is paid for at synth.
const parsers: Partial<Record<QueryLanguage, Parser>> = {};
function parserFor(language: QueryLanguage): Parser {
  if (!parsers[language]) {
    switch (language) {
      case 'promql':
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, off the synth hot path
        parsers.promql = require('@prometheus-io/lezer-promql').parser;
        break;
      case 'logql':
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        parsers.logql = require('@grafana/lezer-logql').parser;
        break;
      case 'traceql':
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        parsers.traceql = require('@grafana/lezer-traceql').parser;
        break;
    }
  }
  return parsers[language]!;
}

/** The PromQL syntax tree of an expression (for rewriting ranges; syntax errors show as error nodes). */
export function promqlTree(expression: string): Tree {
  return parserFor('promql').parse(expression);
}

/**
 * Results by language and expression: the same rule is checked where it is
 * rendered as a PrometheusRule, a promtool file and a chart's rule file, so
 * each distinct expression is parsed once per process.
 */
const results: Record<QueryLanguage, Map<string, ExpressionProblem | null>> = { promql: new Map(), logql: new Map(), traceql: new Map() };

/**
 * PromQL shapes known to parse: expressions with their string literals
 * emptied (see `promqlShape`). Per-service rules differ from one service to
 * the next only inside label values, so 500 services share a few dozen shapes.
 */
const validPromqlShapes = new Set<string>();

/** The first syntax error of an expression, or undefined when it parses. */
export function findExpressionProblem(language: QueryLanguage, expression: string): ExpressionProblem | undefined {
  const known = results[language];
  let problem = known.get(expression);
  if (problem === undefined) {
    const shape = language === 'promql' ? promqlShape(expression) : undefined;
    if (shape !== undefined && validPromqlShapes.has(shape)) return undefined;
    problem = parseProblem(language, expression) ?? null;
    known.set(expression, problem);
    if (shape !== undefined && problem === null) validPromqlShapes.add(shape);
  }
  return problem ?? undefined;
}

/**
 * The expression with the text inside every string literal removed, or
 * undefined when that could change how it parses.
 *
 * The PromQL grammar's StringLiteral token is `"` (![\\\n"] | "\\" _)* `"`,
 * the same with `'`, or a backquoted raw string; nothing else in the grammar
 * looks inside it. Two expressions that differ only inside well-formed,
 * closed string literals therefore lex to the same tokens and parse alike,
 * so the parse of one answers for the other. Anything this scanner is not
 * sure of (a `#` comment, which may hold a lone quote; a newline in a quoted
 * string; an unclosed literal) makes it give up, and the expression is parsed
 * on its own.
 */
export function promqlShape(expression: string): string | undefined {
  if (expression.includes('#')) return undefined;
  let out = '';
  let from = 0;
  for (let i = 0; i < expression.length; i++) {
    const quote = expression[i];
    if (quote !== '"' && quote !== '\'' && quote !== '`') continue;
    let j = i + 1;
    for (; j < expression.length; j++) {
      const ch = expression[j];
      if (ch === quote) break;
      if (quote === '`') continue;
      if (ch === '\n') return undefined;
      if (ch === '\\') j++;
    }
    if (j >= expression.length) return undefined;
    out += expression.slice(from, i + 1);
    from = j;
    i = j;
  }
  return out + expression.slice(from);
}

/** The first syntax error of an expression, straight from the grammar (no cache). */
export function parseProblem(language: QueryLanguage, expression: string): ExpressionProblem | undefined {
  if (expression.trim() === '') {
    return problemAt(language, expression, 0);
  }
  const tree = parserFor(language).parse(expression);
  let offset: number | undefined;
  tree.iterate({
    enter: (node) => {
      if (offset !== undefined) return false;
      if (node.type.isError) {
        offset = node.from;
        return false;
      }
      return undefined;
    },
  });
  return offset === undefined ? undefined : problemAt(language, expression, offset);
}

/** The problem record of an error at `offset` (line, column and a caret excerpt). */
export function problemAt(language: QueryLanguage, expression: string, offset: number): ExpressionProblem {
  const before = expression.slice(0, offset);
  const line = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const column = offset - lineStart + 1;
  const lineEnd = expression.indexOf('\n', offset);
  const text = expression.slice(lineStart, lineEnd === -1 ? undefined : lineEnd);
  return { language, expression, offset, line, column, excerpt: `${text}\n${' '.repeat(column - 1)}^` };
}

/** Thrown when an expression does not parse; the message names the file, the rule or panel, and the position. */
export class ExpressionError extends Error {
  constructor(where: string, problem: ExpressionProblem) {
    const label = { promql: 'PromQL', logql: 'LogQL', traceql: 'TraceQL' }[problem.language];
    super(`${where}: invalid ${label} at line ${problem.line}, column ${problem.column}:\n${indent(problem.excerpt)}`);
    this.name = 'ExpressionError';
  }
}

/** Throw an `ExpressionError` naming `where` (e.g. `PrometheusRule x, alert HighErrorRate`) if the expression does not parse. */
export function assertValidExpression(language: QueryLanguage, expression: string, where: string): void {
  const problem = findExpressionProblem(language, expression);
  if (problem) throw new ExpressionError(where, problem);
}

/**
 * Replace Grafana template variables so a dashboard query parses as the
 * query Grafana will send: `$__rate_interval`, `$__interval`, `$__range` and
 * other variables in a range selector become a duration; `$var`, `${var}`,
 * `${var:fmt}` and `[[var]]` elsewhere stay inside label values, where they
 * are plain text, or become a placeholder name outside strings.
 */
export function substituteGrafanaVariables(query: string): string {
  // sticky: matches only at lastIndex (a global search from there would rescan the rest each time)
  const variable = /\$\{[^}]+\}|\$__[A-Za-z_]+|\$[A-Za-z_]\w*|\[\[[^\]]+\]\]/y;
  let out = '';
  let inString: string | undefined;
  for (let i = 0; i < query.length; i++) {
    const ch = query[i];
    if (inString) {
      out += ch;
      if (ch === '\\') {
        out += query[++i] ?? '';
      } else if (ch === inString) {
        inString = undefined;
      }
      continue;
    }
    if (ch === '"' || ch === '\'' || ch === '`') {
      inString = ch;
      out += ch;
      continue;
    }
    variable.lastIndex = i;
    const m = variable.exec(query);
    if (m) {
      // inside [...] (a range or subquery) a variable is a duration
      const open = out.lastIndexOf('[');
      const inRange = open > out.lastIndexOf(']');
      out += inRange ? '5m' : 'grafana_variable';
      i += m[0].length - 1;
      continue;
    }
    out += ch;
  }
  return out;
}

function indent(text: string): string {
  return text.split('\n').map((l) => `  ${l}`).join('\n');
}
