// bucket-acl over fact values: public grants and what neutralises them (IgnorePublicAcls at either
// level, ACLs disabled by BucketOwnerEnforced), other accounts, owner only.

import bucketAcl from '../../../checks/s3-storage/bucket-acl.ts';
import { checkTable, deniedFact } from '../check-table.ts';

const OWNER_ID = '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be';
const OTHER_ID = 'be31f8cd28e7c5bea4e1cd1a50b2c2f0e1f4d3c1a0b9e8d7c6b5a4f3e2d1c0b9';
const owner = { grantee: { type: 'CanonicalUser', id: OWNER_ID, displayName: 'ghes-admin' }, permission: 'FULL_CONTROL' };
const allUsersRead = { grantee: { type: 'Group', uri: 'http://acs.amazonaws.com/groups/global/AllUsers' }, permission: 'READ' };
const authUsersWrite = { grantee: { type: 'Group', uri: 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers' }, permission: 'WRITE' };
const otherRead = { grantee: { type: 'CanonicalUser', id: OTHER_ID, displayName: 'partner' }, permission: 'READ' };
const logDelivery = { grantee: { type: 'Group', uri: 'http://acs.amazonaws.com/groups/s3/LogDelivery' }, permission: 'WRITE' };
const acl = (...grants: object[]) => ({ ownerId: OWNER_ID, ownerDisplayName: 'ghes-admin', grants: [owner, ...grants] });

const facts = (over: Record<string, unknown> = {}) => ({
  callerIdentity: { arn: 'arn:aws:iam::123456789012:user/auditor', account: '123456789012', userId: 'AIDA' },
  bucketHead: { status: 'found', region: 'us-east-1' },
  bucketOwnedBy: 'yes',
  accountPublicAccessBlock: null,
  bucketPublicAccessBlock: null,
  ownershipControls: null,
  bucketAcl: acl(),
  ...over,
});

checkTable(bucketAcl, [
  // pass
  { name: 'owner only', facts: facts(), expect: [{ status: 'pass', messageId: 'ownerOnly', evidence: { api: 's3:GetBucketAcl', grants: [owner], account: '123456789012', region: 'us-east-1' } }, { status: 'pass', subject: 'other-accounts', messageId: 'noOtherAccounts' }] },
  { name: 'empty ACL', facts: facts({ bucketAcl: { ownerId: OWNER_ID, grants: [] } }), expect: [{ status: 'pass', messageId: 'ownerOnly' }, { status: 'pass', subject: 'other-accounts', messageId: 'noOtherAccounts' }] },
  { name: 'S3 log delivery is not public: pass, named', facts: facts({ bucketAcl: acl(logDelivery) }), expect: [{ status: 'pass', messageId: 'ownerOnlyNotable', message: 'log delivery' }, { status: 'pass', subject: 'other-accounts', messageId: 'noOtherAccounts' }] },
  // fail
  { name: 'public-read, ACLs enabled, no BPA', facts: facts({ bucketAcl: acl(allUsersRead) }), expect: [{ status: 'fail', messageId: 'public', subject: 'public', message: 'anyone on the internet', evidence: { grant: allUsersRead } }, { status: 'pass', subject: 'other-accounts', messageId: 'noOtherAccounts' }] },
  { name: 'AuthenticatedUsers WRITE with ObjectWriter', facts: facts({ bucketAcl: acl(authUsersWrite), ownershipControls: 'ObjectWriter' }), expect: [{ status: 'fail', messageId: 'public', subject: 'public', message: 'any AWS account' }, { status: 'pass', subject: 'other-accounts', messageId: 'noOtherAccounts' }] },
  { name: 'public-read with BucketOwnerPreferred (ACLs still on)', facts: facts({ bucketAcl: acl(allUsersRead), ownershipControls: 'BucketOwnerPreferred' }), expect: [{ status: 'fail', messageId: 'public' }, { status: 'pass', subject: 'other-accounts', messageId: 'noOtherAccounts' }] },
  { name: 'IgnorePublicAcls unknown (account level unreadable): stays fail', facts: facts({ bucketAcl: acl(allUsersRead), accountPublicAccessBlock: deniedFact('accountPublicAccessBlock', 's3:GetAccountPublicAccessBlock') }), expect: [{ status: 'fail', messageId: 'publicUnknown' }, { status: 'pass', subject: 'other-accounts', messageId: 'noOtherAccounts' }] },
  { name: 'Object Ownership unreadable and IgnorePublicAcls off: stays fail', facts: facts({ bucketAcl: acl(allUsersRead), ownershipControls: deniedFact('ownershipControls', 's3:GetBucketOwnershipControls') }), expect: [{ status: 'fail', messageId: 'publicUnknown', message: 'unreadable' }, { status: 'pass', subject: 'other-accounts', messageId: 'noOtherAccounts' }] },
  { name: 'S3-compatible store: a public grant fails', target: { serviceUrl: 'https://minio.example.internal' }, facts: facts({ bucketAcl: acl(allUsersRead), ownershipControls: new Error('must not be read'), bucketPublicAccessBlock: new Error('must not be read') }), expect: [{ status: 'fail', messageId: 'public' }, { status: 'pass', subject: 'other-accounts', messageId: 'noOtherAccounts' }] },
  // warn
  { name: 'public-read neutralised by IgnorePublicAcls (bucket level)', facts: facts({ bucketAcl: acl(allUsersRead), bucketPublicAccessBlock: { IgnorePublicAcls: true } }), expect: [{ status: 'warn', messageId: 'publicIgnored', message: 'on (bucket level)' }, { status: 'pass', subject: 'other-accounts', messageId: 'noOtherAccounts' }] },
  { name: 'public-read neutralised by IgnorePublicAcls (account level)', facts: facts({ bucketAcl: acl(allUsersRead), accountPublicAccessBlock: { IgnorePublicAcls: true } }), expect: [{ status: 'warn', messageId: 'publicIgnored', message: 'on (account level)' }, { status: 'pass', subject: 'other-accounts', messageId: 'noOtherAccounts' }] },
  { name: 'public-read with ACLs disabled (BucketOwnerEnforced)', facts: facts({ bucketAcl: acl(allUsersRead), ownershipControls: 'BucketOwnerEnforced' }), expect: [{ status: 'warn', messageId: 'publicAclsDisabled' }, { status: 'pass', subject: 'other-accounts', messageId: 'noOtherAccounts' }] },
  { name: 'another canonical user', facts: facts({ bucketAcl: acl(otherRead) }), expect: [{ status: 'pass', subject: 'public', messageId: 'notPublic' }, { status: 'warn', messageId: 'otherAccounts', subject: 'other-accounts', message: OTHER_ID }] },
  { name: 'email grantee', facts: facts({ bucketAcl: acl({ grantee: { type: 'AmazonCustomerByEmail', email: 'ops@example.com' }, permission: 'READ' }) }), expect: [{ status: 'pass', subject: 'public', messageId: 'notPublic' }, { status: 'warn', messageId: 'otherAccounts', message: 'ops@example.com' }] },
  { name: 'unknown group', facts: facts({ bucketAcl: acl({ grantee: { type: 'Group', uri: 'http://acs.amazonaws.com/groups/global/SomethingNew' }, permission: 'READ' }) }), expect: [{ status: 'warn', messageId: 'unknownGrantees' }, { status: 'pass', subject: 'other-accounts', messageId: 'noOtherAccounts' }] },
  { name: 'public and another account: one result per aspect', facts: facts({ bucketAcl: acl(allUsersRead, otherRead) }), expect: [{ status: 'fail', subject: 'public' }, { status: 'warn', subject: 'other-accounts' }] },
  // error
  { name: 'two public grants combine into one result for the public aspect (stable subjects)', facts: facts({ bucketAcl: acl(allUsersRead, authUsersWrite) }), expect: [{ status: 'fail', subject: 'public', message: 'AuthenticatedUsers' }, { status: 'pass', subject: 'other-accounts', messageId: 'noOtherAccounts' }] },
  { name: 'GetBucketAcl denied', facts: facts({ bucketAcl: deniedFact('bucketAcl', 's3:GetBucketAcl') }), expect: [{ status: 'error', evidence: { code: 'AccessDenied', api: 's3:GetBucketAcl' }, subject: 'public' }, { status: 'error', evidence: { code: 'AccessDenied', api: 's3:GetBucketAcl' }, subject: 'other-accounts' }] },
]);
