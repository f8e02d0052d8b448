import { RenderedObject, clusterScopedKinds, groupOf, identityOf, jsonBytes } from './objects';
import { RenderRun } from './stage';
import { hasCrdSchema, validateAgainstCrd } from '../../validation/crd-schema';
import { isBuiltInApiVersion, supportedKubernetesMinors, validateCoreObjectOnSupportedMinors } from '../../validation/kube-schemas';
import { CheckResult } from '../checks';

/**
 * Checks on what the render stage rendered, each problem naming the
 * Application, the object and the rule it breaks.
 */

const KIB = 1024;

/** Size limits of the consumers of an object (bytes of its JSON). */
export const SIZE_LIMITS = {
  /** etcd's default request size: the API server stores no larger object. */
  object: 1536 * KIB,
  /** A ConfigMap's or Secret's data (the API server's own limit). */
  data: 1024 * KIB,
  /** prometheus-operator turns down rule objects larger than this. */
  prometheusRule: 512 * KIB,
  /** Client-side apply keeps the whole object in an annotation; annotations total at most 256 KiB. */
  clientSideApply: 256 * KIB,
};

function result(name: string, problems: string[], summary: string): CheckResult {
  return { name, status: problems.length > 0 ? 'fail' : 'pass', summary, problems };
}

/** Where an object is, for a problem line: `Application in-cluster-loki (argocd/apps/in-cluster/loki.yaml): ConfigMap logging/loki`. */
export function where(o: RenderedObject): string {
  const ns = o.object.metadata?.namespace ?? '';
  return `Application ${o.app} (${o.appFile}): ${o.object.kind} ${ns ? `${ns}/` : ''}${o.object.metadata?.name} [${o.origin}]`;
}

/** The render line: every Application rendered, or why not. */
export function checkRender(run: RenderRun): CheckResult[] {
  if (run.missing) {
    return [{ name: 'render', status: 'not-run', summary: `NOT CHECKED: ${run.missing}`, problems: [] }];
  }
  const problems: string[] = [];
  const notChecked: string[] = [];
  let objects = 0;
  for (const a of run.apps) {
    for (const f of a.failures) problems.push(`Application ${a.input.name} (${a.input.file}): ${f}`);
    for (const n of a.notChecked) notChecked.push(`Application ${a.input.name} (${a.input.file}): ${n}`);
    objects += a.objects.length;
  }
  const origins = Object.entries(run.chartOrigins).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, n]) => `${n} from ${k}`).join(', ');
  const out: CheckResult[] = [result('render', problems,
    `${run.apps.length} Applications into ${objects} objects with Helm ${run.helm?.version} for Kubernetes ${run.kubeVersion} ` +
    `(${run.helmRuns} helm template runs${origins ? `; charts: ${origins}` : ''})`)];
  if (notChecked.length > 0) {
    out.push({ name: 'render', status: 'not-run', summary: `NOT CHECKED: ${notChecked.length} sources could not be rendered`, problems: notChecked });
  }
  return out;
}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Why a custom object's name (its kind has no vendored schema) is invalid, or undefined. */
export function nameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string' || name === '') return 'metadata.name is missing';
  return name.length > 253 || !DNS1123_SUBDOMAIN.test(name) ? `metadata.name "${name}" is not a DNS-1123 subdomain` : undefined;
}

/**
 * Every rendered document is an object, and passes its schema: the vendored
 * CRDs, and the Kubernetes kinds against the upstream OpenAPI schemas of every
 * supported minor (names checked per kind, apiVersions a minor does not serve
 * named); objects of other custom kinds by name.
 */
export function checkRenderedObjects(run: RenderRun): CheckResult | undefined {
  if (run.missing) return undefined;
  const problems: string[] = [];
  let crds = 0;
  let core = 0;
  let byName = 0;
  for (const a of run.apps) {
    for (const j of a.junk) problems.push(`Application ${a.input.name} (${a.input.file}): ${j.origin}: ${j.message}`);
    for (const o of a.objects) {
      const { apiVersion, kind } = o.object;
      if (hasCrdSchema(apiVersion, kind)) {
        crds++;
        for (const p of validateAgainstCrd(withoutNulls(o.object))) problems.push(`${where(o)}: ${p.path || '/'}: ${p.message}`);
      } else if (isBuiltInApiVersion(String(apiVersion))) {
        core++;
        for (const p of validateCoreObjectOnSupportedMinors(o.object)) {
          const minors = p.minors.length === supportedKubernetesMinors().length || p.message.includes('not served') ? '' : ` (Kubernetes ${p.minors.join(', ')})`;
          problems.push(`${where(o)}: ${p.path || '/'}: ${p.message}${minors}`);
        }
      } else {
        byName++;
        const name = nameProblem(o.object.metadata?.name);
        if (name) problems.push(`${where(o)}: ${name}`);
      }
    }
  }
  return result('rendered objects', problems,
    `${crds} objects against their CRD schemas, ${core} against Kubernetes ${supportedKubernetesMinors().join(', ')}, ${byName} custom objects by name`);
}

