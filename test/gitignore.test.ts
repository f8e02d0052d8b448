import { spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ObservabilityGitOpsProject } from '../src';
import { BASE, synthToDisk } from './util';
import { anchorPattern } from '../src/components/exact-gitignore';

/*
 * Names Git will not keep (issue 14): projen's default .gitignore patterns (`logs`, `pids`,
 * `coverage`, `lib-cov`, ...) matched at any depth, so a cluster or environment of that name had
 * its folders ignored, and git never looks inside an ignored folder. The generated .gitignore is
 * anchored at the root: every generated file reaches Git, whatever the names.
 */

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', args, {
    cwd,
    encoding: 'utf-8',
    env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' },
  });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

// The names projen's patterns would swallow (DNS-1123 labels, so valid cluster and environment names).
const NAMES = ['logs', 'pids', 'coverage', 'lib-cov'];

test('every generated file is committed, with clusters and environments named like ignore patterns', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'obs-gitops-gitignore-'));
  const project = new ObservabilityGitOpsProject({
    ...BASE,
    outdir,
    gitRepoUrl: 'https://github.com/acme/obs.git',
    environments: [{ name: 'logs' }, { name: 'coverage' }],
    clusters: NAMES.map((name, i) => ({ name, server: `https://k8s-${i}.example.com`, environment: i % 2 === 0 ? 'logs' : 'coverage' })),
  } as any);
  synthToDisk(project);
  git(outdir, 'init', '-q');
  git(outdir, 'add', '-A');
  const status = git(outdir, 'status', '--porcelain', '--ignored', '--untracked-files=all');
  const ignored = status.split('\n').filter((l) => l.startsWith('!! '));
  expect(ignored).toEqual([]);
  // and the named folders are really there, staged
  const staged = git(outdir, 'diff', '--cached', '--name-only').split('\n');
  for (const name of NAMES) expect(staged.some((f) => f.split('/').includes(name))).toBe(true);
  const managed: string[] = JSON.parse(readFileSync(join(outdir, '.projen/files.json'), 'utf-8')).files;
  for (const f of managed) expect(staged).toContain(f);
});

test('root-level debris is still ignored', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'obs-gitops-gitignore-root-'));
  synthToDisk(new ObservabilityGitOpsProject({ ...BASE, outdir, gitRepoUrl: 'https://github.com/acme/obs.git' } as any));
  git(outdir, 'init', '-q');
  for (const f of ['npm-debug.log', 'coverage/lcov.info', 'logs/x.log', 'node_modules/a/index.js']) {
    mkdirSync(join(outdir, f, '..'), { recursive: true });
    writeFileSync(join(outdir, f), 'x');
  }
  const ignored = git(outdir, 'status', '--porcelain', '--ignored').split('\n').filter((l) => l.startsWith('!! ')).map((l) => l.slice(3)).sort();
  expect(ignored).toEqual(['coverage/', 'logs/', 'node_modules/', 'npm-debug.log']);
});

test.each([
  ['logs', '/logs'], ['*.log', '/*.log'], ['node_modules/', '/node_modules/'], ['build/Release', 'build/Release'],
  ['/already', '/already'], ['!/keep.yaml', '!/keep.yaml'], ['# comment', '# comment'],
])('anchorPattern(%j) is %j', (pattern, anchored) => {
  expect(anchorPattern(pattern)).toBe(anchored);
});
