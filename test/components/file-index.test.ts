import { isAbsolute, join } from 'path';
import { Component, Project, TextFile } from 'projen';
import { FileIndex } from '../../src/components/file-index';
import { newProject } from '../util';

/** What projen's own tryFindFile answers (a full search of the construct tree). */
function projenFind(project: Project, file: string) {
  return Project.prototype.tryFindFile.call(project, file);
}

/** A project whose tryFindFile (which every new file calls first) always answers from a FileIndex. */
class IndexedProject extends Project {
  public index?: FileIndex;
  public override tryFindFile(filePath: string) {
    if (!this.index) return super.tryFindFile(filePath);
    return this.index.find(isAbsolute(filePath) ? filePath : join(this.outdir, filePath));
  }
}

describe('FileIndex (tryFindFile while the project adds its components)', () => {
  test('answers like projen while files are added, nested and removed', () => {
    const project = new IndexedProject({ name: 'index' });
    new TextFile(project, 'a.txt', { lines: ['a'] });
    project.index = new FileIndex(project);
    const paths = ['a.txt', 'b.txt', 'c/d.txt', 'nested.txt', 'e.txt', 'missing.txt', 'README.md'];
    const check = () => {
      for (const p of paths) {
        const abs = join(project.outdir, p);
        expect([p, project.tryFindFile(abs)]).toEqual([p, projenFind(project, abs)]);
      }
    };
    new TextFile(project, 'b.txt', { lines: ['b'] });
    new TextFile(project, 'c/d.txt', { lines: ['d'] });
    // a component whose file is its child, not the project's
    const holder = new Component(project, 'holder');
    new TextFile(holder, 'nested.txt', { lines: ['n'] });
    check();
    expect(() => new TextFile(project, 'b.txt', { lines: ['twice'] })).toThrow(/There is already a file under b.txt/);
    expect(() => new TextFile(holder, 'c/d.txt', { lines: ['twice'] })).toThrow(/There is already a file under c\/d.txt/);
    project.tryRemoveFile('b.txt');
    check();
    new TextFile(project, 'b.txt', { lines: ['b again'] });
    new TextFile(project, 'e.txt', { lines: ['e'] });
    project.tryRemoveFile('a.txt');
    check();
    // a component holding a file goes away
    holder.node.scope?.node.tryRemoveChild(holder.node.id);
    check();
    new TextFile(project, 'nested.txt', { lines: ['n again'] });
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
    expect(project.tryFindFile('README.md')?.constructor.name).toBe('GeneratedTextFile');
    expect(project.files.filter((f) => f.path === 'README.md')).toHaveLength(1);
  });
});
