// Table tests for src/policy/public.ts: AWS's "meaning of public" (Amazon S3 User Guide, "The
// meaning of 'public'"; FACTS.md "S3 exposure"). One row per case; a new bug becomes a new row.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePolicyDocument, type NormalizedPolicy, type NormalizedStatement } from '../../src/policy/document.ts';
import {
  analyzeResourcePolicy,
  isPublicCidr,
  isPublicStatement,
  principalAccounts,
  restrictsToOrgOrAccounts,
  type PublicReasonCode,
} from '../../src/policy/public.ts';

const OWNER = '111122223333';
const OTHER = '999988887777';
const BUCKET = 'ghes-packages';

function policyOf(statements: Record<string, unknown>[]): NormalizedPolicy {
  const parsed = parsePolicyDocument({ Version: '2012-10-17', Statement: statements });
  if (!parsed.ok) throw new Error(`test policy does not parse: ${parsed.error}`);
  return parsed.policy;
}

/** An Allow on the bucket's objects with the given principal/condition, parsed by the shared parser. */
function stmt(partial: Record<string, unknown>): NormalizedStatement {
  return policyOf([{ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/*`, ...partial }]).statements[0];
}

const wild = (Condition?: Record<string, unknown>) => stmt({ Principal: '*', ...(Condition ? { Condition } : {}) });

interface PublicRow {
  name: string;
  statement: NormalizedStatement;
  public: boolean;
  codes: PublicReasonCode[];
  fixedBy: string[];
}

const rows: PublicRow[] = [
  // Principal forms
  { name: 'Principal "*"', statement: wild(), public: true, codes: ['wildcard-principal'], fixedBy: [] },
  { name: 'Principal {"AWS":"*"}', statement: stmt({ Principal: { AWS: '*' } }), public: true, codes: ['wildcard-principal'], fixedBy: [] },
  { name: 'Principal account root ARN', statement: stmt({ Principal: { AWS: `arn:aws:iam::${OWNER}:root` } }), public: false, codes: [], fixedBy: [] },
  { name: 'Principal account id', statement: stmt({ Principal: { AWS: OWNER } }), public: false, codes: [], fixedBy: [] },
  { name: 'Principal role ARN', statement: stmt({ Principal: { AWS: `arn:aws:iam::${OWNER}:role/ghes` } }), public: false, codes: [], fixedBy: [] },
  { name: 'Principal with wildcard account', statement: stmt({ Principal: { AWS: 'arn:aws:iam::*:root' } }), public: true, codes: ['wildcard-principal'], fixedBy: [] },
  { name: 'Principal list mixing an account and "*"', statement: stmt({ Principal: { AWS: [OWNER, '*'] } }), public: true, codes: ['wildcard-principal'], fixedBy: [] },
  { name: 'Deny with Principal "*"', statement: stmt({ Effect: 'Deny', Principal: '*' }), public: false, codes: [], fixedBy: [] },
  { name: 'Deny with NotPrincipal', statement: stmt({ Effect: 'Deny', NotPrincipal: { AWS: OWNER } }), public: false, codes: [], fixedBy: [] },
  { name: 'Allow with NotPrincipal', statement: stmt({ NotPrincipal: { AWS: `arn:aws:iam::${OWNER}:root` } }), public: true, codes: ['not-principal-allow'], fixedBy: [] },
  {
    name: 'Allow with NotPrincipal, fixed aws:PrincipalOrgID',
    statement: stmt({ NotPrincipal: { AWS: OWNER }, Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123def4' } } }),
    public: false,
    codes: ['not-principal-allow'],
    fixedBy: ['aws:PrincipalOrgID'],
  },
  { name: 'Federated principal graph.facebook.com', statement: stmt({ Principal: { Federated: 'graph.facebook.com' } }), public: true, codes: ['federated-principal'], fixedBy: [] },
  {
    name: 'Service principal cloudfront with fixed aws:SourceArn',
    statement: stmt({ Principal: { Service: 'cloudfront.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceArn': `arn:aws:cloudfront::${OWNER}:distribution/E1ABCDEF` } } }),
    public: false,
    codes: [],
    fixedBy: [],
  },
  { name: 'Service principal without condition (a fixed service principal)', statement: stmt({ Principal: { Service: 'cloudfront.amazonaws.com' } }), public: false, codes: [], fixedBy: [] },

  // Each fixing key under a positive operator with a fixed value
  { name: 'StringEquals aws:PrincipalOrgID', statement: wild({ StringEquals: { 'aws:PrincipalOrgID': 'o-abc123def4' } }), public: false, codes: ['wildcard-principal'], fixedBy: ['aws:PrincipalOrgID'] },
  { name: 'StringEquals aws:PrincipalAccount', statement: wild({ StringEquals: { 'aws:PrincipalAccount': OWNER } }), public: false, codes: ['wildcard-principal'], fixedBy: ['aws:PrincipalAccount'] },
  { name: 'ArnEquals aws:PrincipalArn', statement: wild({ ArnEquals: { 'aws:PrincipalArn': `arn:aws:iam::${OWNER}:role/ghes` } }), public: false, codes: ['wildcard-principal'], fixedBy: ['aws:PrincipalArn'] },
  { name: 'StringEquals aws:PrincipalArn', statement: wild({ StringEquals: { 'aws:PrincipalArn': `arn:aws:iam::${OWNER}:user/ghes` } }), public: false, codes: ['wildcard-principal'], fixedBy: ['aws:PrincipalArn'] },
  { name: 'StringEquals aws:SourceArn', statement: wild({ StringEquals: { 'aws:SourceArn': `arn:aws:cloudfront::${OWNER}:distribution/E1ABCDEF` } }), public: false, codes: ['wildcard-principal'], fixedBy: ['aws:SourceArn'] },
  { name: 'StringEquals aws:SourceVpc', statement: wild({ StringEquals: { 'aws:SourceVpc': 'vpc-91237329' } }), public: false, codes: ['wildcard-principal'], fixedBy: ['aws:SourceVpc'] },
  { name: 'StringEquals aws:SourceVpce', statement: wild({ StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } }), public: false, codes: ['wildcard-principal'], fixedBy: ['aws:SourceVpce'] },
  { name: 'StringEquals aws:SourceOwner', statement: wild({ StringEquals: { 'aws:SourceOwner': OWNER } }), public: false, codes: ['wildcard-principal'], fixedBy: ['aws:SourceOwner'] },
  { name: 'StringEquals aws:SourceAccount', statement: wild({ StringEquals: { 'aws:SourceAccount': OWNER } }), public: false, codes: ['wildcard-principal'], fixedBy: ['aws:SourceAccount'] },
  {
    name: 'StringEquals s3:x-amz-server-side-encryption-aws-kms-key-id',
    statement: wild({ StringEquals: { 's3:x-amz-server-side-encryption-aws-kms-key-id': `arn:aws:kms:us-east-1:${OWNER}:key/1234abcd-12ab-34cd-56ef-1234567890ab` } }),
    public: false,
    codes: ['wildcard-principal'],
    fixedBy: ['s3:x-amz-server-side-encryption-aws-kms-key-id'],
  },
  { name: 'StringEquals aws:userid (IAM user id)', statement: wild({ StringEquals: { 'aws:userid': 'AIDAJQABLZS4A3QDU576Q' } }), public: false, codes: ['wildcard-principal'], fixedBy: ['aws:userid'] },
  {
    name: 'StringEquals s3:DataAccessPointArn',
    statement: wild({ StringEquals: { 's3:DataAccessPointArn': `arn:aws:s3:us-west-2:${OWNER}:accesspoint/ghes` } }),
    public: false,
    codes: ['wildcard-principal'],
    fixedBy: ['s3:DataAccessPointArn'],
  },
  {
    name: 'StringLike s3:DataAccessPointArn with wildcard name, fixed account',
    statement: wild({ StringLike: { 's3:DataAccessPointArn': `arn:aws:s3:us-west-2:${OWNER}:accesspoint/*` } }),
    public: false,
    codes: ['wildcard-principal'],
    fixedBy: ['s3:DataAccessPointArn'],
  },
  { name: 'StringEquals s3:DataAccessPointAccount', statement: wild({ StringEquals: { 's3:DataAccessPointAccount': OWNER } }), public: false, codes: ['wildcard-principal'], fixedBy: ['s3:DataAccessPointAccount'] },
  {
    name: 'ForAnyValue:StringEquals aws:PrincipalOrgPaths',
    statement: wild({ 'ForAnyValue:StringEquals': { 'aws:PrincipalOrgPaths': 'o-abc123def4/r-ab12/ou-ab12-11111111/' } }),
    public: false,
    codes: ['wildcard-principal'],
    fixedBy: ['aws:PrincipalOrgPaths'],
  },
  { name: 'StringLike without wildcard is fixed', statement: wild({ StringLike: { 'aws:PrincipalOrgID': 'o-abc123def4' } }), public: false, codes: ['wildcard-principal'], fixedBy: ['aws:PrincipalOrgID'] },
  { name: 'StringEqualsIgnoreCase aws:SourceVpce', statement: wild({ StringEqualsIgnoreCase: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } }), public: false, codes: ['wildcard-principal'], fixedBy: ['aws:SourceVpce'] },
  { name: 'condition keys are case-insensitive', statement: wild({ StringEquals: { 'AWS:PRINCIPALORGID': 'o-abc123def4' } }), public: false, codes: ['wildcard-principal'], fixedBy: ['AWS:PRINCIPALORGID'] },
  {
    name: 'an unrelated condition next to a fixing one',
    statement: wild({ Bool: { 'aws:SecureTransport': 'true' }, StringEquals: { 'aws:PrincipalOrgID': 'o-abc123def4' } }),
    public: false,
    codes: ['wildcard-principal'],
    fixedBy: ['aws:PrincipalOrgID'],
  },
  { name: 'ForAnyValue:StringEquals aws:PrincipalOrgID (false when absent: fixes)', statement: wild({ 'ForAnyValue:StringEquals': { 'aws:PrincipalOrgID': 'o-abc123def4' } }), public: false, codes: ['wildcard-principal'], fixedBy: ['aws:PrincipalOrgID'] },

  // The same keys with a wildcard or a policy variable
  { name: 'StringLike aws:SourceVpc vpc-* (AWS example)', statement: wild({ StringLike: { 'aws:SourceVpc': 'vpc-*' } }), public: true, codes: ['wildcard-principal', 'unfixed-condition'], fixedBy: [] },
  { name: 'StringLike aws:PrincipalArn role/*', statement: wild({ StringLike: { 'aws:PrincipalArn': `arn:aws:iam::${OWNER}:role/*` } }), public: true, codes: ['wildcard-principal', 'unfixed-condition'], fixedBy: [] },
  { name: 'ArnLike aws:SourceArn with wildcard', statement: wild({ ArnLike: { 'aws:SourceArn': 'arn:aws:cloudfront::*:distribution/*' } }), public: true, codes: ['wildcard-principal', 'unfixed-condition'], fixedBy: [] },
  { name: 'StringLike aws:PrincipalOrgID o-*', statement: wild({ StringLike: { 'aws:PrincipalOrgID': 'o-*' } }), public: true, codes: ['wildcard-principal', 'unfixed-condition'], fixedBy: [] },
  { name: 'StringLike aws:SourceAccount with ?', statement: wild({ StringLike: { 'aws:SourceAccount': '11112222333?' } }), public: true, codes: ['wildcard-principal', 'unfixed-condition'], fixedBy: [] },
  { name: 'StringEquals aws:SourceAccount policy variable', statement: wild({ StringEquals: { 'aws:SourceAccount': '${aws:PrincipalAccount}' } }), public: true, codes: ['wildcard-principal', 'unfixed-condition'], fixedBy: [] },
  { name: 'StringEquals aws:PrincipalArn policy variable', statement: wild({ StringEquals: { 'aws:PrincipalArn': `arn:aws:iam::${OWNER}:user/\${aws:username}` } }), public: true, codes: ['wildcard-principal', 'unfixed-condition'], fixedBy: [] },
  { name: 'StringLike aws:userid AROLEID:* (role-session pattern)', statement: wild({ StringLike: { 'aws:userid': 'AROAEXAMPLEROLEID:*' } }), public: true, codes: ['wildcard-principal', 'unfixed-condition'], fixedBy: [] },
  { name: 'StringLike s3:DataAccessPointArn with wildcard account', statement: wild({ StringLike: { 's3:DataAccessPointArn': 'arn:aws:s3:us-west-2:*:accesspoint/*' } }), public: true, codes: ['wildcard-principal', 'unfixed-condition'], fixedBy: [] },
  { name: 'ForAnyValue:StringLike aws:PrincipalOrgPaths with wildcard', statement: wild({ 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': 'o-abc123def4/*' } }), public: true, codes: ['wildcard-principal', 'unfixed-condition'], fixedBy: [] },
  { name: 'one wildcard among fixed values opens it', statement: wild({ StringEquals: { 'aws:SourceVpce': ['vpce-1a2b3c4d', 'vpce-*'] } }), public: true, codes: ['wildcard-principal', 'unfixed-condition'], fixedBy: [] },

  // aws:SourceIp
  { name: 'IpAddress 0.0.0.0/0', statement: wild({ IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } }), public: true, codes: ['wildcard-principal', 'broad-source-ip'], fixedBy: [] },
  { name: 'IpAddress 0.0.0.0/1', statement: wild({ IpAddress: { 'aws:SourceIp': '0.0.0.0/1' } }), public: true, codes: ['wildcard-principal', 'broad-source-ip'], fixedBy: [] },
  { name: 'IpAddress 12.0.0.0/8 (exactly /8)', statement: wild({ IpAddress: { 'aws:SourceIp': '12.0.0.0/8' } }), public: false, codes: ['wildcard-principal'], fixedBy: ['aws:SourceIp'] },
  { name: 'IpAddress 12.0.0.0/9', statement: wild({ IpAddress: { 'aws:SourceIp': '12.0.0.0/9' } }), public: false, codes: ['wildcard-principal'], fixedBy: ['aws:SourceIp'] },
  { name: 'IpAddress 203.0.113.0/24', statement: wild({ IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }), public: false, codes: ['wildcard-principal'], fixedBy: ['aws:SourceIp'] },
  { name: 'IpAddress 10.0.0.0/8 (private)', statement: wild({ IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }), public: false, codes: ['wildcard-principal'], fixedBy: ['aws:SourceIp'] },
  { name: 'IpAddress 192.168.0.0/16 (private)', statement: wild({ IpAddress: { 'aws:SourceIp': '192.168.0.0/16' } }), public: false, codes: ['wildcard-principal'], fixedBy: ['aws:SourceIp'] },
  { name: 'IpAddress ::/0', statement: wild({ IpAddress: { 'aws:SourceIp': '::/0' } }), public: true, codes: ['wildcard-principal', 'broad-source-ip'], fixedBy: [] },
  { name: 'IpAddress 2001:db8::/32', statement: wild({ IpAddress: { 'aws:SourceIp': '2001:db8::/32' } }), public: false, codes: ['wildcard-principal'], fixedBy: ['aws:SourceIp'] },
  { name: 'IpAddress 2001:db8::/48', statement: wild({ IpAddress: { 'aws:SourceIp': '2001:db8::/48' } }), public: false, codes: ['wildcard-principal'], fixedBy: ['aws:SourceIp'] },
  { name: 'IpAddress with one broad CIDR among narrow ones', statement: wild({ IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '0.0.0.0/0'] } }), public: true, codes: ['wildcard-principal', 'broad-source-ip'], fixedBy: [] },
  { name: 'IpAddress with an unparseable value', statement: wild({ IpAddress: { 'aws:SourceIp': 'office-network' } }), public: true, codes: ['wildcard-principal', 'broad-source-ip'], fixedBy: [] },

  // Operators that do not pin a value
  { name: 'StringEqualsIfExists aws:PrincipalOrgID', statement: wild({ StringEqualsIfExists: { 'aws:PrincipalOrgID': 'o-abc123def4' } }), public: true, codes: ['wildcard-principal', 'weak-operator'], fixedBy: [] },
  { name: 'IpAddressIfExists private CIDR', statement: wild({ IpAddressIfExists: { 'aws:SourceIp': '10.0.0.0/8' } }), public: true, codes: ['wildcard-principal', 'weak-operator'], fixedBy: [] },
  { name: 'ForAllValues:StringEquals aws:PrincipalOrgID (true when absent)', statement: wild({ 'ForAllValues:StringEquals': { 'aws:PrincipalOrgID': 'o-abc123def4' } }), public: true, codes: ['wildcard-principal', 'weak-operator'], fixedBy: [] },
  { name: 'StringNotEquals aws:PrincipalOrgID', statement: wild({ StringNotEquals: { 'aws:PrincipalOrgID': 'o-abc123def4' } }), public: true, codes: ['wildcard-principal', 'weak-operator'], fixedBy: [] },
  { name: 'NotIpAddress 10.0.0.0/8', statement: wild({ NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }), public: true, codes: ['wildcard-principal', 'weak-operator'], fixedBy: [] },
  { name: 'ArnNotLike aws:PrincipalArn', statement: wild({ ArnNotLike: { 'aws:PrincipalArn': `arn:aws:iam::${OWNER}:role/ghes` } }), public: true, codes: ['wildcard-principal', 'weak-operator'], fixedBy: [] },
  { name: 'Null aws:SourceVpc false (any VPC)', statement: wild({ Null: { 'aws:SourceVpc': 'false' } }), public: true, codes: ['wildcard-principal', 'weak-operator'], fixedBy: [] },
  { name: 'ArnEquals on the string key aws:SourceVpc', statement: wild({ ArnEquals: { 'aws:SourceVpc': 'vpc-91237329' } }), public: true, codes: ['wildcard-principal', 'weak-operator'], fixedBy: [] },
  { name: 'only an unrelated condition (aws:SecureTransport)', statement: wild({ Bool: { 'aws:SecureTransport': 'true' } }), public: true, codes: ['wildcard-principal', 'unrelated-condition'], fixedBy: [] },

  // Malformed conditions are reasons, never a crash
  { name: 'unknown operator', statement: wild({ StringEqualz: { 'aws:PrincipalOrgID': 'o-abc123def4' } }), public: true, codes: ['wildcard-principal', 'malformed-condition'], fixedBy: [] },
  { name: 'no values', statement: wild({ StringEquals: { 'aws:PrincipalOrgID': [] } }), public: true, codes: ['wildcard-principal', 'malformed-condition'], fixedBy: [] },
  { name: 'ForAnyValue:Null (not allowed)', statement: wild({ 'ForAnyValue:Null': { 'aws:PrincipalOrgID': 'false' } }), public: true, codes: ['wildcard-principal', 'malformed-condition'], fixedBy: [] },
];

describe('isPublicStatement', () => {
  test('the table has at least 40 policies', () => assert.ok(rows.length >= 40, `${rows.length} rows`));
  for (const row of rows) {
    test(row.name, () => {
      const verdict = isPublicStatement(row.statement);
      assert.equal(verdict.public, row.public, JSON.stringify(verdict.reasons));
      assert.deepEqual(verdict.reasons.map((r) => r.code), row.codes);
      assert.deepEqual(verdict.fixedBy, row.fixedBy);
      for (const reason of verdict.reasons) assert.match(reason.text, /^[A-Z].*\.$/s, 'one sentence for an admin');
    });
  }
});

describe('reason texts name what an admin can verify', () => {
  test('broad CIDR is quoted', () => {
    const r = isPublicStatement(wild({ IpAddress: { 'aws:SourceIp': '0.0.0.0/1' } })).reasons[1];
    assert.equal(r.text, 'Condition IpAddress aws:SourceIp allows "0.0.0.0/1", which is broader than /8 (IPv4) or /32 (IPv6) or not a valid CIDR, so AWS treats it as public.');
  });
  test('anyone', () => {
    assert.equal(isPublicStatement(wild()).reasons[0].text, 'Principal "*" lets anyone, including anonymous users on the internet, make these requests.');
  });
  test('role-session pattern of aws:userid', () => {
    const r = isPublicStatement(wild({ StringLike: { 'aws:userid': 'AROAEXAMPLEROLEID:*' } })).reasons[1];
    assert.match(r.text, /role-session pattern "AROAEXAMPLEROLEID:\*"/);
  });
});

describe('isPublicCidr', () => {
  const cidrs: Array<[string, boolean]> = [
    ['0.0.0.0/0', true],
    ['0.0.0.0/1', true],
    ['8.0.0.0/7', true],
    ['10.0.0.0/7', true],
    ['12.0.0.0/8', false],
    ['12.0.0.0/9', false],
    ['10.0.0.0/8', false],
    ['172.16.0.0/12', false],
    ['192.168.0.0/16', false],
    ['203.0.113.0/24', false],
    ['203.0.113.7', false],
    ['10.1.2.3/8', false],
    ['::/0', true],
    ['2001:db8::/31', true],
    ['2001:db8::/32', false],
    ['2001:db8::/48', false],
    ['::1', false],
    ['garbage', true],
    ['', true],
    ['10.0.0.0/33', true],
    ['10.0.0.0/', true],
    ['300.0.0.0/8', true],
    ['2001:db8::/129', true],
  ];
  for (const [cidr, expected] of cidrs) test(`${JSON.stringify(cidr)} → ${expected ? 'public' : 'not public'}`, () => assert.equal(isPublicCidr(cidr), expected));
});

describe('analyzeResourcePolicy: public, fixed and cross-account in one policy', () => {
  const policy = policyOf([
    { Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/*` },
    { Sid: 'OrgOnly', Effect: 'Allow', Principal: '*', Action: 's3:ListBucket', Resource: `arn:aws:s3:::${BUCKET}`, Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123def4' } } },
    { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER}:root` }, Action: ['s3:GetObject', 's3:PutObject'], Resource: `arn:aws:s3:::${BUCKET}/*` },
    { Sid: 'DenyPublic', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: `arn:aws:s3:::${BUCKET}/*` },
  ]);
  const a = analyzeResourcePolicy(policy, { ownerAccount: OWNER });
  test('public statements', () => {
    assert.deepEqual(a.publicStatements.map((s) => [s.label, s.index, s.sid]), [['Sid "PublicRead"', 0, 'PublicRead']]);
    assert.deepEqual(a.publicStatements[0].statement, policy.statements[0].raw);
  });
  test('fixed statements', () => assert.deepEqual(a.fixedStatements.map((s) => [s.label, s.fixedBy]), [['Sid "OrgOnly"', ['aws:PrincipalOrgID']]]));
  test('cross-account grants', () =>
    assert.deepEqual(
      a.crossAccountGrants.map((g) => ({ account: g.account, principals: g.principals, label: g.label, actions: g.actions })),
      [{ account: OTHER, principals: [`arn:aws:iam::${OTHER}:root`], label: 'statement #3', actions: ['s3:GetObject', 's3:PutObject'] }],
    ));
  test('no TLS deny', () => assert.equal(a.denyInsecureTransport, null));
});

interface CrossRow {
  name: string;
  statement: Record<string, unknown>;
  owner?: string;
  accounts: string[];
  principals?: string[][];
  via?: string[][];
}

const obj = { Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/*` };
const crossRows: CrossRow[] = [
  { name: 'account id', statement: { Effect: 'Allow', Principal: { AWS: OTHER }, ...obj }, owner: OWNER, accounts: [OTHER], principals: [[OTHER]] },
  { name: 'account root ARN', statement: { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER}:root` }, ...obj }, owner: OWNER, accounts: [OTHER] },
  { name: 'role ARN in another account', statement: { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER}:role/path/reader` }, ...obj }, owner: OWNER, accounts: [OTHER], via: [[`Principal AWS "arn:aws:iam::${OTHER}:role/path/reader"`]] },
  { name: 'assumed-role session in another account', statement: { Effect: 'Allow', Principal: { AWS: `arn:aws:sts::${OTHER}:assumed-role/reader/s1` }, ...obj }, owner: OWNER, accounts: [OTHER] },
  { name: 'GovCloud partition', statement: { Effect: 'Allow', Principal: { AWS: `arn:aws-us-gov:iam::${OTHER}:root` }, ...obj }, owner: OWNER, accounts: [OTHER] },
  { name: "owner's own role", statement: { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWNER}:role/ghes` }, ...obj }, owner: OWNER, accounts: [] },
  {
    name: 'owner and other in one statement',
    statement: { Effect: 'Allow', Principal: { AWS: [`arn:aws:iam::${OWNER}:role/ghes`, OTHER, `arn:aws:iam::${OTHER}:user/u`] }, ...obj },
    owner: OWNER,
    accounts: [OTHER],
    principals: [[OTHER, `arn:aws:iam::${OTHER}:user/u`]],
  },
  {
    name: '"*" with aws:PrincipalAccount naming another account',
    statement: { Effect: 'Allow', Principal: '*', ...obj, Condition: { StringEquals: { 'aws:PrincipalAccount': OTHER } } },
    owner: OWNER,
    accounts: [OTHER],
    principals: [['*']],
    via: [[`Condition StringEquals aws:PrincipalAccount "${OTHER}"`]],
  },
  {
    name: 'service principal with aws:SourceAccount naming another account',
    statement: { Effect: 'Allow', Principal: { Service: 'cloudfront.amazonaws.com' }, ...obj, Condition: { StringEquals: { 'aws:SourceAccount': OTHER } } },
    owner: OWNER,
    accounts: [OTHER],
    principals: [['cloudfront.amazonaws.com']],
  },
  {
    name: 'service principal with aws:SourceArn in another account',
    statement: { Effect: 'Allow', Principal: { Service: 'cloudfront.amazonaws.com' }, ...obj, Condition: { ArnLike: { 'aws:SourceArn': `arn:aws:cloudfront::${OTHER}:distribution/*` } } },
    owner: OWNER,
    accounts: [OTHER],
  },
  { name: 'negated aws:PrincipalAccount names no grant', statement: { Effect: 'Allow', Principal: '*', ...obj, Condition: { StringNotEquals: { 'aws:PrincipalAccount': OTHER } } }, owner: OWNER, accounts: [] },
  { name: 'Deny never grants', statement: { Effect: 'Deny', Principal: { AWS: OTHER }, ...obj }, owner: OWNER, accounts: [] },
  { name: 'owner unknown: every named account is listed', statement: { Effect: 'Allow', Principal: { AWS: [OWNER, OTHER] }, ...obj }, accounts: [OWNER, OTHER] },
  { name: '"*" alone names no account', statement: { Effect: 'Allow', Principal: '*', ...obj }, owner: OWNER, accounts: [] },
];

describe('analyzeResourcePolicy: cross-account grants', () => {
  for (const row of crossRows) {
    test(row.name, () => {
      const grants = analyzeResourcePolicy(policyOf([row.statement]), { ownerAccount: row.owner }).crossAccountGrants;
      assert.deepEqual(grants.map((g) => g.account), row.accounts);
      if (row.principals) assert.deepEqual(grants.map((g) => g.principals), row.principals);
      if (row.via) assert.deepEqual(grants.map((g) => g.via), row.via);
      for (const g of grants) assert.deepEqual(g.statement, row.statement);
    });
  }
  test('NotAction is reported as notActions', () => {
    const [g] = analyzeResourcePolicy(policyOf([{ Effect: 'Allow', Principal: { AWS: OTHER }, NotAction: 's3:DeleteObject', Resource: '*' }]), { ownerAccount: OWNER }).crossAccountGrants;
    assert.deepEqual([g.actions, g.notActions], [[], ['s3:DeleteObject']]);
  });
});

interface TlsRow {
  name: string;
  statement: Record<string, unknown>;
  bucket?: string;
  full: boolean;
  /** Substrings expected in the partial finding's reasons (empty when not a TLS deny at all). */
  gaps: string[];
}

const both = [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`];
const insecure = { Bool: { 'aws:SecureTransport': 'false' } };
const tlsRows: TlsRow[] = [
  { name: 'present: Deny "*" s3:* on bucket and objects', statement: { Sid: 'TLS', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: both, Condition: insecure }, bucket: BUCKET, full: true, gaps: [] },
  { name: 'present without a bucket name', statement: { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: both, Condition: insecure }, full: true, gaps: [] },
  { name: 'present: {"AWS":"*"}, Resource "*", JSON false', statement: { Effect: 'Deny', Principal: { AWS: '*' }, Action: '*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': false } } }, bucket: BUCKET, full: true, gaps: [] },
  { name: 'present: NotAction excluding an unrelated action', statement: { Effect: 'Deny', Principal: '*', NotAction: 's3:GetBucketLocation', Resource: both, Condition: insecure }, bucket: BUCKET, full: true, gaps: [] },
  { name: 'absent: a Deny without aws:SecureTransport', statement: { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: both }, bucket: BUCKET, full: false, gaps: [] },
  { name: 'partial: only objects', statement: { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: `arn:aws:s3:::${BUCKET}/*`, Condition: insecure }, bucket: BUCKET, full: false, gaps: ['does not cover the bucket itself'] },
  { name: 'partial: only objects, no bucket name', statement: { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: `arn:aws:s3:::${BUCKET}/*`, Condition: insecure }, full: false, gaps: ['does not cover the bucket itself'] },
  { name: 'partial: only the bucket', statement: { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: `arn:aws:s3:::${BUCKET}`, Condition: insecure }, bucket: BUCKET, full: false, gaps: ['does not cover the objects'] },
  { name: 'partial: principal other than "*"', statement: { Effect: 'Deny', Principal: { AWS: `arn:aws:iam::${OWNER}:root` }, Action: 's3:*', Resource: both, Condition: insecure }, bucket: BUCKET, full: false, gaps: ['rather than to all principals'] },
  { name: 'partial: NotPrincipal', statement: { Effect: 'Deny', NotPrincipal: { AWS: OWNER }, Action: 's3:*', Resource: both, Condition: insecure }, bucket: BUCKET, full: false, gaps: ['everyone except'] },
  { name: 'partial: only s3:GetObject', statement: { Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: both, Condition: insecure }, bucket: BUCKET, full: false, gaps: ['does not cover s3:PutObject, s3:ListBucketMultipartUploads'] },
  { name: 'partial: another bucket', statement: { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: ['arn:aws:s3:::other', 'arn:aws:s3:::other/*'], Condition: insecure }, bucket: BUCKET, full: false, gaps: ['bucket itself', 'the objects'] },
  { name: 'partial: aws:SecureTransport true', statement: { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: both, Condition: { Bool: { 'aws:SecureTransport': 'true' } } }, bucket: BUCKET, full: false, gaps: ['not Bool aws:SecureTransport "false"'] },
  { name: 'partial: an extra condition narrows it', statement: { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: both, Condition: { ...insecure, IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } }, bucket: BUCKET, full: false, gaps: ['also requires IpAddress aws:SourceIp'] },
  { name: 'an Allow on aws:SecureTransport is not a TLS deny', statement: { Effect: 'Allow', Principal: { AWS: OWNER }, Action: 's3:*', Resource: both, Condition: { Bool: { 'aws:SecureTransport': 'true' } } }, bucket: BUCKET, full: false, gaps: [] },
];

describe('analyzeResourcePolicy: deny on insecure transport', () => {
  for (const row of tlsRows) {
    test(row.name, () => {
      const a = analyzeResourcePolicy(policyOf([row.statement]), { ownerAccount: OWNER, bucket: row.bucket });
      if (row.full) {
        assert.ok(a.denyInsecureTransport);
        assert.deepEqual(a.denyInsecureTransport.statement, row.statement);
        assert.deepEqual(a.partialInsecureTransportDenies, []);
      } else {
        assert.equal(a.denyInsecureTransport, null);
        if (row.gaps.length === 0) assert.deepEqual(a.partialInsecureTransportDenies, []);
        else {
          assert.equal(a.partialInsecureTransportDenies.length, 1);
          const texts = a.partialInsecureTransportDenies[0].reasons.map((r) => r.text).join(' | ');
          for (const gap of row.gaps) assert.ok(texts.includes(gap), `${JSON.stringify(gap)} not in ${texts}`);
          for (const r of a.partialInsecureTransportDenies[0].reasons) assert.equal(r.code, 'incomplete-tls-deny');
        }
      }
      assert.deepEqual(a.publicStatements, []);
    });
  }
  test('the first complete TLS deny wins; a partial one before it is still reported', () => {
    const a = analyzeResourcePolicy(
      policyOf([
        { Sid: 'ObjectsOnly', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: `arn:aws:s3:::${BUCKET}/*`, Condition: insecure },
        { Sid: 'Full', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: both, Condition: insecure },
      ]),
      { bucket: BUCKET },
    );
    assert.deepEqual([a.denyInsecureTransport?.label, a.partialInsecureTransportDenies.map((f) => f.label)], ['Sid "Full"', ['Sid "ObjectsOnly"']]);
  });
});

describe('restrictsToOrgOrAccounts (CodeArtifact helper)', () => {
  const table: Array<{ name: string; condition?: Record<string, unknown>; restricted: boolean; keys: string[]; values: string[] }> = [
    { name: 'aws:PrincipalOrgID fixed', condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123def4' } }, restricted: true, keys: ['aws:PrincipalOrgID'], values: ['o-abc123def4'] },
    { name: 'aws:PrincipalAccount list', condition: { StringEquals: { 'aws:PrincipalAccount': [OWNER, OTHER] } }, restricted: true, keys: ['aws:PrincipalAccount'], values: [OWNER, OTHER] },
    { name: 'aws:PrincipalOrgPaths ForAnyValue', condition: { 'ForAnyValue:StringEquals': { 'aws:PrincipalOrgPaths': 'o-abc123def4/r-ab12/' } }, restricted: true, keys: ['aws:PrincipalOrgPaths'], values: ['o-abc123def4/r-ab12/'] },
    // One rule with isPublicStatement (issue 22 item 2): the subtree form has a wildcard, so it is not a fixed value ("The meaning of 'public'").
    { name: "aws:PrincipalOrgPaths subtree (ForAnyValue:StringLike o-…/r-…/ou-…/*) confines nothing, as isPublicStatement says", condition: { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': 'o-abc123def4/r-ab12/ou-ab12-11111111/*' } }, restricted: false, keys: [], values: [] },
    { name: 'aws:PrincipalOrgPaths with a wildcard organization', condition: { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': 'o-*/r-ab12/*' } }, restricted: false, keys: [], values: [] },
    { name: 'aws:PrincipalOrgPaths wildcard inside the path', condition: { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': 'o-abc123def4/*/ou-ab12-11111111/*' } }, restricted: false, keys: [], values: [] },
    { name: 'no condition', restricted: false, keys: [], values: [] },
    { name: 'wildcard org id', condition: { StringLike: { 'aws:PrincipalOrgID': 'o-*' } }, restricted: false, keys: [], values: [] },
    { name: 'negated', condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-abc123def4' } }, restricted: false, keys: [], values: [] },
    { name: 'IfExists', condition: { StringEqualsIfExists: { 'aws:PrincipalOrgID': 'o-abc123def4' } }, restricted: false, keys: [], values: [] },
    { name: 'aws:SourceVpce is not an org/account restriction', condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } }, restricted: false, keys: [], values: [] },
  ];
  for (const row of table) {
    test(row.name, () => {
      const s = stmt({ Principal: '*', Action: 'codeartifact:GetAuthorizationToken', Resource: '*', ...(row.condition ? { Condition: row.condition } : {}) });
      assert.deepEqual(restrictsToOrgOrAccounts(s), { restricted: row.restricted, keys: row.keys, values: row.values });
    });
  }
});

// Issue 22 item 2: one notion. Whatever restrictsToOrgOrAccounts counts as confining a "*" grant,
// isPublicStatement counts as making it non-public (they share judgeConditions).
test('restrictsToOrgOrAccounts never confines a grant that isPublicStatement calls public', () => {
  const conditions: Array<Record<string, unknown>> = [
    { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': 'o-abc123def4/r-ab12/ou-ab12-11111111/*' } },
    { 'ForAnyValue:StringEquals': { 'aws:PrincipalOrgPaths': 'o-abc123def4/r-ab12/ou-ab12-11111111/' } },
    { StringLike: { 'aws:PrincipalOrgPaths': ['o-abc123def4/r-ab12/*'] } },
    { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123def4' } },
    { StringLike: { 'aws:PrincipalOrgID': 'o-*' } },
    { StringEquals: { 'aws:PrincipalAccount': OTHER } },
    { 'ForAllValues:StringEquals': { 'aws:PrincipalAccount': OTHER } },
    { StringEqualsIfExists: { 'aws:PrincipalOrgID': 'o-abc123def4' } },
  ];
  for (const condition of conditions) {
    const s = stmt({ Principal: '*', Condition: condition });
    if (restrictsToOrgOrAccounts(s).restricted) assert.equal(isPublicStatement(s).public, false, JSON.stringify(condition));
  }
});

// Issue 22 item 3: the keys "The meaning of 'public'" lists (DESIGN.md records the list and when it
// was read) make a "*" grant non-public with a fixed value; keys it does not list do not.
describe('condition keys of "The meaning of public"', () => {
  const counted = ['aws:SourceArn', 'aws:SourceVpc', 'aws:SourceVpce', 'aws:SourceOwner', 'aws:SourceAccount', 's3:x-amz-server-side-encryption-aws-kms-key-id', 'aws:userid', 's3:DataAccessPointAccount', 'aws:PrincipalOrgID', 'aws:PrincipalAccount', 'aws:PrincipalServiceName'];
  const notCounted = ['aws:SourceVpcArn', 'aws:VpceAccount', 'aws:VpceOrgID', 'aws:VpceOrgPaths', 'aws:RequestedRegion', 's3:prefix'];
  for (const key of counted) test(`${key} with a fixed value makes "*" non-public`, () => assert.equal(isPublicStatement(stmt({ Principal: '*', Condition: { StringEquals: { [key]: 'fixed-value-1' } } })).public, false));
  for (const key of notCounted) test(`${key} is not in the documented list: "*" stays public`, () => assert.equal(isPublicStatement(stmt({ Principal: '*', Condition: { StringEquals: { [key]: 'fixed-value-1' } } })).public, true));
  test('s3:DataAccessPointArn: a wildcard access-point name with a fixed account is non-public', () =>
    assert.equal(isPublicStatement(stmt({ Principal: '*', Condition: { StringLike: { 's3:DataAccessPointArn': `arn:aws:s3:us-east-1:${OWNER}:accesspoint/*` } } })).public, false));
});

describe('principalAccounts', () => {
  const table: Array<[string, unknown, string[]]> = [
    ['"*"', '*', []],
    ['account id', { AWS: OTHER }, [OTHER]],
    ['root, role and session ARNs, deduplicated', { AWS: [`arn:aws:iam::${OTHER}:root`, `arn:aws:iam::${OWNER}:role/r`, `arn:aws:sts::${OTHER}:assumed-role/r/s`] }, [OTHER, OWNER]],
    ['service principal only', { Service: 'codeartifact.amazonaws.com' }, []],
    ['wildcard account is not an account', { AWS: 'arn:aws:iam::*:root' }, []],
  ];
  for (const [name, principal, expected] of table) test(name, () => assert.deepEqual(principalAccounts(stmt({ Principal: principal })), expected));
});
