import { UID_PATTERN } from './uid';
import {
  ExpressionError, findExpressionProblem, problemAt, QueryLanguage, substituteGrafanaVariables,
} from '../../validation/expressions';

/*
 * Checks of a rendered dashboard, run at synth before anything is written:
 * the shape Grafana's dashboard JSON model (classic, schemaVersion 41)
 * expects, datasource references to provisioned datasources only, and every
 * query parsed with the real PromQL / LogQL / TraceQL grammars.
 *
 * Internal module: not exported from src/index.ts.
 */

/**
 * Dashboard JSON schema version the templates are written in: the classic
 * model of Grafana 12 and 13 (the grafana chart 12.11.1 runs Grafana 13.2,
 * which still provisions classic dashboards from files and migrates older
 * versions, but never a newer one).
 */
export const DASHBOARD_SCHEMA_VERSION = 41;

/** Grafana's grid is 24 columns wide. */
export const GRID_COLUMNS = 24;

/** Datasources the stack provisions: uid → type. */
export type ProvisionedDatasources = ReadonlyMap<string, string>;

/** Panel types that query nothing. */
const NO_QUERY_PANELS = new Set(['row', 'text', 'dashlist', 'news', 'welcome', 'annolist', 'alertlist']);

/** Query language of each datasource type the library's dashboards query. */
const LANGUAGE_OF: Record<string, QueryLanguage> = { prometheus: 'promql', loki: 'logql', tempo: 'traceql' };

/** A dashboard that is not what Grafana expects; the message names the dashboard and the panel. */
export class DashboardCheckError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DashboardCheckError';
  }
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Check a rendered dashboard. `source` names it in errors (the template file
 * and the generated file); panels are named by title and id, targets by
 * refId, queries by line and column (in the query as written, Grafana
 * variables included). Throws `DashboardCheckError` or `ExpressionError`.
 */
export function checkDashboard(source: string, dashboard: unknown, datasources: ProvisionedDatasources): void {
  const fail = (msg: string): never => {
    throw new DashboardCheckError(`${source}: ${msg}`);
  };
  checkJsonValue(dashboard, '$', fail);
  if (!isObj(dashboard)) return fail('is not a JSON object');
  const d = dashboard;
  if (typeof d.title !== 'string' || d.title.trim() === '') fail('has no "title"');
  if (typeof d.uid !== 'string' || !UID_PATTERN.test(d.uid)) {
    fail(`has an invalid "uid" ${JSON.stringify(d.uid)}: 1 to 40 letters, digits, "-" or "_"`);
  }
  if (d.id !== undefined && d.id !== null) fail('has an "id": provisioned dashboards are identified by "uid" only (use null)');
  if (d.schemaVersion !== DASHBOARD_SCHEMA_VERSION) {
    fail(`has "schemaVersion" ${JSON.stringify(d.schemaVersion)}; the library's dashboards use ${DASHBOARD_SCHEMA_VERSION}`);
  }
  if (!Array.isArray(d.tags) || d.tags.some((t) => typeof t !== 'string')) fail('has no "tags" list of strings');
  if (!isObj(d.time) || typeof d.time.from !== 'string' || typeof d.time.to !== 'string') fail('has no "time" {from, to}');
  if (!Array.isArray(d.panels) || d.panels.length === 0) fail('has no "panels"');
  if (d.links !== undefined) checkLinks(d.links, fail);

  const variables = d.templating === undefined ? [] : isObj(d.templating) && Array.isArray(d.templating.list) ? d.templating.list : fail('"templating" has no "list"');
  const names = new Set<string>();
  (variables as unknown[]).forEach((v, i) => {
    const label = isObj(v) && typeof v.name === 'string' ? `variable "${v.name}"` : `variable #${i + 1}`;
    if (!isObj(v) || typeof v.name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(v.name)) return fail(`${label} has no valid "name"`);
    if (names.has(v.name)) fail(`${label} is defined twice`);
    names.add(v.name);
    if (typeof v.type !== 'string') fail(`${label} has no "type"`);
    if (v.type === 'query') checkVariableQuery(`${source}: ${label}`, v, datasources, (m) => fail(`${label}: ${m}`));
    return undefined;
  });

  const ids = new Set<number>();
  const topLevel: Array<{ label: string; pos: Grid }> = [];
  const visit = (panel: unknown, index: string, nested: boolean) => {
    if (!isObj(panel)) return fail(`panel ${index} is not an object`);
    const title = typeof panel.title === 'string' ? panel.title : '';
    const label = `panel "${title}" (${typeof panel.id === 'number' ? `id ${panel.id}` : `#${index}`})`;
    const pfail = (m: string): never => fail(`${label}: ${m}`);
    if (typeof panel.id !== 'number' || !Number.isInteger(panel.id) || panel.id < 1) pfail('has no positive integer "id"');
    if (ids.has(panel.id as number)) pfail('has the same "id" as another panel');
    ids.add(panel.id as number);
    if (typeof panel.type !== 'string' || panel.type === '') pfail('has no "type"');
    const pos = checkGridPos(panel.gridPos, pfail);
    if (!nested) topLevel.push({ label, pos });
    for (const key of Object.keys(panel)) if (key.startsWith('x-')) pfail(`still has the template-only key "${key}"`);
    if (panel.type === 'row') {
      if (title === '') pfail('is a row without a title');
      if (panel.panels !== undefined && !Array.isArray(panel.panels)) pfail('"panels" of a row is not a list');
      ((panel.panels ?? []) as unknown[]).forEach((p, i) => visit(p, `${index}.${i + 1}`, true));
      return undefined;
    }
    if (title === '') pfail('has no "title"');
    if (NO_QUERY_PANELS.has(panel.type as string)) return undefined;
    const panelDs = checkDatasourceRef(panel.datasource, datasources, pfail, 'panel "datasource"');
    if (!Array.isArray(panel.targets) || panel.targets.length === 0) pfail('has no "targets"');
    const refIds = new Set<string>();
    (panel.targets as unknown[]).forEach((t, i) => {
      if (!isObj(t) || typeof t.refId !== 'string' || t.refId === '') return pfail(`target #${i + 1} has no "refId"`);
      const tlabel = `target ${t.refId}`;
      if (refIds.has(t.refId)) pfail(`${tlabel} is defined twice`);
      refIds.add(t.refId);
      const type = checkDatasourceRef(t.datasource, datasources, (m) => pfail(`${tlabel}: ${m}`), '"datasource"');
      if (type !== panelDs) pfail(`${tlabel}: datasource type "${type}" differs from the panel's "${panelDs}"`);
      checkTarget(`${source}: ${label}, ${tlabel}`, type, t, (m) => pfail(`${tlabel}: ${m}`));
      return undefined;
    });
    return undefined;
  };
  (d.panels as unknown[]).forEach((p, i) => visit(p, String(i + 1), false));

  for (let i = 0; i < topLevel.length; i++) {
    for (let j = i + 1; j < topLevel.length; j++) {
      if (overlaps(topLevel[i].pos, topLevel[j].pos)) fail(`${topLevel[j].label} overlaps ${topLevel[i].label} (gridPos)`);
    }
  }
}

