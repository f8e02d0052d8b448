import { readFileSync } from 'fs';
import { join } from 'path';
import { ObservabilityGitOpsProjectOptions } from '../../src';
import { normalizeServerUrl } from '../../src/options/destinations';
import { README_FLEET } from '../support/readme-examples';
import { fleetOf, synthFiles } from '../util';

/*
 * Two clusters with one Argo CD destination are one Kubernetes cluster, whose
 * objects both clusters' Applications would claim: refused at synth, naming
 * both clusters and the destination, with the fix.
 */

test('the README\'s fleet example is the one tested here, and it synthesizes', () => {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf-8');
  const clusters = [
    '  clusters: [',
    "    { name: 'dev-1', environment: 'dev', server: 'https://dev-1.example.com' },",
    "    { name: 'prod-hub', environment: 'prod', central: true },   // the cluster Argo CD runs in (server unset)",
    "    { name: 'prod-eu', environment: 'prod', server: 'https://eu.example.com', region: 'eu-west-1' },",
    '  ],',
  ].join('\n');
  expect(readme).toContain(clusters);
  expect(readme).toContain('argocd: { fleetMode: FleetMode.APPLICATION_SETS },');

  const files = synthFiles(README_FLEET);
  // Every ApplicationSet's generator lists distinct servers.
  const servers = new Map<string, Set<string>>();
  for (const [file, doc] of Object.entries(files)) {
    if (!file.includes('/applicationsets/') || doc?.kind !== 'ApplicationSet') continue;
    for (const el of doc.spec.generators[0].list.elements) {
      const set = servers.get(el.cluster) ?? new Set<string>();
      set.add(el.server);
      servers.set(el.cluster, set);
    }
  }
  expect(Object.fromEntries([...servers].map(([c, s]) => [c, [...s]]))).toEqual({
    'dev-1': ['https://dev-1.example.com'],
    'prod-hub': ['https://kubernetes.default.svc'],
    'prod-eu': ['https://eu.example.com'],
  });
});

test('server URLs are compared normalized', () => {
  expect(normalizeServerUrl('https://K8s.Example.com:443/')).toBe('https://k8s.example.com');
  expect(normalizeServerUrl('https://k8s.example.com')).toBe('https://k8s.example.com');
  expect(normalizeServerUrl('http://k8s.example.com:80')).toBe('http://k8s.example.com');
  expect(normalizeServerUrl('https://k8s.example.com:6443/')).toBe('https://k8s.example.com:6443');
  expect(normalizeServerUrl('https://rancher.example.com/k8s/clusters/c-1//')).toBe('https://rancher.example.com/k8s/clusters/c-1');
});

describe('two clusters with one destination are refused', () => {
  const ENVS = { environments: [{ name: 'dev' }, { name: 'prod' }] };
  const cases: Array<[string, Partial<ObservabilityGitOpsProjectOptions>, RegExp[]]> = [
    ['both leave server unset (the README example before the fix)', {
      ...ENVS,
      clusters: [{ name: 'dev-1', environment: 'dev' }, { name: 'prod-hub', environment: 'prod' }],
    }, [
      /^Invalid option "clusters\[1\]\.server": undefined gives cluster "prod-hub" the destination of cluster "dev-1" \(clusters\[0\]\)/,
      /"dev-1" has server https:\/\/kubernetes\.default\.svc \(the default when server and destinationName are unset/,
      /set clusters\[1\]\.server to its API server URL \(for example "https:\/\/prod-hub\.example\.com"\) or clusters\[1\]\.destinationName/,
    ]],
    ['a trailing slash', {
      clusters: [{ name: 'a', server: 'https://k8s.example.com' }, { name: 'b', server: 'https://k8s.example.com/' }],
    }, [/"clusters\[1\]\.server": "https:\/\/k8s\.example\.com\/" gives cluster "b" the destination of cluster "a"/, /"a" has server "https:\/\/k8s\.example\.com"/]],
    ['host case and the default https port', {
      clusters: [{ name: 'a', server: 'https://K8S.example.com:443' }, { name: 'b', server: 'https://k8s.example.com' }],
    }, [/"clusters\[1\]\.server"/, /cluster "a"/]],
    ['the in-cluster server written out and left unset', {
      clusters: [{ name: 'a' }, { name: 'b', server: 'https://kubernetes.default.svc/' }],
    }, [/"clusters\[1\]\.server"/, /cluster "a"/, /"a" has server https:\/\/kubernetes\.default\.svc \(the default/]],
    ['a shared destinationName', {
      ...ENVS,
      clusters: [{ name: 'a', environment: 'dev', destinationName: 'shared' }, { name: 'b', environment: 'prod', destinationName: 'shared' }],
    }, [/^Invalid option "clusters\[1\]\.destinationName": "shared" gives cluster "b" the destination of cluster "a"/, /destinationName "shared"/]],
    ['Argo CD\'s name of the cluster it runs in, and an unset server', {
      clusters: [{ name: 'a' }, { name: 'b', destinationName: 'in-cluster' }],
    }, [/"clusters\[1\]\.destinationName": "in-cluster"/, /Argo CD's name of https:\/\/kubernetes\.default\.svc/]],
  ];
  test.each(cases)('%s', (_, options, messages) => {
    let error: Error | undefined;
    try {
      fleetOf(options);
    } catch (e) {
      error = e as Error;
    }
    expect(error?.name).toBe('InvalidOptionError');
    for (const m of messages) expect(error!.message).toMatch(m);
  });
});

test('distinct destinations are accepted: other port, other scheme, other path, names and servers', () => {
  expect(() => fleetOf({
    clusters: [
      { name: 'a' },
      { name: 'b', server: 'https://kubernetes.default.svc:6443' },
      { name: 'c', server: 'http://kubernetes.default.svc' },
      { name: 'd', server: 'https://rancher.example.com/k8s/clusters/c-1' },
      { name: 'e', server: 'https://rancher.example.com/k8s/clusters/c-2' },
      { name: 'f', destinationName: 'f' },
      { name: 'g', destinationName: 'g' },
    ],
  })).not.toThrow();
});
