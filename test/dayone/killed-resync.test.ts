import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readTree, startSynthChild, synthInChild } from './child';
import { WRITING_DIR, writeFileAtomic } from '../../src/components/atomic-write';

/*
 * A re-sync killed at any moment leaves every file either as it was or as it should be: never
 * empty, never cut short (projen wrote in place; a killed re-sync left 0-byte files and a truncated
 * .projen/files.json, after which projen's cleanup deleted a user's copy of a generated file).
 *
 * A real synth of 300 services runs in a child process and is killed with SIGKILL at several points
 * of its writing; before each kill it is frozen (SIGSTOP) at dozens of instants, each a point where a
 * kill would leave the files exactly as they are (a stopped process writes nothing more, as a
 * killed one). At every such instant and after each kill, every file must equal, byte for byte,
 * its version from one of the two configurations, and a full re-sync afterwards must give exactly
 * the configuration's files and keep the user's file in values/overrides/.
 */

const SERVICES = Array.from({ length: 300 }, (_, i) => ({
  name: `svc-${String(i).padStart(3, '0')}`,
  namespace: `ns-${i % 7}`,
  port: 'http-metrics',
  slos: [{ kind: 'availability', objective: 99.9 }],
}));
const A = { name: 'obs-kill', defaultReleaseBranch: 'main', gitRepoUrl: 'https://github.com/acme/observability.git', services: SERVICES };
/** Changes every Application (revision) and every service's files (objective), drops 20 services (and so changes .projen/files.json). */
const B = {
  ...A,
  gitRevision: 'release-2',
  services: SERVICES.slice(0, 280).map((s) => ({ ...s, slos: [{ kind: 'availability', objective: 99.5 }] })),
};

const USER_FILE = 'values/overrides/kube-prometheus-stack.yaml';
const ENV = { ...process.env, PROJEN_DISABLE_POST: 'true' };

jest.setTimeout(900_000);

let tmp: string;
beforeAll(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'obs-kill-')); });
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function synthOk(outdir: string, options: object): void {
  const r = synthInChild(outdir, options, ENV);
  if (r.status !== 0) throw new Error(`synth of ${outdir} failed (${r.status} ${r.signal}):\n${r.stderr}`);
}

