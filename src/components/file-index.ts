import { IConstruct } from 'constructs';
import { FileBase } from 'projen';

/**
 * The files of a project's construct tree by absolute path, as projen's tryFindFile finds
 * them, for the span of the project's constructor that adds its own components. In that span
 * constructs are added as children of the project (components and the files they create with
 * the project as scope): the index takes in the subtrees of children added since it last
 * looked, and starts over from the whole tree if a child went away (tryRemoveFile). A file it
 * finds is checked to still be in the tree.
 */
export class FileIndex {
  private readonly files = new Map<string, FileBase>();
  private children: IConstruct[] = [];

  constructor(private readonly root: IConstruct) {}

  public find(absolutePath: string): FileBase | undefined {
    this.catchUp();
    const file = this.files.get(absolutePath);
    if (file && file.node.scope?.node.tryFindChild(file.node.id) !== file) return this.rebuildAndFind(absolutePath);
    return file;
  }

  private catchUp(): void {
    const now = this.root.node.children;
    const known = this.children;
    if (now.length < known.length || (known.length > 0 && now[known.length - 1] !== known[known.length - 1])) {
      this.rebuild(now);
      return;
    }
    for (let i = known.length; i < now.length; i++) this.add(now[i]);
    this.children = now;
  }

  private rebuildAndFind(absolutePath: string): FileBase | undefined {
    this.rebuild(this.root.node.children);
    return this.files.get(absolutePath);
  }

  private rebuild(children: IConstruct[]): void {
    this.files.clear();
    for (const child of children) this.add(child);
    this.children = children;
  }

  private add(construct: IConstruct): void {
    for (const c of construct.node.findAll()) {
      // the first one in tree order wins, as in projen's search
      if (c instanceof FileBase && !this.files.has(c.absolutePath)) this.files.set(c.absolutePath, c);
    }
  }
}
