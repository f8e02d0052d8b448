import { checkOwnership, checkRender, checkRenderedObjects, checkSizes } from './checks';
import { checkProjectPermissions } from './projects';
import { RenderOptions, renderApplications } from './stage';
import { checkWiring } from './wiring';
import { CheckResult } from '../checks';
import { Repo, kubeObjects } from '../repo';

export { DEFAULT_KUBE_VERSION } from './stage';
export type { RenderOptions } from './stage';

/**
 * The render stage: render every Application with the real Helm (see
 * stage.ts), then check what was rendered (see checks.ts and wiring.ts).
 */
export async function renderStage(repo: Repo, options: RenderOptions = {}): Promise<CheckResult[]> {
  const run = await renderApplications(repo, options);
  return [
    ...checkRender(run),
    checkRenderedObjects(run),
    checkOwnership(run),
    checkSizes(run),
    checkProjectPermissions(run, kubeObjects(repo).filter((d) => d.value.kind === 'AppProject' && String(d.value.apiVersion).startsWith('argoproj.io/'))),
    checkWiring(run),
  ].filter((r): r is CheckResult => r !== undefined);
}
