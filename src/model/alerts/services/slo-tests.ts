import { expectedAlert } from './expected';
import { BurnRatePair, ResolvedSlo, burnRatePairs, forDuration, sloId, sloRecordName, sloSelector, sloWindows } from './rules';
import { alignedMinutes, histogramSeries, minutesOf, requestSeries } from './series';
import { sloTemplate } from './templates';
import { SloKind } from '../../../options/options';
import { ResolvedOptions, ResolvedService } from '../../../options/resolve';
import { promDurationMs } from '../../../validation/option-checks';
import { PromtoolTest, Rule } from '../types';
import { formatDuration } from '../windows';

/*
 * promtool tests of the SLO burn-rate alerts: scenarios of bad-request shares over time, with
 * the expected page and ticket computed from the samples each window holds.
 */

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

/** The bad requests of a scenario up to minute `t`, in requests a minute × minutes. */
function badUpTo(scenario: Scenario, t: number): number {
  let bad = 0;
  let start = 0;
  for (const [m, share] of scenario) {
    if (t > start) bad += share * (Math.min(t, start + m) - start);
    start += m;
  }
  return bad;
}

/**
 * The error ratio a window of `windowMinutes` sees at minute `t` of a
 * scenario sampled every `step` minutes: the increments between the first and
 * last samples inside it, from t - W on (Prometheus 2, left-closed) or after
 * it (Prometheus 3, left-open). Both counters are sampled at the same times,
 * so rate()'s extrapolation scales them alike and cancels in the ratio.
 */
function windowRatio(scenario: Scenario, t: number, windowMinutes: number, leftOpen: boolean, step: number): number {
  const from = t - windowMinutes;
  const first = Math.max(0, leftOpen ? (Math.floor(from / step + 1e-9) + 1) * step : Math.ceil(from / step - 1e-9) * step);
  const last = Math.floor(t / step + 1e-9) * step;
  return last <= first ? NaN : (badUpTo(scenario, last) - badUpTo(scenario, first)) / (last - first);
}

/**
 * The severities that fire at minute t of a scenario, or undefined when the
 * outcome is not certain: Prometheus 2 and 3 range selectors would disagree,
 * or (with `margin` > 0, for piecewise scenarios, where rate extrapolation
 * shifts ratios a little) a ratio is within that fraction of a threshold.
 */
function expectedSeverities(scenario: Scenario, t: number, pairs: readonly BurnRatePair[], margin: number, step: number): Set<string> | undefined {
  const result = new Set<string>();
  for (const p of pairs) {
    const verdicts = [false, true].map((leftOpen) => {
      const windows = [p.long, p.short].map(minutesOf);
      const ratios = windows.map((w) => windowRatio(scenario, t, w, leftOpen, step));
      // Where the share changes inside a window, extrapolation to its edges may move the ratio
      // by up to a sample interval's share of the window, besides `margin`.
      if (!ratios.every((r, i) => Math.abs(r - p.threshold) > (margin > 0 ? margin + step / windows[i] : 0) * p.threshold)) return undefined;
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
function sloScenarios(o: ResolvedOptions, svc: ResolvedService, slo: ResolvedSlo): Partial<Record<SloScenarioKind, SloScenario>> {
  const forMinutes = minutesOf(forDuration(o, sloTemplate().alert.alert, undefined));
  const pairsOf = () => burnRatePairs(slo, svc.scrapeInterval);
  // Every time a scenario is looked at is a sample and a rule evaluation; its input runs until then.
  const aligned = (sc: SloScenario): SloScenario => {
    const at = alignedMinutes(o, svc.scrapeInterval, sc.at);
    const last = sc.scenario[sc.scenario.length - 1];
    return { ...sc, at, scenario: [...sc.scenario.slice(0, -1), [last[0] + at - sc.at, last[1]]] };
  };
  const bySpeed = (severity: string) => pairsOf().filter((p) => p.severity === severity).sort((a, b) => b.factor - a.factor);
  const [fastPage, slowPage] = bySpeed('critical');
  const [fastTicket, slowTicket] = bySpeed('warning');
  const th = (p: BurnRatePair | undefined) => (p && p.reachable ? p.threshold : 1);
  const lowest = Math.min(...pairsOf().filter((p) => p.reachable).map((p) => p.threshold));
  const steady = 10 + forMinutes;
  const steadily = (share: number): SloScenario => aligned({ scenario: [[steady, share]], at: steady, margin: 0 });
  const timed = forMinutes === 0 && fastPage?.reachable && slowPage?.reachable;
  // 3h clean and 1h at 1.4× the fast threshold: the slow pair's 6h window sees a quarter
  // of that, 0.35× the fast threshold, under its own 0.42× (6/14.4).
  const burst = timed ? minutesOf(fastPage.long) : 0;
  return {
    'all-bad': steadily(1),
    ...(slowPage?.reachable ? { 'slow-page': steadily((th(slowPage) + th(fastPage)) / 2) } : {}),
    ...(timed ? {
      burst: aligned({
        scenario: [[3 * burst, 0], [burst, Math.min(1.4 * th(fastPage), (th(fastPage) + 1) / 2)]],
        at: 4 * burst,
        margin: 0.1,
      }),
    } : {}),
    ...(slowTicket?.reachable ? { ticket: steadily((th(slowTicket) + th(fastTicket)) / 2) } : {}),
    ...(timed ? { stopped: aligned({ scenario: [[60, 1], [35, 0]], at: 95, margin: 0.1 }) } : {}),
    'quiet': steadily(lowest / 2),
  };
}

/** An SLO with its service and the rules `sloRules` built for it. */
interface SloUnderTest {
  readonly svc: ResolvedService;
  readonly slo: ResolvedSlo;
  readonly rules: readonly Rule[];
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
 * firing and one quiet case. A test runs at one sample interval: SLOs are
 * batched by their service's scrape interval.
 */
export function sloTests(o: ResolvedOptions, slos: readonly SloUnderTest[]): PromtoolTest[] {
  // One test runs at one sample interval: a batch per scrape interval.
  return [...new Set(slos.map((s) => s.svc.scrapeInterval))]
    .flatMap((interval) => sloBatch(o, slos.filter((s) => s.svc.scrapeInterval === interval), interval));
}

function sloBatch(o: ResolvedOptions, slos: readonly SloUnderTest[], interval: string): PromtoolTest[] {
  const step = promDurationMs(interval) / 60_000;
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
    const pairs = burnRatePairs(slo, svc.scrapeInterval).filter((p) => p.reachable);
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
      scenarios: sloScenarios(o, svc, slo),
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
        const expected = sc && expectedSeverities(realized(c, sc.scenario), sc.at, c.pairs, sc.margin, step);
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
          interval,
          input_series: batch.flatMap(({ c, sc }) => sloSeries(c.svc, c.slo, sc.scenario, c.perMinute)),
          alert_rule_test: [{
            eval_time: formatDuration(at * 60_000),
            alertname,
            exp_alerts: batch.flatMap(({ c, expected }) => [...expected].sort().map((severity) => expectedAlert(c.alerts.get(severity)!))),
          }],
          ...(kind === 'all-bad' ? {
            promql_expr_test: batch.flatMap(({ c }) => sloWindows(c.svc).map((w) => {
              const series = `${sloRecordName(w)}{${sloSelector(c.svc, c.slo)}}`;
              return { expr: series, eval_time: formatDuration(at * 60_000), exp_samples: [{ labels: series, value: 1 }] };
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
