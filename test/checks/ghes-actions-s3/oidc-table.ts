// Table tests for the OIDC checks (the RuleTester shape of ../check-table.ts): each row gives the
// OIDC part of the target and fact values (the live facts are covered by test/unit/oidc-live.test.ts
// and the emulator tests), run through the real engine.

import { test } from 'vitest';
import type { GhesCertificateChain, OidcCheck, OidcProvider, OidcTarget } from '../../../checks/ghes-actions-s3/oidc-facts.ts';
import { runChecks } from '../../../src/engine/engine.ts';
import type { CertificateInfo } from '../../../src/oidc/thumbprint.ts';
import { assertResults, type Expected, fakeFacts } from '../check-table.ts';

export const HOST = 'ghes.example.com';
export const ACCOUNT = '111122223333';
export const ROLE = `arn:aws:iam::${ACCOUNT}:role/ghes-actions`;
export const PROVIDER_ARN = `arn:aws:iam::${ACCOUNT}:oidc-provider/${HOST}/_services/token`;

export const oidcTarget = (overrides: Partial<OidcTarget> = {}): OidcTarget => ({ roleArn: ROLE, ghesHost: HOST, ...overrides });

export const cert = (name: string, sha1: string, overrides: Partial<CertificateInfo> = {}): CertificateInfo => ({
  subject: `CN=${name}`,
  issuer: `CN=${name}`,
  sha1,
  selfSigned: true,
  ca: false,
  validFrom: 'Jan  1 00:00:00 2026 GMT',
  validTo: 'Jan  1 00:00:00 2027 GMT',
  ...overrides,
});

export const SELF_SIGNED = cert(HOST, 'a'.repeat(40));
export const chain = (certificates: CertificateInfo[], publiclyTrusted = false): GhesCertificateChain => ({ source: 'tls', from: `https://${HOST}`, route: 'direct', certificates, publiclyTrusted });

export const provider = (overrides: Partial<OidcProvider> = {}): { found: true; provider: OidcProvider } => ({
  found: true,
  provider: { arn: PROVIDER_ARN, url: `${HOST}/_services/token`, clientIds: ['sts.amazonaws.com'], thumbprints: [SELF_SIGNED.sha1], ...overrides },
});

export interface OidcRow {
  name: string;
  target?: Partial<OidcTarget>;
  facts?: Record<string, unknown>;
  expect: Expected | Expected[];
}

export function oidcTable(check: OidcCheck, rows: OidcRow[]): void {
  for (const row of rows) {
    test(`${check.id}: ${row.name}`, async () => {
      const results = await runChecks([check], { target: oidcTarget(row.target), facts: fakeFacts(row.facts) as never }, { defaultSubject: 'ghes-actions' });
      assertResults(results, row.expect, row.name);
    });
  }
}
