import { checkDashboard, ProvisionedDatasources } from './check';
import { fillPlaceholders, sharedTemplate, TemplateParams, templatePath } from './templates';
import { dashboardUid } from './uid';
import { ResolvedOptions, ResolvedService } from '../../options/resolve';
import { DatasourceUid } from '../endpoints';
import { datasourceBackends } from '../grafana-datasources';

/*
 * The library's Grafana dashboards, rendered from templates/dashboards/*.json
 * for one stack: which dashboards exist (only for components the stack
 * deploys), their stable uids, folders, tags and links, the placeholders
 * filled in, and every dashboard checked (check.ts) before anything is
 * written. Pure: the same options always give the same dashboards.
 *
 * Internal module: not exported from src/index.ts.
 */

/** Grafana folders the dashboards go into (the sidecar's `grafana_folder` annotation). */
export const DashboardFolder = {
  KUBERNETES: 'Kubernetes',
  SERVICES: 'Services',
  OBSERVABILITY: 'Observability',
} as const;

/** Tag on every dashboard the library generates (links list them by it). */
export const DASHBOARD_TAG = 'obs-gitops';

/** Tag of the per-service dashboards. */
export const SERVICE_TAG = 'service';

/** Components of the stack a template row can require with `"x-requires"`. */
export const STACK_COMPONENTS = [
  'prometheus', 'alertmanager', 'node-exporter', 'kube-state-metrics', 'loki', 'tempo', 'otel-collector', 'argocd',
] as const;
export type StackComponent = typeof STACK_COMPONENTS[number];

/** Stable uids of the stack-wide dashboards. */
export const DashboardUids = {
  CLUSTER_OVERVIEW: dashboardUid('cluster-overview'),
  NODES: dashboardUid('nodes'),
  LOGS: dashboardUid('logs'),
  TRACES: dashboardUid('traces'),
  STACK_HEALTH: dashboardUid('stack-health'),
} as const;

/** The uid of a service's dashboard. */
export function serviceDashboardUid(service: Pick<ResolvedService, 'namespace' | 'name'>): string {
  return dashboardUid('svc', service.namespace, service.name);
}

/** One rendered, checked dashboard. */
export interface RenderedDashboard {
  readonly uid: string;
  readonly title: string;
  /** Grafana folder (also the folder of its file). */
  readonly folder: string;
  /** The template it was rendered from, relative to the package root. */
  readonly template: string;
  /** The dashboard JSON model. */
  readonly dashboard: Record<string, unknown>;
  /** `dashboard` as the file content: two-space indented JSON and a final newline. */
  readonly json: string;
}

/** What one dashboard is made of, before rendering. */
interface DashboardSpec {
  readonly template: string;
  readonly uid: string;
  readonly folder: string;
  readonly tags: readonly string[];
  readonly params: TemplateParams;
  readonly links: (existing: ReadonlySet<string>) => Record<string, unknown>[];
}

/** Which components of the stack run, for `"x-requires"` and for choosing dashboards. */
export function stackComponents(o: ResolvedOptions): ReadonlySet<StackComponent> {
  const b = datasourceBackends(o);
  const on: Record<StackComponent, boolean> = {
    'prometheus': o.metrics.enabled,
    'alertmanager': o.metrics.enabled && o.metrics.alertmanager,
    'node-exporter': o.metrics.enabled && o.metrics.nodeExporter,
    'kube-state-metrics': o.metrics.enabled && o.metrics.kubeStateMetrics,
    'loki': b.loki,
    'tempo': b.tempo,
    'otel-collector': o.traces.enabled,
    // Argo CD deploys the stack, so it is always there (self-managed or installed by hand).
    'argocd': true,
  };
  return new Set(STACK_COMPONENTS.filter((c) => on[c]));
}

