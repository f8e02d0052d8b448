import { RulePack } from '../../../options/options';
import { ResolvedOptions, ResolvedService } from '../../../options/resolve';
import { representatives } from '../shapes';
import { Rule, RuleGroup } from '../types';
import { goldenSignalTests } from './golden-tests';
import { GOLDEN_SIGNALS_GROUP, SLO_GROUP } from './names';
import { checkSlos, goldenSignalRules, rejectGlobalThresholds, sloRules } from './rules';
import { sloTests } from './slo-tests';

/*
 * The two per-service rule groups, golden-signals and service-slos, with their tests: one
 * service per rule shape and scrape interval is tested, the others are relabelled copies.
 */

/** Whether the per-service rules are generated: metrics on, the golden-signals pack on, and at least one service. */
export function rulesEnabled(o: ResolvedOptions): boolean {
  return o.metrics.enabled && o.alerting.rulePacks.includes(RulePack.GOLDEN_SIGNALS) && o.services.length > 0;
}

/**
 * Per-service rules: the `golden-signals` group (request rate, error ratio,
 * latency quantiles, ServiceHighErrorRate, ServiceHighLatency) and, when a
 * service has SLOs, the `service-slos` group (error ratio over 5m to 3d,
 * ServiceErrorBudgetBurn page and ticket). Both come with promtool tests.
 * Generated when `alerting.rulePacks` includes golden-signals (the pack that
 * also covers SLO burn-rate alerts).
 */
export function serviceRuleGroups(o: ResolvedOptions): RuleGroup[] {
  let groups = serviceGroupsCache.get(o);
  if (!groups) {
    groups = buildServiceRuleGroups(o);
    serviceGroupsCache.set(o, groups);
  }
  return groups;
}

/** Rules, runbooks and service pages all ask for the groups: build them once per options object. */
const serviceGroupsCache = new WeakMap<ResolvedOptions, RuleGroup[]>();

/**
 * The services whose rules the tests run: services whose rules differ only in
 * their namespace and name share one test (see shapes.ts), once per scrape
 * interval, since each test runs at its services' interval.
 */
function tested(services: readonly ResolvedService[], rulesOf: (svc: ResolvedService) => readonly Rule[]): ResolvedService[] {
  const chosen = new Set<ResolvedService>();
  for (const interval of new Set(services.map((s) => s.scrapeInterval))) {
    representatives(services.filter((s) => s.scrapeInterval === interval), rulesOf, (svc) => svc).forEach((s) => chosen.add(s));
  }
  return services.filter((s) => chosen.has(s));
}

function buildServiceRuleGroups(o: ResolvedOptions): RuleGroup[] {
  if (!rulesEnabled(o)) return [];
  rejectGlobalThresholds(o);
  o.services.forEach((svc, i) => {
    checkSlos(svc, i);
  });
  const golden = new Map(o.services.map((svc) => [svc, goldenSignalRules(o, svc)]));
  const goldenTested = tested(o.services, (svc) => golden.get(svc)!);
  const groups: RuleGroup[] = [{
    name: GOLDEN_SIGNALS_GROUP,
    rules: o.services.flatMap((svc) => golden.get(svc)!),
    tests: goldenSignalTests(o, goldenTested),
    ...(goldenTested.length < o.services.length ? { testedRules: goldenTested.flatMap((svc) => golden.get(svc)!) } : {}),
    // One block per service: a split group keeps each service's rules together.
    blocks: o.services.map((svc) => golden.get(svc)!.length),
  }];
  const slos = o.services.flatMap((svc) => svc.slos.map((slo) => ({ svc, slo, rules: sloRules(o, svc, slo) })));
  if (slos.length > 0) {
    const withSlos = o.services.filter((svc) => svc.slos.length > 0);
    const bySvc = new Map<ResolvedService, Rule[]>();
    for (const s of slos) bySvc.set(s.svc, [...(bySvc.get(s.svc) ?? []), ...s.rules]);
    const sloRulesOf = (svc: ResolvedService) => bySvc.get(svc)!;
    const sloTested = new Set(tested(withSlos, sloRulesOf));
    const testedSlos = slos.filter((s) => sloTested.has(s.svc));
    groups.push({
      name: SLO_GROUP,
      rules: slos.flatMap(({ rules }) => rules),
      tests: sloTests(o, testedSlos),
      ...(testedSlos.length < slos.length ? { testedRules: testedSlos.flatMap(({ rules }) => rules) } : {}),
      // `slos` runs service by service: one block for each service's SLOs.
      blocks: o.services.filter((svc) => svc.slos.length > 0)
        .map((svc) => slos.filter((s) => s.svc === svc).reduce((n, s) => n + s.rules.length, 0)),
    });
  }
  return groups;
}
