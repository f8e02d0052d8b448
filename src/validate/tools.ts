/*
 * The command-line tools `obs-gitops validate` and `obs-gitops test-rules` run, and how to install
 * each on Debian/Ubuntu and on macOS: a missing tool is named with the commands that install it.
 *
 * Internal module: not exported from src/index.ts.
 */

interface ToolInstall {
  /** Debian/Ubuntu */
  readonly debian: string;
  /** macOS (Homebrew) */
  readonly macos: string;
}

const INSTALL: Record<string, ToolInstall> = {
  promtool: { debian: 'sudo apt-get install prometheus', macos: 'brew install prometheus' },
  amtool: { debian: 'sudo apt-get install prometheus-alertmanager', macos: 'brew install alertmanager' },
  kubectl: {
    debian: 'sudo apt-get install kubectl (after adding the Kubernetes apt repository, https://pkgs.k8s.io; or: sudo snap install kubectl --classic)',
    macos: 'brew install kubectl',
  },
  helm: {
    debian: 'sudo snap install helm --classic (or the Helm apt repository, https://helm.sh/docs/intro/install/)',
    macos: 'brew install helm',
  },
};

/** "Debian/Ubuntu: sudo apt-get install prometheus; macOS: brew install prometheus" */
export function installHint(command: string): string {
  const how = INSTALL[command];
  if (!how) return `install ${command} and put it on PATH`;
  return `Debian/Ubuntu: ${how.debian}; macOS: ${how.macos}`;
}

/** The summary of a check whose tool is missing. */
export function notInstalledSummary(command: string): string {
  return `NOT CHECKED: ${command} is not installed (${installHint(command)})`;
}
