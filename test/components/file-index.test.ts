import { join } from 'path';
import { Component, Project, TextFile } from 'projen';
import { FileIndex } from '../../src/components/file-index';
import { newProject } from '../util';

/** What projen's own tryFindFile answers (a full search of the construct tree). */
function projenFind(project: Project, file: string) {
  return Project.prototype.tryFindFile.call(project, file);
}

describe('FileIndex (tryFindFile while the project adds its components)', () => {
  test('answers like projen while files are added, nested and removed', () => {
    const project = new Project({ name: 'index' });
    new TextFile(project, 'a.txt', { lines: ['a'] });
    const index = new FileIndex(project);
    const paths = ['a.txt', 'b.txt', 'c/d.txt', 'nested.txt', 'missing.txt', 'README.md'];
    const check = () => {
      for (const p of paths) {
        const abs = join(project.outdir, p);
        expect([p, index.find(abs)]).toEqual([p, projenFind(project, abs)]);
      }
    };
    check();
    new TextFile(project, 'b.txt', { lines: ['b'] });
    new TextFile(project, 'c/d.txt', { lines: ['d'] });
    check();
    // a component whose file is its child, not the project's
    const holder = new Component(project, 'holder');
    new TextFile(holder, 'nested.txt', { lines: ['n'] });
    check();
    project.tryRemoveFile('b.txt');
    check();
    new TextFile(project, 'b.txt', { lines: ['b again'] });
    project.tryRemoveFile('a.txt');
    check();
  });

  test('the project finds its files during and after construction, and refuses a second file at a path', () => {
    const project = newProject();
    const root = project.tryFindFile('argocd/root.yaml');
    expect(root?.path).toBe('argocd/root.yaml');
    expect(project.tryFindFile(join(project.outdir, 'argocd/root.yaml'))).toBe(root);
    expect(project.tryFindFile('no/such/file.yaml')).toBeUndefined();
    expect(() => new TextFile(project, 'argocd/root.yaml', { lines: [] })).toThrow(/There is already a file under argocd\/root.yaml/);
    // the base project's sample README was removed before the generated one was added
    expect(project.tryFindFile('README.md')?.constructor.name).toBe('TextFile');
    expect(project.files.filter((f) => f.path === 'README.md')).toHaveLength(1);
  });
});
