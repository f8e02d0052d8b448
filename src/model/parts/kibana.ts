import { NO_CLUSTER_VALUES, NO_MANIFESTS, pinnedChart } from './chart-ref';
import { LogsBackend } from '../../options/options';
import { ResolvedOptions } from '../../options/resolve';
import { ELASTICSEARCH_CERTS_SECRET, ELASTICSEARCH_CREDENTIALS_SECRET, elasticsearchUrl } from '../endpoints';
import { PartDefinition, SyncWave } from '../stack';

/**
 * Kibana (LogsBackend.ELASTICSEARCH) from the archived elastic chart 8.5.1
 * (Deployment and Service `kibana-kibana:5601`), connected to
 * `elasticsearch-master` over HTTPS with the elasticsearch chart's CA.
 *
 * How it authenticates: a pre-install/pre-upgrade hook Job (an Argo CD
 * PreSync hook) logs in as `elastic` with the chart-generated credentials
 * Secret, creates an Elasticsearch service-account token for Kibana and
 * stores it in Secret `kibana-kibana-es-token`, which the Deployment reads.
 * It runs in the same wave as Elasticsearch and retries (backoffLimit 20)
 * until Elasticsearch answers.
 *
 * Known chart defect (elastic/helm-charts#1766, never fixed before the
 * repository was archived): the hook runs again on every later sync, revokes
 * the token Kibana uses, creates a new one and then fails with "secrets
 * kibana-kibana-es-token already exists", so the new token is never stored.
 * Before re-syncing Kibana (a values or chart change), delete Secret
 * `kibana-kibana-es-token`, sync, then `kubectl rollout restart
 * deployment/kibana-kibana`.
 */
export const kibana: PartDefinition = {
  name: 'kibana',
  build: (options) => {
    if (!options.logs.enabled || options.logs.backend !== LogsBackend.ELASTICSEARCH) return undefined;
    return {
      name: 'kibana',
      description: 'Kibana 8.5 (archived chart) on Elasticsearch, Service kibana-kibana:5601 (token hook: see the part docs before re-syncing)',
      area: 'logs',
      chart: pinnedChart('kibana'),
      namespace: options.logs.namespace,
      // With Elasticsearch: its PreSync hook Job retries until Elasticsearch is up.
      wave: SyncWave.STACKS,
      serverSideApply: false,
      values: kibanaValues(options),
      clusterValues: NO_CLUSTER_VALUES,
      manifests: NO_MANIFESTS,
      // Deployment, Service and the hooks' ServiceAccount/Role/RoleBinding: all namespaced.
      clusterResources: [],
    };
  },
};

/** Helm values of the kibana chart: the elasticsearch chart's Service and Secrets, by name. */
export function kibanaValues(options: ResolvedOptions): Record<string, unknown> {
  return {
    // Also the base URL of the token hook. The host name is in the
    // certificate's SANs (elasticsearch-master.<namespace>.svc).
    elasticsearchHosts: elasticsearchUrl(options),
    elasticsearchCertificateSecret: ELASTICSEARCH_CERTS_SECRET,
    elasticsearchCertificateAuthoritiesFile: 'ca.crt',
    elasticsearchCredentialSecret: ELASTICSEARCH_CREDENTIALS_SECRET,
  };
}
