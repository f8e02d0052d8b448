/**
 * The generated upgrade workflow reviews itself: the full validate (Helm,
 * promtool, amtool) before a pull request exists, a token option so validate
 * runs on the pull request, and what the README says about it. Also the Node.js
 * the generated repository runs on and how it depends on the library.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import * as YAML from 'yaml';
import { newProject, synthRaw } from './util';
import { CHECK_LOCAL_DEPENDENCIES, PINNED_ACTIONS } from '../src/render/workflows';

const ROOT = join(__dirname, '..');

function upgradeJob(files: Record<string, any>): any {
  return YAML.parse(files['.github/workflows/upgrade.yml']).jobs.upgrade;
}

describe('default: GITHUB_TOKEN', () => {
  const files = synthRaw();
  const job = upgradeJob(files);
  const names: string[] = job.steps.map((s: any) => s.name);

  test('validate --require-tools --strict runs (the validate workflow\'s command), with Helm, promtool and amtool installed, after the re-sync and before the pull request', () => {
    const at = (name: string) => {
      expect(names).toContain(name);
      return names.indexOf(name);
    };
    const validate = job.steps[at('Validate')];
    expect(validate.run).toBe('npx projen validate --require-tools --strict');
    // the same command as the validate workflow: a warning that would fail the pull request's checks stops the upgrade too
    const validateWorkflow = YAML.parse(files['.github/workflows/validate.yml']).jobs.validate;
    expect(validateWorkflow.steps.find((s: any) => s.name === 'Validate').run).toBe(validate.run);
    expect(at('Upgrade obs-gitops-template and projen, re-synthesize')).toBeLessThan(at('Set up Helm (validate renders every Application as Argo CD does)'));
    expect(at('Set up Helm (validate renders every Application as Argo CD does)')).toBeLessThan(at('Validate'));
    expect(at('Install promtool and amtool')).toBeLessThan(at('Validate'));
    expect(at('Validate')).toBeLessThan(at('Describe the chart changes'));
    expect(at('Validate')).toBeLessThan(at('Open a pull request'));
    expect(job.steps[at('Set up Helm (validate renders every Application as Argo CD does)')].uses).toBe(PINNED_ACTIONS.setupHelm.uses);
    expect(job.steps[at('Set up Helm (validate renders every Application as Argo CD does)')].with).toEqual({ version: 'v4.1.4' });
    // a step that fails stops the job (no continue-on-error anywhere)
    for (const step of job.steps) expect(step['continue-on-error']).toBeUndefined();
    // after "Check for changes", every step runs only when something changed
    for (const step of job.steps.slice(at('Check for changes') + 1)) expect(step.if).toBe("steps.changes.outputs.changed == 'true'");
  });

  test('the job writes with GITHUB_TOKEN, and credentials never stay in the checkout', () => {
    expect(job.permissions).toEqual({ 'contents': 'write', 'pull-requests': 'write' });
    expect(job.steps[0].with['persist-credentials']).toBe(false);
    const open = job.steps.find((s: any) => s.name === 'Open a pull request');
    expect(open.env.GH_TOKEN).toBe('${{ github.token }}');
    expect(open.run).toContain('push origin "$branch"');
    expect(open.run).toContain('gh pr create');
  });

  test('the README says what GITHUB_TOKEN needs and that validate will not run on its pull request', () => {
    const readme: string = files['README.md'];
    expect(readme).toContain('"Allow GitHub Actions to create and approve pull requests"');
    expect(readme).toContain('`validate` will not run on it');
    expect(readme).toContain("upgradeWorkflow: { tokenSecret: 'UPGRADE_TOKEN' }");
  });

  test('workflows run the Active LTS Node.js, engines allow the maintained LTS lines, no vendored check without a vendored library', () => {
    for (const wf of ['validate', 'upgrade']) {
      const text: string = files[`.github/workflows/${wf}.yml`];
      expect(text).toContain('node-version: "24"');
      expect(text).not.toContain('Check the vendored obs-gitops-template');
    }
    expect(files['package.json'].engines).toEqual({ node: '>= 22.0.0' });
  });
});

test('tokenSecret: the pull request is opened with that secret, GITHUB_TOKEN only reads', () => {
  const files = synthRaw({ upgradeWorkflow: { tokenSecret: 'UPGRADE_TOKEN' } });
  const job = upgradeJob(files);
  expect(job.permissions).toEqual({ contents: 'read' });
  expect(job.steps.find((s: any) => s.name === 'Open a pull request').env.GH_TOKEN).toBe('${{ secrets.UPGRADE_TOKEN }}');
  expect(files['README.md']).toContain('the secret `UPGRADE_TOKEN`');
  expect(files['README.md']).not.toContain('will not run on it');
});

test('a GitHub App: a token from actions/create-github-app-token (pinned), made first', () => {
  const files = synthRaw({ upgradeWorkflow: { appClientIdVariable: 'UPGRADE_APP_CLIENT_ID', appPrivateKeySecret: 'UPGRADE_APP_KEY' } });
  const text: string = files['.github/workflows/upgrade.yml'];
  expect(text).toContain(`uses: ${PINNED_ACTIONS.createGithubAppToken.uses} # ${PINNED_ACTIONS.createGithubAppToken.version}`);
  const job = upgradeJob(files);
  expect(job.permissions).toEqual({ contents: 'read' });
  expect(job.steps[0]).toMatchObject({
    id: 'app-token',
    with: { 'client-id': '${{ vars.UPGRADE_APP_CLIENT_ID }}', 'private-key': '${{ secrets.UPGRADE_APP_KEY }}' },
  });
  expect(job.steps.find((s: any) => s.name === 'Open a pull request').env.GH_TOKEN).toBe('${{ steps.app-token.outputs.token }}');
  expect(files['README.md']).toContain('as a GitHub App');
});

test.each<[string, Record<string, unknown>, RegExp[]]>([
  ['a secret name with a dash', { tokenSecret: 'upgrade-token' }, [/"upgradeWorkflow\.tokenSecret"/, /"upgrade-token"/, /letters, digits and _/]],
  ['a reserved secret name', { tokenSecret: 'GITHUB_TOKEN' }, [/"upgradeWorkflow\.tokenSecret"/, /reserves/]],
  ['a token and an App', { tokenSecret: 'T', appClientIdVariable: 'A', appPrivateKeySecret: 'K' }, [/"upgradeWorkflow\.tokenSecret"/, /choose one/]],
  ['an App without its key', { appClientIdVariable: 'A' }, [/"upgradeWorkflow\.appPrivateKeySecret"/, /required with appClientIdVariable/]],
  ['an App without its client ID', { appPrivateKeySecret: 'K' }, [/"upgradeWorkflow\.appClientIdVariable"/, /required with appPrivateKeySecret/]],
  ['an unknown field', { token: 'T' }, [/"upgradeWorkflow\.token"/, /valid are tokenSecret, appClientIdVariable, appPrivateKeySecret/]],
  ['a raw string (projen new CLI)', 'T' as any, [/"upgradeWorkflow"/, /is not an object/]],
])('upgradeWorkflow: %s is refused before anything is written', (_name, upgradeWorkflow, expected) => {
  let message = '';
  try {
    newProject({ upgradeWorkflow: upgradeWorkflow as any });
  } catch (e) {
    message = (e as Error).message;
  }
  for (const re of expected) expect(message).toMatch(re);
});

describe('the library dependency', () => {
  test('a tarball inside the repository is committed (not ignored) and checked before npm ci', () => {
    const spec = 'obs-gitops-template@file:vendor/obs-gitops-template-1.2.3.tgz';
    const project = newProject({ devDeps: [spec] });
    expect(project.warnings.join('\n')).not.toContain('outside this repository');
    const files = synthRaw({ devDeps: [spec] });
    expect(files['package.json'].devDependencies['obs-gitops-template']).toBe('file:vendor/obs-gitops-template-1.2.3.tgz');
    // never ignored, whatever .gitignore says about *.tgz (the clone test proves git commits it)
    const ignore: string[] = files['.gitignore'].split('\n');
    expect(ignore).toContain('!/vendor/obs-gitops-template-1.2.3.tgz');
    for (const wf of ['validate', 'upgrade']) {
      const steps: any[] = YAML.parse(files[`.github/workflows/${wf}.yml`]).jobs[wf].steps;
      const check = steps.findIndex((s) => s.name === 'Check the vendored obs-gitops-template');
      expect(check).toBeGreaterThan(0);
      expect(steps[check].run).toBe(CHECK_LOCAL_DEPENDENCIES);
      expect(check).toBeLessThan(steps.findIndex((s) => s.run === 'npm ci'));
    }
    expect(files['README.md']).toContain('### The vendored library');
  });

  test('a tarball outside the repository is a warning: a clone elsewhere cannot install it', () => {
    const project = newProject({ devDeps: ['obs-gitops-template@file:/home/me/obs-gitops-template-0.0.0.tgz'] });
    expect(project.warnings.join('\n')).toContain('obs-gitops-template is installed from /home/me/obs-gitops-template-0.0.0.tgz, outside this repository');
    const up = newProject({ devDeps: ['obs-gitops-template@file:../obs-gitops-template-0.0.0.tgz'] });
    expect(up.warnings.join('\n')).toContain('outside this repository');
  });

  test('from a registry, an ordinary range: nothing vendored', () => {
    const files = synthRaw({ devDeps: ['obs-gitops-template@^1.2.3'] });
    expect(files['package.json'].devDependencies['obs-gitops-template']).toBe('^1.2.3');
    expect(files['.gitignore']).not.toContain('vendor');
  });
});

test('no bundled dependency of the library asks for a newer Node.js than the library\'s own engines (no EBADENGINE on a supported Node.js)', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf-8'));
  const floor = Number(/(\d+)/.exec(pkg.engines.node)?.[1]);
  expect(floor).toBe(22);
  const tooNew: string[] = [];
  for (const dep of pkg.bundledDependencies as string[]) {
    const engines: string | undefined = JSON.parse(readFileSync(join(ROOT, 'node_modules', dep, 'package.json'), 'utf-8')).engines?.node;
    if (Number(/(\d+)/.exec(engines ?? '0')?.[1]) > floor) tooNew.push(`${dep}: engines.node ${engines}`);
  }
  expect(tooNew).toEqual([]);
});
