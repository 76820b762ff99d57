// Table tests for src/s3/acl.ts: ACL grants and effective Block Public Access (FACTS.md "S3 exposure").

import { describe, test } from 'vitest';
import assert from 'node:assert/strict';
import { analyzeAclGrants, effectiveBlockPublicAccess, type AclGrant, type BpaLevel, type EffectiveBpa } from '../../src/s3/acl.ts';

const OWNER_ID = '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be';
const OTHER_ID = 'be31f8cd28e7c5bea4e1cd1a50b2c2f0e1f4d3c1a0b9e8d7c6b5a4f3e2d1c0b9';

const owner = (permission = 'FULL_CONTROL'): AclGrant => ({ grantee: { type: 'CanonicalUser', id: OWNER_ID, displayName: 'ghes-admin' }, permission });
const group = (uri: string, permission = 'READ'): AclGrant => ({ grantee: { type: 'Group', uri }, permission });
const ALL = 'http://acs.amazonaws.com/groups/global/AllUsers';
const AUTH = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';
const LOG = 'http://acs.amazonaws.com/groups/s3/LogDelivery';

interface AclRow {
  name: string;
  grants: AclGrant[];
  ownerId?: string;
  public: string[];
  other: string[];
  notable: string[];
  ownerOnly: boolean;
}

const aclRows: AclRow[] = [
  { name: 'owner FULL_CONTROL only', grants: [owner()], public: [], other: [], notable: [], ownerOnly: true },
  { name: 'empty ACL', grants: [], public: [], other: [], notable: [], ownerOnly: true },
  { name: 'owner id in upper case', grants: [{ grantee: { type: 'CanonicalUser', id: OWNER_ID.toUpperCase() }, permission: 'FULL_CONTROL' }], public: [], other: [], notable: [], ownerOnly: true },
  { name: 'AllUsers READ (public-read)', grants: [owner(), group(ALL)], public: ['AllUsers:READ'], other: [], notable: [], ownerOnly: false },
  { name: 'AllUsers WRITE (public-read-write)', grants: [owner(), group(ALL), group(ALL, 'WRITE')], public: ['AllUsers:READ', 'AllUsers:WRITE'], other: [], notable: [], ownerOnly: false },
  { name: 'AuthenticatedUsers READ', grants: [owner(), group(AUTH)], public: ['AuthenticatedUsers:READ'], other: [], notable: [], ownerOnly: false },
  { name: 'AllUsers URI over https and trailing slash', grants: [group('https://acs.amazonaws.com/groups/global/AllUsers/', 'READ_ACP')], public: ['AllUsers:READ_ACP'], other: [], notable: [], ownerOnly: false },
  { name: 'LogDelivery WRITE (log-delivery-write)', grants: [owner(), group(LOG, 'WRITE'), group(LOG, 'READ_ACP')], public: [], other: [], notable: ['LogDelivery:WRITE', 'LogDelivery:READ_ACP'], ownerOnly: false },
  { name: 'unknown group', grants: [group('http://acs.amazonaws.com/groups/global/SomethingNew')], public: [], other: [], notable: ['UnknownGroup:READ'], ownerOnly: false },
  { name: 'other canonical user', grants: [owner(), { grantee: { type: 'CanonicalUser', id: OTHER_ID, displayName: 'partner' }, permission: 'READ' }], public: [], other: ['OtherAccount:READ'], notable: [], ownerOnly: false },
  { name: 'email grantee', grants: [{ grantee: { type: 'AmazonCustomerByEmail', email: 'ops@example.com' }, permission: 'WRITE_ACP' }], public: [], other: ['Email:WRITE_ACP'], notable: [], ownerOnly: false },
  { name: 'canonical user without id', grants: [{ grantee: { type: 'CanonicalUser' }, permission: 'READ' }], public: [], other: ['UnidentifiedGrantee:READ'], notable: [], ownerOnly: false },
  { name: 'owner unknown (empty ownerId): no owner-only claim', grants: [owner()], ownerId: '', public: [], other: ['OtherAccount:FULL_CONTROL'], notable: [], ownerOnly: false },
  {
    name: 'everything at once',
    grants: [owner(), group(ALL, 'FULL_CONTROL'), group(AUTH, 'WRITE'), group(LOG, 'WRITE'), { grantee: { type: 'CanonicalUser', id: OTHER_ID }, permission: 'READ' }],
    public: ['AllUsers:FULL_CONTROL', 'AuthenticatedUsers:WRITE'],
    other: ['OtherAccount:READ'],
    notable: ['LogDelivery:WRITE'],
    ownerOnly: false,
  },
];

