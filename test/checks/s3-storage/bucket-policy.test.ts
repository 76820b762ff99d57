// bucket-policy over fact values: the project's own public analysis (never GetBucketPolicyStatus),
// RestrictPublicBuckets from both BPA levels, cross-account grants, unparseable documents.

import bucketPolicy from '../../../checks/s3-storage/bucket-policy.ts';
import { parsePolicyDocument } from '../../../src/policy/document.ts';
import { checkTable, deniedFact } from '../check-table.ts';

const B = 'ghes-packages';
const ME = '123456789012';
const PARTNER = '210987654321';
const RPB_ON = { RestrictPublicBuckets: true };
const policy = (...Statement: object[]) => {
  const text = JSON.stringify({ Version: '2012-10-17', Statement });
  return { present: true, text, parsed: parsePolicyDocument(text) };
};
const publicRead = { Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${B}/*` };
const tlsDeny = { Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [`arn:aws:s3:::${B}`, `arn:aws:s3:::${B}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } };
const partner = { Sid: 'Partner', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${PARTNER}:root` }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${B}/*` };

const facts = (over: Record<string, unknown> = {}) => ({
  callerIdentity: { arn: `arn:aws:iam::${ME}:user/auditor`, account: ME, userId: 'AIDA' },
  bucketHead: { status: 'found', region: 'eu-west-1' },
  bucketOwnedBy: 'yes',
  accountPublicAccessBlock: null,
  bucketPublicAccessBlock: null,
  ...over,
});

checkTable(bucketPolicy, [
  // pass
  { name: 'no bucket policy', facts: facts({ bucketPolicy: { present: false } }), expect: [{ status: 'pass', messageId: 'none', message: 'has no bucket policy', evidence: { api: 's3:GetBucketPolicy', account: ME, region: 'eu-west-1' }, subject: 'public' }, { status: 'pass', messageId: 'none', message: 'has no bucket policy', evidence: { api: 's3:GetBucketPolicy', account: ME, region: 'eu-west-1' }, subject: 'cross-account' }] },
  { name: 'only a TLS deny', facts: facts({ bucketPolicy: policy(tlsDeny) }), expect: [{ status: 'pass', messageId: 'private' }, { status: 'pass', subject: 'cross-account', messageId: 'noCrossAccount' }] },
  { name: 'owner-account principal', facts: facts({ bucketPolicy: policy({ ...partner, Sid: 'Ghes', Principal: { AWS: `arn:aws:iam::${ME}:user/ghes` } }) }), expect: [{ status: 'pass', messageId: 'private' }, { status: 'pass', subject: 'cross-account', messageId: 'noCrossAccount' }] },
  {
    name: 'Principal * limited to a VPC endpoint (fixed value): not public',
    facts: facts({ bucketPolicy: policy({ ...publicRead, Sid: 'FromVpce', Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } } }) }),
    expect: [{ status: 'pass', messageId: 'private', message: 'Sid "FromVpce" limited by aws:SourceVpce' }, { status: 'pass', subject: 'cross-account', messageId: 'noCrossAccount' }],
  },
  { name: 'Principal * limited to the organisation', facts: facts({ bucketPolicy: policy({ ...publicRead, Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } } }) }), expect: [{ status: 'pass', messageId: 'private' }, { status: 'pass', subject: 'cross-account', messageId: 'noCrossAccount' }] },
  // fail
  { name: 'Principal * GetObject, no BPA: fail with the statement verbatim', facts: facts({ bucketPolicy: policy(publicRead) }), expect: [{ status: 'fail', messageId: 'public', subject: 'public', message: 'RestrictPublicBuckets is off at both levels', evidence: { statement: publicRead, statementLabel: 'Sid "PublicRead"' } }, { status: 'pass', subject: 'cross-account', messageId: 'noCrossAccount' }] },
  { name: '{"AWS": "*"} principal', facts: facts({ bucketPolicy: policy({ ...publicRead, Principal: { AWS: '*' } }) }), expect: [{ status: 'fail', messageId: 'public' }, { status: 'pass', subject: 'cross-account', messageId: 'noCrossAccount' }] },
  { name: 'Federated principal', facts: facts({ bucketPolicy: policy({ ...publicRead, Principal: { Federated: 'graph.facebook.com' } }) }), expect: [{ status: 'fail', messageId: 'public', message: 'Federated' }, { status: 'pass', subject: 'cross-account', messageId: 'noCrossAccount' }] },
  { name: 'StringLike aws:SourceVpc vpc-* is not a fixed value', facts: facts({ bucketPolicy: policy({ ...publicRead, Condition: { StringLike: { 'aws:SourceVpc': 'vpc-*' } } }) }), expect: [{ status: 'fail', messageId: 'public' }, { status: 'pass', subject: 'cross-account', messageId: 'noCrossAccount' }] },
  { name: 'aws:SourceIp 0.0.0.0/0', facts: facts({ bucketPolicy: policy({ ...publicRead, Condition: { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } } }) }), expect: [{ status: 'fail', messageId: 'public' }, { status: 'pass', subject: 'cross-account', messageId: 'noCrossAccount' }] },
  { name: 'unnamed statement is labelled by position', facts: facts({ bucketPolicy: policy(tlsDeny, { ...publicRead, Sid: undefined }) }), expect: [{ status: 'fail', subject: 'public', message: 'statement #2' }, { status: 'pass', subject: 'cross-account', messageId: 'noCrossAccount' }] },
  { name: 'RestrictPublicBuckets on at the bucket level but the account level unreadable: still on', facts: facts({ accountPublicAccessBlock: deniedFact('accountPublicAccessBlock', 's3:GetAccountPublicAccessBlock'), bucketPublicAccessBlock: RPB_ON, bucketPolicy: policy(publicRead) }), expect: [{ status: 'warn', messageId: 'publicNeutralised' }, { status: 'pass', subject: 'cross-account', messageId: 'noCrossAccount' }] },
  { name: 'RestrictPublicBuckets unknown (account level unreadable): stays fail', facts: facts({ accountPublicAccessBlock: deniedFact('accountPublicAccessBlock', 's3:GetAccountPublicAccessBlock'), bucketPolicy: policy(publicRead) }), expect: [{ status: 'fail', messageId: 'publicUnknown', message: 'the account level could not be read' }, { status: 'pass', subject: 'cross-account', messageId: 'noCrossAccount' }] },
  { name: 'both BPA levels unreadable: stays fail', facts: facts({ accountPublicAccessBlock: deniedFact('accountPublicAccessBlock', 's3:GetAccountPublicAccessBlock'), bucketPublicAccessBlock: deniedFact('bucketPublicAccessBlock', 's3:GetBucketPublicAccessBlock'), bucketPolicy: policy(publicRead) }), expect: [{ status: 'fail', messageId: 'publicUnknown' }, { status: 'pass', subject: 'cross-account', messageId: 'noCrossAccount' }] },
  { name: 'two public statements: one result for the public aspect, naming both (stable subjects)', facts: facts({ bucketPolicy: policy(publicRead, { ...publicRead, Sid: 'PublicList', Action: 's3:ListBucket', Resource: `arn:aws:s3:::${B}` }) }), expect: [{ status: 'fail', subject: 'public', message: 'Sid "PublicList"' }, { status: 'pass', subject: 'cross-account', messageId: 'noCrossAccount' }] },
  { name: 'S3-compatible store: no BPA to neutralise it', target: { serviceUrl: 'https://minio.example.internal' }, facts: facts({ bucketPolicy: policy(publicRead), accountPublicAccessBlock: new Error('must not be read') }), expect: [{ status: 'fail', messageId: 'public', message: 'S3-compatible' }, { status: 'pass', subject: 'cross-account', messageId: 'noCrossAccount' }] },
  // warn
  { name: 'public statement neutralised by RestrictPublicBuckets at the bucket level', facts: facts({ bucketPublicAccessBlock: RPB_ON, bucketPolicy: policy(publicRead) }), expect: [{ status: 'warn', messageId: 'publicNeutralised', message: 'on (bucket level)', evidence: { statement: publicRead } }, { status: 'pass', subject: 'cross-account', messageId: 'noCrossAccount' }] },
  { name: 'public statement neutralised by RestrictPublicBuckets at the account level', facts: facts({ accountPublicAccessBlock: RPB_ON, bucketPolicy: policy(publicRead) }), expect: [{ status: 'warn', messageId: 'publicNeutralised', message: 'on (account level)' }, { status: 'pass', subject: 'cross-account', messageId: 'noCrossAccount' }] },
  { name: 'grant to another account: named', facts: facts({ bucketPolicy: policy(partner) }), expect: [{ status: 'pass', subject: 'public', messageId: 'private' }, { status: 'warn', messageId: 'crossAccount', subject: 'cross-account', message: `${PARTNER} (Sid "Partner")`, evidence: { otherAccounts: [PARTNER], ownerAccount: ME } }] },
  { name: 'another account named through aws:SourceAccount', facts: facts({ bucketPolicy: policy({ ...publicRead, Sid: 'FromPartnerService', Principal: { Service: 'logging.s3.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': PARTNER } } }) }), expect: [{ status: 'pass', subject: 'public', messageId: 'private' }, { status: 'warn', messageId: 'crossAccount' }] },
  { name: 'bucket owner unknown: accounts named, hedged', facts: facts({ bucketOwnedBy: 'unknown', bucketPolicy: policy(partner) }), expect: [{ status: 'pass', subject: 'public', messageId: 'private' }, { status: 'warn', messageId: 'crossAccountOwnerUnknown', message: PARTNER }] },
  {
    name: 'public and cross-account with RestrictPublicBuckets on: both warn, cross-account grants blocked too',
    facts: facts({ bucketPublicAccessBlock: RPB_ON, bucketPolicy: policy(publicRead, partner) }),
    expect: [{ status: 'warn', messageId: 'publicNeutralised' }, { status: 'warn', messageId: 'crossAccount', message: 'do not work either' }],
  },
  { name: 'public and cross-account with BPA off', facts: facts({ bucketPolicy: policy(publicRead, partner) }), expect: [{ status: 'fail', messageId: 'public' }, { status: 'warn', messageId: 'crossAccount' }] },
  // error
  { name: 'unparseable policy: error, never a pass', facts: facts({ bucketPolicy: { present: true, text: '{"Statement": [', parsed: parsePolicyDocument('{"Statement": [') } }), expect: [{ status: 'error', messageId: 'unparseable', evidence: { code: 'MalformedPolicy', policyText: '{"Statement": [' }, subject: 'public' }, { status: 'error', messageId: 'unparseable', evidence: { code: 'MalformedPolicy', policyText: '{"Statement": [' }, subject: 'cross-account' }] },
  { name: 'statement with neither Action nor NotAction', facts: facts({ bucketPolicy: { present: true, text: '{}', parsed: parsePolicyDocument({ Statement: [{ Effect: 'Allow', Principal: '*' }] }) } }), expect: [{ status: 'error', messageId: 'unparseable', message: 'neither Action nor NotAction', subject: 'public' }, { status: 'error', messageId: 'unparseable', message: 'neither Action nor NotAction', subject: 'cross-account' }] },
  { name: 'GetBucketPolicy denied', facts: facts({ bucketPolicy: deniedFact('bucketPolicy', 's3:GetBucketPolicy') }), expect: [{ status: 'error', evidence: { code: 'AccessDenied', api: 's3:GetBucketPolicy' }, subject: 'public' }, { status: 'error', evidence: { code: 'AccessDenied', api: 's3:GetBucketPolicy' }, subject: 'cross-account' }] },
]);
