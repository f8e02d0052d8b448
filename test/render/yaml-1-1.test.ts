import * as YAML from 'yaml';
import { synthRaw } from '../util';

/*
 * YAML 1.1 readers (issue 14): Helm, Argo CD and Prometheus read YAML with go-yaml, which
 * follows YAML 1.1 for plain scalars: `yes`, `no`, `on`, `off`, `y`, `n` are booleans, `1_000`
 * and `1:20` numbers, `2024-01-31` a timestamp. Every generated YAML file must mean the same
 * to a YAML 1.1 reader as to a 1.2 reader, with option values that are such words.
 */

const AMBIGUOUS_OPTIONS = {
  clusters: [
    { name: 'y', region: 'no', labels: { managed: 'yes', tier: 'on', team: 'off', shard: 'n', batch: '1_000' } },
    { name: 'n', server: 'https://n.example.com', region: 'Off', labels: { managed: 'NO' } },
  ],
  logs: { namespace: 'no' },
  traces: { namespace: 'yes' },
  services: [{ name: 'on', namespace: 'off', port: 'y', selector: { 'app.kubernetes.io/name': 'on', 'enabled': 'yes' } }],
  alerting: {
    receivers: [{ name: 'y', type: 'slack', secretName: 'on', secretKey: 'no', channel: 'n' }],
    customRules: [{ alert: 'Backlog', expr: 'queue_depth > 100', summary: 'yes', description: 'off' }],
  },
  valuesOverrides: { 'kube-prometheus-stack': { prometheus: { prometheusSpec: { logLevel: 'off', externalLabels: { flag: 'ON', short: 'Y', old: '0777', window: '1:20', since: '2024-01-31', octal: '0o17' } } } } },
};

describe('generated YAML reads the same under YAML 1.1 (go-yaml: Helm, Argo CD, Prometheus) as under 1.2', () => {
  // GitHub Actions reads workflows as YAML 1.2 (its `on:` key is the string "on"); every other
  // YAML file is read by go-yaml (Helm values, Argo CD, Kubernetes manifests, promtool, amtool).
  const files = Object.entries(synthRaw(AMBIGUOUS_OPTIONS as any))
    .filter(([f, c]) => /\.ya?ml$/.test(f) && !f.startsWith('.github/workflows/') && typeof c === 'string') as Array<[string, string]>;

  test('the ambiguous words reach the files', () => {
    const all = files.map(([, c]) => c).join('\n');
    for (const word of ['"yes"', '"no"', '"on"', '"off"', '"y"', '"n"', '"1_000"', '"1:20"', '"2024-01-31"', '"ON"', '"Y"', '"NO"', '"Off"']) {
      expect(all).toContain(word);
    }
  });

  test('every file parses to the same data under YAML 1.1 as under YAML 1.2', () => {
    const differing: string[] = [];
    for (const [file, content] of files) {
      const v11 = YAML.parseAllDocuments(content, { version: '1.1' }).map((d) => d.toJS());
      const v12 = YAML.parseAllDocuments(content).map((d) => d.toJS());
      // Date objects (1.1 timestamps) stringify differently from the strings they were
      if (JSON.stringify(v11) !== JSON.stringify(v12)) differing.push(file);
    }
    expect(files.length).toBeGreaterThan(20);
    expect(differing).toEqual([]);
  });
});
