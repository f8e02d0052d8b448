import { kubePrometheusStack } from './kube-prometheus-stack';
import { prometheusOperatorCrds } from './prometheus-operator-crds';
import { PartDefinition } from '../stack';

/** Every part the library can deploy. Add a part: one file here, one entry below. */
export const PART_DEFINITIONS: readonly PartDefinition[] = [
  prometheusOperatorCrds,
  kubePrometheusStack,
];
