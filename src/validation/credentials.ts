/**
 * Credentials that must never reach Git: tokens and passwords inside URLs,
 * key material and the token formats of the common providers. Used twice:
 * by the option checks (every string of the options, before anything is
 * written) and by `obs-gitops validate`'s secrets check (every file of a
 * repository). Messages never echo what was found: `maskCredentials`
 * replaces each finding by its kind and a redaction mark.
 *
 * Internal module: not exported from src/index.ts.
 */

/** One kind of credential: how it is recognised and how a message names it. */
interface CredentialPattern {
  /** What it is, for the message ("a GitHub token"). */
  readonly kind: string;
  /** Global regular expression; group 1, when present, is the secret part to mask (else the whole match). */
  readonly re: RegExp;
}

/**
 * The patterns, most specific first. Each is a format with a fixed prefix or
 * structure, so ordinary text (names, PromQL, descriptions) does not match.
 */
const PATTERNS: readonly CredentialPattern[] = [
  { kind: 'a private key (PEM block)', re: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|$)/g },
  // scheme://user:password@host: the password (and a user name that is itself a token, below)
  { kind: 'a password or token inside a URL (user:password@)', re: /\b[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^\s/:@'"]*:([^\s/@'"]+)@/g },
  // https://TOKEN@host: a user name alone in an http(s) URL is how a token is often pasted
  { kind: 'a user name or token inside an http(s) URL (user@)', re: /\bhttps?:\/\/([^\s/:@'"]+)@/gi },
  { kind: 'a GitHub token', re: /\b((?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/g },
  { kind: 'a GitLab token', re: /\b(glpat-[A-Za-z0-9_-]{20,}|gl(?:dt|rt|ptt|cbt|soat|ffct|imt|agent)-[A-Za-z0-9_-]{20,})/g },
  { kind: 'a Slack token', re: /\b(xox[abposr]-[A-Za-z0-9-]{10,}|xapp-[A-Za-z0-9-]{10,})/g },
  { kind: 'a Slack webhook URL', re: /(hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9/_-]+)/g },
  { kind: 'a Microsoft Teams webhook URL', re: /([a-z0-9-]+\.webhook\.office\.com\/[^\s'"]+|outlook\.office(?:365)?\.com\/webhook\/[^\s'"]+|[a-z0-9-]+\.logic\.azure\.com\/workflows\/[^\s'"]*sig=[^\s'"&]+)/g },
  { kind: 'a Discord webhook URL', re: /(discord(?:app)?\.com\/api\/webhooks\/[0-9]+\/[A-Za-z0-9_-]+)/g },
  { kind: 'an AWS access key id', re: /\b((?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16})\b/g },
  { kind: 'a Google API key', re: /\b(AIza[0-9A-Za-z_-]{35})/g },
  { kind: 'a JSON Web Token', re: /\b(eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,})/g },
  { kind: 'an npm token', re: /\b(npm_[A-Za-z0-9]{36})\b/g },
  { kind: 'a Grafana service-account token', re: /\b(glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8})\b/g },
];

/** What a credential is replaced by in messages. */
export const REDACTED = '***(redacted)';

/** What was found, without the secret itself. */
export interface CredentialFinding {
  /** What it is ("a GitHub token"). */
  readonly kind: string;
  /** Where in the text (character offset of the masked part). */
  readonly offset: number;
}

/** The first credential in `text`, or undefined. */
export function findCredential(text: string): CredentialFinding | undefined {
  let first: CredentialFinding | undefined;
  for (const { kind, re } of PATTERNS) {
    re.lastIndex = 0;
    const m = re.exec(text);
    if (m && (first === undefined || m.index < first.offset)) first = { kind, offset: m.index };
  }
  return first;
}

/**
 * `text` with every credential replaced by a redaction mark; the rest (the
 * host of a URL, the words around a token) stays, so a message still says
 * which value it is about.
 */
export function maskCredentials(text: string): string {
  let out = text;
  for (const { re } of PATTERNS) {
    out = out.replace(re, (match: string, secret?: string) => {
      if (typeof secret === 'string' && secret !== match && match.includes(secret)) {
        return match.replace(secret, REDACTED);
      }
      return REDACTED;
    });
  }
  return out;
}

/**
 * A user name in an http(s) URL: never a secret by itself, but `https://TOKEN@host`
 * is how a token is often pasted, and Argo CD and Helm take credentials from a
 * Secret. Returns what is wrong, or undefined.
 */
export function urlUserinfoProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.password !== '') return 'carries a password or token (user:password@)';
  if (url.username !== '' && (url.protocol === 'https:' || url.protocol === 'http:')) return 'carries a user name or token before "@"';
  return undefined;
}

/**
 * A value that looks like a secret rather than the name of one: a known token
 * format, or a long random-looking string (a `secretKey` is the name of a key
 * in a Secret, such as "url" or "routing-key", never its content).
 */
export function looksLikeSecretValue(value: string): boolean {
  if (findCredential(value) !== undefined) return true;
  if (value.length < 24) return false;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/].filter((re) => re.test(value)).length;
  const distinct = new Set(value).size;
  // words joined by "-", "_" or "." are names; a run of mixed case and digits without them is not
  const longestRun = Math.max(...value.split(/[-_.]/).map((w) => w.length));
  return classes >= 3 && distinct >= 12 && longestRun >= 20;
}
