import { createHash } from 'crypto';

/** Grafana's limit on dashboard uids. */
export const MAX_UID_LENGTH = 40;

/** Characters Grafana accepts in a uid. */
export const UID_PATTERN = /^[A-Za-z0-9_-]{1,40}$/;

/** Prefix of every uid the library generates, so they never clash with the user's own dashboards. */
const PREFIX = 'obs';

/**
 * A stable dashboard uid from names: `obs-<part>-<part>...` in lowercase.
 * Parts are joined with `-`, except that `_` separates parts that are
 * themselves DNS labels (namespace and service name), which cannot contain
 * `_`: `obs-svc-shop_checkout` never equals the uid of another
 * namespace/name pair. Longer than Grafana's 40 characters, it is cut and
 * ends with 8 hex digits of the SHA-256 of the full uid, so it stays unique
 * and the same on every synth.
 */
export function dashboardUid(kind: string, ...names: string[]): string {
  const base = `${PREFIX}-${slug(kind)}`;
  const joined = names.length === 0 ? base : `${base}-${names.map(slug).join('_')}`;
  if (joined.length <= MAX_UID_LENGTH) return joined;
  const hash = createHash('sha256').update(joined).digest('hex').slice(0, 8);
  const head = joined.slice(0, MAX_UID_LENGTH - hash.length - 1).replace(/[-_]+$/, '');
  return `${head}-${hash}`;
}

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
}
