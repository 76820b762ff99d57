// The conformance suite's row shapes and the AWS pages the rows are written from. Every row names
// its page and section in `source` (one of SOURCES, plus the section after " § "), so a reviewer
// can open the page and check the row; the runner (conformance.test.ts) refuses a row without one.
// Where two AWS pages disagree the row carries `contradiction` (what each page says) and expects
// the reading that can never produce a false pass.

import type { RequestPrincipal } from '../../src/policy/evaluate.ts';

export type Json = Record<string, unknown>;
export type Decision = 'allowed' | 'explicitDeny' | 'implicitDeny';

/** The pages (titles as AWS gives them, and their addresses). */
export const SOURCES = {
  evaluationLogic: 'IAM User Guide, "Policy evaluation logic" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html)',
  crossAccount: 'IAM User Guide, "Cross-account policy evaluation logic" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html)',
  boundaries: 'IAM User Guide, "Permissions boundaries for IAM entities" (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html)',
  identityVsResource: 'IAM User Guide, "Identity-based policies and resource-based policies" (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_identity-vs-resource.html)',
  resource: 'IAM User Guide, "IAM JSON policy elements: Resource" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html)',
  notResource: 'IAM User Guide, "IAM JSON policy elements: NotResource" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html)',
  action: 'IAM User Guide, "IAM JSON policy elements: Action" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html)',
  notAction: 'IAM User Guide, "IAM JSON policy elements: NotAction" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html)',
  principal: 'IAM User Guide, "AWS JSON policy elements: Principal" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html)',
  notPrincipal: 'IAM User Guide, "AWS JSON policy elements: NotPrincipal" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html)',
  conditionOperators: 'IAM User Guide, "IAM JSON policy elements: Condition operators" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html)',
  condition: 'IAM User Guide, "IAM JSON policy elements: Condition" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html)',
  multivalued: 'IAM User Guide, "Single-valued vs. multivalued context keys" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html)',
  variables: 'IAM User Guide, "IAM policy elements: Variables and tags" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html)',
  s3Public: 'Amazon S3 User Guide, "Blocking public access to your Amazon S3 storage" (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html)',
  s3PabApi: 'Amazon S3 API Reference, "PublicAccessBlockConfiguration" (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PublicAccessBlockConfiguration.html)',
  caDomain: 'AWS CodeArtifact User Guide, "Domain policies" (https://docs.aws.amazon.com/codeartifact/latest/ug/domain-policies.html; German copy: seed 004)',
  caRepository: 'AWS CodeArtifact User Guide, "Repository policies" (https://docs.aws.amazon.com/codeartifact/latest/ug/repo-policies.html)',
} as const;
export type SourceId = keyof typeof SOURCES;

/** `page § section`: the page by id, the section as the page titles it. */
export interface Cited {
  source: `${SourceId} § ${string}`;
  name: string;
  /** Present when two AWS pages disagree: what each says, and why the expectation is the never-false-pass side. */
  contradiction?: string;
}

export const ACCOUNT = '111122223333';
export const OTHER_ACCOUNT = '444455556666';

export const PRINCIPALS = {
  alice: { arn: `arn:aws:iam::${ACCOUNT}:user/alice`, accountId: ACCOUNT, userId: 'AIDAALICEEXAMPLE', tags: { team: 'packages' } },
  bob: { arn: `arn:aws:iam::${ACCOUNT}:user/division_abc/subdivision_xyz/bob`, accountId: ACCOUNT, userId: 'AIDABOBEXAMPLE', tags: {} },
  role: { arn: `arn:aws:iam::${ACCOUNT}:role/app`, accountId: ACCOUNT, sessionArn: `arn:aws:sts::${ACCOUNT}:assumed-role/app/build-42`, userId: 'AROAAPPEXAMPLE:build-42', tags: {} },
  partner: { arn: `arn:aws:iam::${OTHER_ACCOUNT}:user/carol`, accountId: OTHER_ACCOUNT, userId: 'AIDACAROLEXAMPLE', tags: {} },
  partnerRole: { arn: `arn:aws:iam::${OTHER_ACCOUNT}:role/ci`, accountId: OTHER_ACCOUNT, sessionArn: `arn:aws:sts::${OTHER_ACCOUNT}:assumed-role/ci/run`, tags: {} },
} satisfies Record<string, RequestPrincipal>;
export type PrincipalName = keyof typeof PRINCIPALS;

/** A request against identity policies, a permissions boundary and a resource policy (statements only). */
export interface DecisionRow extends Cited {
  principal?: PrincipalName;
  action?: string;
  resource?: string;
  /** Defaults to the principal's account. */
  resourceAccount?: string;
  context?: Record<string, string | string[]>;
  identity?: Json[];
  boundary?: Json[];
  resourcePolicy?: Json[];
  expect: Decision | 'error';
}

/** One Condition block evaluated in a statement of the given effect (default Allow). */
export interface ConditionRow extends Cited {
  block: Record<string, Record<string, unknown>>;
  context: Record<string, string | string[]>;
  effect?: 'Allow' | 'Deny';
  /** Whether the condition holds, or `error` when IAM would reject the policy. */
  expect: boolean | 'error';
}

/** A bucket-policy statement (or a whole policy): public in the sense of the S3 User Guide? */
export interface PublicRow extends Cited {
  statements: Json[];
  expect: boolean;
}

/** A request against a CodeArtifact domain policy (and a repository policy), the caller's identity side assumed to allow. */
export interface CodeArtifactRow extends Cited {
  caller: PrincipalName;
  action: string;
  /** `repository` evaluates a repository of the domain, `package` a package in it; default: the action's type. */
  on?: 'domain' | 'repository' | 'package';
  context?: Record<string, string | string[]>;
  domainPolicy?: Json[];
  repositoryPolicy?: Json[];
  expect: Decision;
}

export const doc = (...Statement: Json[]): Json => ({ Version: '2012-10-17', Statement });
export const allow = (Action: unknown, Resource: unknown, extra: Json = {}): Json => ({ Effect: 'Allow', Action, Resource, ...extra });
export const deny = (Action: unknown, Resource: unknown, extra: Json = {}): Json => ({ Effect: 'Deny', Action, Resource, ...extra });
export const grant = (Principal: unknown, Action: unknown, Resource: unknown, extra: Json = {}): Json => ({ Effect: 'Allow', Principal, Action, Resource, ...extra });
export const refuse = (Principal: unknown, Action: unknown, Resource: unknown, extra: Json = {}): Json => ({ Effect: 'Deny', Principal, Action, Resource, ...extra });

export const BUCKET = 'arn:aws:s3:::amzn-s3-demo-bucket';
export const OBJECT = `${BUCKET}/photos/cat.jpg`;
