import { synthFiles } from './util';
import { lokiSize, mimirSize, prometheusSize, tempoSize } from '../src/options/sizing';

/* The sizing helper's outputs for sample inputs (formulas in src/options/sizing.ts and the README). */

describe('Prometheus', () => {
  test('1M series at 30s, 15d', () => {
    // 4 KiB × 1M + 512 MiB = 4418.25 MiB → 4419Mi; 0.5 core; 33,334 samples/s × 2 B × 1,296,000 s × 1.2 = 96.6 GiB → 97Gi.
    expect(prometheusSize(1_000_000, '30s', '15d')).toEqual({ memory: '4419Mi', cpu: '500m', storage: '97Gi' });
  });
  test('a small cluster gets the floors', () => {
    expect(prometheusSize(10_000, '30s', '7d')).toEqual({ memory: '552Mi', cpu: '250m', storage: '10Gi' });
  });
  test('used as defaults, explicit options win', () => {
    const v = (o: object) => synthFiles(o)['values/kube-prometheus-stack.yaml'].prometheus.prometheusSpec;
    const sized = v({ sizing: { activeSeries: 1_000_000 } });
    expect(sized.resources).toEqual({ requests: { cpu: '500m', memory: '4419Mi' }, limits: { memory: '4419Mi' } });
    expect(sized.storageSpec.volumeClaimTemplate.spec.resources.requests.storage).toBe('97Gi');
    const explicit = v({ sizing: { activeSeries: 1_000_000 }, metrics: { storage: { size: '20Gi' }, resources: { memoryRequest: '1Gi' } } });
    expect(explicit.storageSpec.volumeClaimTemplate.spec.resources.requests.storage).toBe('20Gi');
    expect(explicit.resources).toEqual({ requests: { memory: '1Gi' } });
  });
});

test('Mimir: 2M series at 30s', () => {
  // 6M in-memory series / 300k = 20 ingesters of 1 core and 2.5 GiB; 66,667 samples/s / 25k = 3 distributors.
  expect(mimirSize(2_000_000, '30s')).toEqual({
    ingester: { replicas: 20, cpu: '1000m', memory: '3Gi' },
    distributor: { replicas: 3, cpu: '900m', memory: '1Gi' },
  });
  expect(mimirSize(10_000, '30s').ingester.replicas).toBe(3);
});

test('Loki: 200 GiB a day for 7 days', () => {
  expect(lokiSize(200, '7d')).toEqual({
    ingester: { replicas: 4, cpu: '1000m', memory: '4Gi' }, distributorReplicas: 2, querierReplicas: 2, singleBinaryStorage: '168Gi',
  });
  expect(lokiSize(1000, '30d').ingester.replicas).toBe(20);
});

test('Tempo: 50,000 spans/s for 14 days', () => {
  // 50k × 3600 × 336 h × 250 B × 1.2 = 16,897.6 GiB → 16898Gi.
  expect(tempoSize(50_000, '336h')).toEqual({ distributorReplicas: 3, partitions: 3, monolithicStorage: '16898Gi' });
  expect(tempoSize(100, '24h').monolithicStorage).toBe('10Gi');
});
