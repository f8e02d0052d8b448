import * as fs from 'fs';
import * as path from 'path';
import { didYouMean } from './errors';

/*
 * Helm values keys checked against the pinned chart's own keys.
 *
 * The key catalogs are derived from the upstream charts by scripts/derive-reference.mjs into
 * reference/charts/<chart>/<version>.keys.json (see reference/PROVENANCE.md). A catalog is a
 * key tree: an object is a closed map (only its keys are known), the string "*" is open
 * (anything beneath is accepted).
 *
 * Internal module: not exported from src/index.ts (jsii never sees these types).
 */

/** A values key that the chart does not know. */
export interface UnknownKey {
  /** Dotted path of the key, e.g. `prometheus.prometheusSpec.retentionn` (keys are not escaped). */
  readonly path: string;
  /** The unknown key itself, e.g. `retentionn`. */
  readonly key: string;
  /** Closest known sibling keys (case-insensitive edit distance), at most 3, best first. */
  readonly suggestions: string[];
}

/** Result of `checkValuesKeys`, which does not throw when there is no catalog. */
export interface ValuesKeyCheck {
  /** False when no key catalog exists for this chart version (nothing was checked). */
  readonly catalogFound: boolean;
  /** Versions of the chart that have a catalog (ascending). */
  readonly catalogVersions: string[];
  /** Unknown keys (empty when none, or when no catalog exists). */
  readonly unknown: UnknownKey[];
}

type KeyTree = '*' | { [key: string]: KeyTree };

const OPEN = '*';
const MAX_SUGGESTIONS = 3;

/** reference/ at the package root: __dirname is lib/validation (compiled) or src/validation (ts-jest). */
const CHARTS_DIR = path.join(__dirname, '..', '..', 'reference', 'charts');
const SAFE_CHART = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const SAFE_VERSION = /^[A-Za-z0-9][A-Za-z0-9.+_-]*$/;

const catalogCache = new Map<string, KeyTree | null>();

/**
 * Path of a derived reference file of chart@version: its key catalog or its default values
 * (reference/charts/<chart>/<version>.<kind>.json), or undefined for a name that is not a plain
 * chart name or version (never a path outside reference/).
 */
export function chartReferenceFile(chart: string, version: string, kind: 'keys' | 'defaults'): string | undefined {
  if (!SAFE_CHART.test(chart) || !SAFE_VERSION.test(version)) return undefined;
  return path.join(CHARTS_DIR, chart, `${version}.${kind}.json`);
}

/** The key tree of chart@version, or null when there is none. Cached. */
function loadCatalog(chart: string, version: string): KeyTree | null {
  const id = `${chart}@${version}`;
  const cached = catalogCache.get(id);
  if (cached !== undefined) return cached;
  const file = chartReferenceFile(chart, version, 'keys');
  let tree: KeyTree | null = null;
  if (file !== undefined && fs.existsSync(file)) {
    const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (parsed !== OPEN && !isPlainObject(parsed)) {
      throw new Error(`Key catalog ${file} is not a key tree (expected an object or "*")`);
    }
    tree = parsed as KeyTree;
  }
  catalogCache.set(id, tree);
  return tree;
}

/** True when a key catalog exists for this chart version. */
export function hasKeyCatalog(chart: string, version: string): boolean {
  return loadCatalog(chart, version) !== null;
}

/** Versions of `chart` that have a key catalog, ascending (empty if none). */
export function keyCatalogVersions(chart: string): string[] {
  if (!SAFE_CHART.test(chart)) return [];
  const dir = path.join(CHARTS_DIR, chart);
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir)
    .filter((f) => f.endsWith('.keys.json'))
    .map((f) => f.slice(0, -'.keys.json'.length))
    .sort(compareVersions);
}

/**
 * Check Helm values against the key catalog of chart@version without throwing:
 * `catalogFound` is false (and nothing is reported) when there is no catalog for that version.
 */
export function checkValuesKeys(chart: string, version: string, values: any): ValuesKeyCheck {
  const tree = loadCatalog(chart, version);
  if (tree === null) {
    return { catalogFound: false, catalogVersions: keyCatalogVersions(chart), unknown: [] };
  }
  return { catalogFound: true, catalogVersions: keyCatalogVersions(chart), unknown: unknownKeys(tree, values) };
}

/**
 * Keys in `values` that chart@version does not know, in document order. Keys inside open
 * subtrees are never reported, nor keys beneath an unknown key.
 *
 * There is no distinct "no catalog" result in this array: call `hasKeyCatalog` first (or use
 * `checkValuesKeys`). Without a catalog this throws an Error naming the versions that have one.
 */
export function findUnknownValuesKeys(chart: string, version: string, values: any): UnknownKey[] {
  const tree = loadCatalog(chart, version);
  if (tree === null) {
    const versions = keyCatalogVersions(chart);
    throw new Error(`No values key catalog for chart ${chart} ${version}` +
      (versions.length > 0 ? ` (catalogs exist for: ${versions.join(', ')})` : ' (no catalog for this chart)') +
      '; check hasKeyCatalog() first');
  }
  return unknownKeys(tree, values);
}

function unknownKeys(tree: KeyTree, values: unknown): UnknownKey[] {
  const out: UnknownKey[] = [];
  walk(tree, values, [], out);
  return out;
}

function walk(tree: KeyTree, value: unknown, at: string[], out: UnknownKey[]): void {
  if (tree === OPEN || !isPlainObject(value)) return; // lists and scalars: not a key question
  for (const key of Object.keys(value)) {
    if (Object.prototype.hasOwnProperty.call(tree, key)) {
      walk(tree[key], value[key], [...at, key], out);
    } else {
      out.push({ path: [...at, key].join('.'), key, suggestions: didYouMean(key, Object.keys(tree), MAX_SUGGESTIONS) });
    }
  }
}


function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.+-]/).map((x) => (/^\d+$/.test(x) ? Number(x) : x));
  const pb = b.split(/[.+-]/).map((x) => (/^\d+$/.test(x) ? Number(x) : x));
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === y) continue;
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return 0;
}

function isPlainObject(v: unknown): v is Record<string, any> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
