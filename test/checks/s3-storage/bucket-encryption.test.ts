import bucketEncryption from '../../../checks/s3-storage/bucket-encryption.ts';
import { checkTable, deniedFact } from '../check-table.ts';

const KEY = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const rule = (SSEAlgorithm: string, KMSMasterKeyID?: string) => ({ ApplyServerSideEncryptionByDefault: { SSEAlgorithm, KMSMasterKeyID } });
const facts = (encryption: unknown) => ({
  callerIdentity: { arn: 'arn:aws:iam::123456789012:user/auditor', account: '123456789012', userId: 'AIDA' },
  bucketHead: { status: 'found', region: 'us-east-1' },
  encryption,
});

checkTable(bucketEncryption, [
  { name: 'SSE-S3', facts: facts({ configured: true, rules: [rule('AES256')], algorithm: 'AES256' }), expect: { status: 'pass', messageId: 'sseS3', evidence: { api: 's3:GetEncryptionConfiguration', algorithm: 'AES256', kmsKeyId: null } } },
  { name: 'SSE-KMS with a key ARN and a bucket key', facts: facts({ configured: true, rules: [rule('aws:kms', KEY)], algorithm: 'aws:kms', kmsKeyId: KEY, bucketKeyEnabled: true }), expect: { status: 'pass', messageId: 'sseKms', message: `${KEY}, with an S3 Bucket Key`, evidence: { kmsKeyId: KEY } } },
  { name: 'SSE-KMS without a key: the AWS managed key', facts: facts({ configured: true, rules: [rule('aws:kms')], algorithm: 'aws:kms' }), expect: { status: 'pass', messageId: 'sseKms', message: 'aws/s3' } },
  { name: 'DSSE-KMS', facts: facts({ configured: true, rules: [rule('aws:kms:dsse', KEY)], algorithm: 'aws:kms:dsse', kmsKeyId: KEY }), expect: { status: 'pass', messageId: 'dsseKms', message: KEY } },
  { name: 'none configured', facts: facts({ configured: false, rules: [] }), expect: { status: 'warn', messageId: 'none' } },
  { name: 'unrecognised algorithm', facts: facts({ configured: true, rules: [rule('aws:future')], algorithm: 'aws:future' }), expect: { status: 'warn', messageId: 'other', message: 'aws:future' } },
  { name: 'GetEncryptionConfiguration denied', facts: facts(deniedFact('encryption', 's3:GetEncryptionConfiguration')), expect: { status: 'error', evidence: { code: 'AccessDenied' } } },
]);
