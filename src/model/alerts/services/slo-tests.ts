import { PromtoolTest, Rule } from '../types';
import { SloKind } from '../../../options/options';
import { ResolvedOptions, ResolvedService } from '../../../options/resolve';
import { expectedAlert } from './golden-tests';
import { BurnRatePair, ResolvedSlo, burnRatePairs, forDuration, sloId, sloRecordName, sloSelector } from './rules';
import { TEST_INTERVAL, histogramSeries, minutesOf, requestSeries } from './series';
import { sloTemplate } from './templates';

/** A steady or piecewise SLO scenario: minutes at a share of bad requests. */
type Scenario = ReadonlyArray<readonly [minutes: number, badShare: number]>;

/** Input series of an SLO scenario, `perMinute` requests a minute. */
function sloSeries(svc: ResolvedService, slo: ResolvedSlo, scenario: Scenario, perMinute: number) {
  const segments = scenario.map(([m, share]) => {
    const bad = Math.round(share * perMinute);
    return [m, perMinute - bad, bad] as const;
  });
  if (slo.kind === SloKind.AVAILABILITY) return requestSeries(svc, segments);
  // Latency: the good requests are those within the threshold's bucket; only that bucket
  // (and +Inf) is synthesized, so another latency SLO of the service (another bucket) reads nothing.
  return histogramSeries(svc, [slo.latencyThresholdSeconds], segments.map(([m, good, bad]) => [m, [good], good + bad] as const));
}

/** The metric families an SLO's input series use (two SLOs sharing one cannot run in the same test). */
function sloFamilies(svc: ResolvedService, slo: ResolvedSlo): string[] {
  const families = slo.kind === SloKind.AVAILABILITY ? [svc.requestsMetric] : [`${svc.durationMetric}_bucket`, `${svc.durationMetric}_count`];
  return families.map((f) => `${svc.namespace}/${svc.name}/${f}`);
}

/**
 * The error ratio a window sees at minute `t` of a scenario, counting the
 * increments between the first and last samples inside the window: from
 * t - W (Prometheus 2, left-closed) or t - W + 1m (Prometheus 3, left-open).
 */
function windowRatio(scenario: Scenario, t: number, windowMinutes: number, leftOpen: boolean): number {
  const start = Math.max(0, t - windowMinutes + (leftOpen ? 1 : 0));
  let bad = 0;
  let total = 0;
  let minute = 0;
  for (const [m, share] of scenario) {
    for (let k = 0; k < m; k++) {
      minute += 1; // the increment from minute-1 to minute
      if (minute > start && minute <= t) {
        bad += share;
        total += 1;
      }
    }
  }
  return total === 0 ? NaN : bad / total;
}

/**
 * The severities that fire at minute t of a scenario, or undefined when the
 * outcome is not certain: Prometheus 2 and 3 range selectors would disagree,
 * or (with `margin` > 0, for piecewise scenarios, where rate extrapolation
 * shifts ratios a little) a ratio is within that fraction of a threshold.
 */
function expectedSeverities(scenario: Scenario, t: number, pairs: readonly BurnRatePair[], margin: number): Set<string> | undefined {
  const result = new Set<string>();
  for (const p of pairs) {
    const verdicts = [false, true].map((leftOpen) => {
      const ratios = [p.long, p.short].map((w) => windowRatio(scenario, t, minutesOf(w), leftOpen));
      if (!ratios.every((r) => Math.abs(r - p.threshold) > margin * p.threshold)) return undefined;
      return ratios.every((r) => r > p.threshold);
    });
    if (verdicts[0] === undefined || verdicts[0] !== verdicts[1]) return undefined;
    if (verdicts[0]) result.add(p.severity);
  }
  return result;
}

/** What a scenario's outcome is, in words. */
function outcomeText(firing: ReadonlySet<string>): string {
  if (firing.has('critical') && firing.has('warning')) return 'page and ticket';
  if (firing.has('critical')) return 'page only';
  if (firing.has('warning')) return 'ticket only';
  return 'nothing';
}

/** The kinds of SLO scenarios, in the order the tests run them. */
type SloScenarioKind = 'all-bad' | 'slow-page' | 'burst' | 'ticket' | 'stopped' | 'quiet';

/** Scenarios that run for hours (the others run 10 minutes plus the alerts' `for`). */
const TIMED: readonly SloScenarioKind[] = ['burst', 'stopped'];

