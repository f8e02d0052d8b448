/**
 * GitHub Actions workflows of the generated repository, as plain objects:
 * least privilege (read-only by default, write only where a job needs it),
 * every action pinned to a full commit SHA with its version in a comment,
 * concurrency groups and timeouts.
 */
import type { UpgradeToken } from '../options/upgrade-workflow';

/** Third-party actions, pinned. Bump SHA and version together. */
export const PINNED_ACTIONS = {
  checkout: { uses: 'actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1', version: 'v7.0.1' },
  setupNode: { uses: 'actions/setup-node@820762786026740c76f36085b0efc47a31fe5020', version: 'v7.0.0' },
  setupHelm: { uses: 'azure/setup-helm@9bc31f4ebc9c6b171d7bfbaa5d006ae7abdb4310', version: 'v5.0.1' },
  createGithubAppToken: { uses: 'actions/create-github-app-token@1b10c78c7865c340bc4f6099eb2f838309f1e8c3', version: 'v3.1.1' },
} as const;

/** The Helm `obs-gitops validate` renders with in CI (the version the library is tested with). */
export const HELM_VERSION = 'v4.1.4';

/** Marker the YAML renderer turns into `uses: <sha> # <version>` comments. */
export const PIN_COMMENT = '__pin_comment__';

const RUNNER = 'ubuntu-24.04';
/** Node.js of the generated workflows: the Active LTS line. */
export const WORKFLOW_NODE_VERSION = '24';

/** Debian/Ubuntu packages of the tools `obs-gitops validate` runs. */
export const VALIDATE_TOOLS_INSTALL = 'sudo apt-get update -qq && sudo apt-get install -y -qq --no-install-recommends prometheus prometheus-alertmanager';

/** What the generated workflows depend on beyond the stack. */
export interface WorkflowSettings {
  /** The branch Argo CD tracks: validated on push, the upgrade pull request's base. */
  readonly branch: string;
  /** How the upgrade workflow pushes and opens its pull request. */
  readonly upgradeToken: UpgradeToken;
  /**
   * The repository-relative path of the vendored obs-gitops-template tarball the
   * package.json depends on (`file:vendor/...`), when there is one.
   */
  readonly vendoredLibrary?: string;
}

function uses(action: { uses: string; version: string }, withArgs?: Record<string, unknown>): Record<string, unknown> {
  return { uses: action.uses, [PIN_COMMENT]: action.version, ...(withArgs ? { with: withArgs } : {}) };
}

/**
 * Before `npm ci`: a package.json dependency on a `file:` path that is not in
 * the checkout fails with a clear message and the fix, not npm's ENOENT.
 */
export const CHECK_LOCAL_DEPENDENCIES = [
  'node -e \'',
  'const fs = require("fs");',
  'const pkg = JSON.parse(fs.readFileSync("package.json", "utf-8"));',
  'for (const [name, spec] of Object.entries({ ...pkg.dependencies, ...pkg.devDependencies })) {',
  '  if (!String(spec).startsWith("file:") || fs.existsSync(spec.slice(5))) continue;',
  '  console.log(`::error file=package.json::${name} is installed from ${spec.slice(5)}, which is not in this repository. ` +',
  '    `Commit that file (git add -f ${spec.slice(5)}), or scaffold again with npx projen scaffold, ` +',
  '    `or depend on the published package: devDeps: ["${name}@^<version>"] in .projenrc.ts, then npx projen.`);',
  '  process.exitCode = 1;',
  '}\'',
].join('\n');

function setupSteps(settings: WorkflowSettings, checkout: Record<string, unknown>): Record<string, unknown>[] {
  return [
    { name: 'Check out', ...uses(PINNED_ACTIONS.checkout, checkout) },
    { name: 'Set up Node.js', ...uses(PINNED_ACTIONS.setupNode, { 'node-version': WORKFLOW_NODE_VERSION, 'cache': 'npm' }) },
    ...(settings.vendoredLibrary !== undefined ? [{ name: 'Check the vendored obs-gitops-template', run: CHECK_LOCAL_DEPENDENCIES }] : []),
    { name: 'Install', run: 'npm ci' },
  ];
}

