/**
 * What `obs-gitops validate --require-tools` needs when the e2e tests run the
 * generated workflows' steps on this machine (the runner installs them with
 * azure/setup-helm and apt): the real Helm on PATH, and the chart packages in
 * the chart cache the render stage reads, since CI has no chart repositories.
 */
import { execFileSync } from 'child_process';
import { mkdirSync, mkdtempSync, readdirSync, symlinkSync } from 'fs';
import { tmpdir } from 'os';
import { delimiter, dirname, join } from 'path';
import { helmBinary } from '../../scripts/lib/helm-binary.cjs';

const FIXTURE_CHARTS = join(__dirname, '..', 'fixtures', 'chart-packages');

/** Environment for a workflow step: Helm first on PATH, XDG_CACHE_HOME with every vendored chart package. */
export function validateToolsEnv(): { PATH: string; XDG_CACHE_HOME: string; chartCache: string } {
  const cacheHome = mkdtempSync(join(tmpdir(), 'obs-gitops-xdg-cache-'));
  const chartCache = join(cacheHome, 'obs-gitops', 'charts');
  mkdirSync(chartCache, { recursive: true });
  for (const pkg of readdirSync(FIXTURE_CHARTS).filter((f) => f.endsWith('.tgz'))) symlinkSync(join(FIXTURE_CHARTS, pkg), join(chartCache, pkg));
  return { PATH: `${dirname(helmBinary())}${delimiter}${process.env.PATH ?? ''}`, XDG_CACHE_HOME: cacheHome, chartCache };
}

/**
 * A chart package at another version with the same content (what a patch
 * release that changes nothing a test looks at is), built with the real
 * `helm package` from a vendored package, into dir.
 */
export function repackageChart(chart: string, from: string, to: string, dir: string): string {
  const work = mkdtempSync(join(tmpdir(), 'obs-gitops-repackage-'));
  execFileSync('tar', ['xzf', join(FIXTURE_CHARTS, `${chart}-${from}.tgz`), '-C', work]);
  execFileSync(helmBinary(), ['package', join(work, chart), '--version', to, '--destination', dir], { encoding: 'utf-8' });
  return join(dir, `${chart}-${to}.tgz`);
}
