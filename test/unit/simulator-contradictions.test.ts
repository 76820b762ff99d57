// The `aws` engine path against RECORDED RESPONSES (aws-sdk-client-mock) that contradict
// themselves, shaped like the LocalStack stub's (FACTS.md: default explicitDeny with no matched
// statement, groups/bucket policy/boundary ignored), and the two-engine comparison in auto mode.

import assert from 'node:assert/strict';
import { afterEach, test } from 'vitest';
import { type EvaluationResult, GetAccountAuthorizationDetailsCommand, IAMClient, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { GetBucketPolicyCommand, HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import engineAgreement from '../../checks/s3-storage/engine-agreement.ts';
import iamSimulation from '../../checks/s3-storage/iam-simulation.ts';
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
const ALL = ['s3:PutObject', 's3:GetObject', 's3:ListBucketMultipartUploads', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload', 's3:DeleteObject', 's3:ListBucket'];
const BROAD = ['s3:DeleteBucket', 's3:PutBucketPolicy', 's3:PutBucketAcl'];
const RESOURCES = [`arn:aws:s3:::${B}`, `arn:aws:s3:::${B}/preflight/object`, 'arn:aws:s3:::packages_preflight_any_other_bucket/object'];
const GRANTS_ALL = { Version: '2012-10-17', Statement: [{ Sid: 'GhesStorage', Effect: 'Allow', Action: ALL, Resource: [`arn:aws:s3:::${B}`, `arn:aws:s3:::${B}/*`] }] };

function setup(policies: unknown = GRANTS_ALL) {
  sts.on(GetCallerIdentityCommand).resolves({ Arn: USER, Account: '123456789012', UserId: 'AIDAEXAMPLE' });
  s3.on(HeadBucketCommand).resolves({ BucketRegion: 'us-east-1', $metadata: {} });
  s3.on(GetBucketPolicyCommand).rejects(Object.assign(new Error('none'), { name: 'NoSuchBucketPolicy', $metadata: { httpStatusCode: 404 } }));
  if (policies) {
    iam.on(GetAccountAuthorizationDetailsCommand).resolves({
      UserDetailList: [{ UserName: 'ghes', Arn: USER, UserPolicyList: [{ PolicyName: 'storage', PolicyDocument: encodeURIComponent(JSON.stringify(policies)) }], GroupList: [] }],
      IsTruncated: false,
    });
  } else {
    iam.on(GetAccountAuthorizationDetailsCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }));
  }
}

type Decide = (action: string, resource: string) => { decision: string; matched?: boolean; scp?: boolean };
function answer(decide: Decide, resources = RESOURCES) {
  return {
    EvaluationResults: [...ALL, ...BROAD].map(
      (action) =>
        ({
          EvalActionName: action,
          EvalResourceName: '*',
          EvalDecision: 'implicitDeny',
          ...(resources.some((r) => decide(action, r).scp) ? { OrganizationsDecisionDetail: { AllowedByOrganizations: false } } : {}),
          ResourceSpecificResults: resources.map((r) => {
            const d = decide(action, r);
            return { EvalResourceName: r, EvalResourceDecision: d.decision, MatchedStatements: d.matched ? [{ SourcePolicyId: 'storage', SourcePolicyType: 'IAM Policy', StartPosition: { Line: 3, Column: 5 } }] : [] };
          }),
        }) as unknown as EvaluationResult,
    ),
    IsTruncated: false,
  };
}

async function run(engine: 'auto' | 'aws' = 'auto') {
  const session = new AwsSession({ region: 'us-east-1', credentials: { accessKeyId: 'AKIATESTFAKEKEY00000', secretAccessKey: 'test-secret-not-real' }, maxAttempts: 1 });
  return runGhesS3Target({ bucket: B, serviceUrl: 'https://s3.us-east-1.amazonaws.com', engine }, { session, checks: [iamSimulation, engineAgreement] });
}
const of = (report: Awaited<ReturnType<typeof run>>, check: string) => report.results.filter((r) => r.check === check);

test('recorded LocalStack-stub response: explicitDeny with no matched statement is unusable; auto falls back to the local evaluator and says so', async () => {
  setup();
  iam.on(SimulatePrincipalPolicyCommand).resolves(answer(() => ({ decision: 'explicitDeny' })));
  const report = await run();
  const sim = of(report, 'iam-simulation');
  assert.deepEqual(sim.map((r) => r.status), ALL.map(() => 'pass'), JSON.stringify(sim.map((r) => r.message)));
  assert.equal(sim[0].evidence.engine, 'local');
  assert.match(String(sim[0].evidence.fallbackReason), /unusable: .*"explicitDeny" without any matched Deny statement/);
  assert.ok(of(report, 'engine-agreement').every((r) => r.status === 'skip' && /unusable/.test(r.message)));
});

test('recorded response: --engine aws with a self-contradicting answer is error, never a pass or a silent fallback', async () => {
  setup();
  iam.on(SimulatePrincipalPolicyCommand).resolves(answer(() => ({ decision: 'allowed' })));
  const report = await run('aws');
  // One error per required action: the check declares its subjects, and a fact that stops it stands for each.
  assert.deepEqual(of(report, 'iam-simulation').map((r) => r.status), ALL.map(() => 'error'));
  assert.match(of(report, 'iam-simulation')[0].message, /allowed" without any matched statement/);
  assert.equal(iam.commandCalls(GetAccountAuthorizationDetailsCommand).length, 0);
});

test('recorded response: a resource asked about missing from the answer is unusable (auto falls back)', async () => {
  setup();
  iam.on(SimulatePrincipalPolicyCommand).resolves(answer(() => ({ decision: 'allowed', matched: true }), RESOURCES.slice(0, 1)));
  const report = await run();
  const sim = of(report, 'iam-simulation');
  assert.equal(sim[0].evidence.engine, 'local');
  assert.match(String(sim[0].evidence.fallbackReason), /no decision for s3:PutObject on arn:aws:s3:::ghes-packages\/preflight\/object/);
});

test('recorded response: simulator deny (SCP) with a local allow: the deny stands and engine-agreement explains it as a possible SCP', async () => {
  setup();
  iam.on(SimulatePrincipalPolicyCommand).resolves(answer((action) => (action === 's3:DeleteObject' ? { decision: 'explicitDeny', scp: true } : { decision: BROAD.includes(action) ? 'implicitDeny' : 'allowed', matched: !BROAD.includes(action) })));
  const report = await run();
  const del = of(report, 'iam-simulation').find((r) => r.subject === 's3:DeleteObject')!;
  assert.equal(del.status, 'fail', 'never resolved toward allow');
  const agreement = of(report, 'engine-agreement');
  assert.deepEqual(agreement.map((r) => `${r.status} ${r.subject}`), ALL.map((a) => `${a === 's3:DeleteObject' ? 'warn' : 'pass'} ${a}`));
  const warn = agreement.find((r) => r.status === 'warn')!;
  assert.match(warn.message, /simulator decides explicitDeny \(a service control policy in the organization's policies\) but the local evaluator decides allowed \(Sid "GhesStorage" in storage\)/);
  assert.match(warn.message, /organization policies \(SCPs\)/);
  assert.equal((warn.evidence.simulator as { decision: string }).decision, 'explicitDeny');
  assert.equal((warn.evidence.local as { decision: string }).decision, 'allowed');
});

test('recorded response: simulator allow that ignores a Deny the local evaluator sees: the deny wins, both statements named', async () => {
  const policy = { Version: '2012-10-17', Statement: [...GRANTS_ALL.Statement, { Sid: 'NoDeletes', Effect: 'Deny', Action: 's3:DeleteObject', Resource: '*' }] };
  setup(policy);
  iam.on(SimulatePrincipalPolicyCommand).resolves(answer((action) => ({ decision: BROAD.includes(action) ? 'implicitDeny' : 'allowed', matched: !BROAD.includes(action) })));
  const report = await run();
  const del = of(report, 'iam-simulation').find((r) => r.subject === 's3:DeleteObject')!;
  assert.equal(del.status, 'fail');
  assert.match(del.message, /NoDeletes/);
  const warn = of(report, 'engine-agreement').find((r) => r.subject === 's3:DeleteObject')!;
  assert.equal(warn.status, 'warn');
  assert.match(warn.message, /simulator decides allowed \(line 3 in storage\) but the local evaluator decides explicitDeny \(Sid "NoDeletes" in storage\)/);
});

test('recorded response: a consistent simulator answer with unreadable policies: simulator decides, engine-agreement skips with the reason', async () => {
  setup(null);
  iam.on(SimulatePrincipalPolicyCommand).resolves(answer((action) => ({ decision: BROAD.includes(action) ? 'implicitDeny' : 'allowed', matched: !BROAD.includes(action) })));
  const report = await run();
  assert.ok(of(report, 'iam-simulation').every((r) => r.status === 'pass' && r.evidence.engine === 'aws-simulator'));
  assert.ok(of(report, 'engine-agreement').every((r) => r.status === 'skip' && /AccessDenied/.test(r.message)));
});
