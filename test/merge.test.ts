import { deepMerge, valuesDiff } from '../src/merge';

/** Helm's merge of a values file over others: maps merge, a null deletes the key, anything else replaces. */
function helmMerge(base: Record<string, any>, layer: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = { ...base };
  for (const [k, v] of Object.entries(layer)) {
    if (v === null) delete out[k];
    else if (isMap(out[k]) && isMap(v)) out[k] = helmMerge(out[k], v);
    else out[k] = v;
  }
  return out;
}
const isMap = (v: unknown): v is Record<string, any> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The target, with what it lacks of the base as Helm leaves it: lists emptied, maps kept (emptied), scalars gone. */
function expectedAfterLayer(base: Record<string, any>, target: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = {};
  for (const [k, v] of Object.entries(base)) {
    if (k in target) continue;
    if (Array.isArray(v)) out[k] = [];
    else if (isMap(v)) out[k] = expectedAfterLayer(v, {});
  }
  for (const [k, v] of Object.entries(target)) out[k] = isMap(v) && isMap(base[k]) ? expectedAfterLayer(base[k], v) : v;
  return out;
}

describe('valuesDiff', () => {
  const base = {
    replicas: 1,
    mode: 'Monolithic',
    list: ['a'],
    keep: { x: 1 },
    nested: { a: 1, b: { c: [1, 2], d: 'x' }, gone: { e: 1, f: ['g'] } },
    component: { enabled: true, size: '10Gi', extra: { y: 2 } },
  };

  test('equal values give an empty layer', () => {
    expect(valuesDiff(base, JSON.parse(JSON.stringify(base)))).toEqual({});
  });

  test('only what differs, and Helm layering it over the base gives the target', () => {
    const target = {
      replicas: 3,
      mode: 'Monolithic',
      list: ['a', 'b'],
      keep: { x: 1 },
      nested: { a: 1, b: { c: [1, 2] }, added: { z: true } },
      component: { enabled: false },
    };
    const diff = valuesDiff(base, target);
    expect(diff).toEqual({
      replicas: 3,
      list: ['a', 'b'],
      nested: { b: { d: null }, added: { z: true }, gone: { e: null, f: [] } },
      // a component switched off: its other settings do not matter
      component: { enabled: false },
    });
    expect(helmMerge(base, { ...diff, component: { enabled: false, size: null, extra: { y: null } } }))
      .toEqual(expectedAfterLayer(base, target));
  });

  test('a key the target leaves out goes back to the chart\'s default where the chart has one', () => {
    const chart = { mode: 'Distributed', list: ['a'], nested: { b: { d: 'chart-d' }, gone: { f: ['chart-f'] } } };
    const target = { replicas: 1, keep: { x: 1 }, nested: { a: 1, b: { c: [1, 2] } }, component: base.component };
    const diff = valuesDiff(base, target, chart);
    expect(diff).toEqual({
      // restored, not deleted: a null would delete the chart's default too
      mode: 'Distributed',
      nested: { b: { d: 'chart-d' }, gone: { e: null, f: ['chart-f'] } },
      // `list` is absent: the base already holds the chart's default
    });
    // Helm's result: the chart's defaults under the base, the layer over both, equals the chart under the target
    expect(helmMerge(helmMerge(chart, base), diff)).toEqual(helmMerge(chart, { ...target, nested: { ...target.nested, gone: {} } }));
  });

  test('deepMerge merges maps and replaces lists and scalars', () => {
    expect(deepMerge({ a: { b: 1, c: [1] }, d: 1 }, { a: { c: [2] }, d: null })).toEqual({ a: { b: 1, c: [2] }, d: null });
  });
});
