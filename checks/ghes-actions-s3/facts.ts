// The facts the ghes-actions-s3 pack reads: the facts of the ghes-s3 pack (its storage checks are
// shared, checks/s3-storage/), declared in checks/ghes-s3/facts.ts, and the SSE-KMS key policy,
// which this pack's only source (live AWS) always offers. The OIDC checks (oidc-*.ts) read their
// own facts, declared in ./oidc-facts.ts.

import type { GhesS3Facts, KeyPolicyFact } from '../ghes-s3/facts.ts';

export interface GhesActionsFacts extends GhesS3Facts {
  kmsKeyPolicy(keyArn: string): Promise<KeyPolicyFact>;
}

export type { KeyPolicyFact };
