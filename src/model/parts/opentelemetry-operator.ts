import { NO_CLUSTER_VALUES, NO_MANIFESTS, pinnedChart } from './chart-ref';
import { OPERATOR_LANGUAGE_FLAG } from './traces/instrumentation';
import { InstrumentationLanguage } from '../../options/options';
import { ResolvedOptions } from '../../options/resolve';
import { PartDefinition, SyncWave } from '../stack';

/** Helm fullname of the release (releaseName = chart name). */
const FULLNAME = 'opentelemetry-operator';

/**
 * The collector distribution the operator runs for OpenTelemetryCollector
 * resources that do not name an image: the Kubernetes distribution
 * (otelcol-k8s) rather than contrib. It has every component the gateway uses
 * (otlp receiver, memory_limiter, k8s_attributes, resource, batch, otlp_grpc
 * exporter, health_check) and those of common Kubernetes pipelines, with a far
 * smaller image and attack surface than contrib's ~200 components. The tag is
 * left to the chart, which pins the collector release matching its operator.
 */
const COLLECTOR_IMAGE = 'ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-k8s';

/**
 * Operator flags switching off the injection of languages that are not in
 * `traces.instrumentationLanguages` (Java, Node.js, Python and .NET are on by
 * default), and of Apache HTTPD, also on by default: its module exports OTLP
 * over gRPC, while the generated Instrumentation points at the gateway's
 * OTLP/HTTP port, so it could not export anyway. (Nginx is off by default.)
 */
export function operatorLanguageArgs(options: ResolvedOptions): string[] {
  const languages = options.traces.instrumentationLanguages;
  const args = Object.entries(OPERATOR_LANGUAGE_FLAG)
    .filter(([language]) => !languages.includes(language as InstrumentationLanguage))
    .map(([, flag]) => `${flag}=false`);
  return [...args, '--enable-apache-httpd-instrumentation=false'];
}

/**
 * The OpenTelemetry operator: reconciles OpenTelemetryCollector resources and
 * injects auto-instrumentation through its mutating webhook.
 */
export const opentelemetryOperator: PartDefinition = {
  name: 'opentelemetry-operator',
  build: (options) => {
    if (!options.traces.enabled) return undefined;
    const { traces } = options;
    return {
      name: 'opentelemetry-operator',
      description: 'OpenTelemetry operator and its CRDs (OpenTelemetryCollector, Instrumentation, ...), webhooks with chart-generated certificates',
      area: 'traces',
      chart: pinnedChart('opentelemetry-operator'),
      namespace: traces.operatorNamespace,
      wave: SyncWave.OPERATORS,
      // The chart installs its CRDs as templates; the OpenTelemetryCollector CRD
      // exceeds the 256 KiB last-applied annotation of client-side apply.
      serverSideApply: true,
      values: {
        crds: { create: true },
        manager: {
          collectorImage: { repository: COLLECTOR_IMAGE },
          // Go injection needs the operator flag --enable-go-instrumentation.
          autoInstrumentation: { go: { enabled: traces.instrumentationLanguages.includes(InstrumentationLanguage.GO) } },
          extraArgs: operatorLanguageArgs(options),
        },
        admissionWebhooks: {
          // The stack installs no cert-manager (the chart's default): the chart
          // generates a CA and a serving certificate itself. Argo CD renders
          // with `helm template`, where `lookup` finds nothing, so every render
          // makes a new pair (`recreate` does not matter): see ignoreDifferences.
          certManager: { enabled: false },
          autoGenerateCert: { enabled: true },
        },
      },
      clusterValues: NO_CLUSTER_VALUES,
      manifests: NO_MANIFESTS,
      ignoreDifferences: webhookCertIgnoreDifferences(options),
      clusterResources: [
        { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' },
        { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
        { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
        { group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration' },
        { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration' },
      ],
    };
  },
};

/**
 * Argo CD `ignoreDifferences` for the chart-generated webhook certificate.
 * Every manifest generation renders a new CA into the webhook configurations'
 * and the OpenTelemetryCollector CRD's conversion `caBundle` (and a new
 * Secret), so without these the Application would be OutOfSync after every
 * repo-server cache expiry and re-sync for nothing.
 *
 * This stays consistent because a sync applies a whole render: the Secret is a
 * Helm pre-install/pre-upgrade hook (an Argo CD PreSync hook, recreated on
 * every sync) and the caBundles come from the same render. Hence this
 * Application must NOT use `RespectIgnoreDifferences=true` or
 * `ApplyOutOfSyncOnly=true`: either would keep the old caBundle next to a new
 * certificate and break the webhooks.
 */
export function webhookCertIgnoreDifferences(options: ResolvedOptions): Record<string, unknown>[] {
  const caBundles = ['.webhooks[]?.clientConfig.caBundle'];
  return [
    { group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration', name: `${FULLNAME}-mutation`, jqPathExpressions: caBundles },
    { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration', name: `${FULLNAME}-validation`, jqPathExpressions: caBundles },
    { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition', jsonPointers: ['/spec/conversion/webhook/clientConfig/caBundle'] },
    {
      group: '',
      kind: 'Secret',
      name: `${FULLNAME}-controller-manager-service-cert`,
      namespace: options.traces.operatorNamespace,
      jsonPointers: ['/data'],
    },
  ];
}
