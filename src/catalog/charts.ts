/**
 * The single catalog of every Helm chart the library can deploy, with the
 * version it pins. Upgrading the library bumps these pins, and with them every
 * generated `targetRevision`.
 *
 * Versions are the newest releases in the upstream snapshots the key catalogs
 * under `reference/charts` were derived from (see reference/PROVENANCE.md).
 */

/**
 * A Helm chart the library knows, with its pinned version.
 */
export interface ChartSpec {
  /** Chart name in its repository. */
  readonly name: string;
  /** Helm repository URL (what Argo CD's `repoURL` gets). */
  readonly repoUrl: string;
  /** The pinned chart version (exact semver). */
  readonly version: string;
  /**
   * Whether upstream marked the chart deprecated or archived.
   * @default false
   */
  readonly deprecated?: boolean;
  /**
   * What replaces a deprecated chart.
   * @default - not deprecated
   */
  readonly replacement?: string;
  /**
   * Whether the library can check values keys for this chart (a key catalog
   * was derived from the chart's own values.yaml / values.schema.json).
   * @default true
   */
  readonly keysChecked?: boolean;
}

const PROMETHEUS_COMMUNITY = 'https://prometheus-community.github.io/helm-charts';
const GRAFANA_COMMUNITY = 'https://grafana-community.github.io/helm-charts';
const GRAFANA = 'https://grafana.github.io/helm-charts';
const FLUENT = 'https://fluent.github.io/helm-charts';
const OPEN_TELEMETRY = 'https://open-telemetry.github.io/opentelemetry-helm-charts';
const ELASTIC = 'https://helm.elastic.co';

const CHARTS: ChartSpec[] = [
  // metrics
  { name: 'kube-prometheus-stack', repoUrl: PROMETHEUS_COMMUNITY, version: '88.5.3' },
  { name: 'prometheus-operator-crds', repoUrl: PROMETHEUS_COMMUNITY, version: '31.0.1' },
  { name: 'prometheus', repoUrl: PROMETHEUS_COMMUNITY, version: '29.27.0' },
  { name: 'kube-state-metrics', repoUrl: PROMETHEUS_COMMUNITY, version: '8.4.0' },
  { name: 'prometheus-node-exporter', repoUrl: PROMETHEUS_COMMUNITY, version: '4.56.1' },
  { name: 'metrics-server', repoUrl: 'https://kubernetes-sigs.github.io/metrics-server/', version: '3.13.1' },
  { name: 'thanos', repoUrl: 'https://stevehipwell.github.io/helm-charts/', version: '1.24.1' },
  { name: 'mimir-distributed', repoUrl: GRAFANA, version: '6.2.0', keysChecked: false },
  // Grafana and the Grafana backends (moved to the grafana-community repository)
  { name: 'grafana', repoUrl: GRAFANA_COMMUNITY, version: '12.11.1' },
  { name: 'loki', repoUrl: GRAFANA_COMMUNITY, version: '18.11.0' },
  { name: 'tempo', repoUrl: GRAFANA_COMMUNITY, version: '2.2.4' },
  { name: 'tempo-distributed', repoUrl: GRAFANA_COMMUNITY, version: '3.3.0' },
  // logs
  { name: 'alloy', repoUrl: GRAFANA, version: '1.11.1' },
  { name: 'fluent-bit', repoUrl: FLUENT, version: '0.58.1' },
  { name: 'fluentd', repoUrl: FLUENT, version: '0.6.0' },
  {
    name: 'promtail',
    repoUrl: GRAFANA,
    version: '6.17.1',
    deprecated: true,
    replacement: 'alloy (Promtail reached end of life on 2026-03-02)',
  },
  {
    name: 'loki-stack',
    repoUrl: GRAFANA,
    version: '2.10.3',
    deprecated: true,
    replacement: 'loki (grafana-community chart) with an alloy log collector',
  },
  {
    name: 'elasticsearch',
    repoUrl: ELASTIC,
    version: '8.5.1',
    deprecated: true,
    replacement: 'loki (the elastic/helm-charts repository is archived; 8.5.1 is its final release)',
  },
  {
    name: 'kibana',
    repoUrl: ELASTIC,
    version: '8.5.1',
    deprecated: true,
    replacement: 'grafana with a loki datasource (the elastic/helm-charts repository is archived)',
  },
  // traces
  { name: 'opentelemetry-operator', repoUrl: OPEN_TELEMETRY, version: '0.122.0' },
  { name: 'opentelemetry-collector', repoUrl: OPEN_TELEMETRY, version: '0.170.0' },
  // GitOps
  { name: 'argo-cd', repoUrl: 'https://argoproj.github.io/argo-helm', version: '10.1.1' },
];

const BY_NAME = new Map(CHARTS.map((c) => [c.name, c]));

/**
 * Read access to the chart catalog.
 */
export class ChartCatalog {
  /** Every chart in the catalog, in catalog order. */
  public static all(): ChartSpec[] {
    return CHARTS.map((c) => ({ ...c }));
  }

  /** Names of every chart in the catalog. */
  public static names(): string[] {
    return CHARTS.map((c) => c.name);
  }

  /**
   * The catalog entry of a chart.
   * @throws if the chart is not in the catalog
   */
  public static get(name: string): ChartSpec {
    const spec = BY_NAME.get(name);
    if (!spec) {
      throw new Error(`chart "${name}" is not in the chart catalog (known: ${ChartCatalog.names().join(', ')})`);
    }
    return { ...spec };
  }

  /** Whether a chart is in the catalog. */
  public static has(name: string): boolean {
    return BY_NAME.has(name);
  }
}