/** Datasources the stack provisions, uid → type (what dashboards may query). */
export function provisionedDatasources(o: ResolvedOptions): ProvisionedDatasources {
  const b = datasourceBackends(o);
  const out = new Map<string, string>();
  if (b.prometheus) out.set(DatasourceUid.PROMETHEUS, 'prometheus');
  if (b.alertmanager) out.set(DatasourceUid.ALERTMANAGER, 'alertmanager');
  if (b.loki) out.set(DatasourceUid.LOKI, 'loki');
  if (b.elasticsearch) out.set(DatasourceUid.ELASTICSEARCH, 'elasticsearch');
  if (b.tempo) out.set(DatasourceUid.TEMPO, 'tempo');
  return out;
}

/** Placeholders every template may use: `@{ds.<type>}`, the uid of each provisioned datasource. */
function datasourceParams(o: ResolvedOptions): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [uid, type] of provisionedDatasources(o)) params[`ds.${type}`] = uid;
  return params;
}

/** The placeholders of the service template, from the service's options. */
export function serviceParams(s: ResolvedService): Record<string, string | number> {
  return {
    service: s.name,
    namespace: s.namespace,
    requestsMetric: s.requestsMetric,
    durationMetric: s.durationMetric,
    statusLabel: s.statusLabel,
    errorRateThreshold: s.errorRateThreshold,
    latencyThresholdSeconds: s.latencyThresholdSeconds,
  };
}

function link(title: string, url: string, tooltip: string): Record<string, unknown> {
  return { title, type: 'link', url, tooltip, icon: 'dashboard', asDropdown: false, includeVars: false, keepTime: true, targetBlank: false, tags: [] };
}

function tagLink(title: string, tags: string[]): Record<string, unknown> {
  return { title, type: 'dashboards', tags, asDropdown: true, includeVars: false, keepTime: true, targetBlank: false, icon: 'external link', tooltip: '', url: '' };
}

