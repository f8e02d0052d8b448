/*
 * How the clusters of a distributed environment authenticate to its central
 * Loki, Mimir and Tempo, and which tenant they write as. Public (jsii)
 * struct and enums; resolved in resolve-central-auth.ts, applied in
 * src/model/central-auth.ts.
 */

/**
 * The tenant (`X-Scope-OrgID`) each cluster writes its metrics, logs and
 * spans as, with `Profile.DISTRIBUTED`.
 */
export enum TenantScope {
  /**
   * One tenant per cluster, named after the cluster: per-cluster limits and
   * isolation in Mimir, Loki and Tempo. Grafana on the central cluster reads
   * every tenant of its environment at once (`a|b|c`, tenant federation).
   */
  CLUSTER = 'cluster',
  /** One tenant per environment, named after the environment (needs `environments`). */
  ENVIRONMENT = 'environment',
  /**
   * No tenancy: the backends run single-tenant (Loki `auth_enabled: false`,
   * Mimir `multitenancy_enabled: false`, Tempo single-tenant) and nobody sends
   * `X-Scope-OrgID`.
   */
  NONE = 'none',
}

/** How edge clusters authenticate to the central cluster's endpoints. */
export enum CentralAuthType {
  /**
   * HTTP basic auth: user name and password from the Secret. The central
   * Loki gateway and the tempo-distributed gateway check them against an
   * htpasswd Secret (`gatewaySecretName`).
   */
  BASIC = 'basic',
  /**
   * A bearer token from the Secret (`Authorization: Bearer <token>`), for an
   * authenticating proxy or ingress of your own in front of the central
   * endpoints (the charts' gateways check basic auth only).
   */
  BEARER = 'bearer',
  /**
   * No credentials: the central endpoints are reachable without
   * authentication (for example inside a service mesh with mTLS). Not
   * recommended: anyone who reaches them can write and read.
   */
  NONE = 'none',
}

/**
 * Authentication and tenancy between the clusters of a distributed
 * environment and its central backends (`Profile.DISTRIBUTED`).
 *
 * Credentials never go to Git: the clusters read them from a Kubernetes
 * Secret you create (see the generated README's bootstrap steps), named here
 * with the keys that hold them. On the edge clusters every shipper reads it
 * (Prometheus remote write, the log collectors, the OpenTelemetry gateway
 * collector); on the central cluster the log collectors and Grafana do (they
 * reach Loki through its authenticating gateway).
 */
export interface CentralAuthOptions {
  /**
   * Which tenant each cluster writes as.
   * @default TenantScope.CLUSTER
   */
  readonly tenancy?: TenantScope;

  /**
   * How the clusters authenticate to the central endpoints.
   * @default CentralAuthType.BASIC
   */
  readonly type?: CentralAuthType;

  /**
   * Name of the Secret with the credentials, in each shipper's namespace
   * (metrics, logs and traces namespaces) of the clusters that use it.
   * @default "obs-central-auth"
   */
  readonly secretName?: string;

  /**
   * Key of the user name in the Secret (`CentralAuthType.BASIC`).
   * @default "username"
   */
  readonly usernameKey?: string;

  /**
   * Key of the password in the Secret (`CentralAuthType.BASIC`).
   * @default "password"
   */
  readonly passwordKey?: string;

  /**
   * Key of the bearer token in the Secret (`CentralAuthType.BEARER`).
   * @default "token"
   */
  readonly tokenKey?: string;

  /**
   * Name of the Secret on the central cluster with the htpasswd file (key
   * `.htpasswd`, for example from `htpasswd -nbB <user> <password>`) the Loki
   * gateway and the tempo-distributed gateway check basic auth against, in
   * the logs and traces namespaces (`CentralAuthType.BASIC`).
   * @default "obs-central-htpasswd"
   */
  readonly gatewaySecretName?: string;
}
