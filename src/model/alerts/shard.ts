import { RuleGroup } from './types';

/*
 * Rule groups split over several PrometheusRule objects, so that no object
 * comes near the limits of what carries it: the per-service groups grow about
 * 3 KB per service (590 KB at 200 services), while
 *
 * - client-side apply keeps the whole object in its last-applied annotation,
 *   at most 262,144 bytes (the alert-rules Application also syncs
 *   server-side, but a `kubectl apply` by hand would not);
 * - prometheus-operator rejects a PrometheusRule over 512 KiB;
 * - the API server stores at most ~1.5 MiB per object.
 *
 * A group whose rules fit in SHARD_BUDGET_BYTES stays one group under its own
 * name, so small stacks keep their object and file names. A larger one is cut,
 * in order and only between blocks (one service's or one SLO's rules stay
 * together: its alerts read its recording rules in the same evaluation), into
 * shards filled up to the budget: `<group>`, `<group>-2`, `<group>-3`, ...
 * Deterministic: the same rules give the same shards; adding a service at the
 * end changes only the last shard.
 */

/**
 * At most this many bytes of rules (as compact JSON) per shard. The generated
 * YAML of these rules is ~17% larger than compact JSON (measured at 500
 * services: 192 KiB of JSON gave 225 KiB files), so 168 KiB keeps every
 * object near 200 KiB as YAML and under it as JSON: well under 256 KiB either way.
 */
export const SHARD_BUDGET_BYTES = 168 * 1024;

/** Sizes measured, per rule object (every cluster's manifests and the size check ask again). */
const sizeCache = new WeakMap<RuleGroup['rules'][number], number>();

/** The serialized size of one rule (compact JSON, UTF-8, with its separator). */
function ruleBytes(rule: RuleGroup['rules'][number]): number {
  let size = sizeCache.get(rule);
  if (size === undefined) {
    size = Buffer.byteLength(JSON.stringify(rule), 'utf-8') + 1;
    sizeCache.set(rule, size);
  }
  return size;
}

/** The serialized size of a group's rules (compact JSON): what a PrometheusRule of it weighs, less ~1 KiB of metadata. */
export function ruleGroupBytes(group: RuleGroup): number {
  return group.rules.reduce((n, r) => n + ruleBytes(r), 0);
}

/** The name of shard `index` (0-based) of `group`. */
export function shardName(group: string, index: number): string {
  return index === 0 ? group : `${group}-${index + 1}`;
}

/**
 * `group` as one or more groups of at most `budget` bytes of rules each
 * (a single block over the budget gets a shard of its own). Tests stay with
 * the model's group (tests/rules), not with the shards.
 */
export function shardRuleGroup(group: RuleGroup, budget: number = SHARD_BUDGET_BYTES): RuleGroup[] {
  const sizes = group.rules.map(ruleBytes);
  const total = sizes.reduce((a, b) => a + b, 0);
  if (total <= budget) return [group];
  const blocks = group.blocks ?? group.rules.map(() => 1);
  if (blocks.reduce((a, b) => a + b, 0) !== group.rules.length) {
    throw new Error(`rule group ${group.name}: its blocks cover ${blocks.reduce((a, b) => a + b, 0)} rules, it has ${group.rules.length}`);
  }
  const shards: Array<RuleGroup['rules'][number][]> = [];
  let current: RuleGroup['rules'][number][] = [];
  let bytes = 0;
  let at = 0;
  for (const count of blocks) {
    const rules = group.rules.slice(at, at + count);
    const size = sizes.slice(at, at + count).reduce((a, b) => a + b, 0);
    at += count;
    if (rules.length === 0) continue;
    if (current.length > 0 && bytes + size > budget) {
      shards.push(current);
      current = [];
      bytes = 0;
    }
    current.push(...rules);
    bytes += size;
  }
  if (current.length > 0) shards.push(current);
  return shards.map((rules, i) => ({
    name: shardName(group.name, i),
    ...(group.interval !== undefined ? { interval: group.interval } : {}),
    rules,
    tests: [],
  }));
}
