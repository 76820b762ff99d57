// One CodeArtifact domain, end to end: validated options → Target → facts (live, or offline from
// --policy-file with no AWS call at all) → checks → target report. Also the recommended
// least-privilege domain policy of `codeartifact policy`.

import { codeArtifactChecks } from '../../checks/codeartifact/index.ts';
import type { CodeArtifactCheck, CodeArtifactTarget } from '../../checks/codeartifact/context.ts';
import { accessMatrixOf } from '../../checks/codeartifact/_access-matrix.ts';
import { CodeArtifactFacts, type CodeArtifactFactSource, domainArn, OfflineCodeArtifactFacts, type OfflineRepositoryFiles } from '../aws/codeartifact-facts.ts';
import { FactCache } from '../aws/fact-cache.ts';
import { partitionOf } from '../regions.ts';
import { AwsSession, type SessionOptions } from '../aws/session.ts';
import type { CodeArtifactOptions, CodeArtifactPolicyOptions, ExpectEntry } from '../config/codeartifact-options.ts';
import { runChecks } from '../engine/engine.ts';
import type { Result } from '../model.ts';
import { summarize, verdictOf } from '../model.ts';
import type { TargetReport } from '../report/report.ts';

export type CodeArtifactTargetOptions = Pick<CodeArtifactOptions, 'domain' | 'domainOwner' | 'region' | 'policyFile' | 'policyDir' | 'maxPackages' | 'orgId' | 'allowedAccounts' | 'expect'>;

export function toCodeArtifactTarget(options: CodeArtifactTargetOptions, expect?: ExpectEntry[]): CodeArtifactTarget {
  return {
    domain: options.domain,
    domainOwner: options.domainOwner,
    region: options.region,
    policySource: options.policyFile !== undefined || options.policyDir !== undefined ? 'file' : 'live',
    policyFile: options.policyFile,
    policyDir: options.policyDir,
    maxPackages: options.maxPackages,
    orgId: options.orgId,
    allowedAccounts: options.allowedAccounts ?? [],
    expect,
    expectFile: options.expect,
  };
}

export interface RunCodeArtifactOptions {
  name?: string;
  /** Live only. Offline runs create no session at all. */
  session?: AwsSession;
  sessionOptions?: SessionOptions;
  cache?: FactCache;
  signal?: AbortSignal;
  checks?: readonly CodeArtifactCheck[];
  concurrency?: number;
  checkTimeoutMs?: number;
  /** Offline: the policy document's text (the handler reads --policy-file, or --policy-dir's domain.json; absent there = no domain policy). */
  policyText?: string;
  /** Offline --policy-dir: the repositories' files (the handler reads them). */
  repositoryFiles?: OfflineRepositoryFiles[];
  /** Per-repository requests in flight at once (live). */
  repositoryConcurrency?: number;
  /** Parsed --expect entries. */
  expect?: ExpectEntry[];
}

