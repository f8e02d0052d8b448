import * as http from 'http';
import { AddressInfo } from 'net';

/*
 * A fake HTTP service for the live alert-pipeline test: it serves no real
 * traffic, it simulates it. Requests "arrive" at a steady rate set by the
 * current mode, and every scrape of /metrics first accounts for the requests
 * of the time elapsed since the previous scrape, then writes the Prometheus
 * text exposition (format 0.0.4) of:
 *
 * - a counter of requests by status code (`http_requests_total{code}` by
 *   default). Like the Prometheus client libraries, a code's series appears on
 *   its first request: there is no `code="500"` series before the first error.
 * - a classic histogram of request durations in seconds
 *   (`http_request_duration_seconds_bucket{le}`, `_sum`, `_count`), with the
 *   client libraries' default buckets. Every request of a mode takes the same
 *   time.
 *
 * Written by hand (no prom-client): the exposition of two metrics is a few
 * lines, and the test depends on nothing but Node's `http`.
 */

/** The client libraries' default histogram buckets (seconds). */
export const DEFAULT_BUCKETS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** What the simulated traffic looks like. */
export interface TrafficMode {
  /** Requests per second. */
  readonly requestsPerSecond: number;
  /** Share of requests answered 500 (the rest 200), 0..1. */
  readonly errorRatio: number;
  /** Duration of every request, seconds. */
  readonly latencySeconds: number;
}

/** Metric and label names (the service's `requestsMetric`, `durationMetric`, `statusLabel`). */
export interface FakeServiceMetricNames {
  readonly requestsMetric: string;
  readonly durationMetric: string;
  readonly statusLabel: string;
}

/** A Prometheus text-format `le` value: the shortest form (0.5, 1, 2.5), as the Go client writes it. */
function formatLe(le: number): string {
  return String(le);
}

export class FakeService {
  private readonly server: http.Server;
  private mode: TrafficMode;
  private lastAdvance = Date.now();
  /** Fractional request left over from the previous advance, so a rate below one request per scrape still adds up. */
  private carry = 0;
  /** Requests by status code, in the order the codes first appeared. */
  private readonly byCode = new Map<string, number>();
  /** Non-cumulative count of each bucket (index i: le = buckets[i]; last index: above every bound). */
  private readonly bucketCounts: number[];
  private durationSum = 0;
  private durationCount = 0;
  private scrapes = 0;

  constructor(
    private readonly names: FakeServiceMetricNames,
    initial: TrafficMode,
    private readonly buckets: readonly number[] = DEFAULT_BUCKETS,
  ) {
    this.mode = initial;
    this.bucketCounts = new Array(buckets.length + 1).fill(0);
    this.server = http.createServer((req, res) => {
      if (req.method === 'GET' && (req.url === '/metrics' || req.url?.startsWith('/metrics?'))) {
        this.advance();
        this.scrapes++;
        res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
        res.end(this.exposition());
        return;
      }
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found\n');
    });
  }

  /** Listen on 127.0.0.1 on a free port; returns the port. */
  async start(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    return (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    if (!this.server.listening) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Switch the traffic (the requests until now are accounted in the previous mode). */
  setMode(mode: TrafficMode): void {
    this.advance();
    this.mode = mode;
  }

  /** How often /metrics was scraped. */
  get scrapeCount(): number {
    return this.scrapes;
  }

  /** Total requests so far, by status code. */
  requests(): Record<string, number> {
    this.advance();
    return Object.fromEntries(this.byCode);
  }

  /** Account for the requests that arrived since the last call. */
  private advance(now: number = Date.now()): void {
    const seconds = Math.max(0, now - this.lastAdvance) / 1000;
    this.lastAdvance = now;
    const exact = this.mode.requestsPerSecond * seconds + this.carry;
    const n = Math.floor(exact);
    this.carry = exact - n;
    if (n === 0) return;
    const errors = Math.round(n * this.mode.errorRatio);
    if (n - errors > 0) this.byCode.set('200', (this.byCode.get('200') ?? 0) + n - errors);
    if (errors > 0) this.byCode.set('500', (this.byCode.get('500') ?? 0) + errors);
    const latency = this.mode.latencySeconds;
    const bucket = this.buckets.findIndex((le) => latency <= le);
    this.bucketCounts[bucket === -1 ? this.buckets.length : bucket] += n;
    this.durationSum += latency * n;
    this.durationCount += n;
  }

  /** The text exposition of both metrics. */
  exposition(): string {
    const { requestsMetric, durationMetric, statusLabel } = this.names;
    const lines = [
      `# HELP ${requestsMetric} Requests served, by HTTP status code.`,
      `# TYPE ${requestsMetric} counter`,
      ...[...this.byCode].map(([code, n]) => `${requestsMetric}{${statusLabel}="${code}"} ${n}`),
      `# HELP ${durationMetric} Request durations in seconds.`,
      `# TYPE ${durationMetric} histogram`,
    ];
    let cumulative = 0;
    this.buckets.forEach((le, i) => {
      cumulative += this.bucketCounts[i];
      lines.push(`${durationMetric}_bucket{le="${formatLe(le)}"} ${cumulative}`);
    });
    lines.push(`${durationMetric}_bucket{le="+Inf"} ${this.durationCount}`);
    lines.push(`${durationMetric}_sum ${this.durationSum}`);
    lines.push(`${durationMetric}_count ${this.durationCount}`);
    return `${lines.join('\n')}\n`;
  }
}
