import kmsAccess from '../../../checks/s3-storage/kms-access.ts';
import { FactError } from '../../../src/engine/fact-error.ts';
import { checkTable, deniedFact } from '../check-table.ts';

const user = { arn: 'arn:aws:iam::123456789012:user/ghes', kind: 'user', name: 'ghes', accountId: '123456789012' };
const KEY = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
/** The default key policy: the account's IAM policies decide. */
const DEFAULT_KEY_POLICY = { Version: '2012-10-17', Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'kms:*', Resource: '*' }] };
const keyPolicy = (doc: object) => ({ keyArn: KEY, policy: JSON.stringify(doc) });
const simulatorDown = new FactError({ fact: 'simulation', api: 'iam:SimulatePrincipalPolicy', code: 'InternalError', httpStatus: 500, message: '' });
const base = (doc: object, encryption: object = { configured: true, rules: [], algorithm: 'aws:kms', kmsKeyId: KEY }) => ({
  encryption,
  bucketHead: { status: 'found', region: 'us-east-1' },
  callerIdentity: { arn: user.arn, account: user.accountId, userId: 'AIDA' },
  principal: user,
  bucketOwnedBy: 'yes',
  simulatePrincipalPolicy: simulatorDown,
  principalPolicies: { identity: [{ kind: 'user-inline', name: 'p', document: doc }], via: 'GetAccountAuthorizationDetails' },
  kmsKeyPolicy: { keyArn: KEY, policy: JSON.stringify(DEFAULT_KEY_POLICY) },
});
const kmsBoth = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: KEY }] };

checkTable(kmsAccess, [
  { name: 'SSE-KMS with both permissions', facts: base(kmsBoth), expect: [{ status: 'pass', subject: 'kms:GenerateDataKey' }, { status: 'pass', subject: 'kms:Decrypt' }] },
  { name: 'SSE-KMS without Decrypt', facts: base({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:GenerateDataKey', Resource: KEY }] }), expect: [{ status: 'pass' }, { status: 'fail', subject: 'kms:Decrypt', message: 'downloads' }] },
  { name: 'SSE-KMS without any KMS permission', facts: base({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }), expect: [{ status: 'fail' }, { status: 'fail' }] },
  { name: 'key id without ARN is resolved in the bucket region', facts: base(kmsBoth, { configured: true, rules: [], algorithm: 'aws:kms', kmsKeyId: '1234abcd-12ab-34cd-56ef-1234567890ab' }), expect: [{ status: 'pass', evidence: { key: KEY } }, { status: 'pass' }] },
  { name: 'SSE-S3 is not applicable', facts: base(kmsBoth, { configured: true, rules: [], algorithm: 'AES256' }), expect: [{ status: 'skip', messageId: 'notKms', subject: 'kms:GenerateDataKey' }, { status: 'skip', messageId: 'notKms', subject: 'kms:Decrypt' }] },
  { name: 'no default encryption is not applicable', facts: base(kmsBoth, { configured: false, rules: [] }), expect: [{ status: 'skip', messageId: 'noEncryption', subject: 'kms:GenerateDataKey' }, { status: 'skip', messageId: 'noEncryption', subject: 'kms:Decrypt' }] },
  { name: 'default key policy: delegated to IAM, said so', facts: base(kmsBoth), expect: [{ status: 'pass', message: 'the key policy delegates to IAM', evidence: { keyPolicyRead: true, keyPolicyGrant: 'delegated' } }, { status: 'pass' }] },
  {
    name: 'key policy unreadable: identity side only, and why',
    facts: { ...base(kmsBoth), kmsKeyPolicy: deniedFact('kmsKeyPolicy', 'kms:GetKeyPolicy', 'AccessDeniedException') },
    expect: [{ status: 'pass', message: 'the checker may not read the key policy (kms:GetKeyPolicy answered AccessDeniedException)', evidence: { keyPolicyRead: false } }, { status: 'pass', evidence: { keyPolicyRead: false } }],
  },
  {
    name: 'key policy names only the key administrators: fails whatever the identity policy says',
    facts: { ...base(kmsBoth), kmsKeyPolicy: keyPolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:role/key-admin' }, Action: 'kms:*', Resource: '*' }] }) },
    expect: [{ status: 'fail', messageId: 'keyPolicyNoGrant', message: 'Enable IAM User Permissions' }, { status: 'fail', messageId: 'keyPolicyNoGrant' }],
  },
  {
    name: 'key policy grants the principal directly: passes without an identity grant',
    facts: { ...base({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }), kmsKeyPolicy: keyPolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: user.arn }, Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: '*' }] }) },
    expect: [{ status: 'pass', message: 'the key policy grants it directly', evidence: { keyPolicyGrant: 'direct' } }, { status: 'pass' }],
  },
  {
    name: 'key policy denies Decrypt to the principal',
    facts: { ...base(kmsBoth), kmsKeyPolicy: keyPolicy({ Version: '2012-10-17', Statement: [...DEFAULT_KEY_POLICY.Statement, { Sid: 'NoDecrypt', Effect: 'Deny', Principal: { AWS: user.arn }, Action: 'kms:Decrypt', Resource: '*' }] }) },
    expect: [{ status: 'pass' }, { status: 'fail', subject: 'kms:Decrypt', messageId: 'keyPolicyDenies', message: 'NoDecrypt' }],
  },
  {
    name: 'the OIDC role is the principal: its grants count, the key policy names the role',
    target: { storage: 'actions', bucket: 'ghes-actions', roleArn: 'arn:aws:iam::123456789012:role/ghes-actions', principalArn: 'arn:aws:iam::123456789012:role/ghes-actions' },
    facts: {
      ...base({ Version: '2012-10-17', Statement: [] }),
      principal: { arn: 'arn:aws:iam::123456789012:role/ghes-actions', kind: 'role', name: 'ghes-actions', accountId: '123456789012' },
      kmsKeyPolicy: keyPolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:role/ghes-actions' }, Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: '*' }] }),
    },
    expect: [{ status: 'pass', evidence: { principal: 'arn:aws:iam::123456789012:role/ghes-actions', keyPolicyGrant: 'direct' } }, { status: 'pass' }],
  },
  { name: 'the AWS managed key aws/s3 is not read', facts: { ...base({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: '*' }] }, { configured: true, rules: [], algorithm: 'aws:kms' }), kmsKeyPolicy: new Error('must not be read') }, expect: [{ status: 'pass', message: 'AWS managed key aws/s3', evidence: { keyPolicyRead: false } }, { status: 'pass' }] },
  { name: 'encryption unreadable: error', facts: { ...base(kmsBoth), encryption: deniedFact('encryption', 's3:GetEncryptionConfiguration') }, expect: [{ status: 'error', subject: 'kms:GenerateDataKey' }, { status: 'error', subject: 'kms:Decrypt' }] },
]);
