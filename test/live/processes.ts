import { ChildProcess, spawn } from 'child_process';
import { accessSync, closeSync, constants, existsSync, openSync, readFileSync } from 'fs';
import * as http from 'http';
import { AddressInfo, createServer } from 'net';
import { delimiter, join } from 'path';

/*
 * Child processes and HTTP on 127.0.0.1 for the live tests: find a binary,
 * pick a free port, start a server with its output in a log file, wait until
 * it is ready, and stop it by PID (SIGTERM, then SIGKILL after a timeout).
 * Every wait is bounded.
 */

/** The path of an executable: /usr/bin/<name> (the Debian packages), else the first on PATH; undefined when absent. */
export function findExecutable(name: string): string | undefined {
  const dirs = ['/usr/bin', ...(process.env.PATH ?? '').split(delimiter).filter((d) => d !== '')];
  for (const dir of dirs) {
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** GET `url` (on 127.0.0.1) with Node's http, which applies no proxy from the environment. */
export function httpGet(url: string, timeoutMs = 5_000): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${url}: no answer within ${timeoutMs}ms`)));
    req.on('error', reject);
  });
}

/** GET a JSON document; throws on a non-2xx status. */
export async function getJson(url: string): Promise<any> {
  const r = await httpGet(url);
  if (r.status < 200 || r.status >= 300) throw new Error(`GET ${url}: HTTP ${r.status}: ${r.text.slice(0, 500)}`);
  return JSON.parse(r.text);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Poll `check` every `intervalMs` until it returns something other than
 * undefined, for at most `timeoutMs`; then throw naming `what`, the last error
 * of `check` if any, and what `diagnostics` reports.
 */
export async function waitFor<T>(
  what: string,
  timeoutMs: number,
  check: () => Promise<T | undefined> | T | undefined,
  diagnostics: () => Promise<string>,
  intervalMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const result = await check();
      if (result !== undefined) return result;
      lastError = undefined;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() >= deadline) break;
    await sleep(Math.min(intervalMs, Math.max(0, deadline - Date.now())));
  }
  const why = lastError ? `\nlast error: ${(lastError as Error).message}` : '';
  throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}${why}\n${await diagnostics()}`);
}

/** The last `lines` lines of a file ('' when it does not exist). */
export function tail(file: string, lines = 15): string {
  if (!existsSync(file)) return '';
  return readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').slice(-lines).join('\n');
}

/** Whether `exited` settles within `ms` (the timer is cleared either way, so nothing is left pending). */
async function exitsWithin(exited: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), ms); });
  try {
    return await Promise.race([exited.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A server started by the test: its process, and its log file. */
export class ServerProcess {
  private readonly child: ChildProcess;
  private exited = false;
  private exitCode: number | null = null;
  private exitSignal: NodeJS.Signals | null = null;
  private readonly exitedPromise: Promise<void>;

  constructor(readonly name: string, readonly binary: string, readonly args: readonly string[], readonly logFile: string) {
    const fd = openSync(logFile, 'a');
    try {
      this.child = spawn(binary, [...args], { stdio: ['ignore', fd, fd] });
    } finally {
      closeSync(fd);
    }
    this.exitedPromise = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exited = true;
        this.exitCode = code;
        this.exitSignal = signal;
        resolve();
      });
      // Spawn failures (ENOENT, EACCES) arrive here instead of an exit.
      this.child.once('error', () => {
        this.exited = true;
        this.exitCode = -1;
        resolve();
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return !this.exited;
  }

  /** How it ended, with the end of its log. */
  describeExit(): string {
    return `${this.name} (${this.binary}) exited with ${this.exitSignal ?? `code ${this.exitCode}`}; end of ${this.logFile}:\n${tail(this.logFile, 25)}`;
  }

  /** Poll GET `url` until HTTP 200; fail early if the process exits. */
  async waitReady(url: string, timeoutMs: number): Promise<void> {
    await waitFor(`${this.name} to answer GET ${url} with 200`, timeoutMs, async () => {
      if (!this.running) throw new Error(this.describeExit());
      const r = await httpGet(url, 1_000);
      return r.status === 200 ? true : undefined;
    }, async () => `end of ${this.logFile}:\n${tail(this.logFile, 25)}`);
  }

  /** SIGTERM by PID, then SIGKILL if it is still running after `graceMs`. */
  async stop(graceMs = 5_000): Promise<void> {
    const pid = this.child.pid;
    if (this.exited || pid === undefined) return;
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      return; // already gone
    }
    if (await exitsWithin(this.exitedPromise, graceMs)) return;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      return;
    }
    await exitsWithin(this.exitedPromise, 2_000);
  }
}
