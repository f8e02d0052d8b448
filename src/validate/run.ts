import {
  CheckResult, checkAmtool, checkExpressions, checkHelmValues, checkKustomize, checkParse, checkPromtool, checkSchemas,
  checkSecrets, checkSyncWaves,
} from './checks';
import { readRepo } from './repo';

/** Options of `validateRepo`. */
export interface ValidateOptions {
  /** Skip promtool runs whose inputs passed before (default true; see promtool.ts). */
  readonly cache?: boolean;
}

/** Every check of `obs-gitops validate`, in the order they print. */
export function validateRepo(root: string, options: ValidateOptions = {}): CheckResult[] {
  const repo = readRepo(root);
  return [
    checkParse(repo),
    checkSchemas(repo),
    checkHelmValues(repo),
    checkSyncWaves(repo),
    checkExpressions(repo),
    ...checkPromtool(repo, { cache: options.cache }),
    checkAmtool(repo),
    checkKustomize(repo),
    checkSecrets(repo),
  ];
}

/** One line per check, the problems under it, and a summary line. */
export function formatResults(results: readonly CheckResult[]): string {
  const mark = { 'pass': 'ok  ', 'fail': 'FAIL', 'not-run': 'SKIP' };
  const lines: string[] = [];
  for (const r of results) {
    lines.push(`${mark[r.status]} ${r.name}: ${r.summary}`);
    for (const p of r.problems) lines.push(`       ${p}`);
  }
  const failed = results.filter((r) => r.status === 'fail').length;
  const notRun = results.filter((r) => r.status === 'not-run').length;
  const passed = results.filter((r) => r.status === 'pass').length;
  lines.push(`${passed} passed, ${failed} failed${notRun > 0 ? `, ${notRun} not run (tool missing)` : ''}`);
  return lines.join('\n');
}
