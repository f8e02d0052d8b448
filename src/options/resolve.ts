import { ClusterOptions, ObservabilityGitOpsProjectOptions } from './options';
import { InvalidOptionError } from '../validation/errors';
import {
  checkArray, checkBoolean, checkDnsLabel, checkDnsSubdomain, checkGitRepoUrl, checkGitRevision,
  checkHttpUrl, checkPromDuration, checkString, checkStruct, checkUnique,
} from '../validation/option-checks';

/** The in-cluster API server, as Argo CD names the cluster it runs in. */
export const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';

/**
 * Every option validated and with its default filled in. Internal: the stack
 * model is built from this, never from the raw options.
 */
export interface ResolvedOptions {
  readonly repo: { readonly url: string; readonly revision: string; readonly isPlaceholder: boolean };
  readonly argocd: { readonly namespace: string; readonly project: string };
  readonly clusters: ReadonlyArray<{ readonly name: string; readonly server: string }>;
  readonly metrics: { readonly enabled: boolean; readonly namespace: string; readonly retention: string };
  readonly grafana: { readonly adminSecretName: string; readonly adminUserKey: string; readonly adminPasswordKey: string };
  readonly valuesOverrides: Readonly<Record<string, Record<string, unknown>>>;
  readonly generatedReadme: boolean;
}

const CLUSTER_FIELDS = ['name', 'server'];
const METRICS_FIELDS = ['enabled', 'namespace', 'retention'];
const GRAFANA_FIELDS = ['adminSecretName', 'adminUserKey', 'adminPasswordKey'];

/**
 * Validate every option of the project type and fill in defaults. Throws
 * `InvalidOptionError` on the first invalid option; nothing has been written
 * at that point.
 */
export function resolveOptions(options: ObservabilityGitOpsProjectOptions): ResolvedOptions {
  const projectName = checkString('name', options.name);
  const placeholderUrl = `https://github.com/my-org/${slug(projectName)}.git`;
  const repoUrl = options.gitRepoUrl === undefined ? placeholderUrl : checkGitRepoUrl('gitRepoUrl', options.gitRepoUrl);

  return {
    repo: {
      url: repoUrl,
      revision: options.gitRevision === undefined ? 'main' : checkGitRevision('gitRevision', options.gitRevision),
      isPlaceholder: repoUrl === placeholderUrl,
    },
    argocd: {
      namespace: opt(options.argocdNamespace, 'argocd', (v) => checkDnsLabel('argocdNamespace', v)),
      project: opt(options.appProjectName, 'observability', (v) => checkDnsSubdomain('appProjectName', v)),
    },
    clusters: resolveClusters(options.clusters),
    metrics: resolveMetrics(options.metrics),
    grafana: resolveGrafana(options.grafana),
    valuesOverrides: resolveValuesOverrides(options.valuesOverrides),
    generatedReadme: opt(options.generatedReadme, true, (v) => checkBoolean('generatedReadme', v)),
  };
}

function resolveClusters(value: ClusterOptions[] | undefined): ResolvedOptions['clusters'] {
  if (value === undefined) {
    return [{ name: 'in-cluster', server: IN_CLUSTER_SERVER }];
  }
  const list = checkArray('clusters', value);
  if (list.length === 0) {
    throw new InvalidOptionError('clusters', value, 'is empty: list at least one cluster, or leave the option out for the cluster Argo CD runs in');
  }
  const clusters = list.map((raw, i) => {
    const c = checkStruct(`clusters[${i}]`, raw, CLUSTER_FIELDS);
    if (c.name === undefined) {
      throw new InvalidOptionError(`clusters[${i}].name`, undefined, 'is required: every cluster needs a DNS-1123 name such as "prod-eu-1"');
    }
    return {
      name: checkDnsLabel(`clusters[${i}].name`, c.name),
      server: opt(c.server, IN_CLUSTER_SERVER, (v) => checkHttpUrl(`clusters[${i}].server`, v)),
    };
  });
  checkUnique('clusters', clusters.map((c) => c.name));
  return clusters;
}

function resolveMetrics(value: unknown): ResolvedOptions['metrics'] {
  const m = value === undefined ? {} : checkStruct('metrics', value, METRICS_FIELDS);
  return {
    enabled: opt(m.enabled, true, (v) => checkBoolean('metrics.enabled', v)),
    namespace: opt(m.namespace, 'monitoring', (v) => checkDnsLabel('metrics.namespace', v)),
    retention: opt(m.retention, '15d', (v) => checkPromDuration('metrics.retention', v)),
  };
}

function resolveGrafana(value: unknown): ResolvedOptions['grafana'] {
  const g = value === undefined ? {} : checkStruct('grafana', value, GRAFANA_FIELDS);
  return {
    adminSecretName: opt(g.adminSecretName, 'grafana-admin-credentials', (v) => checkDnsSubdomain('grafana.adminSecretName', v)),
    adminUserKey: opt(g.adminUserKey, 'admin-user', (v) => checkSecretKey('grafana.adminUserKey', v)),
    adminPasswordKey: opt(g.adminPasswordKey, 'admin-password', (v) => checkSecretKey('grafana.adminPasswordKey', v)),
  };
}

function resolveValuesOverrides(value: unknown): ResolvedOptions['valuesOverrides'] {
  if (value === undefined) return {};
  if (typeof value === 'string') {
    throw new InvalidOptionError('valuesOverrides', value,
      'arrived as a raw string, but it is a map of Helm values per part: set it in .projenrc.ts');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidOptionError('valuesOverrides', value, 'is not a map from part name to Helm values');
  }
  const result: Record<string, Record<string, unknown>> = {};
  for (const [part, values] of Object.entries(value)) {
    if (values === null || typeof values !== 'object' || Array.isArray(values)) {
      throw new InvalidOptionError(`valuesOverrides.${part}`, values, 'is not a map of Helm values');
    }
    result[part] = values as Record<string, unknown>;
  }
  return result;
}

/** A key of a Secret's data: alphanumerics, "-", "_" and ".". */
function checkSecretKey(option: string, value: unknown): string {
  const s = checkString(option, value);
  if (!/^[-._a-zA-Z0-9]+$/.test(s) || s.length > 253) {
    throw new InvalidOptionError(option, value, 'is not a valid Secret key: use letters, digits, "-", "_" and "." (for example "admin-password")');
  }
  return s;
}

function opt<T>(value: unknown, fallback: T, check: (v: unknown) => T): T {
  return value === undefined ? fallback : check(value);
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'observability-gitops';
}
