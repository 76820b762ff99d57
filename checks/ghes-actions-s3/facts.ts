// The facts the ghes-actions-s3 pack reads: the same bucket, identity and IAM facts as ghes-s3
// (the shared checks read them through one interface), including the SSE-KMS key policy.
// The OIDC checks (oidc-*.ts) read their own facts, declared in ./oidc-facts.ts.

import type { GhesS3Facts } from '../ghes-s3/context.ts';

export type GhesActionsFacts = GhesS3Facts;
