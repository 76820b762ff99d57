// Recommended policies, generated so that each passes the tool's own checks (tested against the
// emulator): the GHES user's least-privilege identity policy, a bucket policy (TLS only, optional
// address restriction), and the read-only policy the checker itself needs.

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: Array<Record<string, unknown>>;
}

const arn = (bucket: string) => `arn:aws:s3:::${bucket}`;

/** The seven actions of the GHES documentation, each on the resource form it acts on (the same for Packages and Actions storage). */
export function ghesUserPolicy(bucket: string, kmsKeyArn?: string, feature: 'Packages' | 'Actions' = 'Packages'): PolicyDocument {
  const statements: Array<Record<string, unknown>> = [
    { Sid: `Ghes${feature}Bucket`, Effect: 'Allow', Action: ['s3:ListBucket', 's3:ListBucketMultipartUploads'], Resource: arn(bucket) },
    {
      Sid: `Ghes${feature}Objects`,
      Effect: 'Allow',
      Action: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'],
      Resource: `${arn(bucket)}/*`,
    },
  ];
  if (kmsKeyArn) statements.push({ Sid: `Ghes${feature}KmsKey`, Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: kmsKeyArn });
  return { Version: '2012-10-17', Statement: statements };
}

/**
 * A bucket policy that refuses plain-http requests and, with source addresses, refuses the GHES
 * principal's requests from anywhere else. GHES hands end users pre-signed URLs signed with its
 * own key, so the addresses must include the end users' networks as well as the appliance.
 */
export function bucketPolicy(bucket: string, principalArn: string, sourceCidrs: string[] = []): PolicyDocument {
  const statements: Array<Record<string, unknown>> = [
    { Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [arn(bucket), `${arn(bucket)}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
  ];
  if (sourceCidrs.length) {
    statements.push({
      Sid: 'DenyGhesOutsideKnownNetworks',
      Effect: 'Deny',
      Principal: { AWS: principalArn },
      Action: 's3:*',
      Resource: [arn(bucket), `${arn(bucket)}/*`],
      Condition: { NotIpAddress: { 'aws:SourceIp': sourceCidrs } },
    });
  }
  return { Version: '2012-10-17', Statement: statements };
}

/** What the checker reads (README "The permissions the checker needs"); BUCKET when none is given. */
/**
 * `report export --security-hub` imports findings through the caller's default product: only that
 * product, only BatchImportFindings (the one write besides --probe, so it is opt-in here too).
 */
export function securityHubImportStatement(region = '*'): PolicyDocument['Statement'][number] {
  return { Sid: 'ImportFindingsToSecurityHub', Effect: 'Allow', Action: 'securityhub:BatchImportFindings', Resource: `arn:aws:securityhub:${region}:*:product/*/default` };
}

export function checkerPolicy(bucket = 'BUCKET', options: { securityHub?: boolean; region?: string } = {}): PolicyDocument {
  const doc: PolicyDocument = {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'ReadBucketSettings',
        Effect: 'Allow',
        Action: [
          's3:ListBucket',
          's3:GetBucketLocation',
          's3:GetBucketPolicy',
          's3:GetBucketPolicyStatus',
          's3:GetBucketAcl',
          's3:GetBucketPublicAccessBlock',
          's3:GetBucketOwnershipControls',
          's3:GetEncryptionConfiguration',
          's3:GetBucketVersioning',
          's3:GetLifecycleConfiguration',
          's3:GetBucketObjectLockConfiguration',
          's3:GetBucketRequestPayment',
          's3:GetReplicationConfiguration',
          's3:GetIntelligentTieringConfiguration',
          // probe-leftovers: what earlier --probe runs left under packages-preflight/ (listings only).
          's3:ListBucketVersions',
          's3:ListBucketMultipartUploads',
        ],
        Resource: arn(bucket),
      },
      { Sid: 'ReadAccountBlockPublicAccess', Effect: 'Allow', Action: 's3:GetAccountPublicAccessBlock', Resource: '*' },
      {
        Sid: 'ReadPrincipalPolicies',
        Effect: 'Allow',
        Action: ['iam:GetAccountAuthorizationDetails', 'iam:GetRole', 'iam:GetPolicy', 'iam:GetPolicyVersion', 'iam:SimulatePrincipalPolicy'],
        Resource: '*',
      },
    ],
  };
  if (options.securityHub) doc.Statement.push(securityHubImportStatement(options.region));
  return doc;
}
