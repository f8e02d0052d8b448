import {
  FleetMode, InstrumentationLanguage, LogCollector, ObjectStorageProvider, ObservabilityGitOpsProjectOptions, Profile, ReceiverType, SloKind,
} from '../../src';

/*
 * The library README's examples, as written there, so tests can synthesize,
 * validate and render exactly what a reader copies (the tests also check that
 * README.md still contains their distinctive lines).
 */

/** The README's "Options" example. */
export const README_OPTIONS: Partial<ObservabilityGitOpsProjectOptions> = {
  gitRepoUrl: 'https://github.com/acme/observability.git',
  gitRevision: 'main',
  metrics: { namespace: 'monitoring', retention: '15d' },
  grafana: { adminSecretName: 'grafana-admin-credentials' },
  logs: { collectors: [LogCollector.ALLOY], excludeNamespaces: ['kube-system'] },
  traces: { samplerRatio: 0.25 },
  services: [{
    name: 'checkout',
    namespace: 'shop',
    port: 'http-metrics',
    language: InstrumentationLanguage.JAVA,
    slos: [{ kind: SloKind.AVAILABILITY, objective: 99.9 }, { kind: SloKind.LATENCY, objective: 99, latencyThresholdSeconds: 0.5 }],
  }],
  alerting: {
    receivers: [
      { name: 'oncall', type: ReceiverType.PAGERDUTY, secretName: 'pagerduty', secretKey: 'routing-key' },
      { name: 'team-chat', type: ReceiverType.SLACK, secretName: 'slack-webhook', secretKey: 'url', channel: '#alerts' },
    ],
  },
  valuesOverrides: {
    'kube-prometheus-stack': { alertmanager: { alertmanagerSpec: { logLevel: 'debug' } } },
  },
};

/** Lines of the "Options" example as they read in README.md. */
export const README_OPTIONS_LINES = [
  "  logs: { collectors: [LogCollector.ALLOY], excludeNamespaces: ['kube-system'] },",
  "    'kube-prometheus-stack': { alertmanager: { alertmanagerSpec: { logLevel: 'debug' } } },",
  "      { name: 'team-chat', type: ReceiverType.SLACK, secretName: 'slack-webhook', secretKey: 'url', channel: '#alerts' },",
];

/** The README's "Beyond one cluster" example, as written there (its `// ...` filled with nothing). */
export const README_FLEET: Partial<ObservabilityGitOpsProjectOptions> = {
  profile: Profile.DISTRIBUTED,
  objectStorage: { provider: ObjectStorageProvider.S3, region: 'eu-west-1', secretName: 'obs-s3' },
  metrics: { remoteWriteUrl: 'https://mimir.example.com/api/v1/push' }, // how edge clusters reach the central Mimir
  logs: { pushUrl: 'https://loki.example.com/loki/api/v1/push' },
  traces: { otlpEndpoint: 'tempo.example.com:4317', kafkaAddress: 'kafka.streaming.svc:9092' },
  sizing: { activeSeries: 500_000, logGbPerDay: 120, spansPerSecond: 30_000 },
  argocd: { fleetMode: FleetMode.APPLICATION_SETS },
  environments: [
    { name: 'dev', profile: Profile.SINGLE_NODE, traces: { samplerRatio: 1 } },
    { name: 'prod', traces: { samplerRatio: 0.05 }, metrics: { retention: '30d' } },
  ],
  clusters: [
    { name: 'dev-1', environment: 'dev', server: 'https://dev-1.example.com' },
    { name: 'prod-hub', environment: 'prod', central: true }, // the cluster Argo CD runs in (server unset)
    { name: 'prod-eu', environment: 'prod', server: 'https://eu.example.com', region: 'eu-west-1' },
  ],
};

