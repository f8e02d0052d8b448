import { EnvironmentOptions, MetricsBackend, Profile, TempoMode } from './fleet';
import { LogsBackend, ObservabilityGitOpsProjectOptions, TracesBackend } from './options';
import { ClusterRole, ResolvedCluster, ResolvedOptions, resolveOptions, resolveValuesOverridesDeletions, ValuesOverridesDeletion } from './resolve';
import { checkCentralAuthUsed } from './resolve-central-auth';
import { deepMerge, isMap } from '../merge';
import { InvalidOptionError } from '../validation/errors';

/**
 * Options → the fleet: the project-wide options, and one set of resolved
 * options per group of clusters that run the same thing. A group is an
 * environment's clusters (with the environment's overrides merged in); with
 * the distributed profile an environment splits into its central cluster and
 * its edge clusters.
 */

/** Clusters that run the same stack, with the options they run it with. */
export interface ResolvedGroup {
  readonly environment?: string;
  readonly role: ClusterRole;
  /** Options of this group; `clusters` lists the group's clusters. */
  readonly options: ResolvedOptions;
  /** The environment's own options and their path, for errors raised later (building the model). */
  readonly source?: { readonly prefix: string; readonly environment: EnvironmentOptions };
}

export interface ResolvedFleet {
  /** The project-wide options (every cluster, no environment overrides). */
  readonly base: ResolvedOptions;
  /** The groups, in environment order (central before edge). */
  readonly groups: readonly ResolvedGroup[];
}

/** Option keys an environment overrides by deep merge over the project-wide option. */
const MERGED_KEYS = ['metrics', 'grafana', 'logs', 'traces', 'alerting', 'sizing', 'chartVersions'] as const;

export function resolveFleet(options: ObservabilityGitOpsProjectOptions): ResolvedFleet {
  const fleet = resolveGroups(options);
  checkCentralAuthUsed(options.centralAuth, fleet.groups.map((g) => g.role));
  return fleet;
}

function resolveGroups(options: ObservabilityGitOpsProjectOptions): ResolvedFleet {
  const base = resolveOptions(options);
  if (base.environments.length === 0) {
    return { base, groups: splitByRole(base, undefined, base.clusters, options) };
  }
  const groups: ResolvedGroup[] = [];
  base.environments.forEach((name, i) => {
    const env = options.environments![i];
    const prefix = `environments[${i}]`;
    const merged = inEnvironment(prefix, env, () => resolveOptions(mergeEnvironment(options, env)));
    // The environment's own deletions keep their own option path (for errors), added to the project's.
    const own = resolveValuesOverridesDeletions(`${prefix}.valuesOverridesDeletions`, env.valuesOverridesDeletions);
    const deletions: Record<string, ValuesOverridesDeletion[]> = { ...merged.valuesOverridesDeletions } as Record<string, ValuesOverridesDeletion[]>;
    for (const [part, entries] of Object.entries(own)) deletions[part] = [...(deletions[part] ?? []), ...entries];
    const resolved = { ...merged, valuesOverridesDeletions: deletions };
    const clusters = base.clusters.filter((c) => c.environment === name);
    const source = { prefix, environment: env };
    groups.push(...splitByRole({ ...resolved, environment: name }, name, clusters, options).map((g) => ({ ...g, source })));
  });
  return { base, groups };
}

/** The project-wide options with an environment's overrides merged in. */
function mergeEnvironment(options: ObservabilityGitOpsProjectOptions, env: EnvironmentOptions): ObservabilityGitOpsProjectOptions {
  const merged: Record<string, unknown> = { ...options };
  const raw = env as unknown as Record<string, unknown>;
  for (const key of MERGED_KEYS) {
    const override = raw[key];
    if (override === undefined) continue;
    const current = (options as unknown as Record<string, unknown>)[key];
    merged[key] = isMap(current) && isMap(override) ? deepMerge(current, override) : override;
  }
  if (env.profile !== undefined) merged.profile = env.profile;
  if (env.objectStorage !== undefined) merged.objectStorage = env.objectStorage;
  if (env.valuesOverrides !== undefined) {
    const overrides: Record<string, unknown> = { ...(options.valuesOverrides ?? {}) };
    for (const [part, values] of Object.entries(env.valuesOverrides)) {
      overrides[part] = isMap(overrides[part]) && isMap(values) ? deepMerge(overrides[part] as Record<string, unknown>, values) : values;
    }
    merged.valuesOverrides = overrides;
  }
  dropInapplicableInherited(merged, raw);
  return merged as unknown as ObservabilityGitOpsProjectOptions;
}

