import { ResolvedOptions } from '../../options/resolve';
import { RuleGroup, Runbook } from './types';

/**
 * Per-service rules: golden signals (error rate, latency) and SLO recording
 * rules with multi-window, multi-burn-rate alerts.
 *
 * TODO: not built yet.
 */
export function serviceRuleGroups(_o: ResolvedOptions): RuleGroup[] {
  return [];
}

/** Runbooks of the per-service alerts. TODO: not built yet. */
export function serviceRunbooks(_o: ResolvedOptions): Runbook[] {
  return [];
}
