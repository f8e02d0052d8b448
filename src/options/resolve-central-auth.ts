import { CentralAuthOptions, CentralAuthType, TenantScope } from './central-auth';
import { Profile } from './fleet';
import { looksLikeSecretValue, REDACTED } from '../validation/credentials';
import { InvalidOptionError } from '../validation/errors';
import { checkDnsSubdomain, checkEnum, checkString, checkStruct } from '../validation/option-checks';

/** `centralAuth`, validated, with its defaults (only where an environment is distributed). */
export interface ResolvedCentralAuth {
  readonly tenancy: TenantScope;
  readonly type: CentralAuthType;
  readonly secretName: string;
  readonly usernameKey: string;
  readonly passwordKey: string;
  readonly tokenKey: string;
  readonly gatewaySecretName: string;
}

const FIELDS = ['tenancy', 'type', 'secretName', 'usernameKey', 'passwordKey', 'tokenKey', 'gatewaySecretName'];

/** The defaults: tenant per cluster, basic auth from `obs-central-auth`. */
export const CENTRAL_AUTH_DEFAULTS: ResolvedCentralAuth = {
  tenancy: TenantScope.CLUSTER,
  type: CentralAuthType.BASIC,
  secretName: 'obs-central-auth',
  usernameKey: 'username',
  passwordKey: 'password',
  tokenKey: 'token',
  gatewaySecretName: 'obs-central-htpasswd',
};

/**
 * Validate `centralAuth`. Undefined unless `profile` is distributed (the
 * option is project-wide; an environment of another profile ignores it, and
 * `checkCentralAuthUsed` refuses it when no environment is distributed).
 * Refused: tenant per environment without environments.
 */
export function resolveCentralAuth(value: unknown, profile: Profile, raw: {
  readonly environments?: readonly unknown[];
}): ResolvedCentralAuth | undefined {
  if (value === undefined) return profile === Profile.DISTRIBUTED ? CENTRAL_AUTH_DEFAULTS : undefined;
  const o = checkStruct('centralAuth', value, FIELDS) as CentralAuthOptions;
  const d = CENTRAL_AUTH_DEFAULTS;
  const tenancy = o.tenancy === undefined ? d.tenancy : checkEnum('centralAuth.tenancy', o.tenancy, TenantScope);
  if (tenancy === TenantScope.ENVIRONMENT && (raw.environments ?? []).length === 0) {
    throw new InvalidOptionError('centralAuth.tenancy', tenancy,
      'is TenantScope.ENVIRONMENT, but no environments are declared: use TenantScope.CLUSTER (one tenant per cluster) or declare environments');
  }
  const type = o.type === undefined ? d.type : checkEnum('centralAuth.type', o.type, CentralAuthType);
  const resolved: ResolvedCentralAuth = {
    tenancy,
    type,
    secretName: o.secretName === undefined ? d.secretName : secretName('centralAuth.secretName', o.secretName),
    usernameKey: o.usernameKey === undefined ? d.usernameKey : secretKey('centralAuth.usernameKey', o.usernameKey),
    passwordKey: o.passwordKey === undefined ? d.passwordKey : secretKey('centralAuth.passwordKey', o.passwordKey),
    tokenKey: o.tokenKey === undefined ? d.tokenKey : secretKey('centralAuth.tokenKey', o.tokenKey),
    gatewaySecretName: o.gatewaySecretName === undefined ? d.gatewaySecretName : secretName('centralAuth.gatewaySecretName', o.gatewaySecretName),
  };
  if (type === CentralAuthType.BASIC && resolved.usernameKey === resolved.passwordKey) {
    throw new InvalidOptionError('centralAuth.passwordKey', o.passwordKey,
      'is the same key as centralAuth.usernameKey: the Secret holds the user name and the password under two keys (for example "username" and "password")');
  }
  if (type === CentralAuthType.BASIC && resolved.gatewaySecretName === resolved.secretName) {
    throw new InvalidOptionError('centralAuth.gatewaySecretName', o.gatewaySecretName,
      'is the same Secret as centralAuth.secretName: the gateways read an htpasswd file (key ".htpasswd") from a Secret of its own, the clients the plain credentials');
  }
  const unused = type === CentralAuthType.BASIC ? (o.tokenKey !== undefined ? 'tokenKey' : undefined)
    : type === CentralAuthType.BEARER ? (['usernameKey', 'passwordKey', 'gatewaySecretName'] as const).find((k) => o[k] !== undefined)
      : (['secretName', 'usernameKey', 'passwordKey', 'tokenKey', 'gatewaySecretName'] as const).find((k) => o[k] !== undefined);
  if (unused !== undefined) {
    throw new InvalidOptionError(`centralAuth.${unused}`, (o as Record<string, unknown>)[unused],
      `is set, but centralAuth.type is "${type}", which does not use it`);
  }
  return profile === Profile.DISTRIBUTED ? resolved : undefined;
}

/** `centralAuth` set in a project where no group of clusters is distributed (it would change nothing): refused. */
export function checkCentralAuthUsed(value: unknown, roles: readonly string[]): void {
  if (value !== undefined && !roles.includes('central')) {
    throw new InvalidOptionError('centralAuth', value,
      'is set, but no environment uses Profile.DISTRIBUTED: it configures how edge clusters authenticate to the central Loki, Mimir and Tempo');
  }
}

function secretName(option: string, value: unknown): string {
  const s = checkString(option, value);
  if (looksLikeSecretValue(s)) {
    throw new InvalidOptionError(option, REDACTED,
      'looks like a credential, not the name of a Secret: give the name of the Kubernetes Secret that holds it (for example "obs-central-auth")');
  }
  return checkDnsSubdomain(option, s);
}

function secretKey(option: string, value: unknown): string {
  const s = checkString(option, value);
  if (looksLikeSecretValue(s)) {
    throw new InvalidOptionError(option, REDACTED,
      'looks like a credential, not the name of a key in a Secret: give the key under which the Secret holds it (for example "password"), and put the credential itself in the Secret');
  }
  if (!/^[-._a-zA-Z0-9]+$/.test(s) || s.length > 253) {
    throw new InvalidOptionError(option, value, 'is not a valid Secret key: use letters, digits, "-", "_" and "." (for example "password")');
  }
  return s;
}
