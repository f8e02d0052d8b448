import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/*
 * `npx projen scaffold <dir>` refuses a target that is not an empty folder before it compiles and
 * packs the library (which takes a minute): the refusal comes back at once and `.scaffold/` (where
 * the packed tarball goes) is untouched.
 */
const ROOT = path.join(__dirname, '..', '..');
const SCRIPT = path.join(ROOT, 'scripts', 'scaffold.sh');

function scaffoldDirState(): string[] {
  const dir = path.join(ROOT, '.scaffold');
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).sort().map((f) => `${f} ${fs.statSync(path.join(dir, f)).mtimeMs}`);
}

describe('scripts/scaffold.sh', () => {
  let tmp: string;
  beforeEach(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scaffold-guard-')); });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test.each([
    ['a folder with a file in it', (d: string) => { fs.writeFileSync(path.join(d, 'notes.txt'), 'mine'); return d; }],
    ['a folder with only a dot-file', (d: string) => { fs.mkdirSync(path.join(d, '.git')); return d; }],
    ['a path that is a file', (d: string) => { const f = path.join(d, 'file'); fs.writeFileSync(f, ''); return f; }],
  ])('refuses %s before building anything', (_name, make) => {
    const target = make(tmp);
    const before = scaffoldDirState();
    const started = Date.now();
    const r = spawnSync('bash', [SCRIPT, target, '--no-git'], { cwd: ROOT, encoding: 'utf-8' });
    const took = Date.now() - started;
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`scaffold: ${target} is not an empty folder`);
    // nothing was compiled or packed: no compiler output, the tarball folder unchanged, and fast
    expect(r.stdout).toBe('');
    expect(scaffoldDirState()).toEqual(before);
    expect(took).toBeLessThan(5_000);
    if (fs.statSync(target).isDirectory()) expect(fs.readdirSync(target).length).toBe(1);
  });

  test('without a target it prints its usage', () => {
    const r = spawnSync('bash', [SCRIPT], { cwd: ROOT, encoding: 'utf-8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('usage: npx projen scaffold <empty-dir>');
  });
});
