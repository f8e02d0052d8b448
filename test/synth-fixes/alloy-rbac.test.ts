import { objectsOf, renderApplication } from '../support/render-app';
import { newProject, synthToDisk } from '../util';

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

test('every cluster of a fleet renders its alloy Application, with its own values layers', () => {
  const dir = synthToDisk(newProject({
    environments: [{ name: 'dev' }, { name: 'prod' }],
    clusters: [
      { name: 'dev-1', environment: 'dev', server: 'https://dev-1.example.com' },
      { name: 'prod-1', environment: 'prod' },
    ],
  }));
  for (const [env, cluster] of [['dev', 'dev-1'], ['prod', 'prod-1']]) {
    const { objects, args } = renderApplication(dir, `argocd/${env}/apps/${cluster}/alloy.yaml`);
    expect(args.filter((a) => a.endsWith('.yaml')).some((a) => a.endsWith(`values/clusters/${cluster}/alloy.yaml`))).toBe(true);
    expect(objectsOf(objects, 'ClusterRole', 'alloy')).toHaveLength(1);
    const [daemonSet] = objectsOf(objects, 'DaemonSet', 'alloy');
    const env0 = daemonSet.spec.template.spec.containers[0].env;
    expect(env0).toContainEqual({ name: 'CLUSTER', value: cluster });
  }
});
