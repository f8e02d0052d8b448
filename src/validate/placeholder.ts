import { CheckResult } from './checks';
import { Repo, kubeObjects } from './repo';

/*
 * A repository scaffolded without `gitRepoUrl` points Argo CD at a placeholder,
 * `https://github.com/my-org/<name>.git` (src/options/resolve.ts): it synthesizes and validates,
 * but Argo CD would read nothing. `obs-gitops validate` says so as a warning (the default scaffold
 * stays usable); `--strict`, which the generated CI workflow passes, makes it a failure.
 *
 * Internal module: not exported from src/index.ts.
 */

/** How the placeholder repository URL begins. */
export const PLACEHOLDER_REPO_PREFIX = 'https://github.com/my-org/';

/** Every `repoURL` / `sourceRepos` entry under an Argo CD object that is the placeholder. */
export function checkPlaceholderRepo(repo: Repo): CheckResult {
  const files = new Set<string>();
  const walk = (v: unknown, file: string): void => {
    if (typeof v === 'string') {
      if (v.startsWith(PLACEHOLDER_REPO_PREFIX)) files.add(file);
    } else if (Array.isArray(v)) {
      for (const x of v) walk(x, file);
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) if (k === 'repoURL' || k === 'sourceRepos' || typeof x === 'object') walk(x, file);
    }
  };
  for (const doc of kubeObjects(repo)) {
    if (String(doc.value.apiVersion).startsWith('argoproj.io/')) walk(doc.value.spec, doc.file);
  }
  if (files.size === 0) return { name: 'repository URL', status: 'pass', summary: 'Argo CD reads this repository from a real URL', problems: [] };
  const list = [...files].sort();
  return {
    name: 'repository URL',
    status: 'warn',
    summary: `gitRepoUrl is not set: ${list.length} Argo CD file(s) point at the placeholder ${PLACEHOLDER_REPO_PREFIX}…, which Argo CD cannot read. ` +
      'Set gitRepoUrl in .projenrc.ts to this repository\'s URL and run npx projen (--strict, as CI runs it, fails on this)',
    problems: list.slice(0, 5).concat(list.length > 5 ? [`… and ${list.length - 5} more`] : []),
  };
}
