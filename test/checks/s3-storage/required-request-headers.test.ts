import requiredRequestHeaders from '../../../checks/s3-storage/required-request-headers.ts';
import { parsePolicyDocument } from '../../../src/policy/document.ts';
import { checkTable, deniedFact } from '../check-table.ts';

const B = 'ghes-packages';
const policyFact = (...statements: object[]) => {
  const text = JSON.stringify({ Version: '2012-10-17', Statement: statements });
  return { bucketPolicy: { present: true, text, parsed: parsePolicyDocument(text) } };
};
const deny = (sid: string, condition: object, extra: object = {}) => ({ Sid: sid, Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: `arn:aws:s3:::${B}/*`, Condition: condition, ...extra });

checkTable(requiredRequestHeaders, [
  { name: 'no bucket policy', facts: { bucketPolicy: { present: false } }, expect: { status: 'pass', messageId: 'noPolicy' } },
  {
    name: 'TLS-only Deny demands no header',
    facts: policyFact({ Sid: 'TLS', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [`arn:aws:s3:::${B}`, `arn:aws:s3:::${B}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    expect: { status: 'pass', messageId: 'none', evidence: { denyStatements: 1 } },
  },
  {
    name: 'Deny unless SSE header: warn, prefer default encryption',
    facts: policyFact(deny('RequireSSE', { StringNotEquals: { 's3:x-amz-server-side-encryption': 'AES256' } })),
    expect: { status: 'warn', subject: 'ghes-packages', messageId: 'encryptionDemanded', message: 'x-amz-server-side-encryption: AES256', evidence: { headers: ['x-amz-server-side-encryption'], appliesToEveryone: true } },
  },
  {
    name: 'Null check on the SSE header',
    facts: policyFact(deny('SSEPresent', { Null: { 's3:x-amz-server-side-encryption': 'true' } })),
    expect: { status: 'warn', messageId: 'encryptionDemanded', message: 'x-amz-server-side-encryption: any value (Null' },
  },
  {
    name: 'SSE-KMS with a specific key id',
    facts: policyFact(deny('KmsKey', { StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms', 's3:x-amz-server-side-encryption-aws-kms-key-id': 'arn:aws:kms:us-east-1:111111111111:key/k' } })),
    expect: { status: 'warn', messageId: 'encryptionDemanded', evidence: { headers: ['x-amz-server-side-encryption', 'x-amz-server-side-encryption-aws-kms-key-id'] } },
  },
  {
    name: 'Deny unless bucket-owner-full-control ACL fails (GHES applies no ACLs)',
    facts: policyFact(deny('RequireAcl', { StringNotEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } })),
    expect: { status: 'fail', subject: 'ghes-packages', messageId: 'aclDemanded' },
  },
  {
    name: 'ACL demand scoped to other principals only warns',
    facts: policyFact(deny('PartnerAcl', { StringNotEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } }, { Principal: { AWS: 'arn:aws:iam::222222222222:root' } })),
    expect: { status: 'warn', messageId: 'aclDemandedScoped', message: 'arn:aws:iam::222222222222:root', evidence: { appliesToEveryone: false } },
  },
  {
    name: 'ACL demand only from outside the organization warns',
    facts: policyFact(deny('OrgAcl', { StringNotEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:PrincipalOrgID': 'o-abc' } })),
    expect: { status: 'warn', messageId: 'aclDemandedScoped', message: 'when aws:PrincipalOrgID also match' },
  },
  {
    name: 'storage class demanded warns',
    facts: policyFact(deny('Class', { StringNotEqualsIfExists: { 's3:x-amz-storage-class': 'STANDARD_IA' } })),
    expect: { status: 'warn', messageId: 'headersDemanded', message: 'x-amz-storage-class: STANDARD_IA' },
  },
  {
    name: 'object lock headers demanded warn',
    facts: policyFact(deny('Lock', { Null: { 's3:object-lock-mode': 'true' } })),
    expect: { status: 'warn', messageId: 'headersDemanded', message: 'x-amz-object-lock-mode' },
  },
  {
    name: 'a Deny that forbids a header value (positive operator) demands nothing',
    facts: policyFact(deny('NoPublicAcl', { StringEquals: { 's3:x-amz-acl': ['public-read', 'public-read-write'] } })),
    expect: { status: 'pass', messageId: 'none' },
  },
  {
    name: 'a Deny on another bucket is ignored',
    facts: policyFact({ ...deny('Other', { Null: { 's3:x-amz-server-side-encryption': 'true' } }), Resource: 'arn:aws:s3:::other-bucket/*' }),
    expect: { status: 'pass', messageId: 'none' },
  },
  {
    name: 'a Deny on GetObject only is ignored',
    facts: policyFact({ ...deny('Get', { Null: { 's3:x-amz-server-side-encryption': 'true' } }), Action: 's3:GetObject' }),
    expect: { status: 'pass', messageId: 'none' },
  },
  {
    name: 'several demanding statements: one result for the bucket naming each (stable subjects)',
    facts: policyFact(deny('A', { StringNotEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } }), deny('S', { Null: { 's3:x-amz-server-side-encryption': 'true' } }, { Action: 's3:*' })),
    expect: [{ status: 'fail', subject: 'ghes-packages', message: 'Sid "S"' }],
  },
  { name: 'unparsable policy is an error', facts: { bucketPolicy: { present: true, text: '{', parsed: parsePolicyDocument('{') } }, expect: { status: 'error', messageId: 'unparsable' } },
  { name: 'unreadable policy is an error', facts: { bucketPolicy: deniedFact('bucketPolicy', 's3:GetBucketPolicy') }, expect: { status: 'error', evidence: { code: 'AccessDenied' } } },
]);
