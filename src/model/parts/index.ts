import { alertRules } from './alert-rules';
import { alloy } from './alloy';
import { argoCd } from './argo-cd';
import { argoCdMetrics } from './argocd-metrics';
import { dashboards } from './dashboards';
import { elasticsearch } from './elasticsearch';
import { fluentBit } from './fluent-bit';
import { fluentd } from './fluentd';
import { grafana } from './grafana';
import { kibana } from './kibana';
import { kubePrometheusStack } from './kube-prometheus-stack';
import { loki } from './loki';
import { lokiStack } from './loki-stack';
import { metricsServer } from './metrics-server';
import { mimir } from './mimir';
import { opentelemetryOperator } from './opentelemetry-operator';
import { opentelemetryResources } from './opentelemetry-resources';
import { prometheus } from './prometheus';
import { prometheusOperatorCrds } from './prometheus-operator-crds';
import { promtail } from './promtail';
import { serviceMonitors } from './service-monitors';
import { tempo } from './tempo';
import { thanos } from './thanos';
import { PartDefinition } from '../stack';

/**
 * Every part the library can deploy, roughly in sync-wave order (the model
 * sorts by wave). Add a part: one file here, one entry below.
 */
export const PART_DEFINITIONS: readonly PartDefinition[] = [
  argoCd,
  prometheusOperatorCrds,
  opentelemetryOperator,
  metricsServer,
  alloy,
  fluentBit,
  fluentd,
  promtail,
  kubePrometheusStack,
  prometheus,
  grafana,
  mimir,
  thanos,
  loki,
  lokiStack,
  elasticsearch,
  kibana,
  tempo,
  opentelemetryResources,
  dashboards,
  alertRules,
  serviceMonitors,
  argoCdMetrics,
];
