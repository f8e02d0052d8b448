import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { RenderedObject } from './objects';
import { RenderRun, RenderedApp } from './stage';
import { deepMerge, isMap } from '../../merge';
import { CheckResult } from '../checks';

/**
 * Wiring: every in-cluster address the rendered stack is configured with
 * (Grafana datasources, collectors' push and OTLP endpoints, remote write,
 * Alertmanager URLs, log agents' outputs, and the charts' own) names a
 * Service, and a port of it, that something on the same cluster provides: a
 * rendered Service, or one an operator creates for a rendered custom resource
 * (an OpenTelemetryCollector's, a Prometheus's or an Alertmanager's).
 */

/** A Service that will exist on a cluster, with its ports. */
interface ServiceInfo {
  readonly ports: Set<number>;
  /** Who provides it, for messages. */
  readonly by: string;
}

/** An address found in a rendered object. */
export interface Address {
  readonly service: string;
  readonly namespace: string;
  readonly port?: number;
  /** The address as written. */
  readonly text: string;
}

const SVC_ADDRESS = /(?:([a-z][a-z0-9+.-]*):\/\/)?((?:[a-z0-9](?:[-a-z0-9]*[a-z0-9])?\.)+)svc(?:\.cluster\.local)?\b(?::(\d{1,5}))?/g;
const SHORT_ADDRESS = /(?:([a-z][a-z0-9+.-]*):\/\/)?\b([a-z0-9](?:[-a-z0-9]*[a-z0-9])?)\.([a-z0-9](?:[-a-z0-9]*[a-z0-9])?):(\d{1,5})\b/g;
const SCHEME_PORT: Record<string, number> = { http: 80, https: 443, ws: 80, wss: 443 };

/**
 * In-cluster addresses in a string: `svc.ns.svc[.cluster.local][:port]`
 * (also `pod.svc.ns.svc`), and `svc.ns:port` where `ns` is one of the
 * cluster's namespaces.
 */
export function findAddresses(text: string, namespaces: ReadonlySet<string>): Address[] {
  const out: Address[] = [];
  for (const m of text.matchAll(SVC_ADDRESS)) {
    const labels = m[2].slice(0, -1).split('.');
    if (labels.length < 2) continue;
    const namespace = labels[labels.length - 1];
    const service = labels[labels.length - 2];
    const port = m[3] !== undefined ? Number(m[3]) : m[1] !== undefined ? SCHEME_PORT[m[1].toLowerCase()] : undefined;
    out.push({ service, namespace, port, text: m[0] });
  }
  for (const m of text.matchAll(SHORT_ADDRESS)) {
    if (!namespaces.has(m[3])) continue;
    const after = text.slice((m.index ?? 0) + m[0].length - m[4].length - 1 - m[3].length - 1, (m.index ?? 0) + m[0].length);
    if (/\.svc/.test(after)) continue; // already found as a .svc address
    out.push({ service: m[2], namespace: m[3], port: Number(m[4]), text: m[0] });
  }
  return out;
}

/** Every string under an object's spec and data (not its metadata), YAML/JSON strings parsed too. */
function* stringsOf(node: unknown): Generator<string> {
  if (typeof node === 'string') {
    yield node;
  } else if (Array.isArray(node)) {
    for (const n of node) yield* stringsOf(n);
  } else if (node && typeof node === 'object') {
    for (const v of Object.values(node)) yield* stringsOf(v);
  }
}

/** Values without the sections turned off (`enabled: false`: a sub-chart or component that is not deployed). */
function withoutDisabled(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutDisabled);
  if (!isMap(node)) return node;
  if (node.enabled === false) return undefined;
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, withoutDisabled(v)]));
}

/** Ports an OpenTelemetry collector listens on, from its receivers' endpoints (and the defaults of OTLP). */
function collectorPorts(spec: Record<string, any>): number[] {
  const config = typeof spec.config === 'string' ? YAML.parse(spec.config) : spec.config ?? {};
  const ports: number[] = [];
  for (const [name, receiver] of Object.entries<any>(config?.receivers ?? {})) {
    const endpoints: unknown[] = [receiver?.endpoint];
    for (const [protocol, p] of Object.entries<any>(receiver?.protocols ?? {})) {
      endpoints.push(p?.endpoint ?? (name.startsWith('otlp') ? (protocol === 'grpc' ? ':4317' : protocol === 'http' ? ':4318' : undefined) : undefined));
    }
    for (const e of endpoints) {
      const port = typeof e === 'string' ? /:(\d+)$/.exec(e)?.[1] : undefined;
      if (port) ports.push(Number(port));
    }
  }
  return ports;
}

