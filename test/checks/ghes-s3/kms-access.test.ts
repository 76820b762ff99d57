import kmsAccess from '../../../checks/ghes-s3/kms-access.ts';
import { FactError } from '../../../src/engine/fact-error.ts';
import { checkTable, deniedFact } from '../check-table.ts';

const user = { arn: 'arn:aws:iam::123456789012:user/ghes', kind: 'user', name: 'ghes', accountId: '123456789012' };
const KEY = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const simulatorDown = new FactError({ fact: 'simulation', api: 'iam:SimulatePrincipalPolicy', code: 'InternalError', httpStatus: 500, message: '' });
const base = (doc: object, encryption: object = { configured: true, rules: [], algorithm: 'aws:kms', kmsKeyId: KEY }) => ({
  encryption,
  bucketHead: { status: 'found', region: 'us-east-1' },
  callerIdentity: { arn: user.arn, account: user.accountId, userId: 'AIDA' },
  principal: user,
  bucketOwnedBy: 'yes',
  simulatePrincipalPolicy: simulatorDown,
  principalPolicies: { identity: [{ kind: 'user-inline', name: 'p', document: doc }], via: 'GetAccountAuthorizationDetails' },
});
const kmsBoth = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: KEY }] };

checkTable(kmsAccess, [
  { name: 'SSE-KMS with both permissions', facts: base(kmsBoth), expect: [{ status: 'pass', subject: 'kms:GenerateDataKey' }, { status: 'pass', subject: 'kms:Decrypt' }] },
  { name: 'SSE-KMS without Decrypt', facts: base({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:GenerateDataKey', Resource: KEY }] }), expect: [{ status: 'pass' }, { status: 'fail', subject: 'kms:Decrypt', message: 'downloads' }] },
  { name: 'SSE-KMS without any KMS permission', facts: base({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }), expect: [{ status: 'fail' }, { status: 'fail' }] },
  { name: 'key id without ARN is resolved in the bucket region', facts: base(kmsBoth, { configured: true, rules: [], algorithm: 'aws:kms', kmsKeyId: '1234abcd-12ab-34cd-56ef-1234567890ab' }), expect: [{ status: 'pass', evidence: { key: KEY } }, { status: 'pass' }] },
  { name: 'SSE-S3 is not applicable', facts: base(kmsBoth, { configured: true, rules: [], algorithm: 'AES256' }), expect: [{ status: 'skip', messageId: 'notKms', subject: 'kms:GenerateDataKey' }, { status: 'skip', messageId: 'notKms', subject: 'kms:Decrypt' }] },
  { name: 'no default encryption is not applicable', facts: base(kmsBoth, { configured: false, rules: [] }), expect: [{ status: 'skip', messageId: 'noEncryption', subject: 'kms:GenerateDataKey' }, { status: 'skip', messageId: 'noEncryption', subject: 'kms:Decrypt' }] },
  { name: 'encryption unreadable: error', facts: { ...base(kmsBoth), encryption: deniedFact('encryption', 's3:GetEncryptionConfiguration') }, expect: [{ status: 'error', subject: 'kms:GenerateDataKey' }, { status: 'error', subject: 'kms:Decrypt' }] },
]);
