// engine-agreement over fact values: recorded simulator decisions next to the principal's policies.

import engineAgreement from '../../../checks/s3-storage/engine-agreement.ts';
import { FactError } from '../../../src/engine/fact-error.ts';
import { checkTable, deniedFact } from '../check-table.ts';

const user = { arn: 'arn:aws:iam::123456789012:user/ghes', kind: 'user', name: 'ghes', accountId: '123456789012' };
const B = 'ghes-packages';
const ALL = ['s3:PutObject', 's3:GetObject', 's3:ListBucketMultipartUploads', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload', 's3:DeleteObject', 's3:ListBucket'];
const BROAD = ['s3:DeleteBucket', 's3:PutBucketPolicy', 's3:PutBucketAcl', 's3:GetObject'];
const RESOURCES = [`arn:aws:s3:::${B}`, `arn:aws:s3:::${B}/preflight/object`, 'arn:aws:s3:::packages_preflight_any_other_bucket/object'];
const allSeven = { Version: '2012-10-17', Statement: [{ Sid: 'Storage', Effect: 'Allow', Action: ALL, Resource: [`arn:aws:s3:::${B}`, `arn:aws:s3:::${B}/*`] }] };
const policies = { identity: [{ kind: 'user-inline', name: 'storage', document: JSON.stringify(allSeven) }], via: 'GetAccountAuthorizationDetails' };
const matched = [{ sourcePolicyId: 'storage', sourcePolicyType: 'IAM Policy', startLine: 3 }];
/** Recorded simulator decisions: the seven allowed with a matched statement, broad capabilities denied. */
const decisions = (override: (action: string) => Record<string, unknown> | undefined = () => undefined) =>
  [...new Set([...ALL, ...BROAD])].flatMap((action) =>
    RESOURCES.map((resource) => ({ action, resource, missingContextValues: [], ...(BROAD.includes(action) && !ALL.includes(action) ? { decision: 'implicitDeny', matchedStatements: [] } : { decision: 'allowed', matchedStatements: matched }), ...override(action) })),
  );
const facts = (simulated: unknown, principalPolicies: unknown = policies) => ({ principal: user, bucketPolicy: { present: false }, bucketOwnedBy: 'yes', simulatePrincipalPolicy: simulated, principalPolicies });

checkTable(engineAgreement, [
  { name: 'both engines allow all seven', facts: facts(decisions()), expect: ALL.map((subject) => ({ status: 'pass' as const, subject, messageId: 'agree' })) },
  {
    name: 'simulator denies DeleteObject (SCP), local allows: warn explaining the SCP',
    facts: facts(decisions((a) => (a === 's3:DeleteObject' ? { decision: 'explicitDeny', matchedStatements: [], deniedByOrganizations: true } : undefined))),
    expect: ALL.map((subject) => (subject === 's3:DeleteObject' ? { status: 'warn' as const, subject, messageId: 'disagreeScp', message: 'SCPs' } : { status: 'pass' as const, subject })),
  },
  {
    name: 'simulator unavailable: fell back, nothing to compare',
    facts: facts(new FactError({ fact: 'simulation', api: 'iam:SimulatePrincipalPolicy', code: 'InternalError', httpStatus: 500, message: 'x' })),
    expect: ALL.map((subject) => ({ status: 'skip' as const, subject, messageId: 'notCompared', message: 'InternalError' })),
  },
  {
    name: 'principal policies unreadable: the simulator alone decides; skip with the reason',
    facts: facts(decisions(), deniedFact('principalPolicies', 'iam:GetAccountAuthorizationDetails')),
    expect: ALL.map((subject) => ({ status: 'skip' as const, subject, messageId: 'notCompared', message: 'AccessDenied' })),
  },
  { name: '--engine local: skip', target: { engine: 'local' }, facts: facts(decisions()), expect: ALL.map((subject) => ({ status: 'skip' as const, subject, message: '--engine local' })) },
]);
