import lifecycleRules from '../../../checks/s3-storage/lifecycle-rules.ts';
import { checkTable, deniedFact } from '../check-table.ts';

const rule = (id: string, body: Record<string, unknown>) => ({ ID: id, Status: 'Enabled', Filter: { Prefix: '' }, ...body });
const abortAll = rule('abort-mpu', { AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } });
/** Lifecycle rules plus an empty Intelligent-Tiering list: the common shape of a row. */
const facts = (rules: unknown[] | null, intelligentTiering: unknown = []) => ({ lifecycleRules: rules, intelligentTiering });
const abortMissing = { status: 'warn', subject: 'abort-incomplete-multipart', messageId: 'abortMissing' } as const;
const abortPresent = { status: 'pass', subject: 'abort-incomplete-multipart', messageId: 'abortPresent' } as const;
const itNone = { status: 'pass', subject: 'intelligent-tiering', messageId: 'itNone' } as const;
const glacierIt = { id: 'archive', status: 'Enabled', tierings: [{ accessTier: 'DEEP_ARCHIVE_ACCESS', days: 180 }, { accessTier: 'ARCHIVE_ACCESS', days: 90 }] };

checkTable(lifecycleRules, [
  {
    name: 'no lifecycle configuration: pass, with the abort-multipart recommendation',
    facts: facts(null),
    expect: [{ status: 'pass', subject: 'rules', messageId: 'none', evidence: { api: 's3:GetLifecycleConfiguration' } }, abortMissing, itNone],
  },
  {
    name: 'expire everything (empty prefix) fails',
    facts: facts([rule('expire-all', { Expiration: { Days: 30 } }), abortAll]),
    expect: [
      // Both rules in one result for the `rules` aspect: the worst finding leads, each is in evidence.findings.
      { status: 'fail', subject: 'rules', messageId: 'expiresAll', message: 'aborting incomplete multipart uploads', evidence: { ruleId: 'expire-all', filter: { Prefix: '' }, action: { Expiration: { Days: 30 } } } },
      abortPresent,
      itNone,
    ],
  },
  { name: 'empty filter object covers everything', facts: facts([{ ID: 'x', Status: 'Enabled', Filter: {}, Expiration: { Days: 1 } }]), expect: [{ status: 'fail', messageId: 'expiresAll', message: 'every object' }, abortMissing, itNone] },
  { name: 'legacy top-level empty Prefix covers everything', facts: facts([{ ID: 'x', Status: 'Enabled', Prefix: '', Expiration: { Days: 1 } }]), expect: [{ status: 'fail', messageId: 'expiresAll', evidence: { filter: { Prefix: '' } } }, abortMissing, itNone] },
  {
    name: 'a size filter still covers package objects',
    facts: facts([{ ID: 'big', Status: 'Enabled', Filter: { ObjectSizeGreaterThan: 1048576 }, Expiration: { Days: 90 } }]),
    expect: [{ status: 'fail', messageId: 'expiresAll', message: 'larger than 1048576 bytes' }, abortMissing, itNone],
  },
  {
    name: 'expiration on a date fails',
    facts: facts([rule('eol', { Expiration: { Date: new Date('2030-01-01T00:00:00Z') } })]),
    expect: [{ status: 'fail', messageId: 'expiresAll', message: 'on 2030-01-01' }, abortMissing, itNone],
  },
  {
    name: 'expiration under a prefix warns (GHES key layout is undocumented)',
    facts: facts([{ ID: 'logs', Status: 'Enabled', Filter: { Prefix: 'access-logs/' }, Expiration: { Days: 30 } }]),
    expect: [{ status: 'warn', subject: 'rules', messageId: 'expiresPrefix', message: 's3://ghes-packages/access-logs/', evidence: { filter: { Prefix: 'access-logs/' } } }, abortMissing, itNone],
  },
  {
    name: 'expiration of tagged objects only: low warn (GHES writes untagged objects)',
    facts: facts([{ ID: 'tmp', Status: 'Enabled', Filter: { Tag: { Key: 'temporary', Value: 'yes' } }, Expiration: { Days: 1 } }]),
    expect: [{ status: 'warn', messageId: 'expiresTagged', message: 'temporary=yes' }, abortMissing, itNone],
  },
  {
    name: 'tags and prefix in And: tagged wins',
    facts: facts([{ ID: 'tmp', Status: 'Enabled', Filter: { And: { Prefix: 'x/', Tags: [{ Key: 'a', Value: 'b' }] } }, Expiration: { Days: 1 } }]),
    expect: [{ status: 'warn', messageId: 'expiresTagged', message: 'objects under "x/", tagged a=b' }, abortMissing, itNone],
  },
  {
    name: 'expired delete markers only are not current-object expiration',
    facts: facts([rule('markers', { Expiration: { ExpiredObjectDeleteMarker: true } })]),
    expect: [{ status: 'pass', messageId: 'currentUntouched', message: 'removing expired delete markers' }, abortMissing, itNone],
  },
  {
    name: 'noncurrent versions only pass',
    facts: facts([rule('old-versions', { NoncurrentVersionExpiration: { NoncurrentDays: 30 }, NoncurrentVersionTransitions: [{ NoncurrentDays: 7, StorageClass: 'GLACIER' }] })]),
    expect: [{ status: 'pass', messageId: 'currentUntouched', message: 'expiring noncurrent versions, transitioning noncurrent versions' }, abortMissing, itNone],
  },
  {
    name: 'abort-multipart rule under a prefix only: partial',
    facts: facts([{ ID: 'abort-tmp', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 3 } }]),
    expect: [{ status: 'pass', messageId: 'currentUntouched' }, { status: 'warn', subject: 'abort-incomplete-multipart', messageId: 'abortPartial', message: '"tmp/"' }, itNone],
  },
  {
    name: 'transition to GLACIER fails (InvalidObjectState)',
    facts: facts([rule('archive', { Transitions: [{ Days: 30, StorageClass: 'GLACIER' }] }), abortAll]),
    expect: [{ status: 'fail', subject: 'rules', messageId: 'archivesAll', message: 'InvalidObjectState', evidence: { action: { Transition: { Days: 30, StorageClass: 'GLACIER' } } } }, abortPresent, itNone],
  },
  {
    name: 'transition to DEEP_ARCHIVE under a prefix warns',
    facts: facts([{ ID: 'deep', Status: 'Enabled', Filter: { Prefix: 'old/' }, Transitions: [{ Days: 365, StorageClass: 'DEEP_ARCHIVE' }] }]),
    expect: [{ status: 'warn', messageId: 'archivesPrefix', message: 'DEEP_ARCHIVE' }, abortMissing, itNone],
  },
  {
    name: 'transition of tagged objects to GLACIER: low warn',
    facts: facts([{ ID: 'cold', Status: 'Enabled', Filter: { Tag: { Key: 'cold', Value: '1' } }, Transitions: [{ Days: 30, StorageClass: 'GLACIER' }] }]),
    expect: [{ status: 'warn', messageId: 'archivesTagged' }, abortMissing, itNone],
  },
  {
    name: 'transition to GLACIER_IR passes with a retrieval-cost note',
    facts: facts([rule('ir', { Transitions: [{ Days: 90, StorageClass: 'GLACIER_IR' }] })]),
    expect: [{ status: 'pass', messageId: 'readableTransition', message: 'Glacier Instant Retrieval bills a higher per-GB retrieval fee' }, abortMissing, itNone],
  },
  {
    name: 'transitions to STANDARD_IA and ONEZONE_IA pass with notes',
    facts: facts([rule('ia', { Transitions: [{ Days: 30, StorageClass: 'STANDARD_IA' }, { Days: 60, StorageClass: 'ONEZONE_IA' }] })]),
    expect: [{ status: 'pass', subject: 'rules', message: 'single Availability Zone' }, abortMissing, itNone],
  },
  {
    name: 'transition to INTELLIGENT_TIERING passes',
    facts: facts([rule('it', { Transitions: [{ Days: 0, StorageClass: 'INTELLIGENT_TIERING' }] })]),
    expect: [{ status: 'pass', messageId: 'readableTransition', message: 'no retrieval fee' }, abortMissing, itNone],
  },
  {
    name: 'transition to a storage class the tool does not know warns',
    facts: facts([rule('future', { Transitions: [{ Days: 30, StorageClass: 'SNOW' }] })]),
    expect: [{ status: 'warn', messageId: 'unknownClass' }, abortMissing, itNone],
  },
  {
    name: 'expiration and GLACIER in one rule: both findings in the rules result',
    facts: facts([rule('both', { Expiration: { Days: 365 }, Transitions: [{ Days: 30, StorageClass: 'GLACIER' }] })]),
    expect: [{ status: 'fail', subject: 'rules', messageId: 'expiresAll', message: 'GLACIER' }, abortMissing, itNone],
  },
  {
    name: 'a disabled rule is reported but does not fail',
    facts: facts([{ ID: 'off', Status: 'Disabled', Filter: { Prefix: '' }, Expiration: { Days: 1 } }]),
    expect: [{ status: 'pass', subject: 'rules', messageId: 'disabled', message: 'fail (expiresAll)', evidence: { status: 'Disabled' } }, abortMissing, itNone],
  },
  {
    name: 'a disabled abort rule does not count',
    facts: facts([{ ...abortAll, Status: 'Disabled' }]),
    expect: [{ status: 'pass', messageId: 'disabled' }, abortMissing, itNone],
  },
  {
    name: 'a rule without an id is named by position',
    facts: facts([{ Status: 'Enabled', Filter: {}, Expiration: { Days: 5 } }]),
    expect: [{ status: 'fail', subject: 'rules', message: 'Rule "#1"', evidence: { ruleId: null } }, abortMissing, itNone],
  },
  {
    name: 'Intelligent-Tiering archive tiers warn',
    facts: facts(null, [glacierIt]),
    expect: [{ status: 'pass' }, abortMissing, { status: 'warn', subject: 'intelligent-tiering', messageId: 'itArchive', message: 'ARCHIVE_ACCESS (90 days), then DEEP_ARCHIVE_ACCESS (180 days)', evidence: { api: 's3:GetIntelligentTieringConfiguration', reach: 'all' } }],
  },
  {
    name: 'Intelligent-Tiering archive fed by a lifecycle transition names the rule',
    facts: facts([rule('to-it', { Transitions: [{ Days: 0, StorageClass: 'INTELLIGENT_TIERING' }] })], [{ ...glacierIt, filter: { Prefix: 'blobs/' } }]),
    expect: [{ status: 'pass' }, abortMissing, { status: 'warn', messageId: 'itArchive', message: 'lifecycle rule "to-it" moves objects there', evidence: { feedingRules: ['to-it'], reach: 'prefix' } }],
  },
  {
    name: 'a disabled Intelligent-Tiering configuration passes',
    facts: facts(null, [{ ...glacierIt, status: 'Disabled' }]),
    expect: [{ status: 'pass' }, abortMissing, { status: 'pass', subject: 'intelligent-tiering', messageId: 'itDisabled' }],
  },
  {
    name: 'an Intelligent-Tiering configuration without archive tiers passes',
    facts: facts(null, [{ id: 'plain', status: 'Enabled', tierings: [] }]),
    expect: [{ status: 'pass' }, abortMissing, { status: 'pass', messageId: 'itNoArchive' }],
  },
  {
    name: 'lifecycle configuration unreadable: error, never a pass',
    facts: facts(deniedFact('lifecycleRules', 's3:GetLifecycleConfiguration') as never),
    // Every aspect is an error (Intelligent-Tiering is not judged without the rules that feed it).
    expect: ['rules', 'abort-incomplete-multipart', 'intelligent-tiering'].map((subject) => ({ status: 'error' as const, subject, evidence: { code: 'AccessDenied', api: 's3:GetLifecycleConfiguration' } })),
  },
  {
    name: 'Intelligent-Tiering unreadable: that part is an error, lifecycle verdicts stand',
    facts: facts([rule('expire-all', { Expiration: { Days: 30 } })], deniedFact('intelligentTiering', 's3:GetIntelligentTieringConfiguration')),
    expect: [{ status: 'fail', messageId: 'expiresAll' }, abortMissing, { status: 'error', subject: 'intelligent-tiering', messageId: 'itUnreadable', message: 'access denied', evidence: { code: 'AccessDenied', requestId: 'TEST-REQ-1' } }],
  },
]);
