import * as fs from 'fs';
import * as path from 'path';

/*
 * Every file a synth writes goes through a temp file and a rename, so a killed re-sync (Ctrl-C,
 * SIGKILL, a CI timeout) leaves each file either as it was or as it should be, never empty or cut
 * short. projen writes in place (truncate, then write): a re-sync killed at the wrong moment left
 * 0-byte files and a truncated `.projen/files.json`, and with that manifest unreadable projen's next
 * cleanup fell back to deleting every file that carries its marker, a user's copy of a generated
 * file under values/overrides/ included.
 *
 * projen's files (FileBase.synthesize, SampleFile, package.json after install) all write through
 * `writeFile` of projen's util module, read from the module at each call: for the duration of the
 * synth it is replaced by `writeFileAtomic` below and put back afterwards.
 *
 * rename(2) within one file system replaces the target in one step. This protects against the
 * process dying; it does not fsync, so it does not protect against the machine losing power.
 *
 * Internal module: not exported from src/index.ts.
 */

/** Folder (under the project) that holds files being written; a killed synth may leave it behind. */
export const WRITING_DIR = path.join('.projen', '.writing');

/** The mode projen's writeFile gives a file (its util.getFilePermissions). */
function projenMode(options: { readonly?: boolean; executable?: boolean }): number {
  if (options.readonly) return options.executable ? 0o544 : 0o444;
  return options.executable ? 0o755 : 0o644;
}

let counter = 0;

/**
 * Writes `data` to `filePath` with projen's permissions (projen's `util.writeFile` contract) by
 * writing a temp file in `tmpDir` and renaming it over the target. If the rename crosses file
 * systems (EXDEV), the temp file is written beside the target instead.
 */
export function writeFileAtomic(tmpDir: string, filePath: string, data: string | Buffer,
  options: { readonly?: boolean; executable?: boolean } = {}): void {
  fs.mkdirSync(path.dirname(filePath), { recursive: true });
  const name = `${process.pid}-${++counter}-${path.basename(filePath)}`;
  const write = (tmp: string) => {
    fs.writeFileSync(tmp, data, { mode: 0o600 });
    fs.chmodSync(tmp, projenMode(options));
    fs.renameSync(tmp, filePath);
  };
  fs.mkdirSync(tmpDir, { recursive: true });
  const tmp = path.join(tmpDir, name);
  try {
    write(tmp);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
    const beside = path.join(path.dirname(filePath), `.${name}.tmp`);
    try {
      write(beside);
    } finally {
      fs.rmSync(beside, { force: true });
    }
  }
}

/** projen's util module, whose `writeFile` every projen file calls. */
function projenUtil(): { writeFile: (filePath: string, data: any, options?: any) => void } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('projen/lib/util');
}

/**
 * Runs `synth` with every projen file write made atomic (temp file in `<outdir>/.projen/.writing`,
 * then rename). Temp files left by a killed earlier synth are removed first; the folder is removed
 * when the synth ends.
 */
export function withAtomicWrites(outdir: string, synth: () => void): void {
  const tmpDir = path.join(outdir, WRITING_DIR);
  fs.rmSync(tmpDir, { recursive: true, force: true });
  const util = projenUtil();
  const original = util.writeFile;
  if (typeof original !== 'function') {
    throw new Error('obs-gitops-template: projen/lib/util no longer has writeFile; atomic writes need an update for this projen version');
  }
  util.writeFile = (filePath, data, options) => writeFileAtomic(tmpDir, filePath, data, options);
  try {
    synth();
  } finally {
    util.writeFile = original;
    fs.rmSync(tmpDir, { recursive: true, force: true });
  }
}
