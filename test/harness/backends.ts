// The emulator backends the parametrised end-to-end scenarios run against: the worker's moto (reset
// before each test) and the shared LocalStack (started by global-setup.ts in host mode, or by
// testcontainers where Docker exists). LocalStack has no reset endpoint in its core edition, so each
// test gets a fresh account (LocalStack takes a 12-digit access key id as the account id: IAM users,
// policies and account Block Public Access start empty) and bucket names unique to the test (bucket
// names are global across accounts), and its buckets are deleted after it.
import { randomBytes, randomInt } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, inject } from 'vitest';
import {
  DeleteBucketCommand, DeleteObjectsCommand, ListBucketsCommand, ListMultipartUploadsCommand, AbortMultipartUploadCommand,
  ListObjectVersionsCommand, S3Client,
} from '@aws-sdk/client-s3';
import { type SdkTestConfig, sdkConfig } from './moto.ts';
import { attachMoto, workerMotoEndpoint } from './use-moto.ts';
import { type Moto, startMoto } from './moto.ts';

export type BackendName = 'moto' | 'localstack';
export const BACKENDS: readonly BackendName[] = ['moto', 'localstack'];

export interface Backend {
  readonly name: BackendName;
  readonly endpoint: string;
  /** The account the test's admin credentials act in (moto: always 123456789012). */
  readonly account: string;
  readonly admin: { accessKeyId: string; secretAccessKey: string };
  /** `base`, made unique to this test where the emulator is shared (LocalStack). */
  bucket(base: string): string;
  /** SDK options for the test's own clients, as the admin. */
  sdk(): SdkTestConfig;
  /**
   * Admin credentials of a second account: on LocalStack a fresh one (its buckets are deleted after
   * the test too); moto keeps every access key in 123456789012, so there it is the same account.
   */
  secondAccount(): { account: string; admin: { accessKeyId: string; secretAccessKey: string } };
  /** LocalStack creates buckets with AWS's post-2023 defaults (BPA on, ACLs disabled, SSE-S3); moto does not. */
  readonly awsBucketDefaults: boolean;
}

/** Why this backend's tests skip here, or undefined when they run (the reason is printed once by globalSetup). */
export function backendSkip(name: BackendName): string | undefined {
  if (name === 'moto') return undefined;
  return inject('localstackSkip') || (inject('localstackEndpoint') ? undefined : 'LocalStack was not started (run the e2e project through vitest.config.ts)');
}

/** Registers the hooks that give each test a clean slate on `name`; the handle is valid inside tests. */
export function useBackend(name: BackendName): Backend {
  let endpoint = '';
  let moto: Moto | undefined;
  let ownMoto = false;
  let account = '123456789012';
  let admin = sdkConfig('http://127.0.0.1:9').credentials;
  let suffix = '';
  beforeAll(async () => {
    if (name === 'moto') {
      const shared = workerMotoEndpoint();
      moto = shared ? attachMoto(shared) : await startMoto();
      ownMoto = !shared;
      endpoint = moto.endpoint;
    } else endpoint = inject('localstackEndpoint');
  });
  beforeEach(async () => {
    if (moto) return moto.reset();
    account = String(randomInt(100_000_000_000, 999_999_999_999));
    admin = { accessKeyId: account, secretAccessKey: 'test-secret-not-real' };
    suffix = randomBytes(3).toString('hex');
  });
  let extraAccounts: Array<{ accessKeyId: string; secretAccessKey: string }> = [];
  afterEach(async () => {
    if (name === 'localstack') for (const a of [admin, ...extraAccounts]) await deleteAllBuckets(endpoint, a);
    extraAccounts = [];
  });
  afterAll(async () => {
    if (ownMoto) await moto?.stop();
  });
  const handle: Backend = {
    name,
    get endpoint() { return endpoint; },
    get account() { return account; },
    get admin() { return admin; },
    bucket: (base) => (name === 'localstack' ? `${base}-${suffix}` : base),
    sdk: () => sdkConfig(endpoint, admin),
    secondAccount: () => {
      if (name === 'moto') return { account, admin };
      const other = String(randomInt(100_000_000_000, 999_999_999_999));
      const creds = { accessKeyId: other, secretAccessKey: 'test-secret-not-real' };
      extraAccounts.push(creds);
      return { account: other, admin: creds };
    },
    awsBucketDefaults: name === 'localstack',
  };
  return handle;
}

/** Empties and deletes every bucket of the account (LocalStack has no reset). */
async function deleteAllBuckets(endpoint: string, credentials: { accessKeyId: string; secretAccessKey: string }): Promise<void> {
  const s3 = new S3Client(sdkConfig(endpoint, credentials));
  try {
    const { Buckets = [] } = await s3.send(new ListBucketsCommand({}));
    for (const { Name: Bucket } of Buckets) {
      if (!Bucket) continue;
      for (;;) {
        const v = await s3.send(new ListObjectVersionsCommand({ Bucket }));
        const keys = [...(v.Versions ?? []), ...(v.DeleteMarkers ?? [])].map((x) => ({ Key: x.Key as string, VersionId: x.VersionId }));
        if (keys.length === 0) break;
        await s3.send(new DeleteObjectsCommand({ Bucket, BypassGovernanceRetention: true, Delete: { Objects: keys } }));
      }
      const mpu = await s3.send(new ListMultipartUploadsCommand({ Bucket }));
      for (const u of mpu.Uploads ?? []) await s3.send(new AbortMultipartUploadCommand({ Bucket, Key: u.Key, UploadId: u.UploadId }));
      await s3.send(new DeleteBucketCommand({ Bucket }));
    }
  } finally {
    s3.destroy();
  }
}
