// The two policies of the role GHES Actions assumes with OpenID Connect: the trust policy of the GHES
// documentation (exactly the appliance's provider, AssumeRoleWithWebIdentity, StringEquals on aud
// and sub) and, instead of the AmazonS3FullAccess the documentation attaches, the seven S3 actions
// on the Actions bucket (plus the KMS key when the bucket uses SSE-KMS). `policy actions-role`
// prints both; a test proves they pass the OIDC checks and the permission engine.

import { ghesUserPolicy, type PolicyDocument } from '../policy/generate.ts';
import { claimKey, normalizeHost, OIDC_AUDIENCE, providerArn, WEB_IDENTITY_ACTION } from './issuer.ts';

/** The one statement the role's trust policy needs. */
export function actionsTrustStatement(partition: string, account: string, host: string): Record<string, unknown> {
  return {
    Sid: 'GhesActionsOidc',
    Effect: 'Allow',
    Principal: { Federated: providerArn(partition, account, host) },
    Action: WEB_IDENTITY_ACTION,
    Condition: { StringEquals: { [claimKey(host, 'aud')]: OIDC_AUDIENCE, [claimKey(host, 'sub')]: normalizeHost(host) } },
  };
}

export function actionsTrustPolicy(partition: string, account: string, host: string): PolicyDocument {
  return { Version: '2012-10-17', Statement: [actionsTrustStatement(partition, account, host)] };
}

/** The permission policy: the seven GHES storage actions on the Actions bucket only (Sids say Actions). */
export function actionsPermissionPolicy(bucket: string, kmsKeyArn?: string): PolicyDocument {
  const doc = ghesUserPolicy(bucket, kmsKeyArn);
  return { ...doc, Statement: doc.Statement.map((s) => ({ ...s, Sid: String(s.Sid).replace(/^GhesPackages/, 'GhesActions') })) };
}
