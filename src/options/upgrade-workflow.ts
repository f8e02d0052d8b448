import type { UpgradeWorkflowOptions } from './upgrade-workflow-options';
import { InvalidOptionError } from '../validation/errors';

/** How the upgrade workflow authenticates its push and pull request. */
export type UpgradeToken =
  | { readonly kind: 'github-token' }
  | { readonly kind: 'secret'; readonly secret: string }
  | { readonly kind: 'app'; readonly clientIdVariable: string; readonly privateKeySecret: string };

/** GitHub's rule for secret and variable names (and its reserved prefix). */
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function checkName(option: string, value: unknown): string {
  if (typeof value !== 'string' || !NAME.test(value)) {
    throw new InvalidOptionError(option, value, 'is not a GitHub secret or variable name (letters, digits and _, not starting with a digit)');
  }
  if (/^GITHUB_/i.test(value)) {
    throw new InvalidOptionError(option, value, 'starts with GITHUB_, which GitHub reserves: name your own secret or variable');
  }
  return value;
}

/** Validate `upgradeWorkflow` (before anything is written). */
export function resolveUpgradeToken(options: UpgradeWorkflowOptions | undefined): UpgradeToken {
  if (options === undefined) return { kind: 'github-token' };
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new InvalidOptionError('upgradeWorkflow', options, 'is not an object: give { tokenSecret } or { appClientIdVariable, appPrivateKeySecret }');
  }
  const known = ['tokenSecret', 'appClientIdVariable', 'appPrivateKeySecret'];
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw new InvalidOptionError(`upgradeWorkflow.${key}`, (options as any)[key], `is not an option: valid are ${known.join(', ')}`);
  }
  const { tokenSecret, appClientIdVariable, appPrivateKeySecret } = options;
  const app = appClientIdVariable !== undefined || appPrivateKeySecret !== undefined;
  if (tokenSecret !== undefined && app) {
    throw new InvalidOptionError('upgradeWorkflow.tokenSecret', tokenSecret, 'cannot be combined with a GitHub App (appClientIdVariable, appPrivateKeySecret): choose one');
  }
  if (tokenSecret !== undefined) return { kind: 'secret', secret: checkName('upgradeWorkflow.tokenSecret', tokenSecret) };
  if (!app) return { kind: 'github-token' };
  if (appClientIdVariable === undefined) {
    throw new InvalidOptionError('upgradeWorkflow.appClientIdVariable', undefined, 'is required with appPrivateKeySecret: name the repository variable holding the GitHub App\'s client ID');
  }
  if (appPrivateKeySecret === undefined) {
    throw new InvalidOptionError('upgradeWorkflow.appPrivateKeySecret', undefined, 'is required with appClientIdVariable: name the repository secret holding the GitHub App\'s private key');
  }
  return {
    kind: 'app',
    clientIdVariable: checkName('upgradeWorkflow.appClientIdVariable', appClientIdVariable),
    privateKeySecret: checkName('upgradeWorkflow.appPrivateKeySecret', appPrivateKeySecret),
  };
}
