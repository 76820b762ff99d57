// public-access-block over fact values: account + bucket level, most restrictive wins, and what
// happens when a level is unreadable or something in the bucket is public.

import publicAccessBlock from '../../../checks/s3-storage/public-access-block.ts';
import { parsePolicyDocument } from '../../../src/policy/document.ts';
import { checkTable, deniedFact } from '../check-table.ts';

const B = 'ghes-packages';
const OWNER_ID = '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be';
const ALL_ON = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };
const ALL_OFF = { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false };
const policy = (doc: object) => ({ present: true, text: JSON.stringify(doc), parsed: parsePolicyDocument(JSON.stringify(doc)) });
const publicRead = policy({ Version: '2012-10-17', Statement: [{ Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${B}/*` }] });
const vpceOnly = policy({ Version: '2012-10-17', Statement: [{ Sid: 'FromVpce', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${B}/*`, Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } } }] });
const ownerAcl = { ownerId: OWNER_ID, grants: [{ grantee: { type: 'CanonicalUser', id: OWNER_ID }, permission: 'FULL_CONTROL' }] };
const publicAcl = { ownerId: OWNER_ID, grants: [...ownerAcl.grants, { grantee: { type: 'Group', uri: 'http://acs.amazonaws.com/groups/global/AllUsers' }, permission: 'READ' }] };

/** A private bucket in the checker's own account; rows override what they test. */
const facts = (over: Record<string, unknown> = {}) => ({
  callerIdentity: { arn: 'arn:aws:iam::123456789012:user/auditor', account: '123456789012', userId: 'AIDA' },
  bucketHead: { status: 'found', region: 'us-east-1' },
  bucketOwnedBy: 'yes',
  accountPublicAccessBlock: null,
  bucketPublicAccessBlock: ALL_ON,
  bucketPolicy: { present: false },
  bucketAcl: ownerAcl,
  ownershipControls: 'BucketOwnerEnforced',
  ...over,
});
const denied = (fact: string, api: string) => deniedFact(fact, api);

checkTable(publicAccessBlock, [
  // valid
  { name: 'all four on at the bucket level', facts: facts(), expect: { status: 'pass', messageId: 'allOn', message: 'on (bucket level)', evidence: { account: '123456789012', region: 'us-east-1', effective: ALL_ON } } },
  { name: 'all four on at the account level only (bucket level not configured)', facts: facts({ accountPublicAccessBlock: ALL_ON, bucketPublicAccessBlock: null }), expect: { status: 'pass', messageId: 'allOn', message: 'on (account level)' } },
  { name: 'account on, bucket explicitly off: most restrictive wins', facts: facts({ accountPublicAccessBlock: ALL_ON, bucketPublicAccessBlock: ALL_OFF }), expect: { status: 'pass', messageId: 'allOn' } },
  {
    name: 'two settings at each level combine to all four',
    facts: facts({ accountPublicAccessBlock: { BlockPublicAcls: true, IgnorePublicAcls: true }, bucketPublicAccessBlock: { BlockPublicPolicy: true, RestrictPublicBuckets: true } }),
    expect: { status: 'pass', messageId: 'allOn', evidence: { sources: { BlockPublicAcls: 'account', IgnorePublicAcls: 'account', BlockPublicPolicy: 'bucket', RestrictPublicBuckets: 'bucket' } } },
  },
  { name: 'account level unreadable but the bucket level has all four: on regardless', facts: facts({ accountPublicAccessBlock: denied('accountPublicAccessBlock', 's3:GetAccountPublicAccessBlock') }), expect: { status: 'pass', messageId: 'allOn' } },
  // warn: off, nothing public
  { name: 'nothing configured, nothing public: warn naming all four', facts: facts({ bucketPublicAccessBlock: null }), expect: { status: 'warn', messageId: 'someOff', message: 'off at both the account and the bucket level: BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy and RestrictPublicBuckets.' } },
  { name: 'only RestrictPublicBuckets off, policy not public', facts: facts({ bucketPublicAccessBlock: { ...ALL_ON, RestrictPublicBuckets: false }, bucketPolicy: vpceOnly }), expect: { status: 'warn', messageId: 'someOff', message: 'off at both the account and the bucket level: RestrictPublicBuckets.', evidence: { offSettings: ['RestrictPublicBuckets'] } } },
  { name: 'public ACL but ACLs disabled (BucketOwnerEnforced): not exposed, warn', facts: facts({ bucketPublicAccessBlock: null, bucketAcl: publicAcl }), expect: { status: 'warn', messageId: 'someOff' } },
  { name: 'public ACL neutralised by IgnorePublicAcls, others off: warn', facts: facts({ bucketPublicAccessBlock: { IgnorePublicAcls: true }, bucketAcl: publicAcl, ownershipControls: 'ObjectWriter' }), expect: { status: 'warn', messageId: 'someOff' } },
  { name: 'public policy neutralised by RestrictPublicBuckets, others off: warn', facts: facts({ bucketPublicAccessBlock: { RestrictPublicBuckets: true }, bucketPolicy: publicRead }), expect: { status: 'warn', messageId: 'someOff' } },
  // fail: off and public
  { name: 'public policy and RestrictPublicBuckets off: fail naming the setting', facts: facts({ bucketPublicAccessBlock: null, bucketPolicy: publicRead }), expect: { status: 'fail', messageId: 'exposed', message: 'Turning on RestrictPublicBuckets', evidence: { exposures: [{ check: 'bucket-policy', what: 'bucket policy Sid "PublicRead" is public', neutralisedBy: 'RestrictPublicBuckets' }] } } },
  { name: 'public-read ACL with ACLs enabled and IgnorePublicAcls off: fail', facts: facts({ bucketPublicAccessBlock: null, bucketAcl: publicAcl, ownershipControls: null }), expect: { status: 'fail', messageId: 'exposed', message: 'Turning on IgnorePublicAcls' } },
  { name: 'both public: both settings named', facts: facts({ bucketPublicAccessBlock: null, bucketAcl: publicAcl, ownershipControls: 'BucketOwnerPreferred', bucketPolicy: publicRead }), expect: { status: 'fail', messageId: 'exposed', message: 'RestrictPublicBuckets and IgnorePublicAcls' } },
  // error
  { name: 'both levels unreadable', facts: facts({ accountPublicAccessBlock: denied('accountPublicAccessBlock', 's3:GetAccountPublicAccessBlock'), bucketPublicAccessBlock: denied('bucketPublicAccessBlock', 's3:GetBucketPublicAccessBlock') }), expect: { status: 'error', messageId: 'unreadable' } },
  { name: 'STS unreadable and bucket level unreadable', facts: facts({ callerIdentity: denied('callerIdentity', 'sts:GetCallerIdentity'), bucketPublicAccessBlock: denied('bucketPublicAccessBlock', 's3:GetBucketPublicAccessBlock') }), expect: { status: 'error', messageId: 'unreadable', message: 'AccessDenied' } },
  { name: 'account unreadable, bucket level partly off: the verdict depends on it', facts: facts({ accountPublicAccessBlock: denied('accountPublicAccessBlock', 's3:GetAccountPublicAccessBlock'), bucketPublicAccessBlock: { ...ALL_ON, IgnorePublicAcls: false } }), expect: { status: 'error', messageId: 'dependsOnUnreadable', message: 'not on at the bucket level: IgnorePublicAcls;' } },
  { name: 'bucket unreadable, account not configured: error, never assumed on', facts: facts({ bucketPublicAccessBlock: denied('bucketPublicAccessBlock', 's3:GetBucketPublicAccessBlock') }), expect: { status: 'error', messageId: 'dependsOnUnreadable', evidence: { unknownSettings: ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'] } } },
  { name: 'bucket owned by another account: its account level is not ours to read', facts: facts({ bucketOwnedBy: 'no', accountPublicAccessBlock: ALL_ON, bucketPublicAccessBlock: null }), expect: { status: 'error', messageId: 'dependsOnUnreadable', message: 'not owned by the checker' } },
  { name: 'bucket owned by another account but all four on at the bucket level', facts: facts({ bucketOwnedBy: 'no' }), expect: { status: 'pass', messageId: 'allOn' } },
  { name: 'settings off and the bucket policy unreadable: cannot tell warn from fail', facts: facts({ bucketPublicAccessBlock: null, bucketPolicy: denied('bucketPolicy', 's3:GetBucketPolicy') }), expect: { status: 'error', messageId: 'exposureUnknown', message: 'bucket policy could not be read' } },
  { name: 'settings off and the bucket policy unparseable', facts: facts({ bucketPublicAccessBlock: null, bucketPolicy: { present: true, text: '{nope', parsed: parsePolicyDocument('{nope') } }), expect: { status: 'error', messageId: 'exposureUnknown', message: 'could not be parsed' } },
  { name: 'settings off, public ACL grant and Object Ownership unreadable', facts: facts({ bucketPublicAccessBlock: null, bucketAcl: publicAcl, ownershipControls: denied('ownershipControls', 's3:GetBucketOwnershipControls') }), expect: { status: 'error', messageId: 'exposureUnknown' } },
  // skip
  { name: 'S3-compatible store: no Block Public Access', target: { serviceUrl: 'https://minio.example.internal:9000' }, facts: {}, expect: { status: 'skip', messageId: 'notAws' } },
]);