interface Grid { x: number; y: number; w: number; h: number }

function checkGridPos(value: unknown, fail: (m: string) => never): Grid {
  if (!isObj(value)) return fail('has no "gridPos" {x, y, w, h}');
  for (const k of ['x', 'y', 'w', 'h']) {
    const n = value[k];
    if (typeof n !== 'number' || !Number.isInteger(n)) fail(`"gridPos.${k}" is not an integer`);
  }
  const { x, y, w, h } = value as unknown as Grid;
  if (x < 0 || y < 0) fail(`"gridPos" starts at negative x or y (${x}, ${y})`);
  if (w < 1 || h < 1) fail(`"gridPos" has no size (w ${w}, h ${h})`);
  if (x + w > GRID_COLUMNS) fail(`"gridPos" x ${x} + w ${w} exceeds the ${GRID_COLUMNS} columns of the grid`);
  return { x, y, w, h };
}

function overlaps(a: Grid, b: Grid): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/** The datasource type of a `{type, uid}` reference to a provisioned datasource. */
function checkDatasourceRef(value: unknown, datasources: ProvisionedDatasources, fail: (m: string) => never, what: string): string {
  if (!isObj(value) || typeof value.type !== 'string' || typeof value.uid !== 'string') {
    return fail(`${what} is not a {type, uid} reference (by uid, so it does not depend on datasource names)`);
  }
  const type = datasources.get(value.uid);
  if (type === undefined) {
    return fail(`${what} uid "${value.uid}" is not a provisioned datasource (provisioned: ${[...datasources.keys()].join(', ') || 'none'})`);
  }
  if (type !== value.type) fail(`${what} uid "${value.uid}" is a ${type} datasource, not ${value.type}`);
  return type;
}

/** Parse a target's query with the grammar of its datasource. */
function checkTarget(where: string, type: string, t: Obj, fail: (m: string) => never): void {
  switch (type) {
    case 'prometheus':
    case 'loki':
      if (typeof t.expr !== 'string') fail('has no "expr"');
      checkQuery(LANGUAGE_OF[type], t.expr as string, where);
      return;
    case 'tempo':
      if (t.queryType === 'traceql') {
        if (typeof t.query !== 'string') fail('has queryType "traceql" but no "query"');
        checkQuery('traceql', t.query as string, where);
      } else if (t.queryType === 'serviceMap') {
        // An optional PromQL selector over the service graph metrics.
        if (t.serviceMapQuery !== undefined) {
          if (typeof t.serviceMapQuery !== 'string') fail('"serviceMapQuery" is not a string');
          checkQuery('promql', `traces_service_graph_request_total${t.serviceMapQuery as string}`, where);
        }
      } else {
        fail(`has Tempo queryType ${JSON.stringify(t.queryType)}; the library's dashboards use "traceql" or "serviceMap"`);
      }
      return;
    default:
      fail(`queries a ${type} datasource, which the dashboard checks do not parse`);
  }
}

