import { ResolvedOptions } from '../../options/resolve';
import { RuleGroup, Runbook } from './types';

/**
 * The library's rule packs (alerting.rulePacks): workloads, nodes and the
 * stack itself, rendered from templates/rules and templates/runbooks.
 *
 * TODO: not built yet.
 */
export function packRuleGroups(_o: ResolvedOptions): RuleGroup[] {
  return [];
}

/** Runbooks of the packs' alerts. TODO: not built yet. */
export function packRunbooks(_o: ResolvedOptions): Runbook[] {
  return [];
}
