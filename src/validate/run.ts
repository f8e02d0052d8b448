import {
  CheckResult, checkAmtool, checkExpressions, checkHelmValues, checkKustomize, checkParse, checkPromtool, checkSchemas,
  checkSecrets, checkSyncWaves,
} from './checks';
import { RenderOptions, renderStage } from './render';
import { Repo, readRepo } from './repo';

/** Options of the checks on the files (`validateRepo`). */
export interface FileCheckOptions {
  /** Skip promtool runs whose inputs passed before (default true; see promtool.ts). */
  readonly cache?: boolean;
}

/** Options of a whole `obs-gitops validate` run. */
export interface ValidateOptions extends FileCheckOptions, RenderOptions {
  /** Leave out the render stage (`--no-render`). */
  readonly render?: boolean;
}

/** Every check of `obs-gitops validate` but the render stage, in the order they print. */
export function validateRepo(root: string, options: FileCheckOptions = {}): CheckResult[] {
  return fileChecks(readRepo(root), options);
}

function fileChecks(repo: Repo, options: FileCheckOptions): CheckResult[] {
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

/**
 * Every check of `obs-gitops validate`: the checks on the files, then the
 * render stage (every Application rendered with the real Helm, and the checks
 * on what it rendered).
 */
export async function validate(root: string, options: ValidateOptions = {}): Promise<CheckResult[]> {
  const repo = readRepo(root);
  const results = fileChecks(repo, options);
  if (options.render === false) return results;
  return [...results, ...await renderStage(repo, options)];
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
  lines.push(`${passed} passed, ${failed} failed${notRun > 0 ? `, ${notRun} not run (tool or chart missing)` : ''}`);
  return lines.join('\n');
}
