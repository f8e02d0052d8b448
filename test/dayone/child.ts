import { ChildProcess, spawn, spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** The child that synthesizes a project into a folder (test/dayone/synth-child.ts), run with ts-node. */
export const SYNTH_CHILD = path.join(__dirname, 'synth-child.ts');
const ROOT = path.join(__dirname, '..', '..');
const NODE_ARGS = ['-r', 'ts-node/register/transpile-only', SYNTH_CHILD];

/** Writes the options next to the folder and synthesizes them into `outdir` in a child process. */
export function synthInChild(outdir: string, options: object, env: NodeJS.ProcessEnv): SpawnSyncReturns<string> {
  const optionsFile = `${outdir}.options.json`;
  fs.writeFileSync(optionsFile, JSON.stringify(options));
  return spawnSync(process.execPath, [...NODE_ARGS, outdir, optionsFile], { cwd: ROOT, env, encoding: 'utf-8', timeout: 240_000 });
}

/** The same, not waited for: the kill test kills it. */
export function startSynthChild(outdir: string, optionsFile: string, env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [...NODE_ARGS, outdir, optionsFile], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Every file under `dir` (relative path → bytes), .git and node_modules left out. */
export function readTree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (e.name !== '.git' && e.name !== 'node_modules') walk(r);
      } else {
        out.set(r, fs.readFileSync(path.join(dir, r)));
      }
    }
  };
  walk('');
  return out;
}

/**
 * Gives a synthesized repository the `node_modules/.bin` that `npm install` would: `projen` (this
 * library's copy) and `obs-gitops` (run from this library's sources). Returns that folder.
 */
export function installBins(repo: string): string {
  const bin = path.join(repo, 'node_modules', '.bin');
  fs.mkdirSync(bin, { recursive: true });
  fs.symlinkSync(path.join(ROOT, 'node_modules', 'projen', 'bin', 'projen'), path.join(bin, 'projen'));
  fs.symlinkSync(path.join(__dirname, 'obs-gitops-from-src.js'), path.join(bin, 'obs-gitops'));
  return bin;
}
