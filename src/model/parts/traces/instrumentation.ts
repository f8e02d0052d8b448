import { InstrumentationLanguage, TracesBackend } from '../../../options/options';
import { ResolvedOptions } from '../../../options/resolve';
import { otelGatewayHttpEndpoint } from '../../endpoints';
import { KubeObject } from '../../stack';

/**
 * The Instrumentation resource the OpenTelemetry operator injects into
 * workloads that opt in, and the README lines telling users how to opt in.
 */

/** Name of the Instrumentation resource (in `traces.namespace`). */
export const INSTRUMENTATION_NAME = 'default';

/** Key of the Instrumentation spec block of each language (the CRD's field names). */
const SPEC_FIELD: Record<InstrumentationLanguage, string> = {
  [InstrumentationLanguage.JAVA]: 'java',
  [InstrumentationLanguage.NODEJS]: 'nodejs',
  [InstrumentationLanguage.PYTHON]: 'python',
  [InstrumentationLanguage.DOTNET]: 'dotnet',
  [InstrumentationLanguage.GO]: 'go',
};

const DISPLAY_NAME: Record<InstrumentationLanguage, string> = {
  [InstrumentationLanguage.JAVA]: 'Java',
  [InstrumentationLanguage.NODEJS]: 'Node.js',
  [InstrumentationLanguage.PYTHON]: 'Python',
  [InstrumentationLanguage.DOTNET]: '.NET',
  [InstrumentationLanguage.GO]: 'Go',
};

/**
 * Operator command-line flag that turns a language's injection on or off.
 * Java, Node.js, Python and .NET are on by default in the operator; Go is off
 * (the chart turns it on with `manager.autoInstrumentation.go.enabled`).
 */
export const OPERATOR_LANGUAGE_FLAG: Record<Exclude<InstrumentationLanguage, InstrumentationLanguage.GO>, string> = {
  [InstrumentationLanguage.JAVA]: '--enable-java-instrumentation',
  [InstrumentationLanguage.NODEJS]: '--enable-nodejs-instrumentation',
  [InstrumentationLanguage.PYTHON]: '--enable-python-instrumentation',
  [InstrumentationLanguage.DOTNET]: '--enable-dotnet-instrumentation',
};

/**
 * Environment of every enabled language's SDK:
 * - OTLP over HTTP/protobuf, matching the gateway's 4318 endpoint. It is the
 *   default of all five SDKs the operator injects (Java agent 2.x, Node.js,
 *   .NET, Go; Python is forced to it by the operator), set explicitly so an
 *   SDK whose default is gRPC (Java agent 1.x in a custom image) still works;
 * - no metrics and no logs exporter: the gateway only has a traces pipeline,
 *   and SDKs export OTLP metrics and logs by default (they would fail every
 *   export). A workload can still set these variables itself: the operator
 *   never overrides a container's own environment.
 */
const SDK_ENV = [
  { name: 'OTEL_EXPORTER_OTLP_PROTOCOL', value: 'http/protobuf' },
  { name: 'OTEL_METRICS_EXPORTER', value: 'none' },
  { name: 'OTEL_LOGS_EXPORTER', value: 'none' },
];

/** The enabled languages, in the order of the InstrumentationLanguage enum. */
function enabledLanguages(options: ResolvedOptions): InstrumentationLanguage[] {
  return Object.values(InstrumentationLanguage).filter((l) => options.traces.instrumentationLanguages.includes(l));
}

