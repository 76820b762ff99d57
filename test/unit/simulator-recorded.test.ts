// The `aws` engine path (iam:SimulatePrincipalPolicy) against RECORDED RESPONSES
// (aws-sdk-client-mock): the emulator does not implement the simulator. The facts, the session
// and the checks are the real ones; only the SDK clients' answers are recorded.

import assert from 'node:assert/strict';
import { afterEach, test } from 'vitest';
import { type EvaluationResult, GetAccountAuthorizationDetailsCommand, GetRoleCommand, IAMClient, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { GetBucketPolicyCommand, HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import iamSimulation from '../../checks/s3-storage/iam-simulation.ts';
import { GHES_REQUIRED_ACTIONS } from '../../checks/s3-storage/_permissions.ts';
import { AwsSession } from '../../src/aws/session.ts';
import { runGhesS3Target } from '../../src/run/ghes-s3.ts';

const iam = mockClient(IAMClient);
const s3 = mockClient(S3Client);
const sts = mockClient(STSClient);
afterEach(() => {
  iam.reset();
  s3.reset();
  sts.reset();
});

const B = 'ghes-packages';
const USER = 'arn:aws:iam::123456789012:user/ghes';
const BUCKET_ACTIONS = ['s3:ListBucket', 's3:ListBucketMultipartUploads'];
const ALL = ['s3:PutObject', 's3:GetObject', 's3:ListBucketMultipartUploads', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload', 's3:DeleteObject', 's3:ListBucket'];

function recordBucket() {
  s3.on(HeadBucketCommand).resolves({ BucketRegion: 'us-east-1', $metadata: {} });
  const noPolicy = Object.assign(new Error('The bucket policy does not exist'), { name: 'NoSuchBucketPolicy', $metadata: { httpStatusCode: 404 } });
  s3.on(GetBucketPolicyCommand).rejects(noPolicy);
}

/** A recorded answer: one EvaluationResult per action with a ResourceSpecificResults entry per resource. */
// Every resource the run asks about: the two GHES resource forms and the least-privilege probe on another bucket.
const RESOURCES = [`arn:aws:s3:::${B}`, `arn:aws:s3:::${B}/preflight/object`, 'arn:aws:s3:::packages_preflight_any_other_bucket/object'];
const BROAD = ['s3:DeleteBucket', 's3:PutBucketPolicy', 's3:PutBucketAcl'];

function recordedResult(action: string, decisionFor: (action: string, resource: string) => string): EvaluationResult {
  const resources = RESOURCES;
  return ({
    EvalActionName: action,
    EvalResourceName: '*',
    EvalDecision: 'allowed',
    ResourceSpecificResults: resources.map((r) => ({ EvalResourceName: r, EvalResourceDecision: decisionFor(action, r), MatchedStatements: decisionFor(action, r) === 'allowed' ? [{ SourcePolicyId: 'storage', SourcePolicyType: 'IAM Policy', StartPosition: { Line: 4, Column: 5 } }] : [] })),
  }) as unknown as EvaluationResult;
}

async function run(engine: 'auto' | 'aws' | 'local' = 'auto') {
  const session = new AwsSession({ region: 'us-east-1', credentials: { accessKeyId: 'AKIATESTFAKEKEY00000', secretAccessKey: 'test-secret-not-real' }, maxAttempts: 1 });
  return runGhesS3Target({ bucket: B, serviceUrl: 'https://s3.us-east-1.amazonaws.com', engine }, { session, checks: [iamSimulation] });
}

test('recorded response: one paginated simulation answers all seven actions per resource form', async () => {
  sts.on(GetCallerIdentityCommand).resolves({ Arn: USER, Account: '123456789012', UserId: 'AIDAEXAMPLE' });
  recordBucket();
  // Object actions allowed on the bucket ARN only: the per-resource answers must decide, not EvalDecision.
  const decide = (action: string, resource: string) => (resource.endsWith(`:::${B}`) ? 'allowed' : BUCKET_ACTIONS.includes(action) ? 'implicitDeny' : 'implicitDeny');
  iam
    .on(SimulatePrincipalPolicyCommand)
    .resolvesOnce({ EvaluationResults: ALL.slice(0, 4).map((a) => recordedResult(a, decide)), IsTruncated: true, Marker: 'page-2' })
    .resolvesOnce({ EvaluationResults: [...ALL.slice(4), ...BROAD].map((a) => recordedResult(a, decide)), IsTruncated: false });
  const report = await run();
  const byAction = Object.fromEntries(report.results.map((r) => [r.subject, r.status]));
  assert.deepEqual(byAction, { 's3:PutObject': 'fail', 's3:GetObject': 'fail', 's3:ListBucketMultipartUploads': 'pass', 's3:ListMultipartUploadParts': 'fail', 's3:AbortMultipartUpload': 'fail', 's3:DeleteObject': 'fail', 's3:ListBucket': 'pass' });
  const calls = iam.commandCalls(SimulatePrincipalPolicyCommand);
  assert.equal(calls.length, 2, 'one call per page');
  assert.equal(calls[1].args[0].input.Marker, 'page-2');
  assert.deepEqual(calls[0].args[0].input.ResourceArns, [`arn:aws:s3:::${B}/preflight/object`, `arn:aws:s3:::${B}`, 'arn:aws:s3:::packages_preflight_any_other_bucket/object']);
  assert.equal(calls[0].args[0].input.PolicySourceArn, USER);
  assert.deepEqual(calls[0].args[0].input.ContextEntries, [{ ContextKeyName: 'aws:SecureTransport', ContextKeyValues: ['true'], ContextKeyType: 'boolean' }]);
  const pass = report.results.find((r) => r.subject === 's3:ListBucket')!;
  assert.equal(pass.evidence.engine, 'aws-simulator');
  assert.deepEqual(pass.evidence.allowedBy, [{ policy: 'storage', policyKind: 'IAM Policy', statement: 'line 4' }]);
});

test('recorded response: an assumed-role caller is simulated as its role ARN (path from GetRole)', async () => {
  sts.on(GetCallerIdentityCommand).resolves({ Arn: 'arn:aws:sts::123456789012:assumed-role/ghes-storage/session-1', Account: '123456789012', UserId: 'AROAEXAMPLE:session-1' });
  iam.on(GetRoleCommand, { RoleName: 'ghes-storage' }).resolves({ Role: { Arn: 'arn:aws:iam::123456789012:role/apps/ghes-storage', RoleName: 'ghes-storage', Path: '/apps/', RoleId: 'AROAEXAMPLE', CreateDate: new Date() } });
  recordBucket();
  iam.on(SimulatePrincipalPolicyCommand).resolves({ EvaluationResults: [...ALL, ...BROAD].map((a) => recordedResult(a, () => 'allowed')), IsTruncated: false });
  const report = await run();
  assert.ok(report.results.every((r) => r.status === 'pass'));
  assert.equal(iam.commandCalls(SimulatePrincipalPolicyCommand)[0].args[0].input.PolicySourceArn, 'arn:aws:iam::123456789012:role/apps/ghes-storage');
});

test('recorded response: AccessDenied on the simulator falls back to the local engine (auto) and says why', async () => {
  sts.on(GetCallerIdentityCommand).resolves({ Arn: USER, Account: '123456789012', UserId: 'AIDAEXAMPLE' });
  recordBucket();
  iam.on(SimulatePrincipalPolicyCommand).rejects(Object.assign(new Error('not authorized to perform iam:SimulatePrincipalPolicy'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403, requestId: 'REQ-SIM-1' } }));
  iam.on(GetAccountAuthorizationDetailsCommand).resolves({
    UserDetailList: [{ UserName: 'ghes', Arn: USER, UserPolicyList: [{ PolicyName: 'storage', PolicyDocument: encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: [`arn:aws:s3:::${B}`, `arn:aws:s3:::${B}/*`] }] })) }], GroupList: [] }],
    IsTruncated: false,
  });
  const report = await run();
  assert.ok(report.results.every((r) => r.status === 'pass'), JSON.stringify(report.results.map((r) => r.status)));
  assert.equal(report.results[0].evidence.engine, 'local');
  assert.equal(report.results[0].evidence.fallbackReason, 'iam:SimulatePrincipalPolicy answered AccessDenied (HTTP 403)');
});

