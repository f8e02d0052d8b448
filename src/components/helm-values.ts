import { Component, Project, SampleFile } from 'projen';
import { GeneratedYamlFile } from './generated-yaml-file';
import { deepMerge } from '../model/build';
import { StackModel } from '../model/stack';
import { Layout, splitsClusterValues } from '../render/layout';
import { assertKnownValuesKeys } from '../validation/resources';

/**
 * Writes the Helm values files of every part: `values/<part>.yaml`, plus
 * `values/clusters/<cluster>/<part>.yaml` when there is more than one cluster.
 * Every key is checked against the pinned chart's own values.
 *
 * `values/overrides/` belongs to the user: it is never written after creation.
 */
export class HelmValues extends Component {
  constructor(project: Project, model: StackModel) {
    super(project);
    const split = splitsClusterValues(model);
    for (const part of model.parts) {
      if (!part.chart) continue;
      const common = split ? part.values : deepMerge(part.values, part.clusterValues(model.clusters[0]));
      assertKnownValuesKeys(Layout.values(part), part.chart, common);
      new GeneratedYamlFile(project, Layout.values(part), { obj: common });
      if (!split) continue;
      for (const cluster of model.clusters) {
        const perCluster = part.clusterValues(cluster);
        if (Object.keys(perCluster).length === 0) continue;
        assertKnownValuesKeys(Layout.clusterValues(cluster, part), part.chart, perCluster);
        new GeneratedYamlFile(project, Layout.clusterValues(cluster, part), { obj: perCluster });
      }
    }

    new SampleFile(project, 'values/overrides/README.md', {
      contents: [
        '# Your own Helm values',
        '',
        'Files in this folder are yours: `npx projen` never writes or deletes them.',
        '',
        'Argo CD layers `values/overrides/<part>.yaml` after the generated `values/<part>.yaml`',
        '(and, with several clusters, `values/overrides/clusters/<cluster>/<part>.yaml` last).',
        'A missing file is skipped. For small changes prefer `valuesOverrides` in `.projenrc.ts`:',
        'its keys are checked against the chart at every `npx projen`.',
        '',
      ].join('\n'),
    });
  }
}
