import { CentralAuthType } from '../../../options/central-auth';
import { Profile } from '../../../options/fleet';
import { TracesBackend } from '../../../options/options';
import { ResolvedOptions } from '../../../options/resolve';
import { CentralAuthEnv, TENANT_HEADER, centralAuthOf, credentialEnv, sendsCredentials, tenantOf } from '../../central-auth';
import { OTEL_GATEWAY_NAME, traceExportEndpoint } from '../../endpoints';
import { ClusterTarget, KubeObject } from '../../stack';
import { serviceMonitorsAvailable, standaloneScrapesStack } from '../metrics/prometheus-common';

/**
 * The gateway OpenTelemetryCollector every auto-instrumented workload sends
 * its spans to, and the RBAC its `k8s_attributes` processor needs.
 *
 * Component names follow the collector's lower_snake_case names of the
 * collector the operator runs (opentelemetry-collector-k8s 0.158, the
 * operator chart's default tag): `otlp_grpc` (formerly `otlp`, renamed in
 * collector 0.144) and `k8s_attributes` (formerly `k8sattributes`). The old
 * names still work but log a deprecation warning at every start.
 */

/**
 * Names the operator gives the gateway's ServiceAccount and Service
 * (`<name>-collector`, internal/naming in opentelemetry-operator 0.158).
 */
export const GATEWAY_SERVICE_ACCOUNT = `${OTEL_GATEWAY_NAME}-collector`;

const OTLP_GRPC_PORT = 4317;
const OTLP_HTTP_PORT = 4318;
const HEALTH_CHECK_PORT = 13133;

/** Pod metadata the `k8s_attributes` processor adds to spans. */
const K8S_METADATA = ['k8s.namespace.name', 'k8s.pod.name', 'k8s.pod.uid', 'k8s.deployment.name'];

/** Name of the ClusterRole (and its binding) that lets the gateway read pods, namespaces and replicasets. */
export function gatewayClusterRoleName(options: ResolvedOptions): string {
  return `${GATEWAY_SERVICE_ACCOUNT}-${options.traces.namespace}-k8s-attributes`;
}

/** The collector's configuration (what ends up in its ConfigMap). */
export function gatewayConfig(options: ResolvedOptions, cluster: ClusterTarget): Record<string, unknown> {
  // An edge cluster exports to the central Tempo from outside, over TLS.
  const toTempo = options.traces.backend === TracesBackend.TEMPO && options.role !== 'edge';
  const auth = exporterAuth(options, cluster);
  const basicAuth = auth.auth !== undefined;
  return {
    receivers: {
      otlp: {
        protocols: {
          // Explicit 0.0.0.0: the collector binds to localhost when no endpoint is given.
          grpc: { endpoint: `0.0.0.0:${OTLP_GRPC_PORT}` },
          http: { endpoint: `0.0.0.0:${OTLP_HTTP_PORT}` },
        },
      },
    },
    processors: {
      // First in the pipeline: refuse data before the pod is OOM-killed. Percentages
      // are of the container's memory limit (spec.resources.limits.memory).
      memory_limiter: { check_interval: '1s', limit_percentage: 80, spike_limit_percentage: 25 },
      k8s_attributes: {
        // SDKs talk to the gateway directly (no node agent), so the connection's
        // source IP is the pod's; resource attributes the operator injects win.
        pod_association: [
          { sources: [{ from: 'resource_attribute', name: 'k8s.pod.uid' }] },
          { sources: [{ from: 'resource_attribute', name: 'k8s.pod.ip' }] },
          { sources: [{ from: 'connection' }] },
        ],
        extract: { metadata: K8S_METADATA },
      },
      // One Tempo may receive spans of several clusters (or an external backend
      // does): label every span with the cluster it comes from.
      resource: {
        attributes: [
          { key: 'k8s.cluster.name', value: cluster.name, action: 'upsert' },
          ...(cluster.environment !== undefined ? [{ key: 'deployment.environment.name', value: cluster.environment, action: 'upsert' }] : []),
        ],
      },
      batch: {},
    },
    exporters: {
      otlp_grpc: {
        endpoint: traceExportEndpoint(options),
        // In-cluster Tempo serves plain gRPC; an external endpoint gets TLS with the system CAs.
        ...(toTempo ? { tls: { insecure: true } } : {}),
        ...auth,
      },
    },
    extensions: {
      // The operator turns this into the pod's liveness and readiness probes.
      health_check: { endpoint: `0.0.0.0:${HEALTH_CHECK_PORT}` },
      ...(basicAuth ? {
        [BASIC_AUTH_EXTENSION]: { client_auth: { username: envRef(CentralAuthEnv.USERNAME), password: envRef(CentralAuthEnv.PASSWORD) } },
      } : {}),
    },
    service: {
      extensions: ['health_check', ...(basicAuth ? [BASIC_AUTH_EXTENSION] : [])],
      // The collector's own metrics (spans received, sent, refused, failed) on
      // :8888 for every interface, where the operator's monitoring Service
      // and ServiceMonitor read them.
      telemetry: { metrics: { readers: [{ pull: { exporter: { prometheus: { host: '0.0.0.0', port: 8888 } } } }] } },
      pipelines: {
        traces: {
          receivers: ['otlp'],
          processors: ['memory_limiter', 'k8s_attributes', 'resource', 'batch'],
          exporters: ['otlp_grpc'],
        },
      },
    },
  };
}

