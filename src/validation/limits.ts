import { InvalidOptionError } from './errors';
import { promDurationMs } from './option-checks';

/**
 * Values that parse but cannot work: zero or absurd durations and sizes,
 * requests above limits, a retention size above its volume, sizing results
 * no node can hold. Each check takes already syntax-checked values.
 *
 * Internal module: not exported from src/index.ts.
 */

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** The number a Kubernetes quantity stands for (bytes for memory and storage, cores for CPU). */
export function quantityValue(quantity: string): number {
  const m = /^[+]?(\d+(?:\.\d*)?|\.\d+)([A-Za-z]*)$/.exec(quantity);
  if (!m) return NaN;
  const unit = m[2];
  const factor = unit === '' ? 1 : BINARY[unit] ?? DECIMAL[unit];
  return factor === undefined ? NaN : Number(m[1]) * factor;
}

/** Bytes of a Prometheus size (`45GB`): Prometheus's units are powers of 1024 (KB = 1024 B). */
export function promSizeBytes(size: string): number {
  const m = /^(\d+)(B|KB|MB|GB|TB|PB|EB)$/.exec(size);
  if (!m) return NaN;
  return Number(m[1]) * 1024 ** ['B', 'KB', 'MB', 'GB', 'TB', 'PB', 'EB'].indexOf(m[2]);
}

/** The largest volume a cloud provider gives one PersistentVolume (EBS io2, GCE PD, Azure Ultra Disk: 64 TiB). */
export const MAX_VOLUME_BYTES = 64 * 2 ** 40;
/** More memory than one Kubernetes node offers (the largest cloud instances have 24 TiB): 4 TiB per container. */
export const MAX_MEMORY_BYTES = 4 * 2 ** 40;
/** More cores than one node offers. */
export const MAX_CPU_CORES = 512;
/** One Prometheus: beyond this much memory, shard or use Mimir/Thanos (what the sizing helper may produce). */
export const MAX_PROMETHEUS_MEMORY_BYTES = 256 * 2 ** 30;

const human = (bytes: number) => {
  for (const [unit, f] of [['Ti', 2 ** 40], ['Gi', 2 ** 30], ['Mi', 2 ** 20], ['Ki', 2 ** 10]] as const) {
    if (bytes >= f) return `${+(bytes / f).toFixed(1)}${unit}`;
  }
  return `${bytes}B`;
};

/** A volume size: more than zero, at most what one volume can be. */
export function checkVolumeSize(option: string, size: string): string {
  const bytes = quantityValue(size);
  if (!(bytes >= 2 ** 20)) {
    throw new InvalidOptionError(option, size, 'is zero or below 1Mi: a volume needs a size such as "10Gi"');
  }
  if (bytes > MAX_VOLUME_BYTES) {
    throw new InvalidOptionError(option, size, `is ${human(bytes)}, more than one volume can be (64Ti on EBS, GCE PD and Azure disks): use object storage for that much data, or a smaller size`);
  }
  return size;
}

/** A CPU or memory request/limit: more than zero and within one node. */
export function checkResourceAmount(option: string, quantity: string, kind: 'cpu' | 'memory'): string {
  const v = quantityValue(quantity);
  if (!(v > 0)) throw new InvalidOptionError(option, quantity, `is zero: give a ${kind} amount above zero (for example ${kind === 'cpu' ? '"500m"' : '"512Mi"'}) or leave it out`);
  if (kind === 'cpu' && v > MAX_CPU_CORES) {
    throw new InvalidOptionError(option, quantity, `is ${v} cores, more than any node has (at most ${MAX_CPU_CORES}); CPU is in cores or millicores ("2" or "500m")`);
  }
  if (kind === 'memory' && v > MAX_MEMORY_BYTES) {
    throw new InvalidOptionError(option, quantity, `is ${human(v)}, more than any node has (at most 4Ti); memory is in bytes with a unit ("512Mi", "4Gi")`);
  }
  if (kind === 'memory' && v < 2 ** 20) {
    throw new InvalidOptionError(option, quantity, 'is below 1Mi: memory is in bytes, so give a unit ("512Mi", "4Gi"; "m" means thousandths of a byte)');
  }
  return quantity;
}

/** A request must not exceed its limit (Kubernetes rejects the Pod). */
export function checkRequestWithinLimit(option: string, request: string | undefined, limit: string | undefined, limitOption: string): void {
  if (request === undefined || limit === undefined) return;
  if (quantityValue(request) > quantityValue(limit)) {
    throw new InvalidOptionError(option, request, `is above ${limitOption} (${limit}): Kubernetes rejects a Pod whose request exceeds its limit`);
  }
}

/** Prometheus's size-based retention must fit on its volume (with room for the WAL and compaction). */
export function checkRetentionSize(option: string, retentionSize: string, volumeSize: string, volumeOption: string): string {
  const bytes = promSizeBytes(retentionSize);
  if (!(bytes > 0)) {
    throw new InvalidOptionError(option, retentionSize, 'is zero: give the most the TSDB may use (for example "45GB" on a 50Gi volume), or leave it out');
  }
  if (bytes > quantityValue(volumeSize)) {
    throw new InvalidOptionError(option, retentionSize,
      `is more than the volume (${volumeOption} ${volumeSize}; Prometheus's GB is GiB): the disk fills before retention deletes anything. ` +
      'Use about 85% of the volume (for example "42GB" on "50Gi")');
  }
  return retentionSize;
}

/** A duration within [min, max] (milliseconds), with the reason for each bound. */
export function checkDurationBounds(option: string, duration: string, min: number, max: number, why: string): string {
  const ms = promDurationMs(duration);
  if (ms === 0) throw new InvalidOptionError(option, duration, `is zero: ${why}`);
  if (ms < min || ms > max) throw new InvalidOptionError(option, duration, `is outside ${fmt(min)} to ${fmt(max)}: ${why}`);
  return duration;
}

/** A Go duration (no `d`) in milliseconds. */
export function goDurationMs(duration: string): number {
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  for (const [, n, unit] of duration.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) total += Number(n) * units[unit];
  return total;
}

function fmt(ms: number): string {
  for (const [unit, f] of [['y', 31_536_000_000], ['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (ms >= f && ms % f === 0) return `${ms / f}${unit}`;
  }
  return `${ms}ms`;
}

/** Sizing results a node can hold: one Prometheus's memory and one volume. */
export function checkSizedPrometheus(memory: string, storage: string, activeSeries: number): void {
  const mem = quantityValue(memory);
  if (mem > MAX_PROMETHEUS_MEMORY_BYTES) {
    throw new InvalidOptionError('sizing.activeSeries', activeSeries,
      `needs ${human(mem)} of memory for one Prometheus (4 KiB per series), more than 256Gi: ` +
      'split the series over more clusters, or set metrics.resources and metrics.storage yourself');
  }
  const bytes = quantityValue(storage);
  if (bytes > MAX_VOLUME_BYTES) {
    throw new InvalidOptionError('sizing.activeSeries', activeSeries,
      `needs a ${human(bytes)} volume at metrics.scrapeInterval and metrics.retention, more than one volume can be (64Ti): ` +
      'shorten metrics.retention, or keep long-term data in object storage (MetricsBackend.MIMIR or THANOS)');
  }
}
