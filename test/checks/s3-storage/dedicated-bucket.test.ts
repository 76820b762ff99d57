import dedicatedBucket from '../../../checks/s3-storage/dedicated-bucket.ts';
import { checkTable } from '../check-table.ts';

checkTable(dedicatedBucket, [
  { name: 'different buckets', target: { bucket: 'pkg', actionsBucket: 'act' }, expect: { status: 'pass', messageId: 'different' } },
  { name: 'same bucket', target: { bucket: 'pkg', actionsBucket: 'pkg' }, expect: { status: 'fail', messageId: 'same' } },
  { name: 'same bucket, ARN form', target: { bucket: 'pkg', actionsBucket: 'arn:aws:s3:::pkg' }, expect: { status: 'fail', messageId: 'same' } },
  { name: 'same bucket, s3:// form and case', target: { bucket: 'pkg', actionsBucket: 's3://PKG/' }, expect: { status: 'fail', messageId: 'same' } },
  { name: 'prefix of the other is different', target: { bucket: 'pkg', actionsBucket: 'pkg-actions' }, expect: { status: 'pass' } },
  { name: 'no actions bucket', target: { bucket: 'pkg' }, expect: { status: 'skip', messageId: 'noActions' } },
  // The Actions pack: the bucket under test is the Actions one, --packages-bucket the other.
  { name: 'actions: different buckets', target: { storage: 'actions', bucket: 'act', packagesBucket: 'pkg' }, expect: { status: 'pass', messageId: 'different', message: 'Packages (pkg) and Actions (act)', evidence: { packagesBucket: 'pkg', actionsBucket: 'act' } } },
  { name: 'actions: shared with Packages', target: { storage: 'actions', bucket: 'shared', packagesBucket: 's3://shared' }, expect: { status: 'fail', messageId: 'same', message: 'Use a dedicated bucket for Actions' } },
  { name: 'actions: no packages bucket', target: { storage: 'actions', bucket: 'act' }, expect: { status: 'skip', messageId: 'noPackages', message: '--packages-bucket' } },
  { name: 'actions: an Actions bucket given to the Actions pack is not the other bucket', target: { storage: 'actions', bucket: 'act', actionsBucket: 'act' }, expect: { status: 'skip', messageId: 'noPackages' } },
]);
