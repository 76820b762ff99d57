// The facts the codeartifact pack reads, declared by the pack itself as plain data: what a fact
// source must answer, not how. src/aws/codeartifact-facts.ts implements them twice (live AWS, and
// offline from policy files); checks and their tables code against these names only.
//
// Contract of every getter: memoized for the run; "no policy" / "no such domain" are values;
// anything that stops the source from reading a fact rejects with a FactError
// (src/engine/fact-error.ts), which the engine turns into `error`, never `pass`.

import type { ParseResult } from '../../src/policy/document.ts';

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

/** A repository's resource policy: the same shape as the domain's ("no policy" is a value). */
export type RepositoryPolicyFact = { present: false } | Extract<DomainPolicyFact, { present: true }>;

/** What DescribeRepository says about the repository's sources of packages. */
export interface RepositoryDescription {
  name: string;
  arn?: string;
  administratorAccount?: string;
  /** Upstream repositories (same domain), in search order. */
  upstreams: string[];
  /** External connection names, e.g. public:npmjs, with their format and status. */
  externalConnections: Array<{ name: string; packageFormat?: string; status?: string }>;
  source: 'live' | 'file';
  file?: string;
}

/** A package's origin controls in one repository (ListPackages originConfiguration). */
export interface PackageOrigin {
  format: string;
  namespace?: string;
  name: string;
  /** ALLOW | BLOCK: may versions be published into this repository directly. */
  publish?: string;
  /** ALLOW | BLOCK: may versions come in from upstreams / external connections. */
  upstream?: string;
}

export interface PackageListFact {
  packages: PackageOrigin[];
  /** More packages exist than --max-packages allowed to list. */
  truncated: boolean;
  limit: number;
  source: 'live' | 'file';
  file?: string;
}

/** --max-packages default: enough for most internal repositories, bounded cost (1 request per 100). */
export const DEFAULT_MAX_PACKAGES = 500;

/**
 * The facts interface checks see. The repository getters are optional: a source without them (a
 * test passing a plain object) is a domain without repositories.
 */
export interface CodeArtifactFacts {
  domain(): Promise<DomainFact>;
  domainPolicy(): Promise<DomainPolicyFact>;
  /** The account that owns the domain: --domain-owner, else DescribeDomain's owner (live), else the policy's resourceArn; undefined offline without --domain-owner. */
  ownerAccount(): Promise<string | undefined>;
  /** Names of the domain's repositories (ListRepositoriesInDomain, every page; offline: the files). */
  repositories?(): Promise<string[]>;
  /** A repository's policy; a denied read throws a FactError for this repository only. */
  repositoryPolicy?(name: string): Promise<RepositoryPolicyFact>;
  /** DescribeRepository; undefined offline when no NAME.repository.json is given. */
  repositoryDescription?(name: string): Promise<RepositoryDescription | undefined>;
  /** Package origin controls (ListPackages, at most maxPackages); undefined offline without NAME.packages.json. */
  packages?(name: string): Promise<PackageListFact | undefined>;
}

/** What a complete fact source answers (every getter), and where its facts come from. */
export interface CodeArtifactFactSource extends Required<CodeArtifactFacts> {
  readonly source: 'live' | 'file';
}
