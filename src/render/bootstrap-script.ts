import { applicationName, argocdAppProject, CLUSTER_LABEL, ENVIRONMENT_LABEL } from './argocd';
import { Layout, valueFilesOf } from './layout';
import { ClusterGroup, FleetModel, rootEnvironments } from '../model/fleet';
import { APPLICATION_HEALTH_KEY, APPLICATION_HEALTH_LUA, ARGO_CD_PART } from '../model/parts/argo-cd';
import { ClusterTarget, StackModel, StackPart } from '../model/stack';
import { ApplicationSetGenerator, FleetMode } from '../options/fleet';
import { IN_CLUSTER_SERVER } from '../options/resolve';

/**
 * The generated `scripts/bootstrap.sh`: the one imperative step of the
 * repository. It installs Argo CD once and applies the AppProject and the root
 * Application; everything after that comes from Git.
 *
 * Pure: the same model always gives the same script.
 */

/** Where the script is written in the generated repository. */
export const BOOTSTRAP_SCRIPT_PATH = Layout.bootstrapScript;

/**
 * Argo CD version installed from the upstream manifests when Argo CD is not
 * self-managed: the appVersion of the argo-cd chart the catalog pins
 * (src/catalog/charts.ts, argo-cd 10.1.1 → v3.4.4), so both modes run the same
 * Argo CD. Bump it together with that pin.
 */
export const ARGO_CD_VERSION = 'v3.4.4';

/** The upstream install manifest of `ARGO_CD_VERSION` (cluster-wide install, non-HA). */
export const ARGO_CD_INSTALL_MANIFEST = `https://raw.githubusercontent.com/argoproj/argo-cd/${ARGO_CD_VERSION}/manifests/install.yaml`;

/** The namespace the upstream install manifest's ClusterRoleBindings name. */
const UPSTREAM_NAMESPACE = 'argocd';

/** CRDs the AppProject and root Application need before they can be applied. */
const REQUIRED_CRDS = ['crd/applications.argoproj.io', 'crd/appprojects.argoproj.io'];

/**
 * Content of `scripts/bootstrap.sh` for a stack model.
 *
 * @param marker the projen marker line (without `#`), e.g. the generated-file
 * marker of the projen `TextFile` that writes the script; left out when undefined.
 */
