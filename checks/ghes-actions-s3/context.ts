// What every ghes-actions-s3 check receives: the validated Actions storage target and the facts
// (never an SDK client). The shared checks (checks/s3-storage/) see it as an S3StorageContext.

import { type CheckDefinition, defineCheck } from '../../src/engine/check.ts';
import type { S3StorageTarget, StorageContext } from '../s3-storage/context.ts';
import type { GhesActionsFacts } from './facts.ts';

export interface GhesActionsTarget extends S3StorageTarget {
  storage: 'actions';
  /** The Actions bucket. */
  bucket: string;
  /** The Packages bucket, which must be another one (dedicated-bucket). */
  packagesBucket?: string;
  /**
   * The principal whose policies are evaluated: --principal-arn (the key user), or the OIDC role
   * (--role-arn) when GHES authenticates with OpenID Connect.
   */
  principalArn?: string;
  /** --role-arn: the IAM role GHES assumes with OpenID Connect (then also principalArn). */
  roleArn?: string;
  /** --ghes-host: the appliance's public host name; the OIDC issuer is https://HOST/_services/token. */
  ghesHost?: string;
  /** --ghes-url: where to read the appliance's TLS certificate and discovery documents live (default https://HOST). */
  ghesUrl?: string;
  /** --ghes-certificate: a PEM file with the appliance's certificate (chain), instead of reading it live. */
  ghesCertificate?: string;
}

/** The probe only with --probe; the baseline only with --baseline / --write-baseline (storage-drift). */
export type GhesActionsContext = StorageContext<GhesActionsTarget, GhesActionsFacts>;

export type GhesActionsCheck = CheckDefinition<GhesActionsContext>;
export const defineGhesActionsCheck = (check: GhesActionsCheck): GhesActionsCheck => defineCheck(check);

export { GHES_ACTIONS_STORAGE_DOC } from '../s3-storage/context.ts';