test('recorded response: AccessDenied on the simulator AND on the policies is an error, never a pass', async () => {
  sts.on(GetCallerIdentityCommand).resolves({ Arn: USER, Account: '123456789012', UserId: 'AIDAEXAMPLE' });
  recordBucket();
  const denied = () => Object.assign(new Error('denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403, requestId: 'REQ-DENIED' } });
  iam.on(SimulatePrincipalPolicyCommand).rejects(denied());
  iam.on(GetAccountAuthorizationDetailsCommand).rejects(denied());
  const report = await run();
  // One error per required action: the seven subjects a CI history tracks stay (issue 22 item 7).
  assert.deepEqual(report.results.map((r) => `${r.status} ${r.subject}`), GHES_REQUIRED_ACTIONS.map((a) => `error ${a.action}`));
  assert.equal(report.results[0].evidence.api, 'iam:GetAccountAuthorizationDetails');
  assert.equal(report.results[0].evidence.requestId, 'REQ-DENIED');
});

test('recorded response: --engine aws does not fall back', async () => {
  sts.on(GetCallerIdentityCommand).resolves({ Arn: USER, Account: '123456789012', UserId: 'AIDAEXAMPLE' });
  recordBucket();
  iam.on(SimulatePrincipalPolicyCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }));
  const report = await run('aws');
  assert.deepEqual(report.results.map((r) => `${r.status} ${r.subject}`), GHES_REQUIRED_ACTIONS.map((a) => `error ${a.action}`));
  assert.equal(iam.commandCalls(GetAccountAuthorizationDetailsCommand).length, 0);
});

test('recorded response: missing context values from the simulator make the result warn', async () => {
  sts.on(GetCallerIdentityCommand).resolves({ Arn: USER, Account: '123456789012', UserId: 'AIDAEXAMPLE' });
  recordBucket();
  iam.on(SimulatePrincipalPolicyCommand).resolves({
    EvaluationResults: [...ALL, ...BROAD].map((a) => ({ ...recordedResult(a, () => 'implicitDeny'), ResourceSpecificResults: recordedResult(a, () => 'implicitDeny').ResourceSpecificResults!.map((r) => ({ ...r, MissingContextValues: ['aws:SourceIp'] })) })),
  });
  const report = await run();
  assert.ok(report.results.every((r) => r.status === 'warn' && r.message.includes('--source-ip')));
});
