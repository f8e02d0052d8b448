import { ClusterTarget } from './stack';
import { compareCodePoints } from '../compare';
import { CentralAuthType, TenantScope } from '../options/central-auth';
import { MetricsBackend, TempoMode } from '../options/fleet';
import { LogsBackend, TracesBackend } from '../options/options';
import { ResolvedOptions } from '../options/resolve';
import { ResolvedCentralAuth } from '../options/resolve-central-auth';

/**
 * Authentication and tenancy between the clusters of a distributed
 * environment and its central Loki, Mimir and Tempo (`centralAuth`).
 *
 * - Tenancy: the central backends run multi-tenant (Loki `auth_enabled`,
 *   Mimir `multitenancy_enabled`, Tempo `multitenancy_enabled`); every writer
 *   sends `X-Scope-OrgID: <tenant>` (the cluster's or the environment's name).
 *   Grafana on the central cluster reads all tenants of its environment with
 *   one datasource per backend and the tenant list `a|b|c` (Mimir tenant
 *   federation, Loki multi-tenant queries, Tempo cross-tenant queries): the
 *   datasource uids dashboards and links refer to stay the same, and the
 *   `cluster` label (or `k8s.cluster.name`) still tells the clusters apart.
 * - Credentials: writers that reach an authenticating endpoint read them from
 *   the Secret `secretName`: every shipper of an edge cluster (it reaches the
 *   central cluster from outside, through the URLs in the options), and on
 *   the central cluster the log collectors and Grafana, which reach Loki
 *   through its gateway. The central Prometheus and OpenTelemetry collector
 *   write to Mimir's distributor and Tempo's distributor Services directly
 *   (inside the cluster, behind the gateways), with the tenant header only.
 * - The gateways: with basic auth, the Loki gateway, the tempo-distributed
 *   gateway and Mimir's gateway check it against the htpasswd Secret
 *   `gatewaySecretName` on the central cluster.
 *
 * Internal module: not exported from src/index.ts.
 */

/** The tenant header of Loki, Mimir and Tempo. */
export const TENANT_HEADER = 'X-Scope-OrgID';

/** Container environment variables the collectors and Grafana read tenant and credentials from. */
export const CentralAuthEnv = {
  TENANT: 'CENTRAL_TENANT',
  USERNAME: 'CENTRAL_USERNAME',
  PASSWORD: 'CENTRAL_PASSWORD',
  TOKEN: 'CENTRAL_TOKEN',
} as const;

/** Where collectors mount the credentials Secret when they read them from files (Promtail, Fluentd). */
export const CENTRAL_AUTH_DIR = '/etc/obs-central-auth';

/** The key of the htpasswd file in the gateways' Secret (what the charts' nginx reads). */
export const HTPASSWD_KEY = '.htpasswd';

/** The resolved `centralAuth` when these clusters are part of a distributed environment. */
export function centralAuthOf(o: ResolvedOptions): ResolvedCentralAuth | undefined {
  return o.role === 'all-in-one' ? undefined : o.centralAuth;
}

/** Whether writers send, and the backends require, a tenant. */
export function tenancyOn(o: ResolvedOptions): boolean {
  const a = centralAuthOf(o);
  return a !== undefined && a.tenancy !== TenantScope.NONE;
}

/** The tenant a cluster writes as (undefined: no tenancy). */
export function tenantOf(o: ResolvedOptions, cluster: ClusterTarget): string | undefined {
  const a = centralAuthOf(o);
  if (a === undefined || a.tenancy === TenantScope.NONE) return undefined;
  return a.tenancy === TenantScope.ENVIRONMENT ? (cluster.environment ?? o.environment ?? cluster.name) : cluster.name;
}

/**
 * The tenants the central cluster's readers query, `|`-separated: its own
 * and its edge clusters', in the order the clusters are declared, each once.
 * Undefined without tenancy.
 */
export function readTenants(o: ResolvedOptions): string | undefined {
  if (!tenancyOn(o)) return undefined;
  const tenants = [...o.clusters, ...o.edgeClusters].map((c) => tenantOf(o, c)!);
  return [...new Set(tenants)].join('|');
}

