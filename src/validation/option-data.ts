import { findCredential } from './credentials';
import { InvalidOptionError } from './errors';

/**
 * What holds for every value of the options, at any depth (valuesOverrides
 * included), checked before anything else:
 *
 * - no credential: every string is searched for the credential formats of
 *   credentials.ts, so the first error about a pasted token names where it
 *   is and never repeats it;
 * - every number is finite: NaN and Infinity have no YAML or JSON form that
 *   Helm, Prometheus or Grafana read as meant (JSON writes them as null).
 */
export function checkOptionData(options: unknown): void {
  walk(options, '', 0);
}

/** Where to keep a credential instead, by the option it was found in. */
function advice(path: string): string {
  if (path === 'gitRepoUrl') {
    return 'give Argo CD the repository credentials as a repository Secret (label argocd.argoproj.io/secret-type: repository) ' +
      'and keep the URL without them, for example "https://github.com/acme/observability.git"';
  }
  if (/^alerting\.receivers\[\d+\]|^environments\[\d+\]\.alerting\.receivers/.test(path)) {
    return 'put it in the Kubernetes Secret named by secretName, under the key named by secretKey';
  }
  if (/(server|Url|Endpoint|url|endpoint)$/.test(path)) {
    return 'keep the URL without credentials; the component reads them from a Kubernetes Secret';
  }
  return 'keep it in a Kubernetes Secret and reference the Secret by name (valuesOverrides: the chart\'s existingSecret-style keys)';
}

function walk(node: unknown, path: string, depth: number): void {
  if (depth > 64) return;
  if (typeof node === 'string') {
    const found = findCredential(node);
    if (found) {
      throw new InvalidOptionError(path || '(options)', node,
        `contains ${found.kind}, which would be written to Git in plain text (value masked here): ${advice(path)}`);
    }
    return;
  }
  if (typeof node === 'number') {
    if (!Number.isFinite(node)) {
      throw new InvalidOptionError(path || '(options)', String(node),
        'is not a finite number: NaN and Infinity would be written as null (JSON) or .nan/.inf (YAML); give a number');
    }
    return;
  }
  if (Array.isArray(node)) {
    node.forEach((item, i) => walk(item, `${path}[${i}]`, depth + 1));
    return;
  }
  if (node === null || typeof node !== 'object') return;
  // only plain data: projen objects passed through the options (a parent project, components) are not ours to search
  const proto = Object.getPrototypeOf(node);
  if (proto !== Object.prototype && proto !== null) return;
  for (const [key, value] of Object.entries(node)) {
    const keyFinding = findCredential(key);
    const at = path === '' ? key : `${path}.${key}`;
    if (keyFinding) {
      throw new InvalidOptionError(at, key, `is a key that contains ${keyFinding.kind}, which would be written to Git in plain text (masked here): ${advice(path)}`);
    }
    walk(value, at, depth + 1);
  }
}
