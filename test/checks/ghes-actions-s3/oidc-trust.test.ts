import check from '../../../checks/ghes-actions-s3/oidc-trust.ts';
import { actionsTrustPolicy } from '../../../src/oidc/policies.ts';
import { deniedFact } from '../check-table.ts';
import { ACCOUNT, HOST, oidcTable, PROVIDER_ARN, ROLE } from './oidc-table.ts';

const right = actionsTrustPolicy('aws', ACCOUNT, HOST);
const statement = right.Statement[0] as Record<string, unknown>;
const withStatement = (changes: Record<string, unknown>, ...more: Array<Record<string, unknown>>) => ({
  roleTrustPolicy: { roleArn: ROLE, document: JSON.stringify({ Version: '2012-10-17', Statement: [{ ...statement, ...changes }, ...more] }) },
});
const conditions = (c: Record<string, unknown>) => withStatement({ Condition: c });
const AUD = `${HOST}/_services/token:aud`;
const SUB = `${HOST}/_services/token:sub`;

oidcTable(check, [
  { name: 'key-based setup', target: { roleArn: undefined, ghesHost: undefined }, expect: { status: 'skip', messageId: 'keyBased' } },
  { name: 'role without host: incomplete skip', target: { ghesHost: undefined }, expect: { status: 'skip', messageId: 'needBoth' } },
  { name: 'the policy "policy actions-role" prints passes', facts: { roleTrustPolicy: { roleArn: ROLE, document: JSON.stringify(right) } }, expect: { status: 'pass', messageId: 'trusted' } },
  {
    name: 'URL-encoded as IAM returns it, keys in another case',
    facts: { roleTrustPolicy: { roleArn: ROLE, document: encodeURIComponent(JSON.stringify(right).replace('_services/token:aud', '_services/token:AUD')) } },
    expect: { status: 'pass', messageId: 'trusted' },
  },
  { name: 'missing sub condition', facts: conditions({ StringEquals: { [AUD]: 'sts.amazonaws.com' } }), expect: { status: 'fail', messageId: 'missingSub', message: SUB } },
  {
    name: 'StringLike with a wildcard on sub',
    facts: conditions({ StringEquals: { [AUD]: 'sts.amazonaws.com' }, StringLike: { [SUB]: '*' } }),
    expect: { status: 'fail', messageId: 'wildcard', message: 'StringLike' },
  },
  { name: 'StringLike without a wildcard is exact', facts: conditions({ StringEquals: { [AUD]: 'sts.amazonaws.com' }, StringLike: { [SUB]: HOST } }), expect: { status: 'pass' } },
  { name: 'wrong audience', facts: conditions({ StringEquals: { [AUD]: 'sts.amazonaws.com.cn', [SUB]: HOST } }), expect: { status: 'fail', messageId: 'wrongAud' } },
  { name: 'missing audience', facts: conditions({ StringEquals: { [SUB]: HOST } }), expect: { status: 'fail', messageId: 'missingAud' } },
  { name: 'wrong subject', facts: conditions({ StringEquals: { [AUD]: 'sts.amazonaws.com', [SUB]: 'repo:octo/app:ref:refs/heads/main' } }), expect: { status: 'fail', messageId: 'wrongSub' } },
  { name: 'IfExists operator on sub', facts: conditions({ StringEquals: { [AUD]: 'sts.amazonaws.com' }, StringEqualsIfExists: { [SUB]: HOST } }), expect: { status: 'fail', messageId: 'otherOperator' } },
  { name: 'another action as well', facts: withStatement({ Action: ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession'] }), expect: { status: 'fail', messageId: 'otherAction', message: 'sts:TagSession' } },
  { name: 'sts:* instead of the action', facts: withStatement({ Action: 'sts:*' }), expect: { status: 'fail', messageId: 'otherAction' } },
  {
    name: 'another principal in a second statement',
    facts: withStatement({}, { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }),
    expect: { status: 'fail', messageId: 'otherPrincipal', message: `arn:aws:iam::${ACCOUNT}:root` },
  },
  { name: 'provider of another host', facts: withStatement({ Principal: { Federated: PROVIDER_ARN.replace(HOST, 'old-ghes.example.com') } }), expect: { status: 'fail', messageId: 'otherPrincipal' } },
  {
    name: 'a Deny statement only takes away',
    facts: withStatement({}, { Effect: 'Deny', Principal: '*', Action: 'sts:AssumeRole' }),
    expect: { status: 'pass' },
  },
  { name: 'not a policy: error', facts: { roleTrustPolicy: { roleArn: ROLE, document: '<html>' } }, expect: { status: 'error', messageId: 'unreadable' } },
  { name: 'GetRole denied: error', facts: { roleTrustPolicy: deniedFact('roleTrustPolicy', 'iam:GetRole') }, expect: { status: 'error' } },
  { name: 'a user ARN is not a role', target: { roleArn: `arn:aws:iam::${ACCOUNT}:user/ghes` }, expect: { status: 'error', messageId: 'notRole' } },
]);