export function bootstrapScript(fleet: FleetModel, marker?: string): string {
  const model = fleet.base;
  // argocd.selfManaged needs a single cluster, so a self-managed Argo CD is in the only group.
  const group = fleet.groups[0];
  const argoCd = group.model.parts.find((p) => p.name === ARGO_CD_PART && p.chart !== undefined);
  const environments = rootEnvironments(fleet);
  const lines: string[] = [
    '#!/usr/bin/env bash',
    ...(marker ? [`# ${marker}`] : []),
    '#',
    '# Bootstrap: install Argo CD once, then hand this repository over to it.',
    ...(argoCd ? selfManagedIntro(group.model, argoCd) : upstreamIntro()),
    '#',
    '# Push this repository first (Argo CD reads it from Git), then run this from',
    '# any directory with kubectl pointing at the cluster Argo CD runs in.',
    '# Running it again is safe: an Argo CD it installed before is left as it is.',
    'set -euo pipefail',
    '',
    `readonly NAMESPACE=${sh(model.argocd.namespace)}`,
    // The AppProjects are applied here, never synced by the root Applications they govern.
    `readonly PROJECT_FILES=(${environments.flatMap((e) => [
      Layout.rootAppProject(e), Layout.appProject(e), ...(argocdAppProject(fleet, e) ? [Layout.argocdAppProject(e)] : []),
    ]).map(sh).join(' ')})`,
    `readonly ROOT_FILES=(${environments.map((e) => sh(Layout.rootApplication(e))).join(' ')})`,
    `readonly REPO_URL=${sh(model.repo.url)}`,
    '',
    'log() { printf \'==> %s\\n\' "$*"; }',
    'fail() { printf \'error: %s\\n\' "$*" >&2; exit 1; }',
    'require() {',
    '  command -v "$1" >/dev/null 2>&1 || fail "$1 is not installed (or not on PATH). $2"',
    '}',
    '',
    '# Paths below are relative to the repository root.',
    'cd "$(dirname "${BASH_SOURCE[0]}")/.."',
    '',
  ];
  if (model.repo.isPlaceholder) {
    lines.push(
      '# gitRepoUrl is not set: Argo CD would read from a repository that does not exist.',
      'readonly REPO_URL_IS_PLACEHOLDER=true',
      'if [[ "$REPO_URL_IS_PLACEHOLDER" == true ]]; then',
      '  fail "gitRepoUrl is not set in .projenrc.ts (Argo CD would read from the placeholder ${REPO_URL}): set it and run npx projen"',
      'fi',
      '',
    );
  }
  lines.push(
    'require kubectl \'See https://kubernetes.io/docs/tasks/tools/\'',
    ...(argoCd ? ['require helm \'Install Helm 3 or later: https://helm.sh/docs/intro/install/\''] : []),
    'context="$(kubectl config current-context 2>/dev/null)" ||',
    '  fail \'kubectl has no current context: point it at the cluster Argo CD runs in\'',
    'log "Cluster: ${context} (kubectl current context)"',
    '',
    ...(argoCd ? helmInstall(fleet, group, argoCd) : upstreamInstall(model)),
    '',
    'log \'Waiting for the Argo CD CRDs\'',
    `kubectl wait --for=condition=Established --timeout=120s ${REQUIRED_CRDS.join(' ')}`,
    `for workload in ${workloads(argoCd).join(' ')}; do`,
    '  log "Waiting for ${workload}"',
    '  kubectl -n "$NAMESPACE" rollout status "$workload" --timeout=10m',
    'done',
    '',
    'for file in "${PROJECT_FILES[@]}"; do',
    '  log "Applying the AppProject (${file})"',
    '  kubectl apply -n "$NAMESPACE" -f "$file"',
    'done',
    'for file in "${ROOT_FILES[@]}"; do',
    '  log "Applying the root Application (${file})"',
    '  kubectl apply -n "$NAMESPACE" -f "$file"',
    'done',
    '',
    'log \'Done: Argo CD now syncs this repository.\'',
    'cat <<EOF',
    'Next:',
    '  - A private repository needs read access for Argo CD: add a repository Secret for',
    '    ${REPO_URL} (https://argo-cd.readthedocs.io/en/stable/operator-manual/declarative-setup/#repositories).',
    ...remoteClusterNotes(model),
    '  - Progress:       kubectl -n ${NAMESPACE} get applications.argoproj.io',
    '  - Admin password: kubectl -n ${NAMESPACE} get secret argocd-initial-admin-secret -o jsonpath=\'{.data.password}\' | base64 -d',
    `  - UI:             kubectl -n \${NAMESPACE} port-forward svc/${serverService(argoCd)} 8080:443, then https://localhost:8080`,
    'EOF',
  );
  return lines.join('\n') + '\n';
}

function selfManagedIntro(model: StackModel, part: StackPart): string[] {
  const chart = part.chart!;
  return [
    '#',
    `# Argo CD manages itself (argocd.selfManaged): this installs the ${chart.name} chart`,
    `# ${chart.version} with Helm, as release "${part.name}" from the same values files as the`,
    `# Application "${applicationName(model.clusters[0], part)}", which adopts the release on its first sync.`,
    '# From then on upgrade Argo CD from Git, never with helm (and never run',
    `# \`helm uninstall ${part.name}\`: Argo CD would go with it).`,
  ];
}

function upstreamIntro(): string[] {
  return [
    '#',
    `# Argo CD is not self-managed: this installs Argo CD ${ARGO_CD_VERSION} from the upstream`,
    '# manifests and enables the Application health check the sync waves rely on.',
    '# Upgrading Argo CD is then up to you (argocd.selfManaged lets Git do it).',
  ];
}