/**
 * The object as the API server decodes it: a field set to null is a field not
 * set (charts print `annotations:` with nothing under it).
 */
export function withoutNulls(node: any): any {
  if (Array.isArray(node)) return node.map(withoutNulls);
  if (node && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]));
  }
  return node;
}

/** No object is owned by two Applications on one cluster (nor rendered twice by one). */
export function checkOwnership(run: RenderRun): CheckResult | undefined {
  if (run.missing) return undefined;
  const all = run.apps.flatMap((a) => a.objects);
  const scoped = clusterScopedKinds(all.filter((o) => o.object.kind === 'CustomResourceDefinition').map((o) => o.object));
  const owners = new Map<string, RenderedObject[]>();
  for (const o of all) {
    const key = `${o.cluster} ${identityOf(o, scoped)}`;
    const list = owners.get(key);
    if (list) list.push(o);
    else owners.set(key, [o]);
  }
  // One line per pair of Applications that collide, with a few of the objects: a shared
  // destination makes hundreds collide, and the fix is the same for all.
  const pairs = new Map<string, { cluster: string; apps: string; ids: string[] }>();
  for (const [key, list] of owners) {
    if (list.length < 2) continue;
    const cluster = list[0].cluster;
    const apps = [...new Set(list.map((o) => `${o.app} (${o.appFile})`))].sort();
    const label = apps.length === 1 ? `Application ${apps[0]} renders it ${list.length} times` : `Applications ${apps.join(' and ')}`;
    const pair = pairs.get(`${cluster} ${label}`) ?? { cluster, apps: label, ids: [] };
    pair.ids.push(key.slice(cluster.length + 1));
    pairs.set(`${cluster} ${label}`, pair);
  }
  const problems = [...pairs.values()].map((p) => {
    const shown = p.ids.slice(0, 5).join(', ');
    return `cluster ${p.cluster}: ${p.ids.length} object${p.ids.length > 1 ? 's' : ''} owned twice: ${p.apps}: ${shown}${p.ids.length > 5 ? `, … (${p.ids.length - 5} more)` : ''}`;
  });
  const clusters = new Set(all.map((o) => o.cluster)).size;
  return result('ownership', problems, `${owners.size} objects on ${clusters} cluster${clusters === 1 ? '' : 's'}, each owned by one Application`);
}

/** No object over what its consumer accepts; none over 256 KiB unless applied server-side. */
export function checkSizes(run: RenderRun): CheckResult | undefined {
  if (run.missing) return undefined;
  const problems: string[] = [];
  let largest = 0;
  let count = 0;
  const kib = (n: number) => `${(n / KIB).toFixed(1)} KiB`;
  for (const o of run.apps.flatMap((a) => a.objects)) {
    count++;
    const bytes = jsonBytes(o.object);
    largest = Math.max(largest, bytes);
    const kind = `${groupOf(String(o.object.apiVersion))}/${o.object.kind}`;
    if (bytes > SIZE_LIMITS.object) problems.push(`${where(o)}: ${kib(bytes)}, over the ${kib(SIZE_LIMITS.object)} the API server stores`);
    if (kind === 'monitoring.coreos.com/PrometheusRule' && bytes > SIZE_LIMITS.prometheusRule) {
      problems.push(`${where(o)}: ${kib(bytes)}, over the ${kib(SIZE_LIMITS.prometheusRule)} prometheus-operator accepts for a rule object: split it`);
    }
    if (kind === '/ConfigMap' || kind === '/Secret') {
      const data = dataBytes(o.object);
      if (data > SIZE_LIMITS.data) problems.push(`${where(o)}: data of ${kib(data)}, over the ${kib(SIZE_LIMITS.data)} limit of a ${o.object.kind}`);
    }
    if (!o.serverSideApply && bytes > SIZE_LIMITS.clientSideApply) {
      problems.push(`${where(o)}: ${kib(bytes)} applied client-side, whose last-applied annotation holds at most ${kib(SIZE_LIMITS.clientSideApply)}: ` +
        'add ServerSideApply=true to the Application\'s syncOptions or split the object');
    }
  }
  return result('object sizes', problems, `${count} objects within their limits (largest ${kib(largest)})`);
}

/** Bytes of a ConfigMap's or Secret's data (binary and base64 data counted as stored). */
function dataBytes(o: Record<string, any>): number {
  let n = 0;
  for (const field of ['data', 'binaryData', 'stringData']) {
    for (const [k, v] of Object.entries<unknown>(o[field] ?? {})) {
      n += Buffer.byteLength(k, 'utf-8');
      if (typeof v !== 'string') continue;
      n += field === 'stringData' || (o.kind === 'ConfigMap' && field === 'data') ? Buffer.byteLength(v, 'utf-8') : Math.floor((v.length * 3) / 4);
    }
  }
  return n;
}
