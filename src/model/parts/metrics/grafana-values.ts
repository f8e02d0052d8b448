import { GrafanaExposure } from '../../../options/options';
import { ResolvedOptions } from '../../../options/resolve';
import { grafanaCentralAuthMounts, grafanaSecretEnv } from '../../grafana-datasources';
import { storageClassField } from '../chart-ref';

/**
 * Values of the grafana chart shared by both metrics flavors: the standalone
 * `grafana` chart takes them at the top level, kube-prometheus-stack under
 * `grafana.` (it bundles the same chart version as a sub-chart).
 */

/** Label (and value) of the ConfigMaps / Secrets the dashboards sidecar loads, in any namespace. */
export const DASHBOARD_LABEL = 'grafana_dashboard';
export const DASHBOARD_LABEL_VALUE = '1';

/**
 * Annotation of a dashboards ConfigMap that names its Grafana folder: the
 * sidecar writes the ConfigMap's files into a sub-directory of that name,
 * and the provider (`foldersFromFilesStructure`) turns directories into folders.
 */
export const DASHBOARD_FOLDER_ANNOTATION = 'grafana_folder';

/** Dashboard provider of the grafana.com dashboards (`dashboards.<provider>` in the chart's values). */
export const COMMUNITY_DASHBOARD_PROVIDER = 'community';
/** Grafana folder of the grafana.com dashboards. */
export const COMMUNITY_DASHBOARD_FOLDER = 'Community';
/**
 * The `__inputs` name grafana.com dashboards conventionally give their
 * Prometheus datasource (`${DS_PROMETHEUS}` in every panel).
 */
export const COMMUNITY_DATASOURCE_INPUT = 'DS_PROMETHEUS';

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

/**
 * The dashboards sidecar: ConfigMaps labelled `grafana_dashboard: "1"` in
 * every namespace, each into the Grafana folder its `grafana_folder`
 * annotation names (ConfigMaps without it, such as kube-prometheus-stack's
 * own dashboards, stay in the General folder).
 */
export function grafanaDashboardsSidecar(): Record<string, unknown> {
  return {
    enabled: true,
    label: DASHBOARD_LABEL,
    labelValue: DASHBOARD_LABEL_VALUE,
    searchNamespace: 'ALL',
    folderAnnotation: DASHBOARD_FOLDER_ANNOTATION,
    // Map the sidecar's sub-directories to folders (the chart then omits the provider's fixed `folder`).
    provider: { foldersFromFilesStructure: true },
  };
}

/**
 * grafana.com dashboards (`dashboards.community`), through the grafana
 * chart's own mechanism: a file provider in the `Community` folder and one
 * `dashboards.community.gnet-<id>` entry per dashboard, pinned by revision.
 *
 * The chart's `download-dashboards` init container fetches each dashboard
 * from https://grafana.com/api/dashboards/<id>/revisions/<revision>/download
 * with curl at every start of the Grafana pod: Grafana needs egress to
 * grafana.com, or it fails to start. Nothing of the dashboard is in Git.
 *
 * `datasource` is given as a list, so the chart's script replaces every
 * `${DS_PROMETHEUS}` (the dashboard's datasource input) by the configured
 * datasource, `prometheus` being the stable uid of the Prometheus datasource.
 * The chart's string form only rewrites single-line `"datasource": ...,`
 * entries and leaves the `{ "type", "uid": "${DS_PROMETHEUS}" }` objects of
 * current dashboards pointing at a datasource that does not exist.
 */
export function grafanaCommunityDashboardsValues(o: ResolvedOptions): Record<string, unknown> {
  const community = o.dashboards.community;
  if (community.length === 0) return {};
  return {
    dashboardProviders: {
      // The chart's download script looks the provider's path up under this exact key.
      'dashboardproviders.yaml': {
        apiVersion: 1,
        providers: [{
          name: COMMUNITY_DASHBOARD_PROVIDER,
          orgId: 1,
          folder: COMMUNITY_DASHBOARD_FOLDER,
          type: 'file',
          disableDeletion: true,
          allowUiUpdates: false,
          options: { path: `/var/lib/grafana/dashboards/${COMMUNITY_DASHBOARD_PROVIDER}` },
        }],
      },
    },
    dashboards: {
      [COMMUNITY_DASHBOARD_PROVIDER]: Object.fromEntries(community.map((c) => [`gnet-${c.gnetId}`, {
        gnetId: c.gnetId,
        revision: c.revision,
        datasource: [{ name: COMMUNITY_DATASOURCE_INPUT, value: c.datasource }],
      }])),
    },
  };
}

/** Secrets the datasources read, as environment variables of the Grafana container or mounted files. */
export function grafanaEnvValues(o: ResolvedOptions): Record<string, unknown> {
  const env = grafanaSecretEnv(o);
  const mounts = grafanaCentralAuthMounts(o);
  return {
    ...(Object.keys(env).length > 0 ? { envValueFrom: env } : {}),
    ...(mounts.length > 0 ? { extraSecretMounts: mounts } : {}),
  };
}
