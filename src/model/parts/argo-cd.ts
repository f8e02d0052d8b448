import { PartDefinition } from '../stack';

/**
 * Argo CD managing itself (argocd.selfManaged).
 *
 * TODO: not built yet; returns no part.
 */
export const argoCd: PartDefinition = {
  name: 'argo-cd',
  build: () => undefined,
};
