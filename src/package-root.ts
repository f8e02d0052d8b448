import * as fs from 'fs';
import * as path from 'path';

const PACKAGE_NAME = 'obs-gitops-template';

let root: string | undefined;

/**
 * The library's package root (where templates/ and reference/ are): the
 * nearest folder above this module with this library's package.json. Works
 * from src/ (ts-jest) and lib/ (compiled, also inside node_modules).
 */
export function packageRoot(): string {
  if (root) return root;
  let dir = __dirname;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      try {
        if (JSON.parse(fs.readFileSync(manifest, 'utf8')).name === PACKAGE_NAME) {
          root = dir;
          return dir;
        }
      } catch {
        // not a readable package.json: keep looking upwards
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`${PACKAGE_NAME}: cannot find the package root above ${__dirname}`);
    dir = parent;
  }
}
