import { execFileSync, spawnSync } from 'child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as YAML from 'yaml';
import { ChartCatalog, ObservabilityGitOpsProjectOptions } from '../../src';
import { buildStackModel } from '../../src/model/build';
import { APPLICATION_HEALTH_KEY, APPLICATION_HEALTH_LUA, ARGO_CD_WAVE } from '../../src/model/parts/argo-cd';
import { StackModel, SyncWave } from '../../src/model/stack';
import { resolveOptions } from '../../src/options/resolve';
import { ARGO_CD_VERSION, BOOTSTRAP_SCRIPT_PATH, bootstrapScript } from '../../src/render/bootstrap-script';
import { BASE, fleetOf, newProject, synthFiles, synthToDisk } from '../util';

const SELF = { argocd: { selfManaged: true } };
const APP = 'argocd/apps/in-cluster/argo-cd.yaml';
const REPO = 'https://github.com/acme/observability.git';
const wave = (app: any) => Number(app.metadata.annotations['argocd.argoproj.io/sync-wave']);

/** The stack model for some options, as the project builds it. */
function model(options: Partial<ObservabilityGitOpsProjectOptions> = {}): StackModel {
  return buildStackModel(resolveOptions({ ...BASE, gitRepoUrl: REPO, ...options } as ObservabilityGitOpsProjectOptions));
}

/** The official Lua from the Argo CD docs (operator-manual/health.md, "Argocd App"). */
const OFFICIAL_HEALTH_LUA = `hs = {}
hs.status = "Progressing"
hs.message = ""
if obj.status ~= nil then
  if obj.status.health ~= nil then
    hs.status = obj.status.health.status
    if obj.status.health.message ~= nil then
      hs.message = obj.status.health.message
    end
  end
end
return hs
`;

/** Paths of keys that look like credentials and carry a literal (non-empty) value. */
function literalSecrets(value: unknown, at = ''): string[] {
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => {
    const path = at ? `${at}.${k}` : k;
    const secretLike = /pass(word)?|secret|token|credential|apikey|private/i.test(k);
    const literal = (typeof v === 'string' && v !== '') || typeof v === 'number';
    return [...(secretLike && literal ? [path] : []), ...literalSecrets(v, path)];
  });
}

/** `bash -n` on a script: a real syntax check. */
function bashSyntaxErrors(script: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'bootstrap-syntax-')), 'bootstrap.sh');
  writeFileSync(file, script);
  const result = spawnSync('bash', ['-n', file], { encoding: 'utf8' });
  return result.status === 0 ? '' : `${result.stderr}`;
}

describe('argo-cd part: off by default', () => {
  test('no argo-cd Application or values file without argocd.selfManaged', () => {
    const files = synthFiles();
    expect(files[APP]).toBeUndefined();
    expect(files['values/argo-cd.yaml']).toBeUndefined();
    expect(model().parts.map((p) => p.name)).not.toContain('argo-cd');
    expect(model({ argocd: { selfManaged: false } }).parts.map((p) => p.name)).not.toContain('argo-cd');
  });
});

