import { checkEnvironmentIntervals } from './alerts/windows';
import { buildStackModel } from './build';
import { StackModel } from './stack';
import { inEnvironment, ResolvedFleet } from '../options/environments';
import { ClusterRole } from '../options/resolve';

/**
 * The fleet: the project-wide stack (the base layer of every values file)
 * and one stack per group of clusters that run the same thing (an
 * environment, or an environment's central or edge clusters). Components
 * write each group's Applications, values layers and manifests.
 */
export interface ClusterGroup {
  readonly environment?: string;
  readonly role: ClusterRole;
  /** The stack of this group; `model.clusters` are the group's clusters. */
  readonly model: StackModel;
}

export interface FleetModel {
  /** The project-wide stack, from the options without environment overrides. */
  readonly base: StackModel;
  readonly groups: readonly ClusterGroup[];
  /** Declared environments, in order (empty: none). */
  readonly environments: readonly string[];
  /** Warnings of every group, once each. */
  readonly warnings: readonly string[];
}

export function buildFleetModel(fleet: ResolvedFleet): FleetModel {
  for (const g of fleet.groups) if (g.source && g.options.metrics.enabled) checkEnvironmentIntervals(fleet.base, g.options, g.source.prefix);
  const base = buildStackModel(fleet.base);
  const groups = fleet.groups.map((g) => ({
    environment: g.environment,
    role: g.role,
    model: g.options === fleet.base ? base
      : g.source ? inEnvironment(g.source.prefix, g.source.environment, () => buildStackModel(g.options)) : buildStackModel(g.options),
  }));
  const warnings = [...new Set([...base.warnings, ...groups.flatMap((g) => g.model.warnings)])];
  return { base, groups, environments: fleet.base.environments, warnings };
}

/** The groups of one environment (undefined: the whole fleet when no environments are declared). */
export function groupsOf(fleet: FleetModel, environment: string | undefined): ClusterGroup[] {
  return fleet.groups.filter((g) => g.environment === environment);
}

/** The environments to write a root for: the declared ones, or one unnamed. */
export function rootEnvironments(fleet: FleetModel): Array<string | undefined> {
  return fleet.environments.length > 0 ? [...fleet.environments] : [undefined];
}
