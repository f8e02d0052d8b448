import { Component, Project, SampleFile } from 'projen';
import { GeneratedYamlFile } from './generated-yaml-file';
import { FleetModel } from '../model/fleet';
import { Layout, splitsClusterValues, valuesLayers } from '../render/layout';
import { assertKnownValuesKeys } from '../validation/resources';

/**
 * Writes the Helm values files of every part, in layers (see `valueFilesOf`):
 * `values/<part>.yaml` (project-wide), `values/environments/<env>/[edge/]<part>.yaml`
 * (only what an environment, or its edge clusters, change) and
 * `values/clusters/<cluster>/<part>.yaml` when there is more than one cluster.
 * Every key is checked against the pinned chart's own values.
 *
 * `values/overrides/` belongs to the user: it is never written after creation.
 */
export class HelmValues extends Component {
  constructor(project: Project, fleet: FleetModel) {
    super(project);
    const split = splitsClusterValues(fleet);
    const written = new Set<string>();
    const write = (path: string, chart: Parameters<typeof assertKnownValuesKeys>[1], values: Record<string, unknown>) => {
      if (written.has(path)) return;
      written.add(path);
      assertKnownValuesKeys(path, chart, values);
      new GeneratedYamlFile(project, path, { obj: values });
    };
    for (const group of fleet.groups) {
      for (const part of group.model.parts) {
        if (!part.chart) continue;
        const layers = valuesLayers(fleet, group, part);
        if (layers.base) write(Layout.values(part), part.chart, layers.base);
        if (layers.group) write(layers.group.path, part.chart, layers.group.values);
        if (!split) continue;
        for (const cluster of group.model.clusters) {
          const perCluster = part.clusterValues(cluster);
          if (Object.keys(perCluster).length > 0) write(Layout.clusterValues(cluster, part), part.chart, perCluster);
        }
      }
    }

    new SampleFile(project, 'values/overrides/README.md', {
      contents: [
        '# Your own Helm values',
        '',
        'Files in this folder are yours: `npx projen` never writes or deletes them.',
        '',
        'Argo CD layers `values/overrides/<part>.yaml` after the generated values files',
        '(then, with environments, `values/overrides/environments/<env>/<part>.yaml`, and with',
        'several clusters `values/overrides/clusters/<cluster>/<part>.yaml` last).',
        'A missing file is skipped. For small changes prefer `valuesOverrides` in `.projenrc.ts`:',
        'its keys are checked against the chart at every `npx projen`.',
        '',
      ].join('\n'),
    });
  }
}
