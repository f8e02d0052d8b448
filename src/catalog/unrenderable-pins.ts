import * as semver from 'semver';

/**
 * Chart versions the library knows the current Helm cannot render, whatever
 * the values: Argo CD's repo-server (and `helm template`) fails on them with
 * a ComparisonError. A `chartVersions` pin in one of these ranges gets a
 * synth warning naming the pin, why, and the first version that renders.
 */
export interface UnrenderablePin {
  readonly chart: string;
  /** The affected versions (a semver range). */
  readonly versions: string;
  /** What fails, as Helm reports it. */
  readonly reason: string;
  /** The first version with the fix. */
  readonly fixedIn: string;
}

const PINS: readonly UnrenderablePin[] = [
  {
    // The schema's `manager.featureGates.examples` is a string where the metaschema
    // (draft 2019-09) wants an array. Added in 0.74.1 (open-telemetry/opentelemetry-helm-charts
    // #1404, commit 1169906), fixed in 0.92.5 (#1805, commit b4811bf). Measured with Helm
    // v4.1.4 on 0.91.1 (test/fixtures/chart-packages): "values.schema.json is not valid against
    // metaschema ... featureGates/examples: got string, want array".
    chart: 'opentelemetry-operator',
    versions: '>=0.74.1 <0.92.5',
    reason: 'its values.schema.json is rejected by the metaschema check of Helm >= 3.18.5 and Helm 4 ' +
      '("featureGates/examples: got string, want array"), whatever the values',
    fixedIn: '0.92.5',
  },
];

/** Every known unrenderable range (for messages and the render stage). */
export function unrenderablePins(): readonly UnrenderablePin[] {
  return PINS;
}

/** The known problem of `chart` at `version`, if it is in one of the ranges. */
export function unrenderablePin(chart: string, version: string): UnrenderablePin | undefined {
  return PINS.find((p) => p.chart === chart && semver.valid(version) !== null && semver.satisfies(version, p.versions));
}