describe('argo-cd part: argocd.selfManaged', () => {
  const files = synthFiles(SELF);
  const app = files[APP];
  const values = files['values/argo-cd.yaml'];

  test('an Application in the Argo CD namespace, chart argo-cd at the catalog pin, values from Git', () => {
    const pin = ChartCatalog.get('argo-cd');
    expect(app.kind).toBe('Application');
    expect(app.metadata).toMatchObject({ name: 'in-cluster-argo-cd', namespace: 'argocd' });
    expect(app.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'argocd' });
    expect(app.spec.sources[0]).toEqual({
      repoURL: 'https://argoproj.github.io/argo-helm',
      chart: 'argo-cd',
      targetRevision: pin.version,
      helm: {
        releaseName: 'argo-cd',
        valueFiles: ['$values/values/argo-cd.yaml', '$values/values/overrides/argo-cd.yaml'],
        ignoreMissingValueFiles: true,
      },
    });
    expect(pin).toMatchObject({ repoUrl: 'https://argoproj.github.io/argo-helm', version: '10.1.1' });
    expect(app.spec.syncPolicy.syncOptions).toContain('ServerSideApply=true');
  });

  test('synced before every other part, right after the AppProject', () => {
    expect(ARGO_CD_WAVE).toBe(-9);
    expect(wave(app)).toBe(ARGO_CD_WAVE);
    expect(ARGO_CD_WAVE).toBeGreaterThan(SyncWave.PROJECT);
    expect(ARGO_CD_WAVE).toBeLessThan(SyncWave.CRDS);
    const others = Object.keys(files).filter((f) => f.startsWith('argocd/apps/in-cluster/') && f !== APP);
    expect(others.length).toBeGreaterThan(0);
    for (const f of others) expect(wave(files[f])).toBeGreaterThan(wave(app));
    expect(model(SELF).parts[0].name).toBe('argo-cd');
  });

  test('deleting or pruning the Application never takes Argo CD down: no resources finalizer', () => {
    expect(app.metadata.finalizers).toBeUndefined();
    // Other parts keep the cascade.
    expect(files['argocd/apps/in-cluster/kube-prometheus-stack.yaml'].metadata.finalizers)
      .toEqual(['resources-finalizer.argocd.argoproj.io']);
  });

  test('values: the official Application health check in argocd-cm', () => {
    expect(values.configs.cm[APPLICATION_HEALTH_KEY]).toBe(OFFICIAL_HEALTH_LUA);
    expect(APPLICATION_HEALTH_KEY).toBe('resource.customizations.health.argoproj.io_Application');
    expect(APPLICATION_HEALTH_LUA).toBe(OFFICIAL_HEALTH_LUA);
  });

  test('values: CRDs installed, kept by Helm, never pruned or cascade-deleted by Argo CD', () => {
    expect(values.crds).toEqual({
      install: true,
      keep: true,
      annotations: { 'argocd.argoproj.io/sync-options': 'ServerSideApply=true,Prune=false,Delete=false' },
    });
  });

  test('values: upstream resource names, Dex off, no configs.secret', () => {
    expect(values.fullnameOverride).toBe('argocd');
    expect(values.dex).toEqual({ enabled: false });
    expect(values.configs.secret).toBeUndefined();
    expect(values.configs.params).toBeUndefined();
  });

  test('values: the application controller\'s metrics (argocd_app_info) with a ServiceMonitor', () => {
    expect(values.controller).toEqual({ metrics: { enabled: true, serviceMonitor: { enabled: true } } });
  });

  test('values: no credential-like key with a literal value', () => {
    expect(literalSecrets(values)).toEqual([]);
    expect(literalSecrets({ configs: { secret: { argocdServerAdminPassword: 'x' } } }))
      .toEqual(['configs.secret.argocdServerAdminPassword']);
  });

  test('the Argo CD AppProject (its own: the stack\'s never allows the argocd namespace) allows the argo-helm repository and the chart\'s cluster-scoped kinds', () => {
    expect(files['argocd/apps/project.yaml'].spec.sourceRepos).not.toContain('https://argoproj.github.io/argo-helm');
    expect(files['argocd/apps/project.yaml'].spec.destinations.map((d: any) => d.namespace)).not.toContain('argocd');
    const project = files['argocd/argocd-project.yaml'];
    expect(project.metadata.name).toBe(`${files['argocd/apps/project.yaml'].metadata.name}-argocd`);
    expect(project.spec.destinations).toEqual([{ server: 'https://kubernetes.default.svc', namespace: 'argocd' }]);
    expect(project.spec.sourceRepos).toContain('https://argoproj.github.io/argo-helm');
    expect(project.spec.clusterResourceWhitelist).toEqual(expect.arrayContaining([
      { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' },
      { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
      { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
    ]));
  });

  test('follows argocdNamespace', () => {
    const other = synthFiles({ ...SELF, argocdNamespace: 'gitops' });
    expect(other[APP].metadata.namespace).toBe('gitops');
    expect(other[APP].spec.destination.namespace).toBe('gitops');
  });

  test('refuses a fleet: the Application would install Argo CD into every cluster', () => {
    expect(() => model({ ...SELF, clusters: [{ name: 'a' }, { name: 'b', server: 'https://b.example.com' }] }))
      .toThrow(/argocd\.selfManaged.*single cluster/);
    expect(() => model({ ...SELF, clusters: [{ name: 'remote', server: 'https://remote.example.com' }] }))
      .toThrow(/argocd\.selfManaged/);
    expect(() => model({ clusters: [{ name: 'a' }, { name: 'b', server: 'https://b.example.com' }] })).not.toThrow();
  });
});

describe('scripts/bootstrap.sh: self-managed', () => {
  const script = bootstrapScript(fleetOf({ gitRepoUrl: REPO, ...SELF }));

  test('strict bash, kubectl and helm required', () => {
    expect(script.startsWith('#!/usr/bin/env bash\n')).toBe(true);
    expect(script).toContain('\nset -euo pipefail\n');
    expect(script).toContain('require kubectl ');
    expect(script).toContain('require helm ');
    expect(bashSyntaxErrors(script)).toBe('');
  });

  test('Helm install of the pinned chart with the generated values, then project and root', () => {
    expect(script).toContain("readonly CHART='argo-cd'");
    expect(script).toContain("readonly CHART_REPO='https://argoproj.github.io/argo-helm'");
    expect(script).toContain(`readonly CHART_VERSION='${ChartCatalog.get('argo-cd').version}'`);
    expect(script).toContain("readonly RELEASE='argo-cd'");
    expect(script).toContain("readonly NAMESPACE='argocd'");
    expect(script).toContain("values=(--values 'values/argo-cd.yaml')");
    expect(script).toContain("if [[ -f 'values/overrides/argo-cd.yaml' ]]; then");
    expect(script).toContain('helm upgrade --install "$RELEASE" "$CHART"');
    expect(script).toContain("readonly PROJECT_FILES=('argocd/root-project.yaml' 'argocd/apps/project.yaml' 'argocd/argocd-project.yaml')");
    expect(script).toContain("readonly ROOT_FILES=('argocd/root.yaml')");
    expect(script.indexOf('for file in "${PROJECT_FILES[@]}"'))
      .toBeLessThan(script.indexOf('for file in "${ROOT_FILES[@]}"'));
    expect(script).toContain('for workload in deployment/argocd-server deployment/argocd-repo-server statefulset/argocd-application-controller; do');
    expect(script).not.toContain('install.yaml');
  });

  test('waits for the names the chart renders, following fullnameOverride', () => {
    const unset = bootstrapScript(fleetOf({ gitRepoUrl: REPO, ...SELF, valuesOverrides: { 'argo-cd': { fullnameOverride: '' } } }));
    // The chart's fullname helper: release "argo-cd" does not contain nameOverride "argocd".
    expect(unset).toContain('deployment/argo-cd-argocd-server deployment/argo-cd-argocd-repo-server statefulset/argo-cd-argocd-application-controller');
    const custom = bootstrapScript(fleetOf({ gitRepoUrl: REPO, ...SELF, valuesOverrides: { 'argo-cd': { fullnameOverride: 'cd' } } }));
    expect(custom).toContain('deployment/cd-server deployment/cd-repo-server statefulset/cd-application-controller');
    expect(custom).toContain('port-forward svc/cd-server 8080:443');
  });

  test('installs the chart version set in chartVersions', () => {
    const pinned = bootstrapScript(fleetOf({ gitRepoUrl: REPO, ...SELF, chartVersions: { 'argo-cd': '10.1.0' } }));
    expect(pinned).toContain("readonly CHART_VERSION='10.1.0'");
  });
});

describe('scripts/bootstrap.sh: not self-managed', () => {
  const script = bootstrapScript(fleetOf({ gitRepoUrl: REPO }));

  test('kubectl install of the pinned upstream manifests, no Helm', () => {
    expect(ARGO_CD_VERSION).toBe('v3.4.4');
    expect(script).toContain("readonly ARGOCD_VERSION='v3.4.4'");
    expect(script).toContain('https://raw.githubusercontent.com/argoproj/argo-cd/${ARGOCD_VERSION}/manifests/install.yaml');
    expect(script).toContain('kubectl apply -n "$NAMESPACE" --server-side --force-conflicts -f "$INSTALL_MANIFEST"');
    expect(script).not.toContain('helm');
    expect(script).toContain('\nset -euo pipefail\n');
    // (argocd-project.yaml: the AppProject of argocd-metrics, the ServiceMonitor in Argo CD's namespace)
    expect(script).toContain("readonly PROJECT_FILES=('argocd/root-project.yaml' 'argocd/apps/project.yaml' 'argocd/argocd-project.yaml')");
    expect(script).toContain("readonly ROOT_FILES=('argocd/root.yaml')");
    expect(bashSyntaxErrors(script)).toBe('');
  });

  test('patches the official Application health check into argocd-cm', () => {
    const indented = OFFICIAL_HEALTH_LUA.trimEnd().split('\n').map((l) => `    ${l}`).join('\n');
    expect(script).toContain(`data:\n  resource.customizations.health.argoproj.io_Application: |\n${indented}\nEOF`);
    expect(script).toContain('kubectl -n "$NAMESPACE" patch configmap argocd-cm --type merge -p "$health_patch"');
  });

  test('another namespace: kustomize moves the objects and the ClusterRoleBinding subjects', () => {
    const other = bootstrapScript(fleetOf({ gitRepoUrl: REPO, argocdNamespace: 'gitops' }));
    expect(other).toContain("readonly NAMESPACE='gitops'");
    expect(other).toContain('path: /subjects/0/namespace');
    expect(other).toContain('kubectl apply --server-side --force-conflicts -k "$kustomization"');
    expect(bashSyntaxErrors(other)).toBe('');
  });

  test('lists the remote clusters to register', () => {
    const fleet = bootstrapScript(fleetOf({ gitRepoUrl: REPO, clusters: [{ name: 'local' }, { name: 'prod-eu-1', server: 'https://prod.example.com' }] }));
    expect(fleet).toContain('      prod-eu-1: https://prod.example.com');
    expect(fleet).not.toContain('      local: ');
    expect(bashSyntaxErrors(fleet)).toBe('');
  });

  test('stops at once while gitRepoUrl is a placeholder', () => {
    const placeholder = bootstrapScript(fleetOf());
    expect(placeholder).toMatch(/\n {2}fail "gitRepoUrl is not set in \.projenrc\.ts/);
    expect(placeholder.indexOf('fail "gitRepoUrl')).toBeLessThan(placeholder.indexOf('require kubectl'));
    expect(bashSyntaxErrors(placeholder)).toBe('');
    expect(bootstrapScript(fleetOf({ gitRepoUrl: REPO }))).not.toContain('gitRepoUrl is not set');
  });
});

describe('BootstrapScript component', () => {
  /** A synthesized project with the script, and its folder. */
  function synthWithScript(options: Partial<ObservabilityGitOpsProjectOptions>): { outdir: string; content: string } {
    const project = newProject(options); // the project writes the script itself
    synthToDisk(project); // not Testing.synth, which deletes the folder: the script runs in it
    return { outdir: project.outdir, content: readFileSync(join(project.outdir, BOOTSTRAP_SCRIPT_PATH), 'utf8') };
  }

  /** Run the script with kubectl and helm stubs that log their arguments; returns the log. */
  function runWithStubs(outdir: string, cluster: { upstreamArgoCd?: boolean } = {}): { status: number | null; calls: string[]; stderr: string } {
    const bin = mkdtempSync(join(tmpdir(), 'bootstrap-stubs-'));
    const log = join(bin, 'calls.log');
    writeFileSync(log, '');
    const kubectl = [
      '#!/usr/bin/env bash',
      // NUL-terminated: arguments may span lines (the argocd-cm patch).
      'printf \'kubectl %s\\0\' "$*" >>"$STUB_LOG"',
      'case "$*" in',
      '  "config current-context") echo test-context ;;',
      '  *" get applications.argoproj.io "*) exit 1 ;;',
      '  *" get deployment argocd-server"*) [[ -n "${STUB_UPSTREAM:-}" ]] || exit 1 ;;',
      'esac',
    ].join('\n');
    const helm = [
      '#!/usr/bin/env bash',
      'printf \'helm %s\\0\' "$*" >>"$STUB_LOG"',
      'if [[ "$1" == status && -n "${STUB_UPSTREAM:-}" ]]; then exit 1; fi',
    ].join('\n');
    writeFileSync(join(bin, 'kubectl'), kubectl + '\n');
    writeFileSync(join(bin, 'helm'), helm + '\n');
    chmodSync(join(bin, 'kubectl'), 0o755);
    chmodSync(join(bin, 'helm'), 0o755);
    // Run from elsewhere: the script must find the repository root itself.
    const result = spawnSync('bash', [join(outdir, BOOTSTRAP_SCRIPT_PATH)], {
      cwd: tmpdir(),
      encoding: 'utf8',
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, STUB_LOG: log, STUB_UPSTREAM: cluster.upstreamArgoCd ? '1' : '' },
    });
    return { status: result.status, calls: readFileSync(log, 'utf8').split('\0').filter((c) => c !== ''), stderr: result.stderr };
  }

  test('writes an executable, read-only script with the projen marker after the shebang', () => {
    const { outdir, content } = synthWithScript(SELF);
    const lines = content.split('\n');
    expect(lines[0]).toBe('#!/usr/bin/env bash');
    expect(lines[1]).toBe('# ~~ Generated by projen. To modify, edit .projenrc.ts and run "npx projen".');
    expect(content.endsWith('\n')).toBe(true);
    // Permission digits, e.g. "500": the owner may execute, nobody may write.
    const perms = (statSync(join(outdir, BOOTSTRAP_SCRIPT_PATH)).mode % 0o1000).toString(8).padStart(3, '0');
    expect(Number(perms[0]) % 2).toBe(1);
    expect(perms).toMatch(/^[0145]{3}$/);
    expect(execFileSync('bash', ['-n', join(outdir, BOOTSTRAP_SCRIPT_PATH)], { encoding: 'utf8' })).toBe('');
  });

  test('self-managed: helm install with the generated (and user) values, waits, then project and root', () => {
    const { outdir } = synthWithScript(SELF);
    const first = runWithStubs(outdir);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    const helm = 'helm upgrade --install argo-cd argo-cd --repo https://argoproj.github.io/argo-helm --version 10.1.1 ' +
      '--namespace argocd --create-namespace --values values/argo-cd.yaml';
    expect(first.calls).toEqual([
      'kubectl config current-context',
      'kubectl -n argocd get applications.argoproj.io in-cluster-argo-cd',
      'kubectl -n argocd get deployment argocd-server',
      helm,
      'kubectl wait --for=condition=Established --timeout=120s crd/applications.argoproj.io crd/appprojects.argoproj.io',
      'kubectl -n argocd rollout status deployment/argocd-server --timeout=10m',
      'kubectl -n argocd rollout status deployment/argocd-repo-server --timeout=10m',
      'kubectl -n argocd rollout status statefulset/argocd-application-controller --timeout=10m',
      'kubectl apply -n argocd -f argocd/root-project.yaml',
      'kubectl apply -n argocd -f argocd/apps/project.yaml',
      'kubectl apply -n argocd -f argocd/argocd-project.yaml',
      'kubectl apply -n argocd -f argocd/root.yaml',
    ]);

    // A user-owned override file is layered last, as in the Application.
    mkdirSync(join(outdir, 'values', 'overrides'), { recursive: true });
    writeFileSync(join(outdir, 'values', 'overrides', 'argo-cd.yaml'), 'server:\n  replicas: 2\n');
    expect(runWithStubs(outdir).calls).toContain(`${helm} --values values/overrides/argo-cd.yaml`);
  });

  test('self-managed: refuses to replace an Argo CD installed from the upstream manifests', () => {
    const { outdir } = synthWithScript(SELF);
    const run = runWithStubs(outdir, { upstreamArgoCd: true });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('error: Argo CD already runs in namespace argocd, but not as Helm release argo-cd');
    expect(run.calls).toContain('helm status argo-cd --namespace argocd');
    expect(run.calls.some((c) => c.startsWith('helm upgrade'))).toBe(false);
  });

  test('not self-managed: kubectl install of the upstream manifests and the health check patch', () => {
    const { outdir } = synthWithScript({});
    const run = runWithStubs(outdir);
    expect(run.status).toBe(0);
    expect(run.calls.some((c) => c.startsWith('helm'))).toBe(false);
    expect(run.calls).toContain(
      `kubectl apply -n argocd --server-side --force-conflicts -f https://raw.githubusercontent.com/argoproj/argo-cd/${ARGO_CD_VERSION}/manifests/install.yaml`);
    const patch = run.calls.find((c) => c.startsWith('kubectl -n argocd patch configmap argocd-cm --type merge -p '));
    expect(patch).toBeDefined();
    const body = YAML.parse(patch!.slice('kubectl -n argocd patch configmap argocd-cm --type merge -p '.length));
    expect(body).toEqual({ data: { [APPLICATION_HEALTH_KEY]: OFFICIAL_HEALTH_LUA } });
    expect(run.calls.slice(-4)).toEqual([
      'kubectl apply -n argocd -f argocd/root-project.yaml',
      'kubectl apply -n argocd -f argocd/apps/project.yaml',
      'kubectl apply -n argocd -f argocd/argocd-project.yaml',
      'kubectl apply -n argocd -f argocd/root.yaml',
    ]);
  });

  test('fails with a clear message when kubectl is missing', () => {
    const { outdir } = synthWithScript({});
    // A PATH with only what the script needs before kubectl (dirname).
    const bin = mkdtempSync(join(tmpdir(), 'bootstrap-nokubectl-'));
    symlinkSync(execFileSync('bash', ['-c', 'command -v dirname'], { encoding: 'utf8' }).trim(), join(bin, 'dirname'));
    const bash = execFileSync('bash', ['-c', 'command -v bash'], { encoding: 'utf8' }).trim();
    const result = spawnSync(bash, [join(outdir, BOOTSTRAP_SCRIPT_PATH)], { encoding: 'utf8', env: { PATH: bin } });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('error: kubectl is not installed (or not on PATH).');
  });

  test('self-managed: fails with a clear message when helm is missing', () => {
    const { outdir } = synthWithScript(SELF);
    const bin = mkdtempSync(join(tmpdir(), 'bootstrap-nohelm-'));
    symlinkSync(execFileSync('bash', ['-c', 'command -v dirname'], { encoding: 'utf8' }).trim(), join(bin, 'dirname'));
    writeFileSync(join(bin, 'kubectl'), '#!/bin/sh\nexit 0\n');
    chmodSync(join(bin, 'kubectl'), 0o755);
    const bash = execFileSync('bash', ['-c', 'command -v bash'], { encoding: 'utf8' }).trim();
    const result = spawnSync(bash, [join(outdir, BOOTSTRAP_SCRIPT_PATH)], { encoding: 'utf8', env: { PATH: bin } });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('error: helm is not installed (or not on PATH).');
  });
});
