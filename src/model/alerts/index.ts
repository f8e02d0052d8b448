import { customRuleGroups } from './custom';
import { checkRuleIntervals } from './interval-checks';
import { packRuleGroups, packRunbooks } from './packs';
import { checkAlertOverrides } from './render';
import { checkRuleOverrides } from './rule-overrides';
import { serviceRuleGroups, serviceRunbooks } from './services';
import { RuleGroup, Runbook } from './types';
import { ResolvedOptions } from '../../options/resolve';
import { InvalidOptionError } from '../../validation/errors';

/**
 * Every rule group of the stack: the packs, the per-service rules and SLOs,
 * and the user's own rules. An alert name belongs to one group.
 */
export function allRuleGroups(o: ResolvedOptions): RuleGroup[] {
  // The part, its manifests, the promtool files and the service pages all ask:
  // build once per options object.
  let groups = groupsCache.get(o);
  if (!groups) {
    groups = buildRuleGroups(o);
    groupsCache.set(o, groups);
  }
  return groups;
}

const groupsCache = new WeakMap<ResolvedOptions, RuleGroup[]>();

function buildRuleGroups(o: ResolvedOptions): RuleGroup[] {
  if (!o.metrics.enabled) return [];
  checkRuleOverrides(o); // before the groups apply them: errors name alerting.ruleOverrides[i]
  const groups = [...packRuleGroups(o), ...serviceRuleGroups(o), ...customRuleGroups(o)];
  const owner = new Map<string, string>();
  for (const group of groups) {
    for (const rule of group.rules) {
      if (!rule.alert) continue;
      const first = owner.get(rule.alert);
      // One alert name may repeat within a group (one rule per service, each with
      // its own threshold); across groups a name must be unique.
      if (first !== undefined && first !== group.name) {
        const option = group.name === 'custom' || first === 'custom' ? 'alerting.customRules' : 'services';
        throw new InvalidOptionError(option, rule.alert,
          `is a duplicate alert name: rule groups "${first}" and "${group.name}" both define it; alert names must be unique`);
      }
      owner.set(rule.alert, group.name);
    }
  }
  checkAlertOverrides(o, groups);
  checkRuleIntervals(o, groups);
  return groups;
}

/** Every runbook page. */
export function allRunbooks(o: ResolvedOptions): Runbook[] {
  if (!o.metrics.enabled) return [];
  return [...packRunbooks(o), ...serviceRunbooks(o)];
}
