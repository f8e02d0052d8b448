import { CentralAuthSecret, centralAuthSecrets, readTenants, TENANT_HEADER } from '../model/central-auth';
import { FleetModel } from '../model/fleet';
import { CentralAuthType, TenantScope } from '../options/central-auth';

/**
 * The generated README's "Central authentication" section and its bootstrap
 * item: the Secrets `centralAuth` reads on the edge and central clusters of
 * each distributed environment, and the tenants (src/model/central-auth.ts).
 */

interface EnvironmentSecrets {
  readonly environment?: string;
  readonly central: string;
  readonly edges: readonly string[];
  readonly secrets: readonly CentralAuthSecret[];
  readonly tenants?: string;
}

function environmentsWithAuth(fleet: FleetModel): EnvironmentSecrets[] {
  return fleet.groups.filter((g) => g.role === 'central' && g.model.options.centralAuth !== undefined).map((g) => ({
    environment: g.environment,
    central: g.model.clusters[0].name,
    edges: g.model.options.edgeClusters.map((c) => c.name),
    secrets: centralAuthSecrets(g.model.options),
    tenants: readTenants(g.model.options),
  }));
}

/** The bootstrap list's item (undefined: nothing to create). */
export function centralAuthBootstrapItem(fleet: FleetModel): string | undefined {
  const names = [...new Set(environmentsWithAuth(fleet).flatMap((e) => e.secrets.map((s) => s.name)))];
  if (names.length === 0) return undefined;
  return `${names.map((n) => `\`${n}\``).join(', ')} (how the clusters authenticate to the central Loki, Mimir and Tempo, on the edge and central clusters): see "Central authentication" below`;
}

/** The section (empty without a distributed environment). */
export function centralAuthReadmeLines(fleet: FleetModel): string[] {
  const envs = environmentsWithAuth(fleet);
  if (envs.length === 0) return [];
  const a = fleet.groups.find((g) => g.model.options.centralAuth !== undefined)!.model.options.centralAuth!;
  const lines = ['## Central authentication', ''];
  lines.push(a.tenancy === TenantScope.NONE
    ? 'The central backends run single-tenant (`centralAuth.tenancy` is `none`).'
    : `Loki, Mimir and Tempo run multi-tenant: every cluster writes as its ${a.tenancy === TenantScope.CLUSTER ? "cluster's" : "environment's"} name ` +
      `(header \`${TENANT_HEADER}\`), and Grafana reads every tenant of its environment at once (\`a|b\`).`, '');
  if (a.type === CentralAuthType.NONE) {
    lines.push('`centralAuth.type` is `none`: the central endpoints take writes without credentials. Keep them off public networks.', '');
  } else if (a.type === CentralAuthType.BEARER) {
    lines.push('The shippers send a bearer token: put an authenticating proxy or Ingress in front of the central endpoints (the charts\' gateways check basic auth only).', '');
  } else {
    lines.push('Point the edges\' URLs (`metrics.remoteWriteUrl`, `logs.pushUrl`, `traces.otlpEndpoint`) at the gateways through an Ingress or',
      'LoadBalancer with TLS: `mimir-gateway`, `loki-gateway` and `tempo-gateway` (TempoMode.DISTRIBUTED; the monolithic Tempo has none).',
      'The gateways check the user, not the tenant: give each cluster its own user (its own values in its Secret, one htpasswd',
      'line each), so a leaked credential is revoked for one cluster by removing its line.', '');
  }
  for (const e of envs) {
    const where = e.environment !== undefined ? `Environment \`${e.environment}\`` : 'The fleet';
    lines.push(`${where}: central cluster \`${e.central}\`${e.edges.length > 0 ? `, edge clusters ${e.edges.map((c) => `\`${c}\``).join(', ')}` : ''}` +
      `${e.tenants !== undefined ? `; Grafana reads the tenants \`${e.tenants}\`` : ''}.`, '');
    if (e.secrets.length === 0) continue;
    lines.push('```sh');
    for (const s of e.secrets) {
      const clusters = s.role === 'edge' ? e.edges : [e.central];
      lines.push(`# ${s.role === 'edge' ? 'on each edge cluster' : 'on the central cluster'} (${clusters.join(', ')}): ${s.purpose}`);
      for (const ns of s.namespaces) {
        const data = s.keys.map((k) => (k === '.htpasswd' ? '--from-file=.htpasswd=<htpasswd file>' : `--from-literal=${k}=<${k}>`)).join(' ');
        lines.push(`kubectl -n ${ns} create secret generic ${s.name} ${data}`);
      }
    }
    lines.push('```', '');
  }
  return lines;
}
