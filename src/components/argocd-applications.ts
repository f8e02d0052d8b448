import { Component, Project } from 'projen';
import { GeneratedYamlFile } from './generated-yaml-file';
import { StackModel } from '../model/stack';
import { appProject, childApplication, rootApplication } from '../render/argocd';
import { Layout } from '../render/layout';
import { assertValidResource } from '../validation/resources';

/**
 * Writes the Argo CD manifests: the root Application, the AppProject and one
 * child Application per part and cluster. Every manifest is checked against
 * the Argo CD CRD schema before anything is written.
 */
export class ArgoCdApplications extends Component {
  constructor(project: Project, model: StackModel) {
    super(project);
    const files: Array<{ path: string; obj: Record<string, unknown> }> = [
      { path: Layout.rootApplication, obj: rootApplication(model) },
      { path: Layout.appProject, obj: appProject(model) },
    ];
    for (const cluster of model.clusters) {
      for (const part of model.parts) {
        files.push({ path: Layout.childApplication(cluster, part), obj: childApplication(model, cluster, part) });
      }
    }
    for (const { path, obj } of files) {
      assertValidResource(path, obj);
      new GeneratedYamlFile(project, path, { obj });
    }
  }
}
