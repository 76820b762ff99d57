// The second fact source of the ghes-s3 pack: the facts a Terraform/OpenTofu plan gives, behind
// the same interface the checks read from live AWS. It has no client: nothing here can send a
// request. A fact the plan knows only after apply fails with code UnknownUntilApply and the
// attribute paths; a fact the plan does not hold (the caller's credentials, the simulator, an
// existing bucket's settings the plan does not manage) fails with code NotInPlan and the reason.
// The plan run (src/run/ghes-s3-plan.ts) turns both into `skip` results that name them, never `pass`.

import type { GhesS3Facts } from '../../checks/ghes-s3/facts.ts';
import { FactError } from '../engine/fact-error.ts';
import { parsePolicyDocument } from '../policy/document.ts';
import { PLAN_ACCOUNT_UNKNOWN } from './plan-principal.ts';
import type { PlanTarget } from './plan-target.ts';
import { block, blocks, type NotKnown, type PlanFact, str, unavailable, unknown } from './plan-values.ts';

type Facts = GhesS3Facts;
type Value<K extends keyof Facts> = Awaited<ReturnType<NonNullable<Facts[K]>>>;

/** The fact-error codes of the plan source; the plan run turns results carrying them into skips. */
export const PLAN_FACT_CODES = { unknown: 'UnknownUntilApply', notInPlan: 'NotInPlan' } as const;
export const PLAN_API = 'terraform show -json';

export function planFactError(fact: string, resource: string, f: NotKnown): FactError {
  if (f.state === 'unknown') {
    const paths = [...new Set(f.paths)];
    return new FactError({ fact, api: PLAN_API, resource, code: PLAN_FACT_CODES.unknown, message: paths.join(', ') });
  }
  return new FactError({ fact, api: PLAN_API, resource, code: PLAN_FACT_CODES.notInPlan, message: f.reason });
}

const NO_CREDENTIALS =
  'a plan is checked with no AWS credentials, and the plan does not say which account it is applied in (an existing user\'s ARN, --principal-arn or the provider\'s allowed_account_ids would); a run against AWS after apply checks it';

export class PlanFacts implements Facts {
  private readonly plan: PlanTarget;

  constructor(plan: PlanTarget) {
    this.plan = plan;
  }

  private get resource(): string {
    return this.plan.bucket.resource.address;
  }

  private value<T>(fact: string, f: PlanFact<T>, resource = this.resource): Promise<T> {
    return f.state === 'known' ? Promise.resolve(f.value) : Promise.reject(planFactError(fact, resource, f));
  }

  /**
   * The account the plan is applied in, when the plan or the flags say it: the GHES user's account
   * (from its ARN, --principal-arn or allowed_account_ids, never the stand-in), else the bucket
   * provider's allowed_account_ids.
   */
  private planAccount(): { id: string; from: string } | undefined {
    const p = this.plan.principal;
    const user = 'unavailable' in p ? undefined : p.account();
    if (user && user.id !== PLAN_ACCOUNT_UNKNOWN) return user;
    const allowed = this.plan.index.allowedAccount(this.plan.bucket.resource);
    return allowed ? { id: allowed, from: "the provider's allowed_account_ids" } : undefined;
  }

  /**
   * In a plan run the "caller" is whoever applies the plan: only its account is known (see
   * planAccount), and only the account is read by the checks that run on a plan (the credentials
   * check does not run). The ARN is the account's root ARN, standing for the account.
   */
  callerIdentity(): Promise<Value<'callerIdentity'>> {
    const account = this.planAccount();
    if (!account) return Promise.reject(planFactError('callerIdentity', 'credentials', unavailable(NO_CREDENTIALS)));
    return Promise.resolve({ arn: `arn:aws:iam::${account.id}:root`, account: account.id, userId: `terraform plan: ${account.from}` });
  }

  bucketHead(): Promise<Value<'bucketHead'>> {
    const region = this.plan.bucket.region();
    if (region.state === 'known') return Promise.resolve({ status: 'found', region: region.value, regionFrom: 'terraform plan' });
    return Promise.resolve({ status: 'found', region: null, regionError: planFactError('bucketRegion', this.resource, region).info });
  }

