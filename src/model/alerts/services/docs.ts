import { rulesEnabled, serviceRuleGroups } from './groups';
import { ServiceAlert, scrapeJobName, serviceDocPath, serviceSelector } from './names';
import { formatLe, hoursOf, humanHours, leMatcher, num, percent, short } from './numbers';
import { burnRatePairs, errorBudget, goldenSignalRules, goldenWindow, hasErrorRateAlert, sloDescription, sloId, sloName, sloRecordName, sloSelector, sloWindows } from './rules';
import { fillExpr, sloTemplate } from './templates';
import { InstrumentationLanguage, MetricsFlavor, MonitorKind, SloKind } from '../../../options/options';
import { ResolvedOptions, ResolvedService } from '../../../options/resolve';
import { scrapeTimeout } from '../../parts/metrics/prometheus-common';
import { INSTRUMENTATION_NAME, injectAnnotation } from '../../parts/traces/instrumentation';
import { RUNBOOKS_DIR } from '../runbooks';

/*
 * One documentation page per service (docs/services/<namespace>/<name>.md): what is scraped,
 * the dashboard, the recordings, the alerts and SLOs with their burn-rate tables.
 */

/** A Grafana dashboard of a service, for its documentation page. */
export interface ServiceDashboardRef {
  readonly title: string;
  readonly uid?: string;
}

export function code(text: string): string {
  return `\`${text}\``;
}

export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

function grafanaBaseUrl(o: ResolvedOptions): string | undefined {
  const ingress = o.grafana.ingress;
  if (!o.grafana.enabled || !ingress) return undefined;
  return `${ingress.tlsSecretName ? 'https' : 'http'}://${ingress.host}`;
}

function scrapedSection(o: ResolvedOptions, svc: ResolvedService): string[] {
  const selector = Object.entries(svc.selector).map(([k, v]) => `${k}=${v}`).join(',');
  const lines = ['## What is scraped', ''];
  const timeout = scrapeTimeout(svc.scrapeInterval);
  if (o.metrics.flavor === MetricsFlavor.KUBE_PROMETHEUS_STACK) {
    const kind = svc.monitor === MonitorKind.POD_MONITOR ? 'PodMonitor' : 'ServiceMonitor';
    const target = svc.monitor === MonitorKind.POD_MONITOR ? 'pods' : 'Services';
    const port = svc.monitor === MonitorKind.POD_MONITOR ? 'container port' : 'Service port';
    lines.push(
      `A ${kind} \`${svc.name}\` in namespace \`${svc.namespace}\` (Argo CD Application \`<cluster>-service-monitors\`)`,
      `selects the ${target} labelled \`${selector}\` and scrapes their ${port} \`${svc.port}\` at \`${svc.metricsPath}\``,
      `every ${svc.scrapeInterval} (timeout ${timeout}).`,
    );
  } else {
    const what = svc.monitor === MonitorKind.POD_MONITOR
      ? `the pods in namespace \`${svc.namespace}\` labelled \`${selector}\` and scrapes their container port \`${svc.port}\``
      : `the EndpointSlices of the Services in namespace \`${svc.namespace}\` labelled \`${selector}\` and scrapes their port \`${svc.port}\``;
    lines.push(
      `Prometheus' scrape job \`${scrapeJobName(svc)}\` (\`extraScrapeConfigs\` of the prometheus chart) discovers`,
      `${what}`,
      `at \`${svc.metricsPath}\` every ${svc.scrapeInterval} (timeout ${timeout}).`,
      'Do not also annotate them with `prometheus.io/scrape`: the chart\'s annotation-based jobs would scrape them a second time.',
    );
  }
  lines.push(
    '',
    `Every series gets the labels \`namespace="${svc.namespace}"\` and \`service="${svc.name}"\` (set by relabeling,`,
    'whatever the Kubernetes Service is called), plus `pod`; the rules and the dashboard select on them. Check the targets with',
    '',
    '```promql',
    `up{${serviceSelector(svc)}}`,
    '```',
    '',
    'The rules expect:',
    '',
    `- \`${svc.requestsMetric}\`: a counter of requests with the HTTP status code in the label \`${svc.statusLabel}\`;`,
    `- \`${svc.durationMetric}\`: a classic histogram of request durations in seconds (\`${svc.durationMetric}_bucket\` with \`le\`, and \`_count\`).`,
    '',
    'The rules aggregate `by (cluster, namespace, service)` without relying on `cluster`: it is an external label of',
    'Prometheus, not a label of the series it stores, so alerts get it on their way to Alertmanager.',
    '',
  );
  return lines;
}

