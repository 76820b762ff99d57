// Decision rows: the evaluation logic (identity, resource, boundary, the same-account exceptions,
// explicit deny, cross account) and the Action/NotAction/Resource/NotResource/Principal/NotPrincipal
// elements and policy variables, each written from the AWS page named in `source`.

import { ACCOUNT, allow, BUCKET, deny, type DecisionRow, grant, OBJECT, OTHER_ACCOUNT, PRINCIPALS, refuse } from './rows.ts';

const ALICE = PRINCIPALS.alice.arn;
const ROLE = PRINCIPALS.role.arn;
const SESSION = PRINCIPALS.role.sessionArn;
const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const PARTNER_ROOT = `arn:aws:iam::${OTHER_ACCOUNT}:root`;
const PARTNER_BUCKET = 'arn:aws:s3:::partner-bucket';
const PARTNER_OBJECT = `${PARTNER_BUCKET}/data/report.csv`;
const GET = 's3:GetObject';
const ALL_S3 = allow('s3:*', '*');

export const evaluationRows: DecisionRow[] = [
  // ---------------------------------------------------------------- evaluation logic, one account
  { source: 'evaluationLogic § Explicit and implicit denies', name: 'no policy at all: implicit deny (every request is denied by default)', action: GET, resource: OBJECT, expect: 'implicitDeny' },
  { source: 'evaluationLogic § Evaluating identity-based policies with resource-based policies', name: 'an identity-based Allow suffices within one account', action: GET, resource: OBJECT, identity: [allow(GET, `${BUCKET}/*`)], expect: 'allowed' },
  { source: 'evaluationLogic § Explicit and implicit denies', name: 'an explicit Deny in the same identity policy overrides its Allow', action: GET, resource: OBJECT, identity: [ALL_S3, deny(GET, '*')], expect: 'explicitDeny' },
  { source: 'evaluationLogic § Explicit and implicit denies', name: 'a Deny for another action does not deny this one', action: GET, resource: OBJECT, identity: [ALL_S3, deny('s3:PutObject', '*')], expect: 'allowed' },
  { source: 'evaluationLogic § Explicit and implicit denies', name: 'an Allow for another action leaves an implicit deny', action: GET, resource: OBJECT, identity: [allow('s3:PutObject', '*')], expect: 'implicitDeny' },
  { source: 'evaluationLogic § Evaluating identity-based policies with resource-based policies', name: 'a resource-based Allow naming the user suffices within one account without any identity policy', action: GET, resource: OBJECT, resourcePolicy: [grant({ AWS: ALICE }, GET, `${BUCKET}/*`)], expect: 'allowed' },
  { source: 'evaluationLogic § Evaluating identity-based policies with resource-based policies', name: 'identity Allow and resource Allow together: allowed', action: GET, resource: OBJECT, identity: [ALL_S3], resourcePolicy: [grant({ AWS: ALICE }, GET, `${BUCKET}/*`)], expect: 'allowed' },
  { source: 'evaluationLogic § Explicit and implicit denies', name: 'a resource-based Deny overrides an identity-based Allow', action: GET, resource: OBJECT, identity: [ALL_S3], resourcePolicy: [refuse({ AWS: ALICE }, GET, `${BUCKET}/*`)], expect: 'explicitDeny' },
  { source: 'evaluationLogic § Explicit and implicit denies', name: 'an identity-based Deny overrides a resource-based Allow', action: GET, resource: OBJECT, identity: [deny('s3:*', '*')], resourcePolicy: [grant({ AWS: ALICE }, GET, `${BUCKET}/*`)], expect: 'explicitDeny' },
  { source: 'evaluationLogic § Explicit and implicit denies', name: 'a resource-based Deny to Principal "*" denies the user too', action: GET, resource: OBJECT, identity: [ALL_S3], resourcePolicy: [refuse('*', 's3:*', [BUCKET, `${BUCKET}/*`])], expect: 'explicitDeny' },
  { source: 'evaluationLogic § Evaluating identity-based policies with resource-based policies', name: 'a resource-based Allow naming another user grants this user nothing', action: GET, resource: OBJECT, resourcePolicy: [grant({ AWS: PRINCIPALS.bob.arn }, GET, `${BUCKET}/*`)], expect: 'implicitDeny' },
  { source: 'principal § AWS account principals', name: 'a resource-based Allow naming only the account delegates: the user still needs an identity-based Allow', action: GET, resource: OBJECT, resourcePolicy: [grant({ AWS: ROOT }, GET, `${BUCKET}/*`)], expect: 'implicitDeny' },
  { source: 'principal § AWS account principals', name: 'the account named by its 12-digit id delegates the same way; with an identity Allow: allowed', action: GET, resource: OBJECT, identity: [allow(GET, '*')], resourcePolicy: [grant({ AWS: ACCOUNT }, GET, `${BUCKET}/*`)], expect: 'allowed' },
  { source: 'principal § AWS account principals', name: 'a Deny naming the account applies to every principal in it', action: GET, resource: OBJECT, identity: [ALL_S3], resourcePolicy: [refuse({ AWS: ACCOUNT }, GET, `${BUCKET}/*`)], expect: 'explicitDeny' },
  { source: 'principal § All principals', name: 'Principal "*" in a resource-based policy grants to every principal, this user included', action: GET, resource: OBJECT, resourcePolicy: [grant('*', GET, `${BUCKET}/*`)], expect: 'allowed' },
  { source: 'principal § All principals', name: 'Principal {"AWS": "*"} is the same as "*"', action: GET, resource: OBJECT, resourcePolicy: [grant({ AWS: '*' }, GET, `${BUCKET}/*`)], expect: 'allowed' },
  { source: 'evaluationLogic § Explicit and implicit denies', name: 'a Deny in a second identity policy of the same user wins', action: GET, resource: OBJECT, identity: [ALL_S3, deny(GET, `${BUCKET}/*`)], expect: 'explicitDeny' },

  // ---------------------------------------------------------------- permissions boundaries
  { source: 'boundaries § Evaluating effective permissions with boundaries', name: 'identity Allow inside the boundary: allowed', action: GET, resource: OBJECT, identity: [allow(GET, '*')], boundary: [allow('s3:*', '*')], expect: 'allowed' },
  { source: 'boundaries § Evaluating effective permissions with boundaries', name: 'identity Allow outside the boundary: implicit deny (the boundary only limits)', action: GET, resource: OBJECT, identity: [allow(GET, '*')], boundary: [allow('ec2:*', '*')], expect: 'implicitDeny' },
  { source: 'boundaries § Evaluating effective permissions with boundaries', name: 'a boundary alone grants nothing', action: GET, resource: OBJECT, boundary: [allow('s3:*', '*')], expect: 'implicitDeny' },
  { source: 'boundaries § Evaluating effective permissions with boundaries', name: 'a Deny in the boundary is an explicit deny', action: GET, resource: OBJECT, identity: [ALL_S3], boundary: [allow('*', '*'), deny(GET, '*')], expect: 'explicitDeny' },
  { source: 'boundaries § Resource-based policies', name: 'same account, resource policy names the IAM user: not limited by the implicit deny of its boundary', action: GET, resource: OBJECT, boundary: [allow('ec2:*', '*')], resourcePolicy: [grant({ AWS: ALICE }, GET, `${BUCKET}/*`)], expect: 'allowed' },
  { source: 'boundaries § Resource-based policies', name: 'same account, resource policy names the role session: not limited by the role boundary', principal: 'role', action: GET, resource: OBJECT, boundary: [allow('ec2:*', '*')], resourcePolicy: [grant({ AWS: SESSION }, GET, `${BUCKET}/*`)], expect: 'allowed' },
  {
    source: 'boundaries § Resource-based policies',
    name: 'same account, resource policy names the role ARN: limited by the role boundary',
    principal: 'role',
    action: GET,
    resource: OBJECT,
    boundary: [allow('ec2:*', '*')],
    resourcePolicy: [grant({ AWS: ROLE }, GET, `${BUCKET}/*`)],
    expect: 'implicitDeny',
    contradiction:
      'The flow chart of "Policy evaluation logic" ("Evaluating identity-based policies with resource-based policies") lets a same-account resource-based Allow decide before the boundary is consulted; "Permissions boundaries", section "Resource-based policies", says a grant to the role ARN is limited by the role\'s boundary. The project follows the boundaries page: it can only deny more.',
  },
  { source: 'boundaries § Resource-based policies', name: 'an explicit Deny in the boundary still wins over a resource-based Allow to the user', action: GET, resource: OBJECT, boundary: [allow('*', '*'), deny('s3:*', '*')], resourcePolicy: [grant({ AWS: ALICE }, GET, `${BUCKET}/*`)], expect: 'explicitDeny' },
  { source: 'boundaries § Resource-based policies', name: 'role session, identity Allow, boundary allows: allowed', principal: 'role', action: GET, resource: OBJECT, identity: [allow(GET, '*')], boundary: [allow('s3:*', '*')], expect: 'allowed' },

  // ---------------------------------------------------------------- cross account
  { source: 'crossAccount § Determining whether a cross-account request is allowed', name: 'cross account: identity Allow without a resource-based Allow is an implicit deny', principal: 'partner', action: GET, resource: OBJECT, resourceAccount: ACCOUNT, identity: [ALL_S3], expect: 'implicitDeny' },
  { source: 'crossAccount § Determining whether a cross-account request is allowed', name: 'cross account: resource-based Allow to the account without an identity Allow is an implicit deny', principal: 'partner', action: GET, resource: OBJECT, resourceAccount: ACCOUNT, resourcePolicy: [grant({ AWS: PARTNER_ROOT }, GET, `${BUCKET}/*`)], expect: 'implicitDeny' },
  { source: 'crossAccount § Determining whether a cross-account request is allowed', name: 'cross account: both sides allow', principal: 'partner', action: GET, resource: OBJECT, resourceAccount: ACCOUNT, identity: [allow(GET, `${BUCKET}/*`)], resourcePolicy: [grant({ AWS: PARTNER_ROOT }, GET, `${BUCKET}/*`)], expect: 'allowed' },
  { source: 'crossAccount § Determining whether a cross-account request is allowed', name: 'cross account: resource policy names the user directly, identity allows', principal: 'partner', action: GET, resource: OBJECT, resourceAccount: ACCOUNT, identity: [ALL_S3], resourcePolicy: [grant({ AWS: PRINCIPALS.partner.arn }, GET, `${BUCKET}/*`)], expect: 'allowed' },
  { source: 'crossAccount § Determining whether a cross-account request is allowed', name: 'cross account: resource policy names the user directly, identity silent: still implicit deny', principal: 'partner', action: GET, resource: OBJECT, resourceAccount: ACCOUNT, resourcePolicy: [grant({ AWS: PRINCIPALS.partner.arn }, GET, `${BUCKET}/*`)], expect: 'implicitDeny' },
  { source: 'crossAccount § Determining whether a cross-account request is allowed', name: 'cross account: Principal "*" plus an identity Allow', principal: 'partner', action: GET, resource: OBJECT, resourceAccount: ACCOUNT, identity: [ALL_S3], resourcePolicy: [grant('*', GET, `${BUCKET}/*`)], expect: 'allowed' },
  { source: 'crossAccount § Determining whether a cross-account request is allowed', name: 'cross account: the resource policy grants a different account', principal: 'partner', action: GET, resource: OBJECT, resourceAccount: ACCOUNT, identity: [ALL_S3], resourcePolicy: [grant({ AWS: ROOT }, GET, `${BUCKET}/*`)], expect: 'implicitDeny' },
  { source: 'crossAccount § Determining whether a cross-account request is allowed', name: 'cross account: both allow but the boundary does not: implicit deny', principal: 'partner', action: GET, resource: OBJECT, resourceAccount: ACCOUNT, identity: [ALL_S3], boundary: [allow('ec2:*', '*')], resourcePolicy: [grant({ AWS: PARTNER_ROOT }, GET, `${BUCKET}/*`)], expect: 'implicitDeny' },
  { source: 'crossAccount § Determining whether a cross-account request is allowed', name: 'cross account: an explicit Deny in the resource policy wins', principal: 'partner', action: GET, resource: OBJECT, resourceAccount: ACCOUNT, identity: [ALL_S3], resourcePolicy: [grant('*', 's3:*', `${BUCKET}/*`), refuse({ AWS: PARTNER_ROOT }, GET, `${BUCKET}/*`)], expect: 'explicitDeny' },
  { source: 'crossAccount § Determining whether a cross-account request is allowed', name: 'cross account: an explicit Deny in the caller\'s identity policy wins', principal: 'partner', action: GET, resource: OBJECT, resourceAccount: ACCOUNT, identity: [ALL_S3, deny(GET, `${BUCKET}/*`)], resourcePolicy: [grant('*', GET, `${BUCKET}/*`)], expect: 'explicitDeny' },
  { source: 'crossAccount § Determining whether a cross-account request is allowed', name: 'cross account: a role session of the other account, both sides allow the role', principal: 'partnerRole', action: GET, resource: OBJECT, resourceAccount: ACCOUNT, identity: [ALL_S3], resourcePolicy: [grant({ AWS: PRINCIPALS.partnerRole.arn }, GET, `${BUCKET}/*`)], expect: 'allowed' },
  { source: 'identityVsResource § Identity-based policies and resource-based policies', name: 'the resource owner\'s identity side is not consulted: a user of the owner account with access does not open it to the partner', principal: 'partner', action: GET, resource: PARTNER_OBJECT, resourceAccount: ACCOUNT, identity: [allow(GET, '*')], expect: 'implicitDeny' },

  // ---------------------------------------------------------------- Action / NotAction
  { source: 'action § IAM JSON policy elements: Action', name: 's3:* covers s3:GetObject', action: GET, resource: OBJECT, identity: [allow('s3:*', '*')], expect: 'allowed' },
  { source: 'action § IAM JSON policy elements: Action', name: 'service prefix and action name are case-insensitive (S3:getobject)', action: GET, resource: OBJECT, identity: [allow('S3:getobject', '*')], expect: 'allowed' },
  { source: 'action § IAM JSON policy elements: Action', name: 'a prefix wildcard s3:Get* covers GetObject', action: GET, resource: OBJECT, identity: [allow('s3:Get*', '*')], expect: 'allowed' },
  { source: 'action § IAM JSON policy elements: Action', name: 's3:Get* does not cover PutObject', action: 's3:PutObject', resource: OBJECT, identity: [allow('s3:Get*', '*')], expect: 'implicitDeny' },
  { source: 'action § IAM JSON policy elements: Action', name: 'a list of actions: any one covers', action: GET, resource: OBJECT, identity: [allow(['sqs:SendMessage', 's3:GetObject'], '*')], expect: 'allowed' },
  { source: 'action § IAM JSON policy elements: Action', name: '"*" covers every action of every service', action: GET, resource: OBJECT, identity: [allow('*', '*')], expect: 'allowed' },
  { source: 'action § IAM JSON policy elements: Action', name: 'another service\'s wildcard (iam:*) does not cover s3', action: GET, resource: OBJECT, identity: [allow('iam:*', '*')], expect: 'implicitDeny' },
  { source: 'action § IAM JSON policy elements: Action', name: '? matches one character (s3:?etObject)', action: GET, resource: OBJECT, identity: [allow('s3:?etObject', '*')], expect: 'allowed' },
  { source: 'action § IAM JSON policy elements: Action', name: 'a wildcard in the middle (s3:*Object) covers GetObject', action: GET, resource: OBJECT, identity: [allow('s3:*Object', '*')], expect: 'allowed' },
  { source: 'action § IAM JSON policy elements: Action', name: 's3:*Object does not cover ListBucket', action: 's3:ListBucket', resource: BUCKET, identity: [allow('s3:*Object', '*')], expect: 'implicitDeny' },
  { source: 'notAction § Using NotAction with Allow', name: 'Allow with NotAction iam:* allows s3:GetObject', action: GET, resource: OBJECT, identity: [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }], expect: 'allowed' },
  { source: 'notAction § Using NotAction with Allow', name: 'Allow with NotAction iam:* does not allow iam:CreateUser', action: 'iam:CreateUser', resource: `arn:aws:iam::${ACCOUNT}:user/x`, identity: [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }], expect: 'implicitDeny' },
  { source: 'notAction § Using NotAction with Deny', name: 'Deny with NotAction iam:* denies everything else, s3:GetObject included', action: GET, resource: OBJECT, identity: [ALL_S3, { Effect: 'Deny', NotAction: 'iam:*', Resource: '*' }], expect: 'explicitDeny' },
  { source: 'notAction § Using NotAction with Deny', name: 'Deny with NotAction listing the action leaves it allowed', action: GET, resource: OBJECT, identity: [ALL_S3, { Effect: 'Deny', NotAction: ['s3:GetObject', 's3:ListBucket'], Resource: '*' }], expect: 'allowed' },
  { source: 'notAction § Using NotAction with Allow', name: 'NotAction matches case-insensitively too (S3:GETOBJECT excluded)', action: GET, resource: OBJECT, identity: [{ Effect: 'Allow', NotAction: 'S3:GETOBJECT', Resource: '*' }], expect: 'implicitDeny' },

  // ---------------------------------------------------------------- Resource
  { source: 'resource § Using wildcards in resource ARNs', name: 'bucket/* covers an object of the bucket', action: GET, resource: OBJECT, identity: [allow(GET, `${BUCKET}/*`)], expect: 'allowed' },
  { source: 'resource § Using wildcards in resource ARNs', name: 'the bucket ARN alone does not cover its objects', action: GET, resource: OBJECT, identity: [allow(GET, BUCKET)], expect: 'implicitDeny' },
  { source: 'resource § Using wildcards in resource ARNs', name: 'bucket/* does not cover the bucket itself', action: 's3:ListBucket', resource: BUCKET, identity: [allow('s3:ListBucket', `${BUCKET}/*`)], expect: 'implicitDeny' },
  { source: 'resource § IAM JSON policy elements: Resource', name: 'ARNs are case-sensitive (AMZN-S3-DEMO-BUCKET)', action: GET, resource: OBJECT, identity: [allow(GET, 'arn:aws:s3:::AMZN-S3-DEMO-BUCKET/*')], expect: 'implicitDeny' },
  { source: 'resource § Using wildcards in resource ARNs', name: '* expands across "/" within a segment: bucket/*/test/* covers bucket/1/test/object.jpg', action: GET, resource: `${BUCKET}/1/test/object.jpg`, identity: [allow(GET, `${BUCKET}/*/test/*`)], expect: 'allowed' },
  { source: 'resource § Using wildcards in resource ARNs', name: 'bucket/*/test/* also covers bucket/1/2/test/3/object.jpg', action: GET, resource: `${BUCKET}/1/2/test/3/object.jpg`, identity: [allow(GET, `${BUCKET}/*/test/*`)], expect: 'allowed' },
  { source: 'resource § Using wildcards in resource ARNs', name: 'bucket/*/test/* does not cover bucket/1/object.jpg', action: GET, resource: `${BUCKET}/1/object.jpg`, identity: [allow(GET, `${BUCKET}/*/test/*`)], expect: 'implicitDeny' },
  { source: 'resource § Using wildcards in resource ARNs', name: 'the IAM path example: user/accounting/* covers a user under /accounting/', action: 'iam:GetUser', resource: `arn:aws:iam::${ACCOUNT}:user/accounting/dana`, identity: [allow('iam:GetUser', `arn:aws:iam::${ACCOUNT}:user/accounting/*`)], expect: 'allowed' },
  { source: 'resource § Using wildcards in resource ARNs', name: '? matches exactly one character of a segment', action: GET, resource: OBJECT, identity: [allow(GET, 'arn:aws:s3:::amzn-s3-demo-bucke?/*')], expect: 'allowed' },
  { source: 'resource § Using wildcards in resource ARNs', name: '* in the region and account segments of an S3 ARN (empty there) still matches', action: GET, resource: OBJECT, identity: [allow(GET, 'arn:aws:s3:*:*:amzn-s3-demo-bucket/*')], expect: 'allowed' },
  { source: 'resource § Using wildcards in resource ARNs', name: 'arn:aws:s3:::* covers every bucket and object', action: GET, resource: OBJECT, identity: [allow(GET, 'arn:aws:s3:::*')], expect: 'allowed' },
  { source: 'resource § Using wildcards in resource ARNs', name: 'issue 22: Allow s3:* + Deny s3:GetObject on arn:aws:s3:* (trailing * expands beyond the colons): explicit deny', action: GET, resource: OBJECT, identity: [allow('s3:*', '*'), deny(GET, 'arn:aws:s3:*')], expect: 'explicitDeny' },
  { source: 'resource § Using wildcards in resource ARNs', name: 'trailing * after the region (arn:aws:sqs:us-east-1:*) covers a queue there', action: 'sqs:SendMessage', resource: `arn:aws:sqs:us-east-1:${ACCOUNT}:orders`, identity: [allow('sqs:*', 'arn:aws:sqs:us-east-1:*')], expect: 'allowed' },
  { source: 'resource § Using wildcards in resource ARNs', name: 'arn:aws:sqs:us-east-1:* does not cover a queue in another region', action: 'sqs:SendMessage', resource: `arn:aws:sqs:eu-west-1:${ACCOUNT}:orders`, identity: [allow('sqs:*', 'arn:aws:sqs:us-east-1:*')], expect: 'implicitDeny' },
  { source: 'resource § Using wildcards in resource ARNs', name: 'an Allow on arn:aws:s3:* (trailing *) allows in the identity policy', action: GET, resource: OBJECT, identity: [allow('s3:*', 'arn:aws:s3:*')], expect: 'allowed' },
  { source: 'resource § Using wildcards in resource ARNs', name: 'a resource-based Deny on arn:aws:s3:* applies', action: GET, resource: OBJECT, identity: [ALL_S3], resourcePolicy: [refuse('*', GET, 'arn:aws:s3:*')], expect: 'explicitDeny' },
  { source: 'resource § Using wildcards in resource ARNs', name: 'a resource-based Allow on arn:aws:s3:* grants', action: GET, resource: OBJECT, resourcePolicy: [grant({ AWS: ALICE }, GET, 'arn:aws:s3:*')], expect: 'allowed' },
  {
    source: 'resource § Using wildcards in resource ARNs',
    name: 'short pattern without trailing * (arn:aws:s3): a Deny may apply, so it applies',
    action: GET,
    resource: OBJECT,
    identity: [ALL_S3, deny(GET, 'arn:aws:s3')],
    expect: 'explicitDeny',
    contradiction: 'The page documents only a trailing * that expands; it is silent on shorter patterns without one. Undocumented: the Deny is taken to apply (never a false pass).',
  },
  { source: 'resource § Using wildcards in resource ARNs', name: 'short pattern without trailing * (arn:aws:s3): an Allow that might not apply does not', action: GET, resource: OBJECT, identity: [allow('s3:*', 'arn:aws:s3')], expect: 'implicitDeny' },
  { source: 'resource § Using wildcards in resource ARNs', name: 'a middle segment ending in * may span colons (arn:aws:s3:*:amzn-s3-demo-bucket/*): a Deny applies', action: GET, resource: OBJECT, identity: [ALL_S3, deny(GET, 'arn:aws:s3:*:amzn-s3-demo-bucket/*')], expect: 'explicitDeny' },
  { source: 'resource § Using wildcards in resource ARNs', name: 'the same ambiguous pattern never makes an Allow apply', action: GET, resource: OBJECT, identity: [allow(GET, 'arn:aws:s3:*:amzn-s3-demo-bucket/*')], expect: 'implicitDeny' },
  { source: 'resource § Using wildcards in resource ARNs', name: 'a wildcard in the service segment (arn:aws:s3*:::bucket/*) "can\'t" be used: an Allow through it does not apply', action: GET, resource: OBJECT, identity: [allow(GET, 'arn:aws:s3*:::amzn-s3-demo-bucket/*')], expect: 'implicitDeny' },
  { source: 'resource § Using wildcards in resource ARNs', name: 'a wildcard in the service segment: a Deny through it applies', action: GET, resource: OBJECT, identity: [ALL_S3, deny(GET, 'arn:aws:s?:::amzn-s3-demo-bucket/*')], expect: 'explicitDeny' },
  {
    source: 'resource § Using wildcards in resource ARNs',
    name: 'arn:aws:* (a trailing * that is also the service segment): an Allow does not apply',
    action: GET,
    resource: OBJECT,
    identity: [allow(GET, 'arn:aws:*')],
    expect: 'implicitDeny',
    contradiction: 'The same section says a trailing * "can expand to match beyond the colon boundaries" and, in its Note, "You can\'t use a wildcard in the service segment". For arn:aws:* the two disagree; the Allow is not counted, a Deny is (next row).',
  },
  { source: 'resource § Using wildcards in resource ARNs', name: 'arn:aws:*: a Deny applies', action: GET, resource: OBJECT, identity: [ALL_S3, deny(GET, 'arn:aws:*')], expect: 'explicitDeny' },
  { source: 'resource § IAM JSON policy elements: Resource', name: 'Resource "*" covers every resource', action: GET, resource: OBJECT, identity: [allow(GET, '*')], expect: 'allowed' },
  { source: 'resource § IAM JSON policy elements: Resource', name: 'a list of resources: any one covers', action: GET, resource: OBJECT, identity: [allow(GET, [PARTNER_BUCKET, `${BUCKET}/*`])], expect: 'allowed' },

  // ---------------------------------------------------------------- NotResource
  { source: 'notResource § IAM JSON policy elements: NotResource', name: 'Allow NotResource other-bucket allows this bucket\'s object', action: GET, resource: OBJECT, identity: [{ Effect: 'Allow', Action: 's3:*', NotResource: [PARTNER_BUCKET, `${PARTNER_BUCKET}/*`] }], expect: 'allowed' },
  { source: 'notResource § IAM JSON policy elements: NotResource', name: 'Allow NotResource bucket/* does not allow the bucket\'s object', action: GET, resource: OBJECT, identity: [{ Effect: 'Allow', Action: 's3:*', NotResource: `${BUCKET}/*` }], expect: 'implicitDeny' },
  { source: 'notResource § NotResource with Deny', name: 'Deny NotResource bucket/*: denies everything outside the bucket', action: GET, resource: PARTNER_OBJECT, identity: [ALL_S3, { Effect: 'Deny', Action: 's3:*', NotResource: `${BUCKET}/*` }], expect: 'explicitDeny' },
  { source: 'notResource § NotResource with Deny', name: 'Deny NotResource bucket/*: leaves the bucket\'s objects allowed', action: GET, resource: OBJECT, identity: [ALL_S3, { Effect: 'Deny', Action: 's3:*', NotResource: `${BUCKET}/*` }], expect: 'allowed' },
  { source: 'resource § Using wildcards in resource ARNs', name: 'Allow NotResource arn:aws:sqs:* (trailing *): an S3 object is outside it', action: GET, resource: OBJECT, identity: [{ Effect: 'Allow', Action: 's3:*', NotResource: 'arn:aws:sqs:*' }], expect: 'allowed' },
  { source: 'resource § Using wildcards in resource ARNs', name: 'Allow NotResource arn:aws:s3 (short, no *): the object may be inside it, so the Allow does not apply', action: GET, resource: OBJECT, identity: [{ Effect: 'Allow', Action: 's3:*', NotResource: 'arn:aws:s3' }], expect: 'implicitDeny' },
  { source: 'resource § Using wildcards in resource ARNs', name: 'Deny NotResource arn:aws:s3 (short, no *): the object may be outside it, so the Deny applies', action: GET, resource: OBJECT, identity: [ALL_S3, { Effect: 'Deny', Action: 's3:*', NotResource: 'arn:aws:s3' }], expect: 'explicitDeny' },
  { source: 'notResource § IAM JSON policy elements: NotResource', name: 'NotResource in a bucket policy: Deny to "*" on everything but one prefix', action: GET, resource: `${BUCKET}/private/x`, identity: [ALL_S3], resourcePolicy: [{ Effect: 'Deny', Principal: '*', Action: GET, NotResource: `${BUCKET}/public/*` }], expect: 'explicitDeny' },

  // ---------------------------------------------------------------- Principal
  { source: 'principal § IAM user principals', name: 'Principal names the user ARN: the user is granted', action: GET, resource: OBJECT, resourcePolicy: [grant({ AWS: ALICE }, GET, '*')], expect: 'allowed' },
  { source: 'principal § IAM role principals', name: 'Principal names the role ARN: its session is granted (no boundary)', principal: 'role', action: GET, resource: OBJECT, resourcePolicy: [grant({ AWS: ROLE }, GET, '*')], expect: 'allowed' },
  { source: 'principal § Role session principals', name: 'Principal names the assumed-role session ARN: that session is granted', principal: 'role', action: GET, resource: OBJECT, resourcePolicy: [grant({ AWS: SESSION }, GET, '*')], expect: 'allowed' },
  { source: 'principal § Role session principals', name: 'Principal names another session of the same role: not this one', principal: 'role', action: GET, resource: OBJECT, resourcePolicy: [grant({ AWS: `arn:aws:sts::${ACCOUNT}:assumed-role/app/other-session` }, GET, '*')], expect: 'implicitDeny' },
  { source: 'principal § IAM user principals', name: 'a list of principals: any one matches', action: GET, resource: OBJECT, resourcePolicy: [grant({ AWS: [PRINCIPALS.bob.arn, ALICE] }, GET, '*')], expect: 'allowed' },
  { source: 'principal § AWS service principals', name: 'a service principal does not name an IAM user', action: GET, resource: OBJECT, resourcePolicy: [grant({ Service: 'cloudtrail.amazonaws.com' }, GET, '*')], expect: 'implicitDeny' },
  { source: 'principal § AWS account principals', name: 'a grant to another account does not reach this account\'s user', action: GET, resource: OBJECT, identity: [ALL_S3], resourcePolicy: [grant({ AWS: PARTNER_ROOT }, GET, '*'), refuse({ AWS: PARTNER_ROOT }, 's3:PutObject', '*')], expect: 'allowed' },

  // ---------------------------------------------------------------- NotPrincipal
  { source: 'notPrincipal § NotPrincipal with Deny', name: 'Deny NotPrincipal listing the user and its account: the user is exempt', action: GET, resource: OBJECT, identity: [ALL_S3], resourcePolicy: [{ Effect: 'Deny', NotPrincipal: { AWS: [ALICE, ROOT] }, Action: 's3:*', Resource: '*' }], expect: 'allowed' },
  {
    source: 'notPrincipal § NotPrincipal with Deny',
    name: 'Deny NotPrincipal listing only the user (not its account): AWS "might" deny, so it denies',
    action: GET,
    resource: OBJECT,
    identity: [ALL_S3],
    resourcePolicy: [{ Effect: 'Deny', NotPrincipal: { AWS: ALICE }, Action: 's3:*', Resource: '*' }],
    expect: 'explicitDeny',
  },
  { source: 'notPrincipal § NotPrincipal with Deny', name: 'Deny NotPrincipal listing role, session and account: the session is exempt', principal: 'role', action: GET, resource: OBJECT, identity: [ALL_S3], resourcePolicy: [{ Effect: 'Deny', NotPrincipal: { AWS: [ROLE, SESSION, ROOT] }, Action: 's3:*', Resource: '*' }], expect: 'allowed' },
  { source: 'notPrincipal § NotPrincipal with Deny', name: 'Deny NotPrincipal listing role and account but not the session: denied', principal: 'role', action: GET, resource: OBJECT, identity: [ALL_S3], resourcePolicy: [{ Effect: 'Deny', NotPrincipal: { AWS: [ROLE, ROOT] }, Action: 's3:*', Resource: '*' }], expect: 'explicitDeny' },
  { source: 'notPrincipal § NotPrincipal with Deny', name: 'Deny NotPrincipal naming someone else: the user is denied', action: GET, resource: OBJECT, identity: [ALL_S3], resourcePolicy: [{ Effect: 'Deny', NotPrincipal: { AWS: PRINCIPALS.bob.arn }, Action: 's3:*', Resource: '*' }], expect: 'explicitDeny' },
  { source: 'notPrincipal § NotPrincipal with Deny', name: 'a principal with a permissions boundary is always denied by Deny NotPrincipal', action: GET, resource: OBJECT, identity: [ALL_S3], boundary: [allow('*', '*')], resourcePolicy: [{ Effect: 'Deny', NotPrincipal: { AWS: [ALICE, ROOT] }, Action: 's3:*', Resource: '*' }], expect: 'explicitDeny' },
  { source: 'notPrincipal § NotPrincipal with Allow', name: 'Allow NotPrincipal grants everyone not listed', action: GET, resource: OBJECT, resourcePolicy: [{ Effect: 'Allow', NotPrincipal: { AWS: PRINCIPALS.bob.arn }, Action: GET, Resource: '*' }], expect: 'allowed' },
  { source: 'notPrincipal § NotPrincipal with Allow', name: 'Allow NotPrincipal does not grant the listed principal', action: GET, resource: OBJECT, resourcePolicy: [{ Effect: 'Allow', NotPrincipal: { AWS: ALICE }, Action: GET, Resource: '*' }], expect: 'implicitDeny' },

  // ---------------------------------------------------------------- policy variables
  { source: 'variables § Using variables in policies', name: '${aws:username} in Resource: the user\'s own prefix', action: GET, resource: `${BUCKET}/home/alice/notes.txt`, identity: [allow(GET, `${BUCKET}/home/\${aws:username}/*`)], expect: 'allowed' },
  { source: 'variables § Using variables in policies', name: '${aws:username} in Resource: another user\'s prefix is not covered', action: GET, resource: `${BUCKET}/home/bob/notes.txt`, identity: [allow(GET, `${BUCKET}/home/\${aws:username}/*`)], expect: 'implicitDeny' },
  { source: 'variables § Request information that you can use for policy variables', name: 'a role session has no aws:username: the variable matches nothing', principal: 'role', action: GET, resource: `${BUCKET}/home/app/x`, identity: [allow(GET, `${BUCKET}/home/\${aws:username}/*`)], expect: 'implicitDeny' },
  { source: 'variables § Request information that you can use for policy variables', name: '${aws:userid} of a role session (AROA…:session)', principal: 'role', action: GET, resource: `${BUCKET}/home/AROAAPPEXAMPLE:build-42/x`, identity: [allow(GET, `${BUCKET}/home/\${aws:userid}/*`)], expect: 'allowed' },
  { source: 'variables § Using variables in policies', name: '${aws:PrincipalTag/team} in Resource', action: GET, resource: `${BUCKET}/teams/packages/x`, identity: [allow(GET, `${BUCKET}/teams/\${aws:PrincipalTag/team}/*`)], expect: 'allowed' },
  { source: 'variables § Specifying default values', name: 'a tag the principal lacks falls back to the default value', principal: 'bob', action: GET, resource: `${BUCKET}/teams/none/x`, identity: [allow(GET, `${BUCKET}/teams/\${aws:PrincipalTag/team, 'none'}/*`)], expect: 'allowed' },
  { source: 'variables § Policy variables with no value', name: 'a tag the principal lacks, no default: the Resource matches nothing', principal: 'bob', action: GET, resource: `${BUCKET}/teams/x/y`, identity: [allow(GET, `${BUCKET}/teams/\${aws:PrincipalTag/team}/*`)], expect: 'implicitDeny' },
  { source: 'variables § Special characters', name: '${*} is a literal asterisk', action: GET, resource: `${BUCKET}/lit/*`, identity: [allow(GET, `${BUCKET}/lit/\${*}`)], expect: 'allowed' },
  { source: 'variables § Special characters', name: '${*} does not act as a wildcard', action: GET, resource: `${BUCKET}/lit/abc`, identity: [allow(GET, `${BUCKET}/lit/\${*}`)], expect: 'implicitDeny' },
  { source: 'variables § Special characters', name: '${?} is a literal question mark', action: GET, resource: `${BUCKET}/q/a?b`, identity: [allow(GET, `${BUCKET}/q/a\${?}b`)], expect: 'allowed' },
  { source: 'variables § Special characters', name: '${$} is a literal dollar sign', action: GET, resource: `${BUCKET}/d/$x`, identity: [allow(GET, `${BUCKET}/d/\${$}x`)], expect: 'allowed' },
  { source: 'variables § Using variables in policies', name: '${aws:PrincipalAccount} in the account segment of an ARN', action: 'iam:GetUser', resource: `arn:aws:iam::${ACCOUNT}:user/alice`, identity: [allow('iam:GetUser', 'arn:aws:iam::${aws:PrincipalAccount}:user/*')], expect: 'allowed' },
  { source: 'variables § Using variables in policies', name: '${aws:username} in a condition value (s3:prefix home/${aws:username}/)', action: 's3:ListBucket', resource: BUCKET, context: { 's3:prefix': 'home/alice/' }, identity: [allow('s3:ListBucket', BUCKET, { Condition: { StringLike: { 's3:prefix': ['home/${aws:username}/*', 'home/${aws:username}/'] } } })], expect: 'allowed' },
  { source: 'variables § Using variables in policies', name: '${aws:username} in a condition value: another user\'s prefix', action: 's3:ListBucket', resource: BUCKET, context: { 's3:prefix': 'home/bob/' }, identity: [allow('s3:ListBucket', BUCKET, { Condition: { StringLike: { 's3:prefix': ['home/${aws:username}/*', 'home/${aws:username}/'] } } })], expect: 'implicitDeny' },
  { source: 'variables § Policy variables with no value', name: 'a Deny whose Resource has a variable without value does not apply (it matches nothing)', principal: 'bob', action: GET, resource: OBJECT, identity: [ALL_S3, deny(GET, `${BUCKET}/\${aws:PrincipalTag/team}/*`)], expect: 'allowed' },

  // ---------------------------------------------------------------- policies IAM would reject
  { source: 'conditionOperators § Condition operators', name: 'a Deny with an unknown condition operator: the policy cannot be evaluated', action: GET, resource: OBJECT, identity: [ALL_S3, deny(GET, '*', { Condition: { StringEqualz: { 's3:prefix': 'x' } } })], expect: 'error' },
  { source: 'conditionOperators § Date condition operators', name: 'a Deny with a malformed date: the policy cannot be evaluated', action: GET, resource: OBJECT, identity: [ALL_S3, deny(GET, '*', { Condition: { DateGreaterThan: { 'aws:CurrentTime': 'soon' } } })], expect: 'error' },
];
