import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { helmBinary } from '../../scripts/lib/helm-binary.cjs';
import { CheckResult } from '../../src/validate/checks';
import { RenderOptions, renderStage } from '../../src/validate/render';
import { readRepo } from '../../src/validate/repo';

/** Temp folders a test file makes, removed after it: `const dirs = tempDirs(); dirs.make('prefix-')`. */
export function tempDirs(): { make(prefix: string): string } {
  const made: string[] = [];
  afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));
  return {
    make(prefix: string): string {
      const d = mkdtempSync(join(tmpdir(), prefix));
      made.push(d);
      return d;
    },
  };
}

/** The real chart packages at every pin (test fixtures; see their README). */
export const FIXTURE_CHARTS = join(__dirname, '..', 'fixtures', 'chart-packages');

/**
 * How the tests render: the real Helm v4.1.4 (from the devDependency), charts
 * from the vendored packages only, never the network, an empty cache.
 */
export function renderOptions(): RenderOptions {
  return { helm: helmBinary(), chartsDir: FIXTURE_CHARTS, offline: true, cacheDir: mkdtempSync(join(tmpdir(), 'obs-gitops-chart-cache-')) };
}

/** The charts no package could be built for (see test/fixtures/chart-packages/README.md, "Not built"). */
export const UNAVAILABLE_CHARTS = ['mimir-distributed'];

/** The render stage's results on a generated repository folder. */
export async function renderResults(root: string): Promise<CheckResult[]> {
  return renderStage(readRepo(root), renderOptions());
}

/**
 * The problems of a render run, one string each: failures, and sources not
 * rendered for any reason but a chart that has no package (UNAVAILABLE_CHARTS).
 */
export function renderProblems(results: readonly CheckResult[]): string[] {
  const out: string[] = [];
  for (const r of results) {
    if (r.status === 'pass') continue;
    if (r.status === 'not-run') {
      const unexpected = r.problems.filter((p) => !UNAVAILABLE_CHARTS.some((c) => p.includes(`chart ${c} `)));
      if (r.problems.length === 0) out.push(`${r.name}: ${r.summary}`);
      out.push(...unexpected.map((p) => `${r.name} (not checked): ${p}`));
      continue;
    }
    out.push(...r.problems.map((p) => `${r.name}: ${p}`), ...(r.problems.length === 0 ? [`${r.name}: ${r.summary}`] : []));
  }
  return out;
}
