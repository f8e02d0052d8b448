import { Component, Project } from 'projen';
import { GeneratedYamlFile } from './generated-yaml-file';
import { FleetModel, rootEnvironments } from '../model/fleet';
import { FleetMode } from '../options/fleet';
import { appProject, applicationSet, argocdAppProject, childApplication, rootAppProject, rootApplication } from '../render/argocd';
import { Layout } from '../render/layout';
import { assertValidResource } from '../validation/resources';

/**
 * Writes the Argo CD manifests: per environment (or once, without
 * environments) a root Application and an AppProject, then either one child
 * Application per part and cluster or one ApplicationSet per part and group
 * of clusters (`argocd.fleetMode`). Every manifest is checked against the
 * Argo CD CRD schema before anything is written.
 */
export class ArgoCdApplications extends Component {
  constructor(project: Project, fleet: FleetModel) {
    super(project);
    const files: Array<{ path: string; obj: Record<string, unknown> }> = [];
    for (const environment of rootEnvironments(fleet)) {
      files.push(
        { path: Layout.rootApplication(environment), obj: rootApplication(fleet.base, environment) },
        { path: Layout.rootAppProject(environment), obj: rootAppProject(fleet.base, environment) },
        { path: Layout.appProject(environment), obj: appProject(fleet, environment) },
      );
      const argocdProject = argocdAppProject(fleet, environment);
      if (argocdProject) files.push({ path: Layout.argocdAppProject(environment), obj: argocdProject });
    }
    for (const group of fleet.groups) {
      for (const part of group.model.parts) {
        if (fleet.base.argocd.fleetMode === FleetMode.APPLICATION_SETS) {
          files.push({ path: Layout.applicationSet(group, part), obj: applicationSet(fleet, group, part) });
          continue;
        }
        for (const cluster of group.model.clusters) {
          files.push({ path: Layout.childApplication(group, cluster, part), obj: childApplication(fleet, group, cluster, part) });
        }
      }
    }
    for (const { path, obj } of files) {
      assertValidResource(path, obj);
      new GeneratedYamlFile(project, path, { obj });
    }
  }
}
