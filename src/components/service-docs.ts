import { Component, Project } from 'projen';
import { GeneratedTextFile, MARKDOWN_MARKER } from './generated-yaml-file';
import { serviceDocs } from '../model/alerts/services';
import { serviceDashboardUid } from '../model/dashboards/render';
import { StackModel } from '../model/stack';

/**
 * One page per service, docs/services/<namespace>/<name>.md: what is scraped,
 * its dashboard, its alerts and SLOs, and how to opt into auto-instrumentation.
 */
export class ServiceDocs extends Component {
  constructor(project: Project, model: StackModel) {
    super(project);
    const dashboardFor = (svc: { namespace: string; name: string }) => ({
      title: `Service / ${svc.namespace} / ${svc.name}`,
      uid: serviceDashboardUid(svc),
    });
    for (const doc of serviceDocs(model.options, dashboardFor)) {
      new GeneratedTextFile(project, doc.path, {
        // one entry per block of text: TextFile joins its lines with newlines, so the file is the same
        lines: [MARKDOWN_MARKER, doc.markdown.replace(/\n+$/, '')],
        marker: false,
        readonly: true,
      });
    }
  }
}