/**
 * Project-wide settings of the distributed backends (where edge clusters
 * push, Tempo's Kafka) are not inherited by an environment that does not use
 * them, for example a single-node dev environment in a distributed project:
 * set there, they would be "set, but unused" errors. Set in the environment
 * itself, they are checked as usual.
 */
function dropInapplicableInherited(merged: Record<string, any>, env: Record<string, any>): void {
  const profile = merged.profile ?? Profile.SINGLE_NODE;
  const distributed = profile === Profile.DISTRIBUTED;
  const drop = (area: string, field: string, applies: boolean) => {
    if (applies || env[area]?.[field] !== undefined || merged[area]?.[field] === undefined) return;
    merged[area] = { ...merged[area] };
    delete merged[area][field];
  };
  drop('metrics', 'remoteWriteUrl', (merged.metrics?.backend ?? (distributed ? MetricsBackend.MIMIR : MetricsBackend.PROMETHEUS)) === MetricsBackend.MIMIR);
  drop('traces', 'kafkaAddress', (merged.traces?.mode ?? (distributed ? TempoMode.DISTRIBUTED : TempoMode.MONOLITHIC)) === TempoMode.DISTRIBUTED);
  drop('traces', 'otlpEndpoint', distributed || merged.traces?.backend === TracesBackend.OTLP_ENDPOINT);
  drop('logs', 'pushUrl', (merged.logs?.backend ?? LogsBackend.LOKI) === LogsBackend.LOKI);
  drop('logs', 'mode', distributed || merged.objectStorage !== undefined);
}

/**
 * Run `fn` for an environment; an invalid option the environment set is
 * reported under its own path (`environments[2].metrics.retention`), any
 * other as invalid in that environment.
 */
export function inEnvironment<T>(prefix: string, env: EnvironmentOptions, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof InvalidOptionError)) throw e;
    const top = e.option.split(/[.[]/)[0];
    if ((env as unknown as Record<string, unknown>)[top] !== undefined) {
      throw new InvalidOptionError(`${prefix}.${e.option}`, e.value, e.expected);
    }
    throw new InvalidOptionError(e.option, e.value, `${e.expected} (in environment "${env.name}", ${prefix})`);
  }
}

/**
 * Without the distributed profile every cluster runs the whole stack. With
 * it, one central cluster runs the backends and Grafana and the others (edge)
 * ship to it, through URLs the user gives: an edge cluster cannot reach the
 * central cluster's Services by their in-cluster names.
 */
