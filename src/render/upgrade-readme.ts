import type { UpgradeToken } from '../options/upgrade-workflow';

/**
 * The generated README's "Upgrade" section: how chart pins move, what the
 * weekly workflow does, and what it needs from the repository's settings.
 */
export function upgradeReadmeLines(token: UpgradeToken, vendoredLibrary: string | undefined): string[] {
  const lines = [
    '## Upgrade',
    '',
    'Chart versions are pinned by obs-gitops-template. `npx projen upgrade` bumps obs-gitops-template',
    '(and projen); the next `npx projen` moves every `targetRevision` to the new pins.',
    '`npx obs-gitops pins > before.json` before and `npx obs-gitops pins-diff before.json` after list what moved.',
    '',
    'The `upgrade` workflow does this every Monday (and on demand): it upgrades, re-synthesizes, installs',
    'Helm, promtool and amtool and runs `npx projen validate --require-tools --strict` (as the `validate`',
    'workflow does: a warning fails too); only when that passes does it push a branch and open a pull request',
    'whose body lists every chart that moved (major versions and deprecated charts flagged). A failed',
    'validate fails the run and opens nothing. Once merged, Argo CD',
    'syncs the new `targetRevision`s in sync-wave order, CRDs first (the CRD Applications apply server-side:',
    'Helm itself never upgrades CRDs). To try a chart in one environment first, pin it there (`chartVersions`',
    'of the environment in `.projenrc.ts`). A change to an AppProject is applied by hand (see Bootstrap).',
    '',
  ];
  switch (token.kind) {
    case 'secret':
      lines.push(
        `It pushes and opens the pull request with the token in the secret \`${token.secret}\` (a fine-grained`,
        'personal access token with "Contents" and "Pull requests" read and write on this repository), so',
        'the `validate` workflow runs on the pull request like on any other.',
      );
      break;
    case 'app':
      lines.push(
        `It pushes and opens the pull request as a GitHub App (client ID in the variable \`${token.clientIdVariable}\`,`,
        `private key in the secret \`${token.privateKeySecret}\`; the App needs "Contents" and "Pull requests" read and`,
        'write on this repository), so the `validate` workflow runs on the pull request like on any other.',
      );
      break;
    default:
      lines.push(
        'It opens the pull request with the workflow\'s `GITHUB_TOKEN`. That needs the repository setting',
        '"Allow GitHub Actions to create and approve pull requests" (Settings → Actions → General), and',
        'GitHub does not start other workflows for such a pull request: `validate` will not run on it.',
        'To have it validated on the pull request too, give the workflow a token: in `.projenrc.ts` set',
        '`upgradeWorkflow: { tokenSecret: \'UPGRADE_TOKEN\' }` (a fine-grained personal access token with',
        '"Contents" and "Pull requests" read and write) or a GitHub App',
        '(`upgradeWorkflow: { appClientIdVariable: \'UPGRADE_APP_CLIENT_ID\', appPrivateKeySecret: \'UPGRADE_APP_PRIVATE_KEY\' }`).',
      );
  }
  lines.push('');
  if (vendoredLibrary !== undefined) {
    lines.push(
      '### The vendored library',
      '',
      `obs-gitops-template is installed from \`${vendoredLibrary}\`, committed in this repository, so \`npm ci\``,
      'works on any machine. `npx projen upgrade` does not move a file dependency: once obs-gitops-template',
      'is published, set `devDeps: [\'obs-gitops-template@^<version>\']` in `.projenrc.ts`, run `npx projen`,',
      `delete \`${vendoredLibrary}\` and commit; from then on the upgrade workflow bumps it. If \`npm ci\``,
      `fails because \`${vendoredLibrary}\` is missing, commit it (\`git add -f ${vendoredLibrary}\`) or scaffold again.`,
      '',
    );
  }
  return lines;
}
