import { centralAuthWarnings } from './central-auth';
import { StackPart } from './stack';
import { GrafanaExposure, InstrumentationLanguage } from '../options/options';
import { ResolvedOptions } from '../options/resolve';

/*
 * Security defaults a reviewer should know about, printed at synth (on the final values, the
 * user's valuesOverrides included): a Grafana Ingress without TLS, Go auto-instrumentation (a
 * privileged sidecar) enabled with no Go service, Prometheus accepting remote write without the
 * user asking for it, and Grafana replicas each with their own database.
 *
 * Internal module: not exported from src/index.ts.
 */

function at(values: unknown, ...path: string[]): unknown {
  let v: any = values;
  for (const k of path) v = v && typeof v === 'object' ? v[k] : undefined;
  return v;
}

/** Does the user's override set this key (then they asked for it)? */
function overridden(o: ResolvedOptions, part: string, ...path: string[]): boolean {
  return at(o.valuesOverrides[part], ...path) !== undefined;
}

/** Warnings about the security of the final parts. */
export function securityWarnings(o: ResolvedOptions, parts: readonly StackPart[]): string[] {
  const warnings: string[] = [];
  const part = (name: string) => parts.find((p) => p.name === name);
  const kps = part('kube-prometheus-stack');
  const prometheus = part('prometheus');
  const grafanaRuns = (kps && at(kps.values, 'grafana', 'enabled') !== false) || part('grafana') !== undefined;

  if (grafanaRuns && o.grafana.exposure === GrafanaExposure.INGRESS && o.grafana.ingress?.tlsSecretName === undefined) {
    warnings.push(`grafana.ingressTlsSecretName is not set: the Grafana Ingress on ${o.grafana.ingress?.host} serves plain HTTP, so the ` +
      'admin login and session cookies cross the network unencrypted. Set grafana.ingressTlsSecretName to a TLS Secret ' +
      '(for example one cert-manager issues), unless TLS ends in front of the ingress controller.');
  }

  if (part('opentelemetry-resources') && o.traces.instrumentationLanguages.includes(InstrumentationLanguage.GO) &&
    !o.services.some((s) => s.language === InstrumentationLanguage.GO)) {
    warnings.push('traces.instrumentationLanguages includes Go (the default is every language) but no service uses it: ' +
      'Go auto-instrumentation injects a privileged eBPF sidecar (root, hostPath /sys/kernel/debug) into any pod annotated for it. ' +
      'List only the languages you use in traces.instrumentationLanguages.');
  }

  const kpsReceiver = kps && at(kps.values, 'prometheus', 'prometheusSpec', 'enableRemoteWriteReceiver') === true &&
    !overridden(o, 'kube-prometheus-stack', 'prometheus', 'prometheusSpec', 'enableRemoteWriteReceiver');
  const flags = prometheus ? at(prometheus.values, 'server', 'extraFlags') : undefined;
  const promReceiver = Array.isArray(flags) && flags.includes('web.enable-remote-write-receiver') &&
    !overridden(o, 'prometheus', 'server', 'extraFlags');
  if (kpsReceiver || promReceiver) {
    warnings.push(`Prometheus in "${o.metrics.namespace}" accepts remote write (Tempo's metrics-generator writes span metrics and ` +
      'service graphs to it): any pod that reaches its port can write series without authentication. Restrict ingress to ' +
      'Prometheus with a NetworkPolicy, or turn the receiver off in valuesOverrides (service graphs and span metrics then stop).');
  }

  const replicas = kps ? at(kps.values, 'grafana', 'replicas') : undefined;
  if (grafanaRuns && typeof replicas === 'number' && replicas > 1 && !sharedGrafanaDatabase(kps!.values)) {
    warnings.push(`Grafana runs ${replicas} replicas, each with its own SQLite database: users, sessions (a login may not survive ` +
      'switching replica), API keys and anything saved in the UI differ between them. Give them one database: in ' +
      'valuesOverrides["kube-prometheus-stack"].grafana set envValueFrom.GF_DATABASE_URL to a secretKeyRef of a Secret holding ' +
      'the database URL (for example postgres://user:password@host:5432/grafana), or set grafana.replicas to 1.');
  }
  warnings.push(...centralAuthWarnings(o));
  return warnings;
}

/** Does Grafana's configuration point at a database other than its own SQLite file? */
function sharedGrafanaDatabase(kpsValues: Record<string, unknown>): boolean {
  const g = at(kpsValues, 'grafana') as Record<string, any> | undefined;
  if (!g) return false;
  if (g.env?.GF_DATABASE_URL || g.envValueFrom?.GF_DATABASE_URL || g.env?.GF_DATABASE_TYPE || g.envValueFrom?.GF_DATABASE_TYPE) return true;
  if (g.envFromSecret || (Array.isArray(g.envFromSecrets) && g.envFromSecrets.length > 0)) return true;
  const type = g['grafana.ini']?.database?.type;
  return typeof type === 'string' && type !== 'sqlite3';
}