/** Helm install of the argo-cd part, skipped once Argo CD's own Application exists. */
function helmInstall(fleet: FleetModel, group: ClusterGroup, part: StackPart): string[] {
  const chart = part.chart!;
  const cluster = group.model.clusters[0];
  const [generated, ...optional] = valueFilesOf(fleet, group, cluster, part);
  return [
    `readonly CHART=${sh(chart.name)}`,
    `readonly CHART_REPO=${sh(chart.repoUrl)}`,
    `readonly CHART_VERSION=${sh(chart.version)}`,
    `readonly RELEASE=${sh(part.name)}`,
    `readonly SELF_APP=${sh(applicationName(cluster, part))}`,
    `readonly SERVER=${sh(serverService(part))}`,
    '',
    'if kubectl -n "$NAMESPACE" get applications.argoproj.io "$SELF_APP" >/dev/null 2>&1; then',
    '  log "Argo CD already manages itself (Application ${SELF_APP}): skipping the Helm install; upgrade it from Git"',
    'else',
    // An Argo CD from the upstream manifests has other Deployment selectors (immutable):
    // neither Helm nor Argo CD can take it over in place.
    '  if kubectl -n "$NAMESPACE" get deployment "$SERVER" >/dev/null 2>&1 &&',
    '    ! helm status "$RELEASE" --namespace "$NAMESPACE" >/dev/null 2>&1; then',
    '    fail "Argo CD already runs in namespace ${NAMESPACE}, but not as Helm release ${RELEASE} (installed from the upstream manifests?). Its Deployments cannot be taken over in place: uninstall it first, or keep argocd.selfManaged off"',
    '  fi',
    `  [[ -f ${sh(generated)} ]] || fail ${sh(`${generated} is missing: run npx projen`)}`,
    `  values=(--values ${sh(generated)})`,
    // The user-owned (and, with several clusters, per-cluster) files are optional, as in the Application.
    ...optional.flatMap((f) => [
      `  if [[ -f ${sh(f)} ]]; then`,
      `    values+=(--values ${sh(f)})`,
      '  fi',
    ]),
    '  log "Installing Argo CD: chart ${CHART} ${CHART_VERSION} from ${CHART_REPO}, release ${RELEASE} in namespace ${NAMESPACE}"',
    '  log "Values files: ${values[*]}"',
    '  helm upgrade --install "$RELEASE" "$CHART" \\',
    '    --repo "$CHART_REPO" --version "$CHART_VERSION" \\',
    '    --namespace "$NAMESPACE" --create-namespace \\',
    '    "${values[@]}"',
    'fi',
  ];
}

/** kubectl install of the upstream manifests, plus the Application health check in argocd-cm. */
function upstreamInstall(model: StackModel): string[] {
  const ns = model.argocd.namespace;
  const apply = ns === UPSTREAM_NAMESPACE
    ? [
      '  kubectl create namespace "$NAMESPACE" --dry-run=client -o yaml | kubectl apply -f -',
      '  # Server-side apply: the ApplicationSet CRD is too large for client-side apply.',
      '  kubectl apply -n "$NAMESPACE" --server-side --force-conflicts -f "$INSTALL_MANIFEST"',
    ]
    : [
      // Through kustomize: its namespace moves every object to ours, and a patch
      // points the ClusterRoleBindings' subjects there too.
      '  kubectl create namespace "$NAMESPACE" --dry-run=client -o yaml | kubectl apply -f -',
      '  kustomization="$(mktemp -d)"',
      '  trap \'rm -rf "$kustomization"\' EXIT',
      `  # The upstream ClusterRoleBindings bind ServiceAccounts of namespace "${UPSTREAM_NAMESPACE}".`,
      '  cat >"${kustomization}/kustomization.yaml" <<EOF',
      'apiVersion: kustomize.config.k8s.io/v1beta1',
      'kind: Kustomization',
      'namespace: ${NAMESPACE}',
      'resources:',
      '  - ${INSTALL_MANIFEST}',
      'patches:',
      '  - target:',
      '      kind: ClusterRoleBinding',
      '    patch: |-',
      '      - op: replace',
      '        path: /subjects/0/namespace',
      '        value: ${NAMESPACE}',
      'EOF',
      '  # Server-side apply: the ApplicationSet CRD is too large for client-side apply.',
      '  kubectl apply --server-side --force-conflicts -k "$kustomization"',
    ];
  return [
    `readonly ARGOCD_VERSION=${sh(ARGO_CD_VERSION)}`,
    'readonly INSTALL_MANIFEST="https://raw.githubusercontent.com/argoproj/argo-cd/${ARGOCD_VERSION}/manifests/install.yaml"',
    '',
    'if kubectl -n "$NAMESPACE" get deployment argocd-server >/dev/null 2>&1; then',
    '  log "Argo CD is already installed in namespace ${NAMESPACE}: skipping the install"',
    'else',
    '  log "Installing Argo CD ${ARGOCD_VERSION} into namespace ${NAMESPACE} from ${INSTALL_MANIFEST}"',
    ...apply,
    'fi',
    '',
    '# Without this health check a child Application is healthy as soon as it exists,',
    '# and the root Application\'s sync waves wait for nothing (Argo CD docs, "Argocd App").',
    'log \'Enabling the argoproj.io/Application health check in argocd-cm\'',
    'health_patch="$(cat <<\'EOF\'',
    'data:',
    `  ${APPLICATION_HEALTH_KEY}: |`,
    ...APPLICATION_HEALTH_LUA.trimEnd().split('\n').map((l) => `    ${l}`),
    'EOF',
    ')"',
    'kubectl -n "$NAMESPACE" patch configmap argocd-cm --type merge -p "$health_patch"',
  ];
}

