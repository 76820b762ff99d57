import objectLock from '../../../checks/s3-storage/object-lock.ts';
import { checkTable, deniedFact } from '../check-table.ts';

const on = { status: 'warn', subject: 'object-lock', messageId: 'on' } as const;

checkTable(objectLock, [
  { name: 'Object Lock off passes', facts: { objectLock: { enabled: false } }, expect: [{ status: 'pass', subject: 'object-lock', messageId: 'off', evidence: { api: 's3:GetBucketObjectLockConfiguration', objectLockEnabled: false } }, { status: 'skip', subject: 'default-retention', messageId: 'noDefaultRetention' }] },
  { name: 'Object Lock on without default retention warns', facts: { objectLock: { enabled: true } }, expect: [{ ...on, message: 'no default retention' }, { status: 'skip', subject: 'default-retention', messageId: 'noDefaultRetention' }] },
  {
    name: 'COMPLIANCE longer than --max-retention-days fails',
    target: { maxRetentionDays: 365 },
    facts: { objectLock: { enabled: true, mode: 'COMPLIANCE', days: 400, years: 0 } },
    expect: [{ ...on, message: 'COMPLIANCE for 400 days' }, { status: 'fail', subject: 'default-retention', messageId: 'complianceTooLong', evidence: { retentionDays: 400, maxRetentionDays: 365 } }],
  },
  {
    name: 'COMPLIANCE in years is compared in days',
    target: { maxRetentionDays: 1000 },
    facts: { objectLock: { enabled: true, mode: 'COMPLIANCE', years: 3 } },
    expect: [on, { status: 'fail', messageId: 'complianceTooLong', message: '1095 days' }],
  },
  {
    name: 'COMPLIANCE within the limit passes (the lock itself still warns)',
    target: { maxRetentionDays: 30 },
    facts: { objectLock: { enabled: true, mode: 'COMPLIANCE', days: 30 } },
    expect: [on, { status: 'pass', subject: 'default-retention', messageId: 'complianceWithin' }],
  },
  {
    name: 'GOVERNANCE longer than the limit only warns (it can be bypassed)',
    target: { maxRetentionDays: 7 },
    facts: { objectLock: { enabled: true, mode: 'GOVERNANCE', days: 30 } },
    expect: [on, { status: 'warn', messageId: 'governanceTooLong' }],
  },
  { name: 'GOVERNANCE within the limit passes', target: { maxRetentionDays: 30 }, facts: { objectLock: { enabled: true, mode: 'GOVERNANCE', days: 1 } }, expect: [on, { status: 'pass', messageId: 'governanceWithin' }] },
  {
    name: 'default retention without --max-retention-days is not compared',
    facts: { objectLock: { enabled: true, mode: 'COMPLIANCE', days: 3650 } },
    expect: [on, { status: 'skip', subject: 'default-retention', messageId: 'noMax' }],
  },
  { name: 'unreadable configuration is an error', facts: { objectLock: deniedFact('objectLock', 's3:GetBucketObjectLockConfiguration') }, expect: [{ status: 'error', subject: 'object-lock', evidence: { code: 'AccessDenied' } }, { status: 'error', subject: 'default-retention', evidence: { code: 'AccessDenied' } }] },
]);
