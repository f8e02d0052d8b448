import { spawnSync } from 'child_process';
import * as os from 'os';

/*
 * Run several commands at once from synchronous code: `obs-gitops validate`
 * is synchronous (its checks return results, the CLI an exit code), and Node
 * has no synchronous way to wait for more than one child. A short-lived Node
 * child spawns the commands, at most `concurrency` at a time, and reports
 * every outcome as JSON on its stdout.
 */

/** One command to run. */
export interface ParallelCommand {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
}

/** What a command did. */
export interface ParallelResult {
  /** Exit code; null when it could not start or was killed. */
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Why it did not start (ENOENT: not installed), if so. */
  readonly error?: string;
}

/** How many commands run at once by default: the machine's cores (at least 1, at most 8). */
export function defaultConcurrency(): number {
  const env = Number(process.env.OBS_GITOPS_JOBS);
  if (Number.isInteger(env) && env >= 1) return env;
  return Math.max(1, Math.min(8, os.cpus().length));
}

// The child: reads the commands as JSON from stdin, runs them, writes the results as JSON.
const RUNNER = `
const { spawn } = require('child_process');
let input = '';
process.stdin.on('data', (d) => { input += d; });
process.stdin.on('end', () => {
  const { commands, concurrency } = JSON.parse(input);
  const results = new Array(commands.length);
  let next = 0;
  let running = 0;
  const start = () => {
    while (running < concurrency && next < commands.length) {
      const i = next++;
      const c = commands[i];
      running++;
      const out = [];
      const err = [];
      let error;
      const child = spawn(c.command, c.args, { cwd: c.cwd });
      child.stdout.on('data', (d) => out.push(d));
      child.stderr.on('data', (d) => err.push(d));
      child.on('error', (e) => { error = e.code || e.message; });
      child.on('close', (status) => {
        results[i] = { status, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), ...(error ? { error } : {}) };
        running--;
        if (next >= commands.length && running === 0) process.stdout.write(JSON.stringify(results));
        else start();
      });
    }
  };
  if (commands.length === 0) process.stdout.write('[]');
  else start();
});
`;

/**
 * Run `commands`, at most `concurrency` at a time; results in the order of
 * `commands`. One command runs in-process (no helper child).
 */
export function runParallel(commands: readonly ParallelCommand[], concurrency = defaultConcurrency()): ParallelResult[] {
  if (commands.length <= 1 || concurrency <= 1) {
    return commands.map((c) => {
      const r = spawnSync(c.command, c.args, { cwd: c.cwd, encoding: 'utf-8', maxBuffer: 256 * 1024 * 1024 });
      return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', ...(r.error ? { error: (r.error as NodeJS.ErrnoException).code ?? r.error.message } : {}) };
    });
  }
  const r = spawnSync(process.execPath, ['-e', RUNNER], {
    input: JSON.stringify({ commands, concurrency }),
    encoding: 'utf-8',
    maxBuffer: 1024 * 1024 * 1024,
  });
  if (r.status !== 0 || r.error) {
    throw new Error(`obs-gitops validate: the parallel runner failed (${r.error?.message ?? `exit ${r.status}`}): ${r.stderr}`);
  }
  return JSON.parse(r.stdout) as ParallelResult[];
}
