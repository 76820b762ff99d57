import replication from '../../../checks/s3-storage/replication.ts';
import { checkTable, deniedFact } from '../check-table.ts';

const role = 'arn:aws:iam::111111111111:role/s3-replication';
const config = (rule: Record<string, unknown>) => ({ Role: role, Rules: [{ ID: 'dr', Status: 'Enabled', Priority: 1, Filter: { Prefix: '' }, DeleteMarkerReplication: { Status: 'Disabled' }, ...rule }] });

checkTable(replication, [
  { name: 'no replication', facts: { replication: null }, expect: { status: 'pass', subject: 'ghes-packages', messageId: 'none' } },
  { name: 'same account, account stated', facts: { replication: config({ Destination: { Bucket: 'arn:aws:s3:::dr', Account: '111111111111' } }) }, expect: { status: 'pass', subject: 'ghes-packages', messageId: 'sameAccount', message: 'delete markers not replicated' } },
  { name: 'no destination account stated', facts: { replication: config({ Destination: { Bucket: 'arn:aws:s3:::dr', StorageClass: 'STANDARD_IA' } }) }, expect: { status: 'pass', messageId: 'accountUnstated', message: 'storage class STANDARD_IA' } },
  {
    name: 'cross-account without owner override warns',
    facts: { replication: config({ Destination: { Bucket: 'arn:aws:s3:::dr', Account: '222222222222' } }) },
    expect: { status: 'warn', subject: 'ghes-packages', messageId: 'crossAccountNoOverride', message: 'account 222222222222', evidence: { sourceAccount: '111111111111' } },
  },
  {
    name: 'cross-account with Owner=Destination passes',
    facts: { replication: config({ Destination: { Bucket: 'arn:aws:s3:::dr', Account: '222222222222', AccessControlTranslation: { Owner: 'Destination' } } }) },
    expect: { status: 'pass', messageId: 'crossAccount' },
  },
  { name: 'disabled rule is reported', facts: { replication: config({ Status: 'Disabled', Destination: { Bucket: 'arn:aws:s3:::dr', Account: '222222222222' } }) }, expect: { status: 'pass', messageId: 'disabled' } },
  { name: 'unreadable configuration is an error', facts: { replication: deniedFact('replication', 's3:GetReplicationConfiguration') }, expect: { status: 'error', evidence: { code: 'AccessDenied' } } },
]);
