import { mkdirSync, mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ObservabilityGitOpsProject } from '../src';
import { BASE, synthToDisk } from './util';
import { checkSecrets } from '../src/validate/checks';
import { listFiles, readRepo } from '../src/validate/repo';

/*
 * `obs-gitops validate`'s secrets check (issue 14): a token or password inside a URL, or key
 * material, in any file of the repository fails the check, with the file and line and the
 * credential masked. The generated files themselves pass.
 */

const TOKEN = `ghp_${'Zk4pQ9wX2mB7vN3cR8tY1uJ6hG5fD0sA'}${'e1r2'}`;
const PASSWORD = 'n0t-a-real-Passw0rd';

function generated(options: Record<string, unknown> = {}): string {
  const outdir = mkdtempSync(join(tmpdir(), 'obs-gitops-validate-creds-'));
  synthToDisk(new ObservabilityGitOpsProject({ ...BASE, outdir, gitRepoUrl: 'https://github.com/acme/obs.git', ...options } as any));
  return outdir;
}

test('a generated repository passes (no false positive in any generated file)', () => {
  const dir = generated({
    clusters: [{ name: 'eu-1', server: 'https://eu-1.example.com' }, { name: 'us-1', server: 'https://us-1.example.com' }],
    alerting: { receivers: [{ name: 'chat', type: 'slack', secretName: 'hooks', secretKey: 'url', channel: '#alerts' }] },
  });
  const r = checkSecrets(readRepo(dir));
  expect(r.problems).toEqual([]);
  expect(r.status).toBe('pass');
});

test.each([
  ['a token in a URL in a Markdown file', 'docs/deploy.md', `Clone with https://x-access-token:${TOKEN}@github.com/acme/obs.git\n`, TOKEN, /password or token inside a URL|GitHub token/],
  ['a password in a URL in a user values file', 'values/overrides/kube-prometheus-stack.yaml',
    `prometheus:\n  prometheusSpec:\n    remoteWrite:\n      - url: https://tenant:${PASSWORD}@mimir.example.com/api/v1/push\n`, PASSWORD, /inside a URL/],
  ['a password in a URL in a shell script', 'scripts/extra.sh', `#!/bin/sh\ncurl https://admin:${PASSWORD}@grafana.example.com/api/health\n`, PASSWORD, /inside a URL/],
  ['a private key in a text file', 'notes/key.txt', '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk\n-----END OPENSSH PRIVATE KEY-----\n', 'b3BlbnNzaC1rZXk', /private key/],
  ['a user-name token in a URL in JSON', 'dashboards/custom/x.json', `{"links":[{"url":"https://${TOKEN}@github.com/acme"}]}\n`, TOKEN, /token/],
])('%s fails the check, masked, with file and line', (_name, file, content, secret, kind) => {
  const dir = generated();
  mkdirSync(join(dir, file, '..'), { recursive: true });
  writeFileSync(join(dir, file), content);
  const r = checkSecrets(readRepo(dir));
  expect(r.status).toBe('fail');
  const problem = r.problems.find((p) => p.startsWith(`${file}:`));
  expect(problem).toBeDefined();
  expect(problem).toMatch(/^[^:]+:\d+: /);
  expect(problem).toMatch(kind);
  expect(problem).toMatch(/redacted/);
  for (const p of r.problems) expect(p).not.toContain(secret);
});

test('validate reads folders named coverage, dist or lib below the root (cluster names)', () => {
  const dir = generated({ clusters: [{ name: 'coverage', server: 'https://a.example.com' }, { name: 'lib', server: 'https://b.example.com' }] });
  const files = listFiles(dir);
  expect(files.some((f) => f.startsWith('argocd/apps/coverage/'))).toBe(true);
  expect(files.some((f) => f.startsWith('argocd/apps/lib/'))).toBe(true);
  mkdirSync(join(dir, 'coverage'), { recursive: true });
  writeFileSync(join(dir, 'coverage', 'lcov.info'), 'x');
  expect(listFiles(dir)).not.toContain('coverage/lcov.info');
});
