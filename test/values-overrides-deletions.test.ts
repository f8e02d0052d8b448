import { objectsOf, renderApplication } from './support/render-app';
import { newProject, synthToDisk } from './util';

/*
 * A null on a whole section of a chart's values is refused (it deletes every
 * default beneath it) unless the section's dotted path is listed in
 * `valuesOverridesDeletions` (issue 14, "null for a whole part is refused
 * unless explicit"). The refusals are in test/input-refusals.test.ts; here the
 * opt-in is rendered with the real Helm: Helm deletes a key set to null when it
 * merges the values, so the section is gone from what the chart renders.
 */

const STANDALONE = { metrics: { flavor: 'standalone' } } as any;
const DROP_ANALYTICS = { grafana: { 'grafana.ini': { analytics: null } } };

/** The grafana.ini Grafana reads: the data of the chart's ConfigMap `grafana`. */
function grafanaIni(dir: string, app: string): string {
  const [configMap] = objectsOf(renderApplication(dir, app).objects, 'ConfigMap', 'grafana');
  expect(configMap).toBeDefined();
  return configMap.data['grafana.ini'];
}

test('without an override Grafana\'s [analytics] section comes from the chart\'s defaults', () => {
  const ini = grafanaIni(synthToDisk(newProject(STANDALONE)), 'argocd/apps/in-cluster/grafana.yaml');
  expect(ini).toMatch(/^\[analytics\]\ncheck_for_updates = true$/m);
});

test('a section set to null and listed in valuesOverridesDeletions is gone from what Helm renders', () => {
  const dir = synthToDisk(newProject({
    ...STANDALONE,
    valuesOverrides: DROP_ANALYTICS,
    valuesOverridesDeletions: { grafana: ['grafana.ini.analytics'] },
  }));
  const ini = grafanaIni(dir, 'argocd/apps/in-cluster/grafana.yaml');
  expect(ini).not.toContain('[analytics]');
  expect(ini).not.toContain('check_for_updates');
  // only that section: the chart's other defaults stay
  expect(ini).toMatch(/^\[log\]\nmode = console$/m);
  expect(ini).toMatch(/^\[paths\]$/m);
});

test('an environment deletes a section in its own values layer; the other environment keeps it', () => {
  const dir = synthToDisk(newProject({
    ...STANDALONE,
    environments: [
      { name: 'prod', valuesOverrides: DROP_ANALYTICS, valuesOverridesDeletions: { grafana: ['grafana.ini.analytics'] } },
      { name: 'dev' },
    ],
    clusters: [{ name: 'prod-1', environment: 'prod' }, { name: 'dev-1', environment: 'dev', server: 'https://dev-1.example.com' }],
  }));
  expect(grafanaIni(dir, 'argocd/prod/apps/prod-1/grafana.yaml')).not.toContain('[analytics]');
  expect(grafanaIni(dir, 'argocd/dev/apps/dev-1/grafana.yaml')).toMatch(/^\[analytics\]$/m);
});