/** The Services that will exist on one cluster. */
function servicesOf(objects: readonly RenderedObject[]): Map<string, ServiceInfo> {
  const services = new Map<string, ServiceInfo>();
  const add = (namespace: string, name: string, ports: number[], by: string) => {
    const key = `${namespace}/${name}`;
    const s = services.get(key) ?? { ports: new Set<number>(), by };
    for (const p of ports) s.ports.add(p);
    services.set(key, s);
  };
  add('default', 'kubernetes', [443], 'the API server');
  add('kube-system', 'kube-dns', [53, 9153], 'the cluster DNS');
  for (const o of objects) {
    const ns = String(o.object.metadata?.namespace ?? o.defaultNamespace);
    const name = String(o.object.metadata?.name);
    const by = `Application ${o.app}`;
    switch (`${String(o.object.apiVersion).split('/')[0]}/${o.object.kind}`) {
      case 'v1/Service':
        add(ns, name, (o.object.spec?.ports ?? []).map((p: any) => Number(p.port)), by);
        break;
      case 'opentelemetry.io/OpenTelemetryCollector': {
        const ports = collectorPorts(o.object.spec ?? {});
        add(ns, `${name}-collector`, ports, `the operator, for ${by}'s collector`);
        add(ns, `${name}-collector-headless`, ports, `the operator, for ${by}'s collector`);
        add(ns, `${name}-collector-monitoring`, [8888], `the operator, for ${by}'s collector`);
        break;
      }
      case 'monitoring.coreos.com/Prometheus':
        add(ns, 'prometheus-operated', [9090, 10901], `prometheus-operator, for ${by}'s Prometheus`);
        break;
      case 'monitoring.coreos.com/Alertmanager':
        add(ns, 'alertmanager-operated', [9093, 9094], `prometheus-operator, for ${by}'s Alertmanager`);
        break;
      case 'monitoring.coreos.com/ThanosRuler':
        add(ns, 'thanos-ruler-operated', [10901, 10902], `prometheus-operator, for ${by}'s ThanosRuler`);
        break;
      default:
    }
  }
  return services;
}

/**
 * What an Application configures: its values as Helm merges them (value files
 * in order, then inline values; a later layer replaces what an earlier one
 * set), and its plain manifests; not the charts' own templates.
 */
function* configuredStrings(app: RenderedApp): Generator<{ text: string; where: string }> {
  for (const h of app.input.helm) {
    let merged: Record<string, unknown> = {};
    const files: string[] = [];
    for (const file of h.valueFiles) {
      try {
        const values = YAML.parse(fs.readFileSync(file, 'utf-8'));
        if (isMap(values)) merged = deepMerge(merged, values);
        files.push(path.relative(app.root, file).split(path.sep).join('/'));
      } catch {
        continue; // the parse check reports it
      }
    }
    const inline = typeof h.inlineValues === 'string' ? YAML.parse(h.inlineValues) : h.inlineValues;
    if (isMap(inline)) merged = deepMerge(merged, inline);
    const where = `values (${[...files, ...(inline ? ['inline values'] : [])].join(' + ')})`;
    for (const text of stringsOf(withoutDisabled(merged))) yield { text, where };
  }
  for (const o of app.objects) {
    if (o.origin.startsWith('chart ')) continue;
    const content = { spec: o.object.spec, data: o.object.data, stringData: o.object.stringData };
    for (const text of stringsOf(content)) yield { text, where: `${o.origin}: ${o.object.kind} ${o.object.metadata?.name}` };
  }
}

/**
 * Every in-cluster address the stack is configured with resolves to a Service
 * and port on its cluster. Addresses in namespaces the stack does not deploy
 * to are the user's own (an existing Kafka, say): counted, not judged.
 */
export function checkWiring(run: RenderRun): CheckResult | undefined {
  if (run.missing) return undefined;
  const problems = new Set<string>();
  let resolved = 0;
  let external = 0;
  let unknown = 0;
  const clusters = new Map<string, RenderedApp[]>();
  for (const a of run.apps) clusters.set(a.input.cluster, [...clusters.get(a.input.cluster) ?? [], a]);
  for (const [cluster, apps] of clusters) {
    const services = servicesOf(apps.flatMap((a) => a.objects));
    const owned = new Set([...apps.map((a) => a.input.namespace), ...[...services.keys()].map((k) => k.split('/')[0])]);
    // Namespaces where an Application could not be rendered: a Service missing there may be one of its own.
    const unrendered = new Set(apps.filter((a) => a.notChecked.length > 0).map((a) => a.input.namespace));
    for (const app of apps) {
      for (const { text, where } of configuredStrings(app)) {
        for (const a of findAddresses(text, owned)) {
          if (!owned.has(a.namespace)) {
            external++;
            continue;
          }
          const s = services.get(`${a.namespace}/${a.service}`);
          const at = `cluster ${cluster}: Application ${app.input.name} (${app.input.file}): ${where}: ${a.text}`;
          if (!s && unrendered.has(a.namespace)) {
            unknown++;
          } else if (!s) {
            problems.add(`${at} names Service ${a.namespace}/${a.service}, which no Application on this cluster provides`);
          } else if (a.port !== undefined && !s.ports.has(a.port)) {
            problems.add(`${at}: Service ${a.namespace}/${a.service} (from ${s.by}) has no port ${a.port} (ports: ${[...s.ports].sort((x, y) => x - y).join(', ')})`);
          } else {
            resolved++;
          }
        }
      }
    }
  }
  const notes = [
    external > 0 ? `${external} outside the stack's namespaces not judged` : '',
    unknown > 0 ? `${unknown} in namespaces with an Application not rendered not checked` : '',
  ].filter((n) => n !== '');
  return {
    name: 'wiring',
    status: problems.size > 0 ? 'fail' : 'pass',
    summary: `${resolved} configured in-cluster addresses resolve to a Service and port on their cluster${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`,
    problems: [...problems],
  };
}
