import dedicatedBucket from '../../../checks/ghes-s3/dedicated-bucket.ts';
import { checkTable } from '../check-table.ts';

checkTable(dedicatedBucket, [
  { name: 'different buckets', target: { bucket: 'pkg', actionsBucket: 'act' }, expect: { status: 'pass', messageId: 'different' } },
  { name: 'same bucket', target: { bucket: 'pkg', actionsBucket: 'pkg' }, expect: { status: 'fail', messageId: 'same' } },
  { name: 'same bucket, ARN form', target: { bucket: 'pkg', actionsBucket: 'arn:aws:s3:::pkg' }, expect: { status: 'fail', messageId: 'same' } },
  { name: 'same bucket, s3:// form and case', target: { bucket: 'pkg', actionsBucket: 's3://PKG/' }, expect: { status: 'fail', messageId: 'same' } },
  { name: 'prefix of the other is different', target: { bucket: 'pkg', actionsBucket: 'pkg-actions' }, expect: { status: 'pass' } },
  { name: 'no actions bucket', target: { bucket: 'pkg' }, expect: { status: 'skip', messageId: 'noActions' } },
]);
