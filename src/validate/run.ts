import {
  CheckResult, checkAmtool, checkExpressions, checkHelmValues, checkKustomize, checkParse, checkPromtool, checkSchemas,
  checkSecrets, checkSyncWaves,
} from './checks';
import { checkPlaceholderRepo } from './placeholder';
import { readRepo } from './repo';

/** Every check of `obs-gitops validate`, in the order they print. */
export function validateRepo(root: string): CheckResult[] {
  const repo = readRepo(root);
  return [
    checkParse(repo),
    checkSchemas(repo),
    checkHelmValues(repo),
    checkSyncWaves(repo),
    checkExpressions(repo),
    ...checkPromtool(repo),
    checkAmtool(repo),
    checkKustomize(repo),
    checkSecrets(repo),
    checkPlaceholderRepo(repo),
  ];
}

/** One line per check, the problems under it, and a summary line. */
export function formatResults(results: readonly CheckResult[]): string {
  const mark = { 'pass': 'ok  ', 'fail': 'FAIL', 'not-run': 'SKIP', 'warn': 'WARN' };
  const lines: string[] = [];
  for (const r of results) {
    lines.push(`${mark[r.status]} ${r.name}: ${r.summary}`);
    for (const p of r.problems) lines.push(`       ${p}`);
  }
  const failed = results.filter((r) => r.status === 'fail').length;
  const notRun = results.filter((r) => r.status === 'not-run').length;
  const passed = results.filter((r) => r.status === 'pass').length;
  const warned = results.filter((r) => r.status === 'warn').length;
  lines.push(`${passed} passed, ${failed} failed${notRun > 0 ? `, ${notRun} not run (tool missing)` : ''}${warned > 0 ? `, ${warned} warning${warned > 1 ? 's' : ''}` : ''}`);
  return lines.join('\n');
}
