import { isDeepStrictEqual } from 'util';

/**
 * Helm-style deep merge: maps merge key by key, anything else (lists, scalars,
 * null) in `override` replaces what is in `base`. A null is kept, so Helm
 * removes that key from the chart's defaults. Also how an environment's
 * options merge over the project-wide ones.
 */
export function deepMerge(base: Record<string, unknown>, override: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const current = result[key];
    result[key] = isMap(current) && isMap(value) ? deepMerge(current, value) : value;
  }
  return result;
}

/**
 * `layer` with `override` applied to the keys they share: where both are
 * maps, recursively; elsewhere the override's value. Keys only the override
 * has are left out (they are in another layer already). Used so a layer
 * written after the user's override (per-cluster values) cannot undo it.
 */
export function overrideWins(layer: Record<string, unknown>, override: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = { ...layer };
  for (const key of Object.keys(layer)) {
    if (!(key in override)) continue;
    const value = override[key];
    result[key] = isMap(layer[key]) && isMap(value) ? overrideWins(layer[key] as Record<string, unknown>, value) : value;
  }
  return result;
}

export function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * What `layer` must contain so that `deepMerge(base, layer)` equals `target`
 * (up to lists emptied rather than removed): only the keys that differ.
 * Empty when they are equal.
 *
 * `defaults` are the chart's default values, aligned with `base`: where the
 * target leaves out a key the base set, the layer restores the chart's
 * default rather than deleting the key (which would delete the default too).
 */
export function valuesDiff(base: Record<string, unknown>, target: Record<string, unknown>, defaults?: unknown): Record<string, unknown> {
  // A component turned off: its other settings no longer matter.
  if (target.enabled === false && base.enabled === true && Object.keys(target).length === 1) return { enabled: false };
  const diff: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(target)) {
    const current = base[key];
    if (isMap(current) && isMap(value)) {
      const inner = valuesDiff(current, value, defaultAt(defaults, key));
      if (Object.keys(inner).length > 0) diff[key] = inner;
    } else if (!isDeepStrictEqual(current, value)) {
      diff[key] = value;
    }
  }
  // What the target lacks is undone leaf by leaf, keeping the maps (the chart's
  // own keys beneath them stay): back to the chart's default where it has one,
  // else a list becomes empty and a scalar null, which Helm reads as "delete this key".
  for (const key of Object.keys(base)) {
    if (key in target) continue;
    const value = base[key];
    const chartDefault = defaultAt(defaults, key);
    if (isMap(value)) {
      const inner = valuesDiff(value, {}, chartDefault);
      if (Object.keys(inner).length > 0) diff[key] = inner;
    } else if (chartDefault !== undefined && !isMap(chartDefault)) {
      if (!isDeepStrictEqual(chartDefault, value)) diff[key] = chartDefault;
    } else {
      diff[key] = Array.isArray(value) ? [] : null;
    }
  }
  return diff;
}

function defaultAt(defaults: unknown, key: string): unknown {
  return isMap(defaults) ? defaults[key] : undefined;
}