/** The workloads to wait for: API server, repo-server, application controller. */
function workloads(argoCd: StackPart | undefined): string[] {
  if (!argoCd) {
    // Names in the upstream install manifests.
    return ['deployment/argocd-server', 'deployment/argocd-repo-server', 'statefulset/argocd-application-controller'];
  }
  const v = argoCd.values as any;
  const fullname = chartFullname(argoCd);
  const controllerKind = v.controller?.dynamicClusterDistribution === true ? 'deployment' : 'statefulset';
  return [
    `deployment/${fullname}-${v.server?.name ?? 'server'}`,
    `deployment/${fullname}-${v.repoServer?.name ?? 'repo-server'}`,
    `${controllerKind}/${fullname}-${v.controller?.name ?? 'application-controller'}`,
  ];
}

function serverService(argoCd: StackPart | undefined): string {
  if (!argoCd) return 'argocd-server';
  return `${chartFullname(argoCd)}-${(argoCd.values as any).server?.name ?? 'server'}`;
}

/**
 * The argo-cd chart's `argo-cd.fullname` helper (templates/_common.tpl) for
 * the part's values: fullnameOverride, else the release name when it contains
 * nameOverride (default "argocd"), else "<release>-<nameOverride>".
 */
function chartFullname(part: StackPart): string {
  const v = part.values as any;
  if (typeof v.fullnameOverride === 'string' && v.fullnameOverride !== '') return trimName(v.fullnameOverride);
  const name = typeof v.nameOverride === 'string' && v.nameOverride !== '' ? v.nameOverride : 'argocd';
  return trimName(part.name.includes(name) ? part.name : `${part.name}-${name}`);
}

function trimName(name: string): string {
  return name.slice(0, 63).replace(/-+$/, '');
}

/** Child Applications on other clusters need those clusters registered in Argo CD. */
function remoteClusterNotes(model: StackModel): string[] {
  const labelled = model.argocd.fleetMode === FleetMode.APPLICATION_SETS && model.argocd.applicationSetGenerator === ApplicationSetGenerator.CLUSTERS;
  const remote = model.clusters.filter((c) => labelled || c.server !== IN_CLUSTER_SERVER);
  if (remote.length === 0) return [];
  const labels = (c: ClusterTarget) => (labelled
    ? ` (cluster Secret labels ${CLUSTER_LABEL}=${c.name}${c.environment !== undefined ? `, ${ENVIRONMENT_LABEL}=${c.environment}` : ''})`
    : '');
  return [
    labelled
      ? '  - Register the clusters with Argo CD and label their cluster Secrets: the ApplicationSets select them by label:'
      : '  - Register the other clusters with Argo CD (argocd cluster add <kube-context>, or a cluster Secret):',
    ...remote.map((c) => heredocText(`      ${c.name}: ${c.server ?? `Argo CD cluster "${c.destinationName}"`}${labels(c)}`)),
  ];
}

/** Text for an unquoted heredoc: no expansion of `$`, backquotes or backslashes. */
function heredocText(text: string): string {
  return text.replace(/[\\$`]/g, (c) => `\\${c}`);
}

/** Single-quote a value for bash. */
function sh(value: string): string {
  return `'${value.replace(/'/g, '\'\\\'\'')}'`;
}
