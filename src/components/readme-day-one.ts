import { compareCodePoints } from '../compare';
import { centralAuthBootstrapItem } from './readme-central-auth';
import { alertmanagerSecretMounts } from '../model/alerts/alertmanager';
import { ClusterGroup, FleetModel } from '../model/fleet';
import { DASHBOARD_LABEL, DASHBOARD_LABEL_VALUE } from '../model/parts/metrics/grafana-values';
import { SyncWave } from '../model/stack';
import { MetricsFlavor } from '../options/options';
import { applicationName, rootApplicationName } from '../render/argocd';

/*
 * The generated README's answers to a first day's questions: what runs where (a mermaid
 * diagram), how to reach Grafana, Prometheus and Alertmanager, which Secrets to create before
 * the root Application, what to look at when an Application is stuck, how to add a dashboard or
 * an alert rule, and how upgrades arrive.
 *
 * Internal module: not exported from src/index.ts.
 */

/** The Grafana admin Secret the README tells the user to create. */
export interface GrafanaAdminSecret {
  readonly name: string;
  readonly userKey: string;
  readonly passwordKey: string;
  readonly namespace: string;
}

const id = (s: string) => s.replace(/[^A-Za-z0-9]/g, '_');

function groupLabel(g: ClusterGroup): string {
  const env = g.environment === undefined ? '' : `${g.environment}: `;
  const role = g.role === 'all-in-one' ? '' : ` (${g.role})`;
  return `${env}${g.model.clusters.map((c) => c.name).join(', ')}${role}`;
}

/** A mermaid diagram: per environment and role, the clusters and the parts with their namespaces. */
export function architectureLines(fleet: FleetModel): string[] {
  const lines = ['## Architecture', '', 'What runs where (every Application syncs from this repository; Argo CD runs in',
    `\`${fleet.base.argocd.namespace}\` on the cluster the root Application is applied to):`, '', '```mermaid', 'flowchart LR',
    `  git[("Git: this repository")] --> argocd["Argo CD (${fleet.base.argocd.namespace})"]`];
  fleet.groups.forEach((g, i) => {
    const gid = `g${i}`;
    lines.push(`  subgraph ${gid}["${groupLabel(g)}"]`);
    const byNamespace = new Map<string, string[]>();
    for (const p of g.model.parts) byNamespace.set(p.namespace, [...(byNamespace.get(p.namespace) ?? []), p.name]);
    for (const ns of [...byNamespace.keys()].sort(compareCodePoints)) {
      lines.push(`    ${gid}_${id(ns)}["${ns}: ${byNamespace.get(ns)!.join(', ')}"]`);
    }
    lines.push('  end', `  argocd --> ${gid}`);
  });
  // edge clusters ship to their environment's central cluster
  fleet.groups.forEach((g, i) => {
    if (g.role !== 'edge') return;
    const central = fleet.groups.findIndex((c) => c.role === 'central' && c.environment === g.environment);
    if (central >= 0) lines.push(`  g${i} -- "metrics, logs, traces" --> g${central}`);
  });
  lines.push('```', '');
  return lines;
}

/** The Services of the UIs and how to reach them. */
export function accessLines(fleet: FleetModel, admin?: GrafanaAdminSecret): string[] {
  const group = fleet.groups.find((g) => g.role !== 'edge') ?? fleet.groups[0];
  const o = group.model.options;
  if (!o.metrics.enabled) return [];
  const kps = o.metrics.flavor !== MetricsFlavor.STANDALONE;
  const ns = o.metrics.namespace;
  const context = fleet.groups.length > 1 ? ` (on ${group.model.clusters.map((c) => `\`${c.name}\``).join(', ')}; Grafana and the backends run on the central clusters)` : '';
  const lines = ['## Reach Grafana, Prometheus and Alertmanager', '', `With \`kubectl\` pointing at the cluster${context}:`, '', '```sh'];
  if (o.grafana.enabled) {
    lines.push(`# Grafana: http://localhost:3000 (Service ${kps ? 'kube-prometheus-stack-grafana' : 'grafana'}, port 80)`,
      `kubectl -n ${ns} port-forward svc/${kps ? 'kube-prometheus-stack-grafana' : 'grafana'} 3000:80`);
  }
  lines.push(`# Prometheus: http://localhost:9090 (Service ${kps ? 'kube-prometheus-stack-prometheus' : 'prometheus-server'})`,
    `kubectl -n ${ns} port-forward svc/${kps ? 'kube-prometheus-stack-prometheus 9090:9090' : 'prometheus-server 9090:80'}`);
  if (o.metrics.alertmanager) {
    lines.push(`# Alertmanager: http://localhost:9093 (Service ${kps ? 'kube-prometheus-stack-alertmanager' : 'prometheus-alertmanager'})`,
      `kubectl -n ${ns} port-forward svc/${kps ? 'kube-prometheus-stack-alertmanager' : 'prometheus-alertmanager'} 9093:9093`);
  }
  lines.push('```', '');
  if (o.grafana.enabled && admin) {
    lines.push(`Log in to Grafana with the user and password of the Secret \`${admin.name}\`:`, '', '```sh',
      `kubectl -n ${admin.namespace} get secret ${admin.name} -o jsonpath='{.data.${admin.userKey}}' | base64 -d; echo`,
      `kubectl -n ${admin.namespace} get secret ${admin.name} -o jsonpath='{.data.${admin.passwordKey}}' | base64 -d; echo`, '```', '');
  }
  return lines;
}

