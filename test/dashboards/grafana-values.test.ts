import { MetricsFlavor, ObservabilityGitOpsProjectOptions } from '../../src';
import { pinnedChart } from '../../src/model/parts/chart-ref';
import {
  COMMUNITY_DASHBOARD_PROVIDER, grafanaCommunityDashboardsValues, grafanaDashboardsSidecar,
} from '../../src/model/parts/metrics/grafana-values';
import { resolveOptions } from '../../src/options/resolve';
import { unknownValuesKeyProblems } from '../../src/validation/resources';
import { BASE, synthFiles } from '../util';

const COMMUNITY = { dashboards: { community: [{ gnetId: 1860, revision: 37 }, { gnetId: 15757, revision: 42, datasource: 'Prometheus' }] } };

function community(options: Partial<ObservabilityGitOpsProjectOptions>): Record<string, any> {
  return grafanaCommunityDashboardsValues(resolveOptions({ ...BASE, ...options } as ObservabilityGitOpsProjectOptions));
}

describe('the dashboards sidecar', () => {
  test('watches grafana_dashboard in every namespace and files dashboards into the grafana_folder folder', () => {
    expect(grafanaDashboardsSidecar()).toEqual({
      enabled: true,
      label: 'grafana_dashboard',
      labelValue: '1',
      searchNamespace: 'ALL',
      folderAnnotation: 'grafana_folder',
      provider: { foldersFromFilesStructure: true },
    });
  });

  test('kube-prometheus-stack and the standalone grafana chart both get it, and both charts know the keys', () => {
    const kps = synthFiles()['values/kube-prometheus-stack.yaml'].grafana.sidecar.dashboards;
    expect(kps).toMatchObject({ folderAnnotation: 'grafana_folder', provider: { foldersFromFilesStructure: true } });
    const standalone = synthFiles({ metrics: { flavor: MetricsFlavor.STANDALONE } })['values/grafana.yaml'].sidecar.dashboards;
    expect(standalone).toMatchObject({ folderAnnotation: 'grafana_folder', provider: { foldersFromFilesStructure: true } });
  });
});

describe('community dashboards (grafana.com)', () => {
  test('none: no provider and no dashboards key', () => {
    expect(community({})).toEqual({});
  });

  test('a file provider in the Community folder and one pinned entry per dashboard, DS_PROMETHEUS mapped to the datasource', () => {
    const values = community(COMMUNITY);
    expect(values.dashboardProviders).toEqual({
      'dashboardproviders.yaml': {
        apiVersion: 1,
        providers: [{
          name: COMMUNITY_DASHBOARD_PROVIDER,
          orgId: 1,
          folder: 'Community',
          type: 'file',
          disableDeletion: true,
          allowUiUpdates: false,
          options: { path: '/var/lib/grafana/dashboards/community' },
        }],
      },
    });
    expect(values.dashboards).toEqual({
      community: {
        'gnet-1860': { gnetId: 1860, revision: 37, datasource: [{ name: 'DS_PROMETHEUS', value: 'prometheus' }] },
        'gnet-15757': { gnetId: 15757, revision: 42, datasource: [{ name: 'DS_PROMETHEUS', value: 'Prometheus' }] },
      },
    });
    // The chart's download script finds the path by the provider's name, under `dashboards.<provider>`.
    expect(Object.keys(values.dashboards)).toEqual([values.dashboardProviders['dashboardproviders.yaml'].providers[0].name]);
  });

  test('the keys exist in the grafana chart (top level) and in kube-prometheus-stack (under grafana.)', () => {
    const values = community(COMMUNITY);
    expect(unknownValuesKeyProblems(pinnedChart('grafana'), values)).toEqual([]);
    expect(unknownValuesKeyProblems(pinnedChart('kube-prometheus-stack'), { grafana: values })).toEqual([]);
  });
});
