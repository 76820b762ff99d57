// What a check shared by both GHES storage packs (ghes-s3 for Packages, ghes-actions-s3 for
// Actions) may rely on: the part of the target both packs have, and the same facts. Each pack's
// context satisfies this one, so a shared check object is listed in both packs' index.ts as is.

import type { DriftContext } from '../../src/drift/baseline.ts';
import type { ServiceUrlInput } from '../../src/config/service-url.ts';
import { type CheckDefinition, defineCheck } from '../../src/engine/check.ts';
import type { GhesS3Facts, GhesS3Probe } from '../ghes-s3/facts.ts';

/** Which GHES feature keeps its data in the bucket under test. */
export type GhesStorage = 'packages' | 'actions';

export interface S3StorageTarget extends ServiceUrlInput {
  bucket: string;
  region?: string;
  /** Absent: Packages (the ghes-s3 pack, whose targets predate this field). */
  storage?: GhesStorage;
  /** ghes-s3: the Actions bucket, which must not be this one. */
  actionsBucket?: string;
  /** ghes-actions-s3: the Packages bucket, which must not be this one. */
  packagesBucket?: string;
  /** The IAM user or role whose policies are evaluated (ghes-actions-s3 sets it to --role-arn with OIDC). */
  principalArn?: string;
  engine: 'auto' | 'aws' | 'local';
  sourceIps: string[];
  sourceVpce?: string;
  maxRetentionDays?: number;
}

/** What a storage check receives: a target, the facts (never an SDK client), the probe only with --probe, the baseline only with --baseline/--write-baseline. */
export interface StorageContext<Target extends S3StorageTarget, Facts extends GhesS3Facts> {
  target: Target;
  facts: Facts;
  probe?: GhesS3Probe;
  drift?: DriftContext;
}

export type S3StorageContext = StorageContext<S3StorageTarget, GhesS3Facts>;

export type S3StorageCheck = CheckDefinition<S3StorageContext>;
export const defineS3StorageCheck = (check: S3StorageCheck): S3StorageCheck => defineCheck(check);

/** The feature's name as a GHES admin reads it in the console: "Packages" or "Actions". */
export const featureOf = (target: Pick<S3StorageTarget, 'storage'>): 'Packages' | 'Actions' => (target.storage === 'actions' ? 'Actions' : 'Packages');

/** The other feature's bucket (each feature needs its own), and that feature's name. */
export function otherStorage(target: Pick<S3StorageTarget, 'storage' | 'actionsBucket' | 'packagesBucket'>): { feature: 'Packages' | 'Actions'; bucket?: string; flag: string } {
  return target.storage === 'actions'
    ? { feature: 'Packages', bucket: target.packagesBucket, flag: '--packages-bucket' }
    : { feature: 'Actions', bucket: target.actionsBucket, flag: '--actions-bucket' };
}

export const bucketArn = (bucket: string): string => `arn:aws:s3:::${bucket}`;

/** Reference to the GHES Packages storage document, cited by checks whose verdict rests on it. */
export const GHES_STORAGE_DOC =
  'GitHub Enterprise Server: Enabling GitHub Packages with AWS (https://docs.github.com/en/enterprise-server@latest/admin/packages/enabling-github-packages-with-aws)';

/** Reference to the GHES Actions storage document, cited next to the Packages one by shared checks. */
export const GHES_ACTIONS_STORAGE_DOC =
  'GitHub Enterprise Server: Enabling GitHub Actions with Amazon S3 storage (https://docs.github.com/en/enterprise-server@latest/admin/managing-github-actions-for-your-enterprise/enabling-github-actions-for-github-enterprise-server/enabling-github-actions-with-amazon-s3-storage)';