/**
 * The one validate command of the generated workflows, the same on every pull
 * request and before the upgrade workflow opens its pull request:
 * `--require-tools` (a missing tool or chart fails instead of NOT CHECKED) and
 * `--strict` (a warning fails too, such as the placeholder gitRepoUrl). The
 * upgrade's pull request may be opened with GITHUB_TOKEN, for which GitHub
 * starts no `validate` run: without `--strict` there it could open a pull
 * request the `validate` workflow fails on as soon as it is merged.
 */
export const VALIDATE_COMMAND = 'npx projen validate --require-tools --strict';

/** Helm, promtool and amtool, so `validate --require-tools` checks everything. */
function validateToolSteps(): Record<string, unknown>[] {
  return [
    { name: 'Install promtool and amtool', run: VALIDATE_TOOLS_INSTALL },
    { name: 'Set up Helm (validate renders every Application as Argo CD does)', ...uses(PINNED_ACTIONS.setupHelm, { version: HELM_VERSION }) },
  ];
}

/**
 * On every pull request (and push to the tracked branch): re-synthesize and
 * fail if any file differs from what `.projenrc.ts` generates, then run
 * `obs-gitops validate` with promtool, amtool, kubectl and Helm installed (it
 * pulls each chart at its pin from its repository to render it).
 */
export function validateWorkflow(settings: WorkflowSettings): Record<string, unknown> {
  const branch = settings.branch;
  return {
    name: 'validate',
    on: { pull_request: {}, push: { branches: [branch] }, workflow_dispatch: {} },
    permissions: { contents: 'read' },
    concurrency: { 'group': 'validate-${{ github.ref }}', 'cancel-in-progress': true },
    jobs: {
      validate: {
        'runs-on': RUNNER,
        'timeout-minutes': 20,
        'permissions': { contents: 'read' },
        'steps': [
          ...setupSteps(settings, { 'persist-credentials': false }),
          { name: 'Re-synthesize', run: 'npx projen' },
          {
            name: 'Fail if generated files differ from .projenrc.ts',
            run: 'git add -A && git diff --cached --exit-code --stat || { echo "::error::generated files are out of date: run npx projen and commit"; exit 1; }',
          },
          ...validateToolSteps(),
          { name: 'Validate', run: VALIDATE_COMMAND },
        ],
      },
    },
  };
}

/** The GitHub expression of the token that pushes the upgrade branch and opens the pull request. */
function tokenExpression(token: UpgradeToken): string {
  switch (token.kind) {
    case 'secret': return `\${{ secrets.${token.secret} }}`;
    case 'app': return '${{ steps.app-token.outputs.token }}';
    default: return '${{ github.token }}';
  }
}

/**
 * Weekly (and on demand): upgrade obs-gitops-template and projen, re-synthesize,
 * run the full `validate` (Helm, promtool and amtool installed; a failure fails
 * the run and no pull request is opened), then open a pull request whose body
 * lists every chart that moved, flagging major version jumps and deprecated charts.
 *
 * With `upgradeWorkflow.tokenSecret` or a GitHub App the branch is pushed and the
 * pull request opened with that token, so the `validate` workflow runs on it too;
 * the job's own GITHUB_TOKEN then only reads. Credentials never stay in the
 * checkout: only the last step, after every install and synth, gets the token.
 */
