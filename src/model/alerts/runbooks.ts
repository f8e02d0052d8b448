import { ResolvedOptions } from '../../options/resolve';

/** Folder of the generated runbook pages. */
export const RUNBOOKS_DIR = 'docs/runbooks';

/** Path of an alert's runbook page in the repository. */
export function runbookPath(alert: string): string {
  return `${RUNBOOKS_DIR}/${alert}.md`;
}

/**
 * Browser URL of an alert's runbook page: the repository's web address
 * (https, or derived from an ssh/scp-style Git URL), at the tracked revision,
 * in the GitHub/GitLab/Gitea `blob/<rev>/<path>` form.
 */
export function runbookUrl(o: ResolvedOptions, alert: string): string {
  return `${repoWebUrl(o.repo.url)}/blob/${o.repo.revision}/${runbookPath(alert)}`;
}

/** `https://host/org/repo` for a Git URL. */
export function repoWebUrl(gitUrl: string): string {
  const scp = /^[^@\s]+@([^:\s]+):(.+)$/.exec(gitUrl);
  let base: string;
  if (scp) {
    base = `https://${scp[1]}/${scp[2]}`;
  } else {
    const url = new URL(gitUrl);
    base = `https://${url.host.replace(/:\d+$/, '')}${url.pathname}`;
  }
  return base.replace(/\.git$/, '').replace(/\/+$/, '');
}
