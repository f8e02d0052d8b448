import * as YAML from 'yaml';

/**
 * The objects an Application renders, each with where it came from and its
 * identity on the cluster (group, kind, namespace, name), the way Argo CD
 * tracks what an Application owns.
 */

/** One rendered Kubernetes object. */
export interface RenderedObject {
  /** The Application that owns it. */
  readonly app: string;
  /** The file defining that Application. */
  readonly appFile: string;
  /** The cluster key (see inputs.clusterOf). */
  readonly cluster: string;
  /** Where it was rendered from: `chart loki 18.11.0: loki/templates/x.yaml` or `manifests/in-cluster/alert-rules/x.yaml`. */
  readonly origin: string;
  /** Destination namespace of its Application (for namespaced objects that name none). */
  readonly defaultNamespace: string;
  /** Whether the Application applies server-side. */
  readonly serverSideApply: boolean;
  readonly object: Record<string, any>;
}

/** A document that is not a Kubernetes object (a parse error, or no apiVersion/kind). */
export interface RenderedJunk {
  readonly origin: string;
  readonly message: string;
}

/**
 * Kubernetes objects in a multi-document YAML stream (Helm's or Kustomize's
 * output). Empty documents are skipped; Helm's `# Source:` comment names the
 * template of each.
 */
export function parseRendered(text: string, fallbackOrigin: string): {
  objects: Array<{ origin: string; object: Record<string, any> }>;
  junk: RenderedJunk[];
} {
  const objects: Array<{ origin: string; object: Record<string, any> }> = [];
  const junk: RenderedJunk[] = [];
  for (const doc of YAML.parseAllDocuments(text)) {
    const source = /Source: (\S+)/.exec(`${doc.commentBefore ?? ''}\n${String(doc.contents?.commentBefore ?? '')}`)?.[1];
    const origin = source ?? fallbackOrigin;
    if (doc.errors.length > 0) {
      junk.push({ origin, message: doc.errors[0].message.split('\n')[0] });
      continue;
    }
    const v = doc.toJS({ maxAliasCount: 10_000 });
    if (v === null || v === undefined) continue;
    if (typeof v !== 'object' || Array.isArray(v) || typeof v.apiVersion !== 'string' || typeof v.kind !== 'string') {
      junk.push({ origin, message: 'a document that is not a Kubernetes object (no apiVersion and kind)' });
      continue;
    }
    if (v.kind.endsWith('List') && Array.isArray(v.items)) {
      for (const item of v.items) objects.push({ origin, object: item });
    } else {
      objects.push({ origin, object: v });
    }
  }
  return { objects, junk };
}

/** Kinds of the Kubernetes API that have no namespace. */
const CLUSTER_SCOPED = new Set([
  '/Namespace', '/Node', '/PersistentVolume', '/ComponentStatus',
  'rbac.authorization.k8s.io/ClusterRole', 'rbac.authorization.k8s.io/ClusterRoleBinding',
  'apiextensions.k8s.io/CustomResourceDefinition', 'apiregistration.k8s.io/APIService',
  'admissionregistration.k8s.io/MutatingWebhookConfiguration', 'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy', 'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding',
  'admissionregistration.k8s.io/MutatingAdmissionPolicy', 'admissionregistration.k8s.io/MutatingAdmissionPolicyBinding',
  'storage.k8s.io/StorageClass', 'storage.k8s.io/CSIDriver', 'storage.k8s.io/CSINode', 'storage.k8s.io/VolumeAttachment',
  'storage.k8s.io/VolumeAttributesClass', 'scheduling.k8s.io/PriorityClass', 'node.k8s.io/RuntimeClass',
  'networking.k8s.io/IngressClass', 'networking.k8s.io/IPAddress', 'networking.k8s.io/ServiceCIDR',
  'policy/PodSecurityPolicy', 'certificates.k8s.io/CertificateSigningRequest', 'certificates.k8s.io/ClusterTrustBundle',
  'flowcontrol.apiserver.k8s.io/FlowSchema', 'flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration',
  'resource.k8s.io/DeviceClass', 'resource.k8s.io/ResourceSlice',
]);

/** The API group of an apiVersion (`''` for the core group). */
export function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
}

/**
 * Cluster-scoped kinds: the built-in ones, plus the custom kinds whose CRD
 * (among `crds`) says `scope: Cluster`.
 */
export function clusterScopedKinds(crds: ReadonlyArray<Record<string, any>>): Set<string> {
  const out = new Set(CLUSTER_SCOPED);
  for (const crd of crds) {
    if (crd.spec?.scope === 'Cluster') out.add(`${crd.spec?.group}/${crd.spec?.names?.kind}`);
  }
  return out;
}

/** `group/Kind namespace/name`: what an Application owns on its cluster. */
export function identityOf(o: RenderedObject, clusterScoped: ReadonlySet<string>): string {
  const group = groupOf(String(o.object.apiVersion));
  const kind = String(o.object.kind);
  const scoped = clusterScoped.has(`${group}/${kind}`);
  const ns = scoped ? '' : String(o.object.metadata?.namespace ?? o.defaultNamespace);
  return `${group ? `${group}/` : ''}${kind} ${ns ? `${ns}/` : ''}${o.object.metadata?.name}`;
}

/** Bytes of an object as JSON (what a client sends to the API server). */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf-8');
}
