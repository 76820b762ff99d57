// The second fact source of the ghes-s3 pack: the facts a Terraform/OpenTofu plan gives, behind
// the same interface the checks read from live AWS. It has no client: nothing here can send a
// request. A fact the plan knows only after apply fails with code UnknownUntilApply and the
// attribute paths; a fact the plan does not hold (the caller's credentials, the simulator, an
// existing bucket's settings the plan does not manage) fails with code NotInPlan and the reason.
// The plan run (src/run/ghes-s3-plan.ts) turns both into `skip` results that name them, never `pass`.

import type { GhesS3Facts } from '../../checks/ghes-s3/facts.ts';
import { FactError } from '../engine/fact-error.ts';
import { parsePolicyDocument } from '../policy/document.ts';
import type { PlanTarget } from './plan-target.ts';
import { block, blocks, type NotKnown, type PlanFact, str, unavailable, unknown } from './plan-values.ts';

type Facts = GhesS3Facts;
type Value<K extends keyof Facts> = Awaited<ReturnType<Facts[K]>>;

/** The fact-error codes of the plan source; the plan run turns results carrying them into skips. */
export const PLAN_FACT_CODES = { unknown: 'UnknownUntilApply', notInPlan: 'NotInPlan' } as const;
export const PLAN_API = 'terraform show -json';

export function planFactError(fact: string, resource: string, f: NotKnown): FactError {
  if (f.state === 'unknown') {
    const paths = [...new Set(f.paths)];
    return new FactError({ fact, api: PLAN_API, resource, code: PLAN_FACT_CODES.unknown, message: `known only after apply: ${paths.join(', ')}` });
  }
  return new FactError({ fact, api: PLAN_API, resource, code: PLAN_FACT_CODES.notInPlan, message: f.reason });
}

const NO_CREDENTIALS = 'a plan is checked with no AWS credentials, so there is no caller identity; a run against AWS after apply checks the credentials GHES uses';

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

  callerIdentity(): Promise<Value<'callerIdentity'>> {
    return Promise.reject(planFactError('callerIdentity', 'credentials', unavailable(NO_CREDENTIALS)));
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

  /** The checker's account setting: there is no checker account in a plan (see callerIdentity). */
  accountPublicAccessBlock(): Promise<Value<'accountPublicAccessBlock'>> {
    return this.callerIdentity() as never;
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
    return Promise.resolve(principal?.state === 'known' && principal.value.accountId === account ? 'yes' : 'unknown');
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
    return this.value('principalPolicies', p.policies(), p.user.address);
  }
}


