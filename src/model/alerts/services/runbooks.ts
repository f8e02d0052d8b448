import { code, table } from './docs';
import { serviceRuleGroups } from './groups';
import { ServiceAlert, serviceSelector } from './names';
import { num, percent } from './numbers';
import { burnRatePairs, goldenWindow, hasErrorRateAlert, sloId } from './rules';
import { Runbook } from '../types';
import { fill, templateText } from './templates';
import { ResolvedOptions, ResolvedService } from '../../../options/resolve';

/*
 * Runbooks of the per-service alerts: one page per alert name, with a table of the services
 * (or SLOs) it covers and the queries to look with.
 */

function runbookTemplate(alert: string): string {
  return templateText('runbooks', 'services', `${alert}.md`);
}

/** Link from a runbook page (docs/runbooks/) to a service's page. */
function serviceLinkFromRunbook(svc: ResolvedService): string {
  return `[${svc.namespace}/${svc.name}](../services/${svc.namespace}/${svc.name}.md)`;
}

/** Runbooks of the per-service alerts that exist: one page per alert name, with a table of the services it covers. */
export function serviceRunbooks(o: ResolvedOptions): Runbook[] {
  const groups = serviceRuleGroups(o);
  if (groups.length === 0) return [];
  const alerts = (name: string) => groups.flatMap((g) => g.rules.filter((r) => r.alert === name));
  const runbooks: Runbook[] = [];
  const errorServices = o.services.filter(hasErrorRateAlert);
  if (errorServices.length > 0) {
    const forValue = alerts(ServiceAlert.HIGH_ERROR_RATE)[0]?.for;
    runbooks.push({
      alert: ServiceAlert.HIGH_ERROR_RATE,
      markdown: fill(runbookTemplate(ServiceAlert.HIGH_ERROR_RATE), {
        services: table(['Service', 'Fires above', 'for', 'Errors by status'], errorServices.map((s) => [
          serviceLinkFromRunbook(s),
          percent(s.errorRateThreshold),
          forValue ?? '0s',
          code(`sum by (${s.statusLabel}) (rate(${s.requestsMetric}{${serviceSelector(s)}}[${goldenWindow(s)}]))`),
        ])),
      }, `templates/runbooks/services/${ServiceAlert.HIGH_ERROR_RATE}.md`),
    });
  }
  const latencyFor = alerts(ServiceAlert.HIGH_LATENCY)[0]?.for;
  runbooks.push({
    alert: ServiceAlert.HIGH_LATENCY,
    markdown: fill(runbookTemplate(ServiceAlert.HIGH_LATENCY), {
      services: table(['Service', 'p99 above', 'for', 'Latency quantiles'], o.services.map((s) => [
        serviceLinkFromRunbook(s),
        `${num(s.latencyThresholdSeconds)}s`,
        latencyFor ?? '0s',
        code(`namespace_service_quantile:request_duration_seconds:histogram_quantile${goldenWindow(s)}{${serviceSelector(s)}}`),
      ])),
    }, `templates/runbooks/services/${ServiceAlert.HIGH_LATENCY}.md`),
  });
  const withSlos = o.services.flatMap((s) => s.slos.map((slo) => ({ s, slo })));
  if (withSlos.length > 0) {
    runbooks.push({
      alert: ServiceAlert.ERROR_BUDGET_BURN,
      markdown: fill(runbookTemplate(ServiceAlert.ERROR_BUDGET_BURN), {
        slos: table(['Service', '`slo`', 'Objective', 'Window', 'Page (critical)', 'Ticket (warning)'], withSlos.map(({ s, slo }) => {
          const pairs = burnRatePairs(slo, s.scrapeInterval).filter((p) => p.reachable);
          const cell = (severity: string) => pairs.filter((p) => p.severity === severity)
            .map((p) => `${percent(p.threshold)} over ${p.long} & ${p.short}`).join('; ') || 'never (threshold ≥ 100%)';
          return [serviceLinkFromRunbook(s), code(sloId(slo)), `${slo.objective}%`, slo.window, cell('critical'), cell('warning')];
        })),
      }, `templates/runbooks/services/${ServiceAlert.ERROR_BUDGET_BURN}.md`),
    });
  }
  return runbooks;
}
