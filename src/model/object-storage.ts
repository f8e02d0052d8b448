import { ObjectStorageProvider } from '../options/fleet';
import { ResolvedObjectStorage } from '../options/resolve';

/**
 * Object storage as each backend's configuration spells it, and the
 * credentials injected from the user's Secret (never written to Git).
 *
 * S3: `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` as environment variables
 * (every backend's S3 client reads them through the AWS credential chain).
 * Azure: `AZURE_STORAGE_ACCOUNT_KEY`, referenced as `${AZURE_STORAGE_ACCOUNT_KEY}`
 * in configurations read with `-config.expand-env=true`. GCS: the key file
 * `gcs.json` mounted from the Secret, named by `GOOGLE_APPLICATION_CREDENTIALS`.
 * Without a Secret, workload identity supplies the credentials.
 *
 * Internal module: not exported from src/index.ts.
 */

/** The Secret keys the backends read, by provider. */
export const STORAGE_SECRET_KEYS: Readonly<Record<ObjectStorageProvider, readonly string[]>> = {
  [ObjectStorageProvider.S3]: ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'],
  [ObjectStorageProvider.AZURE]: ['AZURE_STORAGE_ACCOUNT_KEY'],
  [ObjectStorageProvider.GCS]: ['gcs.json'],
};

const AZURE_KEY_REF = '${AZURE_STORAGE_ACCOUNT_KEY}';
const GCS_DIR = '/etc/obs-gitops/gcs';
const GCS_VOLUME = 'gcs-credentials';

/** Pod-level injection of the credentials: lists in the shape every chart's extra* values take. */
export interface StorageCredentials {
  readonly envFrom: Record<string, unknown>[];
  readonly env: Record<string, unknown>[];
  readonly volumes: Record<string, unknown>[];
  readonly volumeMounts: Record<string, unknown>[];
}

export function storageCredentials(os: ResolvedObjectStorage): StorageCredentials {
  const none = { envFrom: [], env: [], volumes: [], volumeMounts: [] };
  if (os.secretName === undefined) return none;
  if (os.provider === ObjectStorageProvider.GCS) {
    return {
      envFrom: [],
      env: [{ name: 'GOOGLE_APPLICATION_CREDENTIALS', value: `${GCS_DIR}/gcs.json` }],
      volumes: [{ name: GCS_VOLUME, secret: { secretName: os.secretName } }],
      volumeMounts: [{ name: GCS_VOLUME, mountPath: GCS_DIR, readOnly: true }],
    };
  }
  return { ...none, envFrom: [{ secretRef: { name: os.secretName } }] };
}

/** Whether the backend must read its configuration with `-config.expand-env=true` (an Azure key reference). */
export function needsExpandEnv(os: ResolvedObjectStorage): boolean {
  return os.provider === ObjectStorageProvider.AZURE && os.secretName !== undefined;
}

/** The S3 endpoint: the one given, or AWS's regional endpoint. */
function s3Endpoint(os: ResolvedObjectStorage): string {
  return os.endpoint ?? `s3.${os.region}.amazonaws.com`;
}

/** The loki chart's `loki.storage` (chunks, ruler and admin in one bucket, under their own prefixes). */
export function lokiStorage(os: ResolvedObjectStorage): Record<string, unknown> {
  const bucket = os.buckets.logs;
  const common = { type: os.provider, bucketNames: { chunks: bucket, ruler: bucket, admin: bucket } };
  switch (os.provider) {
    case ObjectStorageProvider.S3:
      return {
        ...common,
        s3: {
          ...(os.region !== undefined ? { region: os.region } : {}),
          ...(os.endpoint !== undefined ? { endpoint: os.endpoint, s3ForcePathStyle: true } : {}),
          insecure: os.insecure,
        },
      };
    case ObjectStorageProvider.AZURE:
      return {
        ...common,
        azure: os.secretName !== undefined
          ? { accountName: os.azureAccountName, accountKey: AZURE_KEY_REF }
          : { accountName: os.azureAccountName, useFederatedToken: true },
      };
    default:
      return { ...common, gcs: {} };
  }
}

/** Tempo's `storage.trace` backend settings (both Tempo charts). */
export function tempoTraceStorage(os: ResolvedObjectStorage): Record<string, unknown> {
  const bucket = os.buckets.traces;
  switch (os.provider) {
    case ObjectStorageProvider.S3:
      return {
        backend: 's3',
        s3: {
          bucket,
          endpoint: s3Endpoint(os),
          ...(os.region !== undefined ? { region: os.region } : {}),
          insecure: os.insecure,
          ...(os.endpoint !== undefined ? { forcepathstyle: true } : {}),
        },
      };
    case ObjectStorageProvider.AZURE:
      return {
        backend: 'azure',
        azure: {
          container_name: bucket,
          storage_account_name: os.azureAccountName,
          ...(os.secretName !== undefined ? { storage_account_key: AZURE_KEY_REF } : { use_federated_token: true }),
        },
      };
    default:
      return { backend: 'gcs', gcs: { bucket_name: bucket } };
  }
}

/**
 * Mimir's `common.storage` (blocks, ruler and alertmanager state share the
 * bucket under their own `storage_prefix`).
 */
export function mimirCommonStorage(os: ResolvedObjectStorage): Record<string, unknown> {
  const bucket = os.buckets.metrics;
  switch (os.provider) {
    case ObjectStorageProvider.S3:
      return {
        backend: 's3',
        s3: {
          bucket_name: bucket,
          endpoint: s3Endpoint(os),
          ...(os.region !== undefined ? { region: os.region } : {}),
          insecure: os.insecure,
          ...(os.secretName !== undefined ? { access_key_id: '${AWS_ACCESS_KEY_ID}', secret_access_key: '${AWS_SECRET_ACCESS_KEY}' } : {}),
        },
      };
    case ObjectStorageProvider.AZURE:
      return {
        backend: 'azure',
        azure: {
          container_name: bucket,
          account_name: os.azureAccountName,
          ...(os.secretName !== undefined ? { account_key: AZURE_KEY_REF } : {}),
        },
      };
    default:
      return { backend: 'gcs', gcs: { bucket_name: bucket } };
  }
}

/**
 * The Thanos objstore configuration the user stores in a Secret
 * (`objstore.yml`): bucket and endpoint from the options, the credentials as
 * placeholders to fill in (left out for workload identity).
 */
export function thanosObjstore(os: ResolvedObjectStorage): Record<string, unknown> {
  const bucket = os.buckets.metrics;
  const secret = os.secretName !== undefined;
  switch (os.provider) {
    case ObjectStorageProvider.S3:
      return {
        type: 'S3',
        config: {
          bucket,
          endpoint: s3Endpoint(os),
          ...(os.region !== undefined ? { region: os.region } : {}),
          insecure: os.insecure,
          ...(secret ? { access_key: '<AWS_ACCESS_KEY_ID>', secret_key: '<AWS_SECRET_ACCESS_KEY>' } : {}),
        },
      };
    case ObjectStorageProvider.AZURE:
      return {
        type: 'AZURE',
        config: {
          storage_account: os.azureAccountName,
          container: bucket,
          ...(secret ? { storage_account_key: '<AZURE_STORAGE_ACCOUNT_KEY>' } : {}),
        },
      };
    default:
      return { type: 'GCS', config: { bucket, ...(secret ? { service_account: '<the service account JSON key>' } : {}) } };
  }
}

/** Name and key of the Secret with the Thanos objstore configuration (created by the user). */
export const THANOS_OBJSTORE_SECRET = { name: 'thanos-objstore', key: 'objstore.yml' } as const;