  bucketPolicy(): Promise<Value<'bucketPolicy'>> {
    return this.value('bucketPolicy', this.plan.bucket.policy()).then((text) => (text === null ? { present: false } : { present: true, text, parsed: parsePolicyDocument(text) }));
  }

  bucketAcl(): Promise<Value<'bucketAcl'>> {
    return this.value('bucketAcl', this.plan.bucket.acl());
  }

  bucketPublicAccessBlock(): Promise<Value<'bucketPublicAccessBlock'>> {
    return this.value('bucketPublicAccessBlock', this.plan.bucket.publicAccessBlock());
  }

  /** aws_s3_account_public_access_block of the plan's account (its account_id, or the provider's when not set). */
  accountPublicAccessBlock(): Promise<Value<'accountPublicAccessBlock'>> {
    const account = this.planAccount();
    const resource = account ? `arn:aws:s3:::account/${account.id}` : 'account';
    const { index } = this.plan;
    const keys = ['block_public_acls', 'ignore_public_acls', 'block_public_policy', 'restrict_public_buckets'] as const;
    const found = index.ofType('aws_s3_account_public_access_block').filter((r) => {
      const id = str(r.values.account_id);
      // Unknown until apply: the provider's account when not set (counted), else it may be (unknown below).
      return index.unknownAt(r, ['account_id']) ? true : !id || id === account?.id;
    });
    if (found.length === 0) return this.value('accountPublicAccessBlock', unavailable('the plan manages no aws_s3_account_public_access_block, so the account\'s setting is whatever it is today; a run against AWS reads it'), resource);
    const paths = found.flatMap((r) => [...(index.configures(r, 'account_id') ? [index.unknownAt(r, ['account_id'])] : []), ...keys.map((k) => index.unknownAt(r, [k]))]).filter((p): p is string => !!p);
    if (paths.length || found.length > 1) return this.value('accountPublicAccessBlock', unknown(...(paths.length ? paths : found.map((r) => r.address))), resource);
    const v = found[0].values;
    return Promise.resolve({ BlockPublicAcls: v.block_public_acls === true, IgnorePublicAcls: v.ignore_public_acls === true, BlockPublicPolicy: v.block_public_policy === true, RestrictPublicBuckets: v.restrict_public_buckets === true });
  }

  ownershipControls(): Promise<Value<'ownershipControls'>> {
    return this.value('ownershipControls', this.plan.bucket.ownership());
  }

  encryption(): Promise<Value<'encryption'>> {
    return this.value('encryption', this.plan.bucket.encryption());
  }

  versioning(): Promise<Value<'versioning'>> {
    return this.value('versioning', this.plan.bucket.versioning());
  }

  lifecycleRules(): Promise<Value<'lifecycleRules'>> {
    return this.value('lifecycleRules', this.plan.bucket.lifecycleRules());
  }

  objectLock(): Promise<Value<'objectLock'>> {
    return this.value('objectLock', this.plan.bucket.objectLock());
  }

  requestPayment(): Promise<Value<'requestPayment'>> {
    return this.value('requestPayment', this.plan.bucket.requestPayment());
  }

  replication(): Promise<Value<'replication'>> {
    return this.value('replication', this.plan.bucket.replication());
  }

  intelligentTiering(): Promise<Value<'intelligentTiering'>> {
    const { index, bucket } = this.plan;
    const configs: Value<'intelligentTiering'> = [];
    const paths: string[] = [];
    for (const r of index.ofType('aws_s3_bucket_intelligent_tiering_configuration')) {
      const link = bucket.link(r);
      if (link.to === 'maybe') paths.push(link.path);
      if (link.to !== 'ours') continue;
      const unknownPaths = [...index.unknownUnder(r, ['tiering']), ...index.unknownUnder(r, ['filter'])];
      if (unknownPaths.length) {
        paths.push(...unknownPaths);
        continue;
      }
      const filter = block(r.values.filter);
      configs.push({
        id: str(r.values.name) ?? r.address,
        status: str(r.values.status) ?? 'Enabled',
        filter: filter ? { Prefix: str(filter.prefix), ...(filter.tags && typeof filter.tags === 'object' ? { And: { Prefix: str(filter.prefix), Tags: Object.entries(filter.tags).map(([Key, Value]) => ({ Key, Value: String(Value) })) } } : {}) } : undefined,
        tierings: blocks(r.values.tiering).map((t) => ({ accessTier: str(t.access_tier) ?? '', days: typeof t.days === 'number' ? t.days : 0 })),
      });
    }
    if (paths.length) return this.value('intelligentTiering', unknown(...paths));
    if (configs.length === 0 && !bucket.created) {
      return this.value('intelligentTiering', unavailable(`the plan manages no aws_s3_bucket_intelligent_tiering_configuration for ${this.resource}, so the existing bucket's are not known; a run against AWS reads them`));
    }
    return Promise.resolve(configs);
  }

