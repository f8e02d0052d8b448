import { Component, IgnoreFile, Project } from 'projen';

/**
 * Makes the generated `.gitignore` exact: every ignore pattern projen's
 * NodeProject adds (`logs`, `pids`, `coverage`, `lib-cov`, `*.log`, ...) is
 * anchored at the repository root (`/logs`), so it can no longer swallow a
 * generated folder of the same name deeper down: a cluster or environment
 * named `logs` writes `argocd/apps/logs/`, `values/clusters/logs/` and
 * `manifests/logs/`, and git does not look inside an ignored folder, so the
 * `!/path` re-includes projen adds for each generated file do not help.
 *
 * Anchoring keeps what the patterns are for (npm and test debris at the root
 * of this repository, which has no source tree of its own). Patterns added
 * later by other components are anchored too: this runs before synthesis.
 */
export class ExactGitignore extends Component {
  constructor(project: Project) {
    super(project);
  }

  public override preSynthesize(): void {
    anchorIgnorePatterns(this.project.gitignore);
  }
}

/** `pattern` anchored at the root, or unchanged when it already is (or is a negation or comment). */
export function anchorPattern(pattern: string): string {
  if (pattern === '' || pattern.startsWith('#') || pattern.startsWith('!') || pattern.startsWith('/')) return pattern;
  // a slash before the end already anchors a pattern to the .gitignore's folder (gitignore(5))
  if (pattern.slice(0, -1).includes('/')) return pattern;
  return `/${pattern}`;
}

/** Anchor every pattern of an ignore file, in place (order kept: later patterns still win). */
export function anchorIgnorePatterns(file: IgnoreFile): void {
  // projen keeps the patterns in a private array and has no API to rewrite one in place;
  // removing and re-adding would move them after the `!` re-includes.
  const patterns = (file as unknown as { _patterns?: unknown })._patterns;
  if (!Array.isArray(patterns)) {
    throw new Error('projen\'s IgnoreFile no longer keeps its patterns in _patterns: update src/components/exact-gitignore.ts');
  }
  for (let i = 0; i < patterns.length; i++) {
    if (typeof patterns[i] === 'string') patterns[i] = anchorPattern(patterns[i]);
  }
}