/**
 * A query variable's query: Grafana's `label_values(selector, label)`,
 * `label_names(...)`, `query_result(expr)` or `metrics(regex)` around the
 * query language, or a plain query.
 */
function checkVariableQuery(where: string, v: Obj, datasources: ProvisionedDatasources, fail: (m: string) => never): void {
  const type = checkDatasourceRef(v.datasource, datasources, fail, '"datasource"');
  const raw = isObj(v.query) ? v.query.query : v.query;
  if (type === 'loki' && isObj(v.query)) {
    // Grafana's object form: { type, label, stream }.
    if (typeof v.query.stream === 'string' && v.query.stream.trim() !== '') checkQuery('logql', v.query.stream, where);
    return;
  }
  if (typeof raw !== 'string' || raw.trim() === '') fail('has no "query"');
  const q = (raw as string).trim();
  const language = LANGUAGE_OF[type];
  if (!language || language === 'traceql') fail(`is a query variable on a ${type} datasource, which the dashboard checks do not parse`);
  let m: RegExpExecArray | null;
  if ((m = /^label_values\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)$/.exec(q))) return;
  if ((m = /^label_values\(([\s\S]*),\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)$/.exec(q))) return checkQuery(language, m[1].trim(), where);
  if ((m = /^label_names\(([\s\S]*)\)$/.exec(q))) {
    if (m[1].trim() !== '') checkQuery(language, m[1].trim(), where);
    return;
  }
  if (language === 'promql' && /^metrics\([\s\S]*\)$/.test(q)) return;
  if (language === 'promql' && (m = /^query_result\(([\s\S]*)\)$/.exec(q))) return checkQuery(language, m[1].trim(), where);
  return checkQuery(language, q, where);
}

/** Parse a query after replacing Grafana variables; positions refer to the query as written. */
export function checkQuery(language: QueryLanguage, query: string, where: string): void {
  const substituted = substituteGrafanaVariables(query);
  const problem = findExpressionProblem(language, substituted);
  if (!problem) return;
  throw new ExpressionError(where, problemAt(language, query, originalOffset(query, substituted, problem.offset)));
}

/**
 * Map an offset in the substituted query back to the query as written.
 * `substituteGrafanaVariables` only replaces variable tokens (which start
 * with `$` or `[[`) by `5m` or `grafana_variable` (which do not), so the two
 * strings agree character by character except at those tokens.
 */
export function originalOffset(original: string, substituted: string, offset: number): number {
  const variable = /\$\{[^}]+\}|\$__[A-Za-z_]+|\$[A-Za-z_]\w*|\[\[[^\]]+\]\]/y;
  let i = 0;
  let j = 0;
  while (j < offset && i < original.length) {
    if (original[i] === substituted[j]) {
      i++;
      j++;
      continue;
    }
    variable.lastIndex = i;
    const token = variable.exec(original);
    const replacement = ['5m', 'grafana_variable'].find((r) => substituted.startsWith(r, j));
    if (!token || !replacement) break;
    if (offset < j + replacement.length) return i;
    i += token[0].length;
    j += replacement.length;
  }
  return Math.min(i + Math.max(0, offset - j), original.length);
}


function checkLinks(value: unknown, fail: (m: string) => never): void {
  if (!Array.isArray(value)) fail('"links" is not a list');
  (value as unknown[]).forEach((l, i) => {
    const label = `link #${i + 1}`;
    if (!isObj(l) || typeof l.title !== 'string' || l.title === '') return fail(`${label} has no "title"`);
    if (l.type === 'link') {
      if (typeof l.url !== 'string' || l.url === '') fail(`link "${l.title}" has no "url"`);
    } else if (l.type === 'dashboards') {
      if (!Array.isArray(l.tags) || l.tags.length === 0) fail(`link "${l.title}" lists dashboards by tags but has no "tags"`);
    } else {
      fail(`link "${l.title}" has type ${JSON.stringify(l.type)} (expected "link" or "dashboards")`);
    }
    return undefined;
  });
}

/** Only what JSON can carry: no undefined, functions, NaN or Infinity, no class instances. */
function checkJsonValue(value: unknown, at: string, fail: (m: string) => never): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) fail(`${at} is ${value}, which JSON cannot carry`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => checkJsonValue(v, `${at}[${i}]`, fail));
    return;
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [k, v] of Object.entries(value as Obj)) checkJsonValue(v, `${at}.${k}`, fail);
    return;
  }
  fail(`${at} is ${value === undefined ? 'undefined' : typeof value}, which is not JSON`);
}