/**
 * Whether the writers of these clusters send credentials to an endpoint:
 * from an edge cluster every central endpoint authenticates; on the central
 * cluster only the Loki gateway does (`viaGateway`), and only with basic auth.
 */
export function sendsCredentials(o: ResolvedOptions, viaGateway: boolean): boolean {
  const a = centralAuthOf(o);
  if (a === undefined || a.type === CentralAuthType.NONE) return false;
  if (o.role === 'edge') return true;
  return viaGateway && gatewayAuthOn(o);
}

/** Whether the central cluster's gateways check basic auth against the htpasswd Secret. */
export function gatewayAuthOn(o: ResolvedOptions): boolean {
  const a = centralAuthOf(o);
  return o.role === 'central' && a !== undefined && a.type === CentralAuthType.BASIC;
}

/** The chart values of a gateway (Loki, tempo-distributed) with basic auth from the htpasswd Secret. */
export function gatewayBasicAuth(o: ResolvedOptions): Record<string, unknown> {
  return { enabled: true, existingSecret: o.centralAuth!.gatewaySecretName };
}

function secretRef(a: ResolvedCentralAuth, key: string): Record<string, unknown> {
  return { secretKeyRef: { name: a.secretName, key } };
}

/**
 * Container environment entries with the tenant and the credentials of a
 * cluster's writers: `CENTRAL_TENANT` (a value), `CENTRAL_USERNAME` and
 * `CENTRAL_PASSWORD` or `CENTRAL_TOKEN` (from the Secret). Empty when neither applies.
 */
export function centralAuthEnv(o: ResolvedOptions, cluster: ClusterTarget, viaGateway: boolean): Record<string, unknown>[] {
  const a = centralAuthOf(o);
  if (a === undefined) return [];
  const tenant = tenantOf(o, cluster);
  return [
    ...(tenant !== undefined ? [{ name: CentralAuthEnv.TENANT, value: tenant }] : []),
    ...(sendsCredentials(o, viaGateway) ? credentialEnv(a) : []),
  ];
}

/** The credentials as environment entries read from the Secret. */
export function credentialEnv(a: ResolvedCentralAuth): Record<string, unknown>[] {
  return a.type === CentralAuthType.BEARER
    ? [{ name: CentralAuthEnv.TOKEN, valueFrom: secretRef(a, a.tokenKey) }]
    : [
      { name: CentralAuthEnv.USERNAME, valueFrom: secretRef(a, a.usernameKey) },
      { name: CentralAuthEnv.PASSWORD, valueFrom: secretRef(a, a.passwordKey) },
    ];
}

/** A pod volume of the credentials Secret (for collectors that read credentials from files). */
export function credentialVolume(o: ResolvedOptions): Record<string, unknown> {
  return { name: 'obs-central-auth', secret: { secretName: o.centralAuth!.secretName } };
}

/** The mount of `credentialVolume` at `CENTRAL_AUTH_DIR`. */
export const CREDENTIAL_MOUNT: Record<string, unknown> = { name: 'obs-central-auth', mountPath: CENTRAL_AUTH_DIR, readOnly: true };

/**
 * The prometheus-operator `RemoteWriteSpec` fields of the tenant and the
 * credentials (the operator reads the Secret in Prometheus' namespace).
 */
export function remoteWriteAuth(o: ResolvedOptions, cluster: ClusterTarget): Record<string, unknown> {
  const a = centralAuthOf(o);
  if (a === undefined) return {};
  const tenant = tenantOf(o, cluster);
  const credentials = sendsCredentials(o, false);
  return {
    ...(tenant !== undefined ? { headers: { [TENANT_HEADER]: tenant } } : {}),
    ...(credentials && a.type === CentralAuthType.BASIC ? {
      basicAuth: { username: { name: a.secretName, key: a.usernameKey }, password: { name: a.secretName, key: a.passwordKey } },
    } : {}),
    ...(credentials && a.type === CentralAuthType.BEARER ? {
      authorization: { type: 'Bearer', credentials: { name: a.secretName, key: a.tokenKey } },
    } : {}),
  };
}