/** The state letter of a process in /proc (T: stopped). */
function processState(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/stat`, 'utf-8').replace(/^.*\) /s, '')[0];
  } catch {
    return 'gone';
  }
}

/**
 * Runs a re-sync of `dir` to `options` in a child. With `killAfterMs`, the child is frozen
 * (SIGSTOP) every few milliseconds from the start of its synth, `inspect` looks at the files as a
 * kill at that instant would leave them, and the child goes on (SIGCONT); `killAfterMs` into its
 * synth it gets SIGKILL, and `inspect` looks once more. Resolves how long the synth ran, whether
 * the child was still running when killed, and how many instants were inspected.
 */
async function resync(dir: string, options: object, killAfterMs?: number,
  inspect?: () => void): Promise<{ ms: number; running: boolean; probes: number }> {
  const id = `${Date.now()}-${Math.random()}`;
  const optionsFile = path.join(tmp, `options-${id}.json`);
  fs.writeFileSync(optionsFile, JSON.stringify(options));
  const ready = path.join(tmp, `ready-${id}`);
  const child = startSynthChild(dir, optionsFile, { ...ENV, SYNTH_CHILD_READY: ready });
  let stderr = '';
  child.stderr!.on('data', (d) => { stderr += d; });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const alive = () => child.exitCode === null && child.signalCode === null;
  while (!fs.existsSync(ready) && alive()) await sleep(2);
  if (!fs.existsSync(ready)) throw new Error(`the synth child ended before its synth started:\n${stderr}`);
  const started = Date.now();
  let running = false;
  let probes = 0;
  if (killAfterMs !== undefined) {
    let ran = 0; // time the child ran (not frozen) since its synth started
    while (alive() && ran < killAfterMs) {
      const slice = Math.min(killAfterMs - ran, 5 + Math.floor(Math.random() * 20));
      const from = Date.now();
      await sleep(slice);
      ran += Date.now() - from;
      if (!alive() || ran >= killAfterMs) break;
      child.kill('SIGSTOP');
      while (alive() && processState(child.pid!) !== 'T' && processState(child.pid!) !== 'gone') await sleep(1);
      if (alive()) {
        inspect?.();
        probes++;
      }
      child.kill('SIGCONT');
    }
    running = alive();
    child.kill('SIGKILL');
  }
  await exited;
  if (killAfterMs === undefined && child.exitCode !== 0) throw new Error(`re-sync failed (${child.exitCode}):\n${stderr}`);
  if (killAfterMs !== undefined) inspect?.();
  return { ms: Date.now() - started, running, probes };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('a re-sync killed with SIGKILL at several points never leaves an empty or truncated file, and the next re-sync repairs everything and keeps the user file', async () => {
  // the two configurations, each synthesized completely: the only contents a file may have
  const refA = path.join(tmp, 'a');
  synthOk(refA, A);
  const refB = path.join(tmp, 'b');
  execFileSync('cp', ['-a', refA, refB]);
  const { ms: synthMs } = await resync(refB, B);
  const a = readTree(refA);
  const b = readTree(refB);
  expect(a.size).toBeGreaterThan(900);
  expect(a.get('.projen/files.json')!.equals(b.get('.projen/files.json')!)).toBe(false);
  const changed = [...a.keys()].filter((f) => b.has(f) && !a.get(f)!.equals(b.get(f)!));
  expect(changed.length).toBeGreaterThan(300);

  // the user's repository: configuration A, and a copy of a generated file (marker included) as an override
  const repo = path.join(tmp, 'repo');
  execFileSync('cp', ['-a', refA, repo]);
  const userText = fs.readFileSync(path.join(repo, 'values/kube-prometheus-stack.yaml'), 'utf-8') + '# mine\n';
  fs.writeFileSync(path.join(repo, USER_FILE), userText);

  /** Every file as a kill now would leave it: its content from A or from B, never anything else. */
  const bad: string[] = [];
  let mixed = 0;
  const inspect = () => {
    const tree = readTree(repo);
    let fromA = 0;
    let fromB = 0;
    for (const [file, bytes] of tree) {
      if (file === USER_FILE || file.startsWith(`${WRITING_DIR}/`)) continue;
      if (bytes.length === 0) bad.push(`${file}: empty`);
      else if (a.get(file)?.equals(bytes)) fromA += b.get(file)?.equals(bytes) ? 0 : 1;
      else if (b.get(file)?.equals(bytes)) fromB++;
      else bad.push(`${file}: ${bytes.length} bytes, neither configuration's content`);
    }
    const manifest = tree.get('.projen/files.json');
    if (!manifest) bad.push('.projen/files.json: missing');
    if (tree.get(USER_FILE)?.toString() !== userText) bad.push(`${USER_FILE}: changed or deleted`);
    if (fromA > 0 && fromB > 0) mixed++;
  };

  // three re-syncs, alternately to B and A, each inspected at many instants and killed at a
  // different point of the time the synth (after loading and building the model) took above.
  // A re-sync that finished before its kill (the machine's load moves the timing) is tried
  // again, killed sooner, up to three times per point.
  let interrupted = 0;
  let probes = 0;
  let toB = true;
  for (const fraction of [0.3, 0.55, 0.8]) {
    for (let attempt = 0; attempt < 3; attempt++) {
      const run = await resync(repo, toB ? B : A, Math.round(fraction * 0.6 ** attempt * synthMs), inspect);
      toB = !toB;
      probes += run.probes;
      if (run.running) {
        interrupted++;
        break;
      }
    }
  }
  expect(bad.slice(0, 20)).toEqual([]);
  // the kills really came in the middle of writing (the machine's load moves the timing a little)
  expect(interrupted).toBeGreaterThanOrEqual(2);
  expect(probes).toBeGreaterThan(10); // fewer on a loaded machine: each probe pauses the child
  expect(mixed).toBeGreaterThanOrEqual(5);

  // a full re-sync: exactly configuration A, the user's file kept, no temp files left
  await resync(repo, A);
  const after = readTree(repo);
  expect(after.get(USER_FILE)!.toString()).toBe(userText);
  after.delete(USER_FILE);
  expect([...after.keys()].sort()).toEqual([...a.keys()].sort());
  expect([...after.keys()].filter((f) => !after.get(f)!.equals(a.get(f)!))).toEqual([]);
  expect(fs.existsSync(path.join(repo, WRITING_DIR))).toBe(false);
  expect(a.get('.gitignore')!.toString()).toContain(`/${WRITING_DIR}/`);
});
describe('writeFileAtomic', () => {
  test('replaces a read-only file with projen\'s modes and leaves no temp file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'obs-atomic-'));
    const tmpDir = path.join(dir, WRITING_DIR);
    const file = path.join(dir, 'a', 'b.yaml');
    writeFileAtomic(tmpDir, file, 'one\n', { readonly: true });
    expect(fs.statSync(file).mode % 0o1000).toBe(0o444);
    const inode = fs.statSync(file).ino;
    writeFileAtomic(tmpDir, file, 'two\n', { readonly: true, executable: true });
    expect(fs.readFileSync(file, 'utf-8')).toBe('two\n');
    expect(fs.statSync(file).mode % 0o1000).toBe(0o544);
    expect(fs.statSync(file).ino).not.toBe(inode); // a new file renamed over the old one
    writeFileAtomic(tmpDir, file, 'three\n', {});
    expect(fs.statSync(file).mode % 0o1000).toBe(0o644);
    expect(fs.readdirSync(tmpDir)).toEqual([]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
