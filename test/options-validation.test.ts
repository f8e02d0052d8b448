import { existsSync, mkdtempSync, readdirSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ObservabilityGitOpsProject } from '../src';
import { BASE } from './util';

/** Each case: options, then what the error must say (the option, the value, what is valid). */
const CASES: Array<[string, Record<string, unknown>, RegExp[]]> = [
  ['empty repo URL', { gitRepoUrl: '' }, [/"gitRepoUrl"/, /must not be empty/]],
  ['repo URL that is not a URL', { gitRepoUrl: 'not a url' }, [/"gitRepoUrl"/, /"not a url"/, /https:\/\/host\/org\/repo\.git/]],
  ['repo URL with a file scheme', { gitRepoUrl: 'file:///tmp/repo' }, [/"gitRepoUrl"/, /not a Git repository URL/]],
  ['revision with a space', { gitRevision: 'my branch' }, [/"gitRevision"/, /"my branch"/, /no spaces/]],
  ['revision with ..', { gitRevision: 'a..b' }, [/"gitRevision"/]],
  ['namespace not DNS-1123', { metrics: { namespace: 'Monitoring' } }, [/"metrics\.namespace"/, /"Monitoring"/, /DNS-1123 label/]],
  ['namespace too long', { metrics: { namespace: 'a'.repeat(64) } }, [/"metrics\.namespace"/, /at most 63/]],
  ['Argo CD namespace with underscore', { argocdNamespace: 'argo_cd' }, [/"argocdNamespace"/, /DNS-1123/]],
  ['project name with capitals', { appProjectName: 'Observability' }, [/"appProjectName"/, /DNS-1123 subdomain/]],
  ['cluster name not DNS-1123', { clusters: [{ name: 'Prod EU' }] }, [/"clusters\[0\]\.name"/, /"Prod EU"/, /DNS-1123/]],
  ['cluster without a name', { clusters: [{ server: 'https://k8s.example.com' }] }, [/"clusters\[0\]\.name"/, /required/]],
  ['duplicate cluster names', { clusters: [{ name: 'prod' }, { name: 'prod' }] }, [/"clusters\[1\]\.name"/, /duplicate/]],
  ['empty cluster list', { clusters: [] }, [/"clusters"/, /empty/]],
  ['cluster server not http(s)', { clusters: [{ name: 'prod', server: 'ftp://k8s' }] }, [/"clusters\[0\]\.server"/, /http\(s\) URL/]],
  ['struct option as a raw string (projen new CLI)', { metrics: '{"enabled":false}' }, [/"metrics"/, /raw string/, /\.projenrc\.ts/]],
  ['struct list as a raw string (projen new CLI)', { clusters: '[{"name":"a"}]' }, [/"clusters"/, /raw string/]],
  ['unknown field in a struct', { metrics: { namespaec: 'x' } }, [/"metrics\.namespaec"/, /did you mean "namespace"/]],
  ['boolean that is not', { metrics: { enabled: 'yes' } }, [/"metrics\.enabled"/, /boolean/]],
  ['retention with a space', { metrics: { retention: '7 days' } }, [/"metrics\.retention"/, /"7 days"/, /15d/]],
  ['unknown part in valuesOverrides', { valuesOverrides: { 'kube-prometheus-stak': {} } }, [/"valuesOverrides\.kube-prometheus-stak"/, /did you mean "kube-prometheus-stack"/, /known parts/]],
  ['override for a part that is off', { metrics: { enabled: false }, valuesOverrides: { 'kube-prometheus-stack': {} } }, [/"valuesOverrides\.kube-prometheus-stack"/, /part that is off/]],
  ['unknown values key in an override', { valuesOverrides: { 'kube-prometheus-stack': { prometheus: { prometheusSpec: { retentionn: '1d' } } } } },
    [/"valuesOverrides\.kube-prometheus-stack"/, /prometheus\.prometheusSpec\.retentionn/, /did you mean "retention"/]],
  ['Secret name not DNS-1123', { grafana: { adminSecretName: 'Grafana Admin' } }, [/"grafana\.adminSecretName"/, /DNS-1123 subdomain/]],
  ['Secret key with a slash', { grafana: { adminPasswordKey: 'a/b' } }, [/"grafana\.adminPasswordKey"/, /Secret key/]],
  // the whole stack
  ['unknown log collector', { logs: { collectors: ['logstash'] } }, [/"logs\.collectors\[0\]"/, /"logstash"/, /alloy, fluent-bit, fluentd, promtail/]],
  ['a collector listed twice', { logs: { collectors: ['alloy', 'alloy'] } }, [/"logs\.collectors\[1\]"/, /twice/]],
  ['no collector for Loki', { logs: { collectors: [] } }, [/"logs\.collectors"/, /nothing would ship logs/]],
  ['Loki retention under a day', { logs: { retention: '12h' } }, [/"logs\.retention"/, /"12h"/, /24h/]],
  ['two log backends at once', { logs: { backend: ['loki', 'elasticsearch'] } }, [/"logs\.backend"/, /is a list/, /exactly one of: loki, elasticsearch, loki-stack/]],
  ['a collector that cannot ship to Elasticsearch', { logs: { backend: 'elasticsearch', collectors: ['fluentd', 'alloy'] } }, [/"logs\.collectors\[1\]"/, /Elasticsearch/, /FLUENTD/]],
  ['a collector with loki-stack', { logs: { backend: 'loki-stack', collectors: ['alloy'] } }, [/"logs\.collectors"/, /bundles its own Promtail/]],
  ['a namespace both included and excluded', { logs: { includeNamespaces: ['a', 'b'], excludeNamespaces: ['b'] } }, [/"logs\.excludeNamespaces"/, /"b"/]],
  ['a namespace filter that is not a namespace', { logs: { excludeNamespaces: ['Kube System'] } }, [/"logs\.excludeNamespaces\[0\]"/, /DNS-1123/]],
  ['traces on without a place to send them', { traces: { backend: 'otlp-endpoint' } }, [/"traces\.otlpEndpoint"/, /nowhere to go/]],
  ['an OTLP endpoint that is not host:port', { traces: { backend: 'otlp-endpoint', otlpEndpoint: 'https://x' } }, [/"traces\.otlpEndpoint"/, /host:port/]],
  ['sampler ratio above 1', { traces: { samplerRatio: 1.5 } }, [/"traces\.samplerRatio"/, /1\.5/, /from 0 to 1/]],
  ['sampler ratio below 0', { traces: { samplerRatio: -0.1 } }, [/"traces\.samplerRatio"/, /from 0 to 1/]],
  ['unknown instrumentation language', { traces: { instrumentationLanguages: ['java', 'ruby'] } }, [/"traces\.instrumentationLanguages\[1\]"/, /"ruby"/, /java, nodejs, python, dotnet, go/]],
  ['Tempo retention in days', { traces: { retention: '14d' } }, [/"traces\.retention"/, /"14d"/, /Go duration/, /336h/]],
  ['log retention "7 days"', { logs: { retention: '7 days' } }, [/"logs\.retention"/, /"7 days"/, /Prometheus duration/]],
  ['NodePort out of range', { grafana: { exposure: 'node-port', nodePort: 8080 } }, [/"grafana\.nodePort"/, /8080/, /30000 to 32767/]],
  ['NodePort without NODE_PORT exposure', { grafana: { nodePort: 30080 } }, [/"grafana\.nodePort"/, /NODE_PORT/]],
  ['Ingress without a host', { grafana: { exposure: 'ingress' } }, [/"grafana\.ingressHost"/, /required/]],
  ['Ingress host that is not a host name', { grafana: { exposure: 'ingress', ingressHost: 'https://grafana.example.com' } }, [/"grafana\.ingressHost"/, /DNS-1123/]],
  ['unknown Grafana exposure', { grafana: { exposure: 'loadbalancer' } }, [/"grafana\.exposure"/, /cluster-ip, node-port, ingress/]],
  ['Grafana without metrics', { metrics: { enabled: false }, grafana: { enabled: true } }, [/"grafana\.enabled"/, /needs metrics/]],
  ['size with a space', { metrics: { storage: { size: '10 Gi' } } }, [/"metrics\.storage\.size"/, /"10 Gi"/, /Kubernetes quantity/]],
  ['size in words', { logs: { storage: { size: 'ten gigs' } } }, [/"logs\.storage\.size"/, /quantity/]],
  ['retention size in Kubernetes units', { metrics: { retentionSize: '45Gi' } }, [/"metrics\.retentionSize"/, /"45Gi"/, /45GB/]],
  ['resources that are not quantities', { metrics: { resources: { memoryLimit: '4 GB' } } }, [/"metrics\.resources\.memoryLimit"/, /quantity/]],
  ['zero Alertmanager replicas', { metrics: { alertmanagerReplicas: 0 } }, [/"metrics\.alertmanagerReplicas"/, /from 1 to 9/]],
  ['unknown metrics flavor', { metrics: { flavor: 'victoria-metrics' } }, [/"metrics\.flavor"/, /kube-prometheus-stack, standalone/]],
  // services, SLOs, alerting, dashboards
  ['a service without a port', { services: [{ name: 'checkout', namespace: 'shop' }] }, [/"services\[0\]\.port"/, /required/, /port that serves metrics/]],
  ['a service name that is not DNS-1123', { services: [{ name: 'Checkout', namespace: 'shop', port: 'http' }] }, [/"services\[0\]\.name"/, /DNS-1123/]],
  ['two services with one name in one namespace', { services: [{ name: 'a', namespace: 'shop', port: 'http' }, { name: 'a', namespace: 'shop', port: 'm' }] },
    [/"services\[1\]\.name"/, /duplicate/]],
  ['an SLO objective of 100', { services: [{ name: 'a', namespace: 'shop', port: 'http', slos: [{ kind: 'availability', objective: 100 }] }] },
    [/"services\[0\]\.slos\[0\]\.objective"/, /outside \(50, 100\)/]],
  ['an SLO objective of 0', { services: [{ name: 'a', namespace: 'shop', port: 'http', slos: [{ kind: 'latency', objective: 0 }] }] },
    [/"services\[0\]\.slos\[0\]\.objective"/, /outside \(50, 100\)/]],
  ['an SLO objective of 50 (more bad than good allowed)', { services: [{ name: 'a', namespace: 'shop', port: 'http', slos: [{ kind: 'availability', objective: 50 }] }] },
    [/"services\[0\]\.slos\[0\]\.objective"/, /: 50 is outside \(50, 100\)/]],
  ['an SLO objective given as a fraction', {
    services: [{ name: 'a', namespace: 'shop', port: 'http', slos: [{ kind: 'availability', objective: 99.9 }, { kind: 'latency', objective: 0.999 }] }],
  }, [/"services\[0\]\.slos\[1\]\.objective": 0\.999 is a fraction/, /did you mean 99\.9\?/]],
  ['an SLO latency threshold in milliseconds', { services: [{ name: 'a', namespace: 'shop', port: 'http', slos: [{ kind: 'latency', objective: 99, latencyThresholdSeconds: 500 }] }] },
    [/"services\[0\]\.slos\[0\]\.latencyThresholdSeconds": 500 is over 60 s/, /milliseconds\? 500 ms is 0\.5/]],
  ['a p99 latency threshold in milliseconds', { services: [{ name: 'a', namespace: 'shop', port: 'http', latencyThresholdSeconds: 250 }] },
    [/"services\[0\]\.latencyThresholdSeconds": 250 is over 60 s/, /milliseconds\?/]],
  ['an SLO latency threshold that is no bucket boundary', {
    services: [{ name: 'a', namespace: 'shop', port: 'http', histogramBuckets: [0.1, 0.25, 0.5, 1, 2.5], slos: [{ kind: 'availability', objective: 99.9 }, { kind: 'latency', objective: 99, latencyThresholdSeconds: 0.3 }] }],
  }, [/"services\[0\]\.slos\[1\]\.latencyThresholdSeconds": 0\.3 is not a bucket boundary/, /services\[0\]\.histogramBuckets: 0\.1, 0\.25, 0\.5, 1, 2\.5/, /use 0\.25 or 0\.5 \(the nearest boundaries\)/]],
  ['a p99 threshold at the largest bucket (histogram_quantile cannot exceed it)', {
    services: [{ name: 'a', namespace: 'shop', port: 'http', histogramBuckets: [0.1, 0.5, 1], latencyThresholdSeconds: 1 }],
  }, [/"services\[0\]\.latencyThresholdSeconds": 1 is not below the largest bucket bound 1/, /could never fire/]],
  ['histogram buckets out of order', { services: [{ name: 'a', namespace: 'shop', port: 'http', histogramBuckets: [0.1, 0.5, 0.25, 1] }] },
    [/"services\[0\]\.histogramBuckets\[2\]": 0\.25 is not greater than/]],
  ['an SLO of an unknown kind', { services: [{ name: 'a', namespace: 'shop', port: 'http', slos: [{ kind: 'throughput', objective: 99 }] }] },
    [/"services\[0\]\.slos\[0\]\.kind"/, /availability, latency/]],
  ['a metric name with a dash', { services: [{ name: 'a', namespace: 'shop', port: 'http', requestsMetric: 'http-requests' }] },
    [/"services\[0\]\.requestsMetric"/, /Prometheus metric name/]],
  ['auto-instrumentation with traces off', { traces: { enabled: false }, services: [{ name: 'a', namespace: 'shop', port: 'http', language: 'java' }] },
    [/"services\[0\]\.language"/, /traces are off/]],
  ['services without metrics', { metrics: { enabled: false }, services: [{ name: 'a', namespace: 'shop', port: 'http' }] }, [/"services"/, /need metrics/]],
  ['an unknown rule pack', { alerting: { rulePacks: ['golden-signals', 'databases'] } }, [/"alerting\.rulePacks\[1\]"/, /"databases"/, /golden-signals, workloads, nodes, stack/]],
  ['a duplicate custom alert name', { alerting: { customRules: [{ alert: 'A', expr: 'up == 0', summary: 's' }, { alert: 'A', expr: 'up == 0', summary: 's' }] } },
    [/"alerting\.customRules\[1\]\.alert"/, /duplicate alert name/]],
  ['a receiver without a Secret', { alerting: { receivers: [{ name: 'slack', type: 'slack' }] } }, [/"alerting\.receivers\[0\]\.secretName"/, /Secret/]],
  ['an email receiver without a recipient', { alerting: { receivers: [{ name: 'mail', type: 'email', secretName: 's', secretKey: 'k', from: 'a@b.c', smarthost: 'smtp.example.com:587' }] } },
    [/"alerting\.receivers\[0\]\.to"/, /required for an email receiver/]],
  ['a paging receiver that does not exist', { alerting: { receivers: [{ name: 'pd', type: 'pagerduty', secretName: 's', secretKey: 'k' }], pagingReceiver: 'pagerdty' } },
    [/"alerting\.pagingReceiver"/, /did you mean "pd"|receivers: pd/]],
  ['a community dashboard without a revision', { dashboards: { community: [{ gnetId: 1860 }] } }, [/"dashboards\.community\[0\]\.revision"/, /pinned by id and revision/]],
  ['chart version that is a range', { chartVersions: { 'kube-prometheus-stack': '^88.0.0' } }, [/"chartVersions\.kube-prometheus-stack"/, /exact chart version/]],
  ['chart version with a v prefix', { chartVersions: { 'kube-prometheus-stack': 'v88.5.3' } }, [/"chartVersions\.kube-prometheus-stack"/, /no "v" prefix/]],
  ['chart not in the catalog', { chartVersions: { 'kube-prometheus': '1.0.0' } }, [/"chartVersions\.kube-prometheus"/, /did you mean "kube-prometheus-stack"/]],
  ['chart version for a chart no part uses', { metrics: { enabled: false }, chartVersions: { 'kube-prometheus-stack': '88.5.3' } }, [/"chartVersions\.kube-prometheus-stack"/, /no enabled part uses/]],
];

describe('every invalid option fails in the constructor with a clear error, before anything is written', () => {
  test.each(CASES)('%s', (_name, options, expected) => {
    const outdir = mkdtempSync(join(tmpdir(), 'obs-gitops-invalid-'));
    let error: Error | undefined;
    try {
      new ObservabilityGitOpsProject({ ...BASE, outdir, ...(options as any) });
    } catch (e) {
      error = e as Error;
    }
    expect(error).toBeDefined();
    expect(error!.message).toMatch(/^Invalid option "/);
    for (const re of expected) expect(error!.message).toMatch(re);
    expect(existsSync(outdir) ? readdirSync(outdir) : []).toEqual([]);
  });
});
