import { ObservabilityGitOpsProjectOptions } from '../../src';
import { checkDashboard, DashboardCheckError, originalOffset } from '../../src/model/dashboards/check';
import { provisionedDatasources, renderDashboard, serviceParams, stackComponents } from '../../src/model/dashboards/render';
import { fillPlaceholders, loadTemplate, parseTemplateText } from '../../src/model/dashboards/templates';
import { resolveOptions } from '../../src/options/resolve';
import { ExpressionError, substituteGrafanaVariables } from '../../src/validation/expressions';
import { BASE } from '../util';

const o = resolveOptions({
  ...BASE,
  services: [{ name: 'checkout', namespace: 'shop', port: 'http' }],
} as ObservabilityGitOpsProjectOptions);
const datasources = provisionedDatasources(o);
const has = stackComponents(o);
const params = { 'ds.prometheus': 'prometheus', 'ds.loki': 'loki', 'ds.tempo': 'tempo', ...serviceParams(o.services[0]) };

/** Render the service template after `mutate` changed it, as the library renders it. */
function renderService(mutate: (t: any) => void) {
  const template = loadTemplate('service.json');
  mutate(template);
  return renderDashboard(
    { template: 'service.json', uid: 'obs-svc-shop_checkout', folder: 'Services', tags: ['obs-gitops'], params, links: [] },
    template, has, datasources,
  );
}

/** A minimal valid dashboard to break in one place. */
function minimal(): any {
  return {
    id: null,
    uid: 'test',
    title: 'Test',
    tags: [],
    schemaVersion: 41,
    time: { from: 'now-1h', to: 'now' },
    templating: { list: [] },
    panels: [{
      id: 1,
      type: 'timeseries',
      title: 'Requests',
      gridPos: { x: 0, y: 0, w: 12, h: 8 },
      datasource: { type: 'prometheus', uid: 'prometheus' },
      targets: [{ refId: 'A', datasource: { type: 'prometheus', uid: 'prometheus' }, expr: 'sum(rate(x_total[$__rate_interval]))' }],
    }],
  };
}

