import { GrafanaExposure } from '../../../options/options';
import { ResolvedOptions } from '../../../options/resolve';
import { grafanaSecretEnv } from '../../grafana-datasources';
import { storageClassField } from '../chart-ref';

/**
 * Values of the grafana chart shared by both metrics flavors: the standalone
 * `grafana` chart takes them at the top level, kube-prometheus-stack under
 * `grafana.` (it bundles the same chart version as a sub-chart).
 */

/** Label (and value) of the ConfigMaps / Secrets the dashboards sidecar loads, in any namespace. */
export const DASHBOARD_LABEL = 'grafana_dashboard';
export const DASHBOARD_LABEL_VALUE = '1';

/** Admin credentials from an existing Secret: the chart then generates none, and nothing is in Git. */
export function grafanaAdminValues(g: ResolvedOptions['grafana']): Record<string, unknown> {
  return {
    admin: {
      existingSecret: g.adminSecretName,
      userKey: g.adminUserKey,
      passwordKey: g.adminPasswordKey,
    },
  };
}

/**
 * Service / Ingress for `grafana.exposure`, and the public URL Grafana builds
 * links and redirects with when it sits behind an Ingress.
 */
export function grafanaExposureValues(g: ResolvedOptions['grafana']): Record<string, unknown> {
  switch (g.exposure) {
    case GrafanaExposure.NODE_PORT:
      return { service: { type: 'NodePort', nodePort: g.nodePort } };
    case GrafanaExposure.INGRESS: {
      const ingress = g.ingress!;
      const scheme = ingress.tlsSecretName ? 'https' : 'http';
      return {
        'ingress': {
          enabled: true,
          ...(ingress.className ? { ingressClassName: ingress.className } : {}),
          hosts: [ingress.host],
          path: '/',
          pathType: 'Prefix',
          ...(ingress.tlsSecretName ? { tls: [{ secretName: ingress.tlsSecretName, hosts: [ingress.host] }] } : {}),
        },
        // Without it Grafana assumes http://<host>:3000/ in links, redirects and alert notifications.
        'grafana.ini': { server: { root_url: `${scheme}://${ingress.host}/` } },
      };
    }
    default:
      return { service: { type: 'ClusterIP' } };
  }
}

/**
 * A volume for Grafana's SQLite database when `grafana.persistence` is set
 * (otherwise the chart's emptyDir: dashboards and datasources come from Git).
 */
export function grafanaPersistenceValues(g: ResolvedOptions['grafana']): Record<string, unknown> {
  if (!g.persistence) return {};
  return {
    persistence: {
      enabled: true,
      type: 'pvc',
      accessModes: ['ReadWriteOnce'],
      size: g.persistence.size,
      ...storageClassField(g.persistence.storageClassName),
    },
    // A ReadWriteOnce volume cannot follow a surge pod to another node: replace the pod instead.
    deploymentStrategy: { type: 'Recreate' },
  };
}

/** The dashboards sidecar: ConfigMaps labelled `grafana_dashboard: "1"` in every namespace. */
export function grafanaDashboardsSidecar(): Record<string, unknown> {
  return {
    enabled: true,
    label: DASHBOARD_LABEL,
    labelValue: DASHBOARD_LABEL_VALUE,
    searchNamespace: 'ALL',
  };
}

/** Secrets the datasources read, as environment variables of the Grafana container. */
export function grafanaEnvValues(o: ResolvedOptions): Record<string, unknown> {
  const env = grafanaSecretEnv(o);
  return Object.keys(env).length > 0 ? { envValueFrom: env } : {};
}
