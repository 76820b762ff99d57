// The facts the codeartifact pack rests on: the domain (DescribeDomain) and its resource policy
// (GetDomainPermissionsPolicy), memoized like the S3 facts. "No policy" is a value, not an error.
//
// GetDomainPermissionsPolicy answers ResourceNotFoundException both when the domain has no policy
// and when there is no such domain (FACTS.md, "AWS CodeArtifact domain policies"): DescribeDomain
// decides. If DescribeDomain cannot be read either, the policy fact is an error, never "no policy".
//
// The offline variant reads a policy document from a file (`--policy-file`) and makes no AWS call
// at all: no session, no credentials.

import { DescribeDomainCommand, GetDomainPermissionsPolicyCommand } from '@aws-sdk/client-codeartifact';
import { FactError } from '../engine/fact-error.ts';
import { type ParseResult, parsePolicyDocument } from '../policy/document.ts';
import { isNotConfigured, toFactError } from './errors.ts';
import { FactCache } from './fact-cache.ts';
import { partitionOf } from './regions.ts';
import type { AwsSession } from './session.ts';

export type DomainFact =
  | { exists: false }
  | {
      exists: true;
      /** false offline: the domain was not looked up, the fields come from the command line. */
      verified: boolean;
      name: string;
      owner?: string;
      arn?: string;
      status?: string;
      createdTime?: string;
      encryptionKey?: string;
      repositoryCount?: number;
      s3BucketArn?: string;
    };

export type DomainPolicyFact =
  | {
      present: false;
      /** Live only: DescribeDomain said there is no such domain (so "no policy" is not the answer). */
      domainMissing?: boolean;
    }
  | {
      present: true;
      /** The document exactly as AWS returned it or as the file holds it. */
      text: string;
      /** Live only: the revision id (optimistic locking for put-domain-permissions-policy --policy-revision). */
      revision?: string;
      /** Live only: the ARN the policy is attached to, as AWS reports it. */
      resourceArn?: string;
      parsed: ParseResult;
      source: 'live' | 'file';
      /** Offline only: the file it was read from. */
      file?: string;
    };

/** CodeArtifact's "not found" (HTTP 404): no such domain, or no policy on it. */
const NOT_FOUND = new Set(['ResourceNotFoundException']);

export interface CodeArtifactFactsTarget {
  domain: string;
  domainOwner?: string;
  region?: string;
}

/** What the codeartifact checks may ask; both variants implement it. */
export interface CodeArtifactFactSource {
  readonly source: 'live' | 'file';
  domain(): Promise<DomainFact>;
  domainPolicy(): Promise<DomainPolicyFact>;
  /** The account that owns the domain: --domain-owner, else DescribeDomain's owner (live), else the policy's resourceArn; undefined offline without --domain-owner. */
  ownerAccount(): Promise<string | undefined>;
}

/** arn:PARTITION:codeartifact:REGION:ACCOUNT:domain/NAME, when region and account are known. */
export function domainArn(domain: string, region: string | undefined, account: string | undefined): string | undefined {
  if (!region || !account) return undefined;
  return `arn:${partitionOf(region) ?? 'aws'}:codeartifact:${region}:${account}:domain/${domain}`;
}

const arnAccount = (arn: string | undefined): string | undefined => {
  const account = arn?.split(':')[4];
  return account && /^\d{12}$/.test(account) ? account : undefined;
};

export class CodeArtifactFacts implements CodeArtifactFactSource {
  readonly source = 'live' as const;
  readonly session: AwsSession;
  private readonly target: CodeArtifactFactsTarget;
  private readonly cache: FactCache;

  constructor(session: AwsSession, target: CodeArtifactFactsTarget, cache = new FactCache()) {
    this.session = session;
    this.target = target;
    this.cache = cache;
  }

  private get key(): string {
    return `${this.target.region ?? this.session.region}:${this.target.domainOwner ?? 'caller'}:${this.target.domain}`;
  }

  private get resource(): string {
    return domainArn(this.target.domain, this.target.region ?? this.session.region, this.target.domainOwner) ?? `domain/${this.target.domain}`;
  }

  private client() {
    return this.session.codeartifact(this.target.region);
  }

  private input() {
    return { domain: this.target.domain, ...(this.target.domainOwner ? { domainOwner: this.target.domainOwner } : {}) };
  }

