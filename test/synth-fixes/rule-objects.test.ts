import { spawnSync } from 'child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as YAML from 'yaml';
import { MetricsFlavor, ObservabilityGitOpsProjectOptions, ServiceOptions, SloKind } from '../../src';
import { SHARD_BUDGET_BYTES, shardRuleGroup } from '../../src/model/alerts/shard';
import { CONFIGMAP_DATA_MAX_BYTES } from '../../src/model/parts/metrics/standalone-configmap';
import { objectsOf, renderApplication } from '../support/render-app';
import { newProject, synthToDisk } from '../util';

/*
 * Rule objects stay under the API limits at any number of services: the
 * per-service groups are split over several PrometheusRule objects, each well
 * under 256 KiB (client-side apply's last-applied annotation; the operator
 * takes 512 KiB), every rule kept exactly once; the Applications that carry
 * rules sync server-side. The standalone flavor, whose rules all go into one
 * ConfigMap, refuses what would not fit its 1 MiB.
 */

const KIB = 1024;

/** n services in 10 namespaces, each with an availability and a latency SLO (the benchmark's services). */
function services(n: number): ServiceOptions[] {
  return Array.from({ length: n }, (_, i) => ({
    name: `svc-${i}`,
    namespace: `team-${i % 10}`,
    port: 'http-metrics',
    slos: [{ kind: SloKind.AVAILABILITY, objective: 99.9 }, { kind: SloKind.LATENCY, objective: 99, latencyThresholdSeconds: 0.5 }],
  }));
}

function synth(options: Partial<ObservabilityGitOpsProjectOptions>): string {
  return synthToDisk(newProject(options));
}

const RULES_DIR = 'manifests/in-cluster/alert-rules';

/** The PrometheusRule files of a synthesized repository: file name -> text. */
function ruleObjects(dir: string): Map<string, string> {
  const files = readdirSync(join(dir, RULES_DIR)).filter((f) => f.startsWith('prometheusrule-')).sort();
  return new Map(files.map((f) => [f, readFileSync(join(dir, RULES_DIR, f), 'utf-8')]));
}

/** Every rule of some rule-file-shaped objects, as JSON text (a multiset, sorted). */
function rulesOf(groups: Array<{ rules: unknown[] }>): string[] {
  return groups.flatMap((g) => g.rules.map((r) => JSON.stringify(r))).sort();
}

