import bucketVersioning from '../../../checks/s3-storage/bucket-versioning.ts';
import { checkTable, deniedFact } from '../check-table.ts';

const expireNoncurrent = { ID: 'expire-noncurrent', Status: 'Enabled', Filter: {}, NoncurrentVersionExpiration: { NoncurrentDays: 30 } };
const facts = (status: string | Error, lifecycleRules: unknown) => ({
  callerIdentity: { arn: 'arn:aws:iam::123456789012:user/auditor', account: '123456789012', userId: 'AIDA' },
  bucketHead: { status: 'found', region: 'us-east-1' },
  versioning: status instanceof Error ? status : { status },
  lifecycleRules,
});

checkTable(bucketVersioning, [
  { name: 'never enabled: nothing accumulates (lifecycle not even read)', facts: facts('Never', new Error('must not be read')), expect: { status: 'pass', messageId: 'off', evidence: { versioning: 'Never' } } },
  { name: 'enabled with a whole-bucket NoncurrentVersionExpiration rule', facts: facts('Enabled', [expireNoncurrent]), expect: { status: 'pass', messageId: 'bounded', message: 'after 30 day(s)' } },
  { name: 'enabled, rule with an empty prefix counts as the whole bucket', facts: facts('Enabled', [{ ...expireNoncurrent, Filter: { Prefix: '' } }]), expect: { status: 'pass', messageId: 'bounded' } },
  { name: 'enabled, legacy rule-level empty Prefix and no Filter', facts: facts('Enabled', [{ ID: 'legacy', Status: 'Enabled', Prefix: '', NoncurrentVersionExpiration: { NoncurrentDays: 7 } }]), expect: { status: 'pass', messageId: 'bounded' } },
  { name: 'suspended with the rule', facts: facts('Suspended', [expireNoncurrent]), expect: { status: 'pass', messageId: 'bounded', message: 'suspended' } },
  { name: 'enabled without lifecycle configuration: grows forever', facts: facts('Enabled', null), expect: { status: 'warn', messageId: 'unbounded', evidence: { lifecycleRules: 'not configured (NoSuchLifecycleConfiguration)' } } },
  { name: 'enabled with rules that do not expire noncurrent versions', facts: facts('Enabled', [{ ID: 'abort-mpu', Status: 'Enabled', Filter: {}, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } }]), expect: { status: 'warn', messageId: 'unbounded' } },
  { name: 'enabled with the rule disabled', facts: facts('Enabled', [{ ...expireNoncurrent, Status: 'Disabled' }]), expect: { status: 'warn', messageId: 'unbounded' } },
  { name: 'enabled with the rule limited to a prefix', facts: facts('Enabled', [{ ...expireNoncurrent, Filter: { Prefix: 'tmp/' } }]), expect: { status: 'warn', messageId: 'scoped', message: 'prefix "tmp/"' } },
  { name: 'suspended without the rule', facts: facts('Suspended', []), expect: { status: 'warn', messageId: 'suspendedUnbounded' } },
  { name: 'GetBucketVersioning denied', facts: facts(deniedFact('versioning', 's3:GetBucketVersioning'), null), expect: { status: 'error', evidence: { code: 'AccessDenied' } } },
  { name: 'enabled and the lifecycle configuration unreadable', facts: facts('Enabled', deniedFact('lifecycleRules', 's3:GetLifecycleConfiguration')), expect: { status: 'error', evidence: { api: 's3:GetLifecycleConfiguration' } } },
]);