function dashboardSection(o: ResolvedOptions, svc: ResolvedService, dashboard: ServiceDashboardRef | undefined): string[] {
  const lines = ['## Dashboard', ''];
  if (!o.grafana.enabled || !o.dashboards.enabled) {
    lines.push('Dashboards are not generated (`grafana.enabled` or `dashboards.enabled` is off). The queries below work in any Prometheus UI.', '');
  } else {
    const title = dashboard?.title ?? `Service / ${svc.namespace} / ${svc.name}`;
    const base = grafanaBaseUrl(o);
    const link = base && dashboard?.uid ? ` ([open](${base}/d/${dashboard.uid}))` : '';
    lines.push(`Grafana: **${title}**${link}: request rate, error ratio, latency quantiles, targets up, and CPU, memory and restarts of its pods.`, '');
  }
  if (rulesEnabled(o)) {
    lines.push(
      `Recorded by the \`golden-signals\` rule group, per second over ${goldenWindow(svc)}${goldenWindow(svc) === '5m' ? '' : ` (four scrape intervals of ${svc.scrapeInterval}, rounded up to a minute)`}:`,
      '',
      table(['Signal', 'Query'], [
        ['Request rate', code(`namespace_service:requests:rate${goldenWindow(svc)}{${serviceSelector(svc)}}`)],
        ['Error ratio (5xx)', code(`namespace_service:request_errors:ratio_rate${goldenWindow(svc)}{${serviceSelector(svc)}}`)],
        ['Latency p50, p95, p99', code(`namespace_service_quantile:request_duration_seconds:histogram_quantile${goldenWindow(svc)}{${serviceSelector(svc)}}`)],
      ]),
      '',
    );
  }
  return lines;
}

function alertsSection(o: ResolvedOptions, svc: ResolvedService): string[] {
  const lines = ['## Alerts', ''];
  if (!rulesEnabled(o)) {
    lines.push('None: `alerting.rulePacks` does not include `golden-signals` (the pack of the per-service alerts and SLOs).', '');
    return lines;
  }
  const rules = goldenSignalRules(o, svc).filter((r) => r.alert);
  const link = (alert: string) => `[${alert}](../../runbooks/${alert}.md)`;
  lines.push(table(['Alert', 'Severity', 'Fires when', 'for'], rules.map((r) => [
    link(r.alert!),
    r.labels?.severity ?? '',
    r.alert === ServiceAlert.HIGH_ERROR_RATE
      ? `more than ${percent(svc.errorRateThreshold)} of requests answer 5xx (over ${goldenWindow(svc)})`
      : `p99 latency is above ${num(svc.latencyThresholdSeconds)}s (over ${goldenWindow(svc)})`,
    r.for ?? '0s',
  ])), '');
  if (!hasErrorRateAlert(svc)) {
    lines.push(`No ${ServiceAlert.HIGH_ERROR_RATE}: \`errorRateThreshold\` is 1, which no error ratio can exceed.`, '');
  }
  lines.push(`Runbook pages are under \`${RUNBOOKS_DIR}/\`.`, '');
  return lines;
}

