import requesterPays from '../../../checks/s3-storage/requester-pays.ts';
import { checkTable, deniedFact } from '../check-table.ts';

checkTable(requesterPays, [
  { name: 'bucket owner pays', facts: { requestPayment: { payer: 'BucketOwner' } }, expect: { status: 'pass', messageId: 'owner', evidence: { api: 's3:GetBucketRequestPayment', payer: 'BucketOwner' } } },
  { name: 'Requester Pays fails', facts: { requestPayment: { payer: 'Requester' } }, expect: { status: 'fail', messageId: 'requester', message: 'x-amz-request-payer' } },
  { name: 'no payer in the answer (emulator, S3-compatible) is skipped, never a pass', facts: { requestPayment: { payer: null } }, expect: { status: 'skip', messageId: 'notReported' } },
  { name: 'an unknown payer is not read as a pass', facts: { requestPayment: { payer: '' } }, expect: { status: 'error', messageId: 'unknown' } },
  { name: 'unreadable setting is an error', facts: { requestPayment: deniedFact('requestPayment', 's3:GetBucketRequestPayment') }, expect: { status: 'error', evidence: { code: 'AccessDenied' } } },
]);