/** `opentelemetry.io/v1alpha1` Instrumentation: where SDKs send spans, how they propagate and sample. */
export function instrumentation(options: ResolvedOptions): KubeObject {
  const languages: Record<string, unknown> = {};
  for (const language of enabledLanguages(options)) {
    languages[SPEC_FIELD[language]] = { env: SDK_ENV.map((e) => ({ ...e })) };
  }
  return {
    apiVersion: 'opentelemetry.io/v1alpha1',
    kind: 'Instrumentation',
    metadata: { name: INSTRUMENTATION_NAME, namespace: options.traces.namespace },
    spec: {
      // Base URL: HTTP SDKs append /v1/traces themselves.
      exporter: { endpoint: otelGatewayHttpEndpoint(options) },
      propagators: ['tracecontext', 'baggage'],
      // Parent-based: a sampled (or dropped) upstream decision is kept, so traces stay whole.
      sampler: { type: 'parentbased_traceidratio', argument: String(options.traces.samplerRatio) },
      // Languages not listed are disabled in the operator (see opentelemetry-operator.ts).
      ...languages,
    },
  };
}

/** The pod-template annotation that opts a workload in, as `key: "value"`. */
export function injectAnnotation(options: ResolvedOptions, language: InstrumentationLanguage): string {
  return `instrumentation.opentelemetry.io/inject-${language}: "${options.traces.namespace}/${INSTRUMENTATION_NAME}"`;
}

/**
 * Markdown for the generated README: how a workload opts in to
 * auto-instrumentation, one table row per enabled language, and the Go
 * caveats. Empty when traces are off. Starts with its own `##` heading.
 */
export function instrumentationReadmeLines(options: ResolvedOptions): string[] {
  const { traces } = options;
  if (!traces.enabled) return [];
  const languages = enabledLanguages(options);
  const destination = traces.backend === TracesBackend.TEMPO
    ? `Tempo in \`${traces.namespace}\``
    : `\`${traces.otlpEndpoint}\``;
  const lines = [
    '## Traces: auto-instrumentation',
    '',
  ];
  if (languages.length === 0) {
    lines.push(
      'No language is enabled (`traces.instrumentationLanguages` is empty): the OpenTelemetry operator injects nothing.',
      `Instrumented applications can send OTLP to \`${otelGatewayHttpEndpoint(options)}\` (HTTP) themselves.`,
      '',
    );
    return lines;
  }
  lines.push(
    'The OpenTelemetry operator injects an SDK into pods that opt in with an annotation on the **pod template**',
    '(`spec.template.metadata.annotations` of a Deployment, StatefulSet, DaemonSet or Job; not the workload\'s own metadata):',
    '',
    '| Language | Pod template annotation |',
    '| --- | --- |',
    ...languages.map((l) => `| ${DISPLAY_NAME[l]} | \`${injectAnnotation(options, l)}\` |`),
    '',
    `The value names the Instrumentation \`${INSTRUMENTATION_NAME}\` in \`${traces.namespace}\`, so workloads in any namespace can use it.`,
    'Pods are mutated when they are created: restart existing workloads (`kubectl rollout restart`) after adding the annotation.',
    `Spans go over OTLP/HTTP to the gateway collector \`${otelGatewayHttpEndpoint(options)}\`, which adds \`k8s.cluster.name\``,
    `and pod metadata and exports them to ${destination}. Sampling is parent-based with ratio ${String(traces.samplerRatio)}`,
    '(`traces.samplerRatio`). Only traces are exported: the SDKs\' metrics and logs exporters are set to `none`',
    '(set `OTEL_METRICS_EXPORTER` / `OTEL_LOGS_EXPORTER` on a container to override).',
    '',
    'Languages not in `traces.instrumentationLanguages` are disabled in the operator: their annotation has no effect.',
  );
  if (languages.includes(InstrumentationLanguage.GO)) {
    lines.push(
      '',
      '**Go** (eBPF-based) needs more than the annotation:',
      '- also annotate the pod template with `instrumentation.opentelemetry.io/otel-go-auto-target-exe: "/path/to/binary"`,',
      '  the path of the instrumented executable inside the container (without it the operator leaves the pod unchanged);',
      '- the operator adds a **privileged** sidecar (`privileged: true`, `runAsUser: 0`, a `hostPath` mount of `/sys/kernel/debug`)',
      '  and sets `shareProcessNamespace: true`: namespaces enforcing the `baseline` or `restricted` Pod Security Standard reject such pods.',
    );
  }
  lines.push('');
  return lines;
}
