// The facts the codeartifact pack rests on: the domain (DescribeDomain) and its resource policy
// (GetDomainPermissionsPolicy), memoized like the S3 facts. "No policy" is a value, not an error.
//
// GetDomainPermissionsPolicy answers ResourceNotFoundException both when the domain has no policy
// and when there is no such domain (FACTS.md, "AWS CodeArtifact domain policies"): DescribeDomain
// decides. If DescribeDomain cannot be read either, the policy fact is an error, never "no policy".
//
// The offline variant reads a policy document from a file (`--policy-file`) and makes no AWS call
// at all: no session, no credentials.

import {
  DescribeDomainCommand,
  DescribeRepositoryCommand,
  GetDomainPermissionsPolicyCommand,
  GetRepositoryPermissionsPolicyCommand,
  ListPackagesCommand,
  ListRepositoriesInDomainCommand,
} from '@aws-sdk/client-codeartifact';
import {
  type CodeArtifactFactSource,
  DEFAULT_MAX_PACKAGES,
  type DomainFact,
  type DomainPolicyFact,
  type PackageListFact,
  type PackageOrigin,
  type RepositoryDescription,
  type RepositoryPolicyFact,
} from '../../checks/codeartifact/facts.ts';
import { FactError } from '../engine/fact-error.ts';
import { parsePolicyDocument } from '../policy/document.ts';
import { isNotConfigured, toFactError } from './errors.ts';
import { FactCache } from './fact-cache.ts';
import { partitionOf } from '../regions.ts';
import type { AwsSession } from './session.ts';

/** The pack's fact types (checks/codeartifact/facts.ts), re-exported for the code that builds and tests these sources. */
export type { CodeArtifactFactSource, DomainFact, DomainPolicyFact, PackageListFact, PackageOrigin, RepositoryDescription, RepositoryPolicyFact };
export { DEFAULT_MAX_PACKAGES };

/** CodeArtifact's "not found" (HTTP 404): no such domain, or no policy on it. */
const NOT_FOUND = new Set(['ResourceNotFoundException']);

export interface CodeArtifactFactsTarget {
  domain: string;
  domainOwner?: string;
  region?: string;
  /** Upper bound of packages listed per repository (ListPackages), --max-packages. */
  maxPackages?: number;
  /** Requests in flight at once for the per-repository facts (the pack's bounded concurrency). */
  concurrency?: number;
}

/** Per-repository requests in flight at once by default. */
export const DEFAULT_REPOSITORY_CONCURRENCY = 8;

