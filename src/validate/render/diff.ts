import { createHash } from 'crypto';
import { clusterScopedKinds, identityOf } from './objects';
import { RenderOptions, renderApplications } from './stage';
import { compareCodePoints } from '../../compare';
import { Repo } from '../repo';

/**
 * What reaches the cluster, per Application, so an upgrade pull request can
 * say what will change there, not just which version moved: a snapshot of
 * every rendered object (by identity, with a hash of its content) before and
 * after, and the difference as markdown (objects added, removed and changed
 * by kind, CRD changes called out).
 */

/** One Application's rendered objects. */
export interface AppSnapshot {
  /** `chart@version` of each Helm source, e.g. `loki@18.11.0`. */
  readonly charts: readonly string[];
  /** `group/Kind namespace/name` → sha256 of the object's JSON. */
  readonly objects: Readonly<Record<string, string>>;
  /** Why it could not be rendered, when it could not. */
  readonly unrendered?: string;
}

/** Every Application of a repository, rendered: Application name → its objects. */
export interface RenderSnapshot {
  readonly apps: Readonly<Record<string, AppSnapshot>>;
}

/** Render every Application of the repository into a snapshot (NOT CHECKED ones carry why). */
export async function renderSnapshot(repo: Repo, options: RenderOptions = {}): Promise<RenderSnapshot> {
  const run = await renderApplications(repo, options);
  if (run.missing) throw new Error(`cannot render: ${run.missing}`);
  const all = run.apps.flatMap((a) => a.objects);
  const scoped = clusterScopedKinds(all.filter((o) => o.object.kind === 'CustomResourceDefinition').map((o) => o.object));
  const apps: Record<string, AppSnapshot> = {};
  for (const a of [...run.apps].sort((x, y) => compareCodePoints(x.input.name, y.input.name))) {
    const objects: Record<string, string> = {};
    for (const o of [...a.objects].map((x) => [identityOf(x, scoped), x] as const).sort(([x], [y]) => compareCodePoints(x, y))) {
      objects[o[0]] = createHash('sha256').update(JSON.stringify(stableForDiff(o[1].object))).digest('hex').slice(0, 16);
    }
    const why = [...a.failures, ...a.notChecked];
    apps[a.input.name] = {
      charts: a.input.helm.map((h) => `${h.chart}@${h.version}`),
      objects,
      ...(why.length > 0 ? { unrendered: why.join('; ') } : {}),
    };
  }
  return { apps };
}

/**
 * An object without what a chart generates anew at every render (a webhook's
 * certificate authority, a TLS Secret's keys made with genCA): two renders of
 * the same inputs compare equal.
 */
function stableForDiff(node: any): any {
  if (Array.isArray(node)) return node.map(stableForDiff);
  if (!node || typeof node !== 'object') return node;
  const tlsSecret = node.kind === 'Secret' && node.type === 'kubernetes.io/tls';
  return Object.fromEntries(Object.entries(node)
    .filter(([k]) => k !== 'caBundle' && !(tlsSecret && (k === 'data' || k === 'stringData')))
    .map(([k, v]) => [k, stableForDiff(v)]));
}

/** The kind of an identity (`apps/Deployment logging/loki` → `apps/Deployment`). */
function kindOf(identity: string): string {
  return identity.split(' ')[0];
}

function countByKind(ids: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(kindOf(id), (counts.get(kindOf(id)) ?? 0) + 1);
  return [...counts.entries()].sort(([a], [b]) => compareCodePoints(a, b)).map(([k, n]) => `${n} ${k.replace(/^.*\//, '')}`).join(', ');
}

/**
 * Markdown for an upgrade pull request: per Application whose rendered
 * objects differ, the chart move and what changed, by kind; CustomResource-
 * Definitions named one by one (Helm never upgrades them; Argo CD applies them).
 */
export function renderDiffMarkdown(before: RenderSnapshot, after: RenderSnapshot): string {
  const names = [...new Set([...Object.keys(before.apps), ...Object.keys(after.apps)])].sort(compareCodePoints);
  const rows: string[] = [];
  const crdNotes: string[] = [];
  const unrendered: string[] = [];
  for (const name of names) {
    const a = before.apps[name];
    const b = after.apps[name];
    if (b?.unrendered) unrendered.push(`- \`${name}\`: ${b.unrendered}`);
    const ao = a?.objects ?? {};
    const bo = b?.objects ?? {};
    const added = Object.keys(bo).filter((id) => !(id in ao));
    const removed = Object.keys(ao).filter((id) => !(id in bo));
    const changed = Object.keys(bo).filter((id) => id in ao && ao[id] !== bo[id]);
    const moved = a !== undefined && b !== undefined && a.charts.join(', ') !== b.charts.join(', ');
    if (added.length + removed.length + changed.length === 0 && !moved) continue;
    const move = a === undefined ? 'new Application' : b === undefined ? 'Application removed'
      : a.charts.join(', ') === b.charts.join(', ') ? a.charts.join(', ') || 'plain manifests'
        : `${a.charts.join(', ')} → ${b.charts.join(', ')}`;
    const cell = (ids: string[]) => (ids.length === 0 ? '' : countByKind(ids));
    const none = added.length + removed.length + changed.length === 0;
    rows.push(`| \`${name}\` | ${move} | ${cell(added)} | ${cell(removed)} | ${none ? 'no object changes' : cell(changed)} |`);
    for (const [what, ids] of [['added', added], ['removed', removed], ['changed', changed]] as const) {
      for (const id of ids.filter((x) => kindOf(x) === 'apiextensions.k8s.io/CustomResourceDefinition')) {
        crdNotes.push(`- \`${id.split(' ')[1]}\` ${what} (\`${name}\`)`);
      }
    }
  }
  const lines = ['## What changes in the clusters', ''];
  if (rows.length === 0) {
    lines.push('No rendered object changes.');
  } else {
    lines.push('Objects rendered by each Application (as Argo CD renders it), before and after:', '',
      '| Application | Charts | Added | Removed | Changed |', '| --- | --- | --- | --- | --- |', ...rows);
  }
  if (crdNotes.length > 0) {
    lines.push('', '### CustomResourceDefinitions', '',
      'CRDs are cluster-wide and shared by every release that uses them: review these first.', '', ...crdNotes);
  }
  if (unrendered.length > 0) lines.push('', '### Not rendered', '', ...unrendered);
  lines.push('', 'Generated by `obs-gitops render-diff`.');
  return lines.join('\n');
}
