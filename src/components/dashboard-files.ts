import { Component, Project } from 'projen';
import { GeneratedTextFile, GeneratedYamlFile } from './generated-yaml-file';
import { dashboardDir } from '../model/dashboards/kustomize';
import { renderDashboards } from '../model/dashboards/render';
import { FleetModel } from '../model/fleet';
import { DASHBOARDS_PART } from '../model/parts/dashboards';
import { Layout } from '../render/layout';

/**
 * Writes the dashboards part's folder on every cluster,
 * `manifests/<cluster>/dashboards/`: a Kustomize directory that Argo CD
 * builds into ConfigMaps for the Grafana sidecar.
 *
 * - `kustomization.yaml`: one configMapGenerator entry per Grafana folder
 *   (no name hash, label `grafana_dashboard: "1"`, annotation `grafana_folder`);
 * - `<folder>/<uid>.json`: each dashboard as plain JSON, so a review diffs
 *   the dashboard itself. No projen marker in them (JSON has no comments);
 *   they are read-only and listed in `.projen/files.json` like every
 *   generated file, so a dashboard that disappears is deleted.
 *
 * Every dashboard is rendered and checked (shape, datasources, queries)
 * here, in the project's constructor: a broken template throws before
 * anything is written. Nothing is written when the dashboards part is off.
 */
export class DashboardFiles extends Component {
  constructor(project: Project, fleet: FleetModel) {
    super(project);
    for (const { model } of fleet.groups) {
      const part = model.parts.find((p) => p.name === DASHBOARDS_PART);
      if (!part) continue;
      const dir = dashboardDir(part.namespace, renderDashboards(model.options));
      for (const cluster of model.clusters) {
        const base = Layout.manifestsDir(cluster, part);
        new GeneratedYamlFile(project, `${base}/kustomization.yaml`, { obj: dir.kustomization });
        for (const file of dir.files) {
          // one entry: TextFile joins its lines with newlines, so the file is the same without splitting it first
          new GeneratedTextFile(project, `${base}/${file.path}`, { lines: [file.content], marker: false, readonly: true });
        }
      }
    }
  }
}