/** An answer that is not the document asked for: an error, never "no policy" or "nothing". */
function malformed(fact: string, api: string, resource: string, what: string): FactError {
  return new FactError({ fact, api, resource, code: 'MalformedResponse', message: `the answer is not the expected document: ${what}` });
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Validates a DescribeRepository answer ({ repository: {...} }), live or from a file. Throws a string naming the problem. */
export function repositoryDescriptionOf(answer: unknown, expectedName: string): Omit<RepositoryDescription, 'source' | 'file'> {
  if (!isObject(answer) || !isObject(answer.repository)) throw 'it has no "repository" object';
  const r = answer.repository;
  if (typeof r.name !== 'string' || r.name !== expectedName) throw `it describes repository ${JSON.stringify(r.name)}, not ${expectedName}`;
  const upstreams = r.upstreams ?? [];
  const external = r.externalConnections ?? [];
  if (!Array.isArray(upstreams) || !upstreams.every((u) => isObject(u) && typeof u.repositoryName === 'string')) throw '"upstreams" is not a list of { repositoryName }';
  if (!Array.isArray(external) || !external.every((c) => isObject(c) && typeof c.externalConnectionName === 'string')) throw '"externalConnections" is not a list of { externalConnectionName }';
  return {
    name: r.name,
    ...(typeof r.arn === 'string' ? { arn: r.arn } : {}),
    ...(typeof r.administratorAccount === 'string' ? { administratorAccount: r.administratorAccount } : {}),
    upstreams: upstreams.map((u) => (u as { repositoryName: string }).repositoryName),
    externalConnections: external.map((c) => {
      const o = c as Record<string, unknown>;
      return { name: o.externalConnectionName as string, ...(typeof o.packageFormat === 'string' ? { packageFormat: o.packageFormat } : {}), ...(typeof o.status === 'string' ? { status: o.status } : {}) };
    }),
  };
}

/** Validates a ListPackages page's `packages` list, live or from a file. Throws a string naming the problem. */
export function packageOriginsOf(packages: unknown): PackageOrigin[] {
  if (!Array.isArray(packages)) throw '"packages" is not a list';
  return packages.map((p, i) => {
    if (!isObject(p) || typeof p.package !== 'string' || typeof p.format !== 'string') throw `packages[${i}] has no "package" name and "format"`;
    const restrictions = isObject(p.originConfiguration) && isObject(p.originConfiguration.restrictions) ? p.originConfiguration.restrictions : {};
    const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
    return { format: p.format, ...(typeof p.namespace === 'string' ? { namespace: p.namespace } : {}), name: p.package, publish: str(restrictions.publish), upstream: str(restrictions.upstream) };
  });
}

/** A counting semaphore: at most `limit` tasks run at once. */
export function limiter(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async (task) => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active += 1;
    try {
      return await task();
    } finally {
      active -= 1;
      waiting.shift()?.();
    }
  };
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
    this.limit = limiter(target.concurrency ?? DEFAULT_REPOSITORY_CONCURRENCY);
  }

  /** Every per-repository request goes through here: at most `concurrency` in flight. */
  private readonly limit: <T>(task: () => Promise<T>) => Promise<T>;

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
        const text = out.policy?.document;
        if (typeof text !== 'string') throw malformed('domainPolicy', 'codeartifact:GetDomainPermissionsPolicy', this.resource, 'it holds no policy document');
        return { present: true, text, revision: out.policy?.revision, resourceArn: out.policy?.resourceArn, parsed: parsePolicyDocument(text), source: 'live' } satisfies DomainPolicyFact;
      } catch (e) {
        if (e instanceof FactError) throw e;
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

  private repositoryResource(name: string): string {
    const base = domainArn(this.target.domain, this.target.region ?? this.session.region, this.target.domainOwner);
    return base ? `${base.replace(/:domain\/.*$/, '')}:repository/${this.target.domain}/${name}` : `repository/${this.target.domain}/${name}`;
  }

  repositories(): Promise<string[]> {
    return this.cache.get(`codeartifactRepositories:${this.key}`, async () => {
      const api = 'codeartifact:ListRepositoriesInDomain';
      const names: string[] = [];
      const seen = new Set<string>();
      let nextToken: string | undefined;
      do {
        let out;
        try {
          out = await this.limit(() => this.client().send(new ListRepositoriesInDomainCommand({ ...this.input(), ...(nextToken ? { nextToken } : {}) })));
        } catch (e) {
          throw toFactError(e, 'repositories', api, this.resource);
        }
        if (!Array.isArray(out.repositories)) throw malformed('repositories', api, this.resource, 'it has no "repositories" list');
        for (const r of out.repositories) {
          if (typeof r?.name !== 'string') throw malformed('repositories', api, this.resource, 'a repository without a name');
          names.push(r.name);
        }
        if (out.nextToken !== undefined && typeof out.nextToken !== 'string') throw malformed('repositories', api, this.resource, 'nextToken is not a string');
        // A token seen before would loop for ever: the listing is then not trustworthy.
        if (out.nextToken && seen.has(out.nextToken)) throw malformed('repositories', api, this.resource, 'the same nextToken came back twice');
        if (out.nextToken) seen.add(out.nextToken);
        nextToken = out.nextToken || undefined;
      } while (nextToken);
      return [...new Set(names)].sort();
    });
  }

  repositoryPolicy(name: string): Promise<RepositoryPolicyFact> {
    return this.cache.get(`codeartifactRepositoryPolicy:${this.key}:${name}`, async () => {
      const api = 'codeartifact:GetRepositoryPermissionsPolicy';
      const resource = this.repositoryResource(name);
      let out;
      try {
        out = await this.limit(() => this.client().send(new GetRepositoryPermissionsPolicyCommand({ ...this.input(), repository: name })));
      } catch (e) {
        // The repository was just listed, so ResourceNotFoundException means it has no policy.
        if (isNotConfigured(e, NOT_FOUND)) return { present: false } satisfies RepositoryPolicyFact;
        throw toFactError(e, 'repositoryPolicy', api, resource);
      }
      const text = out.policy?.document;
      if (typeof text !== 'string') throw malformed('repositoryPolicy', api, resource, 'it holds no policy document');
      return { present: true, text, revision: out.policy?.revision, resourceArn: out.policy?.resourceArn, parsed: parsePolicyDocument(text), source: 'live' } satisfies RepositoryPolicyFact;
    });
  }

  repositoryDescription(name: string): Promise<RepositoryDescription | undefined> {
    return this.cache.get(`codeartifactRepository:${this.key}:${name}`, async () => {
      const api = 'codeartifact:DescribeRepository';
      const resource = this.repositoryResource(name);
      let out;
      try {
        out = await this.limit(() => this.client().send(new DescribeRepositoryCommand({ ...this.input(), repository: name })));
      } catch (e) {
        throw toFactError(e, 'repositoryDescription', api, resource);
      }
      try {
        return { ...repositoryDescriptionOf(out, name), source: 'live' as const };
      } catch (why) {
        throw malformed('repositoryDescription', api, resource, String(why));
      }
    });
  }

  packages(name: string): Promise<PackageListFact | undefined> {
    return this.cache.get(`codeartifactPackages:${this.key}:${name}`, async () => {
      const api = 'codeartifact:ListPackages';
      const resource = this.repositoryResource(name);
      const limit = this.target.maxPackages ?? DEFAULT_MAX_PACKAGES;
      const packages: PackageOrigin[] = [];
      let nextToken: string | undefined;
      const seen = new Set<string>();
      do {
        let out;
        try {
          out = await this.limit(() =>
            this.client().send(new ListPackagesCommand({ ...this.input(), repository: name, maxResults: Math.min(100, limit - packages.length), ...(nextToken ? { nextToken } : {}) })),
          );
        } catch (e) {
          throw toFactError(e, 'packages', api, resource);
        }
        try {
          packages.push(...packageOriginsOf(out.packages));
        } catch (why) {
          throw malformed('packages', api, resource, String(why));
        }
        if (out.nextToken && seen.has(out.nextToken)) throw malformed('packages', api, resource, 'the same nextToken came back twice');
        if (out.nextToken) seen.add(out.nextToken);
        nextToken = out.nextToken || undefined;
      } while (nextToken && packages.length < limit);
      return { packages: packages.slice(0, limit), truncated: nextToken !== undefined || packages.length > limit, limit, source: 'live' as const };
    });
  }
}