function problem(mutate: (d: any) => void): string {
  const d = minimal();
  mutate(d);
  try {
    checkDashboard('templates/dashboards/test.json', d, datasources);
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
}

describe('a broken query in a template', () => {
  test('is an error naming the template, the dashboard, the panel, the target and the position in the query as written', () => {
    const broken = 'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{namespace="@{namespace}"}[$__rate_interval]))';
    let error: Error | undefined;
    try {
      renderService((t) => {
        const latency = t.panels.find((p: any) => p.title === 'Latency');
        latency.targets[1].expr = broken;
      });
    } catch (e) {
      error = e as Error;
    }
    expect(error).toBeInstanceOf(ExpressionError);
    const written = broken.replace('@{namespace}', 'shop');
    // The parser stops at the end of the input: one closing parenthesis is missing.
    const column = written.length + 1;
    expect(error!.message).toBe(
      'templates/dashboards/service.json (dashboard "Service / shop / checkout", uid obs-svc-shop_checkout): ' +
      `panel "Latency" (id 7), target B: invalid PromQL at line 1, column ${column}:\n` +
      `  ${written}\n  ${' '.repeat(column - 1)}^`,
    );
  });

  test('the column points into the query as written, after Grafana variables', () => {
    const message = problem((d) => {
      d.panels[0].targets[0].expr = 'sum(rate(x_total{job=~"$job"}[$__rate_interval])) by (le';
    });
    const query = 'sum(rate(x_total{job=~"$job"}[$__rate_interval])) by (le';
    expect(message).toContain('panel "Requests" (id 1), target A: invalid PromQL at line 1, column');
    const column = Number(/column (\d+)/.exec(message)![1]);
    // `$__rate_interval` is 16 characters in the query, `5m` in what the parser saw: the caret is in the query's terms.
    expect(column).toBe(query.length + 1);
    expect(message).toContain(`  ${query}\n`);
  });

  test('a LogQL error in a Loki panel and a TraceQL error in a Tempo panel', () => {
    expect(problem((d) => {
      d.panels[0].datasource = { type: 'loki', uid: 'loki' };
      d.panels[0].targets[0] = { refId: 'A', datasource: { type: 'loki', uid: 'loki' }, expr: 'count_over_time({namespace=~"$namespace"} |~ [$__interval])' };
    })).toMatch(/panel "Requests" \(id 1\), target A: invalid LogQL at line 1, column \d+/);
    expect(problem((d) => {
      d.panels[0].datasource = { type: 'tempo', uid: 'tempo' };
      d.panels[0].targets[0] = { refId: 'A', datasource: { type: 'tempo', uid: 'tempo' }, queryType: 'traceql', query: '{ status = }' };
    })).toMatch(/panel "Requests" \(id 1\), target A: invalid TraceQL at line 1, column \d+/);
  });

  test('a broken variable query names the variable', () => {
    expect(problem((d) => {
      d.templating.list.push({ name: 'pod', type: 'query', datasource: { type: 'prometheus', uid: 'prometheus' }, query: 'label_values(kube_pod_info{namespace=~"$ns"}}, pod)' });
    })).toMatch(/^templates\/dashboards\/test\.json: variable "pod": invalid PromQL at line 1, column \d+/);
  });
});

describe('the shape Grafana expects', () => {
  test('a valid dashboard passes', () => {
    expect(problem(() => undefined)).toBe('no error');
  });

  test.each([
    ['a panel wider than the grid', (d: any) => { d.panels[0].gridPos = { x: 16, y: 0, w: 12, h: 8 }; }, 'panel "Requests" (id 1): "gridPos" x 16 + w 12 exceeds the 24 columns of the grid'],
    ['a panel without gridPos', (d: any) => { delete d.panels[0].gridPos; }, 'panel "Requests" (id 1): has no "gridPos" {x, y, w, h}'],
    ['a fractional gridPos', (d: any) => { d.panels[0].gridPos.h = 7.5; }, 'panel "Requests" (id 1): "gridPos.h" is not an integer'],
    ['overlapping panels', (d: any) => { d.panels.push({ ...d.panels[0], id: 2, title: 'Errors', gridPos: { x: 6, y: 4, w: 12, h: 8 } }); }, 'panel "Errors" (id 2) overlaps panel "Requests" (id 1) (gridPos)'],
    ['duplicate panel ids', (d: any) => { d.panels.push({ ...d.panels[0], title: 'Errors', gridPos: { x: 12, y: 0, w: 12, h: 8 } }); }, 'panel "Errors" (id 1): has the same "id" as another panel'],
    ['a target without refId', (d: any) => { delete d.panels[0].targets[0].refId; }, 'panel "Requests" (id 1): target #1 has no "refId"'],
    ['no targets', (d: any) => { d.panels[0].targets = []; }, 'panel "Requests" (id 1): has no "targets"'],
    ['a datasource by name', (d: any) => { d.panels[0].targets[0].datasource = 'Prometheus'; }, 'panel "Requests" (id 1): target A: "datasource" is not a {type, uid} reference'],
    ['a datasource that is not provisioned', (d: any) => { d.panels[0].targets[0].datasource = { type: 'prometheus', uid: 'thanos' }; }, 'target A: "datasource" uid "thanos" is not a provisioned datasource (provisioned: prometheus, alertmanager, loki, tempo)'],
    ['a datasource of the wrong type', (d: any) => { d.panels[0].datasource = { type: 'loki', uid: 'prometheus' }; }, 'panel "Requests" (id 1): panel "datasource" uid "prometheus" is a prometheus datasource, not loki'],
    ['an old schemaVersion', (d: any) => { d.schemaVersion = 27; }, 'has "schemaVersion" 27; the library\'s dashboards use 41'],
    ['a uid longer than 40 characters', (d: any) => { d.uid = 'x'.repeat(41); }, 'has an invalid "uid"'],
    ['a numeric id', (d: any) => { d.id = 12; }, 'has an "id"'],
    ['NaN', (d: any) => { d.panels[0].gridPos.x = NaN; }, '$.panels[0].gridPos.x is NaN, which JSON cannot carry'],
    ['a template-only key left', (d: any) => { d.panels[0]['x-requires'] = ['loki']; }, 'still has the template-only key "x-requires"'],
    ['an unknown Tempo query type', (d: any) => {
      d.panels[0].datasource = { type: 'tempo', uid: 'tempo' };
      d.panels[0].targets[0] = { refId: 'A', datasource: { type: 'tempo', uid: 'tempo' }, queryType: 'nativeSearch' };
    }, 'has Tempo queryType "nativeSearch"'],
    ['a link without url', (d: any) => { d.links = [{ title: 'Logs', type: 'link' }]; }, 'link "Logs" has no "url"'],
  ])('%s', (_, mutate, message) => {
    const m = problem(mutate);
    expect(m).toContain(message);
    expect(m.startsWith('templates/dashboards/test.json: ')).toBe(true);
  });

  test('errors are DashboardCheckError', () => {
    const d = minimal();
    d.panels[0].gridPos.w = 30;
    expect(() => checkDashboard('x', d, datasources)).toThrow(DashboardCheckError);
  });
});

describe('templates', () => {
  test('invalid JSON names the file', () => {
    expect(() => parseTemplateText('templates/dashboards/broken.json', '{"panels": [}'))
      .toThrow(/^Dashboard template templates\/dashboards\/broken\.json is not valid JSON: /);
  });

  test('an unknown placeholder names the file and the JSON path', () => {
    expect(() => fillPlaceholders({ panels: [{ targets: [{ expr: 'up{job="@{jobb}"}' }] }] }, { job: 'x' }, 'templates/dashboards/t.json'))
      .toThrow('Dashboard template templates/dashboards/t.json: unknown placeholder @{jobb} at $.panels[0].targets[0].expr (known here: @{job})');
  });

  test('a Loki datasource placeholder without Loki is an error, not a broken dashboard', () => {
    const noLoki = resolveOptions({ ...BASE, logs: { enabled: false } } as ObservabilityGitOpsProjectOptions);
    expect(() => renderDashboard(
      { template: 'logs.json', uid: 'obs-logs', folder: 'Observability', tags: [], params: { 'ds.prometheus': 'prometheus' }, links: [] },
      loadTemplate('logs.json'), stackComponents(noLoki), provisionedDatasources(noLoki),
    )).toThrow(/templates\/dashboards\/logs\.json: unknown placeholder @\{ds\.loki\}/);
  });

  test('uid and links belong to the library', () => {
    expect(() => renderService((t) => { t.uid = 'mine'; })).toThrow('Dashboard template templates/dashboards/service.json: "uid" is set by the library');
  });

  test('every template is valid JSON with a title, panels and the current schemaVersion', () => {
    for (const name of ['service.json', 'cluster-overview.json', 'nodes.json', 'logs.json', 'traces.json', 'stack-health.json']) {
      const t = loadTemplate(name);
      expect({ name, schemaVersion: t.schemaVersion }).toEqual({ name, schemaVersion: 41 });
      expect(typeof t.title).toBe('string');
      expect(Array.isArray(t.panels)).toBe(true);
    }
  });
});

describe('originalOffset', () => {
  test('maps offsets across substituted variables', () => {
    const q = 'rate(x[$__rate_interval]) + $foo';
    const s = substituteGrafanaVariables(q);
    expect(s).toBe('rate(x[5m]) + grafana_variable');
    expect(originalOffset(q, s, s.indexOf(']'))).toBe(q.indexOf(']'));
    expect(originalOffset(q, s, s.indexOf('grafana_variable') + 3)).toBe(q.indexOf('$foo'));
    expect(originalOffset(q, s, s.length)).toBe(q.length);
  });
});