  domain(): Promise<DomainFact> {
    return this.cache.get(`codeartifactDomain:${this.key}`, async () => {
      try {
        const out = await this.client().send(new DescribeDomainCommand(this.input()));
        const d = out.domain ?? {};
        return {
          exists: true,
          verified: true,
          name: d.name ?? this.target.domain,
          owner: d.owner ?? this.target.domainOwner,
          arn: d.arn,
          status: d.status,
          createdTime: d.createdTime instanceof Date ? d.createdTime.toISOString() : undefined,
          encryptionKey: d.encryptionKey,
          repositoryCount: d.repositoryCount,
          s3BucketArn: d.s3BucketArn,
        } satisfies DomainFact;
      } catch (e) {
        if (isNotConfigured(e, NOT_FOUND)) return { exists: false } satisfies DomainFact;
        throw toFactError(e, 'domain', 'codeartifact:DescribeDomain', this.resource);
      }
    });
  }

  domainPolicy(): Promise<DomainPolicyFact> {
    return this.cache.get(`codeartifactDomainPolicy:${this.key}`, async () => {
      try {
        const out = await this.client().send(new GetDomainPermissionsPolicyCommand(this.input()));
        const text = out.policy?.document ?? '';
        return { present: true, text, revision: out.policy?.revision, resourceArn: out.policy?.resourceArn, parsed: parsePolicyDocument(text), source: 'live' } satisfies DomainPolicyFact;
      } catch (e) {
        if (!isNotConfigured(e, NOT_FOUND)) throw toFactError(e, 'domainPolicy', 'codeartifact:GetDomainPermissionsPolicy', this.resource);
        // Ambiguous: no policy, or no domain. DescribeDomain decides; if it cannot, neither can we.
        let domain: DomainFact;
        try {
          domain = await this.domain();
        } catch (inner) {
          const info = (inner as FactError).info;
          throw new FactError({
            fact: 'domainPolicy',
            api: 'codeartifact:GetDomainPermissionsPolicy',
            resource: this.resource,
            code: 'ResourceNotFoundException',
            httpStatus: 404,
            requestId: (e as { $metadata?: { requestId?: string } }).$metadata?.requestId,
            message: `AWS answered ResourceNotFoundException, which means "no policy" or "no such domain", and DescribeDomain, which tells them apart, failed too (${info?.code ?? 'error'})`,
          });
        }
        return domain.exists ? { present: false } : { present: false, domainMissing: true };
      }
    });
  }

  async ownerAccount(): Promise<string | undefined> {
    if (this.target.domainOwner) return this.target.domainOwner;
    try {
      const domain = await this.domain();
      if (domain.exists && domain.owner) return domain.owner;
    } catch (e) {
      // DescribeDomain denied: the policy's resourceArn still names the owner.
      const policy = await this.domainPolicy().catch(() => undefined);
      const fromPolicy = policy?.present ? arnAccount(policy.resourceArn) : undefined;
      if (fromPolicy) return fromPolicy;
      throw e;
    }
    const policy = await this.domainPolicy();
    return policy.present ? arnAccount(policy.resourceArn) : undefined;
  }
}

/** Offline: a policy document from a file, judged before it is applied. No AWS call, no credentials. */
export class OfflineCodeArtifactFacts implements CodeArtifactFactSource {
  readonly source = 'file' as const;
  private readonly target: CodeArtifactFactsTarget;
  private readonly text: string;
  private readonly file?: string;

  constructor(target: CodeArtifactFactsTarget, document: { text: string; file?: string }) {
    this.target = target;
    this.text = document.text;
    this.file = document.file;
  }

  async domain(): Promise<DomainFact> {
    return {
      exists: true,
      verified: false,
      name: this.target.domain,
      owner: this.target.domainOwner,
      arn: domainArn(this.target.domain, this.target.region, this.target.domainOwner),
    };
  }

  async domainPolicy(): Promise<DomainPolicyFact> {
    return { present: true, text: this.text, parsed: parsePolicyDocument(this.text), source: 'file', ...(this.file ? { file: this.file } : {}) };
  }

  async ownerAccount(): Promise<string | undefined> {
    return this.target.domainOwner;
  }
}
