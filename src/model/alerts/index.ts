import { customRuleGroups } from './custom';
import { packRuleGroups, packRunbooks } from './packs';
import { serviceRuleGroups, serviceRunbooks } from './services';
import { RuleGroup, Runbook } from './types';
import { ResolvedOptions } from '../../options/resolve';
import { InvalidOptionError } from '../../validation/errors';

/**
 * Every rule group of the stack: the packs, the per-service rules and SLOs,
 * and the user's own rules. Alert names are unique across all of them.
 */
export function allRuleGroups(o: ResolvedOptions): RuleGroup[] {
  if (!o.metrics.enabled) return [];
  const groups = [...packRuleGroups(o), ...serviceRuleGroups(o), ...customRuleGroups(o)];
  const owner = new Map<string, string>();
  for (const group of groups) {
    for (const rule of group.rules) {
      if (!rule.alert) continue;
      const first = owner.get(rule.alert);
      if (first !== undefined) {
        const option = group.name === 'custom' || first === 'custom' ? 'alerting.customRules' : 'services';
        throw new InvalidOptionError(option, rule.alert,
          `is a duplicate alert name: rule groups "${first}" and "${group.name}" both define it; alert names must be unique`);
      }
      owner.set(rule.alert, group.name);
    }
  }
  return groups;
}

/** Every runbook page. */
export function allRunbooks(o: ResolvedOptions): Runbook[] {
  if (!o.metrics.enabled) return [];
  return [...packRunbooks(o), ...serviceRunbooks(o)];
}