/** What --policy-dir (or --policy-file) holds, read and validated by the command handler. */
export interface OfflineRepositoryFiles {
  name: string;
  policy?: { text: string; file: string };
  /** The DescribeRepository answer as JSON (validated when read). */
  description?: { answer: unknown; file: string };
  /** A ListPackages answer ({ packages: [...] }) as JSON. */
  packages?: { answer: unknown; file: string };
}

/** Offline: policy documents from files, judged before they are applied. No AWS call, no credentials. */
export class OfflineCodeArtifactFacts implements CodeArtifactFactSource {
  readonly source = 'file' as const;
  private readonly target: CodeArtifactFactsTarget;
  /** undefined: --policy-dir without domain.json, i.e. the domain has no policy. */
  private readonly text?: string;
  private readonly file?: string;
  private readonly repositoryFiles: Map<string, OfflineRepositoryFiles>;

  constructor(target: CodeArtifactFactsTarget, document: { text?: string; file?: string }, repositories: OfflineRepositoryFiles[] = []) {
    this.target = target;
    this.text = document.text;
    this.file = document.file;
    this.repositoryFiles = new Map(repositories.map((r) => [r.name, r]));
  }

  async repositories(): Promise<string[]> {
    return [...this.repositoryFiles.keys()].sort();
  }

  async repositoryPolicy(name: string): Promise<RepositoryPolicyFact> {
    const policy = this.repositoryFiles.get(name)?.policy;
    if (!policy) return { present: false };
    return { present: true, text: policy.text, parsed: parsePolicyDocument(policy.text), source: 'file', file: policy.file };
  }

  async repositoryDescription(name: string): Promise<RepositoryDescription | undefined> {
    const d = this.repositoryFiles.get(name)?.description;
    if (!d) return undefined;
    try {
      return { ...repositoryDescriptionOf(d.answer, name), source: 'file', file: d.file };
    } catch (why) {
      throw malformed('repositoryDescription', 'file', d.file, String(why));
    }
  }

  async packages(name: string): Promise<PackageListFact | undefined> {
    const p = this.repositoryFiles.get(name)?.packages;
    if (!p) return undefined;
    const limit = this.target.maxPackages ?? DEFAULT_MAX_PACKAGES;
    let all: PackageOrigin[];
    try {
      all = packageOriginsOf(isObject(p.answer) ? p.answer.packages : undefined);
    } catch (why) {
      throw malformed('packages', 'file', p.file, String(why));
    }
    const hasMore = isObject(p.answer) && typeof p.answer.nextToken === 'string' && p.answer.nextToken !== '';
    return { packages: all.slice(0, limit), truncated: all.length > limit || hasMore, limit, source: 'file', file: p.file };
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
    if (this.text === undefined) return { present: false };
    return { present: true, text: this.text, parsed: parsePolicyDocument(this.text), source: 'file', ...(this.file ? { file: this.file } : {}) };
  }

  async ownerAccount(): Promise<string | undefined> {
    return this.target.domainOwner;
  }
}
