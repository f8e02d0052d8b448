import { ChartCatalog } from '../src';
import { newProject, synthFiles } from './util';

/** Warnings the project prints at `npx projen`. */
function warningsOf(options: Record<string, unknown>): string[] {
  return newProject(options as any).warnings;
}

describe('chart version overrides', () => {
  test('an override moves the targetRevision', () => {
    const files = synthFiles({ chartVersions: { 'kube-prometheus-stack': '88.6.0' } });
    expect(files['argocd/apps/in-cluster/kube-prometheus-stack.yaml'].spec.sources[0].targetRevision).toBe('88.6.0');
  });

  test('without overrides every targetRevision is the catalog pin', () => {
    const files = synthFiles();
    for (const [path, obj] of Object.entries(files)) {
      if (!path.startsWith('argocd/apps/in-cluster/')) continue;
      for (const source of (obj as any).spec.sources) {
        if (source.chart) expect(source.targetRevision).toBe(ChartCatalog.get(source.chart).version);
      }
    }
  });

  test('a downgrade warns', () => {
    const warnings = warningsOf({ chartVersions: { 'kube-prometheus-stack': '87.0.0' } });
    expect(warnings.join('\n')).toMatch(/chartVersions\.kube-prometheus-stack: 87\.0\.0 is older than the catalog's 88\.5\.3/);
  });

  test('a major jump warns', () => {
    const warnings = warningsOf({ chartVersions: { 'kube-prometheus-stack': '89.0.0' } });
    expect(warnings.join('\n')).toMatch(/89\.0\.0 is a new major version \(catalog: 88\.5\.3\)/);
  });

  test('an override without a key catalog says its keys are not checked', () => {
    const warnings = warningsOf({ chartVersions: { 'kube-prometheus-stack': '88.6.0' } });
    expect(warnings.join('\n')).toMatch(/values keys are not checked for kube-prometheus-stack 88\.6\.0 \(key catalogs exist for 88\.5\.3\)/);
  });

  test('the pinned version warns about nothing', () => {
    const warnings = warningsOf({ chartVersions: { 'kube-prometheus-stack': '88.5.3' } });
    expect(warnings.join('\n')).not.toMatch(/kube-prometheus-stack/);
  });
});

describe('chart catalog', () => {
  test('every pin is an exact semver version and every repository an https URL', () => {
    for (const chart of ChartCatalog.all()) {
      expect(chart.version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(chart.repoUrl).toMatch(/^https:\/\//);
      if (chart.deprecated) expect(chart.replacement).toBeTruthy();
    }
  });

  test('deprecated charts name their replacement', () => {
    expect(ChartCatalog.get('promtail')).toMatchObject({ deprecated: true });
    expect(ChartCatalog.get('promtail').replacement).toMatch(/alloy/);
    expect(ChartCatalog.get('loki-stack').deprecated).toBe(true);
    expect(ChartCatalog.get('elasticsearch').deprecated).toBe(true);
    expect(ChartCatalog.get('kibana').deprecated).toBe(true);
    expect(() => ChartCatalog.get('nope')).toThrow(/not in the chart catalog/);
  });
});

describe('deprecated charts work but warn, naming the replacement', () => {
  test.each([
    ['promtail', { logs: { collectors: ['promtail'] } }, /chart promtail is deprecated: it works, but consider alloy/],
    ['loki-stack', { logs: { backend: 'loki-stack' } }, /chart loki-stack is deprecated: it works, but consider loki/],
    ['elasticsearch and kibana', { logs: { backend: 'elasticsearch' } }, /chart elasticsearch is deprecated[\s\S]*chart kibana is deprecated/],
  ])('%s', (_name, options, expected) => {
    const project = newProject(options as any);
    expect(project.warnings.join('\n')).toMatch(expected);
  });

  test('the default stack uses no deprecated chart', () => {
    expect(newProject().warnings.join('\n')).not.toMatch(/deprecated/);
  });
});
