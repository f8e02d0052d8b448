/*
 * Per-service rules: golden signals (request rate, error ratio, latency
 * quantiles; error-rate and latency alerts) and SLOs (error ratio over seven
 * windows; multiwindow, multi-burn-rate page and ticket alerts), with promtool
 * tests synthesized from each service's metric and label names, the runbooks
 * of their alerts, and one documentation page per service.
 *
 * The rule shapes and the runbook texts are data, in templates/rules/services/
 * and templates/runbooks/services/; this module fills them in per service.
 *
 * Alert names are the same for every service (ServiceHighErrorRate,
 * ServiceHighLatency, ServiceErrorBudgetBurn), told apart by the `namespace`,
 * `service` (and `slo`) labels: that is how Alertmanager groups, routes and
 * inhibits, one runbook covers one symptom, and two services of the same name
 * in two namespaces need no name mangling. Each service still gets its own
 * copy of each rule (its own metric names and thresholds), all in one rule
 * group per kind, because alert names must not repeat across groups.
 *
 * The modules:
 *
 *   names.ts          labels, group and alert names, selectors, page paths
 *   templates.ts      templates/rules/services and templates/runbooks/services, filled per service
 *   rules.ts          golden-signal and SLO rules of one service (burn-rate pairs, windows)
 *   series.ts         promtool input series at a service's scrape interval
 *   golden-tests.ts   promtool tests of the golden signals
 *   slo-tests.ts      promtool tests of the SLO burn-rate alerts
 *   groups.ts         the two rule groups, tested once per rule shape
 *   runbooks.ts       one runbook page per alert, with a table of the services it covers
 *   docs.ts           one documentation page per service
 *   numbers.ts        numbers as Prometheus and humans print them
 */
export { GOLDEN_SIGNALS_GROUP, SERVICE_DOCS_DIR, SERVICE_LABEL, SLO_GROUP, ServiceAlert, scrapeJobName, serviceDocPath, serviceSelector } from './names';
export { expandAnnotation, formatLe, goFormatG, humanizeDuration, humanizePercentage, leMatcher } from './numbers';
export type { BurnRatePair, ResolvedSlo } from './rules';
export { burnRatePairs, errorBudget, goldenSignalRules, sloId, sloRecordName, sloRules } from './rules';
export { counterValues } from './series';
export { serviceRuleGroups } from './groups';
export { serviceRunbooks } from './runbooks';
export type { ServiceDashboardRef } from './docs';
export { serviceDocs } from './docs';
