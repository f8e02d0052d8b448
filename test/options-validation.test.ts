import { existsSync, mkdtempSync, readdirSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ObservabilityGitOpsProject } from '../src';
import { BASE } from './util';

/** Each case: options, then what the error must say (the option, the value, what is valid). */
const CASES: Array<[string, Record<string, unknown>, RegExp[]]> = [
  ['empty repo URL', { gitRepoUrl: '' }, [/"gitRepoUrl"/, /must not be empty/]],
  ['repo URL that is not a URL', { gitRepoUrl: 'not a url' }, [/"gitRepoUrl"/, /"not a url"/, /https:\/\/host\/org\/repo\.git/]],
  ['repo URL with a file scheme', { gitRepoUrl: 'file:///tmp/repo' }, [/"gitRepoUrl"/, /not a Git repository URL/]],
  ['revision with a space', { gitRevision: 'my branch' }, [/"gitRevision"/, /"my branch"/, /no spaces/]],
  ['revision with ..', { gitRevision: 'a..b' }, [/"gitRevision"/]],
  ['namespace not DNS-1123', { metrics: { namespace: 'Monitoring' } }, [/"metrics\.namespace"/, /"Monitoring"/, /DNS-1123 label/]],
  ['namespace too long', { metrics: { namespace: 'a'.repeat(64) } }, [/"metrics\.namespace"/, /at most 63/]],
  ['Argo CD namespace with underscore', { argocdNamespace: 'argo_cd' }, [/"argocdNamespace"/, /DNS-1123/]],
  ['project name with capitals', { appProjectName: 'Observability' }, [/"appProjectName"/, /DNS-1123 subdomain/]],
  ['cluster name not DNS-1123', { clusters: [{ name: 'Prod EU' }] }, [/"clusters\[0\]\.name"/, /"Prod EU"/, /DNS-1123/]],
  ['cluster without a name', { clusters: [{ server: 'https://k8s.example.com' }] }, [/"clusters\[0\]\.name"/, /required/]],
  ['duplicate cluster names', { clusters: [{ name: 'prod' }, { name: 'prod' }] }, [/"clusters\[1\]\.name"/, /duplicate/]],
  ['empty cluster list', { clusters: [] }, [/"clusters"/, /empty/]],
  ['cluster server not http(s)', { clusters: [{ name: 'prod', server: 'ftp://k8s' }] }, [/"clusters\[0\]\.server"/, /http\(s\) URL/]],
  ['struct option as a raw string (projen new CLI)', { metrics: '{"enabled":false}' }, [/"metrics"/, /raw string/, /\.projenrc\.ts/]],
  ['struct list as a raw string (projen new CLI)', { clusters: '[{"name":"a"}]' }, [/"clusters"/, /raw string/]],
  ['unknown field in a struct', { metrics: { namespaec: 'x' } }, [/"metrics\.namespaec"/, /did you mean "namespace"/]],
  ['boolean that is not', { metrics: { enabled: 'yes' } }, [/"metrics\.enabled"/, /boolean/]],
  ['retention with a space', { metrics: { retention: '7 days' } }, [/"metrics\.retention"/, /"7 days"/, /15d/]],
  ['unknown part in valuesOverrides', { valuesOverrides: { 'kube-prometheus-stak': {} } }, [/"valuesOverrides\.kube-prometheus-stak"/, /did you mean "kube-prometheus-stack"/, /known parts/]],
  ['override for a part that is off', { metrics: { enabled: false }, valuesOverrides: { 'kube-prometheus-stack': {} } }, [/"valuesOverrides\.kube-prometheus-stack"/, /part that is off/]],
  ['unknown values key in an override', { valuesOverrides: { 'kube-prometheus-stack': { prometheus: { prometheusSpec: { retentionn: '1d' } } } } },
    [/"valuesOverrides\.kube-prometheus-stack"/, /prometheus\.prometheusSpec\.retentionn/, /did you mean "retention"/]],
  ['Secret name not DNS-1123', { grafana: { adminSecretName: 'Grafana Admin' } }, [/"grafana\.adminSecretName"/, /DNS-1123 subdomain/]],
  ['Secret key with a slash', { grafana: { adminPasswordKey: 'a/b' } }, [/"grafana\.adminPasswordKey"/, /Secret key/]],
];

describe('every invalid option fails in the constructor with a clear error, before anything is written', () => {
  test.each(CASES)('%s', (_name, options, expected) => {
    const outdir = mkdtempSync(join(tmpdir(), 'obs-gitops-invalid-'));
    let error: Error | undefined;
    try {
      new ObservabilityGitOpsProject({ ...BASE, outdir, ...(options as any) });
    } catch (e) {
      error = e as Error;
    }
    expect(error).toBeDefined();
    expect(error!.message).toMatch(/^Invalid option "/);
    for (const re of expected) expect(error!.message).toMatch(re);
    expect(existsSync(outdir) ? readdirSync(outdir) : []).toEqual([]);
  });
});
