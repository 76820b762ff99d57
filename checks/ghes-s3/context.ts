// What every ghes-s3 check receives: the validated target and the facts (never an SDK client).

import type { ServiceUrlInput } from '../../src/config/service-url.ts';
import type { DriftContext } from '../../src/drift/baseline.ts';
import { type CheckDefinition, defineCheck } from '../../src/engine/check.ts';
import type { GhesS3Facts, GhesS3Probe } from './facts.ts';

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

/** The facts (read side) and the probe (write side) the checks see: declared by the pack in ./facts.ts. */
export type { GhesS3Facts, GhesS3Probe };

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

// The pack's checks live in checks/s3-storage/ (shared with ghes-actions-s3), with these helpers.
export { bucketArn, GHES_STORAGE_DOC } from '../s3-storage/context.ts';