/** The Secrets the stack reads, in the order to create them (before the root Application). */
export function secretsBeforeRootLines(fleet: FleetModel, admin?: GrafanaAdminSecret): string[] {
  const items: string[] = [];
  if (admin) items.push(`\`${admin.name}\` in \`${admin.namespace}\` (Grafana's admin login; keys \`${admin.userKey}\`, \`${admin.passwordKey}\`): below`);
  const o = fleet.base.options;
  const receivers = alertmanagerSecretMounts(o).map((m) => `\`${m.secretName}\``);
  if (receivers.length > 0) items.push(`${receivers.join(', ')} in \`${o.metrics.namespace}\` (the alert receivers' credentials): see "Alerting" below`);
  const storage = [...new Set(fleet.groups.map((g) => g.model.options.objectStorage?.secretName).filter((s): s is string => s !== undefined))];
  if (storage.length > 0) items.push(`${storage.map((s) => `\`${s}\``).join(', ')} (object storage credentials, in each backend's namespace): see "Object storage" below`);
  const centralAuth = centralAuthBootstrapItem(fleet);
  if (centralAuth !== undefined) items.push(centralAuth);
  if (items.length === 0) return [];
  return ['Create these Secrets first, in this order, before the root Application (a pod that mounts a missing',
    'Secret does not start, and its Application stays Progressing or Degraded); never commit them:', '',
    ...items.map((s, i) => `${i + 1}. ${s}`), ''];
}

/** What to look at when an Application does not converge. */
export function troubleshootingLines(fleet: FleetModel): string[] {
  const ns = fleet.base.argocd.namespace;
  const group = fleet.groups[0];
  const cluster = group.model.clusters[0];
  const part = group.model.parts.find((p) => p.chart && p.wave === SyncWave.STACKS) ?? group.model.parts.find((p) => p.chart) ?? group.model.parts[0];
  const app = part ? applicationName(cluster, part) : '<application>';
  const root = rootApplicationName(fleet.base, group.environment);
  const o = fleet.base.options;
  return ['## Troubleshooting', '',
    `Start with the Applications' state (\`${root}\` is the root; \`${app}\` an example child):`, '',
    '```sh',
    `kubectl -n ${ns} get applications.argoproj.io    # SYNC STATUS and HEALTH of every Application`,
    `kubectl -n ${ns} describe application ${app}    # conditions and the last sync result`,
    '```', '',
    '- **OutOfSync that does not sync**: the sync failed or is retrying. The `status.operationState.message`',
    `  says why: \`kubectl -n ${ns} get application ${app} -o jsonpath='{.status.operationState.message}'\`.`,
    '  Compare with `argocd app diff <name>`: a field a controller fills in after the sync is a permanent',
    '  diff; set the same value in your `values/overrides/` file.',
    '- **ComparisonError** (`status.conditions`): Argo CD could not render the Application, usually a',
    '  values file that does not parse, a chart version it cannot fetch, or no access to this repository.',
    `  \`kubectl -n ${ns} get application ${app} -o jsonpath='{.status.conditions}'\`; run \`npx projen validate\` here.`,
    '- **Degraded**: a workload is unhealthy. Find it and read its events and logs:',
    `  \`kubectl -n ${ns} get application ${app} -o jsonpath='{range .status.resources[?(@.health.status!="Healthy")]}{.kind}/{.name}{"\\n"}{end}'\`,`,
    '  then `kubectl -n <namespace> describe pod <pod>` and `kubectl -n <namespace> logs <pod> --all-containers`.',
    '- **CRDs missing** (`no matches for kind "ServiceMonitor"`, `PrometheusRule`, `OpenTelemetryCollector`): the',
    '  CRD Applications sync first (wave 0) and the others retry until they exist. Check them with',
    '  `kubectl get crd | grep -E "monitoring.coreos.com|opentelemetry.io"` and the CRD Application\'s state.',
    ...(o.metrics.enabled && o.metrics.alertmanager ? [
      '- **A receiver Secret missing**: Alertmanager\'s pod stays in `ContainerCreating` with',
      `  \`MountVolume.SetUp failed ... secret "<name>" not found\`: \`kubectl -n ${o.metrics.namespace} get events --field-selector reason=FailedMount\`;`,
      '  create the Secret (see "Alerting") and the pod starts by itself.',
    ] : []),
    ''];
}

/** Adding your own dashboard and alert rule. */
export function extendLines(fleet: FleetModel): string[] {
  const o = fleet.base.options;
  if (!o.metrics.enabled) return [];
  return ['## Add your own dashboard and alert rule', '',
    `- **Dashboard**: put its JSON in a ConfigMap labelled \`${DASHBOARD_LABEL}: "${DASHBOARD_LABEL_VALUE}"\` in any namespace`,
    '  (Grafana\'s sidecar loads every such ConfigMap), deployed with your own application; or a grafana.com',
    '  dashboard by id and revision with `dashboards.community` in `.projenrc.ts`. Files under',
    '  `manifests/*/dashboards/` are generated: do not edit them.',
    '- **Alert rule**: add it to `alerting.customRules` in `.projenrc.ts` (its PromQL is parsed at every',
    '  `npx projen`), run `npx projen`, and add a promtool test for it as your own `tests/rules/<name>.test.yaml`;',
    '  `npx projen test:rules` runs it with the generated ones. A PrometheusRule of your own application',
    '  works too: the Prometheus of this stack selects every PrometheusRule.',
    ''];
}

