// Table tests for the codeartifact checks (the RuleTester shape of ../check-table.ts): each row
// names a policy fixture (test/fixtures/codeartifact/) or gives a document, and the expected
// results. Policies go through the real offline facts (src/aws/codeartifact-facts.ts), so parsing
// is the one a run uses; live-only states (no policy, no domain, a denied read) are fact values.

import { readFileSync } from 'node:fs';
import { test } from 'vitest';
import type { CodeArtifactCheck, CodeArtifactFacts, CodeArtifactTarget } from '../../../checks/codeartifact/context.ts';
import { OfflineCodeArtifactFacts, type OfflineRepositoryFiles } from '../../../src/aws/codeartifact-facts.ts';
import type { ExpectEntry } from '../../../src/config/codeartifact-options.ts';
import { runChecks } from '../../../src/engine/engine.ts';
import type { Result } from '../../../src/model.ts';
import { assertResults, type Expected, fakeFacts } from '../check-table.ts';

export const OWNER = '111122223333';
export const PARTNER = '444455556666';
export const OUTSIDER = '777788889999';
export const ORG = 'o-a1b2c3d4e5';

const FIXTURES = new URL('../../fixtures/codeartifact/', import.meta.url);

/** The text of a fixture file. */
export const fixture = (name: string): string => readFileSync(new URL(name, FIXTURES), 'utf8');

export function caTarget(overrides: Partial<CodeArtifactTarget> = {}): CodeArtifactTarget {
  return { domain: 'packages', domainOwner: OWNER, region: 'eu-west-1', policySource: 'file', policyFile: 'policy.json', allowedAccounts: [], ...overrides };
}

export interface CaRow {
  name: string;
  target?: Partial<CodeArtifactTarget>;
  /** A fixture file name (ends with .json), a document object, or raw text (`text:` prefix). */
  policy?: string | Record<string, unknown> | null;
  /** Instead of a policy: fact values (live states), as in ../check-table.ts. */
  facts?: Record<string, unknown>;
  /** Offline repositories (as --policy-dir gives them): policies are objects or fixture names. */
  repositories?: Array<{ name: string; policy?: string | Record<string, unknown>; description?: unknown; packages?: unknown }>;
  expect: Expected | Expected[];
}

/** Offline repository files for a row. */
export const repositoryFiles = (repos: NonNullable<CaRow['repositories']>): OfflineRepositoryFiles[] =>
  repos.map((r) => ({
    name: r.name,
    ...(r.policy !== undefined ? { policy: { text: policyText(r.policy), file: `repositories/${r.name}.json` } } : {}),
    ...(r.description !== undefined ? { description: { answer: r.description, file: `repositories/${r.name}.repository.json` } } : {}),
    ...(r.packages !== undefined ? { packages: { answer: r.packages, file: `repositories/${r.name}.packages.json` } } : {}),
  }));

export const expectEntry = (principal: string, action: string, expected: 'allow' | 'deny', resource?: string): ExpectEntry => ({
  principal,
  account: principal.split(':')[4],
  action,
  expected,
  ...(resource ? { resource } : {}),
});

function policyText(policy: string | Record<string, unknown>): string {
  if (typeof policy !== 'string') return JSON.stringify(policy);
  if (policy.startsWith('text:')) return policy.slice('text:'.length);
  return fixture(policy);
}

/** Runs one check (or several) on a row, through the real engine. */
export async function runRow(checks: CodeArtifactCheck[], row: Omit<CaRow, 'name' | 'expect'>): Promise<Result[]> {
  const target = caTarget(row.target);
  const facts: CodeArtifactFacts = row.facts
    ? (fakeFacts({ repositories: [], ...row.facts }) as unknown as CodeArtifactFacts)
    : new OfflineCodeArtifactFacts(
        { domain: target.domain, domainOwner: target.domainOwner, region: target.region, maxPackages: target.maxPackages },
        row.policy === null ? {} : { text: policyText(row.policy ?? {}), file: target.policyFile },
        repositoryFiles(row.repositories ?? []),
      );
  return runChecks(checks, { target, facts }, { defaultSubject: target.domain });
}

export function codeArtifactTable(check: CodeArtifactCheck, rows: CaRow[]): void {
  for (const row of rows) {
    test(`${check.id}: ${row.name}`, async () => {
      assertResults(await runRow([check], row), row.expect, row.name);
    });
  }
}
