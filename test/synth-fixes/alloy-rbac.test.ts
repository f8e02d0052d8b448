import { newProject, synthToDisk } from '../util';
import { objectsOf, renderApplication } from '../support/render-app';

/*
 * The default scaffold's Alloy Application renders with the real Helm (the
 * chart's rbac template used to break on an empty `clusterRules` list), and
 * its ClusterRole grants exactly what the configuration needs: get, list and
 * watch on pods.
 */

test('the default scaffold\'s alloy Application renders and its ClusterRole reads pods only', () => {
  const dir = synthToDisk(newProject());
  const { objects } = renderApplication(dir, 'argocd/apps/in-cluster/alloy.yaml');

  const [role] = objectsOf(objects, 'ClusterRole', 'alloy');
  expect(role).toBeDefined();
  expect(role.rules).toEqual([
    { apiGroups: [''], resources: ['pods'], verbs: ['list', 'watch'] },
    { apiGroups: [''], resources: ['pods'], verbs: ['get'] },
  ]);
  const granted = new Set(role.rules.flatMap((r: any) =>
    r.apiGroups.flatMap((g: string) => r.resources.flatMap((res: string) => r.verbs.map((v: string) => `${g}/${res}:${v}`)))));
  expect([...granted].sort()).toEqual(['/pods:get', '/pods:list', '/pods:watch']);

  // Bound to the DaemonSet's own ServiceAccount.
  const [binding] = objectsOf(objects, 'ClusterRoleBinding', 'alloy');
  const [daemonSet] = objectsOf(objects, 'DaemonSet', 'alloy');
  expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'alloy' });
  expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: daemonSet.spec.template.spec.serviceAccountName, namespace: 'logging' }]);
});
