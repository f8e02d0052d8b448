import { GrafanaExposure, InstrumentationLanguage, Profile } from '../../src';
import { newProject } from '../util';

/*
 * Security defaults that are on without being asked for are said at synth: a Grafana Ingress
 * without TLS, Go auto-instrumentation with no Go service, Prometheus's remote-write receiver, and
 * HA Grafana replicas without a shared database. Asking for each (or turning it off) silences it.
 */

const warningsOf = (options: object) => newProject(options as any).warnings.join('\n');
const ONLY_JAVA = { traces: { instrumentationLanguages: [InstrumentationLanguage.JAVA] } };

test('a Grafana Ingress without TLS is warned about; with a TLS Secret it is not', () => {
  const ingress = { exposure: GrafanaExposure.INGRESS, ingressHost: 'grafana.example.com' };
  expect(warningsOf({ grafana: ingress })).toMatch(/grafana\.ingressTlsSecretName is not set: the Grafana Ingress on grafana\.example\.com serves plain HTTP/);
  expect(warningsOf({ grafana: { ...ingress, ingressTlsSecretName: 'grafana-tls' } })).not.toMatch(/ingressTlsSecretName/);
  expect(warningsOf({})).not.toMatch(/ingressTlsSecretName/);
});

test('Go auto-instrumentation with no Go service is warned about; not when a service is Go or Go is left out', () => {
  expect(warningsOf({})).toMatch(/traces\.instrumentationLanguages includes Go .* but no service uses it: .*privileged/);
  expect(warningsOf(ONLY_JAVA)).not.toMatch(/includes Go/);
  const goService = { services: [{ name: 'api', namespace: 'shop', port: 'http-metrics', language: InstrumentationLanguage.GO }] };
  expect(warningsOf(goService)).not.toMatch(/includes Go/);
});

test('Prometheus\'s remote-write receiver (on for Tempo\'s metrics-generator) is warned about unless asked for', () => {
  expect(warningsOf({})).toMatch(/Prometheus in "monitoring" accepts remote write \(Tempo's metrics-generator/);
  expect(warningsOf({ traces: { enabled: false } })).not.toMatch(/accepts remote write/);
  const asked = { valuesOverrides: { 'kube-prometheus-stack': { prometheus: { prometheusSpec: { enableRemoteWriteReceiver: true } } } } };
  expect(warningsOf(asked)).not.toMatch(/accepts remote write/);
});

test('HA Grafana without a shared database says why and how; with GF_DATABASE_URL from a Secret it does not', () => {
  expect(warningsOf({ profile: Profile.HA })).toMatch(/Grafana runs 2 replicas, each with its own SQLite database: .*envValueFrom\.GF_DATABASE_URL/);
  expect(warningsOf({})).not.toMatch(/Grafana runs/);
  const shared = {
    profile: Profile.HA,
    valuesOverrides: { 'kube-prometheus-stack': { grafana: { envValueFrom: { GF_DATABASE_URL: { secretKeyRef: { name: 'grafana-db', key: 'url' } } } } } },
  };
  expect(warningsOf(shared)).not.toMatch(/Grafana runs/);
});