export function upgradeWorkflow(settings: WorkflowSettings): Record<string, unknown> {
  const token = settings.upgradeToken;
  const ownToken = token.kind === 'github-token';
  const changed = "steps.changes.outputs.changed == 'true'";
  const appTokenSteps = token.kind === 'app'
    ? [{
      name: 'Create a GitHub App token',
      id: 'app-token',
      ...uses(PINNED_ACTIONS.createGithubAppToken, {
        'client-id': `\${{ vars.${token.clientIdVariable} }}`,
        'private-key': `\${{ secrets.${token.privateKeySecret} }}`,
        'permission-contents': 'write',
        'permission-pull-requests': 'write',
      }),
    }]
    : [];
  // The pull request body: what moved, per chart (and so per Application).
  const prBodySteps: Record<string, unknown>[] = [
    { name: 'Describe the chart changes', run: 'npx obs-gitops pins-diff "$RUNNER_TEMP/pins-before.json" > "$RUNNER_TEMP/pr-body.md"' },
    // What will reach the clusters: the last commit (before the upgrade) and the upgraded tree, both
    // rendered as Argo CD renders them; objects added, removed and changed per Application, CRDs named.
    {
      name: 'Describe the rendered changes',
      run: [
        'git worktree add --detach "$RUNNER_TEMP/before" HEAD',
        'npx obs-gitops render-snapshot "$RUNNER_TEMP/before" > "$RUNNER_TEMP/render-before.json"',
        'printf \'\\n\' >> "$RUNNER_TEMP/pr-body.md"',
        'npx obs-gitops render-diff "$RUNNER_TEMP/render-before.json" >> "$RUNNER_TEMP/pr-body.md"',
        'git worktree remove --force "$RUNNER_TEMP/before"',
      ].join('\n'),
    },
  ];
  return {
    name: 'upgrade',
    on: { schedule: [{ cron: '17 6 * * 1' }], workflow_dispatch: {} },
    permissions: { contents: 'read' },
    concurrency: { 'group': 'upgrade', 'cancel-in-progress': false },
    jobs: {
      upgrade: {
        'runs-on': RUNNER,
        'timeout-minutes': 30,
        // Only this job writes, and only with GITHUB_TOKEN: it pushes a branch and opens a pull request.
        // With a token secret or a GitHub App that token writes instead, and GITHUB_TOKEN only reads.
        'permissions': ownToken ? { 'contents': 'write', 'pull-requests': 'write' } : { contents: 'read' },
        'steps': [
          ...appTokenSteps,
          ...setupSteps(settings, { 'persist-credentials': false }),
          { name: 'Record the chart pins', run: 'npx obs-gitops pins > "$RUNNER_TEMP/pins-before.json"' },
          // projen's upgrade task ends with a re-sync (`npx projen`): every targetRevision follows the new pins.
          { name: 'Upgrade obs-gitops-template and projen, re-synthesize', run: 'npx projen upgrade' },
          {
            name: 'Check for changes',
            id: 'changes',
            run: 'if [ -n "$(git status --porcelain)" ]; then echo "changed=true" >> "$GITHUB_OUTPUT"; else echo "Already up to date."; echo "changed=false" >> "$GITHUB_OUTPUT"; fi',
          },
          // The full validate, the render stage included, before a pull request exists: a failure
          // fails this run and no pull request is opened.
          ...validateToolSteps().map((step) => ({ name: step.name, if: changed, ...step })),
          { name: 'Validate', if: changed, run: VALIDATE_COMMAND },
          ...prBodySteps.map((step) => ({ name: step.name, if: changed, ...step })),
          {
            name: 'Open a pull request',
            if: changed,
            env: { GH_TOKEN: tokenExpression(token), BASE: settings.branch },
            run: [
              'branch="obs-gitops/upgrade-${GITHUB_RUN_ID}"',
              'git config user.name "github-actions[bot]"',
              'git config user.email "41898282+github-actions[bot]@users.noreply.github.com"',
              'git switch -c "$branch"',
              'git add -A',
              'git commit -m "chore(deps): upgrade obs-gitops-template"',
              'auth="AUTHORIZATION: basic $(printf \'x-access-token:%s\' "$GH_TOKEN" | base64 -w0)"',
              'git -c "http.${GITHUB_SERVER_URL}/.extraheader=$auth" push origin "$branch"',
              'gh pr create --base "$BASE" --head "$branch" --title "chore(deps): upgrade obs-gitops-template" --body-file "$RUNNER_TEMP/pr-body.md"',
            ].join('\n'),
          },
        ],
      },
    },
  };
}
