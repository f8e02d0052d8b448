import { ResolvedService } from '../../../options/resolve';

/*
 * Names the per-service rules share with the rest of the stack: labels, group and alert names,
 * selectors, scrape job names and page paths.
 */

/** The label every service's series carry, set at scrape time to `services[i].name`. */
export const SERVICE_LABEL = 'service';

/** Rule group of the golden signals of all services. */
export const GOLDEN_SIGNALS_GROUP = 'golden-signals';
/** Rule group of the SLOs of all services. */
export const SLO_GROUP = 'service-slos';

/** Alert names of the per-service rules. */
export const ServiceAlert = {
  HIGH_ERROR_RATE: 'ServiceHighErrorRate',
  HIGH_LATENCY: 'ServiceHighLatency',
  ERROR_BUDGET_BURN: 'ServiceErrorBudgetBurn',
} as const;

/** Folder of the per-service documentation pages. */
export const SERVICE_DOCS_DIR = 'docs/services';

/**
 * Path of a service's documentation page: `docs/services/<namespace>/<name>.md`.
 * Namespaced, because the same service name may run in two namespaces
 * (`shop-staging/checkout`, `shop/checkout`), and a page's path must not
 * change when such a twin is added later.
 */
export function serviceDocPath(svc: Pick<ResolvedService, 'name' | 'namespace'>): string {
  return `${SERVICE_DOCS_DIR}/${svc.namespace}/${svc.name}.md`;
}

/** The selector of a service's series in every rule: `namespace="<ns>", service="<name>"`. */
export function serviceSelector(svc: Pick<ResolvedService, 'name' | 'namespace'>): string {
  return `namespace="${svc.namespace}", ${SERVICE_LABEL}="${svc.name}"`;
}

/** Name of the standalone flavor's scrape job of a service (unique: DNS labels have no "/"). */
export function scrapeJobName(svc: Pick<ResolvedService, 'name' | 'namespace'>): string {
  return `services/${svc.namespace}/${svc.name}`;
}
