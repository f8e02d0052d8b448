import { IConstruct } from 'constructs';
import { FileBase } from 'projen';

/**
 * The files of a project's construct tree by absolute path, answering as projen's tryFindFile
 * (a search of the whole tree) answers, for the span of the project's constructor that adds its
 * own components.
 *
 * It relies on what projen's FileBase does: a new file first asks the root project for its
 * path (tryFindFile, which asks this index), then joins the tree. So a file added since the
 * index was built has a path the index was asked for and answered "none": such a path is kept
 * as pending, and asking for it again rebuilds the index from the tree. A path neither indexed
 * nor pending has no file. A file found is checked to still be in the tree (tryRemoveFile).
 */
export class FileIndex {
  private files?: Map<string, FileBase>;
  /** Paths answered "none" since the last build: a file for each may have been added since. */
  private readonly pending = new Set<string>();

  constructor(private readonly root: IConstruct) {}

  public find(absolutePath: string): FileBase | undefined {
    if (!this.files || this.pending.has(absolutePath)) this.rebuild();
    let file = this.files!.get(absolutePath);
    if (file && !this.inTree(file)) {
      this.rebuild();
      file = this.files!.get(absolutePath);
    }
    if (!file) this.pending.add(absolutePath);
    return file;
  }

  private rebuild(): void {
    const files = new Map<string, FileBase>();
    for (const c of this.root.node.findAll()) {
      // the first one in tree order wins, as in projen's search
      if (c instanceof FileBase && !files.has(c.absolutePath)) files.set(c.absolutePath, c);
    }
    this.files = files;
    this.pending.clear();
  }

  /** Whether every construct from `c` up is still its parent's child, up to the root. */
  private inTree(c: IConstruct): boolean {
    let node: IConstruct = c;
    for (let scope = node.node.scope; scope; scope = node.node.scope) {
      if (scope.node.tryFindChild(node.node.id) !== node) return false;
      node = scope;
    }
    return node === this.root;
  }
}
