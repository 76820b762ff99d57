// What every ghes-s3 check receives: the validated target and the facts (never an SDK client).

import type { S3Probe } from '../../src/aws/probe.ts';
import type { S3Facts } from '../../src/aws/s3-facts.ts';
import type { ServiceUrlInput } from '../../src/config/service-url.ts';
import type { DriftContext } from '../../src/drift/baseline.ts';
import { type CheckDefinition, defineCheck } from '../../src/engine/check.ts';

export interface GhesS3Target extends ServiceUrlInput {
  bucket: string;
  region?: string;
  actionsBucket?: string;
  principalArn?: string;
  engine: 'auto' | 'aws' | 'local';
  sourceIps: string[];
  sourceVpce?: string;
  maxRetentionDays?: number;
}

/** The facts interface checks see; tests pass plain objects with just the getters a check uses. */
export type GhesS3Facts = Pick<S3Facts, {
  [K in keyof S3Facts]: S3Facts[K] extends (...args: never[]) => Promise<unknown> ? K : never;
}[keyof S3Facts]>;

/**
 * The write side, for the `probe` and `probe-cleanup` checks only. Deliberately not part of the
 * facts: facts are read-only, memoized getters; the probe writes. It exists only with --probe
 * (without it the context has no way to write at all), and every key is under `prefix`.
 */
export type GhesS3Probe = Pick<
  S3Probe,
  | 'bucket'
  | 'runId'
  | 'prefix'
  | 'endpointUrl'
  | 'secureTransport'
  | 'keyOf'
  | 'putObject'
  | 'getObject'
  | 'listObjects'
  | 'createMultipartUpload'
  | 'uploadPart'
  | 'listParts'
  | 'listMultipartUploads'
  | 'completeMultipartUpload'
  | 'abortMultipartUpload'
  | 'deleteObject'
  | 'cleanup'
>;

export interface GhesS3Context {
  target: GhesS3Target;
  facts: GhesS3Facts;
  /** Only with --probe (issue 7). */
  probe?: GhesS3Probe;
  /** --baseline / --write-baseline, for the `storage-drift` check (issue 7). */
  drift?: DriftContext;
}

export type GhesS3Check = CheckDefinition<GhesS3Context>;
export const defineGhesS3Check = (check: GhesS3Check): GhesS3Check => defineCheck(check);

export const bucketArn = (bucket: string): string => `arn:aws:s3:::${bucket}`;

/** Reference to the GHES source document, cited by checks whose verdict rests on it. */
export const GHES_STORAGE_DOC =
  'GitHub Enterprise Server: Enabling GitHub Packages with AWS (https://docs.github.com/en/enterprise-server@latest/admin/packages/enabling-github-packages-with-aws)';
