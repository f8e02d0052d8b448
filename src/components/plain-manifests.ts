import { Component, Project } from 'projen';
import { GeneratedYamlFile } from './generated-yaml-file';
import { FleetModel } from '../model/fleet';
import { Layout } from '../render/layout';
import { assertValidResource, hasResourceSchema } from '../validation/resources';

/**
 * Writes the parts' plain manifests (custom resources such as an
 * OpenTelemetryCollector) under `manifests/<cluster>/<part>/`. Custom
 * resources are checked against their CRD schema first, core kinds (RBAC, Secrets, ...) against
 * the upstream Kubernetes schemas of every supported minor.
 */
export class PlainManifests extends Component {
  constructor(project: Project, fleet: FleetModel) {
    super(project);
    for (const { model } of fleet.groups) {
      for (const cluster of model.clusters) {
        for (const part of model.parts) {
          for (const obj of part.manifests(cluster)) {
            const path = Layout.manifest(cluster, part, obj);
            if (hasResourceSchema(obj)) assertValidResource(path, obj);
            new GeneratedYamlFile(project, path, { obj });
          }
        }
      }
    }
  }
}
