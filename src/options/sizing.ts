import { promDurationMs } from '../validation/option-checks';

/**
 * The sizing helper: from expected load (active series, log GiB per day,
 * spans per second) to replicas, resources and storage. Pure functions; the
 * README of this library documents the same formulas, and the generated
 * values show their results.
 *
 * Rules of thumb (sources: Prometheus storage docs, Grafana Mimir's
 * capacity-planning guide, Loki's and Tempo's sizing guides), rounded up:
 *
 * - Prometheus: memory 4 KiB per active series (head block, twice the ~2 KiB
 *   the head needs, for queries and compaction) + 512 MiB; CPU 0.5 core per
 *   million series (min 0.25); disk = samples/s × 2 bytes × retention × 1.2.
 * - Mimir (replication factor 3): ingesters handle 300,000 in-memory series
 *   each at 1 core and 2.5 GiB (so ⌈3 × series / 300k⌉ replicas, at least 3);
 *   distributors 1 core and 1 GiB per 25,000 samples/s (at least 2).
 * - Loki (distributed, replication factor 3): one ingester per 50 GiB/day
 *   (at least 3) and per replica 1 core / 4 GiB; distributors and queriers one
 *   per 100 GiB/day (at least 2). Single binary: its volume holds
 *   GiB/day × retention days / 10 (compression) × 1.2.
 * - Tempo: distributors one per 20,000 spans/s (at least 2); Tempo 3's Kafka
 *   partitions (block-builders and live-stores) one per 20,000 spans/s (at
 *   least 3). Monolithic: its volume holds spans/s × 86,400 × 250 bytes
 *   (compressed span) × retention days × 1.2.
 *
 * Used by option resolution (a load picks defaults; options set explicitly
 * win) and by the distributed parts.
 *
 * Internal module: not exported from src/index.ts.
 */

const KIB = 1024;
const MIB = 1024 * KIB;
const GIB = 1024 * MIB;

/** A quantity in Gi (whole), at least `min`. */
function gi(bytes: number, min = 1): string {
  return `${Math.max(min, Math.ceil(bytes / GIB))}Gi`;
}

/** A quantity in Mi (whole). */
function mi(bytes: number): string {
  return `${Math.ceil(bytes / MIB)}Mi`;
}

/** CPU in millicores, rounded up to 50m, at least `min`. */
function cpu(cores: number, min = 0.1): string {
  return `${Math.max(Math.round(min * 1000), Math.ceil((cores * 1000) / 50) * 50)}m`;
}

export interface PrometheusSize {
  readonly memory: string;
  readonly cpu: string;
  readonly storage: string;
}

/** One Prometheus for `activeSeries` series scraped every `scrapeInterval`, kept `retention`. */
export function prometheusSize(activeSeries: number, scrapeInterval: string, retention: string): PrometheusSize {
  const samplesPerSecond = activeSeries / (promDurationMs(scrapeInterval) / 1000);
  const retentionSeconds = promDurationMs(retention) / 1000;
  return {
    memory: mi(activeSeries * 4 * KIB + 512 * MIB),
    cpu: cpu((activeSeries / 1_000_000) * 0.5, 0.25),
    storage: gi(samplesPerSecond * 2 * retentionSeconds * 1.2, 10),
  };
}

export interface ComponentSize {
  readonly replicas: number;
  readonly cpu: string;
  readonly memory: string;
}

export interface MimirSize {
  readonly ingester: ComponentSize;
  readonly distributor: ComponentSize;
}

/** Mimir for `activeSeries` series in total, scraped every `scrapeInterval`. */
export function mimirSize(activeSeries: number, scrapeInterval: string): MimirSize {
  const inMemory = activeSeries * 3;
  const ingesters = Math.max(3, Math.ceil(inMemory / 300_000));
  const perIngester = inMemory / ingesters;
  const samplesPerSecond = activeSeries / (promDurationMs(scrapeInterval) / 1000);
  const distributors = Math.max(2, Math.ceil(samplesPerSecond / 25_000));
  const perDistributor = samplesPerSecond / distributors;
  return {
    ingester: { replicas: ingesters, cpu: cpu(perIngester / 300_000), memory: gi((perIngester / 300_000) * 2.5 * GIB) },
    distributor: { replicas: distributors, cpu: cpu(perDistributor / 25_000), memory: gi(perDistributor / 25_000 * GIB) },
  };
}

export interface LokiSize {
  readonly ingester: ComponentSize;
  readonly distributorReplicas: number;
  readonly querierReplicas: number;
  /** Volume of a single binary keeping `retention`. */
  readonly singleBinaryStorage: string;
}

export function lokiSize(gbPerDay: number, retention: string): LokiSize {
  const days = promDurationMs(retention) / 86_400_000;
  return {
    ingester: { replicas: Math.max(3, Math.ceil(gbPerDay / 50)), cpu: '1000m', memory: '4Gi' },
    distributorReplicas: Math.max(2, Math.ceil(gbPerDay / 100)),
    querierReplicas: Math.max(2, Math.ceil(gbPerDay / 100)),
    singleBinaryStorage: gi(((gbPerDay * GIB * days) / 10) * 1.2, 10),
  };
}

export interface TempoSize {
  readonly distributorReplicas: number;
  /** Kafka partitions, block-builders and live-stores (Tempo 3). */
  readonly partitions: number;
  /** Volume of a monolithic Tempo keeping `retention`. */
  readonly monolithicStorage: string;
}

/** `retention` is a Go duration such as `336h`. */
export function tempoSize(spansPerSecond: number, retention: string): TempoSize {
  const hours = goDurationHours(retention);
  return {
    distributorReplicas: Math.max(2, Math.ceil(spansPerSecond / 20_000)),
    partitions: Math.max(3, Math.ceil(spansPerSecond / 20_000)),
    monolithicStorage: gi(spansPerSecond * 3600 * hours * 250 * 1.2, 10),
  };
}

const HOURS_PER_UNIT: Record<string, number | undefined> = { h: 1, m: 1 / 60, s: 1 / 3600 };

function goDurationHours(duration: string): number {
  let hours = 0;
  for (const [, n, unit] of duration.matchAll(/(\d+(?:\.\d+)?)(h|m|s|ms|us|µs|ns)/g)) {
    hours += Number(n) * (HOURS_PER_UNIT[unit] ?? 0);
  }
  return hours;
}