/** The Secrets the clusters need, for the generated README: where, which keys, what for. */
export interface CentralAuthSecret {
  readonly role: 'edge' | 'central';
  readonly name: string;
  readonly namespaces: readonly string[];
  readonly keys: readonly string[];
  readonly purpose: string;
}

/**
 * Every Secret `centralAuth` needs in a distributed environment, from the
 * options of its central group (empty otherwise, or without credentials).
 */
export function centralAuthSecrets(o: ResolvedOptions): CentralAuthSecret[] {
  const a = o.centralAuth;
  if (o.role !== 'central' || a === undefined || a.type === CentralAuthType.NONE) return [];
  const keys = a.type === CentralAuthType.BEARER ? [a.tokenKey] : [a.usernameKey, a.passwordKey];
  const metrics = o.metrics.enabled && o.metrics.backend === MetricsBackend.MIMIR;
  const logs = o.logs.enabled && o.logs.backend === LogsBackend.LOKI;
  const traces = o.traces.enabled && o.traces.backend === TracesBackend.TEMPO;
  const unique = (namespaces: string[]) => [...new Set(namespaces)].sort(compareCodePoints);
  const out: CentralAuthSecret[] = [];
  const edgeNamespaces = unique([
    ...(metrics ? [o.metrics.namespace] : []), ...(logs ? [o.logs.namespace] : []), ...(traces ? [o.traces.namespace] : []),
  ]);
  if (o.edgeClusters.length > 0 && edgeNamespaces.length > 0) {
    out.push({
      role: 'edge',
      name: a.secretName,
      namespaces: edgeNamespaces,
      keys,
      purpose: 'Prometheus, the log collectors and the OpenTelemetry collector authenticate to the central endpoints with it',
    });
  }
  if (a.type === CentralAuthType.BASIC) {
    if (logs) {
      out.push({
        role: 'central',
        name: a.secretName,
        namespaces: unique([o.logs.namespace, ...(o.grafana.enabled ? [o.metrics.namespace] : [])]),
        keys,
        purpose: 'the log collectors and Grafana reach Loki through its gateway with it',
      });
    }
    const gateways = unique([...(logs ? [o.logs.namespace] : []), ...(metrics ? [o.metrics.namespace] : []),
      ...(traces && o.traces.mode === TempoMode.DISTRIBUTED ? [o.traces.namespace] : [])]);
    if (gateways.length > 0) {
      out.push({
        role: 'central',
        name: a.gatewaySecretName,
        namespaces: gateways,
        keys: [HTPASSWD_KEY],
        purpose: 'the Loki, Mimir and Tempo gateways check basic auth against it: one line per user, from `htpasswd -nbB <user> <password>`',
      });
    }
  }
  return out;
}

/**
 * What a reviewer should know about `centralAuth`, printed at synth: the
 * central endpoints without authentication, and credentials an edge would
 * send over plain HTTP.
 */
export function centralAuthWarnings(o: ResolvedOptions): string[] {
  const a = centralAuthOf(o);
  if (a === undefined) return [];
  const out: string[] = [];
  if (a.type === CentralAuthType.NONE && o.role === 'central') {
    out.push('centralAuth.type is CentralAuthType.NONE: the central Loki, Mimir and Tempo take writes and queries from anyone who reaches ' +
      'their gateways. Keep them off public networks, or use CentralAuthType.BASIC (the default).');
  }
  if (o.role === 'edge' && sendsCredentials(o, false)) {
    const plain = [
      ...(o.metrics.enabled && o.metrics.remoteWriteUrl?.startsWith('http://') ? ['metrics.remoteWriteUrl'] : []),
      ...(o.logs.enabled && o.logs.pushUrl?.startsWith('http://') ? ['logs.pushUrl'] : []),
    ];
    if (plain.length > 0) {
      out.push(`${plain.join(' and ')} ${plain.length > 1 ? 'are' : 'is'} plain http: the edge clusters send their centralAuth credentials ` +
        'unencrypted. Use https (TLS at the Ingress in front of the central gateways).');
    }
  }
  return out;
}