function splitByRole(options: ResolvedOptions, environment: string | undefined, clusters: readonly ResolvedCluster[],
  raw: ObservabilityGitOpsProjectOptions): ResolvedGroup[] {
  const where = environment === undefined ? '' : ` of environment "${environment}"`;
  const indexOf = (c: ResolvedCluster) => (raw.clusters ?? []).findIndex((x) => x.name === c.name);
  const sidecar = clusters.find((c) => c.thanosSidecarAddress !== undefined);
  if (sidecar && (options.profile !== Profile.DISTRIBUTED || !options.metrics.enabled || options.metrics.backend !== MetricsBackend.THANOS)) {
    throw new InvalidOptionError(`clusters[${indexOf(sidecar)}].thanosSidecarAddress`, sidecar.thanosSidecarAddress,
      `is set, but ${sidecar.name}${where} does not ship to a central Thanos: it needs Profile.DISTRIBUTED and metrics.backend MetricsBackend.THANOS`);
  }
  if (options.profile !== Profile.DISTRIBUTED) {
    const same = options.clusters === clusters;
    return [{ environment, role: 'all-in-one', options: same ? options : { ...options, clusters, role: 'all-in-one' } }];
  }
  const marked = clusters.filter((c) => c.central === true);
  if (marked.length > 1) {
    throw new InvalidOptionError(`clusters[${indexOf(marked[1])}].central`, true,
      `is set on ${marked.map((c) => `"${c.name}"`).join(' and ')}${where}: one central cluster runs an environment's backends and Grafana`);
  }
  if (marked.length === 0 && clusters.length > 1) {
    throw new InvalidOptionError(`clusters[${indexOf(clusters[0])}].central`, undefined,
      `is not set on any cluster${where} (${clusters.map((c) => c.name).join(', ')}): with Profile.DISTRIBUTED, ` +
      'set central: true on the cluster that runs Mimir, Loki, Tempo and Grafana');
  }
  const central = marked[0] ?? clusters[0];
  const edges = clusters.filter((c) => c !== central);
  if (central.thanosSidecarAddress !== undefined) {
    throw new InvalidOptionError(`clusters[${indexOf(central)}].thanosSidecarAddress`, central.thanosSidecarAddress,
      `is set on the central cluster "${central.name}"${where}, whose sidecar Thanos Query finds in the cluster: set it on the edge clusters`);
  }
  const groups: ResolvedGroup[] = [{ environment, role: 'central', options: { ...options, clusters: [central], role: 'central', edgeClusters: edges } }];
  if (edges.length === 0) return groups;

  const names = `${edges.map((c) => `"${c.name}"`).join(', ')}${where}`;
  const reach = `clusters ${names} are not central and reach the central cluster only from outside`;
  if (options.metrics.enabled && options.metrics.backend === MetricsBackend.MIMIR && options.metrics.remoteWriteUrl === undefined) {
    throw new InvalidOptionError('metrics.remoteWriteUrl', undefined,
      `is required: ${reach} (the http or https URL of the central Mimir's push endpoint, for example "https://mimir.example.com/api/v1/push")`);
  }
  if (options.metrics.enabled && options.metrics.backend === MetricsBackend.FEDERATION) {
    const missing = edges.find((c) => c.prometheusUrl === undefined);
    if (missing) {
      throw new InvalidOptionError(`clusters[${indexOf(missing)}].prometheusUrl`, undefined,
        `is required with MetricsBackend.FEDERATION: the central Prometheus of "${central.name}" federates "${missing.name}" through it`);
    }
  }
  if (options.logs.enabled && options.logs.backend === LogsBackend.LOKI && options.logs.pushUrl === undefined) {
    throw new InvalidOptionError('logs.pushUrl', undefined,
      `is required: ${reach} (the URL of the central Loki's push API, for example "https://loki.example.com/loki/api/v1/push")`);
  }
  if (options.logs.enabled && options.logs.backend !== LogsBackend.LOKI) {
    throw new InvalidOptionError('logs.backend', options.logs.backend, `cannot ship from edge clusters ${names}: use LogsBackend.LOKI with Profile.DISTRIBUTED`);
  }
  if (options.traces.enabled && options.traces.backend === TracesBackend.TEMPO && options.traces.otlpEndpoint === undefined) {
    throw new InvalidOptionError('traces.otlpEndpoint', undefined,
      `is required: ${reach} (host:port of the central Tempo's OTLP gRPC endpoint, for example "tempo-otlp.example.com:4317")`);
  }
  // Grafana and its dashboards run on the central cluster only.
  groups.push({
    environment,
    role: 'edge',
    options: {
      ...options,
      clusters: edges,
      role: 'edge',
      grafana: { ...options.grafana, enabled: false },
      dashboards: { ...options.dashboards, enabled: false },
    },
  });
  return groups;
}
