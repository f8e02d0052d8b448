import * as fs from 'fs';
import * as path from 'path';
import { FileBase } from 'projen';

/*
 * projen's FileBase.synthesize leaves a file alone when its content and permissions are already
 * what it would write; it asks access(2) whether the file is writable to compare read-only-ness,
 * which is always yes for root, so as root every generated file was rewritten (and chmod-ed) on
 * every synth: 46 MB at 500 services. The generated files of this library check first with the
 * file's mode bits.
 *
 * Internal module: not exported from src/index.ts.
 */

/** The mode projen's writeFile gives a file (its util.getFilePermissions). */
function projenMode(readonly: boolean, executable: boolean): number {
  if (readonly) return executable ? 0o544 : 0o444;
  return executable ? 0o755 : 0o644;
}

/**
 * If `file` is on disk with exactly `content` and exactly the mode projen would give it, record
 * it as unchanged as projen's FileBase.synthesize does (`changed` is false) and return true: the
 * caller skips projen's synthesize, which would rewrite it. Otherwise false: projen writes it.
 */
export function keepIfUnchanged(file: FileBase, content: string | undefined): boolean {
  if (content === undefined || process.platform === 'win32') return false;
  const filePath = path.join(file.project.outdir, file.path);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(filePath);
  } catch {
    return false;
  }
  if (!stat.isFile() || stat.mode % 0o1000 !== projenMode(file.readonly, file.executable)) return false; // the permission bits
  if (stat.size !== Buffer.byteLength(content)) return false;
  const previous = fs.readFileSync(filePath, 'utf-8');
  if (previous !== content) return false;
  // what projen's synthesize records for an unchanged file (its `changed` getter reads _changed)
  const state = file as unknown as { _previousContent?: string; _newContent?: string; _changed?: boolean };
  // the same text as on disk: keep one copy alive, not two (46 MB more to carry at 500 services)
  state._previousContent = content;
  state._newContent = content;
  state._changed = false;
  file.project.logger.verbose(`no change in ${filePath}`);
  return true;
}
