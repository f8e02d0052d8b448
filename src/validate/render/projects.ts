import { where } from './checks';
import { projectGlob } from './globs';
import { clusterScopedKinds, groupOf } from './objects';
import { RenderRun } from './stage';
import { CheckResult } from '../checks';

/**
 * Every rendered object is a kind its Application's AppProject lets it sync,
 * by Argo CD's rules (`AppProject.IsGroupKindPermitted`): a cluster-scoped
 * kind must match `clusterResourceWhitelist` (none when it is empty or unset)
 * and not `clusterResourceBlacklist`; a namespaced kind must match
 * `namespaceResourceWhitelist` when it is set (an empty list allows none) and
 * not `namespaceResourceBlacklist`. Group and kind are `filepath.Match`
 * patterns. Argo CD refuses to sync an object its project does not permit.
 */

interface GroupKindPattern {
  readonly group: RegExp;
  readonly kind: RegExp;
}

/** The rules of one AppProject. */
interface ProjectRules {
  readonly name: string;
  /** Where it is defined. */
  readonly file: string;
  readonly clusterWhitelist: readonly GroupKindPattern[];
  readonly clusterBlacklist: readonly GroupKindPattern[];
  /** Undefined: every namespaced kind. */
  readonly namespaceWhitelist?: readonly GroupKindPattern[];
  readonly namespaceBlacklist: readonly GroupKindPattern[];
}

/** An AppProject document of the repository. */
export interface ProjectDocument {
  readonly file: string;
  readonly value: Record<string, any>;
}

function patterns(list: unknown): GroupKindPattern[] {
  if (!Array.isArray(list)) return [];
  return list.map((e) => ({ group: projectGlob(String(e?.group ?? '')), kind: projectGlob(String(e?.kind ?? '')) }));
}

function rulesOf(doc: ProjectDocument): ProjectRules {
  const spec = doc.value.spec ?? {};
  return {
    name: String(doc.value.metadata?.name),
    file: doc.file,
    clusterWhitelist: patterns(spec.clusterResourceWhitelist),
    clusterBlacklist: patterns(spec.clusterResourceBlacklist),
    namespaceWhitelist: Array.isArray(spec.namespaceResourceWhitelist) ? patterns(spec.namespaceResourceWhitelist) : undefined,
    namespaceBlacklist: patterns(spec.namespaceResourceBlacklist),
  };
}

const matches = (list: readonly GroupKindPattern[], group: string, kind: string) => list.some((p) => p.group.test(group) && p.kind.test(kind));

/** Why `project` does not let an Application sync a `group`/`kind` object, or undefined when it does. */
export function denial(project: ProjectRules, group: string, kind: string, clusterScoped: boolean): string | undefined {
  if (clusterScoped) {
    if (!matches(project.clusterWhitelist, group, kind)) return 'cluster-scoped and not in its clusterResourceWhitelist';
    if (matches(project.clusterBlacklist, group, kind)) return 'in its clusterResourceBlacklist';
    return undefined;
  }
  if (project.namespaceWhitelist !== undefined && !matches(project.namespaceWhitelist, group, kind)) return 'not in its namespaceResourceWhitelist';
  if (matches(project.namespaceBlacklist, group, kind)) return 'in its namespaceResourceBlacklist';
  return undefined;
}

/** Every rendered object against its Application's AppProject (those defined in the repository). */
export function checkProjectPermissions(run: RenderRun, projectDocs: readonly ProjectDocument[]): CheckResult | undefined {
  if (run.missing) return undefined;
  const projects = new Map(projectDocs.map((d) => [String(d.value.metadata?.name), rulesOf(d)]));
  const all = run.apps.flatMap((a) => a.objects);
  const scoped = clusterScopedKinds(all.filter((o) => o.object.kind === 'CustomResourceDefinition').map((o) => o.object));
  const problems: string[] = [];
  const elsewhere = new Set<string>();
  let checked = 0;
  for (const app of run.apps) {
    const project = projects.get(app.input.project);
    if (!project) {
      // Argo CD's `default` project, or one defined outside this repository: its rules are not here.
      if (app.objects.length > 0) elsewhere.add(app.input.project);
      continue;
    }
    for (const o of app.objects) {
      checked++;
      const group = groupOf(String(o.object.apiVersion));
      const kind = String(o.object.kind);
      const why = denial(project, group, kind, scoped.has(`${group}/${kind}`));
      if (why) problems.push(`${where(o)}: AppProject ${project.name} (${project.file}) does not permit ${group || 'core'}/${kind}: ${why}`);
    }
  }
  const outside = elsewhere.size > 0 ? `; not checked: Applications of ${[...elsewhere].sort().join(', ')}, whose AppProject is not in this repository` : '';
  return {
    name: 'project permissions',
    status: problems.length > 0 ? 'fail' : 'pass',
    summary: `${checked} objects, each a kind its Application's AppProject permits (${projects.size} AppProjects)${outside}`,
    problems,
  };
}
