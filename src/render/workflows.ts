/**
 * GitHub Actions workflows of the generated repository, as plain objects:
 * least privilege (read-only by default, write only where a job needs it),
 * every action pinned to a full commit SHA with its version in a comment,
 * concurrency groups and timeouts.
 */

/** Third-party actions, pinned. Bump SHA and version together. */
export const PINNED_ACTIONS = {
  checkout: { uses: 'actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683', version: 'v4.2.2' },
  setupNode: { uses: 'actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020', version: 'v4.4.0' },
  setupHelm: { uses: 'azure/setup-helm@9bc31f4ebc9c6b171d7bfbaa5d006ae7abdb4310', version: 'v5.0.1' },
} as const;

/** The Helm `obs-gitops validate` renders with in CI (the version the library is tested with). */
export const HELM_VERSION = 'v4.1.4';

/** Marker the YAML renderer turns into `uses: <sha> # <version>` comments. */
export const PIN_COMMENT = '__pin_comment__';

const RUNNER = 'ubuntu-24.04';
const NODE_VERSION = '20';

/** Debian/Ubuntu packages of the tools `obs-gitops validate` runs. */
export const VALIDATE_TOOLS_INSTALL = 'sudo apt-get update -qq && sudo apt-get install -y -qq --no-install-recommends prometheus prometheus-alertmanager';

function uses(action: { uses: string; version: string }, withArgs?: Record<string, unknown>): Record<string, unknown> {
  return { uses: action.uses, [PIN_COMMENT]: action.version, ...(withArgs ? { with: withArgs } : {}) };
}

function setupSteps(persistCredentials: boolean): Record<string, unknown>[] {
  return [
    { name: 'Check out', ...uses(PINNED_ACTIONS.checkout, { 'persist-credentials': persistCredentials }) },
    { name: 'Set up Node.js', ...uses(PINNED_ACTIONS.setupNode, { 'node-version': NODE_VERSION, 'cache': 'npm' }) },
    { name: 'Install', run: 'npm ci' },
  ];
}

/**
 * On every pull request (and push to the tracked branch): re-synthesize and
 * fail if any file differs from what `.projenrc.ts` generates, then run
 * `obs-gitops validate` with promtool, amtool, kubectl and Helm installed (it
 * pulls each chart at its pin from its repository to render it).
 */
export function validateWorkflow(branch: string): Record<string, unknown> {
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
          ...setupSteps(false),
          { name: 'Re-synthesize', run: 'npx projen' },
          {
            name: 'Fail if generated files differ from .projenrc.ts',
            run: 'git add -A && git diff --cached --exit-code --stat || { echo "::error::generated files are out of date: run npx projen and commit"; exit 1; }',
          },
          { name: 'Install promtool and amtool', run: VALIDATE_TOOLS_INSTALL },
          { name: 'Set up Helm (validate renders every Application as Argo CD does)', ...uses(PINNED_ACTIONS.setupHelm, { version: HELM_VERSION }) },
          { name: 'Validate', run: 'npx projen validate --require-tools --strict' },
        ],
      },
    },
  };
}

/**
 * Weekly (and on demand): upgrade obs-gitops-template and projen, re-synthesize,
 * and open a pull request whose body lists every chart that moved, flagging
 * major version jumps and deprecated charts.
 */
export function upgradeWorkflow(branch: string): Record<string, unknown> {
  return {
    name: 'upgrade',
    on: { schedule: [{ cron: '17 6 * * 1' }], workflow_dispatch: {} },
    permissions: { contents: 'read' },
    concurrency: { 'group': 'upgrade', 'cancel-in-progress': false },
    jobs: {
      upgrade: {
        'runs-on': RUNNER,
        'timeout-minutes': 30,
        // Only this job writes: it pushes a branch and opens a pull request.
        'permissions': { 'contents': 'write', 'pull-requests': 'write' },
        'steps': [
          ...setupSteps(true),
          { name: 'Record the chart pins', run: 'npx obs-gitops pins > "$RUNNER_TEMP/pins-before.json"' },
          { name: 'Upgrade obs-gitops-template and projen', run: 'npx projen upgrade' },
          { name: 'Re-synthesize', run: 'npx projen' },
          { name: 'Describe the chart changes', run: 'npx obs-gitops pins-diff "$RUNNER_TEMP/pins-before.json" > "$RUNNER_TEMP/pr-body.md"' },
          {
            name: 'Open a pull request',
            env: { GH_TOKEN: '${{ github.token }}', BASE: branch },
            run: [
              'if [ -z "$(git status --porcelain)" ]; then echo "Already up to date."; exit 0; fi',
              'branch="obs-gitops/upgrade-${GITHUB_RUN_ID}"',
              'git config user.name "github-actions[bot]"',
              'git config user.email "41898282+github-actions[bot]@users.noreply.github.com"',
              'git switch -c "$branch"',
              'git add -A',
              'git commit -m "chore(deps): upgrade obs-gitops-template"',
              'git push origin "$branch"',
              'gh pr create --base "$BASE" --head "$branch" --title "chore(deps): upgrade obs-gitops-template" --body-file "$RUNNER_TEMP/pr-body.md"',
            ].join('\n'),
          },
        ],
      },
    },
  };
}
