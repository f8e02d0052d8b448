import { IN_CLUSTER_SERVER } from './resolve';
import { InvalidOptionError } from '../validation/errors';

/*
 * Two clusters with one Argo CD destination are one Kubernetes cluster: each
 * would get the stack's Applications, both sets would deploy the same objects
 * (same kinds, namespaces and names) and the two would fight over them
 * forever. Refused at synth, naming both clusters and the destination.
 */

/** Argo CD's name of the cluster it runs in (its default `destination.name` for `IN_CLUSTER_SERVER`). */
const IN_CLUSTER_NAME = 'in-cluster';

/** The destination fields of a resolved cluster. */
export interface ClusterDestination {
  readonly name: string;
  readonly server?: string;
  readonly destinationName?: string;
}

/**
 * A server URL compared as a URL: scheme and host in lower case, the
 * scheme's default port dropped (443 for https, 80 for http), trailing
 * slashes of the path dropped. `https://K8s.example.com:443/` and
 * `https://k8s.example.com` are one API server.
 */
export function normalizeServerUrl(server: string): string {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    return server;
  }
  // URL lower-cases scheme and host and drops the scheme's default port.
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.protocol}//${url.host}${path}${url.search}`;
}

/**
 * The cluster a destination deploys to, as Argo CD resolves it: the
 * normalized server URL, or `name:<cluster name>` (the name "in-cluster" is
 * Argo CD's name of the in-cluster server). Two destinations with one key
 * are one cluster: for the options' clusters and for rendered Applications.
 */
export function destinationKey(d: { readonly server?: string; readonly destinationName?: string }): string {
  if (d.destinationName === undefined) return normalizeServerUrl(d.server ?? IN_CLUSTER_SERVER);
  return d.destinationName === IN_CLUSTER_NAME ? normalizeServerUrl(IN_CLUSTER_SERVER) : `name:${d.destinationName}`;
}

/** How a cluster's destination reads in a message (and whether it was defaulted). */
function describe(c: ClusterDestination, raw: { server?: unknown; destinationName?: unknown } | undefined): string {
  if (c.destinationName !== undefined) {
    return c.destinationName === IN_CLUSTER_NAME
      ? `destinationName "${IN_CLUSTER_NAME}" (Argo CD's name of ${IN_CLUSTER_SERVER}, the cluster it runs in)`
      : `destinationName "${c.destinationName}"`;
  }
  if (raw?.server === undefined) return `server ${IN_CLUSTER_SERVER} (the default when server and destinationName are unset: the cluster Argo CD runs in)`;
  return `server "${c.server}"`;
}

/**
 * Throw when two clusters share a destination (server URLs compared
 * normalized, `destinationName` by name; an unset destination is the cluster
 * Argo CD runs in). `raw` are the clusters as given, for the option paths.
 */
export function checkDistinctDestinations(clusters: readonly ClusterDestination[],
  raw: ReadonlyArray<{ server?: unknown; destinationName?: unknown }>): void {
  const first = new Map<string, number>();
  clusters.forEach((c, j) => {
    const key = destinationKey(c);
    const i = first.get(key);
    if (i === undefined) {
      first.set(key, j);
      return;
    }
    const a = clusters[i];
    const field = c.destinationName !== undefined ? 'destinationName' : 'server';
    const option = `clusters[${j}].${field}`;
    const value = c.destinationName ?? raw[j]?.server;
    throw new InvalidOptionError(option, value,
      `gives cluster "${c.name}" the destination of cluster "${a.name}" (clusters[${i}]): "${a.name}" has ${describe(a, raw[i])}, ` +
      `"${c.name}" has ${describe(c, raw[j])}. Two clusters with one destination are one Kubernetes cluster, and their ` +
      'Applications would fight over the same objects. Give one of them its own destination: set clusters[' +
      `${j}].server to its API server URL (for example "https://${c.name}.example.com") or clusters[${j}].destinationName ` +
      'to the name of its Argo CD cluster Secret');
  });
}
