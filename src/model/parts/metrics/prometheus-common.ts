import { TracesBackend } from '../../../options/options';
import { ResolvedOptions } from '../../../options/resolve';

/**
 * Prometheus settings shared by both metrics flavors.
 */

/**
 * Whether Tempo runs in the cluster and remote-writes its metrics-generator
 * output (span metrics, service graphs, with trace-id exemplars) into
 * Prometheus: Prometheus then needs the remote-write receiver and exemplar
 * storage.
 */
export function tempoReceivesIntoPrometheus(o: ResolvedOptions): boolean {
  return o.metrics.enabled && o.traces.enabled && o.traces.backend === TracesBackend.TEMPO;
}

const UNIT_MS: Record<string, number> = {
  ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000,
};

/** Milliseconds of a Prometheus duration such as `1m30s` (already validated by the options). */
export function promDurationMs(duration: string): number {
  let total = 0;
  for (const [, n, unit] of duration.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)) total += Number(n) * UNIT_MS[unit];
  return total;
}

/** Prometheus' default scrape timeout. */
const DEFAULT_SCRAPE_TIMEOUT = '10s';

/**
 * The global scrape timeout: Prometheus' 10s, or the scrape interval when
 * that is shorter (Prometheus refuses a timeout longer than the interval).
 */
export function scrapeTimeout(scrapeInterval: string): string {
  return promDurationMs(scrapeInterval) < promDurationMs(DEFAULT_SCRAPE_TIMEOUT) ? scrapeInterval : DEFAULT_SCRAPE_TIMEOUT;
}
