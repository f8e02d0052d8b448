import * as path from 'path';
import { FileBase, javascript, typescript } from 'projen';
import { compareCodePoints } from './compare';
import { AlertRulesFiles } from './components/alert-rules-files';
import { ArgoCdApplications } from './components/argocd-applications';
import { withAtomicWrites, WRITING_DIR } from './components/atomic-write';
import { BootstrapScript } from './components/bootstrap-script';
import { CiWorkflows } from './components/ci-workflows';
import { withCodePointOrder } from './components/code-point-order';
import { DashboardFiles } from './components/dashboard-files';
import { ExactGitignore } from './components/exact-gitignore';
import { FileIndex } from './components/file-index';
import { HelmValues } from './components/helm-values';
import { PlainManifests } from './components/plain-manifests';
import { ServiceDocs } from './components/service-docs';
import { StackReadme } from './components/stack-readme';
import { buildFleetModel, FleetModel } from './model/fleet';
import { resolveFleet } from './options/environments';
import { libraryDependency } from './options/library-dependency';
import { ObservabilityGitOpsProjectOptions } from './options/options';
import { resolveUpgradeToken, UpgradeToken } from './options/upgrade-workflow';
import { reportingUserErrors } from './user-errors';

/** The name of this library on npm (the generated repo depends on it). */
const LIBRARY = 'obs-gitops-template';
/** TypeScript runner deps of the generated repo: local copies, so synth runs offline and type-checked. */
const RUNNER_DEV_DEPS = ['ts-node@^10.9.2', 'typescript@~5.9.3', '@types/node@^22'];
/**
 * The oldest Node.js the generated repository supports (`engines`): the oldest LTS line still
 * maintained (22; 24 is the Active LTS its workflows run).
 */
const MIN_NODE_VERSION = '22.0.0';

/**
 * A GitOps repository for a Kubernetes observability stack: Argo CD
 * Applications (app-of-apps, AppProject, sync waves) and Helm values files,
 * kept in sync from `.projenrc.ts`.
 *
 * Pipeline: options → (validated) resolved options → stack model → components
 * that write files, each checked against the real schemas first.
 *
 * @pjid obs-gitops
 */
export class ObservabilityGitOpsProject extends javascript.NodeProject {
  /**
   * What the user should know about this configuration (deprecated charts,
   * chart version overrides, a placeholder repository URL). Printed at synth.
   */
  public readonly warnings: string[];

  /** The stack this project generates, on every cluster. */
  private readonly fleet: FleetModel;

  /** While the constructor adds its components: the project's files by absolute path (see tryFindFile). */
  private fileIndex?: FileIndex;