function promtool(args: string[]): { status: number | null; output: string } {
  const r = spawnSync('promtool', args, { encoding: 'utf-8' });
  if (r.error) throw new Error(`promtool is not installed (Debian package "prometheus"): ${r.error.message}`);
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe('500 services with two SLOs each (kube-prometheus-stack)', () => {
  const dir = synth({ services: services(500) });
  const objects = ruleObjects(dir);
  const parsed = [...objects.values()].map((text) => YAML.parse(text));

  test('every PrometheusRule is under 256 KiB as YAML and as JSON', () => {
    expect(objects.size).toBeGreaterThan(8);
    for (const [file, text] of objects) {
      const json = JSON.stringify(YAML.parse(text));
      expect({ file, yaml: Buffer.byteLength(text) < 256 * KIB, json: Buffer.byteLength(json) < 256 * KIB })
        .toEqual({ file, yaml: true, json: true });
    }
  });

  test('every rule is in exactly one object: the same rules as the rule groups in tests/rules', () => {
    // (the *.shapes.rules.yaml files repeat one service per rule shape for the promtool tests)
    const model = readdirSync(join(dir, 'tests/rules')).filter((f) => f.endsWith('.rules.yaml') && !f.endsWith('.shapes.rules.yaml'))
      .flatMap((f) => YAML.parse(readFileSync(join(dir, 'tests/rules', f), 'utf-8')).groups);
    const inObjects = parsed.flatMap((o) => o.spec.groups);
    const before = rulesOf(model);
    const after = rulesOf(inObjects);
    expect(after.length).toBe(before.length);
    expect(after).toEqual(before);
    // 500 services: 500 ServiceHighErrorRate alerts, one per service, and 1000 SLOs' burn alerts.
    expect(after.filter((r) => r.startsWith('{"alert":"ServiceHighErrorRate"')).length).toBe(500);
  });

  test('shards are named <group>, <group>-2, ... and hold one group each, named like the object', () => {
    const names = parsed.map((o) => o.metadata.name);
    expect(names).toContain('alert-rules-golden-signals');
    expect(names).toContain('alert-rules-golden-signals-2');
    expect(names).toContain('alert-rules-service-slos-2');
    for (const o of parsed) {
      expect(o.spec.groups).toHaveLength(1);
      expect(`alert-rules-${o.spec.groups[0].name}`).toBe(o.metadata.name);
      expect(objects.has(`prometheusrule-${o.metadata.name}.yaml`)).toBe(true);
    }
  });

  test('a service\'s rules stay in one shard', () => {
    // svc -> the groups (golden-signals, service-slos) and objects its rules are in
    const shardsOf = new Map<string, Set<string>>();
    for (const o of parsed) {
      for (const rule of o.spec.groups[0].rules) {
        const svc = /service="(svc-\d+)"/.exec(rule.expr)?.[1];
        if (!svc) continue;
        const set = shardsOf.get(svc) ?? new Set<string>();
        set.add(`${o.spec.groups[0].name.replace(/-\d+$/, '')} ${o.metadata.name}`);
        shardsOf.set(svc, set);
      }
    }
    expect(shardsOf.size).toBe(500);
    for (const [, shards] of shardsOf) {
      const byGroup = new Map<string, number>();
      for (const s of shards) byGroup.set(s.split(' ')[0], (byGroup.get(s.split(' ')[0]) ?? 0) + 1);
      expect([...byGroup.values()].every((n) => n === 1)).toBe(true);
    }
  });

  test('promtool check rules passes on tests/rules and on every PrometheusRule\'s groups', () => {
    const tests = readdirSync(join(dir, 'tests/rules')).filter((f) => f.endsWith('.rules.yaml')).map((f) => join(dir, 'tests/rules', f));
    const check = promtool(['check', 'rules', ...tests]);
    expect(check.output).not.toMatch(/FAILED/);
    expect(check.status).toBe(0);
    const tmp = mkdtempSync(join(tmpdir(), 'obs-shards-'));
    const files = parsed.map((o) => {
      const f = join(tmp, `${o.metadata.name}.yaml`);
      writeFileSync(f, YAML.stringify({ groups: o.spec.groups }));
      return f;
    });
    const shards = promtool(['check', 'rules', ...files]);
    expect(shards.output).not.toMatch(/FAILED/);
    expect(shards.status).toBe(0);
  });

  test('the alert-rules Application syncs server-side', () => {
    const app = YAML.parse(readFileSync(join(dir, 'argocd/apps/in-cluster/alert-rules.yaml'), 'utf-8'));
    expect(app.spec.syncPolicy.syncOptions).toContain('ServerSideApply=true');
  });
});

test('a small stack keeps one object per group, under the group\'s own name', () => {
  const objects = ruleObjects(synth({ services: services(3) }));
  expect([...objects.keys()].filter((f) => /golden-signals|service-slos/.test(f))).toEqual([
    'prometheusrule-alert-rules-golden-signals.yaml',
    'prometheusrule-alert-rules-service-slos.yaml',
  ]);
});

test('sharding is deterministic and stable: a service added at the end changes only the last shard', () => {
  const group = (n: number) => ({
    name: 'g',
    rules: Array.from({ length: n }, (_, i) => ({ record: `r:${i}`, expr: `sum(rate(x{service="s${Math.floor(i / 4)}", pad="${'p'.repeat(200)}"}[5m]))` })),
    tests: [],
    blocks: Array.from({ length: n / 4 }, () => 4),
  });
  const a = shardRuleGroup(group(4000));
  const b = shardRuleGroup(group(4004));
  expect(a.length).toBeGreaterThan(2);
  expect(b.slice(0, a.length - 1)).toEqual(a.slice(0, a.length - 1));
  expect(shardRuleGroup(group(4000))).toEqual(a);
  for (const shard of a) {
    expect(Buffer.byteLength(JSON.stringify(shard.rules))).toBeLessThanOrEqual(SHARD_BUDGET_BYTES);
    expect(shard.rules.length % 4).toBe(0); // never inside a block
  }
  expect(a.map((s) => s.name).slice(0, 3)).toEqual(['g', 'g-2', 'g-3']);

  // A block larger than the budget gets a shard of its own; without blocks every rule is one.
  const big = { record: 'big', expr: `up{pad="${'p'.repeat(SHARD_BUDGET_BYTES)}"}` };
  const small = { record: 'small', expr: 'up' };
  expect(shardRuleGroup({ name: 'c', rules: [small, big, small], tests: [] }).map((s) => s.rules.map((r) => r.record)))
    .toEqual([['small'], ['big'], ['small']]);
});

describe('standalone flavor: every rule in the server ConfigMap', () => {
  const standalone = { metrics: { flavor: MetricsFlavor.STANDALONE } };

  test('too many rules for one ConfigMap are refused at synth, with the way out', () => {
    expect(() => newProject({ ...standalone, services: services(500) })).toThrow(
      /^Invalid option "metrics\.flavor": "standalone" cannot hold the rules and scrape jobs of 500 services with 1000 SLOs: .*over the 960 KiB that fit .*Use MetricsFlavor\.KUBE_PROMETHEUS_STACK/);
  });

  test('what synth accepts renders with the real Helm into a ConfigMap under 1 MiB, synced server-side', () => {
    // The largest count synth accepts (the next one is refused), by bisection: ~18 KiB of rules
    // and scrape jobs per service with two SLOs, so about 50 services.
    const accepted = (n: number) => {
      try {
        newProject({ ...standalone, services: services(n) });
        return true;
      } catch (e) {
        expect((e as Error).message).toMatch(/^Invalid option "metrics\.flavor"/);
        return false;
      }
    };
    let [n, refused] = [10, 500];
    expect(accepted(n)).toBe(true);
    while (refused - n > 1) {
      const mid = Math.floor((n + refused) / 2);
      if (accepted(mid)) n = mid; else refused = mid;
    }
    expect(n).toBeGreaterThanOrEqual(40);
    const dir = synth({ ...standalone, services: services(n) });
    const { objects, application } = renderApplication(dir, 'argocd/apps/in-cluster/prometheus.yaml');
    expect(application.spec.syncPolicy.syncOptions).toContain('ServerSideApply=true');
    const [cm] = objectsOf(objects, 'ConfigMap', 'prometheus-server');
    const data = Object.entries(cm.data as Record<string, string>).reduce((sum, [k, v]) => sum + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
    expect(data).toBeLessThan(CONFIGMAP_DATA_MAX_BYTES);
    // Close to the limit: the guard (which overestimates Helm's YAML by ~12%) refuses only what would come near it.
    expect(data).toBeGreaterThan(0.75 * CONFIGMAP_DATA_MAX_BYTES);
  });
});
