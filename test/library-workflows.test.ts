/**
 * The library's own workflows, as projen generates them from .projenrc.ts:
 * releases publish to npm with provenance through trusted publishing, every
 * action is pinned to a commit SHA, and jobs get only the permissions they need.
 */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import * as YAML from 'yaml';

const WORKFLOWS = join(__dirname, '..', '.github', 'workflows');
const files = readdirSync(WORKFLOWS).filter((f) => f.endsWith('.yml')).sort();
const workflow = (name: string) => YAML.parse(readFileSync(join(WORKFLOWS, name), 'utf-8'));

test('the library has build, release and upgrade workflows', () => {
  expect(files).toEqual(expect.arrayContaining(['build.yml', 'release.yml', 'upgrade-main.yml']));
});

test.each(files)('%s: every action is pinned to a full commit SHA', (name) => {
  const uses = readFileSync(join(WORKFLOWS, name), 'utf-8').split('\n').filter((l) => /^\s*(- )?uses:/.test(l));
  for (const line of uses) expect(line).toMatch(/uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
});

test.each(files)('%s: no job may write more than contents, pull requests or its OIDC token, and none gets write-all', (name) => {
  const wf = workflow(name);
  expect(wf.permissions).not.toBe('write-all');
  for (const [id, job] of Object.entries<any>(wf.jobs)) {
    expect([id, job.permissions]).toEqual([id, expect.any(Object)]);
    for (const [scope, level] of Object.entries(job.permissions)) {
      if (level === 'write') expect(['contents', 'pull-requests', 'id-token']).toContain(scope);
    }
  }
});

describe('release.yml', () => {
  const wf = workflow('release.yml');

  test('runs on pushes to main and can be a dry run', () => {
    expect(wf.on.push.branches).toEqual(['main']);
    expect(wf.on.workflow_dispatch.inputs.dry_run.type).toBe('boolean');
  });

  test('publishes to npm with provenance through trusted publishing (an OIDC token, no npm token secret)', () => {
    const npm = wf.jobs.release_npm;
    expect(npm.permissions).toEqual({ 'id-token': 'write', 'contents': 'read' });
    const publish = npm.steps.find((s: any) => String(s.run ?? '').includes('publib-npm'));
    expect(publish.env).toMatchObject({ NPM_CONFIG_PROVENANCE: 'true', NPM_TRUSTED_PUBLISHER: 'true' });
    expect(publish.run).toMatch(/publib@\d+\.\d+\.\d+/); // a fixed version, not latest
    expect(JSON.stringify(wf)).not.toMatch(/NPM_TOKEN/);
  });

  test('only the jobs that tag and create the GitHub release write contents; publishing reads', () => {
    const writers = Object.entries<any>(wf.jobs).filter(([, j]) => j.permissions.contents === 'write').map(([id]) => id).sort();
    expect(writers).toEqual(['release', 'release_github']);
  });

  test('the version comes from the conventional commits (projen release: bump, build, unbump)', () => {
    expect(wf.jobs.release.steps.map((s: any) => s.run)).toContain('npx projen release');
    const tasks = JSON.parse(readFileSync(join(__dirname, '..', '.projen', 'tasks.json'), 'utf-8')).tasks;
    expect(tasks.release.steps.map((s: any) => s.spawn).filter(Boolean)).toEqual(['bump', 'build', 'unbump']);
    // only feat and fix commits make a release
    expect(tasks['bump:releasable-commits'].steps[0].exec).toContain('^(feat|fix)');
  });
});

test('the library and its workflows run Node.js 24 (Active LTS); engines allow the maintained LTS lines', () => {
  for (const name of files) {
    for (const line of readFileSync(join(WORKFLOWS, name), 'utf-8').split('\n').filter((l) => l.includes('node-version:'))) {
      expect(line).toMatch(/node-version: "24"/);
    }
  }
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf-8'));
  expect(pkg.engines.node).toBe('>= 22.0.0');
});
