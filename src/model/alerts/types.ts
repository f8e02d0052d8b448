/**
 * The alert and recording rules model: what the rule packs, the per-service
 * rules, the SLOs and the user's own rules produce, before it is written as
 * PrometheusRule resources (kube-prometheus-stack), as the prometheus chart's
 * rule files (standalone flavor), and as promtool rule and test files.
 */

/** One Prometheus rule: an alert or a recording rule. */
export interface Rule {
  /** Alert name (for alerts). */
  readonly alert?: string;
  /** Recorded metric name (for recording rules). */
  readonly record?: string;
  /** PromQL expression (parsed at synth). */
  readonly expr: string;
  /** `for` duration (alerts). */
  readonly for?: string;
  /** Labels; alerts carry `severity`. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Annotations; alerts carry `summary`, `description` and `runbook_url`. */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** A promtool unit test (`tests:` entry of a promtool test file), as promtool reads it. */
export interface PromtoolTest {
  /** Evaluation interval of the input series, e.g. "1m". */
  readonly interval: string;
  readonly input_series: ReadonlyArray<{ readonly series: string; readonly values: string }>;
  readonly alert_rule_test?: ReadonlyArray<{
    readonly eval_time: string;
    readonly alertname: string;
    readonly exp_alerts: ReadonlyArray<{ readonly exp_labels?: Record<string, string>; readonly exp_annotations?: Record<string, string> }>;
  }>;
  readonly promql_expr_test?: ReadonlyArray<{
    readonly expr: string;
    readonly eval_time: string;
    readonly exp_samples: ReadonlyArray<{ readonly labels: string; readonly value: number }>;
  }>;
  /** Optional test name (promtool prints it on failure). */
  readonly name?: string;
}

/** A rule group with the tests that prove its alerts fire and stay quiet when they should. */
export interface RuleGroup {
  /** Group name, unique; also names the generated files (DNS-1123). */
  readonly name: string;
  /** Evaluation interval override. */
  readonly interval?: string;
  readonly rules: readonly Rule[];
  /** promtool tests of this group's rules: every alert must appear in at least one firing and one quiet case. */
  readonly tests: readonly PromtoolTest[];
  /**
   * The rules the tests load, when they test a subset of `rules`: one
   * service per rule shape (see shapes.ts); the others are relabelled copies.
   * Undefined: the tests load every rule.
   */
  readonly testedRules?: readonly Rule[];
  /**
   * Rules that stay together when the group is split over several
   * PrometheusRule objects (see shard.ts): the number of rules of each block,
   * in order, summing to `rules.length` (for example one block per service,
   * whose alerts read its recording rules).
   * @default - every rule is a block of its own
   */
  readonly blocks?: readonly number[];
}

/** A runbook page for an alert, written to docs/runbooks/<alert>.md. */
export interface Runbook {
  readonly alert: string;
  /** Markdown body: what it means, how to check, how to fix. */
  readonly markdown: string;
}
