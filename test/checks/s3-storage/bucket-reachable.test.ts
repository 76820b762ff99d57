import bucketReachable from '../../../checks/s3-storage/bucket-reachable.ts';
import { checkTable, deniedFact } from '../check-table.ts';

checkTable(bucketReachable, [
  { name: 'found with region', facts: { bucketHead: { status: 'found', region: 'us-west-2' } }, expect: { status: 'pass', messageId: 'found', message: 'us-west-2', evidence: { region: 'us-west-2', api: 's3:HeadBucket' } } },
  { name: 'missing bucket fails', facts: { bucketHead: { status: 'not-found' } }, expect: { status: 'fail', messageId: 'missing' } },
  { name: '403 with region header warns', facts: { bucketHead: { status: 'forbidden', region: 'eu-west-1' } }, expect: { status: 'warn', messageId: 'forbiddenRegion', evidence: { httpStatus: 403, region: 'eu-west-1' } } },
  { name: '403 without region is an error', facts: { bucketHead: { status: 'forbidden', region: null } }, expect: { status: 'error', messageId: 'forbidden' } },
  {
    name: 'region header stripped: GetBucketLocation confirms the bucket',
    facts: { bucketHead: { status: 'found', region: 'us-east-1', regionFrom: 's3:GetBucketLocation' } },
    expect: { status: 'pass', messageId: 'found', evidence: { regionFrom: 's3:GetBucketLocation' } },
  },
  {
    name: 'HEAD 200 without the region and GetBucketLocation unreadable: error, never a pass (any web server answers HEAD)',
    facts: { bucketHead: { status: 'found', region: null, regionError: deniedFact('bucketRegion', 's3:GetBucketLocation', 'MalformedResponse').info } },
    expect: { status: 'error', messageId: 'unconfirmed', message: 'MalformedResponse' },
  },
  { name: 'network failure is an error', facts: { bucketHead: deniedFact('bucketHead', 's3:HeadBucket', 'ECONNREFUSED') }, expect: { status: 'error', evidence: { code: 'ECONNREFUSED' } } },
]);