const SCENARIO_TITLES: Record<SloScenarioKind, string> = {
  'all-bad': 'every request bad',
  'slow-page': 'a steady share of bad requests between the slow and the fast page thresholds (only the slow page pair can fire)',
  'burst': '3h clean, then an hour above the fast page threshold, diluted below the slow page threshold over its long window (only the fast pair can fire)',
  'ticket': 'a steady share between the slow and the fast ticket thresholds (a ticket, no page)',
  'stopped': 'an hour of errors, then 35 clean minutes (the short windows are clean again: the page resets, the ticket stays)',
  'quiet': 'a steady share at half the lowest threshold',
};

/** One SLO's part of a scenario: its input share over time, when to look, and how sure the outcome must be. */
interface SloScenario {
  readonly scenario: Scenario;
  readonly at: number;
  readonly margin: number;
}

/**
 * The scenarios of one SLO, by kind (a kind is missing when it does not apply:
 * its pairs cannot fire, or a `for` on the alerts would shift its timing).
 * Every steady scenario is evaluated at 10 minutes plus the alerts' `for`.
 */
function sloScenarios(o: ResolvedOptions, slo: ResolvedSlo): Partial<Record<SloScenarioKind, SloScenario>> {
  const forMinutes = minutesOf(forDuration(o, sloTemplate().alert.alert, undefined));
  const bySpeed = (severity: string) => burnRatePairs(slo).filter((p) => p.severity === severity).sort((a, b) => b.factor - a.factor);
  const [fastPage, slowPage] = bySpeed('critical');
  const [fastTicket, slowTicket] = bySpeed('warning');
  const th = (p: BurnRatePair | undefined) => (p && p.reachable ? p.threshold : 1);
  const lowest = Math.min(...burnRatePairs(slo).filter((p) => p.reachable).map((p) => p.threshold));
  const steady = 10 + forMinutes;
  const steadily = (share: number): SloScenario => ({ scenario: [[steady, share]], at: steady, margin: 0 });
  const timed = forMinutes === 0 && fastPage?.reachable && slowPage?.reachable;
  // 3h clean and 1h at 1.4× the fast threshold: the slow pair's 6h window sees a quarter
  // of that, 0.35× the fast threshold, under its own 0.42× (6/14.4).
  const burst = timed ? minutesOf(fastPage.long) : 0;
  return {
    'all-bad': steadily(1),
    ...(slowPage?.reachable ? { 'slow-page': steadily((th(slowPage) + th(fastPage)) / 2) } : {}),
    ...(timed ? {
      burst: {
        scenario: [[3 * burst, 0], [burst, Math.min(1.4 * th(fastPage), (th(fastPage) + 1) / 2)]],
        at: 4 * burst,
        margin: 0.1,
      },
    } : {}),
    ...(slowTicket?.reachable ? { ticket: steadily((th(slowTicket) + th(fastTicket)) / 2) } : {}),
    ...(timed ? { stopped: { scenario: [[60, 1], [35, 0]], at: 95, margin: 0.1 } } : {}),
    'quiet': steadily(lowest / 2),
  };
}

/**
 * promtool tests of every SLO, one test per scenario kind (and lane), each
 * SLO on its own series. The expected alerts are computed from the window
 * ratios of each SLO's scenario, not assumed; an SLO whose outcome in a
 * scenario is not certain (a ratio too close to a threshold) sits it out.
 *  - every request bad: page and ticket fire; every window records 1;
 *  - a steady share between the slow page pair's threshold and the fast
 *    one's: only the slow pair (6h/30m) can page;
 *  - 3h clean, then an hour above the fast pair's threshold but diluted
 *    below the slow one's over 6h: only the fast pair (1h/5m) pages;
 *  - a steady share between the slow ticket pair's threshold and the fast
 *    one's: a ticket, no page;
 *  - an hour of errors, then 35 clean minutes: the short windows are clean,
 *    so the page has reset while the ticket still fires;
 *  - half the lowest threshold: nothing.
 * The two timed scenarios (hours of input) run for the first SLO they apply
 * to; the others for every SLO. Every alert of every SLO gets at least one
 * firing and one quiet case. `rules` are each SLO's rules as `sloRules` built them.
 */