describe('analyzeAclGrants', () => {
  for (const row of aclRows) {
    test(row.name, () => {
      const a = analyzeAclGrants(row.grants, row.ownerId ?? OWNER_ID);
      const tag = (fs: typeof a.publicGrants) => fs.map((f) => `${f.kind}:${f.permission}`);
      assert.deepEqual(tag(a.publicGrants), row.public);
      assert.deepEqual(tag(a.otherAccountGrants), row.other);
      assert.deepEqual(tag(a.notableGrants), row.notable);
      assert.equal(a.ownerOnly, row.ownerOnly);
      for (const f of [...a.publicGrants, ...a.otherAccountGrants, ...a.notableGrants]) {
        assert.ok(row.grants.includes(f.grant), 'the grant is kept verbatim');
        assert.match(f.text, /^The ACL .*\.$/);
      }
    });
  }
  test('texts say what the grant allows', () => {
    const a = analyzeAclGrants([group(ALL, 'WRITE'), { grantee: { type: 'CanonicalUser', id: OTHER_ID, displayName: 'partner' }, permission: 'READ' }], OWNER_ID);
    assert.equal(a.publicGrants[0].text, 'The ACL lets anyone on the internet, without signing in, create, overwrite and delete objects in the bucket (WRITE to AllUsers).');
    assert.equal(a.otherAccountGrants[0].text, `The ACL lets canonical user ${OTHER_ID} (partner), another AWS account than the bucket owner, list the objects in the bucket (READ).`);
  });
});

type Four = [boolean | 'unknown', boolean | 'unknown', boolean | 'unknown', boolean | 'unknown'];
type FourSources = [string, string, string, string];

const ALL_ON = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };
const ALL_OFF = { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false };

interface BpaRow {
  name: string;
  account: BpaLevel;
  bucket: BpaLevel;
  effective: Four;
  sources: FourSources;
}

const bpaRows: BpaRow[] = [
  { name: 'both all on', account: ALL_ON, bucket: ALL_ON, effective: [true, true, true, true], sources: ['both', 'both', 'both', 'both'] },
  { name: 'account all on, bucket not configured', account: ALL_ON, bucket: null, effective: [true, true, true, true], sources: ['account', 'account', 'account', 'account'] },
  { name: 'bucket all on, account not configured', account: null, bucket: ALL_ON, effective: [true, true, true, true], sources: ['bucket', 'bucket', 'bucket', 'bucket'] },
  { name: 'neither configured', account: null, bucket: null, effective: [false, false, false, false], sources: ['none', 'none', 'none', 'none'] },
  { name: 'both explicitly off', account: ALL_OFF, bucket: ALL_OFF, effective: [false, false, false, false], sources: ['none', 'none', 'none', 'none'] },
  {
    name: 'mixed: most restrictive wins per setting',
    account: { BlockPublicAcls: true, IgnorePublicAcls: false, BlockPublicPolicy: true, RestrictPublicBuckets: false },
    bucket: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: false, RestrictPublicBuckets: false },
    effective: [true, true, true, false],
    sources: ['both', 'bucket', 'account', 'none'],
  },
  { name: 'missing fields are off', account: { BlockPublicAcls: true }, bucket: {}, effective: [true, false, false, false], sources: ['account', 'none', 'none', 'none'] },
  { name: 'account unreadable, bucket all on', account: 'unreadable', bucket: ALL_ON, effective: [true, true, true, true], sources: ['bucket', 'bucket', 'bucket', 'bucket'] },
  { name: 'account unreadable, bucket not configured', account: 'unreadable', bucket: null, effective: ['unknown', 'unknown', 'unknown', 'unknown'], sources: ['unknown', 'unknown', 'unknown', 'unknown'] },
  {
    name: 'bucket unreadable, account partly on',
    account: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: false, RestrictPublicBuckets: false },
    bucket: 'unreadable',
    effective: [true, true, 'unknown', 'unknown'],
    sources: ['account', 'account', 'unknown', 'unknown'],
  },
  { name: 'both unreadable', account: 'unreadable', bucket: 'unreadable', effective: ['unknown', 'unknown', 'unknown', 'unknown'], sources: ['unknown', 'unknown', 'unknown', 'unknown'] },
];

describe('effectiveBlockPublicAccess', () => {
  const keys = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'] as const;
  for (const row of bpaRows) {
    test(row.name, () => {
      const got: EffectiveBpa = effectiveBlockPublicAccess(row.account, row.bucket);
      assert.deepEqual(keys.map((k) => got.effective[k]), row.effective);
      assert.deepEqual(keys.map((k) => got.sources[k]), row.sources);
      assert.deepEqual(Object.keys(got.effective), [...keys]);
    });
  }
});