export async function runCodeArtifactTarget(options: CodeArtifactTargetOptions, run: RunCodeArtifactOptions = {}): Promise<TargetReport> {
  const target = toCodeArtifactTarget(options, run.expect);
  let facts: CodeArtifactFactSource;
  let session: AwsSession | undefined;
  if (target.policySource === 'file') {
    if (run.policyText === undefined && target.policyDir === undefined) throw new Error('offline run without the policy text'); // the handler reads the file first
    facts = new OfflineCodeArtifactFacts(
      { domain: target.domain, domainOwner: target.domainOwner, region: target.region, maxPackages: target.maxPackages },
      { text: run.policyText, file: target.policyFile ?? (target.policyDir !== undefined && run.policyText !== undefined ? `${target.policyDir}/domain.json` : undefined) },
      run.repositoryFiles ?? [],
    );
  } else {
    session = run.session ?? new AwsSession({ ...(run.sessionOptions ?? {}), region: target.region ?? run.sessionOptions?.region });
    target.region ??= session.region;
    facts = new CodeArtifactFacts(
      session,
      { domain: target.domain, domainOwner: target.domainOwner, region: target.region, maxPackages: target.maxPackages, concurrency: run.repositoryConcurrency },
      run.cache ?? new FactCache(),
    );
  }
  const callsBefore = session?.apiCalls.length ?? 0;
  const results: Result[] = await runChecks(run.checks ?? codeArtifactChecks, { target, facts }, {
    defaultSubject: target.domain,
    signal: run.signal,
    concurrency: run.concurrency,
    timeoutMs: run.checkTimeoutMs,
  });
  // Only memoized facts are read here: the checks above already asked for them.
  const owner = await facts.ownerAccount().catch(() => undefined);
  const policy = await facts.domainPolicy().catch(() => undefined);
  const accessMatrix = await accessMatrixOf({ target, facts });
  const interrupted = run.signal?.aborted ?? false;
  const summary = summarize(results);
  return {
    name: run.name ?? target.domain,
    target: {
      domain: target.domain,
      domainOwner: owner ?? target.domainOwner ?? null,
      region: target.region ?? null,
      policySource: target.policySource,
      policyRevision: policy?.present ? (policy.revision ?? null) : null,
      ...(target.policyDir !== undefined ? { policyDir: target.policyDir } : {}),
      orgId: target.orgId ?? null,
      allowedAccounts: target.allowedAccounts,
    },
    ...verdictOf(results, interrupted),
    summary,
    results,
    apiCalls: session ? session.apiCalls.slice(callsBefore) : [],
    ...(accessMatrix ? { accessMatrix } : {}),
    ...(interrupted ? { interrupted: true } : {}),
    // Offline (a policy file): no request at all, so nothing in the report is an answer from AWS.
    environment: session ? session.environment() : { endpoint: null, aws: false, partition: target.region ? partitionOf(target.region) : null, credentials: { source: 'none' } },
  };
}

// ---------------------------------------------------------------------------------------------
// The recommended least-privilege domain policy (`packages-preflight codeartifact policy`).
//
// Seed 004's organization pattern: Principal "*" confined by aws:PrincipalOrgID, trimmed to what
// using the domain needs: GetAuthorizationToken (domain) + ReadFromRepository (repositories) to
// read; unless --read-only, CreateRepository + TagResource (seed 004: needed to create tagged
// repositories) + PublishPackageVersion to publish. Resource "*" means every resource in the
// domain (seed 004); with --domain/--domain-owner/--region the statements name the domain's own
// ARNs instead. test/e2e/codeartifact.test.ts and test/checks/codeartifact/table.test.ts run every
// check on the result.

export function recommendedDomainPolicy(options: Pick<CodeArtifactPolicyOptions, 'orgId' | 'readOnly' | 'domain' | 'domainOwner' | 'region'>): Record<string, unknown> {
  const scoped = options.domain && options.domainOwner && options.region;
  const base = scoped ? `arn:${partitionOf(options.region!) ?? 'aws'}:codeartifact:${options.region}:${options.domainOwner}` : '';
  const resources = (...types: Array<'repository' | 'package'>) =>
    scoped ? [domainArn(options.domain!, options.region, options.domainOwner)!, ...types.map((t) => `${base}:${t}/${options.domain}/*`)] : '*';
  const condition = { StringEquals: { 'aws:PrincipalOrgID': [options.orgId] } };
  const statements: Array<Record<string, unknown>> = [
    {
      Sid: 'OrganizationReadPackages',
      Effect: 'Allow',
      Principal: '*',
      Action: ['codeartifact:GetAuthorizationToken', 'codeartifact:ReadFromRepository'],
      Resource: resources('repository'),
      Condition: condition,
    },
  ];
  if (!options.readOnly) {
    statements.push({
      Sid: 'OrganizationPublishPackages',
      Effect: 'Allow',
      Principal: '*',
      Action: ['codeartifact:CreateRepository', 'codeartifact:TagResource', 'codeartifact:PublishPackageVersion'],
      Resource: resources('repository', 'package'),
      Condition: condition,
    });
  }
  return { Version: '2012-10-17', Statement: statements };
}
