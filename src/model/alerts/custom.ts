import { RuleGroup } from './types';
import { ResolvedOptions } from '../../options/resolve';

/** Name of the group holding the user's own alert rules. */
export const CUSTOM_GROUP = 'custom';

/**
 * The user's own alert rules (`alerting.customRules`), as one group. Their
 * expressions are parsed like every other rule; they carry no generated
 * promtool tests (the user owns what they mean).
 */
export function customRuleGroups(o: ResolvedOptions): RuleGroup[] {
  if (o.alerting.customRules.length === 0) return [];
  return [{
    name: CUSTOM_GROUP,
    rules: o.alerting.customRules.map((r) => ({
      alert: r.alert,
      expr: r.expr,
      for: o.alerting.forDurations[r.alert] ?? r.for,
      labels: { severity: r.severity },
      annotations: {
        summary: r.summary,
        description: r.description,
        ...(r.runbookUrl ? { runbook_url: r.runbookUrl } : {}),
      },
    })),
    tests: [],
  }];
}