function slosSection(o: ResolvedOptions, svc: ResolvedService): string[] {
  if (svc.slos.length === 0) return [];
  const lines = ['## SLOs', ''];
  if (!rulesEnabled(o)) {
    lines.push('SLOs are set, but no rules are generated for them: `alerting.rulePacks` does not include `golden-signals`.', '');
    return lines;
  }
  for (const slo of svc.slos) {
    const budget = errorBudget(slo.objective);
    const windowHours = hoursOf(slo.window);
    const sli = sloTemplate().sli[slo.kind === SloKind.AVAILABILITY ? 'availability' : 'latency'];
    lines.push(
      `### ${sloName(slo)}: ${slo.objective}% over ${slo.window}`,
      '',
      `${slo.objective}% of requests are ${sloDescription(slo)}, over a rolling ${slo.window}. The error budget is`,
      `${percent(budget)} of requests: ${humanHours(windowHours * budget)} of complete outage per ${slo.window}.`,
      '',
      `Bad-request ratio over a window \`W\`, recorded as \`${sloRecordName('<W>')}{${sloSelector(svc, slo)}}\``,
      `for W in ${sloWindows(svc).join(', ')}:`,
      '',
      '```promql',
      fillExpr(sli.errorRatio, {
        selector: serviceSelector(svc),
        requests: svc.requestsMetric,
        duration: svc.durationMetric,
        status: svc.statusLabel,
        leMatcher: leMatcher(slo.latencyThresholdSeconds),
        window: 'W',
      }, 'templates/rules/services/slo.yaml'),
      '```',
      '',
    );
    if (slo.kind === SloKind.LATENCY) {
      lines.push(
        `The threshold must be a bucket boundary of \`${svc.durationMetric}\`: Prometheus 3 stores it as`,
        `\`le="${formatLe(slo.latencyThresholdSeconds)}"\`. Without such a bucket the ratio records nothing and these alerts`,
        `cannot fire: check that \`${svc.durationMetric}_bucket{${serviceSelector(svc)}, ${leMatcher(slo.latencyThresholdSeconds)}}\` returns series.`,
        '',
      );
    }
    lines.push(
      `Multiwindow, multi-burn-rate alerts ([${ServiceAlert.ERROR_BUDGET_BURN}](../../runbooks/${ServiceAlert.ERROR_BUDGET_BURN}.md),`,
      `label \`slo="${sloId(slo)}"\`): an alert fires when the ratio is above the threshold over both windows of a row.`,
      '',
      table(['Severity', 'Long window', 'Short window', 'Burn rate', 'Error-ratio threshold', 'Budget spent when it fires', 'Budget gone after'],
        burnRatePairs(slo, svc.scrapeInterval).map((p) => [
          p.severity === 'critical' ? 'critical (page)' : 'warning (ticket)',
          p.long,
          p.short,
          `${short(p.factor)}×`,
          p.reachable ? percent(p.threshold) : `${percent(p.threshold)} (never: left out)`,
          percent(p.budgetConsumed),
          humanHours(windowHours / p.factor),
        ])),
      '',
    );
    if (slo.window !== '30d') {
      lines.push(`Burn rates are scaled from the SRE workbook's 30d table to ${slo.window}: each row keeps its share of the budget spent.`, '');
    }
  }
  return lines;
}

function instrumentationSection(o: ResolvedOptions, svc: ResolvedService): string[] {
  if (svc.language === undefined) return [];
  const go = svc.language === InstrumentationLanguage.GO;
  return [
    '## Traces: auto-instrumentation',
    '',
    `Opt the workload in with ${go ? 'these annotations' : 'this annotation'} on its **pod template** (\`spec.template.metadata.annotations\``,
    'of the Deployment, StatefulSet or DaemonSet), then restart it (`kubectl rollout restart`):',
    '',
    '```yaml',
    injectAnnotation(o, svc.language),
    ...(go ? ['instrumentation.opentelemetry.io/otel-go-auto-target-exe: "/path/to/the/binary"  # the executable inside the container'] : []),
    '```',
    '',
    `It names the Instrumentation \`${INSTRUMENTATION_NAME}\` in \`${o.traces.namespace}\`. See the repository README for what the SDK sends where${go ? '' : '.'}`,
    ...(go ? ['(and for the Go agent\'s privileged sidecar, which the `baseline` and `restricted` Pod Security Standards reject).'] : []),
    '',
  ];
}

/**
 * One documentation page per service, for `docs/services/<namespace>/<name>.md`:
 * what is scraped, the dashboard, the alerts and SLOs (with their burn-rate
 * tables), and the auto-instrumentation annotation when `language` is set.
 * `dashboard` gives the Grafana dashboard of a service when its builder knows
 * it (title, and uid for a link when Grafana has an ingress host).
 */
export function serviceDocs(
  o: ResolvedOptions,
  dashboard?: (svc: ResolvedService) => ServiceDashboardRef | undefined,
): Array<{ path: string; markdown: string }> {
  if (!o.metrics.enabled) return [];
  if (rulesEnabled(o)) serviceRuleGroups(o); // the same option checks as the rules, before any page is written
  return o.services.map((svc) => ({
    path: serviceDocPath(svc),
    markdown: [
      `# ${svc.name} (namespace ${svc.namespace})`,
      '',
      ...scrapedSection(o, svc),
      ...dashboardSection(o, svc, dashboard?.(svc)),
      ...alertsSection(o, svc),
      ...slosSection(o, svc),
      ...instrumentationSection(o, svc),
    ].join('\n').replace(/\n+$/, '\n'),
  }));
}
