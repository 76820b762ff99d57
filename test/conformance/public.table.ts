// S3 "meaning of public" rows: every example and every listed key of the Amazon S3 User Guide,
// "Blocking public access to your Amazon S3 storage", section "The meaning of 'public'" (as read
// for DESIGN.md on 2026-12-02). A row is one bucket policy (its Allow/Deny statements); `expect`
// is whether S3 would call it public.

import { ACCOUNT, type Json, type PublicRow } from './rows.ts';

const PUB = 's3Public § The meaning of "public"';
const OBJECTS = 'arn:aws:s3:::amzn-s3-demo-bucket/*';
const get = (Principal: unknown, Condition?: Json): Json => ({ Effect: 'Allow', Principal, Action: 's3:GetObject', Resource: OBJECTS, ...(Condition ? { Condition } : {}) });
const star = (Condition?: Json): Json => get('*', Condition);
const eq = (key: string, value: unknown): Json => ({ StringEquals: { [key]: value } });

export const publicRows: PublicRow[] = [
  // Principals
  { source: PUB, name: 'Principal "*" without a condition is public', statements: [star()], expect: true },
  { source: PUB, name: 'Principal {"AWS": "*"} without a condition is public', statements: [get({ AWS: '*' })], expect: true },
  { source: PUB, name: 'a fixed AWS account principal is not public', statements: [get({ AWS: `arn:aws:iam::${ACCOUNT}:root` })], expect: false },
  { source: PUB, name: 'a fixed IAM role principal is not public', statements: [get({ AWS: `arn:aws:iam::${ACCOUNT}:role/reader` })], expect: false },
  { source: PUB, name: 'a fixed service principal is not public', statements: [get({ Service: 'cloudtrail.amazonaws.com' })], expect: false },
  { source: PUB, name: 'a principal with a wildcard (arn:aws:iam::*:root) is not a fixed value: public', statements: [get({ AWS: 'arn:aws:iam::*:root' })], expect: true },
  { source: PUB, name: 'a principal with a policy variable is not a fixed value: public', statements: [get({ AWS: 'arn:aws:iam::${aws:PrincipalAccount}:root' })], expect: true },
  { source: PUB, name: 'a Federated principal (graph.facebook.com, the page\'s example) is public', statements: [get({ Federated: 'graph.facebook.com' })], expect: true },
  { source: PUB, name: 'Allow with NotPrincipal grants everyone else: public', statements: [{ Effect: 'Allow', NotPrincipal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 's3:GetObject', Resource: OBJECTS }], expect: true },
  { source: PUB, name: 'a Deny statement never makes a policy public', statements: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: OBJECTS, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }], expect: false },
  { source: PUB, name: 'one public Allow makes the whole policy public', statements: [get({ AWS: `arn:aws:iam::${ACCOUNT}:root` }), star()], expect: true },

  // aws:SourceIp
  { source: PUB, name: 'aws:SourceIp 203.0.113.0/24 is a fixed set of CIDRs: not public', statements: [star({ IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } })], expect: false },
  { source: PUB, name: 'aws:SourceIp exactly /8 is not public', statements: [star({ IpAddress: { 'aws:SourceIp': '12.0.0.0/8' } })], expect: false },
  { source: PUB, name: 'aws:SourceIp broader than /8 (/7) is public', statements: [star({ IpAddress: { 'aws:SourceIp': '12.0.0.0/7' } })], expect: true },
  { source: PUB, name: 'aws:SourceIp 0.0.0.0/0 is public', statements: [star({ IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } })], expect: true },
  { source: PUB, name: 'aws:SourceIp exactly /32 for IPv6 is not public', statements: [star({ IpAddress: { 'aws:SourceIp': '2001:db8::/32' } })], expect: false },
  { source: PUB, name: 'aws:SourceIp broader than /32 for IPv6 (/31) is public', statements: [star({ IpAddress: { 'aws:SourceIp': '2001:db8::/31' } })], expect: true },
  { source: PUB, name: 'aws:SourceIp in an RFC 1918 range (192.168.0.0/16) is not public', statements: [star({ IpAddress: { 'aws:SourceIp': '192.168.0.0/16' } })], expect: false },
  { source: PUB, name: 'NotIpAddress lets in everyone else: public', statements: [star({ NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } })], expect: true },

  // The listed keys, fixed
  { source: PUB, name: 'a fixed aws:SourceArn is not public', statements: [star({ ArnEquals: { 'aws:SourceArn': `arn:aws:cloudfront::${ACCOUNT}:distribution/EDFDVBD6EXAMPLE` } })], expect: false },
  { source: PUB, name: 'a fixed aws:SourceVpc is not public', statements: [star(eq('aws:SourceVpc', 'vpc-111bbb22'))], expect: false },
  { source: PUB, name: 'StringLike aws:SourceVpc "vpc-*" (the page\'s example) is public', statements: [star({ StringLike: { 'aws:SourceVpc': 'vpc-*' } })], expect: true },
  { source: PUB, name: 'a fixed aws:SourceVpce is not public', statements: [star(eq('aws:SourceVpce', 'vpce-1a2b3c4d'))], expect: false },
  { source: PUB, name: 'a fixed aws:SourceOwner is not public', statements: [star(eq('aws:SourceOwner', ACCOUNT))], expect: false },
  { source: PUB, name: 'a fixed aws:SourceAccount is not public', statements: [star(eq('aws:SourceAccount', ACCOUNT))], expect: false },
  { source: PUB, name: 'a fixed s3:x-amz-server-side-encryption-aws-kms-key-id is not public', statements: [star(eq('s3:x-amz-server-side-encryption-aws-kms-key-id', `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`))], expect: false },
  { source: PUB, name: 'a fixed aws:userid outside the pattern "AROLEID:*" is not public', statements: [star(eq('aws:userid', 'AIDAJQABLZS4A3QDU576Q'))], expect: false },
  { source: PUB, name: 'aws:userid "AROLEID:*" is public', statements: [star({ StringLike: { 'aws:userid': 'AROAEXAMPLEID:*' } })], expect: true },
  { source: PUB, name: 's3:DataAccessPointArn with a wildcard access-point name and a fixed account is not public', statements: [star({ StringLike: { 's3:DataAccessPointArn': `arn:aws:s3:us-west-2:${ACCOUNT}:accesspoint/*` } })], expect: false },
  { source: PUB, name: 's3:DataAccessPointArn with a wildcard account is public', statements: [star({ StringLike: { 's3:DataAccessPointArn': 'arn:aws:s3:us-west-2:*:accesspoint/*' } })], expect: true },
  {
    source: PUB,
    name: 'a fixed s3:DataAccessPointAccount is not public',
    statements: [star(eq('s3:DataAccessPointAccount', ACCOUNT))],
    expect: false,
    contradiction:
      'The S3 API Reference "PublicAccessBlockConfiguration" (s3PabApi) lists fewer keys (no s3:DataAccessPointArn/Account) and adds "bad actions"; it refers to the User Guide\'s "The meaning of \'public\'" for the definition, which lists both keys. The project follows the page the API Reference defers to; the "bad actions" exemption is never taken (every Allow to "*" counts, which can only call more policies public).',
  },
  { source: PUB, name: 'a fixed aws:PrincipalOrgID (the page\'s example of a principal restriction) is not public', statements: [star(eq('aws:PrincipalOrgID', 'o-a1b2c3d4e5'))], expect: false },
  { source: PUB, name: 'a fixed aws:PrincipalAccount names the principal\'s account: not public', statements: [star(eq('aws:PrincipalAccount', ACCOUNT))], expect: false },
  { source: PUB, name: 'a fixed aws:PrincipalServiceName names a service principal: not public', statements: [star(eq('aws:PrincipalServiceName', 'cloudfront.amazonaws.com'))], expect: false },
  { source: PUB, name: 'aws:PrincipalOrgPaths subtree o-…/r-…/ou-…/* has a wildcard: public', statements: [star({ 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': 'o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*' } })], expect: true },
  { source: PUB, name: 'a wildcard in a listed key (aws:SourceAccount 1111*) is not a fixed value: public', statements: [star({ StringLike: { 'aws:SourceAccount': '1111*' } })], expect: true },
  { source: PUB, name: 'a policy variable in a listed key is not a fixed value: public', statements: [star(eq('aws:SourceAccount', '${aws:PrincipalAccount}'))], expect: true },
  { source: PUB, name: 'one wildcard among fixed values opens the condition: public', statements: [star(eq('aws:SourceVpce', ['vpce-1a2b3c4d', 'vpce-*']))], expect: true },

  // Keys the page does not list (conservative: public)
  { source: PUB, name: 'aws:SourceVpcArn is not in the list: public', statements: [star(eq('aws:SourceVpcArn', `arn:aws:ec2:us-east-1:${ACCOUNT}:vpc/vpc-111bbb22`))], expect: true },
  { source: PUB, name: 'aws:VpceAccount is not in the list: public', statements: [star(eq('aws:VpceAccount', ACCOUNT))], expect: true },
  { source: PUB, name: 'aws:VpceOrgID is not in the list: public', statements: [star(eq('aws:VpceOrgID', 'o-a1b2c3d4e5'))], expect: true },
  { source: PUB, name: 'aws:VpceOrgPaths is not in the list: public', statements: [star({ 'ForAnyValue:StringEquals': { 'aws:VpceOrgPaths': 'o-a1b2c3d4e5/r-ab12/' } })], expect: true },
  { source: PUB, name: 'an unrelated key (aws:SecureTransport) does not restrict who: public', statements: [star({ Bool: { 'aws:SecureTransport': 'true' } })], expect: true },
  { source: PUB, name: 'a negated operator on a listed key lets in every other value: public', statements: [star({ StringNotEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } })], expect: true },
  { source: PUB, name: '...IfExists on a listed key lets in requests without it: public', statements: [star({ StringEqualsIfExists: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } })], expect: true },
  { source: PUB, name: 'ForAllValues: on a listed key holds when the key is absent: public', statements: [star({ 'ForAllValues:StringEquals': { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } })], expect: true },
  { source: PUB, name: 'a listed key AND an unrelated key: the listed key restricts, not public', statements: [star({ StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' }, Bool: { 'aws:SecureTransport': 'true' } })], expect: false },
];