/** The gateway OpenTelemetryCollector (a Deployment and a `<name>-collector` Service, made by the operator). */
export function gatewayCollector(options: ResolvedOptions, cluster: ClusterTarget): KubeObject {
  return {
    apiVersion: 'opentelemetry.io/v1beta1',
    kind: 'OpenTelemetryCollector',
    metadata: { name: OTEL_GATEWAY_NAME, namespace: options.traces.namespace },
    spec: {
      mode: 'deployment',
      replicas: options.profile === Profile.HA ? 2 : 1,
      // A ServiceMonitor for the collector's metrics (OtelCollectorDroppingData,
      // stack-health dashboard), where prometheus-operator's CRDs exist. The standalone
      // Prometheus scrapes the monitoring Service with a job of its own instead
      // (standalone-stack-scrape.ts); without the operator's default prometheus.io/scrape
      // pod annotations, or the chart's kubernetes-pods job would scrape the collector too.
      observability: {
        metrics: {
          enableMetrics: serviceMonitorsAvailable(options),
          ...(standaloneScrapesStack(options) ? { disablePrometheusAnnotations: true } : {}),
        },
      },
      resources: {
        requests: { cpu: '100m', memory: '256Mi' },
        // memory_limiter works on this limit.
        limits: { memory: '512Mi' },
      },
      config: gatewayConfig(options, cluster),
      // With centralAuth, from an edge cluster: the credentials from the Secret.
      ...(sendsCredentials(options, false) && options.traces.backend === TracesBackend.TEMPO ? { env: credentialEnv(options.centralAuth!) } : {}),
    },
  };
}

/** Name of the collector's basic-auth extension (the exporter's authenticator). */
const BASIC_AUTH_EXTENSION = 'basicauth/central';

/** `${env:NAME}`: the collector expands it from the container's environment when it loads the configuration. */
function envRef(name: string): string {
  return `\${env:${name}}`;
}

/**
 * The exporter's tenant header and authentication towards the central Tempo
 * (`centralAuth`, src/model/central-auth.ts): basic auth through the
 * `basicauth` extension, a bearer token as the `authorization` header.
 * Only to Tempo: an external OTLP endpoint (TracesBackend.OTLP_ENDPOINT) has
 * its own scheme.
 */
function exporterAuth(options: ResolvedOptions, cluster: ClusterTarget): Record<string, unknown> {
  if (options.traces.backend !== TracesBackend.TEMPO || centralAuthOf(options) === undefined) return {};
  const tenant = tenantOf(options, cluster);
  const credentials = sendsCredentials(options, false);
  const type = options.centralAuth!.type;
  const headers = {
    ...(tenant !== undefined ? { [TENANT_HEADER]: tenant } : {}),
    ...(credentials && type === CentralAuthType.BEARER ? { authorization: `Bearer ${envRef(CentralAuthEnv.TOKEN)}` } : {}),
  };
  return {
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    ...(credentials && type === CentralAuthType.BASIC ? { auth: { authenticator: BASIC_AUTH_EXTENSION } } : {}),
  };
}

/**
 * RBAC of the `k8s_attributes` processor: read pods and namespaces, and
 * replicasets (deployment names), cluster-wide since workloads in every
 * namespace send spans. The rules are what the operator itself would generate
 * for this configuration; they are written here rather than letting the
 * operator create them (`manager.createRbacPermissions`), which would let the
 * operator create ClusterRoles and read every Secret in the cluster.
 */
export function gatewayRbac(options: ResolvedOptions): KubeObject[] {
  const name = gatewayClusterRoleName(options);
  const verbs = ['get', 'list', 'watch'];
  return [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name },
      rules: [
        { apiGroups: [''], resources: ['pods', 'namespaces'], verbs },
        { apiGroups: ['apps'], resources: ['replicasets'], verbs },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects: [{ kind: 'ServiceAccount', name: GATEWAY_SERVICE_ACCOUNT, namespace: options.traces.namespace }],
    },
  ];
}
