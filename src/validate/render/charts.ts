import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { Helm, runHelm } from './helm';

/**
 * Where the render stage finds a chart at its pin: a local folder of charts
 * (`--charts DIR`: `<name>-<version>.tgz` packages or unpacked `<name>/`
 * folders), the cache, or `helm pull` from the Application's `repoURL` (an
 * HTTP Helm repository or an OCI registry) into the cache, by name and version.
 */

export interface ChartSources {
  /** `--charts DIR`. */
  readonly chartsDir?: string;
  /** Where pulled packages are kept (see defaultChartCache). */
  readonly cacheDir: string;
  /** Never pull (`--offline`): a chart not found locally is NOT CHECKED. */
  readonly offline: boolean;
}

/** A chart found: its package or folder. */
export interface ChartFound {
  readonly path: string;
  /** Where it came from, for the summary line. */
  readonly origin: 'charts dir' | 'cache' | 'pulled';
}

/** A chart that could not be had, and why. */
export interface ChartUnavailable {
  readonly unavailable: string;
}

/** `$XDG_CACHE_HOME/obs-gitops/charts` (default `~/.cache/obs-gitops/charts`). */
export function defaultChartCache(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(os.homedir(), '.cache');
  return path.join(base, 'obs-gitops', 'charts');
}

/** Finds charts, pulling each (name, version) at most once per run. */
export class ChartLocator {
  private readonly pulls = new Map<string, Promise<ChartFound | ChartUnavailable>>();

  constructor(private readonly helm: Helm, private readonly sources: ChartSources) {}

  /** The chart `name` at `version` from `repoUrl`. */
  public locate(repoUrl: string, name: string, version: string): Promise<ChartFound | ChartUnavailable> {
    const local = this.findLocal(name, version);
    if (local) return Promise.resolve(local);
    if (this.sources.offline) {
      const where = this.sources.chartsDir ? `${this.sources.chartsDir} or the cache (${this.sources.cacheDir})` : `the cache (${this.sources.cacheDir})`;
      return Promise.resolve({ unavailable: `${name} ${version} is not in ${where}, and --offline forbids helm pull` });
    }
    const key = `${name}@${version}`;
    let pull = this.pulls.get(key);
    if (!pull) {
      pull = this.pull(repoUrl, name, version);
      this.pulls.set(key, pull);
    }
    return pull;
  }

  private findLocal(name: string, version: string): ChartFound | undefined {
    const dir = this.sources.chartsDir;
    if (dir) {
      const pkg = path.join(dir, `${name}-${version}.tgz`);
      if (fs.existsSync(pkg)) return { path: pkg, origin: 'charts dir' };
      for (const folder of [path.join(dir, name), path.join(dir, `${name}-${version}`)]) {
        if (chartFolderVersion(folder) === version) return { path: folder, origin: 'charts dir' };
      }
    }
    const cached = path.join(this.sources.cacheDir, `${name}-${version}.tgz`);
    if (fs.existsSync(cached)) return { path: cached, origin: 'cache' };
    return undefined;
  }

  private async pull(repoUrl: string, name: string, version: string): Promise<ChartFound | ChartUnavailable> {
    fs.mkdirSync(this.sources.cacheDir, { recursive: true });
    const tmp = fs.mkdtempSync(path.join(this.sources.cacheDir, '.pull-'));
    try {
      const oci = ociReference(repoUrl, name);
      const argv = oci
        ? ['pull', oci, '--version', version, '--destination', tmp]
        : ['pull', name, '--repo', repoUrl, '--version', version, '--destination', tmp];
      const r = await runHelm(this.helm, argv);
      const file = fs.readdirSync(tmp).find((f) => f.endsWith('.tgz'));
      if (!r.ok || !file) {
        const why = firstLine(r.stderr) || 'helm pull wrote no package';
        return { unavailable: `helm pull ${name} ${version} from ${repoUrl} failed: ${why}` };
      }
      const target = path.join(this.sources.cacheDir, `${name}-${version}.tgz`);
      fs.renameSync(path.join(tmp, file), target);
      return { path: target, origin: 'pulled' };
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
}

/**
 * The `oci://` reference of a chart in an OCI registry, or undefined for an
 * HTTP repository. Argo CD writes OCI repositories without a scheme
 * (`registry-1.docker.io/bitnamicharts`) or with `oci://`.
 */
export function ociReference(repoUrl: string, chart: string): string | undefined {
  if (/^https?:\/\//i.test(repoUrl)) return undefined;
  const bare = repoUrl.replace(/^oci:\/\//i, '').replace(/\/+$/, '');
  return `oci://${bare}/${chart}`;
}

function chartFolderVersion(folder: string): string | undefined {
  const file = path.join(folder, 'Chart.yaml');
  if (!fs.existsSync(file)) return undefined;
  try {
    return String(YAML.parse(fs.readFileSync(file, 'utf-8'))?.version ?? '');
  } catch {
    return undefined;
  }
}

/** The first meaningful line of a tool's error output. */
export function firstLine(text: string): string {
  return text.split('\n').map((l) => l.trim()).find((l) => l !== '' && !/^WARNING:/.test(l)) ?? '';
}
