import objectOwnership from '../../../checks/s3-storage/object-ownership.ts';
import { checkTable, deniedFact } from '../check-table.ts';

const facts = (ownershipControls: unknown) => ({
  callerIdentity: { arn: 'arn:aws:iam::123456789012:user/auditor', account: '123456789012', userId: 'AIDA' },
  bucketHead: { status: 'found', region: 'us-east-1' },
  ownershipControls,
});

checkTable(objectOwnership, [
  { name: 'BucketOwnerEnforced: ACLs disabled', facts: facts('BucketOwnerEnforced'), expect: { status: 'pass', messageId: 'enforced', evidence: { api: 's3:GetBucketOwnershipControls', objectOwnership: 'BucketOwnerEnforced', account: '123456789012' } } },
  { name: 'BucketOwnerPreferred: ACLs still on', facts: facts('BucketOwnerPreferred'), expect: { status: 'warn', messageId: 'aclsEnabled', message: 'BucketOwnerPreferred' } },
  { name: 'ObjectWriter', facts: facts('ObjectWriter'), expect: { status: 'warn', messageId: 'aclsEnabled', message: 'ObjectWriter' } },
  { name: 'not configured (OwnershipControlsNotFoundError)', facts: facts(null), expect: { status: 'warn', messageId: 'notConfigured' } },
  { name: 'GetBucketOwnershipControls denied', facts: facts(deniedFact('ownershipControls', 's3:GetBucketOwnershipControls')), expect: { status: 'error', evidence: { code: 'AccessDenied' } } },
  { name: 'S3-compatible store', target: { serviceUrl: 'https://minio.example.internal' }, facts: {}, expect: { status: 'skip', messageId: 'notAws' } },
]);
