import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { Repo } from './repo';
import { ParallelCommand, runParallel } from './run-parallel';

/*
 * `promtool check rules` and `promtool test rules` on tests/rules/, sized for
 * hundreds of services:
 *
 *  - one promtool run per file, several at once (one per core; OBS_GITOPS_JOBS
 *    sets how many), the largest files first;
 *  - a run that passed is remembered by the hash of everything it read (the
 *    promtool version, the file, and for a test file every rule file it
 *    loads), under node_modules/.cache/obs-gitops-validate (gitignored with
 *    node_modules; OBS_GITOPS_CACHE_DIR moves it): an unchanged file is not
 *    run again. Failures are never remembered. `validate --no-cache` runs all.
 *
 * Every rule file, including every service's copy of a rule, is checked by
 * `promtool check rules`; the tests of services that share a rule shape run
 * once (see src/model/alerts/shapes.ts and rule-shapes.ts).
 */

/** Options of the promtool checks. */
export interface PromtoolCheckOptions {
  /** Skip files whose inputs passed before (default true). */
  readonly cache?: boolean;
}

/** The outcome of one check (the shape of checks.ts' CheckResult). */
interface Result {
  readonly name: string;
  readonly status: 'pass' | 'fail' | 'not-run';
  readonly summary: string;
  readonly problems: readonly string[];
}

/** Folder of the cache of passing promtool runs. */
export function promtoolCacheDir(root: string): string {
  return process.env.OBS_GITOPS_CACHE_DIR
    ? path.resolve(process.env.OBS_GITOPS_CACHE_DIR, 'promtool')
    : path.join(root, 'node_modules', '.cache', 'obs-gitops-validate', 'promtool');
}

/** The rule files a promtool test file loads, resolved against the test file's folder (as promtool does). */
function ruleFilesOf(root: string, testFile: string): string[] {
  try {
    const doc = YAML.parse(fs.readFileSync(path.join(root, testFile), 'utf-8')) as { rule_files?: unknown } | null;
    const list = Array.isArray(doc?.rule_files) ? doc!.rule_files.filter((f): f is string => typeof f === 'string') : [];
    return list.map((f) => path.join(path.dirname(testFile), f));
  } catch {
    return [];
  }
}

function hashOf(version: string, command: readonly string[], root: string, files: readonly string[]): string | undefined {
  const h = createHash('sha256');
  h.update(`${version}\n${command.join(' ')}\n`);
  for (const f of files) {
    const full = path.join(root, f);
    // A rule file that does not exist fails the run: nothing to remember.
    if (!fs.existsSync(full)) return undefined;
    h.update(`${f}\n`);
    h.update(fs.readFileSync(full));
    h.update('\n');
  }
  return h.digest('hex');
}

interface Run {
  readonly check: 'check' | 'test';
  readonly file: string;
  readonly key?: string;
  readonly size: number;
}

/** `promtool check rules` on every rule file and `promtool test rules` on every test file of tests/rules/. */
export function promtoolChecks(repo: Repo, options: PromtoolCheckOptions = {}): Result[] {
  const rules = repo.files.filter((f) => /^tests\/rules\/.+\.rules\.ya?ml$/.test(f));
  const tests = repo.files.filter((f) => /^tests\/rules\/.+\.test\.ya?ml$/.test(f));
  const names = { check: 'promtool check rules', test: 'promtool test rules' } as const;
  if (rules.length === 0 && tests.length === 0) {
    return [
      { name: names.check, status: 'pass', summary: 'nothing to check', problems: [] },
      { name: names.test, status: 'pass', summary: 'nothing to check', problems: [] },
    ];
  }
  const probe = spawnSync('promtool', ['--version'], { encoding: 'utf-8' });
  if (probe.error) {
    const notRun = (name: string): Result => ({ name, status: 'not-run', summary: 'NOT CHECKED: promtool is not installed (Debian package prometheus)', problems: [] });
    return [notRun(names.check), notRun(names.test)];
  }
  const version = `${probe.stdout}${probe.stderr}`.split('\n')[0];
  const cacheOn = options.cache !== false;
  const cacheDir = promtoolCacheDir(repo.root);
  const size = (f: string) => fs.statSync(path.join(repo.root, f)).size;
  const runs: Run[] = [
    ...rules.map((file) => ({ check: 'check' as const, file, key: hashOf(version, ['check', 'rules'], repo.root, [file]), size: size(file) })),
    ...tests.map((file) => ({
      check: 'test' as const,
      file,
      key: hashOf(version, ['test', 'rules'], repo.root, [file, ...ruleFilesOf(repo.root, file)]),
      size: size(file) + ruleFilesOf(repo.root, file).reduce((n, f) => n + (fs.existsSync(path.join(repo.root, f)) ? size(f) : 0), 0),
    })),
  ];
  const cached = new Set(cacheOn ? runs.filter((r) => r.key && fs.existsSync(path.join(cacheDir, r.key))) : []);
  // The largest first: the longest runs start early and the cores finish together.
  const todo = runs.filter((r) => !cached.has(r)).sort((a, b) => b.size - a.size || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const commands: ParallelCommand[] = todo.map((r) => ({ command: 'promtool', args: [r.check, 'rules', r.file], cwd: repo.root }));
  const outcomes = runParallel(commands);
  const problems = { check: [] as string[], test: [] as string[] };
  todo.forEach((r, i) => {
    const o = outcomes[i];
    if (o.status === 0) {
      if (cacheOn && r.key) {
        fs.mkdirSync(cacheDir, { recursive: true });
        fs.writeFileSync(path.join(cacheDir, r.key), `${r.check} rules ${r.file}\n`);
      }
      return;
    }
    const text = `${o.stdout}${o.stderr}${o.error ? `\n${o.error}` : ''}`.trim().split('\n').map((l) => `    ${l}`).join('\n');
    problems[r.check].push(`promtool ${r.check} rules ${r.file}:\n${text}`);
  });
  const result = (check: 'check' | 'test', files: readonly string[]): Result => {
    const skipped = runs.filter((r) => r.check === check && cached.has(r)).length;
    const what = check === 'check' ? 'rule files' : 'test files';
    const summary = files.length === 0 ? 'nothing to check'
      : `${files.length} ${what}${skipped > 0 ? ` (${skipped} unchanged since a passing run, not run again)` : ''}`;
    return { name: names[check], status: problems[check].length > 0 ? 'fail' : 'pass', summary, problems: problems[check] };
  };
  // Stable problem order (the runs finished in any order).
  problems.check.sort();
  problems.test.sort();
  return [result('check', rules), result('test', tests)];
}