  /**
   * @param options the stack to generate: every option is validated (with the option's path,
   * the value and what is valid) before any file is written.
   */
  constructor(options: ObservabilityGitOpsProjectOptions) {
    // Validate everything before the base project registers a single file. In a `.projenrc.ts`
    // synth a bad option is reported as one message, not a stack trace (see user-errors.ts).
    const fleetOptions = reportingUserErrors(() => resolveFleet(options));
    const fleet = reportingUserErrors(() => buildFleetModel(fleetOptions));
    const resolved = fleetOptions.base;
    const model = fleet.base;
    const upgradeToken = reportingUserErrors(() => resolveUpgradeToken(options.upgradeWorkflow));
    const library = libraryDependency(LIBRARY, options.devDeps ?? []);

    super({
      jest: false,
      release: false,
      package: false,
      github: false,
      buildWorkflow: false,
      pullRequestTemplate: false,
      // A GitOps repository, not a package: no licence file or .npmignore unless asked for.
      packageManager: javascript.NodePackageManager.NPM,
      licensed: false,
      npmignoreEnabled: false,
      minNodeVersion: MIN_NODE_VERSION,
      // The upgrade task (run by .github/workflows/upgrade.yml) bumps only these.
      depsUpgradeOptions: { include: [LIBRARY, 'projen'], ...options.depsUpgradeOptions },
      ...options,
      projenrcJs: false,
      projenrcJson: false,
      devDeps: withDefaults(options.devDeps ?? [], [LIBRARY, ...RUNNER_DEV_DEPS]),
    });
    this.fleet = fleet;

    // .projenrc.ts, run by ts-node with type-checking (a typo in an option fails the synth).
    const projenrc = new typescript.ProjenrcTs(this, {});
    // Without `lib`, TypeScript loads its ES5 + DOM libraries (~1.9 MB of declarations, a third of
    // what ts-node parses on every synth). ES2022 is what Node 20 runs; Node's own globals
    // (process, fetch, URL, ...) come from @types/node as before.
    projenrc.tsconfig.file.addOverride('compilerOptions.lib', ['es2022']);
    // projen runs its TypeScript runner through `npx -y -p ts-node -c "ts-node ..."`, which
    // starts one more npm process on every synth (~0.4 s). ts-node is a devDependency of this
    // repository (RUNNER_DEV_DEPS): run the local copy directly, as a TypeScriptProject does.
    const synthTask = this.defaultTask;
    if (synthTask) {
      const steps = synthTask.steps.map(({ shell: _npx, ...step }) => step);
      synthTask.reset();
      synthTask.addSteps(...steps);
    }

    this.warnings = [...fleet.warnings, ...library.warnings];
    if (library.vendored !== undefined) {
      // The scaffold's own copy of the library: committed, so a clone installs with `npm ci`
      // (`*.tgz` is ignored by default).
      this.gitignore.include(`/${library.vendored}`);
      this.gitattributes.addAttributes(`/${library.vendored}`, 'binary');
    }
    if (resolved.repo.isPlaceholder) {
      this.warnings.unshift(`gitRepoUrl is not set: Argo CD will read from the placeholder ${resolved.repo.url}. ` +
        'Set gitRepoUrl in .projenrc.ts to the URL of this repository.');
    }
    for (const warning of this.warnings) this.logger.warn(warning);

    // (only as the root project: FileBase asks the root, which the index relies on)
    this.fileIndex = this.parent ? undefined : new FileIndex(this);
    try {
      reportingUserErrors(() => this.addStackComponents(fleet, model, { upgradeToken, vendoredLibrary: library.vendored }));
    } finally {
      this.fileIndex = undefined;
    }

    // A killed synth may leave its temp files behind (see atomic-write.ts): never committed.
    this.gitignore.exclude(`/${WRITING_DIR}/`);
    // Yours, never generated: even if .projen/files.json were lost, projen's fallback cleanup
    // (every file with its marker) must not delete a copy of a generated file kept here.
    this.addExcludeFromCleanup('values/overrides/**');

    const validate = this.addTask('validate', {
      description: 'Check every generated file with the real schemas, chart keys, grammars and tools (obs-gitops validate)',
      exec: 'obs-gitops validate',
      receiveArgs: true,
    });
    // `npx projen test` (and so `npx projen build`) validates the repository.
    this.testTask.spawn(validate);
    if (resolved.generatedReadme) {
      this.tryRemoveFile('README.md'); // the base project's sample README
      new StackReadme(this, {
        fleet,
        upgradeToken,
        vendoredLibrary: library.vendored,
        grafanaAdminSecret: resolved.metrics.enabled
          ? {
            name: resolved.grafana.adminSecretName,
            userKey: resolved.grafana.adminUserKey,
            passwordKey: resolved.grafana.adminPasswordKey,
            namespace: resolved.metrics.namespace,
          }
          : undefined,
      });
    }
  }

  /** The components that write the stack's files (each checks what it writes before anything is written). */
  private addStackComponents(fleet: FleetModel, model: FleetModel['base'], ci: { upgradeToken: UpgradeToken; vendoredLibrary?: string }): void {
    new ArgoCdApplications(this, fleet);
    new HelmValues(this, fleet);
    new PlainManifests(this, fleet);
    new DashboardFiles(this, fleet);
    new AlertRulesFiles(this, model);
    new ServiceDocs(this, model);
    new BootstrapScript(this, fleet);

    new CiWorkflows(this, model, ci);
    // .gitignore patterns anchored at the root, so a cluster named "logs" is committed
    new ExactGitignore(this);
  }

  /**
   * Synthesizes the project: as projen's, with every file written atomically (a temp file, then
   * a rename: a killed re-sync never leaves an empty or truncated file) and projen's own sorting
   * by code point instead of the machine's locale (the output is the same on every machine).
   */
  public override synth(): void {
    withAtomicWrites(this.outdir, () => withCodePointOrder(() => super.synth()));
  }

  /**
   * Finds a file at the specified relative path within this project and all
   * its subprojects.
   *
   * @param filePath The file path. If this path is relative, it will be resolved
   * from the root of _this_ project.
   * @returns a `FileBase` or undefined if there is no file in that path
   */
  public override tryFindFile(filePath: string): FileBase | undefined {
    // projen searches the whole construct tree, and every new file asks first (no two files
    // at one path): quadratic in the number of files, ~0.3 s at 500 services. While this
    // constructor adds its components, an index answers instead.
    if (!this.fileIndex) return super.tryFindFile(filePath);
    return this.fileIndex.find(path.isAbsolute(filePath) ? filePath : path.resolve(this.outdir, filePath));
  }

  /** Names of the stack parts this project deploys (on any cluster), in sync-wave order. */
  public get partNames(): string[] {
    const parts = new Map(this.fleet.groups.flatMap((g) => g.model.parts).map((p) => [p.name, p.wave]));
    return [...parts.entries()].sort((a, b) => a[1] - b[1] || compareCodePoints(a[0], b[0])).map(([name]) => name);
  }
}

/** Add each default dependency unless the user already lists that package. */
function withDefaults(deps: string[], defaults: string[]): string[] {
  const nameOf = (spec: string) => spec.replace(/^(@?[^@]+).*$/, '$1');
  const have = new Set(deps.map(nameOf));
  return [...deps, ...defaults.filter((d) => !have.has(nameOf(d)))];
}
