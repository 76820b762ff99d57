// iam-simulation over fact values: the local engine (evaluator) and the AWS simulator's answers
// given as recorded decisions. The same scenarios run against the emulator in test/e2e/iam.test.ts.

import iamSimulation from '../../../checks/s3-storage/iam-simulation.ts';
import { FactError } from '../../../src/engine/fact-error.ts';
import { checkTable, deniedFact, type Expected } from '../check-table.ts';

const user = { arn: 'arn:aws:iam::123456789012:user/ghes', kind: 'user', name: 'ghes', accountId: '123456789012' };
const B = 'ghes-packages';
const allSeven = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Bucket', Effect: 'Allow', Action: ['s3:ListBucket', 's3:ListBucketMultipartUploads'], Resource: `arn:aws:s3:::${B}` },
    { Sid: 'Objects', Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'], Resource: `arn:aws:s3:::${B}/*` },
  ],
};
const inline = (doc: object, name = 'storage') => ({ identity: [{ kind: 'user-inline', name, document: JSON.stringify(doc) }], via: 'GetAccountAuthorizationDetails' });
const simulatorDown = new FactError({ fact: 'simulation', api: 'iam:SimulatePrincipalPolicy', code: 'InternalError', httpStatus: 500, message: 'not implemented' });
const local = (policies: object, bucketPolicy: object = { present: false }) => ({
  principal: user,
  bucketPolicy,
  bucketOwnedBy: 'yes',
  simulatePrincipalPolicy: simulatorDown,
  principalPolicies: policies,
});
const ALL = ['s3:PutObject', 's3:GetObject', 's3:ListBucketMultipartUploads', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload', 's3:DeleteObject', 's3:ListBucket'];
const all = (status: 'pass' | 'fail' | 'warn') => ALL.map((subject) => ({ status, subject }));

/** The same expectation for each of the seven actions: they are the check's subjects whatever fails (issue 22 item 7). */
const eachAction = (e: Expected): Expected[] => ALL.map((subject) => ({ ...e, subject }));

checkTable(iamSimulation, [
  { name: 'exact seven actions pass (auto falls back to local on HTTP 500)', facts: local(inline(allSeven)), expect: ALL.map((subject) => ({ status: 'pass' as const, subject, evidence: { engine: 'local', fallbackReason: 'iam:SimulatePrincipalPolicy answered InternalError (HTTP 500)' } })) },
  {
    name: 'object actions on the bucket ARN only fail; bucket actions pass',
    facts: local(inline({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ALL, Resource: `arn:aws:s3:::${B}` }] })),
    expect: ALL.map((subject) => ({ status: (subject === 's3:ListBucket' || subject === 's3:ListBucketMultipartUploads' ? 'pass' : 'fail') as 'pass' | 'fail', subject })),
  },
  {
    name: 'one action missing',
    facts: local(inline({ Version: '2012-10-17', Statement: [allSeven.Statement[0], { ...allSeven.Statement[1], Action: ['s3:PutObject', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'] }] })),
    expect: ALL.map((subject) => ({ status: (subject === 's3:DeleteObject' ? 'fail' : 'pass') as 'pass' | 'fail', subject, ...(subject === 's3:DeleteObject' ? { messageId: 'implicitDeny' } : {}) })),
  },
  {
    name: 'explicit deny in a second policy wins',
    facts: local({ identity: [{ kind: 'user-inline', name: 'storage', document: allSeven }, { kind: 'user-managed', name: 'no-delete', arn: 'arn:aws:iam::123456789012:policy/no-delete', document: { Version: '2012-10-17', Statement: [{ Sid: 'NoDelete', Effect: 'Deny', Action: 's3:DeleteObject', Resource: '*' }] } }], via: 'GetAccountAuthorizationDetails' }),
    expect: ALL.map((subject) => ({ status: (subject === 's3:DeleteObject' ? 'fail' : 'pass') as 'pass' | 'fail', subject, ...(subject === 's3:DeleteObject' ? { messageId: 'explicitDeny', message: 'NoDelete' } : {}) })),
  },
  { name: 'allow only through a group', facts: local({ identity: [{ kind: 'group-inline', name: 'g', group: 'ghes-group', document: allSeven }], via: 'GetAccountAuthorizationDetails' }), expect: all('pass') },
  {
    name: 'allow only through the bucket policy (same account)',
    facts: local({ identity: [], via: 'GetAccountAuthorizationDetails' }, { present: true, text: JSON.stringify({ Version: '2012-10-17', Statement: allSeven.Statement.map((s) => ({ ...s, Principal: { AWS: user.arn } })) }), parsed: { ok: true } }),
    expect: all('pass'),
  },
  {
    name: 'deny in the bucket policy wins over the identity allow',
    facts: local(inline(allSeven), { present: true, text: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'DenyWrites', Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: `arn:aws:s3:::${B}/*` }] }), parsed: { ok: true } }),
    expect: ALL.map((subject) => ({ status: (subject === 's3:PutObject' ? 'fail' : 'pass') as 'pass' | 'fail', subject })),
  },
  {
    name: 'permissions boundary caps the identity allow',
    facts: local({ ...inline(allSeven), permissionsBoundary: { kind: 'permissions-boundary', name: 'read-only', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:Get*', 's3:List*'], Resource: '*' }] } } }),
    expect: ALL.map((subject) => ({ status: (['s3:GetObject', 's3:ListBucket', 's3:ListBucketMultipartUploads', 's3:ListMultipartUploadParts'].includes(subject) ? 'pass' : 'fail') as 'pass' | 'fail', subject })),
  },
  {
    name: 'bucket policy restricted to an address warns without --source-ip',
    facts: local({ identity: [], via: 'GetAccountAuthorizationDetails' }, { present: true, text: JSON.stringify({ Version: '2012-10-17', Statement: allSeven.Statement.map((s) => ({ ...s, Principal: { AWS: user.arn }, Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } })) }), parsed: { ok: true } }),
    expect: ALL.map((subject) => ({ status: 'warn' as const, subject, messageId: 'dependsOnContext' })),
  },
  {
    name: 'bucket policy restricted to an address passes with the GHES address',
    target: { sourceIps: ['203.0.113.10/32'] },
    facts: local({ identity: [], via: 'GetAccountAuthorizationDetails' }, { present: true, text: JSON.stringify({ Version: '2012-10-17', Statement: allSeven.Statement.map((s) => ({ ...s, Principal: { AWS: user.arn }, Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } })) }), parsed: { ok: true } }),
    expect: all('pass'),
  },
  {
    name: 'bucket policy restricted to an address fails from another address',
    target: { sourceIps: ['198.51.100.7/32'] },
    facts: local({ identity: [], via: 'GetAccountAuthorizationDetails' }, { present: true, text: JSON.stringify({ Version: '2012-10-17', Statement: allSeven.Statement.map((s) => ({ ...s, Principal: { AWS: user.arn }, Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } })) }), parsed: { ok: true } }),
    expect: all('fail'),
  },
  {
    name: 'a bucket-policy Deny demanding an encryption header: PutObject fails as GHES sends it (without the header)',
    facts: local(inline(allSeven), { present: true, text: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'RequireSse', Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: `arn:aws:s3:::${B}/*`, Condition: { Null: { 's3:x-amz-server-side-encryption': 'true' } } }] }), parsed: { ok: true } }),
    expect: ALL.map((subject) => ({ status: (subject === 's3:PutObject' ? 'fail' : 'pass') as 'pass' | 'fail', subject, ...(subject === 's3:PutObject' ? { messageId: 'explicitDenyHeader', message: 's3:x-amz-server-side-encryption' } : {}) })),
  },
  {
    name: 'a Deny demanding an ACL header (StringNotEquals): PutObject fails, no "depends on where GHES connects from"',
    facts: local(inline(allSeven), { present: true, text: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'RequireAcl', Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: `arn:aws:s3:::${B}/*`, Condition: { StringNotEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } } }] }), parsed: { ok: true } }),
    expect: ALL.map((subject) => ({ status: (subject === 's3:PutObject' ? 'fail' : 'pass') as 'pass' | 'fail', subject, ...(subject === 's3:PutObject' ? { messageId: 'explicitDenyHeader' } : {}) })),
  },
  { name: '--engine aws: the simulator failing is an error, not a fallback', target: { engine: 'aws' }, facts: local(inline(allSeven)), expect: eachAction({ status: 'error', evidence: { code: 'InternalError' } }) },
  { name: 'policies unreadable: error, never pass', facts: { ...local(inline(allSeven)), principalPolicies: deniedFact('principalPolicies', 'iam:GetAccountAuthorizationDetails') }, expect: eachAction({ status: 'error', evidence: { code: 'AccessDenied' } }) },
  { name: 'bucket policy unparseable: error', facts: local(inline(allSeven), { present: true, text: '{not json', parsed: { ok: false, error: 'not valid JSON' } }), expect: eachAction({ status: 'error', evidence: { code: 'MalformedPolicy' } }) },
  { name: 'bucket owner unknown: error, never a guess', facts: { ...local(inline(allSeven)), bucketOwnedBy: 'unknown' }, expect: eachAction({ status: 'error', evidence: { code: 'BucketOwnerUnknown' } }) },
  {
    name: 'cross-account bucket: the identity allow alone is not enough',
    facts: { ...local(inline(allSeven)), bucketOwnedBy: 'no' },
    expect: all('fail'),
  },
  { name: 'root principal is skipped with the reason', facts: { principal: { ...user, arn: 'arn:aws:iam::123456789012:root', unsupported: 'the account root user is not governed by IAM policies' }, bucketPolicy: { present: false } }, expect: eachAction({ status: 'skip', messageId: 'unsupported' }) },
  {
    name: 'AWS simulator answers (recorded decisions): allowed and implicit deny per resource',
    facts: {
      principal: user,
      bucketPolicy: { present: false },
      bucketOwnedBy: 'yes',
      // The least-privilege questions are asked in the same call (one simulation for both checks).
      simulatePrincipalPolicy: [
        ...['s3:DeleteBucket', 's3:PutBucketPolicy', 's3:PutBucketAcl'].map((action) => ({ action, resource: `arn:aws:s3:::${B}`, decision: 'implicitDeny', matchedStatements: [], missingContextValues: [] })),
        { action: 's3:GetObject', resource: 'arn:aws:s3:::packages_preflight_any_other_bucket/object', decision: 'implicitDeny', matchedStatements: [], missingContextValues: [] },
        ...ALL.map((action) => ({
        action,
        resource: ['s3:ListBucket', 's3:ListBucketMultipartUploads'].includes(action) ? `arn:aws:s3:::${B}` : `arn:aws:s3:::${B}/preflight/object`,
        decision: action === 's3:AbortMultipartUpload' ? 'implicitDeny' : 'allowed',
        matchedStatements: action === 's3:AbortMultipartUpload' ? [] : [{ sourcePolicyId: 'storage', sourcePolicyType: 'IAM Policy', startLine: 3 }],
        missingContextValues: [],
      })),
      ],
    },
    expect: ALL.map((subject) => ({ status: (subject === 's3:AbortMultipartUpload' ? 'fail' : 'pass') as 'pass' | 'fail', subject, evidence: { engine: 'aws-simulator' } })),
  },
]);