export function sloTests(o: ResolvedOptions, slos: ReadonlyArray<{ svc: ResolvedService; slo: ResolvedSlo; rules: readonly Rule[] }>): PromtoolTest[] {
  interface Case {
    readonly svc: ResolvedService;
    readonly slo: ResolvedSlo;
    readonly id: string;
    readonly lane: number;
    readonly alerts: ReadonlyMap<string, Rule>;
    readonly pairs: readonly BurnRatePair[];
    readonly perMinute: number;
    readonly scenarios: Partial<Record<SloScenarioKind, SloScenario>>;
  }
  // Lanes: SLOs that share input series (two latency SLOs of one service share _count) go to different tests.
  const lanes: Array<Set<string>> = [];
  const cases: Case[] = [];
  for (const { svc, slo, rules } of slos) {
    const alerts = new Map(rules.filter((r) => r.alert).map((r) => [r.labels!.severity, r]));
    if (alerts.size === 0) continue;
    const families = sloFamilies(svc, slo);
    let lane = lanes.findIndex((used) => families.every((f) => !used.has(f)));
    if (lane === -1) lane = lanes.push(new Set()) - 1;
    families.forEach((f) => lanes[lane].add(f));
    const pairs = burnRatePairs(slo).filter((p) => p.reachable);
    const lowest = Math.min(...pairs.map((p) => p.threshold));
    cases.push({
      svc,
      slo,
      lane,
      alerts,
      pairs,
      id: `${svc.namespace}/${svc.name} ${sloId(slo)}`,
      // Enough requests a minute that the smallest share used is at least a thousand of them.
      perMinute: Math.max(1000, 10 ** Math.ceil(Math.log10(1000 / (lowest / 2)))),
      scenarios: sloScenarios(o, slo),
    });
  }
  const fired = new Map(cases.map((c) => [c, new Set<string>()]));
  const quiet = new Map(cases.map((c) => [c, new Set<string>()]));
  const realized = (c: Case, scenario: Scenario): Scenario =>
    scenario.map(([m, share]) => [m, Math.round(share * c.perMinute) / c.perMinute] as const);
  const alertname = sloTemplate().alert.alert;
  // The timed scenarios span hours, and every SLO that takes part makes each of those minutes
  // cost more; they test the window logic, the same for every SLO: the first SLO they apply to
  // runs them.
  const timedBy = cases.find((c) => TIMED.every((k) => c.scenarios[k]));
  const tests: PromtoolTest[] = [];
  for (const kind of Object.keys(SCENARIO_TITLES) as SloScenarioKind[]) {
    for (let lane = 0; lane < lanes.length; lane++) {
      const members = cases.flatMap((c) => {
        const sc = c.lane === lane && (!TIMED.includes(kind) || c === timedBy) ? c.scenarios[kind] : undefined;
        const expected = sc && expectedSeverities(realized(c, sc.scenario), sc.at, c.pairs, sc.margin);
        return sc && expected ? [{ c, sc, expected }] : [];
      });
      // One eval time per test: the steady scenarios share theirs, the timed ones are the same for every SLO.
      for (const at of [...new Set(members.map((m) => m.sc.at))]) {
        const batch = members.filter((m) => m.sc.at === at);
        for (const { c, expected } of batch) {
          for (const severity of c.alerts.keys()) (expected.has(severity) ? fired : quiet).get(c)!.add(severity);
        }
        const outcomes = new Map<string, string[]>();
        for (const { c, expected } of batch) outcomes.set(outcomeText(expected), [...(outcomes.get(outcomeText(expected)) ?? []), c.id]);
        tests.push({
          name: `SLOs: ${SCENARIO_TITLES[kind]}: ${[...outcomes].map(([outcome, ids]) => `${outcome} for ${ids.join(', ')}`).join('; ')}`,
          interval: TEST_INTERVAL,
          input_series: batch.flatMap(({ c, sc }) => sloSeries(c.svc, c.slo, sc.scenario, c.perMinute)),
          alert_rule_test: [{
            eval_time: `${at}m`,
            alertname,
            exp_alerts: batch.flatMap(({ c, expected }) => [...expected].sort().map((severity) => expectedAlert(c.alerts.get(severity)!))),
          }],
          ...(kind === 'all-bad' ? {
            promql_expr_test: batch.flatMap(({ c }) => sloTemplate().windows.map((w) => {
              const series = `${sloRecordName(w)}{${sloSelector(c.svc, c.slo)}}`;
              return { expr: series, eval_time: `${at}m`, exp_samples: [{ labels: series, value: 1 }] };
            })),
          } : {}),
        });
      }
    }
  }
  for (const c of cases) {
    for (const severity of c.alerts.keys()) {
      if (!fired.get(c)!.has(severity) || !quiet.get(c)!.has(severity)) {
        throw new Error(`${c.id}: no promtool case where its ${severity} alert ${fired.get(c)!.has(severity) ? 'stays quiet' : 'fires'}`);
      }
    }
  }
  return tests;
}
