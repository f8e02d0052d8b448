import { github, javascript } from 'projen';

/** Actions pinned to full commit SHAs (the tag each SHA was read from in the action's repository). */
const CHECKOUT = 'actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1'; // v7.0.1
const SETUP_NODE = 'actions/setup-node@820762786026740c76f36085b0efc47a31fe5020'; // v7.0.0
const UPLOAD_ARTIFACT = 'actions/upload-artifact@043fb46d1a93c77aae656e7c1c64a875d1fc6a0a'; // as projen's own workflows
const DOWNLOAD_ARTIFACT = 'actions/download-artifact@3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c'; // as projen's own workflows

const BRANCH = 'github-actions/update-charts';

/**
 * `npx projen update-charts` (scripts/update-charts.mjs, maintainers only) and the weekly
 * workflow that runs it and opens (or refreshes) a pull request with the result.
 *
 * Least privilege: the job that reaches the chart repositories and runs the project's code has
 * `contents: read` only and hands its change over as a patch; the job that pushes the branch and
 * opens the pull request runs no project code. A `PROJEN_GITHUB_TOKEN` secret (a PAT or GitHub App
 * token) is used when present, so the pull request's own checks run (GitHub starts no workflow for
 * a pull request opened with GITHUB_TOKEN); without it GITHUB_TOKEN is used, which needs the
 * repository setting "Allow GitHub Actions to create and approve pull requests".
 */
export function addUpdateCharts(project: javascript.NodeProject, nodeVersion: string = project.minNodeVersion ?? 'lts/*'): void {
  project.addTask('update-charts', {
    description: 'Apply patch/minor chart updates (catalog, key catalogs, test packages), report majors: npx projen update-charts [--dry-run] [--chart NAME]',
    exec: 'node scripts/update-charts.mjs',
    receiveArgs: true,
  });

  const gh = project.github;
  if (!gh) return;
  const wf = gh.addWorkflow('update-charts');
  wf.on({ schedule: [{ cron: '0 6 * * 1' }], workflowDispatch: {} });
  const token = '${{ secrets.PROJEN_GITHUB_TOKEN || secrets.GITHUB_TOKEN }}';
  wf.addJobs({
    update: {
      name: 'Find chart updates',
      runsOn: ['ubuntu-latest'],
      permissions: { contents: github.workflows.JobPermission.READ },
      outputs: { patch_created: { stepId: 'create_patch', outputName: 'patch_created' } },
      steps: [
        { name: 'Checkout', uses: CHECKOUT, with: { 'persist-credentials': false } },
        { name: 'Setup Node.js', uses: SETUP_NODE, with: { 'node-version': nodeVersion } },
        { name: 'Install dependencies', run: 'npm ci' },
        {
          name: 'Update charts',
          run: 'npx projen update-charts --summary "$RUNNER_TEMP/update-charts/summary.md"',
        },
        {
          // The generated output pins every chart: when a pin moved, the snapshots of the generated
          // files move with it, so the pull request shows each targetRevision change. Another failing
          // test in these files does not stop the pull request: its build shows the failure.
          name: 'Refresh snapshots of the generated output',
          shell: 'bash',
          run: [
            'if ! git diff --quiet -- src/catalog/charts.ts; then',
            '  npx jest --ci=false -u test/snapshots.test.ts test/fleet.test.ts || echo "::warning::snapshot test files have failures besides the refreshed snapshots; the pull request build shows them"',
            'fi',
          ].join('\n'),
        },
        {
          name: 'Find mutations',
          id: 'create_patch',
          shell: 'bash',
          run: [
            'git add .',
            'git diff --staged --binary --exit-code > "$RUNNER_TEMP/update-charts/repo.patch" || echo "patch_created=true" >> "$GITHUB_OUTPUT"',
          ].join('\n'),
        },
        {
          name: 'Upload patch',
          if: 'steps.create_patch.outputs.patch_created',
          uses: UPLOAD_ARTIFACT,
          with: { 'name': 'update-charts', 'path': '${{ runner.temp }}/update-charts/', 'if-no-files-found': 'error' },
        },
      ],
    },
    pr: {
      name: 'Open pull request',
      needs: ['update'],
      if: 'needs.update.outputs.patch_created',
      runsOn: ['ubuntu-latest'],
      permissions: {
        contents: github.workflows.JobPermission.WRITE,
        pullRequests: github.workflows.JobPermission.WRITE,
      },
      steps: [
        { name: 'Checkout', uses: CHECKOUT, with: { token } },
        { name: 'Download patch', uses: DOWNLOAD_ARTIFACT, with: { name: 'update-charts', path: '${{ runner.temp }}/update-charts' } },
        {
          name: 'Commit, push and open the pull request',
          env: { GH_TOKEN: token, BRANCH },
          shell: 'bash',
          run: [
            'set -euo pipefail',
            'git config user.name "github-actions[bot]"',
            'git config user.email "41898282+github-actions[bot]@users.noreply.github.com"',
            'git checkout -B "$BRANCH"',
            'git apply --index "$RUNNER_TEMP/update-charts/repo.patch"',
            '{ echo "chore(deps): update Helm chart pins"; echo; cat "$RUNNER_TEMP/update-charts/summary.md"; } > "$RUNNER_TEMP/commit-message.txt"',
            'git commit -q -F "$RUNNER_TEMP/commit-message.txt"',
            'git push --force origin "$BRANCH"',
            'if [ -n "$(gh pr list --head "$BRANCH" --state open --json number --jq \'.[].number\')" ]; then',
            '  gh pr edit "$BRANCH" --body-file "$RUNNER_TEMP/update-charts/summary.md"',
            'else',
            '  gh pr create --head "$BRANCH" --title "chore(deps): update Helm chart pins" --body-file "$RUNNER_TEMP/update-charts/summary.md"',
            'fi',
          ].join('\n'),
        },
      ],
    },
  });
}