/** `/d/<uid>` with variables set, Grafana's short dashboard URL. */
function dashboardUrl(uid: string, vars: Record<string, string> = {}): string {
  const query = Object.entries(vars).map(([k, v]) => `var-${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  return `/d/${uid}${query ? `?${query}` : ''}`;
}

/** Every dashboard this stack gets, before rendering. Empty when dashboards, Grafana or metrics are off. */
function dashboardSpecs(o: ResolvedOptions): DashboardSpec[] {
  if (!o.metrics.enabled || !o.grafana.enabled || !o.dashboards.enabled) return [];
  const has = stackComponents(o);
  const ds = datasourceParams(o);
  const all = tagLink('Observability dashboards', [DASHBOARD_TAG]);
  const services = tagLink('Services', [DASHBOARD_TAG, SERVICE_TAG]);
  const hasServices = o.services.length > 0;
  const specs: DashboardSpec[] = [];

  if (has.has('kube-state-metrics')) {
    specs.push({
      template: 'cluster-overview.json',
      uid: DashboardUids.CLUSTER_OVERVIEW,
      folder: DashboardFolder.KUBERNETES,
      tags: [DASHBOARD_TAG, 'kubernetes'],
      params: ds,
      links: (existing) => [
        ...(hasServices ? [services] : []),
        ...(existing.has(DashboardUids.NODES) ? [link('Nodes (USE)', dashboardUrl(DashboardUids.NODES), 'Utilization, saturation and errors of the nodes')] : []),
        all,
      ],
    });
  }
  if (has.has('node-exporter')) {
    specs.push({
      template: 'nodes.json',
      uid: DashboardUids.NODES,
      folder: DashboardFolder.KUBERNETES,
      tags: [DASHBOARD_TAG, 'kubernetes', 'nodes'],
      params: ds,
      links: () => [all],
    });
  }
  for (const s of o.services) {
    specs.push({
      template: 'service.json',
      uid: serviceDashboardUid(s),
      folder: DashboardFolder.SERVICES,
      tags: [DASHBOARD_TAG, SERVICE_TAG],
      params: { ...ds, ...serviceParams(s) },
      // Overview → service dashboards (the Services dropdown) → detail: the
      // service's namespace in the cluster overview, its logs and its traces.
      links: (existing) => [
        ...(existing.has(DashboardUids.CLUSTER_OVERVIEW)
          ? [link(`Namespace ${s.namespace}`, dashboardUrl(DashboardUids.CLUSTER_OVERVIEW, { namespace: s.namespace }), 'Pods and deployments of the namespace')] : []),
        ...(existing.has(DashboardUids.LOGS)
          ? [link(`Logs of ${s.namespace}`, dashboardUrl(DashboardUids.LOGS, { namespace: s.namespace }), 'Log volume and errors of the namespace')] : []),
        ...(existing.has(DashboardUids.TRACES)
          ? [link(`Traces of ${s.name}`, dashboardUrl(DashboardUids.TRACES, { service: s.name }), 'Service graph and traces (OpenTelemetry service.name)')] : []),
        services,
        all,
      ],
    });
  }
  if (has.has('loki')) {
    specs.push({
      template: 'logs.json',
      uid: DashboardUids.LOGS,
      folder: DashboardFolder.OBSERVABILITY,
      tags: [DASHBOARD_TAG, 'logs'],
      params: ds,
      links: () => [all],
    });
  }
  if (has.has('tempo')) {
    specs.push({
      template: 'traces.json',
      uid: DashboardUids.TRACES,
      folder: DashboardFolder.OBSERVABILITY,
      tags: [DASHBOARD_TAG, 'traces'],
      params: ds,
      links: () => [...(hasServices ? [services] : []), all],
    });
  }
  specs.push({
    template: 'stack-health.json',
    uid: DashboardUids.STACK_HEALTH,
    folder: DashboardFolder.OBSERVABILITY,
    tags: [DASHBOARD_TAG, 'stack'],
    params: ds,
    links: () => [all],
  });
  return specs;
}

/**
 * Every dashboard of this stack, rendered and checked. Throws (naming the
 * template, the dashboard and the panel) on the first problem.
 */
export function renderDashboards(o: ResolvedOptions): RenderedDashboard[] {
  const specs = dashboardSpecs(o);
  const uids = new Set<string>();
  for (const spec of specs) {
    if (uids.has(spec.uid)) throw new Error(`Two dashboards have the uid "${spec.uid}" (${spec.template})`);
    uids.add(spec.uid);
  }
  const has = stackComponents(o);
  const datasources = provisionedDatasources(o);
  // renderDashboard copies what it changes: the templates are shared (and frozen), not cloned per dashboard
  const rendered = specs.map((spec) => renderDashboard(spec, sharedTemplate(spec.template), has, datasources, uids));
  for (const r of rendered) {
    for (const l of (r.dashboard.links as Array<Record<string, unknown>>)) {
      const target = /^\/d\/([^/?]+)/.exec(String(l.url ?? ''));
      if (target && !uids.has(target[1])) {
        throw new Error(`${r.template} (dashboard "${r.title}"): link "${String(l.title)}" points at dashboard uid "${target[1]}", which this stack does not generate`);
      }
    }
  }
  return rendered;
}

/** Render one template for a spec. Exported for tests (a broken template object). */
export function renderDashboard(
  spec: Omit<DashboardSpec, 'links'> & { links: DashboardSpec['links'] | Record<string, unknown>[] },
  template: Readonly<Record<string, unknown>>,
  has: ReadonlySet<StackComponent>,
  datasources: ProvisionedDatasources,
  existing: ReadonlySet<string> = new Set([spec.uid]),
): RenderedDashboard {
  const file = templatePath(spec.template);
  for (const owned of ['uid', 'links'] as const) {
    if (template[owned] !== undefined) {
      throw new Error(`Dashboard template ${file}: "${owned}" is set by the library (render.ts); leave it out of the template`);
    }
  }
  if (!Array.isArray(template.panels)) throw new Error(`Dashboard template ${file} has no "panels" list`);
  const pruned: Record<string, unknown> = { ...template, panels: applyRequires(template.panels, has, file) };
  const filled = fillPlaceholders(pruned, spec.params, file);
  const templateTags = Array.isArray(filled.tags) ? filled.tags.map(String) : [];
  const links = typeof spec.links === 'function' ? spec.links(existing) : spec.links;
  const dashboard: Record<string, unknown> = {
    ...filled,
    id: null,
    uid: spec.uid,
    tags: [...new Set([...spec.tags, ...templateTags])],
    links,
  };
  const json = `${JSON.stringify(dashboard, null, 2)}\n`;
  const title = typeof dashboard.title === 'string' ? dashboard.title : '';
  // Check what will be written: the JSON text parsed back, which is the dashboard itself when it
  // is plain JSON data already (as rendered from a template, it is: no parse then).
  const written = isPlainJson(dashboard) ? dashboard : JSON.parse(json);
  checkDashboard(`${file} (dashboard "${title}", uid ${spec.uid})`, written, datasources);
  return { uid: spec.uid, title, folder: spec.folder, template: file, dashboard, json };
}

/**
 * Whether `JSON.parse(JSON.stringify(value))` would be a deep copy of `value`, keys in the same
 * order: only null, booleans, strings, finite numbers (not -0), arrays without holes and plain
 * objects without undefined fields, `toJSON` or `__proto__` keys.
 */
export function isPlainJson(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0);
    case 'object':
      break;
    default:
      return false;
  }
  if (value === null) return true;
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) return false;
    for (let i = 0; i < value.length; i++) if (!(i in value) || !isPlainJson(value[i])) return false;
    return true;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  for (const k of Object.keys(value)) {
    if (k === 'toJSON' || k === '__proto__' || !isPlainJson((value as Record<string, unknown>)[k])) return false;
  }
  return true;
}

/**
 * Drop the panels whose `"x-requires"` components are not in the stack. On a
 * row, the requirement covers the row and every panel below it up to the
 * next row (its band); the bands below move up by the removed band's height,
 * so the dashboard has no hole. The key itself never reaches Grafana.
 */
export function applyRequires(panels: unknown[], has: ReadonlySet<StackComponent>, file: string): unknown[] {
  type P = Record<string, any>;
  const list = panels as P[];
  const requires = (p: P): StackComponent[] => {
    const r = p['x-requires'];
    if (r === undefined) return [];
    const label = `panel "${String(p.title ?? '')}" (id ${String(p.id)})`;
    if (!Array.isArray(r) || r.length === 0) throw new Error(`Dashboard template ${file}: ${label} has "x-requires" that is not a non-empty list`);
    for (const c of r) {
      if (!(STACK_COMPONENTS as readonly string[]).includes(c)) {
        throw new Error(`Dashboard template ${file}: ${label} requires unknown component ${JSON.stringify(c)} (known: ${STACK_COMPONENTS.join(', ')})`);
      }
    }
    return r as StackComponent[];
  };
  const met = (p: P) => requires(p).every((c) => has.has(c));
  const y = (p: P) => Number(p.gridPos?.y ?? 0);
  const bottom = (p: P) => y(p) + Number(p.gridPos?.h ?? 0);

  // Bands: from each row's y to the next row's y (the last one to the bottom).
  const rows = list.filter((p) => p.type === 'row').sort((a, b) => y(a) - y(b));
  const end = Math.max(0, ...list.map(bottom));
  const bands = rows.map((row, i) => ({ row, top: y(row), bottom: i + 1 < rows.length ? y(rows[i + 1]) : end }));
  const bandOf = (p: P) => [...bands].reverse().find((b) => y(p) >= b.top);
  const removedBands = bands.filter((b) => !met(b.row));

  const out: P[] = [];
  for (const p of list) {
    const band = p.type === 'row' ? bands.find((b) => b.row === p) : bandOf(p);
    if (band && removedBands.includes(band)) continue;
    if (p.type !== 'row' && !met(p)) continue;
    const shift = removedBands.filter((b) => b.top < (band ? band.top : y(p))).reduce((sum, b) => sum + (b.bottom - b.top), 0);
    const { ['x-requires']: _ignored, ...rest } = p;
    out.push(shift > 0 ? { ...rest, gridPos: { ...p.gridPos, y: y(p) - shift } } : rest);
  }
  return out;
}