  /** Same plan, same account: the user and the bucket the plan builds belong to the account it is applied in. */
  bucketOwnedBy(account: string): Promise<Value<'bucketOwnedBy'>> {
    const principal = 'unavailable' in this.plan.principal ? undefined : this.plan.principal.principal();
    const same = (principal?.state === 'known' && principal.value.accountId === account) || this.planAccount()?.id === account;
    return Promise.resolve(same ? 'yes' : 'unknown');
  }

  earlierProbeRuns(): Promise<Value<'earlierProbeRuns'>> {
    return Promise.reject(planFactError('earlierProbeRuns', this.resource, unavailable('earlier --probe runs are objects in the existing bucket, which a plan does not show')));
  }

  simulatePrincipalPolicy(): Promise<Value<'simulatePrincipalPolicy'>> {
    return Promise.reject(planFactError('simulation', 'iam:SimulatePrincipalPolicy', unavailable('AWS\'s policy simulator needs credentials; from a plan the policies are evaluated by the local evaluator')));
  }

  principal(): Promise<Value<'principal'>> {
    const p = this.plan.principal;
    if ('unavailable' in p) return this.value('principal', unavailable(p.unavailable), 'principal');
    return this.value('principal', p.principal(), p.user.address);
  }

  principalPolicies(): Promise<Value<'principalPolicies'>> {
    const p = this.plan.principal;
    if ('unavailable' in p) return this.value('principalPolicies', unavailable(p.unavailable), 'principal');
    const blind = this.denyNeedsAccount();
    if (blind) return this.value('principalPolicies', unavailable(blind), p.user.address);
    return this.value('principalPolicies', p.policies(), p.user.address);
  }

  /**
   * With the account unknown, the user is evaluated under a stand-in account id. A Deny of the
   * bucket policy that names principals or accounts (a Principal other than "*", or a condition on
   * who is asking) could match the real user and not the stand-in: evaluating it would be a pass
   * the real account may not get. Such a policy leaves the permissions unjudged instead.
   */
  private denyNeedsAccount(): string | undefined {
    const p = this.plan.principal;
    if ('unavailable' in p || p.account().id !== PLAN_ACCOUNT_UNKNOWN) return undefined;
    const policy = this.plan.bucket.policy();
    if (policy.state !== 'known' || policy.value === null) return undefined;
    let statements: unknown[];
    try {
      const doc = JSON.parse(policy.value) as { Statement?: unknown };
      statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
    } catch {
      return undefined; // an unparsable policy is the bucket-policy check's finding; the evaluator refuses it too
    }
    const anyone = (principal: unknown): boolean => principal === '*' || (typeof principal === 'object' && principal !== null && Object.keys(principal).length === 1 && (principal as { AWS?: unknown }).AWS === '*');
    const asksWho = (condition: unknown): boolean => /principal|userid|username|account|sourceowner|sourcearn|federatedprovider/i.test(JSON.stringify(condition ?? {}));
    const naming = statements.filter((st): st is { Sid?: string; Effect?: string; Principal?: unknown; NotPrincipal?: unknown; Condition?: unknown } => typeof st === 'object' && st !== null)
      .filter((st) => st.Effect === 'Deny' && (st.NotPrincipal !== undefined || !anyone(st.Principal) || asksWho(st.Condition)));
    if (naming.length === 0) return undefined;
    const names = naming.map((st, i) => (st.Sid ? `Sid "${st.Sid}"` : `Deny statement ${i + 1}`)).join(', ');
    return `the bucket policy denies by principal or account (${names}), and the plan does not say which account the user ${p.user.address} is created in, so whether that Deny applies to it cannot be judged; give --principal-arn (or the provider's allowed_account_ids), or run against AWS after apply`;
  }
}


