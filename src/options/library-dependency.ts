import * as path from 'path';

/** How the generated repository depends on obs-gitops-template. */
export interface LibraryDependency {
  /**
   * The repository-relative path of the tarball, when the dependency is a
   * `file:` path inside the repository (what `npx projen scaffold` writes:
   * `file:vendor/obs-gitops-template-<version>.tgz`).
   */
  readonly vendored?: string;
  /** What the user should know (a `file:` path outside the repository). */
  readonly warnings: string[];
}

/**
 * Reads the library's dependency spec from `devDeps` (what `projen new --from`
 * put there: `obs-gitops-template` from a registry, which projen turns into
 * `^<installed version>`, or `obs-gitops-template@file:<path>` from a tarball).
 */
export function libraryDependency(library: string, devDeps: string[]): LibraryDependency {
  const spec = devDeps.find((d) => d === library || d.startsWith(`${library}@`));
  const version = spec?.slice(library.length + 1) ?? '';
  if (!version.startsWith('file:')) return { warnings: [] };
  const file = version.slice('file:'.length);
  const normal = path.posix.normalize(file.replace(/\\/g, '/'));
  if (path.isAbsolute(file) || /^[A-Za-z]:/.test(file) || normal === '..' || normal.startsWith('../')) {
    return {
      warnings: [`${library} is installed from ${file}, outside this repository: a clone on another machine cannot run npm ci. ` +
        `Scaffold with \`npx projen scaffold\` (it commits the tarball under vendor/), or depend on the published package: devDeps: ['${library}@^<version>'].`],
    };
  }
  return { vendored: normal.replace(/^\.\//, ''), warnings: [] };
}
