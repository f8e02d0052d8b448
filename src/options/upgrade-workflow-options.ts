/**
 * Options of the generated `.github/workflows/upgrade.yml`, which upgrades
 * obs-gitops-template and projen weekly, validates the result and opens a pull
 * request.
 *
 * A pull request opened with the workflow's own `GITHUB_TOKEN` does not start
 * other workflows (GitHub's rule against recursive runs), so `validate` would
 * not run on it; and `gh pr create` with `GITHUB_TOKEN` needs the repository
 * setting "Allow GitHub Actions to create and approve pull requests". Give
 * either a token secret or a GitHub App, and the pull request is opened as that
 * identity: `validate` then runs on it like on any other pull request.
 */
export interface UpgradeWorkflowOptions {
  /**
   * Name of a repository secret holding a token (a fine-grained personal access
   * token with "Contents" and "Pull requests" read and write on this repository)
   * that pushes the upgrade branch and opens the pull request.
   *
   * @default - the workflow's GITHUB_TOKEN (validate does not run on the pull request)
   */
  readonly tokenSecret?: string;

  /**
   * Name of the repository variable (`vars.<name>`) holding the client ID of a
   * GitHub App installed on this repository with "Contents" and "Pull requests"
   * read and write. Goes with `appPrivateKeySecret`; the token is made by
   * actions/create-github-app-token (pinned by SHA).
   *
   * @default - no GitHub App
   */
  readonly appClientIdVariable?: string;

  /**
   * Name of the repository secret holding the GitHub App's private key (PEM).
   * Goes with `appClientIdVariable`.
   *
   * @default - no GitHub App
   */
  readonly appPrivateKeySecret?: string;
}
